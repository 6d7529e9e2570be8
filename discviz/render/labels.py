"""Labels that never lie: where each leader ends, and where each label's box goes.

Numpy only (the renderer feeds it the id picture). A label's anchor is a pixel of its own
structure as drawn: the point deepest inside the structure's visible region, kept from
frame to frame while it stays well inside. An anchor needs a patch of its structure around it
(a dot on a sliver would hide what it names) and prefers pixels seen directly to pixels
seen through glass. Boxes are placed greedily, nearest free spot first, with hard rules
(inside the free area of the picture, no box over another box, a dot, a leader or the
focused structures) and wishes in order of weight: leaders that pass no other dot, boxes
off the structures that matter (focused, highlighted, labelled, nerve roots, instruments),
leaders that do not run across the focused structures, short mostly horizontal leaders,
boxes over the background rather than the model, the place of the last frame.
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
LINE_PIXELS = 12  # a structure thinner than a dot everywhere shows this many dots' squares, or no label
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


def choose_anchor(mask: np.ndarray, previous: tuple[int, int] | None = None,
                  min_depth: int = 1) -> tuple[int, int] | None:
    """(row, column) of ``mask`` to pin a label on: last frame's pixel while it stays well
    inside (not on the edge of one thicker than a pixel: a moving edge soon leaves it), else
    the pixel deepest inside (the middle of the largest part shown). ``min_depth``: how
    deep (erosion count) the dot's patch should be; a structure thinner than that everywhere
    (a nerve's line, a narrow crack) still gets a dot when it shows :data:`LINE_PIXELS` times
    as many pixels (it reads on both sides of the dot), else none (a sliver the dot would
    cover). None as well when the structure shows fewer than :data:`MIN_PIXELS`. Large
    regions are searched on a coarser grid (the middle of a big region need not be found
    to the pixel).
    """
    shown = int(mask.sum())
    if shown < MIN_PIXELS:
        return None
    rows, columns = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, columns[0], columns[-1] + 1
    step = max(1, math.ceil(max(r1 - r0, c1 - c0) / ANCHOR_GRID))
    crop = np.pad(mask[r0:r1, c0:c1][::step, ::step], 1)  # a border: the edge is outside
    depth = depth_inside(crop)[1:-1, 1:-1]
    deepest = int(depth.max())
    if deepest == 0 or (deepest * step < min_depth and shown < LINE_PIXELS * min_depth ** 2):
        return None
    min_depth = min(min_depth, deepest * step)
    if previous is not None:
        row, column = previous
        if 0 <= row < mask.shape[0] and 0 <= column < mask.shape[1] and mask[row, column]:
            r, c = (row - r0) // step, (column - c0) // step
            if 0 <= r < depth.shape[0] and 0 <= c < depth.shape[1] and \
                    depth[r, c] * step >= min_depth and \
                    depth[r, c] >= max(KEEP_DEPTH * deepest, min(deepest, 2)):
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
        table = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), np.int32)
        np.cumsum(mask, axis=0, dtype=np.int32, out=table[1:, 1:])
        np.cumsum(table[1:, 1:], axis=1, out=table[1:, 1:])
        self.table = table

    def count(self, box: Box) -> int:
        """Mask pixels under ``box`` (picture pixels)."""
        return int(self.counts(np.asarray([box], np.float64))[0])

    def counts(self, boxes: np.ndarray) -> np.ndarray:
        """Mask pixels under each of the (n, 4) ``boxes`` (picture pixels)."""
        if self.table is None:
            return np.zeros(len(boxes), np.int64)
        h, w = self.table.shape[0] - 1, self.table.shape[1] - 1
        scaled = boxes * self.scale
        c0 = np.clip(np.floor(scaled[:, 0]), 0, w).astype(np.intp)
        c1 = np.clip(np.ceil(scaled[:, 2]), 0, w).astype(np.intp)
        r0 = np.clip(np.floor(scaled[:, 1]), 0, h).astype(np.intp)
        r1 = np.clip(np.ceil(scaled[:, 3]), 0, h).astype(np.intp)
        t = self.table
        return t[r1, c1].astype(np.int64) - t[r0, c1] - t[r1, c0] + t[r0, c0]


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


SAMPLES = np.linspace(0.04, 0.96, 24)  # where along a leader it is checked against boxes


def _samples(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points (x and y, each (n, samples)) along n segments, their very ends left out."""
    xs = starts[:, 0:1] + (ends[:, 0:1] - starts[:, 0:1]) * SAMPLES
    ys = starts[:, 1:2] + (ends[:, 1:2] - starts[:, 1:2]) * SAMPLES
    return xs, ys


def _inside(xs: np.ndarray, ys: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """(n, samples, k): which sample points lie strictly inside which of the k boxes."""
    x, y = xs[:, :, None], ys[:, :, None]
    return (x > boxes[:, 0]) & (x < boxes[:, 2]) & (y > boxes[:, 1]) & (y < boxes[:, 3])


def _side(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """On which side of the line p-q the point r lies (the sign), broadcast."""
    along = (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1])
    return along - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0])


