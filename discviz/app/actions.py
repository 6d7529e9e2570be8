"""Presenter keys and menu actions: one table, so menus, help and tests agree.

Every action is an application-wide shortcut (Qt.ApplicationShortcut), so the keys work
whichever widget has focus, the 3D view included. Menus show all keys of an action.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget


@dataclass(frozen=True)
class ActionSpec:
    """Menu text, keys and whether the action is on/off."""

    text: str
    keys: tuple[str, ...] = ()
    checkable: bool = False


ACTIONS: dict[str, ActionSpec] = {
    "next": ActionSpec("Next step", ("Right", "Space", "PgDown", "Down")),
    "previous": ActionSpec("Previous step", ("Left", "PgUp", "Up", "Backspace")),
    "first": ActionSpec("First step", ("Home",)),
    "last": ActionSpec("Last step", ("End",)),
    "black": ActionSpec("Black screen", ("B", ".")),
    "fullscreen": ActionSpec("Full screen", ("F", "F11"), checkable=True),
    "leave": ActionSpec("Leave full screen or black screen", ("Esc",)),
    "labels": ActionSpec("Labels", ("L",), checkable=True),
    "cutaway": ActionSpec("Cycle cutaway (none, axial, sagittal, coronal, quadrant)", ("C",)),
    "close_up": ActionSpec("Close-up of the tear", ("Z",), checkable=True),
    "reset_view": ActionSpec("Reset the step's view", ("R",)),
    "instructor": ActionSpec("Instructor panel", ("Ctrl+I",), checkable=True),
    "patient": ActionSpec("This patient (from the MRI report)", ("Ctrl+P",), checkable=True),
    "step_list": ActionSpec("Step list", ("Ctrl+T",), checkable=True),
    "open": ActionSpec("Open scene…", ("Ctrl+O",)),
    "reload": ActionSpec("Reload scene", ("F5",)),
    "screenshot": ActionSpec("Save picture of the view (PNG)…", ("Ctrl+S",)),
    "video": ActionSpec("Export video of the explanation…", ("Ctrl+E",)),
    "model": ActionSpec("Export 3D model (glTF)…", ("Ctrl+G",)),
    "handout": ActionSpec("Handout for the patient (PDF)…", ("Ctrl+H",)),
    "quit": ActionSpec("Quit", ("Ctrl+Q",)),
    "keys": ActionSpec("Keys", ("F1",)),
    "about": ActionSpec("About discviz"),
}


def keys_text(keys: tuple[str, ...]) -> str:
    """``Right, Space, PgDown`` as shown in menus."""
    return ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def make_action(parent: QObject, text: str, keys: tuple[str, ...], slot: Callable[[], object],
                checkable: bool = False) -> QAction:
    """An application-wide action whose menu entry lists every key."""
    label = f"{text}\t{keys_text(keys)}" if len(keys) > 1 else text
    action = QAction(label, parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    action.setAutoRepeat(False)
    action.setCheckable(checkable)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_actions(parent: QObject, slots: dict[str, Callable[[], object]]) -> dict[str, QAction]:
    """Every action of :data:`ACTIONS` wired to its slot."""
    return {name: make_action(parent, spec.text, spec.keys, slots[name], spec.checkable)
            for name, spec in ACTIONS.items()}


def help_rows() -> list[tuple[str, str]]:
    """(keys, what they do) for the Keys dialog."""
    rows = [(keys_text(spec.keys), spec.text) for spec in ACTIONS.values() if spec.keys]
    rows.insert(4, ("1 … 9", "Go to step 1 … 9"))
    return rows


def show_keys_dialog(parent: QWidget) -> None:
    """A table of the presenter keys."""
    rows = "".join(f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(text)}</td></tr>"
                   for keys, text in help_rows())
    box = QMessageBox(QMessageBox.Icon.NoIcon, "Keys", f"<table cellspacing='6'>{rows}</table>",
                      QMessageBox.StandardButton.Close, parent)
    box.exec()
