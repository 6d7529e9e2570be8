"""The menu bar: File, Go, View, Language, Audience, Help. Every presenter action is here
with its keys; the Go and Language menus follow the scene.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from discviz.app.actions import make_action
from discviz.app.steps import AUDIENCE_NAMES, language_name
from discviz.app.uitext import tr, tr_noop
from discviz.scene.load import bundled_scenes
from discviz.scene.model import AUDIENCES

STEP_KEYS = 9  # keys 1..9 jump to a step
FILE_ITEMS = ("open", "recent", "reload", None, "screenshot", "video", "model", "handout", None, "quit")
VIEW_ITEMS = ("fullscreen", "black", "leave", None, "labels", "cutaway", "close_up", "reset_view", None,
              "step_list", "instructor", "patient")
MOVES = ("next", "previous", "first", "last")
#: the menu titles, English (translated when shown)
TITLES = {
    "file": tr_noop("&File"), "recent": tr_noop("Open &recent"), "go": tr_noop("&Go"),
    "view": tr_noop("&View"), "language": tr_noop("&Language"), "audience": tr_noop("&Audience"),
    "help": tr_noop("&Help"),
}


class ViewerMenus:
    """Builds the menus of ``window`` from its actions and keeps the scene's parts current."""

    def __init__(self, window: QMainWindow, actions: dict[str, QAction], *,
                 go_to: Callable[[int], object], set_language: Callable[[str], object],
                 set_audience: Callable[[str], object], open_scene: Callable[[str], object],
                 recent: Callable[[], list[str]]) -> None:
        self.window = window
        self.actions = actions
        self._go_to = go_to
        self._set_language = set_language
        self._open_scene = open_scene
        self._recent = recent
        bar = window.menuBar()
        self.menus: dict[str, QMenu] = {}
        self.menus["file"] = file = bar.addMenu("")
        self.recent_menu = self.menus["recent"] = QMenu(file)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill(file, FILE_ITEMS)
        self.go_menu = self.menus["go"] = bar.addMenu("")
        self.menus["view"] = bar.addMenu("")
        self._fill(self.menus["view"], VIEW_ITEMS)
        self.language_menu = self.menus["language"] = bar.addMenu("")
        self.language_group = QActionGroup(window)
        self.language_actions: dict[str, QAction] = {}
        self.menus["audience"] = bar.addMenu("")
        group = QActionGroup(window)
        self.audience_actions: dict[str, QAction] = {}
        for audience in AUDIENCES:
            action = QAction(window, checkable=True)
            action.triggered.connect(lambda _checked=False, value=audience: set_audience(value))
            group.addAction(action)
            self.menus["audience"].addAction(action)
            self.audience_actions[audience] = action
        self.menus["help"] = bar.addMenu("")
        self._fill(self.menus["help"], ("keys", "about"))
        self.step_actions: list[QAction] = []
        self.retranslate()

    def retranslate(self) -> None:
        """Menu titles and the entries the menus own, in the current language."""
        for name, menu in self.menus.items():
            menu.setTitle(tr(TITLES[name]))
        for audience, action in self.audience_actions.items():
            action.setText(tr(AUDIENCE_NAMES[audience]))
        if self.recent_menu.actions():
            self._fill_recent()  # (filled again whenever it opens, too)

    def _fill(self, menu: QMenu, items: Sequence[str | None]) -> None:
        for name in items:
            if name is None:
                menu.addSeparator()
            elif name == "recent":
                menu.addMenu(self.recent_menu)
            else:
                menu.addAction(self.actions[name])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()  # deletes the entries: the menu owns them
        recent = self._recent()
        for ref in recent:
            action = self.recent_menu.addAction(ref)
            action.triggered.connect(lambda _checked=False, value=ref: self._open_scene(value))
        if recent:
            self.recent_menu.addSeparator()
        for name in bundled_scenes():
            action = self.recent_menu.addAction(tr("Built in: {name}").format(name=name))
            action.triggered.connect(lambda _checked=False, value=name: self._open_scene(value))

    def set_steps(self, titles: Sequence[str]) -> None:
        """The Go menu: moves, then one entry per step (keys 1..9 for the first nine). The
        entries of a reloaded scene with as many steps are kept (only their titles change).
        """
        if len(titles) != len(self.step_actions):
            for action in self.step_actions:
                self.window.removeAction(action)
                action.deleteLater()
            self.go_menu.clear()
            self._fill(self.go_menu, (*MOVES, None))
            self.step_actions = []
            for index in range(len(titles)):
                keys = (str(index + 1),) if index < STEP_KEYS else ()
                action = make_action(self.window, "", keys, lambda i=index: self._go_to(i))
                self.window.addAction(action)  # the key works while the menu bar is hidden
                self.go_menu.addAction(action)
                self.step_actions.append(action)
        self.retitle_steps(titles)

    def retitle_steps(self, titles: Sequence[str]) -> None:
        """Step titles in the current language."""
        for index, (action, title) in enumerate(zip(self.step_actions, titles, strict=False)):
            action.setText(f"{index + 1}.  {title}")

    def set_languages(self, codes: Sequence[str]) -> None:
        """One entry per language of the scene (each in its own words)."""
        if list(self.language_actions) == list(codes):
            return
        self.language_menu.clear()
        for action in self.language_actions.values():
            self.language_group.removeAction(action)
            action.deleteLater()
        self.language_actions = {}
        for code in codes:
            action = QAction(language_name(code), self.window, checkable=True)
            action.triggered.connect(lambda _checked=False, value=code: self._set_language(value))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

    def check(self, language: str, audience: str) -> None:
        """Tick the current language and audience."""
        if language in self.language_actions:
            self.language_actions[language].setChecked(True)
        if audience in self.audience_actions:
            self.audience_actions[audience].setChecked(True)
