"""Geometry speed figures for `discviz bench` (never asserted in unit tests)."""

from __future__ import annotations

import time

from discviz.geometry import disc, model
from discviz.geometry.params import Params
from discviz.geometry.structures import STATES


def _best_ms(action, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _clear() -> None:
    disc._LAMELLA_CACHE.clear()
    model._layout.cache_clear()
    model._static.cache_clear()


def run_bench(repeat: int) -> dict[str, object]:
    """Build times at medium quality, cold (nothing cached) and per transition frame."""
    params = Params({"quality": "medium"})
    figures: dict[str, object] = {}
    for state in ("ruptured", "nerve-ingrowth"):
        def cold(state: str = state) -> None:
            _clear()
            model.build_surfaces(state, params, 1.0)

        figures[f"{state}_full_build_ms"] = round(_best_ms(cold, repeat), 2)
    frames = {}
    for state in STATES[1:]:
        model.build_surfaces(state, params, 0.5)
        frames[state] = round(_best_ms(lambda s=state: model.build_surfaces(s, params, 0.37), repeat), 2)
    figures["transition_frame_ms"] = frames
    _clear()
    parts = model.build_surfaces("nerve-ingrowth", params, 1.0)
    triangles = sum(p.n_faces for p in parts.values())
    full = _best_ms(lambda: (_clear(), model.build_surfaces("nerve-ingrowth", params, 1.0)), repeat)
    figures["triangles_nerve_ingrowth"] = triangles
    figures["microseconds_per_triangle"] = round(full * 1000 / triangles, 3)
    figures["targets"] = {"full_build_ms": 30, "transition_frame_ms": 5, "microseconds_per_triangle": 0.3}
    return figures
