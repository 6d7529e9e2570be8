"""Step thumbnails, rendered by `discviz render --bare` in a separate process so the window
stays responsive (and so offscreen VTK never shares the window's OpenGL context).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

THUMBNAIL_SIZE = "192x108"
DELAY_MS = 1500  # let the first frame and the presenter's first steps have the machine


class ThumbnailMaker(QObject):
    """Renders one small picture per step; ``ready`` carries the files in step order."""

    ready = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = tempfile.TemporaryDirectory(prefix="discviz-thumbs-")
        self._process: QProcess | None = None
        self._count = 0
        self._serial = 0
        self._job: tuple[str, str, str, int, tuple[str, ...]] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self._start)

    def make(self, scene_ref: str, language: str, audience: str, count: int, delay: bool = True,
             model: list[str] | None = None) -> None:
        """Render soon (a running job for an older scene is dropped); ``model``: --preset and
        --set arguments for the patient's disc.
        """
        self.stop()
        self._job = (scene_ref, language, audience, count, tuple(model or ()))
        if delay:
            self._timer.start()
        else:
            self._start()

    def _start(self) -> None:
        if self._job is None:
            return
        scene_ref, language, audience, count, model = self._job
        self._serial += 1
        folder = Path(self._folder.name) / str(self._serial)
        process = QProcess(self)
        process.setProgram(sys.executable)
        process.setArguments(["-m", "discviz", "render", scene_ref, "-o", str(folder), "--bare",
                              "--size", THUMBNAIL_SIZE, "--lang", language, "--audience", audience,
                              *model])
        process.finished.connect(lambda code, _status, f=folder: self._done(code, f))
        self._process, self._count = process, count
        process.start()

    def _done(self, code: int, folder: Path) -> None:
        if code == 0 and folder.is_dir():
            pictures = sorted(folder.glob("*.png"))
            if len(pictures) == self._count:
                self.ready.emit(pictures)
                self._forget_older(folder)

    def _forget_older(self, keep: Path) -> None:
        """Delete the pictures of earlier jobs (every reload and language change makes new ones)."""
        for folder in Path(self._folder.name).iterdir():
            if folder != keep:
                shutil.rmtree(folder, ignore_errors=True)

    def stop(self) -> None:
        """Stop a running or waiting job."""
        self._timer.stop()
        process, self._process = self._process, None
        if process is None:
            return
        if process.state() != QProcess.ProcessState.NotRunning:
            process.finished.disconnect()
            process.kill()
            process.waitForFinished(2000)
        process.deleteLater()  # one QProcess per job: they would pile up over a lecture

    def close(self) -> None:
        """Stop and delete the pictures."""
        self.stop()
        self._folder.cleanup()
