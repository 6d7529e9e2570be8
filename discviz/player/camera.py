"""Camera interpolation: angles along the great circle (slerp), zoom in log space."""

from __future__ import annotations

import math

import numpy as np

from discviz.player.viewstate import Camera


def direction(azimuth: float, elevation: float) -> np.ndarray:
    """Unit vector from the disc centre toward the camera (angles in degrees, docs/scene-language.md)."""
    az, el = math.radians(azimuth), math.radians(elevation)
    return np.array([math.sin(az) * math.cos(el), -math.cos(az) * math.cos(el), math.sin(el)])


def angles(vector: np.ndarray) -> tuple[float, float]:
    """Azimuth and elevation (degrees) of a direction."""
    x, y, z = (float(v) for v in vector / np.linalg.norm(vector))
    azimuth = math.degrees(math.atan2(x, -y)) % 360.0
    elevation = math.degrees(math.asin(max(-1.0, min(1.0, z))))
    return azimuth, elevation


def slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Spherical interpolation between unit vectors."""
    dot = float(np.clip(a @ b, -1.0, 1.0))
    omega = math.acos(dot)
    if omega < 1e-6:
        return a
    if math.pi - omega < 1e-3:  # opposite views: turn about the vertical instead
        b = np.array([-a[1], a[0], a[2]])
        return slerp(a, b, 2 * t) if t < 0.5 else slerp(b, -a, 2 * t - 1)
    return (math.sin((1 - t) * omega) * a + math.sin(t * omega) * b) / math.sin(omega)


def interpolate(start: Camera, end: Camera, t: float) -> Camera:
    """The camera ``t`` (0..1) of the way from ``start`` to ``end``."""
    if t <= 0.0:
        return start
    if t >= 1.0:
        return end
    vector = slerp(direction(start.azimuth, start.elevation), direction(end.azimuth, end.elevation), t)
    azimuth, elevation = angles(vector)
    zoom = math.exp(math.log(start.zoom) * (1 - t) + math.log(end.zoom) * t)
    weight = start.focus_weight + (end.focus_weight - start.focus_weight) * t
    # a camera without a focus point borrows the other's: only its weight glides
    a, b = start.focus or end.focus, end.focus or start.focus
    focus = None if a is None or b is None else (
        a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)
    box_a, box_b = start.focus_box or end.focus_box, end.focus_box or start.focus_box
    box = None if box_a is None or box_b is None else tuple(
        u + (v - u) * t for u, v in zip(box_a, box_b, strict=True))
    return Camera(azimuth, elevation, zoom, focus, weight if focus is not None else 0.0,
                  box)  # type: ignore[arg-type]
