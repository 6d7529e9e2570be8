"""The package's layers import only downward, and the lower ones need no VTK or Qt."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    command = [str(exe) if exe.exists() else shutil.which("lint-imports") or "lint-imports"]
    result = subprocess.run([*command, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_lower_layers_import_without_vtk_or_qt() -> None:
    # A finder that refuses the heavy libraries proves geometry, scene and player can run
    # in a headless job that has neither VTK nor Qt installed.
    code = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'pyvista', 'vtk', 'vtkmodules', 'PySide6', 'pyvistaqt'}:
            raise ImportError('refused: ' + name)
        return None
sys.meta_path.insert(0, Refuse())
import discviz.geometry, discviz.scene, discviz.player
import pkgutil, importlib
for pkg in (discviz.geometry, discviz.scene, discviz.player):
    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(pkg.__name__ + '.' + info.name)
print('ok')
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
