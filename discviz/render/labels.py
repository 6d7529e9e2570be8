"""Labels that never lie: where each leader ends, and where each label's box goes.

Numpy only (the renderer feeds it the id picture). A label's anchor is a pixel of its own
structure as drawn: the point deepest inside the structure's visible region, kept from
frame to frame while it stays well inside. Boxes are placed greedily, nearest free spot
first, with hard rules (inside the free area of the picture, no box over another box, over
a leader or over the focused structures) and soft wishes (short, mostly horizontal
leaders, boxes over the background rather than the model, the place of the last frame).
Coordinates are pixels from the picture's top-left corner.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Point = tuple[float, float]

MIN_PIXELS = 6  # a structure showing fewer pixels (in the id map) gets no label
KEEP_DEPTH = 0.45  # keep last frame's anchor while it is at least this share of the deepest


def depth_inside(mask: np.ndarray, limit: int = 64) -> np.ndarray:
    """How many pixels each pixel of ``mask`` lies inside it (city-block erosion count)."""
    depth = np.zeros(mask.shape, np.int16)
    current = mask.copy()
    for step in range(1, limit + 1):
        if not current.any():
            break
        depth[current] = step
        inner = current.copy()
        inner[1:, :] &= current[:-1, :]
        inner[:-1, :] &= current[1:, :]
        inner[:, 1:] &= current[:, :-1]
        inner[:, :-1] &= current[:, 1:]
        inner[0, :] = inner[-1, :] = False
        inner[:, 0] = inner[:, -1] = False
        current = inner
    return depth


ANCHOR_GRID = 96  # the depth search runs on at most this many pixels across a structure


def choose_anchor(mask: np.ndarray, previous: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """(row, column) of ``mask`` to pin a label on: last frame's pixel while it stays well
    inside, else the pixel deepest inside (the middle of the largest part shown). None when
    the structure shows too little. Large regions are searched on a coarser grid (the middle
    of a big region need not be found to the pixel).
    """
    if int(mask.sum()) < MIN_PIXELS:
        return None
    rows, columns = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, columns[0], columns[-1] + 1
    step = max(1, math.ceil(max(r1 - r0, c1 - c0) / ANCHOR_GRID))
    crop = np.pad(mask[r0:r1, c0:c1][::step, ::step], 1)  # a border: the edge is outside
    depth = depth_inside(crop)[1:-1, 1:-1]
    deepest = int(depth.max())
    if deepest == 0:
        return None
    if previous is not None:
        row, column = previous
        if 0 <= row < mask.shape[0] and 0 <= column < mask.shape[1] and mask[row, column]:
            r, c = (row - r0) // step, (column - c0) // step
            if 0 <= r < depth.shape[0] and 0 <= c < depth.shape[1] and \
                    depth[r, c] >= max(KEEP_DEPTH * deepest, 1):
                return previous
    found_r, found_c = np.nonzero(depth == deepest)
    middle = np.array([found_r.mean(), found_c.mean()])
    pick = int(np.argmin((found_r - middle[0]) ** 2 + (found_c - middle[1]) ** 2))
    row, column = r0 + found_r[pick] * step, c0 + found_c[pick] * step
    return int(row), int(column)


class Coverage:
    """Counts of a mask's pixels under any box, in constant time (summed-area table)."""

    def __init__(self, mask: np.ndarray | None, scale: float = 1.0) -> None:
        self.scale = scale  # mask pixels per picture pixel
        if mask is None:
            self.table = None
            return
        table = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), np.int64)
        table[1:, 1:] = mask.astype(np.int64).cumsum(axis=0).cumsum(axis=1)
        self.table = table

    def count(self, box: Box) -> int:
        """Mask pixels under ``box`` (picture pixels)."""
        if self.table is None:
            return 0
        h, w = self.table.shape[0] - 1, self.table.shape[1] - 1
        x0, y0, x1, y1 = (v * self.scale for v in box)
        c0, c1 = int(np.clip(math.floor(x0), 0, w)), int(np.clip(math.ceil(x1), 0, w))
        r0, r1 = int(np.clip(math.floor(y0), 0, h)), int(np.clip(math.ceil(y1), 0, h))
        t = self.table
        return int(t[r1, c1] - t[r0, c1] - t[r1, c0] + t[r0, c0])


@dataclass(frozen=True)
class Placed:
    """A label's box and its leader, from the box's edge to the anchor."""

    name: str
    anchor: Point
    box: Box
    leader: tuple[Point, Point]


def overlaps(a: Box, b: Box, gap: float = 0.0) -> bool:
    """True when the boxes (grown by ``gap``) overlap."""
    return a[0] - gap < b[2] and b[0] - gap < a[2] and a[1] - gap < b[3] and b[1] - gap < a[3]


def leader_end(anchor: Point, box: Box) -> Point:
    """Where the leader meets the box: the middle of the side facing the anchor, or the
    nearest point of the top or bottom edge when the anchor is above or below the box.
    """
    x0, y0, x1, y1 = box
    ax, ay = anchor
    if ax <= x0:
        return (x0, min(max(ay, y0 + 0.3 * (y1 - y0)), y1 - 0.3 * (y1 - y0)))
    if ax >= x1:
        return (x1, min(max(ay, y0 + 0.3 * (y1 - y0)), y1 - 0.3 * (y1 - y0)))
    return (min(max(ax, x0), x1), y0 if ay < y0 else y1)


