"""Write the surfaces of a state to a file, by suffix (SPEC section 6, `discviz mesh`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyvista as pv

from discviz.errors import InputError, Problem
from discviz.geometry.structures import STRUCTURES

FORMATS = (".vtm", ".glb", ".vtp", ".ply", ".stl", ".obj")


def merged(parts: dict[str, pv.PolyData]) -> pv.PolyData:
    """All structures in one surface, with cell array ``structure`` (index into STRUCTURES)."""
    pieces = []
    for name, mesh in parts.items():
        piece = mesh.copy()
        piece.clear_data()
        piece.cell_data["structure"] = np.full(piece.n_cells, STRUCTURES.index(name), dtype=np.int32)
        pieces.append(piece)
    out = pv.merge(pieces, merge_points=False)
    out.field_data["structure_names"] = np.array(STRUCTURES)
    return out


def check_output(path: Path) -> list[Problem]:
    """Problems with an output path, found before any work is done."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        choices = ", ".join(FORMATS)
        return [Problem(str(path), f"unknown file type '{suffix or path.name}'; use one of {choices}")]
    if not path.parent.exists():
        return [Problem(str(path), f"folder {path.parent} does not exist")]
    return []


def write_mesh(parts: dict[str, pv.PolyData], path: Path, hydration: float = 1.0) -> Path:
    """Write ``parts`` to ``path``; the suffix picks the format."""
    problems = check_output(path)
    if problems:
        raise InputError(problems)
    suffix = path.suffix.lower()
    if suffix == ".vtm":
        blocks = pv.MultiBlock()
        for name, mesh in parts.items():
            blocks.append(mesh, name)
        blocks.save(path)
    elif suffix == ".glb":
        from discviz.render.gltf import write_glb

        write_glb(parts, path, hydration)
    else:
        merged(parts).save(path)  # .stl and .obj drop the cell array: they cannot hold one
    return path