def _crossings(anchor: np.ndarray, ends: np.ndarray, leaders: np.ndarray) -> np.ndarray:
    """How many of the (m, 2, 2) ``leaders`` the leader from ``anchor`` to each of the
    (n, 2) ``ends`` crosses (properly: touching does not count).
    """
    if len(leaders) == 0:
        return np.zeros(len(ends), np.int64)
    p1, p2 = anchor[None, None, :], ends[:, None, :]
    p3, p4 = leaders[None, :, 0, :], leaders[None, :, 1, :]
    d1, d2 = _side(p3, p4, p1), _side(p3, p4, p2)
    d3, d4 = _side(p1, p2, p3), _side(p1, p2, p4)
    return ((d1 * d2 < 0) & (d3 * d4 < 0)).sum(axis=1)


def _overlapping(boxes: np.ndarray, others: np.ndarray, gap: float = 0.0) -> np.ndarray:
    """(n,): which of the ``boxes`` overlap any of the ``others`` (as :func:`overlaps`)."""
    a, b = boxes[:, None, :], others[None, :, :]
    hit = (a[..., 0] - gap < b[..., 2]) & (b[..., 0] - gap < a[..., 2]) & \
          (a[..., 1] - gap < b[..., 3]) & (b[..., 1] - gap < a[..., 3])
    return hit.any(axis=1)


def _leader_ends(anchor: Point, boxes: np.ndarray) -> np.ndarray:
    """:func:`leader_end` of ``anchor`` and each of the (n, 4) ``boxes``: (n, 2)."""
    x0, y0, x1, y1 = boxes.T
    ax, ay = anchor
    beside = (ax <= x0) | (ax >= x1)
    side_y = np.minimum(np.maximum(ay, y0 + 0.3 * (y1 - y0)), y1 - 0.3 * (y1 - y0))
    x = np.where(ax <= x0, x0, np.where(ax >= x1, x1, np.minimum(np.maximum(ax, x0), x1)))
    y = np.where(beside, side_y, np.where(ay < y0, y0, y1))
    return np.stack([x, y], axis=1)


RADII = (1.0, 1.5, 2.1, 2.9, 3.9, 5.2, 7.0)  # candidate distances, in multiples of the reach


def _candidates(anchor: Point, size: tuple[float, float], reach: float) -> list[tuple[Box, float]]:
    """Boxes around the anchor with a cost for their place: sideways first, then diagonal,
    then up and down, nearer before farther.
    """
    w, h = size
    ax, ay = anchor
    out: list[tuple[Box, float]] = []
    for radius in RADII:
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


def _nearest_dot(start: np.ndarray, ends: np.ndarray, dots: np.ndarray) -> np.ndarray:
    """(n,): how near the leader from ``start`` to each of the (n, 2) ``ends`` passes the
    nearest of the (k, 2) ``dots`` (inf without dots).
    """
    if len(dots) == 0:
        return np.full(len(ends), np.inf)
    along = ends - start  # (n, 2)
    length = np.maximum((along ** 2).sum(axis=1), 1e-9)
    t = ((dots[None, :, :] - start) * along[:, None, :]).sum(axis=2) / length[:, None]  # (n, k)
    closest = start + np.clip(t, 0.0, 1.0)[:, :, None] * along[:, None, :]
    return np.sqrt(((closest - dots[None, :, :]) ** 2).sum(axis=2)).min(axis=1)


