"""From an MRI report to parameters and back: the documented mapping, exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from discviz.geometry.params import check_param
from discviz.geometry.presets import load_preset
from discviz.geometry.report import (
    HEIGHT_LOSS,
    HERNIATIONS,
    LEVELS,
    PFIRRMANN,
    SIDES,
    ZONES,
    Report,
    angle_place,
    derive,
    position_angle,
    report_from_params,
    report_params,
)


@pytest.mark.parametrize(("side", "zone", "angle"), [
    (None, "central", 180.0), ("left", "paracentral", 160.0), ("right", "paracentral", 200.0),
    ("left", "foraminal", 130.0), ("right", "foraminal", 230.0),
    ("left", "extraforaminal", 105.0), ("right", "extraforaminal", 255.0),
])
def test_zones_map_to_the_documented_angles(side, zone, angle) -> None:
    # docs/scene-language.md, coordinates: 90 is the patient's left, 270 the right
    assert position_angle(side, zone) == angle
    assert angle_place(angle) == (side, zone)


def test_a_side_is_needed_off_the_midline() -> None:
    with pytest.raises(ValueError, match="a paracentral tear needs a side: left or right"):
        Report(tear_zone="paracentral")
    with pytest.raises(ValueError, match="Dallas grade must be 0 to 5"):
        Report(grade=7)


def test_l5_s1_grade_3_right_paracentral_with_hiz() -> None:
    report = Report(level="L5-S1", tear_side="right", tear_zone="paracentral", grade=3, hiz=True,
                    pfirrmann=3)
    assert report_params(report, load_preset("L5-S1")) == {
        "fissure.position": 200.0, "fissure.grade": 3, "fissure.hiz": True, "disc.pfirrmann": 3}


def test_pfirrmann_sets_hydration_and_height_unless_stated() -> None:
    base = load_preset("L4-L5")
    for grade, (hydration, kept) in PFIRRMANN.items():
        params = derive(base, {"disc.pfirrmann": grade})
        assert params["nucleus.hydration"] == hydration
        expected = max(base.f("disc.height_anterior") * kept, 4.0)
        assert params["disc.height_anterior"] == pytest.approx(expected)
    grade_5 = derive(base, {"disc.pfirrmann": 5})
    assert grade_5.f("disc.height_posterior") == 3.5  # half of 7 mm
    explicit = derive(base, {"disc.pfirrmann": 5, "nucleus.hydration": 0.6, "disc.height_anterior": 11.0})
    assert explicit["nucleus.hydration"] == 0.6 and explicit["disc.height_anterior"] == 11.0
    assert derive(base, {"fissure.depth": 0.5}) == base.update({"fissure.depth": 0.5})


def test_height_loss_is_a_share_of_the_level_within_range() -> None:
    base = load_preset("L5-S1")
    params = report_params(Report(level="L5-S1", height_loss="severe"), base)
    assert params["disc.height_anterior"] == pytest.approx(15.0 * 0.4)
    assert params["disc.height_posterior"] == 3.0  # 40 % of 6.5 is below the minimum of 3 mm


reports = st.builds(
    Report,
    level=st.sampled_from(LEVELS),
    tear_side=st.sampled_from(SIDES),
    tear_zone=st.sampled_from(ZONES),
    grade=st.one_of(st.none(), st.integers(0, 5)),
    hiz=st.booleans(),
    height_loss=st.one_of(st.none(), st.sampled_from(list(HEIGHT_LOSS))),
    pfirrmann=st.one_of(st.none(), st.integers(1, 5)),
    herniation=st.sampled_from(HERNIATIONS),
    herniation_side=st.sampled_from(SIDES),
    herniation_zone=st.sampled_from(ZONES),
)


@given(reports)
def test_every_report_gives_valid_parameters_and_reads_back(report: Report) -> None:
    base = load_preset(report.level)
    params = report_params(report, base)
    for key, value in params.items():
        assert check_param(key, value) == (value, None)
    back = report_from_params(report.level, params, base)
    # a central finding has no side; everything else reads back as written
    expected = report
    if report.tear_zone == "central":
        expected = Report(**{**report.__dict__, "tear_side": None})
    if report.herniation_zone == "central":
        expected = Report(**{**expected.__dict__, "herniation_side": None})
    assert back == expected
