"""The instructor panel: change the model live (fissure, nerves, nucleus, preset).

Sliders cover the registry's ranges (discviz.geometry.params.SPECS). Every change is a
parameter override on top of the scene; the window redraws at most once per frame.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from discviz.app.uitext import tr, tr_noop
from discviz.geometry.params import SPECS, ParamSpec, Value
from discviz.geometry.presets import PRESET_NAMES

SLIDER_KEYS: tuple[str, ...] = (
    "fissure.position", "fissure.depth", "fissure.width", "nerves.count", "nerves.reach",
    "nucleus.area_fraction",
)
CHOICE_KEYS: tuple[str, ...] = ("fissure.type",)
# the panel's words, English (translated when shown)
LABELS = {
    "fissure.type": tr_noop("Fissure type"), "fissure.position": tr_noop("Fissure position"),
    "fissure.depth": tr_noop("Fissure depth"), "fissure.width": tr_noop("Fissure width"),
    "nerves.count": tr_noop("Nerve endings"), "nerves.reach": tr_noop("Nerve reach"),
    "nucleus.area_fraction": tr_noop("Nucleus area"),
}
TIPS = {
    "fissure.type": tr_noop("Kind of tear: radial (from the core outward), circumferential (between "
                            "layers) or rim (at the edge of the bone)"),
    "fissure.position": tr_noop("Where around the disc the tear is (0° front, 90° left, 180° back)"),
    "fissure.depth": tr_noop("How far through the ring the tear reaches"),
    "fissure.width": tr_noop("How wide the tear is"),
    "nerves.count": tr_noop("How many nerve endings grow into the torn disc"),
    "nerves.reach": tr_noop("How deep into the ring the nerve endings grow"),
    "nucleus.area_fraction": tr_noop("How much of the disc's cross-section is the soft core"),
}
CHOICE_NAMES = {"radial": tr_noop("Radial"), "circumferential": tr_noop("Circumferential"),
                "rim": tr_noop("Rim")}
PRESET_LABELS = {"degenerated-L4-L5": tr_noop("L4-L5, degenerated")}
FLOAT_STEPS = 200
SCENE_PRESET = ""  # the combo's first entry: the scene's own preset


class ParamSlider(QWidget):
    """A slider over one parameter's range, with its value in words."""

    changed = Signal(str, object)

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the arrow keys step the scene
        if spec.kind == "int":
            self.slider.setRange(int(spec.minimum or 0), int(spec.maximum or 0))
        else:
            self.slider.setRange(0, FLOAT_STEPS)
        self.value_label = QLabel(self)
        self.value_label.setMinimumWidth(80)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.value_label)
        self.slider.valueChanged.connect(self._moved)

    def value(self) -> Value:
        """The parameter value the slider points at."""
        position = self.slider.value()
        if self.spec.kind == "int":
            return int(position)
        low, high = float(self.spec.minimum or 0.0), float(self.spec.maximum or 1.0)
        return round(low + (high - low) * position / FLOAT_STEPS, 4)

    def set_value(self, value: Value) -> None:
        """Point at ``value`` without telling anyone."""
        self.slider.blockSignals(True)
        if self.spec.kind == "int":
            self.slider.setValue(int(value))
        else:
            low, high = float(self.spec.minimum or 0.0), float(self.spec.maximum or 1.0)
            self.slider.setValue(round((float(value) - low) / (high - low) * FLOAT_STEPS))
        self.slider.blockSignals(False)
        self._show(value)

    def _show(self, value: Value) -> None:
        if self.spec.kind == "int":
            text = str(int(value))
        elif self.spec.unit in ("", None):
            text = f"{float(value) * 100:.0f} %"
        else:
            unit = "°" if self.spec.unit == "deg" else f" {self.spec.unit}"
            text = f"{float(value):.1f}{unit}" if self.spec.unit != "deg" else f"{float(value):.0f}{unit}"
        self.value_label.setText(text)

    def _moved(self, _position: int) -> None:
        value = self.value()
        self._show(value)
        self.changed.emit(self.spec.key, value)