@dataclass(frozen=True)
class Avoid:
    """Structures leaders should not run across (the focused and highlighted ones), on a
    window-wide map of structure numbers at ``scale`` map pixels per picture pixel. A
    leader's own structure (it starts on it) does not count against it.
    """

    ids: np.ndarray
    scale: float
    numbers: tuple[int, ...]
    own: Mapping[str, int]

    def shares(self, key: str, start: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """(n,): the share of each leader (``start`` to each of ``ends``) over avoided pixels."""
        avoided = [n for n in self.numbers if n != self.own.get(key)]
        if not avoided:
            return np.zeros(len(ends))
        xs, ys = _samples(np.broadcast_to(start, ends.shape), ends)
        rows = np.clip((ys * self.scale).astype(np.intp), 0, self.ids.shape[0] - 1)
        columns = np.clip((xs * self.scale).astype(np.intp), 0, self.ids.shape[1] - 1)
        return np.isin(self.ids[rows, columns], avoided).mean(axis=1)


DOT_PENALTY = 10.0  # a leader passing another dot: worse than any place's cost
GUARD_WEIGHT = 12.0  # per share of a box over structures that matter
ACROSS_WEIGHT = 6.0  # per share of a leader across the focused structures


def layout(anchors: Mapping[str, Point], sizes: Mapping[str, tuple[float, float]], area: Box,
           reach: float, hard: Coverage | None = None, soft: Coverage | None = None,
           previous: Mapping[str, Point] | None = None, keep_out: tuple[Box, ...] = (),
           gap: float = 4.0, guard: Coverage | None = None, avoid: Avoid | None = None,
           clearance: float = 12.0) -> dict[str, Placed]:
    """Place a box for each anchored label. ``area``: where boxes may go; ``reach``: the
    shortest leader; ``hard``: pixels no box may cover (the focused structures); ``guard``:
    pixels a box keeps off whenever some free place exists (what the step is about, the
    labelled structures, roots, instruments); ``soft``: pixels a box should rather not
    cover (the model); ``avoid``: structures leaders should not run across; ``clearance``:
    how near a leader may pass another label's dot (closer only when no place keeps it);
    ``previous``: last frame's box offsets from their anchors (kept while still good, so
    labels do not jump); ``keep_out``: boxes of other things (an inset picture, a pain map).
    A label that fits nowhere is left out: better no label than one over another or over
    the subject.
    """
    placed: dict[str, Placed] = {}
    blocked = np.asarray(keep_out, np.float64).reshape(-1, 4)
    leaders = np.zeros((0, 2, 2))
    centres = np.asarray(list(anchors.values()), np.float64).reshape(-1, 2)
    half = max(3.0, clearance * 0.5)  # a box keeps this far from every other dot
    dots = np.concatenate([centres - half, centres + half], axis=1)
    order = sorted(anchors, key=lambda n: (anchors[n][1], anchors[n][0]))
    for name in order:
        anchor = anchors[name]
        size = sizes[name]
        options = _candidates(anchor, size, reach)
        if previous and name in previous:
            dx, dy = previous[name]
            box = (anchor[0] + dx, anchor[1] + dy, anchor[0] + dx + size[0], anchor[1] + dy + size[1])
            options.insert(0, (box, -1.0))  # last frame's place first: the best while still good
        boxes = np.asarray([box for box, _ in options], np.float64)
        costs = np.asarray([cost for _, cost in options], np.float64)
        ok = (boxes[:, 0] >= area[0]) & (boxes[:, 1] >= area[1]) & (boxes[:, 2] <= area[2]) & \
            (boxes[:, 3] <= area[3])
        ok &= ~_overlapping(boxes, blocked, gap)
        if hard is not None:
            ok &= hard.counts(boxes) == 0
        others = np.asarray([a != anchor for a in map(tuple, centres)]) if len(centres) else np.zeros(0, bool)
        ok &= ~_overlapping(boxes, dots[others])  # a box never hides another label's dot
        start = np.asarray(anchor, np.float64)
        ends = _leader_ends(anchor, boxes)
        xs, ys = _samples(np.broadcast_to(start, ends.shape), ends)
        ok &= ~_inside(xs, ys, blocked).any(axis=(1, 2))  # its leader crosses no box
        xs, ys = _samples(leaders[:, 0], leaders[:, 1])
        ok &= ~_inside(xs, ys, boxes).any(axis=(0, 1))  # it covers no leader
        if not ok.any():
            continue  # better no label than one over another or over the subject
        area_px = max(size[0] * size[1], 1.0)
        covered = soft.counts(boxes) / max(area_px * soft.scale ** 2, 1.0) if soft else 0.0
        guarded = guard.counts(boxes) / max(area_px * guard.scale ** 2, 1.0) if guard else 0.0
        across = avoid.shares(name, start, ends) if avoid is not None else 0.0
        near = _nearest_dot(start, ends, centres[others])
        score = costs + 1.5 * covered + 2.0 * _crossings(start, ends, leaders) + GUARD_WEIGHT * guarded + \
            ACROSS_WEIGHT * across + DOT_PENALTY * (near < clearance)
        score = np.where(ok, score, np.inf)
        best = int(np.argmin(score))  # the first of the best, in the order of preference
        box = (float(boxes[best, 0]), float(boxes[best, 1]), float(boxes[best, 2]), float(boxes[best, 3]))
        placed[name] = Placed(name, anchor, box, (anchor, (float(ends[best, 0]), float(ends[best, 1]))))
        blocked = np.vstack([blocked, boxes[best]])
        leaders = np.concatenate([leaders, [[start, ends[best]]]])
    return placed
