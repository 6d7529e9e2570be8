"""Binary glTF (.glb) of the coloured scene, for other 3D programs and the web."""

from __future__ import annotations

import base64
import json
import struct
import tempfile
from pathlib import Path

import pyvista as pv

from discviz.render.materials import material_for


def glb_bytes(parts: dict[str, pv.PolyData], hydration: float = 1.0) -> bytes:
    """Every structure with its material as a binary glTF, one node per structure."""
    plotter = pv.Plotter(off_screen=True, window_size=(64, 64))
    try:
        for name, mesh in parts.items():
            material = material_for(name, hydration)
            plotter.add_mesh(mesh.compute_normals(split_vertices=False, auto_orient_normals=False),
                             color=material.color, opacity=material.opacity,
                             specular=material.specular, name=name, smooth_shading=True)
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
