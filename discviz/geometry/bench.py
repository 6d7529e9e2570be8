"""Geometry speed figures for `discviz bench` (never asserted in unit tests)."""

from __future__ import annotations

import time
from functools import partial

import numpy as np

from discviz.geometry import model
from discviz.geometry.disc import annulus as disc
from discviz.geometry.params import Params
from discviz.geometry.structures import STATES, previous_state


def _best_ms(action, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _sweep(state: str, params: Params, repeat: int, frames: int = 31) -> dict[str, float]:
    """Frame times of an animated transition (progress 0..1), the way the player asks for
    them: every frame a new progress, after the previous state was on screen (its lamellae
    cached). Each frame's best over ``repeat`` sweeps; the mean and the slowest frame.
    """
    best = [float("inf")] * frames
    before = previous_state(state)
    for _ in range(repeat):
        disc.clear_annulus_caches()
        if before is not None:
            model.build_surfaces(before, params, 1.0)
        for i, progress in enumerate(np.linspace(0.0, 1.0, frames)):
            start = time.perf_counter()
            model.build_surfaces(state, params, float(progress))
            best[i] = min(best[i], time.perf_counter() - start)
    return {"mean": round(1000 * float(np.mean(best)), 2), "max": round(1000 * max(best), 2)}


def _segment(params: Params, repeat: int) -> dict[str, object]:
    """The whole healthy segment (disc, vertebrae, facet joints, sac, roots) at L4-L5: cold
    (nothing cached) and rebuilt from the cache, and what its parts cost.
    """
    from discviz.geometry.segment import build as segment

    def cold() -> None:
        model.clear_caches()
        model.build_surfaces("healthy", params, 1.0)

    figures: dict[str, object] = {"segment_cold_ms": round(_best_ms(cold, repeat), 2)}
    model.build_surfaces("healthy", params, 1.0)
    figures["segment_cached_ms"] = round(_best_ms(lambda: model.build_surfaces("healthy", params, 1.0),
                                                  repeat * 5), 3)

    def bones_only() -> None:
        segment.clear_segment_caches()
        segment.segment_surfaces(params)

    figures["segment_static_parts_ms"] = round(_best_ms(bones_only, repeat), 2)
    parts = segment.segment_surfaces(params)
    figures["segment_triangles"] = {name: p.n_faces for name, p in parts.items()}
    return figures


def _operation(params: Params, repeat: int) -> dict[str, object]:
    """The operation: the repair played by the instruments (docked, probe, forceps), the
    approach (insertion 0..1) frame by frame, and planning the trajectory once.
    """
    from discviz.geometry.instruments import trajectory

    docked = params.update({"instruments.insertion": 1.0, "rf.power": 0.5})

    def plan() -> None:
        trajectory.plan_trajectory.cache_clear()
        trajectory.plan_trajectory(docked.update({"instruments.insertion": 0.0, "rf.power": 0.0}))

    figures: dict[str, object] = {"operation_trajectory_plan_ms": round(_best_ms(plan, repeat), 1)}
    figures["operation_transition_frame_ms"] = {"repaired": _sweep("repaired", docked, repeat)}
    best = []
    model.build_surfaces("nerve-ingrowth", docked, 1.0)
    for insertion in np.linspace(0.02, 1.0, 25):
        frame = docked.update({"instruments.insertion": float(insertion)})
        best.append(_best_ms(lambda frame=frame: model.build_surfaces("nerve-ingrowth", frame, 1.0), repeat))
    figures["operation_approach_frame_ms"] = {"mean": round(float(np.mean(best)), 2),
                                              "max": round(max(best), 2)}
    return figures


def run_bench(repeat: int) -> dict[str, object]:
    """Build times at medium quality, cold (nothing cached), and per frame of each transition."""
    params = Params({"quality": "medium"})
    figures: dict[str, object] = {}
    full: dict[str, float] = {}
    def cold(state: str, keep_segment: bool) -> None:
        model.clear_caches(keep_segment)
        model.build_surfaces(state, params, 1.0)

    for state in ("ruptured", "nerve-ingrowth", "herniated"):
        # the disc and its pathology from nothing, the segment (static in a story) cached;
        # then everything from nothing, the segment included
        full[state] = _best_ms(partial(cold, state, True), repeat)
        figures[f"{state}_full_build_ms"] = round(full[state], 2)
        with_segment = _best_ms(partial(cold, state, False), repeat)
        figures[f"{state}_full_build_with_segment_ms"] = round(with_segment, 2)
    figures["transition_frame_ms"] = {state: _sweep(state, params, repeat) for state in STATES[1:]}
    triangles = sum(p.n_faces for p in model.build_surfaces("nerve-ingrowth", params, 1.0).values())
    figures["triangles_nerve_ingrowth"] = triangles
    figures["microseconds_per_triangle"] = round(full["nerve-ingrowth"] * 1000 / triangles, 3)
    figures.update(_segment(params, repeat))
    figures.update(_operation(params, repeat))
    figures["targets"] = {"full_build_ms": 30, "transition_frame_ms": 5, "microseconds_per_triangle": 0.3,
                          "segment_cold_ms": 60, "segment_cached_ms": 1,
                          "operation_transition_frame_ms": 5}
    return figures
