"""`discviz mesh` in every format, and bad presets / --set values, one by one (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import pyvista as pv

import discviz
from discviz.geometry.structures import STATE_STRUCTURES
from discviz.render.materials import material_for

GOOD = """seed = 7
quality = "low"
[disc]
width = 49.0
[fissure]
depth = 0.6
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "discviz", *args], capture_output=True, text=True,
                          timeout=300, check=False, cwd=cwd)


@pytest.mark.parametrize("suffix", [".vtm", ".vtp", ".ply", ".stl", ".obj", ".glb"])
def test_mesh_writes_every_format_from_any_folder(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"disc{suffix}"
    result = run("mesh", "--state", "ruptured", "--set", "quality=low", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > (500 if suffix == ".vtm" else 10_000)  # .vtm indexes a folder
    if suffix == ".vtm":
        blocks = pv.read(out)
        assert sorted(blocks.keys()) == sorted(STATE_STRUCTURES["ruptured"])  # context included
        assert set(np.unique(blocks["annulus"].cell_data["lamella"])) == set(range(1, 21))
    elif suffix == ".vtp":
        merged = pv.read(out)
        assert "structure" in merged.cell_data
    elif suffix == ".glb":
        check_glb(out)
    else:
        assert pv.read(out).n_cells > 1000


def check_glb(path: Path) -> None:
    """A GLB whose every node carries its own structure's name, mesh and material."""
    import json
    import struct

    data = path.read_bytes()
    magic, version, length = struct.unpack("<4sII", data[:12])
    assert (magic, version, length) == (b"glTF", 2, len(data))
    json_length, json_type = struct.unpack("<I4s", data[12:20])
    document = json.loads(data[20:20 + json_length])
    bin_length, bin_type = struct.unpack("<I4s", data[20 + json_length:28 + json_length])
    assert (json_type, bin_type) == (b"JSON", b"BIN\0")
    assert document["buffers"] == [{"byteLength": bin_length}]  # the data in the binary chunk
    expected = discviz.build("ruptured", params={"quality": "low"})
    named = {node["name"]: document["meshes"][node["mesh"]] for node in document["nodes"] if "mesh" in node}
    assert list(named) == list(expected)  # in order, every structure, nothing else
    for name, mesh in named.items():
        primitive = mesh["primitives"][0]
        assert mesh["name"] == name
        points = document["accessors"][primitive["attributes"]["POSITION"]]["count"]
        assert points == expected[name].n_points, name
        material = document["materials"][primitive["material"]]
        colour = material["pbrMetallicRoughness"]["baseColorFactor"]
        assert colour[:3] == pytest.approx(material_for(name).color, abs=0.01), name
        assert (material.get("alphaMode") == "BLEND") == (material_for(name).opacity < 1), name


def test_custom_preset_file_is_used(tmp_path: Path) -> None:
    preset = tmp_path / "mine.toml"
    preset.write_text(GOOD, encoding="utf-8")
    result = run("mesh", "--preset", str(preset), "-o", str(tmp_path / "a.vtp"))
    assert result.returncode == 0, result.stderr
    assert run("check", str(preset)).returncode == 0


@pytest.mark.parametrize(("text", "message"), [
    ("[disc]\nwidht = 49.0\n", "2: unknown parameter 'disc.widht' (did you mean 'disc.width'?)"),
    ("[disc]\nwidth = 490.0\n", "2: disc.width must be a number from 35 to 60 mm (got 490)"),
    ("[disc]\nwidth = \"wide\"\n", "2: disc.width must be a number"),
    ("[fissure]\ntype = \"spiral\"\n", "2: fissure.type must be one of"),
    ("[annulus]\nlamellae = 12.5\n", "2: annulus.lamellae must be a whole number"),
    ("quality = \"ultra\"\n", "1: quality must be one of"),
    ("[disc\nwidth = 1\n", "1: not valid TOML"),
])
def test_bad_preset_names_file_line_and_fix(tmp_path: Path, text: str, message: str) -> None:
    preset = tmp_path / "bad.toml"
    preset.write_text(text, encoding="utf-8")
    result = run("mesh", "--preset", str(preset), "-o", str(tmp_path / "a.vtp"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{preset}:{message}"), result.stderr
    assert "Traceback" not in result.stderr


def test_preset_that_is_not_utf8(tmp_path: Path) -> None:
    preset = tmp_path / "latin.toml"
    preset.write_bytes("# Gr\xfcber\nseed = 1\n".encode("latin-1"))
    result = run("check", str(preset))
    assert result.returncode == 2
    assert f"{preset}:1: not UTF-8 text: save the file as UTF-8" in result.stderr


@pytest.mark.parametrize(("setting", "message"), [
    ("fissure.depht=0.5",
     "--set fissure.depht: unknown parameter 'fissure.depht' (did you mean 'fissure.depth'?)"),
    ("fissure.depth=1.5", "--set fissure.depth: fissure.depth must be a number from 0.1 to 1 (got 1.5)"),
    ("nerves.count=many", "--set nerves.count: nerves.count must be a whole number"),
    ("fissure.depth", "--set: 'fissure.depth' must look like KEY=VALUE, e.g. fissure.depth=0.6"),
])
def test_bad_set_values(tmp_path: Path, setting: str, message: str) -> None:
    result = run("mesh", "--set", setting, "-o", str(tmp_path / "a.vtp"))
    assert result.returncode == 2
    assert any(line.startswith(message) for line in result.stderr.splitlines()), result.stderr


def test_unknown_preset_and_state_and_format_all_reported(tmp_path: Path) -> None:
    result = run("mesh", "--preset", "L4L5", "--state", "torn", "-o", str(tmp_path / "a.xyz"))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert any("unknown state 'torn'" in line for line in lines)
    assert any("unknown preset 'L4L5' (did you mean 'L4-L5'?)" in line for line in lines)
    assert any(".xyz" in line for line in lines)


@pytest.mark.parametrize("suffix", [".vtm", ".vtp", ".ply", ".glb"])
def test_mesh_writes_the_facet_joints_with_their_colour(tmp_path: Path, suffix: str) -> None:
    import json
    import struct

    from discviz.geometry.structures import STRUCTURES
    from discviz.render.convert import to_polydata
    from discviz.render.mesh_export import write_mesh

    parts = {name: to_polydata(s) for name, s in discviz.geometry.build_surfaces(
        "healthy", discviz.geometry.Params({"quality": "low"})).items()}
    out = write_mesh(parts, tmp_path / f"segment{suffix}")
    joints = parts["facet-joints"]
    if suffix == ".vtm":
        block = pv.read(out)["facet-joints"]
        assert block.n_cells == joints.n_cells
        assert set(np.unique(block.cell_data["side"])) == {"left", "right"}
    elif suffix == ".glb":
        data = out.read_bytes()
        json_length = struct.unpack("<I", data[12:16])[0]
        document = json.loads(data[20:20 + json_length])
        node = next(n for n in document["nodes"] if n.get("name") == "facet-joints")
        material = document["materials"][document["meshes"][node["mesh"]]["primitives"][0]["material"]]
        colour = material["pbrMetallicRoughness"]["baseColorFactor"][:3]
        assert colour == pytest.approx(material_for("facet-joints").color, abs=0.01)
    elif suffix == ".vtp":
        ids = np.asarray(pv.read(out).cell_data["structure"])
        assert (ids == STRUCTURES.index("facet-joints")).sum() == joints.n_cells
    else:  # a .ply keeps no names: every structure's triangles, the joints' among them
        assert pv.read(out).n_cells == sum(p.n_cells for p in parts.values())


def test_mesh_exports_the_herniation_and_the_red_of_the_root_it_presses(tmp_path: Path) -> None:
    import json
    import struct

    sets = ["--set", "quality=low", "--set", "herniation.position=130"]
    assert run("mesh", "--state", "herniated", *sets, "-o", str(tmp_path / "h.vtm")).returncode == 0
    blocks = pv.read(tmp_path / "h.vtm")
    assert sorted(blocks.keys()) == sorted(STATE_STRUCTURES["herniated"])
    assert np.asarray(blocks["nerve-roots"].point_data["inflamed"]).max() == pytest.approx(1.0)
    result = run("mesh", "--state", "herniated", *sets, "-o", str(tmp_path / "h.glb"))
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "h.glb").read_bytes()
    json_length = struct.unpack("<I", data[12:16])[0]
    document = json.loads(data[20:20 + json_length])
    binary = data[28 + json_length:]
    named = {node["name"]: document["meshes"][node["mesh"]] for node in document["nodes"] if "mesh" in node}
    gel = document["materials"][named["herniation"]["primitives"][0]["material"]]
    assert gel["pbrMetallicRoughness"]["baseColorFactor"][:3] == pytest.approx(material_for("nucleus").color,
                                                                                abs=0.01)
    accessor = document["accessors"][named["nerve-roots"]["primitives"][0]["attributes"]["COLOR_0"]]
    view = document["bufferViews"][accessor["bufferView"]]
    kind = {5121: np.uint8, 5123: np.uint16, 5126: np.float32}[accessor["componentType"]]
    width = {"VEC3": 3, "VEC4": 4}[accessor["type"]]
    start = view.get("byteOffset", 0) + accessor.get("byteOffset", 0)
    colours = np.frombuffer(binary, kind, accessor["count"] * width, start).reshape(-1, width)[:, :3]
    colours = colours / (np.iinfo(kind).max if kind != np.float32 else 1.0)
    red = (colours[:, 0] > colours[:, 1] + 0.3) & (colours[:, 0] > colours[:, 2] + 0.3)
    yellow = colours[:, 1] > colours[:, 2] + 0.3
    assert red.sum() > 20 and yellow.sum() > 3 * red.sum()  # part of one root inflamed, the rest yellow
