"""Write the surfaces of a state to a file, by suffix (`discviz mesh`, docs/command-line.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pyvista as pv

from discviz.errors import InputError, Problem
from discviz.geometry.structures import STRUCTURES
from discviz.render.output import (
    OutputError,
    claim,
    copy_into_place,
    failure,
    make_folder,
    replace_folder,
    write_bytes,
)

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


def check_output(path: Path, overwrite: bool = False) -> list[Problem]:
    """Problems with an output path, found before any work is done (the folder is made)."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        choices = ", ".join(FORMATS)
        return [Problem(str(path), f"unknown file type '{suffix or path.name}'; use one of {choices}")]
    try:
        claim(path, overwrite)
        blocks = path.with_suffix("")  # a .vtm's blocks go to a folder of the same name beside it
        if suffix == ".vtm" and (blocks.exists() or blocks.is_symlink()):
            if not blocks.is_dir() or blocks.is_symlink():
                return [Problem(str(blocks), "exists and is not a folder; the .vtm file needs this name "
                                "for the folder of its blocks: choose another name")]
            if not overwrite:
                return [Problem(str(blocks), "exists already; give --overwrite to replace it, "
                                "or choose another name")]
        make_folder(path.parent)
    except OutputError as error:
        return list(error.problems)
    return []


def write_mesh(parts: dict[str, pv.PolyData], path: Path, hydration: float = 1.0,
               overwrite: bool = False) -> Path:
    """Write ``parts`` to ``path``; the suffix picks the format. VTK writes into a private
    folder, then the file (and a .vtm's folder of blocks) is moved into place whole.
    """
    problems = check_output(path, overwrite)
    if problems:
        raise InputError(problems)
    suffix = path.suffix.lower()
    if suffix == ".glb":
        from discviz.render.gltf import glb_bytes

        try:
            data = glb_bytes(parts, hydration)
        except OSError as error:  # VTK's exporter writes into the system's temporary folder
            raise failure(Path(tempfile.gettempdir()), error) from None
        write_bytes(path, data)
        return path
    with tempfile.TemporaryDirectory(prefix="discviz-mesh-") as private:
        written = Path(private) / path.name
        try:
            if suffix == ".vtm":
                blocks = pv.MultiBlock()
                for name, mesh in parts.items():
                    blocks.append(mesh, name)
                blocks.save(written)
            else:
                merged(parts).save(written)  # .stl and .obj drop the cell array: they cannot hold one
        except OSError as error:  # the private folder: the system's temporary folder is full
            raise failure(Path(private), error) from None
        if suffix == ".vtm":
            replace_folder(written.with_suffix(""), path.with_suffix(""))
        copy_into_place(written, path)
    return path
