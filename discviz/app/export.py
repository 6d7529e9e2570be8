"""Exports from the viewer: the 3D model as glTF, and the whole explanation as a video.

The video is made by ``discviz render`` in a separate process (QProcess), so the window
stays responsive and the export can be cancelled. Its progress lines on stderr move the
progress bar.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

from PySide6.QtCore import QObject, QProcess, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from discviz.app.uitext import Phrase, phrase, tr, tr_noop
from discviz.geometry import build_surfaces
from discviz.player.viewstate import ViewState
from discviz.render.convert import to_polydata
from discviz.render.mesh_export import write_mesh

VIDEO_SIZES: tuple[str, ...] = ("1920x1080", "1280x720", "3840x2160")
_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")
_PHASE = re.compile(r"^\s*(\w+)\s*\[")
#: ``discviz render`` first draws the step pictures, then the video: their shares of the bar
PHASES = {"steps": (0.0, 0.15), "video": (0.15, 0.85), "pictures": (0.0, 0.9), "pages": (0.9, 0.1)}
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def export_model(frame: ViewState, path: Path) -> Path:
    """Write the structures on screen (at the frame's state and parameters) as .glb."""
    surfaces = build_surfaces(frame.disc_state, frame.params, frame.progress)
    parts = {name: to_polydata(surface) for name, surface in surfaces.items()
             if frame.opacity.get(name, 0.0) > 0.01}
    if not parts:
        raise ValueError(tr("Nothing is visible to export."))
    # the save dialog has asked before replacing a file
    return write_mesh(parts, path, frame.params.f("nucleus.hydration"), overwrite=True)


class ExportJob(Protocol):
    """What a background export runs: ``python ARGUMENTS`` writing ``output``."""

    output: Path

    def arguments(self, pictures: Path) -> list[str]:
        """The arguments, given a scratch folder."""
        ...


@dataclass(frozen=True)
class VideoJob:
    """What to render."""

    scene: Path
    output: Path
    size: str = "1920x1080"
    language: str | None = None
    audience: str | None = None
    fps: int = 30
    model: tuple[str, ...] = ()  # --preset and --set arguments: the patient's disc

    def arguments(self, pictures: Path) -> list[str]:
        """Arguments of ``python -m discviz render``."""
        args = ["-m", "discviz", "render", str(self.scene), "-o", str(pictures),
                "--video", str(self.output), "--size", self.size, "--fps", str(self.fps),
                "--overwrite"]  # the save dialog has asked before replacing a file
        if self.language:
            args += ["--lang", self.language]
        if self.audience:
            args += ["--audience", self.audience]
        return args + list(self.model)


def parse_progress(text: str) -> float | None:
    """The last ``N/M`` or ``NN%`` in a chunk of stderr, as 0..1 (None if there is none).

    A line such as ``video [#####     ] 12/30`` counts within its phase (:data:`PHASES`).
    """
    lines = [line for line in re.split(r"[\r\n]+", text) if _FRACTION.search(line)]
    if lines:
        done, total = (int(v) for v in _FRACTION.findall(lines[-1])[-1])
        if not total:
            return None
        share = min(done / total, 1.0)
        phase = _PHASE.match(lines[-1])
        if phase and phase.group(1) in PHASES:
            start, width = PHASES[phase.group(1)]
            return start + width * share
        return share
    percents = _PERCENT.findall(text)
    if percents:
        return min(float(percents[-1]) / 100.0, 1.0)
    return None


class VideoExport(QObject):
    """One running ``discviz render --video``; ``program`` can be swapped (tests)."""

    MESSAGES: ClassVar[dict[str, str]] = {  # the words of this kind of export (the handout has its own)
        "cancelled": tr_noop("The video export was cancelled."), "saved": tr_noop("Video saved: {path}"),
        "failed": tr_noop("The video could not be made:\n{detail}"),
        "no_start": tr_noop("The video export could not start ({reason})."),
        "making": tr_noop("Making the video…"), "title": tr_noop("Export video"),
    }

    progress = Signal(object, str)  # fraction 0..1 or None, the last line of stderr
    done = Signal(bool, object)  # success, message (a Phrase: said in the language of the moment)

    def __init__(self, job: ExportJob, parent: QObject | None = None, program: str | None = None,
                 arguments: list[str] | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self._pictures = Path(tempfile.mkdtemp(prefix="discviz-video-"))
        self.program = program or sys.executable
        self.arguments = arguments if arguments is not None else job.arguments(self._pictures)
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self.process.readyReadStandardError.connect(self._read)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._error)
        self.cancelled = False
        self._tail: list[str] = []
        self._reported = False

    def start(self) -> None:
        """Start the render process."""
        self.process.start(self.program, self.arguments)

    def cancel(self) -> None:
        """Stop the render process."""
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self.cancelled = True
            self.process.kill()

    @property
    def running(self) -> bool:
        """True until the process ends."""
        return self.process.state() != QProcess.ProcessState.NotRunning

    def _read(self) -> None:
        text = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
        lines = [line.strip() for line in re.split(r"[\r\n]+", text) if line.strip()]
        self._tail = (self._tail + lines)[-12:]
        self.progress.emit(parse_progress(text), lines[-1] if lines else "")

    def _finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        self._read()
        shutil.rmtree(self._pictures, ignore_errors=True)
        if self.cancelled:
            self._report(False, phrase(self.MESSAGES["cancelled"]))
        elif code == 0 and self.job.output.is_file():
            self._report(True, phrase(self.MESSAGES["saved"], path=self.job.output))
        else:
            detail = "\n".join(self._tail[-6:]) or phrase("exit code {code}", code=code)
            self._report(False, phrase(self.MESSAGES["failed"], detail=detail))

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            shutil.rmtree(self._pictures, ignore_errors=True)
            self._report(False, phrase(self.MESSAGES["no_start"], reason=self.process.errorString()))

    def _report(self, ok: bool, message: Phrase) -> None:
        if not self._reported:
            self._reported = True
            self.done.emit(ok, message)


class VideoProgressDialog(QProgressDialog):
    """A progress bar that does not block the window; Cancel stops the render; closes when done."""

    def __init__(self, video: VideoExport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages = video.MESSAGES
        self.setRange(0, 0)
        self._line = ""
        self.retranslate()
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.canceled.connect(video.cancel)
        video.progress.connect(self.show_progress)
        video.done.connect(self._done)

    def show_progress(self, fraction: float | None, line: str) -> None:
        """Move the bar (busy when the share is unknown) and show the last line."""
        if fraction is None:
            self.setRange(0, 0)
        else:
            self.setRange(0, 1000)
            self.setValue(int(fraction * 1000))
        if line:
            self._line = line[:120]
            self.setLabelText(f"{tr(self.messages['making'])}\n{self._line}")

    def retranslate(self) -> None:
        """Title, text and button in the current language."""
        self.setWindowTitle(tr(self.messages["title"]))
        self.setLabelText(f"{tr(self.messages['making'])}\n{self._line}".rstrip())
        self.setCancelButtonText(tr("Cancel"))

    def _done(self, _ok: bool, _message: object) -> None:
        self.close()
        self.deleteLater()
