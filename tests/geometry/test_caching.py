"""The speed caches (lamellae, merged topology, grown nerves, outline table) never change
what is built: a frame built with warm caches equals the same frame built from nothing.
"""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

from discviz.geometry import Params, build_surfaces, model
from discviz.geometry.disc import annulus as disc
from discviz.geometry.disc.outline import DiscFrame
from discviz.geometry.structures import STATES, previous_state


def _cold(state: str, params: Params, progress: float) -> dict:
    model.clear_caches()
    return build_surfaces(state, params, progress)


def _assert_same(warm: dict, cold: dict, where: str) -> None:
    assert list(warm) == list(cold), where
    for name, surface in warm.items():
        other = cold[name]
        assert np.array_equal(surface.points, other.points), f"{where}: {name} points"
        assert np.array_equal(surface.faces, other.faces), f"{where}: {name} faces"
        for key, values in other.cell_data.items():
            assert np.array_equal(surface.cell_data[key], values), f"{where}: {name} cell {key}"
        for key, values in other.point_data.items():
            assert np.array_equal(surface.point_data[key], values), f"{where}: {name} point {key}"


@pytest.mark.parametrize("kind", ["radial", "circumferential", "rim"])
def test_an_animated_transition_builds_what_a_cold_build_does(kind: str) -> None:
    params = Params({"quality": "low", "fissure.type": kind, "fissure.depth": 0.7})
    progress_values = np.linspace(0.0, 1.0, 7)
    for state in STATES[1:]:
        model.clear_caches()
        before = previous_state(state)
        assert before is not None
        build_surfaces(before, params, 1.0)
        warm = [build_surfaces(state, params, float(t)) for t in progress_values]
        for t, frame in zip(progress_values, warm, strict=True):
            _assert_same(frame, _cold(state, params, float(t)), f"{kind} {state} at {t:.2f}")


def test_a_full_lamella_cache_starts_over_without_losing_lamellae(monkeypatch: pytest.MonkeyPatch) -> None:
    params = Params({"quality": "low"})
    expected = {t: _cold("ruptured", params, t) for t in (0.3, 0.6)}
    model.clear_caches()
    monkeypatch.setattr(disc, "_LAMELLA_CACHE_SIZE", 25)  # smaller than two frames' lamellae
    for t in (0.3, 0.6, 0.3):
        _assert_same(build_surfaces("ruptured", params, t), expected[t], f"ruptured at {t}")
    assert len(disc._LAMELLA_CACHE) <= 25 + params.f("annulus.lamellae")


def test_frames_handed_out_share_no_writable_arrays() -> None:
    params = Params({"quality": "low"})
    model.clear_caches()
    first = build_surfaces("repaired", params, 0.4)["annulus"]
    second = build_surfaces("repaired", params, 0.6)["annulus"]
    shared = [first.faces, *first.cell_data.values()]
    assert all(array is other for array, other in zip(shared, [second.faces, *second.cell_data.values()],
                                                        strict=True))
    for array in shared:
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0  # a consumer writing into shared topology would corrupt later frames


def test_the_outline_table_matches_the_outline_formula() -> None:
    frame = DiscFrame.from_params(Params({"quality": "medium"}))
    theta = np.random.default_rng(0).uniform(-4 * np.pi, 4 * np.pi, 20_000)
    error = np.abs(frame.outer_radius(theta) - frame.exact_outer_radius(theta))
    assert error.max() < 1e-5  # mm: far below GAP (0.04 mm) between neighbouring solids


def test_a_lecture_of_interrupted_transitions_keeps_the_caches_small() -> None:
    """Every frame of a transition has new gaps; a presenter who steps back and forth for an
    hour must not fill memory with lamellae no frame will ask for again.
    """
    params = Params({"quality": "low"})
    rng = np.random.default_rng(7)
    model.clear_caches()

    def frames(count: int) -> None:
        for state, progress in zip(rng.choice(STATES[1:], count), rng.random(count), strict=True):
            build_surfaces(str(state), params, float(progress))

    tracemalloc.start()  # (before the warm-up: it counts only what is allocated while tracing)
    try:
        frames(300)  # warm: the caches at their working size (five states, two disc layouts)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        frames(300)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(disc._LAMELLA_CACHE) <= disc._LAMELLA_CACHE_SIZE
    assert len(disc._TOPOLOGY_CACHE) <= disc._TOPOLOGY_CACHE_SIZE
    assert growth < 2 * 2**20, f"the geometry caches grew by {growth / 2**20:.1f} MiB over 300 frames"