class InstructorPanel(QDockWidget):
    """Sliders and choices for the model; hidden until the View menu shows it."""

    param_changed = Signal(str, object)
    preset_chosen = Signal(str)  # a preset name, or "" for the scene's own
    reset_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("instructor")
        body = QWidget(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.row_labels: dict[str, QLabel] = {}
        self.preset = QComboBox(body)
        self.preset.addItem("", SCENE_PRESET)
        for name in PRESET_NAMES:
            self.preset.addItem("", name)
        self.preset.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preset.currentIndexChanged.connect(lambda _i: self.preset_chosen.emit(self.preset.currentData()))
        self._add_row(form, "preset", self.preset)
        self.choices: dict[str, QComboBox] = {}
        for key in CHOICE_KEYS:
            combo = QComboBox(body)
            for value in SPECS[key].choices:
                combo.addItem("", value)
            combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            combo.currentIndexChanged.connect(
                lambda _i, k=key, c=combo: self.param_changed.emit(k, c.currentData()))
            self.choices[key] = combo
            self._add_row(form, key, combo)
        self.sliders: dict[str, ParamSlider] = {}
        for key in SLIDER_KEYS:
            slider = ParamSlider(SPECS[key], body)
            slider.changed.connect(self.param_changed)
            self.sliders[key] = slider
            self._add_row(form, key, slider)
        self.reset = QPushButton(body)
        self.reset.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reset.clicked.connect(self.reset_requested)
        self.note = QLabel(body)
        self.note.setWordWrap(True)
        column = QVBoxLayout(body)
        column.addLayout(form)
        column.addWidget(self.reset)
        column.addWidget(self.note)
        column.addStretch(1)
        self.setWidget(body)
        self.setMinimumWidth(300)
        self.retranslate()

    def _add_row(self, form: QFormLayout, key: str, field: QWidget) -> None:
        label = QLabel(field.parentWidget())
        label.setBuddy(field)
        self.row_labels[key] = label
        form.addRow(label, field)

    def retranslate(self) -> None:
        """Title, labels, choices and tooltips in the current language."""
        self.setWindowTitle(tr("Instructor"))
        self.row_labels["preset"].setText(tr("Preset (disc level)"))
        self.preset.setToolTip(tr("Another disc level or a degenerated disc, on every step"))
        for index in range(self.preset.count()):
            name = self.preset.itemData(index)
            text = tr("The scene's own") if name == SCENE_PRESET else tr(PRESET_LABELS.get(name, name))
            self.preset.setItemText(index, text)
        for combo in self.choices.values():
            for index in range(combo.count()):
                value = combo.itemData(index)
                combo.setItemText(index, tr(CHOICE_NAMES.get(value, value)))
        for key in (*self.choices, *self.sliders):
            self.row_labels[key].setText(tr(LABELS[key]))
            field = self.choices.get(key) or self.sliders[key]
            field.setToolTip(tr(TIPS[key]))
        self.reset.setText(tr("Back to the scene's values"))
        self.reset.setToolTip(tr("Undo every change made here"))
        self.note.setText(tr("Changes show at once and stay until you go back to the scene's values."))

    def show_values(self, params: Mapping[str, Value]) -> None:
        """Point every control at ``params`` (the frame on screen) without emitting."""
        for key, combo in self.choices.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(str(params[key])), 0))
            combo.blockSignals(False)
        for key, slider in self.sliders.items():
            slider.set_value(params[key])

    def show_preset(self, name: str) -> None:
        """Select ``name`` ("" = the scene's own) without emitting."""
        self.preset.blockSignals(True)
        index = self.preset.findData(name)
        self.preset.setCurrentIndex(max(index, 0))
        self.preset.blockSignals(False)
