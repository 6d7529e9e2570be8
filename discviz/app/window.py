"""The viewer's main window: puts the parts together and routes every action.

Layout: a problem banner on top; the step list on the left; the large 3D view with the
caption panel under it; the navigation bar at the bottom; the instructor panel as a dock.
The window listens to :class:`Playback` (which asks the player for frames) and draws each
frame with the presenter's overrides; it never computes geometry itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from discviz.app import export
from discviz.app.actions import build_actions, retranslate_actions, show_keys_dialog
from discviz.app.banner import ProblemBanner
from discviz.app.caption import CaptionPanel
from discviz.app.files import os_error_phrase, output_problem
from discviz.app.handout_export import HandoutDialog, HandoutExport, HandoutJob
from discviz.app.instructor import InstructorPanel
from discviz.app.menus import ViewerMenus
from discviz.app.overrides import FrameOverrides
from discviz.app.patient import PatientPanel
from discviz.app.playback import Playback
from discviz.app.safety import guarded, print_error
from discviz.app.settings import ViewerSettings
from discviz.app.steps import AUDIENCE_NAMES, NavigationBar, StepList, language_name
from discviz.app.thumbnails import ThumbnailMaker
from discviz.app.typography import caption_pixels, set_pixel_size
from discviz.app.uitext import Phrase, phrase, set_ui_language, tr, tr_noop
from discviz.app.view import SceneView
from discviz.app.watcher import SceneWatcher
from discviz.errors import InputError
from discviz.geometry.params import Value
from discviz.geometry.presets import PRESET_NAMES, load_preset
from discviz.player.focus import close_up
from discviz.player.frame import Player
from discviz.player.viewstate import ViewState
from discviz.render.export import step_stem
from discviz.render.output import atomic_write
from discviz.scene.load import load_scene
from discviz.scene.model import AUDIENCES, Scene
from discviz.scene.patient import Patient, is_patient_file, load_patient, save_patient

REDRAW_MS = 33  # slider drags and toggles redraw at most this often
#: the least room for the window's content (a 1366x768 laptop has room to spare): the
#: window's minimum is this or what its buttons need in the chosen language, whichever is more
MINIMUM_CONTENT = QSize(800, 500)
RELOAD_HEADING = tr_noop("The scene file has a problem. The last good version stays on screen until it is "
                         "fixed:")
CUTAWAY_NAMES = {"none": tr_noop("none"), "axial": tr_noop("axial"), "sagittal": tr_noop("sagittal"),
                 "coronal": tr_noop("coronal"), "quadrant": tr_noop("quadrant")}


class _WriteFailed(Exception):
    """An export's writer failed with ``error`` (carried past atomic_write, which would
    turn it into English words).
    """

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def scene_paths(scene: Scene) -> list[Path]:
    """The files a scene is made of (to watch for changes): the scene, its preset, its pictures."""
    paths = [scene.source] if scene.source is not None else []
    preset = Path(scene.preset)
    if preset.suffix == ".toml" and preset.is_absolute():
        paths.append(preset)
    paths += [step.image for step in scene.steps if step.image is not None]
    return list(dict.fromkeys(paths))


class ViewerWindow(QMainWindow):
    """The desktop viewer."""

    first_frame = Signal()  # the first frame reached the screen

    def __init__(self, scene: Scene, scene_ref: str, *, language: str | None = None,
                 audience: str | None = None, start_index: int = 0,
                 settings: ViewerSettings | None = None, speed: float = 1.0,
                 patient: Patient | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else ViewerSettings()
        self.scene = scene
        self.scene_ref = scene_ref
        self.language = language if language in scene.languages else scene.languages[0]
        self.audience = audience if audience in AUDIENCES else scene.audience
        self.overrides = FrameOverrides()
        self.preset_name = ""  # the instructor's preset; "" = the scene's own
        self.labels_visible = True
        self.black = False
        self.video: export.VideoExport | None = None
        self.handout: HandoutExport | None = None
        self.patient: Patient | None = patient  # the report's values, over every step
        self.video_dialog: export.VideoProgressDialog | None = None
        self._frames_painted = 0
        self._instructor_was_visible = False
        self.export_error: QMessageBox | None = None  # the last export's failure, while shown
        set_ui_language(self.language)  # the parts below are built in it

        self.banner = ProblemBanner()
        self.view = SceneView()  # OpenGLUnavailable when the 3D view cannot start
        self.caption = CaptionPanel()
        self.step_list = StepList()
        self.nav = NavigationBar()
        self.instructor = InstructorPanel(self)
        self.patient_panel = PatientPanel(self)
        self._build_layout()

        self.playback = Playback(self._make_player(), self, speed)
        self.playback.frame_ready.connect(self._draw)
        self.playback.step_changed.connect(self._show_step)
        self.playback.finished.connect(self._settled)
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw_now)
        self.watcher = SceneWatcher(self)
        self.watcher.changed.connect(self.reload)
        self.thumbnails = ThumbnailMaker(self)
        self.thumbnails.ready.connect(self.step_list.set_thumbnails)

        self._connect_widgets()
        self.actions = self._build_actions()
        self.menus = ViewerMenus(self, self.actions, go_to=self.go_to, set_language=self.set_language,
                                 set_audience=self.set_audience, open_scene=self.open_scene,
                                 recent=lambda: self.settings.recent)
        self._restore_settings()
        self._apply_scene(start_index)
        self.view.plotter.frameSwapped.connect(self._painted)

    def retranslate(self) -> None:
        """Every part's own words in the current language (after a change of language)."""
        retranslate_actions(self.actions)
        self.menus.retranslate()
        self.nav.retranslate()
        self.banner.retranslate()
        self.instructor.retranslate()
        if self.video_dialog is not None:
            self.video_dialog.retranslate()
        self.statusBar().clearMessage()  # a message of the other language would linger
        self._sync_switches()

    # -- building ---------------------------------------------------------------------

    def _build_layout(self) -> None:
        self.setWindowTitle("discviz")
        # no setMinimumSize on the window: then Qt keeps it at least as large as its layouts
        # need, so no button is ever narrower than its text (in either language)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.view, 1)
        column.addWidget(self.caption, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.step_list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([300, 1300])
        self._step_list_width = 10**6  # as wide as allowed, until the presenter drags the splitter
        self.splitter.splitterMoved.connect(self._splitter_moved)
        content = QWidget()
        main = QVBoxLayout(content)
        main.setContentsMargins(0, 0, 0, 0)
        main.setSpacing(0)
        main.addWidget(self.banner)
        main.addWidget(self.splitter, 1)
        main.addWidget(self.nav)
        self.black_page = QWidget()
        self.black_page.setStyleSheet("background: black;")
        self.black_page.setCursor(Qt.CursorShape.BlankCursor)
        self.stack = QStackedWidget()
        self.stack.setMinimumSize(MINIMUM_CONTENT)
        self.stack.addWidget(content)
        self.stack.addWidget(self.black_page)
        self.setCentralWidget(self.stack)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.instructor)
        self.instructor.hide()
        # made now, not at the first message: the view does not jump when one comes
        self.statusBar().setSizeGripEnabled(False)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.patient_panel)
        self.patient_panel.hide()

    def _connect_widgets(self) -> None:
        self.view.interacted.connect(self._presenter_took_camera)
        self.step_list.step_chosen.connect(self.go_to)
        self.nav.previous_clicked.connect(self.previous_step)
        self.nav.next_clicked.connect(self.next_step)
        self.nav.language.chosen.connect(self.set_language)
        self.nav.audience.chosen.connect(self.set_audience)
        self.instructor.param_changed.connect(self.set_param)
        self.instructor.preset_chosen.connect(self.set_preset)
        self.instructor.reset_requested.connect(self.reset_model)
        self.instructor.visibilityChanged.connect(self._instructor_visibility)
        self.patient_panel.patient_changed.connect(self.set_patient)
        self.patient_panel.save_requested.connect(self.save_patient)
        self.patient_panel.open_requested.connect(self.open_patient_dialog)
        self.patient_panel.visibilityChanged.connect(
            lambda visible: self.actions["patient"].setChecked(visible))

    def _build_actions(self) -> dict[str, QAction]:
        slots = {
            "next": self.next_step, "previous": self.previous_step, "first": self.first_step,
            "last": self.last_step, "black": self.toggle_black, "fullscreen": self.toggle_fullscreen,
            "leave": self.leave, "labels": self.toggle_labels, "cutaway": self.cycle_cutaway,
            "reset_view": self.reset_view, "close_up": self.toggle_close_up,
            "instructor": self.toggle_instructor, "patient": self.toggle_patient,
            "handout": self.export_handout,
            "step_list": self.toggle_step_list, "open": self.open_scene_dialog, "reload": self.reload,
            "screenshot": self.save_picture, "video": self.export_video, "model": self.export_model,
            "quit": self.close, "keys": self.show_keys, "about": self.show_about,
        }
        actions = build_actions(self, slots)
        actions["labels"].setChecked(True)
        actions["step_list"].setChecked(True)
        for action in actions.values():
            self.addAction(action)  # shortcuts work while the menu bar is hidden
        return actions

    def _sync_switches(self) -> None:
        self.nav.language.set_choices([(c, language_name(c)) for c in self.scene.languages], self.language)
        self.nav.audience.set_choices([(a, tr(AUDIENCE_NAMES[a])) for a in AUDIENCES], self.audience)
        self.menus.check(self.language, self.audience)

    def _restore_settings(self) -> None:
        geometry = self.settings.geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self._default_size()
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)
        self.instructor.hide()  # hidden at start, whatever it was
        self.patient_panel.show_patient(self.patient)
        self.patient_panel.setVisible(self.patient is not None)  # shown when opened for a patient

    def _default_size(self) -> None:
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 800)
            return
        area = screen.availableGeometry()
        self.resize(int(area.width() * 0.9), int(area.height() * 0.9))
        self.move(area.center() - self.rect().center())

    # -- the scene and the player -----------------------------------------------------

    def _make_player(self) -> Player:
        preset = self.preset_name or (self.patient.preset if self.patient is not None else "")
        base = load_preset(preset) if preset else None
        over = dict(self.patient.params) if self.patient is not None else {}
        return Player(self.scene, self.language, self.audience, reading=True, base_params=base,
                      overrides=over)

    def model_arguments(self) -> list[str]:
        """``--preset`` and ``--set`` arguments that give `discviz render` and `discviz handout`
        the model on screen: the patient's values, then the instructor's changes.
        """
        preset = self.preset_name or (self.patient.preset if self.patient is not None else "")
        args = ["--preset", preset] if preset else []
        values = {**(self.patient.params if self.patient is not None else {}), **self.overrides.params}
        for key, value in values.items():
            text = ("true" if value else "false") if isinstance(value, bool) else str(value)
            args += ["--set", f"{key}={text}"]
        return args

    def _apply_scene(self, index: int) -> None:
        """Show the current scene (new or reloaded) at step ``index``, at rest."""
        self.playback.set_player(self._make_player(), index)
        self.menus.set_steps(self._step_titles())
        self.menus.set_languages(self.scene.languages)
        self._sync_switches()
        self._update_titles()
        self.watcher.watch(scene_paths(self.scene))
        self._make_thumbnails()
        self._check_fonts()

    def _make_thumbnails(self) -> None:
        ref = str(self.scene.source) if self.scene.source is not None else self.scene_ref
        self.thumbnails.make(ref, self.language, self.audience, len(self.scene.steps),
                             model=self.model_arguments())

    def _step_titles(self) -> list[str]:
        player = self.playback.player
        return [player.text(step, "title") or step.id for step in self.scene.steps]

    def _update_titles(self) -> None:
        titles = self._step_titles()
        self.step_list.set_titles(titles)
        self.step_list.set_current(self.playback.index)
        self.menus.retitle_steps(titles)
        title = self.scene.title.get(self.language, self.scene.languages)
        self.setWindowTitle(f"{title} — discviz" if title else "discviz")

    def _rebuild_player(self) -> None:
        """Same step, new language, audience or parameters."""
        self.playback.set_player(self._make_player())
        self._update_titles()
        self.patient_panel.set_language(self.language)
        self._check_fonts()

    def _check_fonts(self) -> None:
        """Say plainly when the labels in the 3D view need glyphs no font here has."""
        from discviz.app.uitext import tr
        from discviz.render.fonts import font_problem

        problem = font_problem(self.language, self.playback.player.texts())
        if problem is not None:
            self.banner.show_problems(tr("Some words cannot be drawn on this machine:"), [problem])

    # -- drawing ----------------------------------------------------------------------

    def _draw(self, frame: ViewState) -> None:
        try:
            self.view.draw(self.overrides.apply(frame))
        except Exception as error:  # keep the last picture, say what went wrong
            self.playback.finish()
            self.report_error(error, "drawing the 3D view")

    def _show_step(self, index: int) -> None:
        step = self.scene.steps[index]
        player = self.playback.player
        self.caption.set_text(player.text(step, "title"), player.text(step, "caption"))
        self.step_list.set_current(index)
        self.nav.set_step(index, len(self.scene.steps))

    def _settled(self, _index: int) -> None:
        if self.instructor.isVisible() and self.view.frame is not None:
            self.instructor.show_values(self.view.frame.params)

    def _painted(self) -> None:
        if not self.view.drawn:
            return  # the empty view before the first frame was drawn into it
        self._frames_painted += 1
        if self._frames_painted == 1:
            self.first_frame.emit()
            if self.view.plotter.render_window is None:
                return  # a listener closed the window (Qt 6's quit closes every window first)
        if not self.playback.animating and self.view.renderer.check_labels():
            self.view.plotter.update()  # a label moved off a hidden point: paint it there

    def redraw(self) -> None:
        """Draw the current frame again soon: at most once per frame interval while a slider is
        dragged (a running animation draws the change with its next frame anyway).
        """
        if not self.playback.animating and not self._redraw_timer.isActive():
            self._redraw_timer.start()

    @guarded(tr_noop("drawing the 3D view"))
    def _redraw_now(self) -> None:
        if not self.playback.animating:
            self._draw(self.playback.current_frame())

    def _presenter_took_camera(self) -> None:
        self.playback.finish()  # a running transition jumps to its end; the camera stays

    def _camera_now(self):  # -> Camera | None
        return self.view.current_camera() if self.view.frame is not None else None

    # -- stepping ---------------------------------------------------------------------

    @guarded(tr_noop("changing the step"))
    def go_to(self, index: int) -> None:
        """Go to step ``index`` (0-based), animating the way there."""
        self.overrides.cutaway = None
        self._set_close_up(False)
        camera = self._camera_now()
        self.view.keep_camera = False
        self.playback.go_to(index, camera)

    def next_step(self) -> None:
        """One step on."""
        if self.playback.index < self.playback.count - 1:
            self.go_to(self.playback.index + 1)

    def previous_step(self) -> None:
        """One step back."""
        if self.playback.index > 0:
            self.go_to(self.playback.index - 1)

    def first_step(self) -> None:
        """The first step."""
        self.go_to(0)

    def last_step(self) -> None:
        """The last step."""
        self.go_to(self.playback.count - 1)

    # -- presenter actions --------------------------------------------------------------

    @guarded(tr_noop("switching the black screen"))
    def toggle_black(self) -> None:
        """Black screen and back (B or .)."""
        self.black = not self.black
        if self.black:
            self._instructor_was_visible = self.instructor.isVisible()
            self.instructor.hide()
        elif self._instructor_was_visible:
            self.instructor.show()
        self.stack.setCurrentIndex(1 if self.black else 0)
        self.menuBar().setVisible(not self.black)
        self.statusBar().clearMessage()
        self.statusBar().setVisible(not self.black)  # nothing but black, not even a message

    @guarded(tr_noop("switching full screen"))
    def toggle_fullscreen(self) -> None:
        """Full screen and back (F or F11)."""
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.actions["fullscreen"].setChecked(self.isFullScreen())

    def leave(self) -> None:
        """Esc: leave the black screen, else full screen."""
        if self.black:
            self.toggle_black()
        elif self.isFullScreen():
            self.toggle_fullscreen()

    @guarded(tr_noop("switching the labels"))
    def toggle_labels(self) -> None:
        """Structure labels on and off (L)."""
        self.labels_visible = not self.labels_visible
        self.actions["labels"].setChecked(self.labels_visible)
        self.view.set_labels_visible(self.labels_visible)
        self.redraw()

    @guarded(tr_noop("changing the cutaway"))
    def cycle_cutaway(self) -> None:
        """Next cutaway (C), over the step's own until the step changes."""
        current = self.view.frame.cutaway if self.view.frame is not None else "none"
        chosen = self.overrides.next_cutaway(current)
        self.statusBar().showMessage(tr("Cutaway: {name}").format(name=tr(CUTAWAY_NAMES[chosen])), 2500)
        self.redraw()

    @guarded(tr_noop("resetting the view"))
    def reset_view(self) -> None:
        """Back to the step's own camera and cutaway (R)."""
        self.overrides.cutaway = None
        self._set_close_up(False)
        camera = self._camera_now()
        self.view.keep_camera = False
        self.playback.reset_view(camera)

    @guarded(tr_noop("changing the close-up"))
    def toggle_close_up(self) -> None:
        """Glide in to the tear and back out (Z); the next step or R leaves the close-up."""
        self._set_close_up(self.playback.camera_filter is None)
        camera = self._camera_now()
        self.view.keep_camera = False
        self.playback.reset_view(camera)

    def _set_close_up(self, on: bool) -> None:
        # on the frame as drawn: the instructor's sliders may have moved the tear
        self.playback.camera_filter = (lambda frame: close_up(self.overrides.apply(frame))) if on else None
        self.actions["close_up"].setChecked(on)

    def toggle_instructor(self) -> None:
        """Show or hide the instructor panel."""
        self.instructor.setVisible(not self.instructor.isVisible())

    def _instructor_visibility(self, visible: bool) -> None:
        self.actions["instructor"].setChecked(visible)
        if visible and self.view.frame is not None:
            self.instructor.show_values(self.view.frame.params)

    def toggle_patient(self) -> None:
        """Show or hide the "This patient" panel."""
        self.patient_panel.setVisible(not self.patient_panel.isVisible())

    @guarded("setting the patient's disc")
    def set_patient(self, patient: Patient | None) -> None:
        """The report's values on every step (None: the explanation's own disc): the whole
        explanation is drawn again for this patient, step list pictures included.
        """
        self.patient = patient
        self._rebuild_player()
        self._make_thumbnails()

    @guarded("opening a patient")
    def open_patient(self, path: str | Path) -> bool:
        """Read a patient file and show the explanation on screen for that patient."""
        try:
            patient = load_patient(path)
        except InputError as error:
            self.banner.show_problems(tr("Could not open {ref}:").format(ref=path),
                                      [str(p) for p in error.problems])
            return False
        self.patient_panel.show_patient(patient)
        self.patient_panel.show()
        self.set_patient(patient)
        self.banner.clear()
        self.settings.add_recent(str(path))
        return True

    def open_patient_dialog(self) -> None:
        """Choose a patient file."""
        path, _ = QFileDialog.getOpenFileName(self, tr("Open patient"), str(Path.home()),
                                              tr("Patient files (*.toml)"))
        if path:
            self.open_patient(path)

    @guarded("saving the patient")
    def save_patient(self, path: Path | None = None) -> Path | None:
        """Save the panel's values (the parameters and the label, nothing else)."""
        patient = self.patient if self.patient is not None else Patient()
        if patient.preset not in PRESET_NAMES:  # a preset file of its own: the file keeps no paths
            patient = Patient("", patient.params, patient.label)
        if path is None:
            stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in (patient.label or "patient"))
            path = self._ask_save(tr("Save patient"), f"{stem.strip('-') or 'patient'}.toml",
                                  tr("Patient files (*.toml)"))
        if path is None:
            return None
        if path.suffix.lower() != ".toml":
            path = path.with_suffix(".toml")
        save_patient(patient, path)
        self.settings.add_recent(str(path))
        self.statusBar().showMessage(tr("Patient saved: {path}").format(path=path), 5000)
        return path

    def toggle_step_list(self) -> None:
        """Show or hide the step list."""
        self.step_list.setVisible(not self.step_list.isVisible())
        self.actions["step_list"].setChecked(self.step_list.isVisible())

    # -- language, audience, model ----------------------------------------------------

    @guarded(tr_noop("changing the language"))
    def set_language(self, code: str) -> None:
        """Captions and labels in ``code`` (one of the scene's languages)."""
        if code not in self.scene.languages or code == self.language:
            self._sync_switches()
            return
        self.language = code
        self.settings.language = code
        set_ui_language(code)
        self.retranslate()
        self._rebuild_player()

    def _use_language(self, code: str) -> None:
        """A scene without the current language: its first, for captions and the viewer's words."""
        self.language = code
        set_ui_language(code)
        self.retranslate()

    @guarded(tr_noop("changing the audience"))
    def set_audience(self, audience: str) -> None:
        """Words for a patient or a clinician."""
        if audience not in AUDIENCES or audience == self.audience:
            self._sync_switches()
            return
        self.audience = audience
        self.settings.audience = audience
        self._rebuild_player()
        self._sync_switches()

    @guarded(tr_noop("changing the model"))
    def set_param(self, key: str, value: Value) -> None:
        """A slider moved: override one parameter on every step."""
        self.overrides.params[key] = value
        self.redraw()

    @guarded(tr_noop("changing the preset"))
    def set_preset(self, name: str) -> None:
        """Another disc level ("" = the scene's own)."""
        self.preset_name = name
        self._rebuild_player()

    @guarded(tr_noop("going back to the scene's values"))
    def reset_model(self) -> None:
        """Drop every slider change and the preset choice."""
        self.overrides.params.clear()
        self.instructor.show_preset("")
        self.preset_name = ""
        self._rebuild_player()

    # -- scenes -----------------------------------------------------------------------

    @guarded(tr_noop("opening a scene"))
    def open_scene_dialog(self) -> None:
        """Choose a scene file."""
        folder = str(self.scene.source.parent) if self.scene.source is not None else ""
        path, _ = QFileDialog.getOpenFileName(self, tr("Open scene"), folder, tr("Scenes (*.toml)"))
        if path:
            self.open_scene(path)

    @guarded(tr_noop("opening a scene"))
    def open_scene(self, ref: str) -> bool:
        """Show the scene ``ref`` (bundled name or file) from its first step; a patient file
        sets the disc of the explanation on screen instead.
        """
        if is_patient_file(ref):
            return self.open_patient(ref)
        try:
            scene = load_scene(ref)
        except InputError as error:
            self.banner.show_problems(phrase("Could not open {ref}:", ref=ref),
                                      [str(p) for p in error.problems])
            return False
        self.scene = scene
        self.scene_ref = ref
        if self.language not in scene.languages:
            self._use_language(scene.languages[0])
        self.overrides.cutaway = None
        self.view.keep_camera = False
        self.banner.clear()
        self._apply_scene(0)
        self.settings.last_scene = ref
        self.settings.add_recent(ref)
        return True

    @guarded(tr_noop("reloading the scene"))
    def reload(self) -> None:
        """Read the scene file again; a broken file keeps the last good scene on screen."""
        source = self.scene.source
        if source is None:
            return
        try:
            scene = load_scene(source)
        except InputError as error:
            self.banner.show_problems(phrase(RELOAD_HEADING), [str(p) for p in error.problems])
            self.watcher.watch(scene_paths(self.scene))
            return
        old = self.scene.steps[self.playback.index].id
        ids = [step.id for step in scene.steps]
        index = ids.index(old) if old in ids else min(self.playback.index, len(ids) - 1)
        self.scene = scene
        if self.language not in scene.languages:
            self._use_language(scene.languages[0])
        self.banner.clear()
        self._apply_scene(index)
        self.statusBar().showMessage(tr("Scene reloaded"), 2500)

    # -- exports ----------------------------------------------------------------------

    def _ask_save(self, title: str, name: str, filters: str) -> Path | None:
        folder = Path.home() / name
        path, _ = QFileDialog.getSaveFileName(self, title, str(folder), filters)
        return Path(path) if path else None

    def _step_name(self) -> str:
        index = self.playback.index
        return step_stem(index, len(self.scene.steps), self.scene.steps[index].id)

    def export_failed(self, title: str, message: str | Phrase) -> QMessageBox:
        """A dialog in the current language that says why an export failed (never a crash).
        ``title`` is English (marked with tr_noop). Window-modal but not blocking: the
        window keeps drawing behind it.
        """
        print(f"discviz: {title}: {message}", file=sys.stderr)
        if self.export_error is not None:
            self.export_error.close()
        box = QMessageBox(QMessageBox.Icon.Warning, tr(title), str(message),
                          QMessageBox.StandardButton.Ok, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: self._forget_export_error(box))
        self.export_error = box
        box.open()  # not exec(): the presenter's window keeps running behind it
        return box

    def _forget_export_error(self, box: QMessageBox) -> None:
        if self.export_error is box:
            self.export_error = None

    def _write_export(self, title: str, path: Path, write: Callable[[Path], object]) -> Path | None:
        """``write`` the export into a temporary file that becomes ``path`` when complete; a
        failure is a dialog that says why, and leaves nothing behind.
        """
        problem = output_problem(path)
        if problem is not None:
            self.export_failed(title, problem)
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with atomic_write(path) as temporary:
                try:
                    write(temporary)
                except OSError as error:
                    raise _WriteFailed(error) from error  # keep the reason to say it in words
        except _WriteFailed as failed:
            self.export_failed(title, os_error_phrase(failed.error, path))
            return None
        except InputError as error:  # the writer's own check (in English: the render layer's)
            self.export_failed(title, "\n".join(str(problem) for problem in error.problems))
            return None
        except Exception as error:  # a bug or a platform's surprise: said, not a crash
            print_error(error)
            self.export_failed(title, phrase("Something went wrong: {error}", error=error))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        return path

    @guarded(tr_noop("saving the picture"))
    def save_picture(self, path: Path | None = None) -> Path | None:
        """The view with its title and caption, as PNG."""
        path = path or self._ask_save(tr("Save picture"), f"{self._step_name()}.png",
                                      tr("PNG pictures (*.png)"))
        if path is None:
            return None
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        if self.view.frame is None:
            return None
        counter = self.playback.counter()
        if self._write_export(tr_noop("The picture could not be saved"), path,
                              lambda temporary: self.view.save_picture(temporary, counter)) is None:
            return None
        self.statusBar().showMessage(tr("Picture saved: {path}").format(path=path), 5000)
        return path

    @guarded(tr_noop("exporting the 3D model"))
    def export_model(self, path: Path | None = None) -> Path | None:
        """What is on screen as a glTF model (.glb)."""
        if self.view.frame is None:
            return None
        path = path or self._ask_save(tr("Export 3D model"), f"{self._step_name()}.glb",
                                      tr("glTF binary (*.glb)"))
        if path is None:
            return None
        if path.suffix.lower() != ".glb":
            path = path.with_suffix(".glb")
        frame = self.view.frame
        if self._write_export(tr_noop("The 3D model could not be saved"), path,
                              lambda temporary: export.export_model(frame, temporary)) is None:
            return None
        self.statusBar().showMessage(tr("3D model saved: {path}").format(path=path), 5000)
        return path

    @guarded(tr_noop("exporting the video"))
    def export_video(self, path: Path | None = None, size: str | None = None,
                     program: str | None = None, arguments: list[str] | None = None,
                     fps: int = 30) -> None:
        """The whole explanation as a video, made by ``discviz render`` in the background."""
        if self.video is not None and self.video.running:
            self.banner.show_info(phrase("A video is being made already."))
            return
        if self.scene.source is None:
            self.export_failed(tr_noop("The video could not be made"),
                               phrase("This scene has no file to make a video from."))
            return
        path = path or self._ask_save(tr("Export video"), f"{self.scene.source.stem}.mp4",
                                      tr("Video (*.mp4);;Animated picture (*.gif)"))
        if path is None:
            return
        if path.suffix.lower() not in (".mp4", ".gif"):
            path = path.with_suffix(".mp4")
        problem = output_problem(path)
        if problem is not None:
            self.export_failed(tr_noop("The video could not be made"), problem)
            return
        if size is None:
            size, ok = QInputDialog.getItem(self, tr("Video size"), tr("Picture size of the video:"),
                                            list(export.VIDEO_SIZES), 0, False)
            if not ok:
                return
        job = export.VideoJob(self.scene.source, path, size, self.language, self.audience, fps,
                              tuple(self.model_arguments()))
        if self.video is not None:
            self.video.deleteLater()  # the finished export before this one
        self.video = export.VideoExport(job, self, program=program, arguments=arguments)
        self.video.done.connect(self._video_done)
        self.video_dialog = export.VideoProgressDialog(self.video, self)
        self.video_dialog.show()
        self.video.start()

    @guarded(tr_noop("making the handout"))
    def export_handout(self, path: Path | None = None, language: str | None = None,
                       audience: str | None = None, clinic: str | None = None,
                       program: str | None = None, arguments: list[str] | None = None) -> None:
        """The explanation, for this patient, as an A4 PDF made by ``discviz handout``."""
        if self.handout is not None and self.handout.running:
            self.banner.show_info(tr("A handout is being made already."))
            return
        if self.scene.source is None:
            raise RuntimeError("this scene has no file to make a handout from")
        if language is None or audience is None or clinic is None:
            dialog = HandoutDialog(list(self.scene.languages), self.language, self.audience,
                                   self.settings.clinic, self)
            if dialog.exec() != HandoutDialog.DialogCode.Accepted:
                return
            language, audience, clinic = dialog.choice()
            self.settings.clinic = clinic
        path = path or self._ask_save(tr("Save handout"), f"{self.scene.source.stem}.pdf", tr("PDF (*.pdf)"))
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        job = HandoutJob(self.scene.source, path, language, audience, clinic, tuple(self.model_arguments()))
        self.handout = HandoutExport(job, self, program=program, arguments=arguments)
        self.handout.done.connect(self._video_done)
        dialog = export.VideoProgressDialog(self.handout, self)
        dialog.show()
        self.handout.start()

    def _video_done(self, ok: bool, message: Phrase) -> None:
        self.video_dialog = None  # it closes itself
        if ok:
            self.banner.show_info(message)
        elif self.video is not None and self.video.cancelled:
            self.statusBar().showMessage(str(message), 5000)
        else:
            self.banner.show_problems(message, [])
            self.export_failed(tr_noop("The video could not be made"), message)

    # -- help -------------------------------------------------------------------------

    def show_keys(self) -> None:
        """The presenter keys."""
        show_keys_dialog(self)

    def show_about(self) -> None:
        """What discviz is."""
        QMessageBox.about(self, tr("About discviz"), tr("discviz makes the inside of a lumbar disc visible: "
                                                        "why a torn disc can hurt, and what the endoscopic "
                                                        "operation does."))

    # -- errors -----------------------------------------------------------------------

    def report_error(self, error: BaseException, doing: str) -> None:
        """Show an unexpected error in the banner; the window carries on. ``doing`` is English
        (marked with tr_noop), said in the language of the moment.
        """
        print_error(error)
        self.banner.show_problems(phrase("Something went wrong while {doing}: {error}", doing=phrase(doing),
                                         error=error),
                                  [phrase("The window carries on; the details are in the terminal.")])

    # -- Qt events --------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        """Type sizes follow the window height."""
        super().resizeEvent(event)
        pixels = caption_pixels(self.height())
        self.caption.set_type_size(pixels)
        self.nav.set_type_size(round(pixels * 0.85))
        self.step_list.set_type_size(round(pixels * 0.75))
        set_pixel_size(self.banner.message, round(pixels * 0.75))
        self._fit_step_list()

    def _fit_step_list(self) -> None:
        """The step list takes a quarter of the width (at least 220 px), or what the presenter
        dragged it to; the splitter alone would keep its first width whatever the window's.
        """
        widest = max(220, int(self.width() * 0.24))
        self.step_list.setMaximumWidth(widest)
        sizes = self.splitter.sizes()
        wanted = min(widest, self._step_list_width)
        if self.step_list.isVisible() and sizes[0] != wanted and sum(sizes) > wanted:
            self.splitter.setSizes([wanted, sum(sizes) - wanted])

    def _splitter_moved(self, position: int, _index: int) -> None:
        self._step_list_width = position  # the presenter's choice, kept through resizes

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        """Keep the Full screen menu entry in step with the window."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and hasattr(self, "actions"):
            self.actions["fullscreen"].setChecked(self.isFullScreen())

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt's name
        """Remember the window, stop background work, release OpenGL."""
        try:
            if not self.isFullScreen():
                self.settings.geometry = QByteArray(self.saveGeometry())
            self.settings.window_state = QByteArray(self.saveState())
            self.settings.language = self.language
            self.settings.audience = self.audience
            self.settings.sync()
            if self.video is not None:
                self.video.cancel()
            if self.handout is not None:
                self.handout.cancel()
            self.thumbnails.close()
            self.playback.finish()
            self.view.close_view()
        except Exception as error:  # closing must always work
            print_error(error)
        super().closeEvent(event)
