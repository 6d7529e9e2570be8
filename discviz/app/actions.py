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

from discviz.app.uitext import tr, tr_noop


@dataclass(frozen=True)
class ActionSpec:
    """Menu text (English, translated when shown), keys and whether the action is on/off."""

    text: str
    keys: tuple[str, ...] = ()
    checkable: bool = False


ACTIONS: dict[str, ActionSpec] = {
    "next": ActionSpec(tr_noop("Next step"), ("Right", "Space", "PgDown", "Down")),
    "previous": ActionSpec(tr_noop("Previous step"), ("Left", "PgUp", "Up", "Backspace")),
    "first": ActionSpec(tr_noop("First step"), ("Home",)),
    "last": ActionSpec(tr_noop("Last step"), ("End",)),
    "black": ActionSpec(tr_noop("Black screen"), ("B", ".")),
    "fullscreen": ActionSpec(tr_noop("Full screen"), ("F", "F11"), checkable=True),
    "leave": ActionSpec(tr_noop("Leave full screen or black screen"), ("Esc",)),
    "labels": ActionSpec(tr_noop("Labels"), ("L",), checkable=True),
    "cutaway": ActionSpec(tr_noop("Cycle cutaway (none, axial, sagittal, coronal, quadrant)"), ("C",)),
    "close_up": ActionSpec(tr_noop("Close-up of the tear"), ("Z",), checkable=True),
    "reset_view": ActionSpec(tr_noop("Reset the step's view"), ("R",)),
    "instructor": ActionSpec(tr_noop("Instructor panel"), ("Ctrl+I",), checkable=True),
    "patient": ActionSpec(tr_noop("This patient (from the MRI report)"), ("Ctrl+P",), checkable=True),
    "step_list": ActionSpec(tr_noop("Step list"), ("Ctrl+T",), checkable=True),
    "open": ActionSpec(tr_noop("Open scene…"), ("Ctrl+O",)),
    "reload": ActionSpec(tr_noop("Reload scene"), ("F5",)),
    "screenshot": ActionSpec(tr_noop("Save picture of the view (PNG)…"), ("Ctrl+S",)),
    "video": ActionSpec(tr_noop("Export video of the explanation…"), ("Ctrl+E",)),
    "model": ActionSpec(tr_noop("Export 3D model (glTF)…"), ("Ctrl+G",)),
    "handout": ActionSpec(tr_noop("Handout for the patient (PDF)…"), ("Ctrl+H",)),
    "quit": ActionSpec(tr_noop("Quit"), ("Ctrl+Q",)),
    "keys": ActionSpec(tr_noop("Keys"), ("F1",)),
    "about": ActionSpec(tr_noop("About discviz")),
}


def keys_text(keys: tuple[str, ...]) -> str:
    """``Right, Space, PgDown`` as shown in menus."""
    return ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def action_label(text: str, keys: tuple[str, ...]) -> str:
    """A menu entry's text: with every key when there are several (Qt shows a single one)."""
    return f"{text}\t{keys_text(keys)}" if len(keys) > 1 else text


def make_action(parent: QObject, text: str, keys: tuple[str, ...], slot: Callable[[], object],
                checkable: bool = False) -> QAction:
    """An application-wide action whose menu entry lists every key."""
    action = QAction(action_label(text, keys), parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    action.setAutoRepeat(False)
    action.setCheckable(checkable)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_actions(parent: QObject, slots: dict[str, Callable[[], object]]) -> dict[str, QAction]:
    """Every action of :data:`ACTIONS` wired to its slot, labelled in the current language."""
    return {name: make_action(parent, tr(spec.text), spec.keys, slots[name], spec.checkable)
            for name, spec in ACTIONS.items()}


def retranslate_actions(actions: dict[str, QAction]) -> None:
    """Label the actions of :data:`ACTIONS` in the current language."""
    for name, action in actions.items():
        spec = ACTIONS.get(name)
        if spec is not None:
            action.setText(action_label(tr(spec.text), spec.keys))


def help_rows() -> list[tuple[str, str]]:
    """(keys, what they do) for the Keys dialog."""
    rows = [(keys_text(spec.keys), tr(spec.text)) for spec in ACTIONS.values() if spec.keys]
    rows.insert(4, ("1 … 9", tr("Go to step 1 … 9")))
    return rows


def show_keys_dialog(parent: QWidget) -> None:
    """A table of the presenter keys."""
    rows = "".join(f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(text)}</td></tr>"
                   for keys, text in help_rows())
    box = QMessageBox(QMessageBox.Icon.NoIcon, tr("Keys"), f"<table cellspacing='6'>{rows}</table>",
                      QMessageBox.StandardButton.Close, parent)
    box.exec()
