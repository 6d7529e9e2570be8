"""Live reload: tell the window when a scene file (or its local preset) changes on disk.

Editors often save by writing a new file and renaming it over the old one; the watcher
then loses the path, so the folder is watched too and the file is added again. Changes
are debounced and compared by content, so one save gives one reload.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from discviz.errors import InputError
from discviz.userfiles import read_user_file

DEBOUNCE_MS = 250
MAX_READ_BYTES = 16 * 1024 * 1024  # above the largest scene, preset or picture discviz accepts


def _fingerprint(path: Path) -> bytes:
    """What a file is now. Only a regular file of sensible size is read: a named pipe or a
    device put in a scene's place must not hang or fill the viewer (the reload then says
    what it is). Larger files count by size and time.
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return b"\0missing\0"
    if not stat.S_ISREG(info.st_mode):
        return f"\0special {info.st_mode} {info.st_mtime_ns}\0".encode()
    if info.st_size > MAX_READ_BYTES:
        return f"\0large {info.st_size} {info.st_mtime_ns}\0".encode()
    try:
        return read_user_file(path, MAX_READ_BYTES)
    except InputError:  # swapped for something else in between: the next look sees it
        return b"\0unreadable\0"


def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(hashlib.sha256(_fingerprint(path)).digest())
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
