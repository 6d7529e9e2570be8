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

from discviz.geometry.params import SPECS, ParamSpec, Value
from discviz.geometry.presets import PRESET_NAMES

SLIDER_KEYS: tuple[str, ...] = (
    "fissure.position", "fissure.depth", "fissure.width", "nerves.count", "nerves.reach",
    "nucleus.area_fraction",
)
CHOICE_KEYS: tuple[str, ...] = ("fissure.type",)
LABELS = {
    "fissure.type": "Fissure type", "fissure.position": "Fissure position",
    "fissure.depth": "Fissure depth", "fissure.width": "Fissure width",
    "nerves.count": "Nerve endings", "nerves.reach": "Nerve reach",
    "nucleus.area_fraction": "Nucleus area",
}
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
        super().__init__("Instructor", parent)
        self.setObjectName("instructor")
        body = QWidget(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.preset = QComboBox(body)
        self.preset.addItem("The scene's own", SCENE_PRESET)
        for name in PRESET_NAMES:
            self.preset.addItem(name, name)
        self.preset.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preset.currentIndexChanged.connect(lambda _i: self.preset_chosen.emit(self.preset.currentData()))
        form.addRow("Preset (disc level)", self.preset)
        self.choices: dict[str, QComboBox] = {}
        for key in CHOICE_KEYS:
            combo = QComboBox(body)
            combo.addItems(list(SPECS[key].choices))
            combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            combo.currentTextChanged.connect(lambda text, k=key: self.param_changed.emit(k, text))
            self.choices[key] = combo
            form.addRow(LABELS[key], combo)
        self.sliders: dict[str, ParamSlider] = {}
        for key in SLIDER_KEYS:
            slider = ParamSlider(SPECS[key], body)
            slider.changed.connect(self.param_changed)
            slider.setToolTip(SPECS[key].doc)
            self.sliders[key] = slider
            form.addRow(LABELS[key], slider)
        self.reset = QPushButton("Back to the scene's values", body)
        self.reset.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reset.clicked.connect(self.reset_requested)
        note = QLabel("Changes show at once and stay until you go back to the scene's values.", body)
        note.setWordWrap(True)
        column = QVBoxLayout(body)
        column.addLayout(form)
        column.addWidget(self.reset)
        column.addWidget(note)
        column.addStretch(1)
        self.setWidget(body)
        self.setMinimumWidth(300)

    def show_values(self, params: Mapping[str, Value]) -> None:
        """Point every control at ``params`` (the frame on screen) without emitting."""
        for key, combo in self.choices.items():
            combo.blockSignals(True)
            combo.setCurrentText(str(params[key]))
            combo.blockSignals(False)
        for key, slider in self.sliders.items():
            slider.set_value(params[key])

    def show_preset(self, name: str) -> None:
        """Select ``name`` ("" = the scene's own) without emitting."""
        self.preset.blockSignals(True)
        index = self.preset.findData(name)
        self.preset.setCurrentIndex(max(index, 0))
        self.preset.blockSignals(False)
