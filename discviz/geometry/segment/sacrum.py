"""The top of the sacrum, the lower bone of the L5-S1 segment.

S1's body carries the disc on its upper endplate; its anterior upper edge is the promontory.
The alae spread sideways from the body (its fused transverse and costal elements: labelled
``transverse-process``); behind them the short, broad S1 pedicles carry the large superior
articular processes, which face back and inward (more frontal than the lumbar ones) and meet
L5's inferior ones. The fused laminae roof the triangular sacral canal and carry the median
sacral crest (labelled ``spinous-process``). The model ends a body's height below the
endplate, rounded off, where the sacrum would go on down and back.
"""

from __future__ import annotations

import numpy as np

from discviz.geometry.segment.layout import SegmentLayout
from discviz.geometry.segment.sdf import Part, ellipsoid
from discviz.geometry.segment.vertebra import (
    ARTICULAR,
    LAMINA,
    PEDICLE,
    SPINOUS,
    TRANSVERSE,
    _box,
    _joint_box,
    articular_field,
    body_part,
    bone_grid,
    elliptic_rod,
    finish,
    keep_clear,
    sap_shape,
)
from discviz.geometry.surface import Surface


def sacrum_surface(layout: SegmentLayout) -> Surface:
    """The upper sacrum (S1) with cell array ``part`` and point array ``cortex``."""
    s1 = layout.lower
    height = s1.height
    grid = bone_grid(layout, s1)
    grid.add(body_part(layout, s1, taper=0.16))
    hp, wp = s1.pedicle_height, s1.pedicle_width
    a, b = s1.pedicle_axis()
    grid.add(Part(PEDICLE, *_box([a, b], max(wp, hp) / 2 + 1), elliptic_rod(
        a, b, (wp / 2 + 1.0, hp / 2 + 1.0), (wp / 2 * 0.85, hp / 2)), 3.0))
    # the alae: broad wings from the body's sides, their upper face sloping down and out, so the
    # L5 root crosses it in a shallow groove (a tunnel through bone would be wrong)
    half_span = s1.transverse_span / 2 * 1.02
    wing_root = np.array([12.0, -2.0, height - 9.0])
    wing_tip = np.array([half_span - 9.0, 4.0, height - 21.0])  # low: the L5 root crosses its top
    grid.add(Part(TRANSVERSE, *_box([wing_root, wing_tip], 16.0), elliptic_rod(
        wing_root, wing_tip, (12.0, 8.0), (10.0, 9.0)), 4.0))
    behind = np.array([b[0] + 2.0, b[1] - 1.0, height - 14.0])
    grid.add(Part(TRANSVERSE, *_box([wing_tip, behind], 12.0), elliptic_rod(
        np.array([wing_tip[0] - 4.0, wing_tip[1] + 4.0, wing_tip[2]]), behind, (7.0, 8.0), (6.0, 8.0)), 4.0))
    # the superior articular process above the pedicle, facing back and inward
    joint = s1.joint_above
    grid.add(Part(ARTICULAR, *_joint_box(joint, s1, 1.0),
                  articular_field(joint, s1, True, *sap_shape(joint)), 3.0))
    # the fused laminae and the median sacral crest
    sap = s1.sap_centre_local
    thick = s1.lamina_thickness
    back_y = s1.wall_y + s1.canal_depth + thick / 2
    top, bottom = height - 8.0, 2.0
    mid, half = (top + bottom) / 2, (top - bottom) / 2
    start = np.array([sap[0] - 1.0, sap[1] + 2.0, mid])
    end = np.array([0.0, back_y, mid])
    grid.add(Part(LAMINA, *_box([start, end], half + 1), elliptic_rod(
        start, end, (thick / 2, half), (thick / 2, half)), 3.0))
    crest = np.array([0.0, back_y + s1.spinous_length, mid - 1.0])
    grid.add(Part(SPINOUS, *_box([end, crest], half + 1), elliptic_rod(
        end, crest, (2.6, half * 0.7), (2.4, half * 0.6)), 2.5))
    grid.add(Part(SPINOUS, *_box([crest], 6.0), ellipsoid(crest, np.array([3.2, 3.0, half * 0.6])), 2.0))
    keep_clear(grid, layout, s1)
    return finish(layout, s1, grid)
