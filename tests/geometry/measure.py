"""Where points lie in the disc, measured the way the pathology tests need (plain numpy)."""

from __future__ import annotations

import numpy as np

from discviz.geometry.disc.annulus import OUTER_BULGE, DiscLayout
from discviz.geometry.surface import Surface
from tests.geometry.meshcheck import components

RAY_STEP = 0.125  # degrees between the annulus segments ray_shares compares a point with


def angles(points: np.ndarray) -> np.ndarray:
    """Angle (degrees: 0 anterior, 90 the patient's left, 180 posterior) of each point."""
    return np.degrees(np.mod(np.arctan2(points[:, 0], -points[:, 1]), 2 * np.pi))


def ray_shares(layout: DiscLayout, points: np.ndarray) -> np.ndarray:
    """Share of the annulus thickness of each point (0 inner edge, 1 outer edge), measured
    along the nearest of the annulus' inner-to-outer segments (the ray from the nucleus out
    through the point: with the nucleus off centre these are not rays from the disc's centre),
    less the outer wall's bulge at the point's height (the lamellae bow out at mid-height).
    """
    # segments every 1/8 degree all round, evaluated once; each point looks at those within 20 degrees
    grid = np.radians(np.arange(0.0, 360.0, RAY_STEP))
    inner, outer = layout.inner_xy(grid), layout.outer_xy(grid)
    reach = round(20 / RAY_STEP)
    nearest = np.round(angles(points) / RAY_STEP).astype(int)
    around = (nearest[:, None] + np.arange(-reach, reach + 1)[None, :]) % len(grid)
    seg = outer[around] - inner[around]
    rel = points[:, None, :2] - inner[around]
    along = np.einsum("kai,kai->ka", rel, seg) / np.einsum("kai,kai->ka", seg, seg)
    off = np.linalg.norm(rel - along[..., None] * seg, axis=-1)
    off = off + 1e3 * np.clip(np.abs(along - 0.5) - 0.75, 0, None)  # only segments the point lies along
    theta = grid[around[np.arange(len(points)), off.argmin(axis=1)]]
    start, end = layout.inner_xy(theta), layout.outer_xy(theta)
    seg = end - start
    length2 = np.einsum("ij,ij->i", seg, seg)
    share = np.einsum("ij,ij->i", points[:, :2] - start, seg) / length2
    lower, upper = layout.frame.faces(start + np.clip(share, 0, 1)[:, None] * seg)
    zeta = np.clip((points[:, 2] - (upper + lower) / 2) / ((upper - lower) / 2), -1, 1)
    # the measured share m = s + k s^2 (the bulge grows with the square of the true share s)
    k = OUTER_BULGE * (1 - zeta**2) / np.sqrt(length2)
    positive = share > 0
    true = share.copy()
    kp = np.maximum(k[positive], 1e-12)
    true[positive] = (np.sqrt(1 + 4 * kp * share[positive]) - 1) / (2 * kp)
    return np.where(k[...] > 1e-9, true, share)


def component_points(surface: Surface, index: int = 0) -> np.ndarray:
    """Points of one component, in the order the builder merged them."""
    labels = components(surface)
    which = np.unique(labels)[index]
    return surface.points[np.unique(surface.faces[labels == which])]
