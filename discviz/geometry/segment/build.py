"""Every structure of the motion segment around the disc, built once per parameter set.

The segment does not change within a story (a fissure tears, nerves grow, the bones stay), so
its surfaces are cached on the parameters that shape it only: stepping through fissure grades
or nerve counts never rebuilds the bone.
"""

from __future__ import annotations

from functools import lru_cache

from discviz.geometry.disc.outline import QUALITY
from discviz.geometry.params import SPECS, Params
from discviz.geometry.segment.canal import dural_sac_surface
from discviz.geometry.segment.facets import facet_joints_surface
from discviz.geometry.segment.layout import SegmentLayout, segment_layout
from discviz.geometry.segment.roots import nerve_roots_surface
from discviz.geometry.segment.vertebra import vertebra_surface
from discviz.geometry.surface import Surface

#: Parameter groups that shape the segment (besides the disc's outline and heights).
SEGMENT_GROUPS = ("segment", "canal", "pedicle", "lamina", "spinous", "transverse", "foramen",
                  "facet", "sac", "roots", "ganglion", "vertebra")
DISC_KEYS = ("disc.width", "disc.depth", "disc.height_anterior", "disc.height_posterior", "disc.notch",
             "endplate.concavity_upper", "endplate.concavity_lower", "quality")
SEGMENT_KEYS: tuple[str, ...] = tuple(
    key for key in SPECS if key in DISC_KEYS or key.split(".")[0] in SEGMENT_GROUPS)


def segment_params(params: Params) -> Params:
    """The parameters with everything that does not shape the segment set to its default."""
    return Params({key: params[key] for key in SEGMENT_KEYS})


def layout_of(params: Params) -> SegmentLayout:
    """The segment's layout (cached on the keys that shape it)."""
    return segment_layout(segment_params(params))


@lru_cache(maxsize=8)
def _surfaces(key: Params) -> dict[str, Surface]:
    layout = segment_layout(key)
    sides = QUALITY[str(key["quality"])][3] + 4
    return {
        "vertebra-upper": vertebra_surface(layout, upper=True),
        "vertebra-lower": vertebra_surface(layout, upper=False),
        "facet-joints": facet_joints_surface(layout),
        "nerve-roots": nerve_roots_surface(layout, sides),
        "dural-sac": dural_sac_surface(layout),
    }


def segment_surfaces(params: Params) -> dict[str, Surface]:
    """Vertebrae, facet joints, nerve roots and dural sac for ``params`` (cached)."""
    return _surfaces(segment_params(params))


def clear_segment_caches() -> None:
    """Forget every cached segment (benchmarks, tests)."""
    _surfaces.cache_clear()
    segment_layout.cache_clear()
