"""Binary glTF (.glb) of the coloured scene, for other 3D programs and the web."""

from __future__ import annotations

import base64
import json
import struct
import tempfile
from pathlib import Path

import numpy as np
import pyvista as pv

from discviz.render.materials import material_for, pathology_tint


def glb_bytes(parts: dict[str, pv.PolyData], hydration: float = 1.0) -> bytes:
    """Every structure with its material as a binary glTF, one node per structure."""
    plotter = pv.Plotter(off_screen=True, window_size=(64, 64))
    try:
        for name, mesh in parts.items():
            material = material_for(name, hydration)
            shaded = mesh.compute_normals(split_vertices=False, auto_orient_normals=False)
            colours = _inflamed_colours(mesh, material.color)
            if colours is None:
                plotter.add_mesh(shaded, color=material.color, opacity=material.opacity,
                                 specular=material.specular, name=name, smooth_shading=True)
            else:  # a pressed root keeps its red where it is inflamed (vertex colours, COLOR_0)
                shaded.point_data["colours"] = colours
                actor = plotter.add_mesh(shaded, scalars="colours", rgb=True, opacity=material.opacity,
                                         specular=material.specular, name=name, smooth_shading=True)
                actor.prop.color = (1.0, 1.0, 1.0)  # glTF multiplies COLOR_0 by the base colour
        with tempfile.TemporaryDirectory() as folder:
            gltf = Path(folder) / "scene.gltf"
            plotter.export_gltf(str(gltf))
            document = json.loads(gltf.read_text(encoding="utf-8"))
    finally:
        plotter.close()
    _name_meshes(document, list(parts))
    _blend_translucent(document)
    binary = _pack_buffers(document)
    payload = json.dumps(document, separators=(",", ":")).encode("utf-8")
    payload += b" " * (-len(payload) % 4)
    binary += b"\0" * (-len(binary) % 4)
    chunks = struct.pack("<I4s", len(payload), b"JSON") + payload
    chunks += struct.pack("<I4s", len(binary), b"BIN\0") + binary
    return struct.pack("<4sII", b"glTF", 2, 12 + len(chunks)) + chunks


def _inflamed_colours(mesh: pv.PolyData, color: tuple[float, float, float]) -> np.ndarray | None:
    """Per-point RGB (uint8) of a structure carrying ``inflamed`` (the root a herniation
    presses on), or None: the others are one colour each.
    """
    if "inflamed" not in mesh.point_data:
        return None
    base = np.repeat(np.asarray(color, float)[None, :], mesh.n_points, axis=0)
    tinted = pathology_tint("nerve-roots", {"inflamed": np.asarray(mesh.point_data["inflamed"])}, base)
    return (np.clip(tinted, 0, 1) * 255).astype(np.uint8)


def _name_meshes(document: dict, names: list[str]) -> None:
    """VTK calls its meshes mesh0, mesh1...; they come in the order the actors were added
    (the camera and the root are nodes too, without a mesh).
    """
    mesh_nodes = [node for node in document.get("nodes", []) if "mesh" in node]
    for node, name in zip(mesh_nodes, names, strict=True):
        node["name"] = name
        document["meshes"][node["mesh"]]["name"] = name


def _blend_translucent(document: dict) -> None:
    """Translucent structures (the dural sac) keep their opacity in other programs."""
    for material in document.get("materials", []):
        if material.get("pbrMetallicRoughness", {}).get("baseColorFactor", [1, 1, 1, 1])[3] < 1.0:
            material["alphaMode"] = "BLEND"


def _pack_buffers(document: dict) -> bytes:
    """VTK writes every buffer inline (base64); a GLB keeps them in its one binary chunk."""
    prefix = "data:application/octet-stream;base64,"
    binary = bytearray()
    offsets = []
    for buffer in document.get("buffers", []):
        uri = buffer.get("uri", "")
        if not uri.startswith(prefix):
            raise ValueError(f"unexpected glTF buffer {uri[:40]!r}")
        binary += b"\0" * (-len(binary) % 4)  # accessors need aligned data
        offsets.append(len(binary))
        binary += base64.b64decode(uri[len(prefix):])
    for view in document.get("bufferViews", []):
        view["byteOffset"] = view.get("byteOffset", 0) + offsets[view["buffer"]]
        view["buffer"] = 0
    document["buffers"] = [{"byteLength": len(binary)}]
    return bytes(binary)
