"""``build_surfaces``: parameters + clinical state + progress -> every structure's surface.

Static structures (the segment: vertebrae, facet joints, sac, roots; endplates, nucleus,
native nerves) are built once
per parameter set and reused; state-dependent ones are rebuilt per call from cached layouts,
with the same point count and faces at every progress value of a transition.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from discviz.geometry.disc.annulus import (
    DiscLayout,
    annulus_surface,
    clear_annulus_caches,
    endplate_surface,
    nucleus_surface,
)
from discviz.geometry.instruments.operation import (
    INSTRUMENTS,
    camera_of,
    clear_instrument_caches,
    instrument_surfaces,
)
from discviz.geometry.params import Params
from discviz.geometry.pathology.herniation import HerniatedScene, herniated_params, herniated_scene
from discviz.geometry.pathology.lesions import Pathology, Phase
from discviz.geometry.segment.build import clear_segment_caches, segment_surfaces
from discviz.geometry.structures import STATE_STRUCTURES, STATES
from discviz.geometry.surface import Surface

#: Structures that leave in a transition: still returned (shrinking) below progress 1.
LEAVING: dict[str, tuple[str, ...]] = {
    "repaired": ("fissure", "nucleus-tract", "nerve-endings", "inflammation"),
}


@lru_cache(maxsize=8)
def _layout(params: Params) -> tuple[DiscLayout, Pathology]:
    layout = DiscLayout(params)
    return layout, Pathology(layout)


@lru_cache(maxsize=8)
def _static(params: Params) -> dict[str, Surface]:
    layout, pathology = _layout(params)
    return {
        **segment_surfaces(params),
        "endplate-upper": endplate_surface(layout, upper=True),
        "endplate-lower": endplate_surface(layout, upper=False),
        "nucleus": _dyed(nucleus_surface(layout)),
        "native-nerves": pathology.native_nerves(),
    }


@lru_cache(maxsize=8)
def _herniated(params: Params) -> HerniatedScene:
    """The herniation of the herniated state's parameters (``herniated_params``)."""
    return herniated_scene(_layout(params)[0])


def _dyed(nucleus: Surface) -> Surface:
    """The nucleus holds injected contrast everywhere (point array ``dye``, as the pathology)."""
    nucleus.point_data["dye"] = np.ones(nucleus.n_points)
    return nucleus


def clear_caches(keep_segment: bool = False) -> None:
    """Forget every cached layout, static structure, lamella and topology (benchmarks, tests);
    ``keep_segment`` keeps the bones, sac and roots, which a story builds once.
    """
    _layout.cache_clear()
    _static.cache_clear()
    _herniated.cache_clear()
    clear_annulus_caches()
    clear_instrument_caches()
    if not keep_segment:
        clear_segment_caches()


def build_surfaces(state: str, params: Params, progress: float = 1.0) -> dict[str, Surface]:
    """Every structure of ``state`` (docs/structures-and-parameters.md) at ``progress`` (0..1)
    of the transition into it from the previous state of the story, in STRUCTURES order.
    """
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}; expected one of {', '.join(STATES)}")
    progress = min(max(float(progress), 0.0), 1.0)
    if state == "herniated":  # a full-thickness tear where the material comes out
        params = herniated_params(params)
    layout, pathology = _layout(params)
    phase = Phase.of(state, progress)
    wanted = set(STATE_STRUCTURES[state])
    if progress < 1.0:
        wanted |= set(LEAVING.get(state, ()))
    builders = {
        "annulus": lambda: annulus_surface(
            layout, pathology.lamella_gaps(phase), pathology.full_gaps(), pathology.shift(phase)),
        "fissure": lambda: pathology.fissure(phase),
        "nucleus-tract": lambda: pathology.nucleus_tract(phase),
        "nerve-endings": lambda: pathology.nerve_endings(phase),
        "inflammation": lambda: pathology.inflammation(phase),
        "repair": lambda: pathology.repair(phase),
    }
    static = _static(params)
    if state == "herniated":
        static = {**static, **_herniated(params).surfaces(phase.herniation)}
    tools = instrument_surfaces(params, pathology.site, layout.frame, state, progress)
    out: dict[str, Surface] = {}
    from discviz.geometry.structures import STRUCTURES

    for name in STRUCTURES:
        if name in tools:
            out[name] = tools[name]
        elif name in wanted and name not in INSTRUMENTS:
            out[name] = static[name] if name in static else builders[name]()
    return out


def endoscope_camera(state: str, params: Params, progress: float = 1.0) -> tuple[np.ndarray, ...]:
    """The endoscope's camera for the monitor view: (eye, a point it looks at, up), mm."""
    if state == "herniated":
        params = herniated_params(params)
    layout, pathology = _layout(params)
    progress = min(max(float(progress), 0.0), 1.0)
    return camera_of(params, pathology.site, layout.frame, state, progress)
