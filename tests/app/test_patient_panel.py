"""The "This patient" panel: a report entered there gives the model the same parameters as
the same findings passed with --set; a saved patient reopens identically from the recent
list; File > Handout passes the patient's disc on.
"""

from __future__ import annotations

import sys
import tomllib

import pytest

from discviz.app.handout_export import HandoutJob
from discviz.cli import build_parser
from discviz.cli.model_options import choose_model
from discviz.player.frame import Player
from tests.app.helpers import settle

pytestmark = pytest.mark.gui


def choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def enter_report(panel) -> None:
    """L5-S1, grade 3 right paracentral tear with a high-intensity zone, Pfirrmann III,
    mild height loss, a left foraminal protrusion, as a surgeon clicks it in."""
    choose(panel.level, "L5-S1")
    choose(panel.tear_side, "right")
    choose(panel.tear_zone, "paracentral")
    choose(panel.grade, 3)
    panel.hiz.setChecked(True)
    choose(panel.pfirrmann, 3)
    choose(panel.height_loss, "mild")
    choose(panel.herniation, "protrusion")
    choose(panel.herniation_side, "left")
    choose(panel.herniation_zone, "foraminal")


SAME_WITH_SET = ["--preset", "L5-S1", "--set", "fissure.position=200", "--set", "fissure.grade=3",
                 "--set", "fissure.hiz=true", "--set", "disc.pfirrmann=3",
                 "--set", "disc.height_anterior=12", "--set", "disc.height_posterior=5.2",
                 "--set", "herniation.type=protrusion", "--set", "herniation.position=130"]


def test_a_report_in_the_panel_is_the_same_model_as_set(qtbot, viewer) -> None:
    viewer.toggle_patient()
    assert viewer.patient_panel.isVisible()
    enter_report(viewer.patient_panel)
    settle(qtbot, viewer)
    args = build_parser().parse_args(["render", "discogenic-pain", "-o", "unused", *SAME_WITH_SET])
    choice = choose_model(args, args.scene)
    from_set = Player(choice.scene, base_params=choice.base, overrides=choice.overrides)
    assert viewer.playback.player.step_params == from_set.step_params
    frame = viewer.view.frame
    assert frame.params["fissure.position"] == 200.0 and frame.params["nucleus.hydration"] == 0.55
    assert frame.params["disc.width"] == 48.0  # the L5-S1 preset
    summary = viewer.patient_panel.summary.text()
    assert "a little to your right" in summary and "grade 3 of 5" in summary
    viewer.set_language("zh")
    assert "稍偏你的右侧" in viewer.patient_panel.summary.text()
    viewer.patient_panel.clear_report()
    settle(qtbot, viewer)
    assert viewer.patient is None and viewer.view.frame.params["fissure.position"] == 160.0


def test_an_inconsistent_report_waits_and_says_why(qtbot, viewer) -> None:
    panel = viewer.patient_panel
    choose(panel.tear_zone, "foraminal")  # no side yet
    assert viewer.patient is None
    assert "a foraminal tear needs a side: left or right" in panel.problem.text()
    choose(panel.tear_side, "left")
    assert panel.problem.text() == "" and viewer.patient.params == {"fissure.position": 130.0}
    panel.clear_report()


def test_saved_patient_reopens_identically_from_the_recent_list(qtbot, make_viewer, tmp_path) -> None:
    window = make_viewer()
    enter_report(window.patient_panel)
    window.patient_panel.label.setText("L5-S1 right tear")
    window.patient_panel.label.editingFinished.emit()
    settle(qtbot, window)
    saved = window.patient
    params = window.playback.player.step_params
    path = window.save_patient(tmp_path / "visit.toml")
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(document) == {"format", "label", "preset", "params"}  # nothing else
    assert document["label"] == "L5-S1 right tear" and document["preset"] == "L5-S1"
    assert str(path) == window.settings.recent[0]

    fresh = make_viewer()
    assert fresh.patient is None
    assert fresh.open_scene(fresh.settings.recent[0])  # File > Open recent
    settle(qtbot, fresh)
    assert fresh.patient == saved
    assert fresh.playback.player.step_params == params
    panel = fresh.patient_panel
    assert panel.isVisible() and panel.label.text() == "L5-S1 right tear"
    assert (panel.level.currentData(), panel.tear_side.currentData(), panel.tear_zone.currentData(),
            panel.grade.currentData(), panel.hiz.isChecked(), panel.pfirrmann.currentData(),
            panel.height_loss.currentData(), panel.herniation.currentData(),
            panel.herniation_side.currentData(), panel.herniation_zone.currentData()) == (
        "L5-S1", "right", "paracentral", 3, True, 3, "mild", "protrusion", "left", "foraminal")


def test_a_broken_patient_file_keeps_the_last_good_disc(qtbot, make_viewer, tmp_path) -> None:
    window = make_viewer()
    bad = tmp_path / "bad.toml"
    bad.write_text('label = "x"\n[params]\n"fissure.grade" = 12\n', encoding="utf-8")
    assert not window.open_scene(str(bad))
    assert window.banner.kind == "problem"
    assert "fissure.grade must be a whole number from -1 to 5 (got 12)" in window.banner.text
    assert window.patient is None
    window.banner.clear()


def test_handout_from_the_window_passes_the_patients_disc(qtbot, make_viewer, tmp_path) -> None:
    window = make_viewer()
    enter_report(window.patient_panel)
    settle(qtbot, window)
    model = window.model_arguments()
    assert model[:2] == ["--preset", "L5-S1"] and "fissure.hiz=true" in model
    job = HandoutJob(window.scene.source, tmp_path / "h.pdf", "zh", "patient", "Clinic", tuple(model))
    args = build_parser().parse_args(job.arguments(tmp_path)[2:])
    choice = choose_model(args, args.scene)
    on_screen = tuple(p.update(window.overrides.params) for p in window.playback.player.step_params)
    assert Player(choice.scene, base_params=choice.base, overrides=choice.overrides).step_params == on_screen
    script = tmp_path / "fake.py"
    script.write_text("import sys; open(sys.argv[1], 'wb').write(b'%PDF-1.4')", encoding="utf-8")
    output = tmp_path / "out.pdf"
    window.export_handout(output, "zh", "patient", "Clinic", program=sys.executable,
                          arguments=[str(script), str(output)])
    qtbot.waitUntil(lambda: window.handout is not None and not window.handout.running, timeout=15000)
    qtbot.waitUntil(lambda: window.banner.kind == "info", timeout=5000)
    assert str(output) in window.banner.text
    window.banner.clear()