def _segment_hits_box(p: Point, q: Point, box: Box, samples: int = 24) -> bool:
    t = np.linspace(0.04, 0.96, samples)
    xs = p[0] + (q[0] - p[0]) * t
    ys = p[1] + (q[1] - p[1]) * t
    return bool(np.any((xs > box[0]) & (xs < box[2]) & (ys > box[1]) & (ys < box[3])))


def _segments_cross(a: tuple[Point, Point], b: tuple[Point, Point]) -> bool:
    (p1, p2), (p3, p4) = a, b

    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2 = side(p3, p4, p1), side(p3, p4, p2)
    d3, d4 = side(p1, p2, p3), side(p1, p2, p4)
    return (d1 * d2 < 0) and (d3 * d4 < 0)


def _candidates(anchor: Point, size: tuple[float, float], reach: float) -> list[tuple[Box, float]]:
    """Boxes around the anchor with a cost for their place: sideways first, then diagonal,
    then up and down, nearer before farther.
    """
    w, h = size
    ax, ay = anchor
    out: list[tuple[Box, float]] = []
    for radius in (1.0, 1.5, 2.1, 2.9, 3.9, 5.2):
        r = reach * radius
        for angle, cost in ((0, 0.0), (180, 0.0), (-25, 0.25), (205, 0.25), (25, 0.25), (155, 0.25),
                            (-55, 0.6), (235, 0.6), (55, 0.6), (125, 0.6), (-90, 1.0), (90, 1.0)):
            a = math.radians(angle)
            cx, cy = ax + r * math.cos(a), ay - r * math.sin(a)
            # the box's near side faces the anchor
            if math.cos(a) > 0.2:
                x0 = cx
            elif math.cos(a) < -0.2:
                x0 = cx - w
            else:
                x0 = cx - w / 2
            y0 = cy - h / 2 if abs(math.sin(a)) < 0.5 else (cy - h if math.sin(a) > 0 else cy)
            out.append(((x0, y0, x0 + w, y0 + h), radius + cost))
    return out


def layout(anchors: Mapping[str, Point], sizes: Mapping[str, tuple[float, float]], area: Box,
           reach: float, hard: Coverage | None = None, soft: Coverage | None = None,
           previous: Mapping[str, Point] | None = None, keep_out: tuple[Box, ...] = (),
           gap: float = 4.0) -> dict[str, Placed]:
    """Place a box for each anchored label. ``area``: where boxes may go; ``reach``: the
    shortest leader; ``hard``: pixels no box may cover (the focused structures); ``soft``:
    pixels a box should rather not cover (the model); ``previous``: last frame's box offsets
    from their anchors (kept while still good, so labels do not jump); ``keep_out``: boxes
    of other things (an inset picture, a pain map). A label that fits nowhere is left out:
    better no label than one over another or over the subject.
    """
    placed: dict[str, Placed] = {}
    blocked: list[Box] = list(keep_out)
    leaders: list[tuple[Point, Point]] = []
    order = sorted(anchors, key=lambda n: (anchors[n][1], anchors[n][0]))
    for name in order:
        anchor = anchors[name]
        size = sizes[name]
        options = _candidates(anchor, size, reach)
        if previous and name in previous:
            dx, dy = previous[name]
            box = (anchor[0] + dx, anchor[1] + dy, anchor[0] + dx + size[0], anchor[1] + dy + size[1])
            options.insert(0, (box, -1.0))
        best: tuple[float, Box, tuple[Point, Point]] | None = None
        for box, cost in options:
            if box[0] < area[0] or box[1] < area[1] or box[2] > area[2] or box[3] > area[3]:
                continue
            if any(overlaps(box, other, gap) for other in blocked):
                continue
            if hard is not None and hard.count(box) > 0:
                continue
            if any(overlaps(box, (a[0] - 3, a[1] - 3, a[0] + 3, a[1] + 3)) for a in anchors.values()):
                continue  # a box never hides another label's dot
            end = leader_end(anchor, box)
            leader = (anchor, end)
            if any(_segment_hits_box(anchor, end, other) for other in blocked):
                continue
            if any(_segment_hits_box(a, b, box) for a, b in leaders):
                continue
            crossings = sum(_segments_cross(leader, other) for other in leaders)
            covered = soft.count(box) / max(size[0] * size[1] * soft.scale ** 2, 1.0) if soft else 0.0
            score = cost + 1.5 * covered + 2.0 * crossings
            if best is None or score < best[0]:
                best = (score, box, leader)
            if cost < 0 and crossings == 0 and covered < 0.5:
                break  # last frame's place is still good: keep it
        if best is None:
            continue
        _, box, leader = best
        placed[name] = Placed(name, anchor, box, leader)
        blocked.append(box)
        leaders.append(leader)
    return placed
