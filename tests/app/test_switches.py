"""Language and audience switch captions and labels live; the instructor panel changes the model."""

from __future__ import annotations

import pytest

from tests.app.helpers import settle

pytestmark = pytest.mark.gui


def labels(viewer) -> dict[str, str]:
    return {name: text for name, (text, _alpha) in viewer.view.frame.labels.items()}


def test_language_switch_changes_caption_and_labels(qtbot, viewer) -> None:
    viewer.go_to(2)
    settle(qtbot, viewer)
    english = (viewer.caption.title.text(), viewer.caption.caption.text(), labels(viewer))
    viewer.nav.language.buttons["zh"].click()
    settle(qtbot, viewer)
    assert viewer.language == "zh" and viewer.playback.index == 2  # the same step
    assert viewer.caption.title.text() == "裂缝从里面开始"
    assert viewer.caption.caption.text() != english[1] and "裂缝" in viewer.caption.caption.text()
    assert labels(viewer) != english[2]
    assert viewer.step_list.item(0).text().endswith("椎间盘在哪里")
    assert viewer.menus.language_actions["zh"].isChecked()
    assert viewer.windowTitle().startswith("我的腰为什么痛")
    viewer.menus.language_actions["en"].trigger()
    settle(qtbot, viewer)
    assert (viewer.caption.title.text(), viewer.caption.caption.text(), labels(viewer)) == english


def test_audience_switch_changes_labels(qtbot, viewer) -> None:
    patient = labels(viewer)
    viewer.nav.audience.buttons["clinician"].click()
    settle(qtbot, viewer)
    clinician = labels(viewer)
    assert viewer.audience == "clinician" and viewer.menus.audience_actions["clinician"].isChecked()
    assert clinician.keys() == patient.keys() and clinician != patient
    assert "annulus" in clinician["annulus"].lower()
    assert viewer.settings.audience == "clinician"


def test_slider_changes_the_model(qtbot, viewer) -> None:
    viewer.go_to(2)  # the crack
    settle(qtbot, viewer)
    viewer.toggle_instructor()
    assert viewer.instructor.isVisible()
    slider = viewer.instructor.sliders["fissure.depth"]
    assert slider.value() == pytest.approx(viewer.view.frame.params["fissure.depth"], abs=0.01)
    geometry_before = viewer.view.renderer._geometry_key
    slider.slider.setValue(slider.slider.minimum())
    settle(qtbot, viewer)
    assert viewer.view.frame.params["fissure.depth"] == pytest.approx(0.1)
    assert viewer.view.renderer._geometry_key != geometry_before
    nerves = viewer.instructor.sliders["nerves.count"]
    nerves.slider.setValue(3)
    kinds = viewer.instructor.choices["fissure.type"]  # shown in words, holding the value
    kinds.setCurrentIndex(kinds.findData("circumferential"))
    settle(qtbot, viewer)
    assert viewer.view.frame.params["nerves.count"] == 3
    assert viewer.view.frame.params["fissure.type"] == "circumferential"
    viewer.go_to(4)  # the change stays on every step
    settle(qtbot, viewer)
    assert viewer.view.frame.params["fissure.depth"] == pytest.approx(0.1)
    viewer.instructor.reset.click()
    settle(qtbot, viewer)
    assert viewer.view.frame.params["fissure.depth"] != pytest.approx(0.1)


def test_preset_choice_changes_the_disc(qtbot, viewer) -> None:
    width = viewer.view.frame.params["disc.width"]
    viewer.toggle_instructor()
    combo = viewer.instructor.preset
    combo.setCurrentIndex(combo.findData("L5-S1"))
    settle(qtbot, viewer)
    assert viewer.view.frame.params["disc.width"] != width
    assert viewer.playback.index == 0
