"""Binary glTF (.glb) of the coloured scene, for other 3D programs and the web."""

from __future__ import annotations

import json
import struct
import tempfile
from pathlib import Path

import pyvista as pv

from discviz.render.materials import material_for


def write_glb(parts: dict[str, pv.PolyData], path: Path, hydration: float = 1.0) -> Path:
    """Write every structure with its material to ``path`` (.glb), one node per structure."""
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
    names = list(parts)
    for node, name in zip(document.get("nodes", [])[-len(names):], names, strict=False):
        node["name"] = name
    # VTK writes glTF JSON only; a GLB is that JSON in a binary container (buffers stay inline).
    payload = json.dumps(document, separators=(",", ":")).encode("utf-8")
    payload += b" " * (-len(payload) % 4)
    header = struct.pack("<4sII", b"glTF", 2, 12 + 8 + len(payload))
    chunk = struct.pack("<I4s", len(payload), b"JSON")
    path.write_bytes(header + chunk + payload)
    return path
