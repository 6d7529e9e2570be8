"""The disc's frame: its kidney-shaped axial outline, the lordotic wedge and the concave
vertebral faces that bound it. Every other module places itself in this frame.

Angles follow docs/scene-language.md (Coordinates): theta 0 = anterior (-y), 90 = patient's left (+x),
180 = posterior (+y); the direction of theta is (sin theta, -cos theta).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from discviz.geometry.params import Params

SUPERELLIPSE_EXPONENT = 2.4  # slightly squarer than an ellipse, like a lumbar endplate
NOTCH_HALF_WIDTH = np.radians(38.0)  # angular half-width of the posterior concavity
GAP = 0.04  # mm between neighbouring solids, so nothing overlaps and nothing looks apart
RADIUS_SAMPLES = 8192  # outline table: linear interpolation is off by < 1e-5 mm

QUALITY = {  # (around the disc, lamella profile, meridian rings, tube sides)
    "low": (72, 8, 8, 6),
    "medium": (144, 10, 12, 8),
    "high": (288, 12, 18, 12),
}


def direction(theta: np.ndarray) -> np.ndarray:
    """Unit vectors (n, 2) in the axial plane for angles in radians."""
    return np.stack([np.sin(theta), -np.cos(theta)], axis=-1)


def length(xy: np.ndarray) -> np.ndarray:
    """Length of 2-d vectors (..., 2); several times faster than ``np.linalg.norm(axis=-1)``."""
    return np.sqrt(xy[..., 0] ** 2 + xy[..., 1] ** 2)


def angle_of(xy: np.ndarray) -> np.ndarray:
    """Angle (radians, 0..2pi) of points (..., 2), the convention of docs/scene-language.md."""
    # (arctan2 takes twice as long on a strided column as on a copy of it)
    angle = np.arctan2(np.ascontiguousarray(xy[..., 0]), -xy[..., 1])
    return _turned_positive(angle)


def _turned_positive(angle: np.ndarray) -> np.ndarray:
    """``np.mod(angle, 2 pi)`` for angles in [-pi, pi], in place and to the bit: np.mod costs
    ten times more than adding 2 pi where the angle is negative (a frame asks for tens of
    thousands).
    """
    if angle.ndim == 0:
        return np.mod(angle, 2 * np.pi)
    np.add(angle, 2 * np.pi, out=angle, where=angle < 0)
    return angle


def _outer_radius(theta: np.ndarray, half_width: float, half_depth: float, notch: float) -> np.ndarray:
    n = SUPERELLIPSE_EXPONENT
    s = np.abs(np.sin(theta)) / half_width
    c = np.abs(np.cos(theta)) / half_depth
    r = (s**n + c**n) ** (-1.0 / n)
    off = np.mod(theta, 2 * np.pi) - np.pi  # signed distance from the posterior midline
    return r - notch * np.exp(-((off / NOTCH_HALF_WIDTH) ** 2))


@lru_cache(maxsize=8)
def _radius_table(half_width: float, half_depth: float, notch: float) -> tuple[np.ndarray, np.ndarray]:
    """The outline's radius table (read-only): one per disc shape, shared by the disc and the
    bones of every parameter set with that shape (a story's steps change other things).
    """
    radius = _outer_radius(np.linspace(0.0, 2 * np.pi, RADIUS_SAMPLES + 1), half_width, half_depth, notch)
    table, slope = radius[:-1], np.diff(radius)
    table.setflags(write=False)
    slope.setflags(write=False)
    return table, slope


@dataclass(frozen=True)
class DiscFrame:
    """Shape of the disc space for one parameter set."""

    half_width: float
    half_depth: float
    notch: float
    height_anterior: float
    height_posterior: float
    concavity_upper: float
    concavity_lower: float
    endplate: float
    n_around: int
    n_profile: int
    n_meridian: int
    tube_sides: int

    @classmethod
    def from_params(cls, params: Params) -> DiscFrame:
        """Frame of the given parameters."""
        n_around, n_profile, n_meridian, sides = QUALITY[str(params["quality"])]
        return cls(
            half_width=params.f("disc.width") / 2,
            half_depth=params.f("disc.depth") / 2,
            notch=params.f("disc.notch"),
            height_anterior=params.f("disc.height_anterior"),
            height_posterior=params.f("disc.height_posterior"),
            concavity_upper=params.f("endplate.concavity_upper"),
            concavity_lower=params.f("endplate.concavity_lower"),
            endplate=params.f("endplate.thickness"),
            n_around=n_around,
            n_profile=n_profile,
            n_meridian=n_meridian,
            tube_sides=sides,
        )

    def outer_radius(self, theta: np.ndarray) -> np.ndarray:
        """Radius of the disc's outer edge (at the endplates) at each angle.

        Read from a fine table: every lamella point asks for it, and the superellipse's
        powers cost three times the lookup. All structures share the table, so they agree.
        """
        position = np.asarray(theta) * (RADIUS_SAMPLES / (2 * np.pi))
        below = np.floor(position)
        share = position - below
        index = below.astype(np.intp) % RADIUS_SAMPLES
        table, slope = self._radius_table
        return table[index] + share * slope[index]

    @cached_property
    def _radius_table(self) -> tuple[np.ndarray, np.ndarray]:
        return _radius_table(self.half_width, self.half_depth, self.notch)

    def exact_outer_radius(self, theta: np.ndarray) -> np.ndarray:
        """The outline's formula: a superellipse with the posterior notch taken out."""
        return _outer_radius(theta, self.half_width, self.half_depth, self.notch)

    def outline(self, theta: np.ndarray, scale: float = 1.0, shift_y: float = 0.0) -> np.ndarray:
        """Points (n, 2) of the outline scaled about the centre and moved posteriorly."""
        xy = direction(theta) * (scale * self.outer_radius(theta))[:, None]
        xy[:, 1] += shift_y
        return xy

    def radial_fraction(self, xy: np.ndarray) -> np.ndarray:
        """0 at the centre, 1 on the outer edge (for the endplate concavity)."""
        return length(xy) / self.outer_radius(angle_of(xy))

    def height(self, y: np.ndarray) -> np.ndarray:
        """Disc height at the rim, by anteroposterior position (lordotic wedge)."""
        t = np.minimum(np.maximum((y + self.half_depth) / (2 * self.half_depth), 0.0), 1.0)
        return self.height_anterior + (self.height_posterior - self.height_anterior) * t

    def _dome(self, xy: np.ndarray) -> np.ndarray:
        rho = np.minimum(np.maximum(self.radial_fraction(xy), 0.0), 1.0)  # (cheaper than np.clip)
        return 1.0 - rho**2

    def faces(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(lower face z, upper face z) at xy, sharing one evaluation of the concavity."""
        dome = self._dome(xy)
        half = self.height(xy[..., 1]) / 2
        return -half - self.concavity_lower * dome, half + self.concavity_upper * dome

    def upper_face(self, xy: np.ndarray) -> np.ndarray:
        """Z of the upper vertebra's lower face (concave: rises toward the centre)."""
        return self.height(xy[..., 1]) / 2 + self.concavity_upper * self._dome(xy)

    def lower_face(self, xy: np.ndarray) -> np.ndarray:
        """Z of the lower vertebra's upper face (concave: sinks toward the centre)."""
        return -self.height(xy[..., 1]) / 2 - self.concavity_lower * self._dome(xy)

    def angles(self) -> np.ndarray:
        """The angular grid (radians) going counter-clockwise seen from above."""
        # (sin t, -cos t) turns from -y toward +x as t grows: counter-clockwise from above.
        return np.linspace(0.0, 2 * np.pi, self.n_around, endpoint=False)
