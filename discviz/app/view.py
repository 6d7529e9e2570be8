"""The large 3D view: a pyvistaqt QtInteractor drawn by the SceneRenderer.

The mouse rotates and zooms freely. Once the presenter has moved the camera, redraws (a
new language, labels, a slider) keep the presenter's camera until the next step or R.
Keys never reach VTK (its own keys would quit, switch to wireframe, ...): the window's
shortcuts handle them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QVBoxLayout, QWidget

from discviz.app.glcheck import OpenGLUnavailable
from discviz.app.uitext import tr
from discviz.player.camera import angles
from discviz.player.viewstate import Camera, ViewState
from discviz.render.output import OutputError, atomic_write
from discviz.render.renderer import SceneRenderer
from discviz.scene.glossary import label as glossary_label

_INTERACTION_EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
                                 QEvent.Type.TouchBegin, QEvent.Type.Gesture})
_KEY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease})
CLICK_SLOP = 4  # pixels the mouse may move between press and release for a click (not a turn)


@dataclass(frozen=True)
class _CameraPose:
    position: tuple[float, ...]
    focal_point: tuple[float, ...]
    up: tuple[float, ...]


def _interactor(parent: QWidget):  # -> pyvistaqt.QtInteractor
    """Create the Qt/VTK widget; any failure becomes OpenGLUnavailable."""
    try:
        from pyvistaqt import QtInteractor

        return QtInteractor(parent, auto_update=False)
    except Exception as error:  # any failure here means "no 3D view"
        message = tr("The 3D view could not be created ({error}).").format(error=error)
        raise OpenGLUnavailable(message) from error


class SceneView(QWidget):
    """The 3D view and its renderer."""

    interacted = Signal()  # the presenter pressed a mouse button or turned the wheel on the view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plotter = _interactor(self)
        layout.addWidget(self.plotter)
        try:
            self.renderer = SceneRenderer(self.plotter)
        except Exception as error:
            message = tr("The 3D view could not be set up ({error}).").format(error=error)
            raise OpenGLUnavailable(message) from error
        self.plotter.installEventFilter(self)
        self.keep_camera = False
        self.frame: ViewState | None = None  # the last frame drawn, overrides applied
        self._reference: tuple[float, float] | None = None  # (zoom, distance) the renderer placed
        self._pending = False  # a frame waits for the view to get a size
        self.drawn = 0  # frames handed to the renderer
        self.closed = False
        self.picked: tuple[str, int] | None = None  # the structure clicked (name, view), labelled
        self._press: tuple[float, float] | None = None
        self._refit = QTimer(self)  # after a resize, fit the subject to the new shape once
        self._refit.setSingleShot(True)
        self._refit.setInterval(50)
        self._refit.timeout.connect(self._draw_again)
        self.setMinimumSize(320, 240)

    # -- drawing ---------------------------------------------------------------------

    def draw(self, frame: ViewState, with_text: bool = False, counter: str = "") -> None:
        """Show ``frame``; title and caption are left to the window unless ``with_text``.

        Before the view has a size on screen the frame waits, and is drawn once it has one.
        """
        if self.frame is not None and frame.step_id != self.frame.step_id:
            self.picked = None  # a clicked label belongs to the step it was clicked in
        self.frame = frame
        if self.closed:
            return
        if not self.has_size():
            self._pending = True
            return
        self._pending = False
        if self.drawn == 0:
            self.renderer.fit_anti_aliasing()  # OpenGL runs now; nothing was rendered yet
        self.drawn += 1
        shown = replace(frame, text_alpha=1.0) if with_text else replace(frame, title="", caption="")
        shown = self._with_picked(shown)
        pose = self._pose() if self.keep_camera else None
        self.renderer.show(shown, counter=counter if with_text else "")
        if not with_text and not frame.scope:  # the renderer leaves room for its caption band; the
            # window has its own (the scope's frustum is cut to its round picture: left as it is)
            self.plotter.camera.SetWindowCenter(0.0, 0.0)
        if pose is not None:
            self._set_pose(pose)
        else:
            self._reference = (frame.camera.zoom, self._distance())
        if self.drawn == 1 and self.plotter.isValid():
            # the first picture comes with its labels (later ones settle after they are painted)
            self.renderer.check_labels()
        elif self.plotter.isValid():
            # until they settle, no dot may sit on what turned in front of its structure
            self.renderer.follow_labels()
        self.plotter.update()  # painted from the event loop, once, however often draw() is called

    def _with_picked(self, frame: ViewState) -> ViewState:
        """The frame with the clicked structure's label added (in its language and register)."""
        if self.picked is None:
            return frame
        name, view = self.picked
        target = frame if view == 0 else frame.beside
        if target is None or target.opacity.get(name, 0.0) <= 0.01 or name in target.labels:
            return frame
        text = glossary_label(name, target.audience, target.language)
        labelled = replace(target, labels={**target.labels, name: (text, 1.0)})
        return labelled if view == 0 else replace(frame, beside=labelled)

    def pick(self, x: float, y: float) -> str | None:
        """Label the structure under the widget point (x, y) (logical pixels from the top-left),
        or clear the label on the background. Returns the structure's name.
        """
        if self.frame is None or not self.has_size():
            return None
        ratio = self.plotter.devicePixelRatioF()
        height = self.plotter.window_size[1]
        found = self.renderer.structure_at(x * ratio, height - y * ratio - 1)
        self.picked = found
        self.draw(self.frame)
        return found[0] if found else None

    def has_size(self) -> bool:
        """True once the render window has a real size (the widget is on screen), until closed."""
        if self.closed:
            return False
        width, height = self.plotter.window_size
        return width > 1 and height > 1

    def _draw_again(self) -> None:
        if self.frame is not None and self.has_size():
            self.draw(self.frame)

    def _draw_pending(self) -> None:
        if self._pending and self.frame is not None and self.has_size():
            self.draw(self.frame)

    def set_labels_visible(self, visible: bool) -> None:
        """Structure labels on or off."""
        self.renderer.set_labels_visible(visible)

    def grab_image(self) -> QImage:
        """The view as an image (renders now)."""
        return self.plotter.grabFramebuffer()

    def save_picture(self, path: Path, counter: str = "") -> Path:
        """Write the view with the title and caption on it, as ``discviz render`` draws them
        (whole or not at all; OutputError when the file cannot be written).
        """
        if self.frame is None:
            raise RuntimeError("nothing is on screen yet")
        frame = self.frame
        self.draw(frame, with_text=True, counter=counter)
        try:
            image = self.grab_image()
        finally:
            self.draw(frame)
        with atomic_write(path) as temporary:
            if not image.save(str(temporary), "PNG"):
                raise OutputError(path, "the picture could not be written")
        return path

    # -- camera ----------------------------------------------------------------------

    def current_camera(self) -> Camera:
        """The camera on screen now, as angles and zoom (to glide from it to the next step)."""
        camera = self.plotter.camera
        offset = np.asarray(camera.position, dtype=float) - np.asarray(camera.focal_point, dtype=float)
        azimuth, elevation = angles(offset)
        zoom = 1.0
        if self._reference is not None:
            reference_zoom, reference_distance = self._reference
            zoom = reference_zoom * reference_distance / max(float(np.linalg.norm(offset)), 1e-6)
        # the presenter may have panned: look where the camera looks now
        focal_point = tuple(float(v) for v in camera.focal_point)
        return Camera(azimuth, elevation, min(max(zoom, 0.05), 20.0) if math.isfinite(zoom) else 1.0,
                      focal_point, 1.0)  # type: ignore[arg-type]

    def _distance(self) -> float:
        camera = self.plotter.camera
        return float(np.linalg.norm(np.subtract(camera.position, camera.focal_point)))

    def _pose(self) -> _CameraPose:
        camera = self.plotter.camera
        return _CameraPose(tuple(camera.position), tuple(camera.focal_point), tuple(camera.up))

    def _set_pose(self, pose: _CameraPose) -> None:
        camera = self.plotter.camera
        camera.position = pose.position
        camera.focal_point = pose.focal_point
        camera.up = pose.up
        self.plotter.renderer.ResetCameraClippingRange()

    # -- events ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        """Note the presenter taking the camera; keep keys away from VTK."""
        kind = event.type()
        if kind == QEvent.Type.Paint and self.drawn == 0:
            return True  # nothing to show yet: skip a whole software render of an empty view
        if kind in _INTERACTION_EVENTS:
            self.keep_camera = True
            self.interacted.emit()
            if kind == QEvent.Type.MouseButtonPress:
                self._press = (event.position().x(), event.position().y())  # type: ignore[attr-defined]
        elif kind == QEvent.Type.MouseButtonRelease and self._press is not None:
            x, y = event.position().x(), event.position().y()  # type: ignore[attr-defined]
            if abs(x - self._press[0]) <= CLICK_SLOP and abs(y - self._press[1]) <= CLICK_SLOP:
                QTimer.singleShot(0, lambda: self.pick(x, y))  # after VTK has seen the release
            self._press = None
        elif kind in _KEY_EVENTS:
            return True
        elif kind in (QEvent.Type.Resize, QEvent.Type.Show):
            if self._pending:
                QTimer.singleShot(0, self._draw_pending)  # after the render window took the new size
            elif kind == QEvent.Type.Resize and self.frame is not None:
                self._refit.start()
        return super().eventFilter(watched, event)

    def close_view(self) -> None:
        """Release the OpenGL resources (before the window goes); drawing stops for good."""
        if self.closed:
            return
        self.closed = True
        self._refit.stop()
        self.plotter.removeEventFilter(self)
        self.plotter.close()
