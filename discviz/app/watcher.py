"""Live reload: tell the window when a scene file (or its local preset) changes on disk.

Editors often save by writing a new file and renaming it over the old one; the watcher
then loses the path, so the folder is watched too and the file is added again. Changes
are debounced and compared by content, so one save gives one reload.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

DEBOUNCE_MS = 250


def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing\0")
    return digest.hexdigest()


class SceneWatcher(QObject):
    """Watches a few files; emits ``changed`` once per real change."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._poke)
        self._watcher.directoryChanged.connect(self._poke)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._check)
        self.paths: tuple[Path, ...] = ()
        self._seen = ""

    def watch(self, paths: Iterable[Path]) -> None:
        """Watch these files (and their folders) instead of the ones before."""
        old = self._watcher.files() + self._watcher.directories()
        if old:
            self._watcher.removePaths(old)
        self.paths = tuple(dict.fromkeys(Path(p).absolute() for p in paths))
        self._seen = _digest(self.paths)
        self._rewatch()

    def _rewatch(self) -> None:
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        wanted = [str(p) for p in self.paths if p.exists()]
        wanted += [str(p.parent) for p in self.paths if p.parent.is_dir()]
        missing = [p for p in dict.fromkeys(wanted) if p not in watched]
        if missing:
            self._watcher.addPaths(missing)

    def _poke(self, _path: str = "") -> None:
        self._timer.start()

    def _check(self) -> None:
        self._rewatch()  # re-add a file an editor replaced
        if not all(p.exists() for p in self.paths):
            return  # mid-save: the folder will change again when the new file lands
        seen = _digest(self.paths)
        if seen != self._seen:
            self._seen = seen
            self.changed.emit()
