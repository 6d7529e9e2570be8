from __future__ import annotations

import pytest

from discviz.geometry.params import SPECS, Params, check_param


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("fisure.depth", 0.5, "unknown parameter 'fisure.depth' (did you mean 'fissure.depth'?)"),
        ("colour", 1, "unknown parameter 'colour'"),
        ("fissure.depth", 1.5, "fissure.depth must be a number from 0.1 to 1 (got 1.5)"),
        ("disc.width", "wide", "disc.width must be a number from 35 to 60 mm (got 'wide')"),
        ("annulus.lamellae", 2.5, "annulus.lamellae must be a whole number from 10 to 25 (got 2.5)"),
        ("nerves.count", True, "nerves.count must be a whole number from 1 to 20 (got True)"),
        (
            "fissure.type",
            "radiall",
            "fissure.type must be one of radial, circumferential, rim (got 'radiall')"
            " (did you mean 'radial'?)",
        ),
        ("quality", "ultra", "quality must be one of low, medium, high (got 'ultra')"),
    ],
)
def test_bad_values_get_one_clear_message(key: str, value: object, message: str) -> None:
    assert check_param(key, value) == (None, message)


def test_good_values_are_normalised() -> None:
    assert check_param("annulus.lamellae", 18.0) == (18, None)
    assert check_param("fissure.depth", 1) == (1.0, None)


def test_defaults_are_in_range_and_params_are_hashable() -> None:
    for spec in SPECS.values():
        assert spec.check(spec.default) == (spec.default, None)
    a, b = Params(), Params({"seed": 7})
    assert a == b and hash(a) == hash(b)
    assert a.update({"seed": 8}) != a


def test_the_insertion_description_says_when_the_outer_lamellae_over_the_tear_open() -> None:
    from discviz.geometry.pathology.annulotomy import OPEN_FROM

    doc = SPECS["instruments.insertion"].doc
    assert f"{OPEN_FROM:g}" in doc and "lamellae" in doc and "annulotomy" in doc, doc
