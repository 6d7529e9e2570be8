"""The curved paths of the tools that leave the scope's working channel (probe, forceps).

A tool bends out of the channel toward its target in the tear and runs along the annulus to
it: over the disc's surface, resting on it, where the dural sac and the roots behind the disc
leave room for it (so that the scope sees it arrive), sunk into the disc's outline where they
do not (beside the midline the sac lies right behind the disc); over its last millimetres it
dips down into the tear to its target.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from discviz.geometry.disc.outline import DiscFrame
from discviz.geometry.instruments.tools import PROBE_SAMPLES
from discviz.geometry.params import Params
from discviz.geometry.segment.build import layout_of
from discviz.geometry.segment.canal import sac_field

TRACK_SAMPLES = 200
AROUND = 720  # angles the room around the disc is sampled at
MARGIN = 0.4  # mm a tool on the disc's surface keeps from the sac and the roots
REST = 0.9  # share of its radius a tool's axis stands off the surface: it rests on it
DIP = 3.0  # mm before its target where a tool leaves the surface for the tear
LEVEL_AFTER = 5.0  # mm out of the channel by which a tool has reached its target's height


def _constant(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


_T = np.linspace(0.0, 1.0, TRACK_SAMPLES)[:, None]
#: the quadratic Bezier's weights of start, control and target at each sample (every frame's
#: track asks for them)
_BEZIER = tuple(_constant(w) for w in ((1 - _T) ** 2, 2 * _T * (1 - _T), _T**2))
#: a tool's points along its length, from its back (1) to its tip (0): denser toward the tip
_TOWARD_TIP = _constant(np.linspace(0.0, 1.0, PROBE_SAMPLES)[::-1] ** 2.2)


@dataclass(frozen=True)
class Room:
    """How far out from the disc's surface (mm, at mid-height) the sac and the roots leave
    room, all around the disc.
    """

    angles: np.ndarray  # (AROUND,) radians from anterior, as the outline's
    room: np.ndarray  # (AROUND,) mm

    def at(self, theta: np.ndarray) -> np.ndarray:
        """The room at ``theta`` (radians)."""
        return np.interp(np.mod(theta, 2 * np.pi), self.angles, self.room, period=2 * np.pi)


@lru_cache(maxsize=8)
def room_around(params: Params) -> Room:
    """The room outside the disc for ``params`` (cached; instruments' own values aside)."""
    frame = DiscFrame.from_params(params)
    layout = layout_of(params)
    theta = np.linspace(0.0, 2 * np.pi, AROUND, endpoint=False)
    xy = frame.outline(theta)
    inner = xy * 0.9
    z = (frame.upper_face(inner) + frame.lower_face(inner)) / 2
    points = np.column_stack([xy, z])
    room = sac_field(layout)(points[:, 0], points[:, 1], points[:, 2])
    for root in layout.roots.values():
        gaps = np.linalg.norm(points[:, None, :] - root.path[None], axis=2) - root.radius[None]
        room = np.minimum(room, gaps.min(axis=1))
    return Room(theta, room)


def _polar(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Angle (from anterior, as the outline's) and radius of points (n, 2+)."""
    return np.mod(np.arctan2(points[:, 0], -points[:, 1]), 2 * np.pi), np.hypot(points[:, 0], points[:, 1])


def track(start: np.ndarray, direction: np.ndarray, target: np.ndarray, frame: DiscFrame, room: Room,
          radius: float) -> tuple[np.ndarray, np.ndarray]:
    """The path (TRACK_SAMPLES, 3) of a tool of ``radius`` out of the channel at ``start`` to
    ``target``, and its arc length.
    """
    reach = float(np.linalg.norm(target - start))
    level = np.array([direction[0], direction[1], 0.0])  # bends in the disc's plane
    control = start + level / np.linalg.norm(level) * 0.5 * reach
    first, middle, last = _BEZIER
    curve = first * start + middle * control + last * target
    theta, now = _polar(curve)
    # on the surface where there is room behind it, else sunk into the disc's outline
    lift = np.minimum(REST * radius, room.at(theta) - radius - MARGIN)
    wanted = frame.exact_outer_radius(theta) + lift
    along = _lengths(curve - start)
    leave = np.clip((along - 2.0) / 4.0, 0.0, 1.0)  # straight out of the channel first
    ahead = _lengths(curve - target)
    weight = leave * np.clip(ahead / DIP, 0.0, 1.0) ** 0.7  # down into the tear at the end
    scale = 1.0 + weight * (wanted / np.maximum(now, 1e-9) - 1.0)
    curve[:, :2] *= scale[:, None]
    # down (or up) to the target's height soon after the channel: the tool then runs along the
    # disc's wall at that height, clear of the middle of the scope's picture
    drop = np.clip((along - 1.0) / LEVEL_AFTER, 0.0, 1.0)
    curve[:, 2] = start[2] + (target[2] - start[2]) * drop * drop * (3 - 2 * drop)
    # ... and between the endplates
    lower, upper = frame.faces(curve[:, :2])  # both in one evaluation
    top, bottom = upper - 1.6, lower + 1.6
    mid = (top + bottom) / 2
    inside = np.clip(curve[:, 2], np.minimum(bottom, mid), np.maximum(top, mid))
    curve[:, 2] += leave * (inside - curve[:, 2])
    s = np.concatenate([[0.0], np.cumsum(_lengths(curve[1:] - curve[:-1]))])
    return curve, s


def _lengths(vectors: np.ndarray) -> np.ndarray:
    """``np.linalg.norm(vectors, axis=1)`` without its overhead (every frame, small arrays)."""
    return np.sqrt((vectors * vectors).sum(axis=1))


def bent_path(start: np.ndarray, direction: np.ndarray, target: np.ndarray, out: float, total: float,
              frame: DiscFrame, room: Room, radius: float) -> np.ndarray:
    """A tool of length ``total`` whose tip is ``out`` (0..1) of the way along its track to the
    target (negative: still inside the channel); PROBE_SAMPLES points, denser toward the tip.
    """
    curve, s = track(start, direction, target, frame, room, radius)
    tip_s = out * s[-1]
    where = tip_s - total * _TOWARD_TIP  # arc length of each point, the tip last
    straight = start[None] + direction[None] * np.minimum(where, 0.0)[:, None]
    inside = np.clip(where, 0.0, s[-1])
    bent = np.stack([np.interp(inside, s, curve[:, i]) for i in range(3)], axis=1)
    return np.where((where > 0)[:, None], bent, straight)
