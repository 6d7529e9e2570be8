"""``herniation``: nucleus material pushed out through a full-thickness tear into the canal,
pressing on a nerve root (Fardon 2014 nomenclature).

The tear runs through the whole annulus at ``herniation.position`` (the disc of the herniated
state is built with a full-thickness radial fissure there) and the gel comes out of it:

- a **protrusion** stays broad-based: its dome is never wider than its base on the annulus;
- an **extrusion** comes through a narrow neck and swells beyond it into a head wider than
  the neck;
- a **sequestration** is a fragment with no continuity to the disc, migrated away from it.

Where it goes decides which root it presses on (Fardon 2014): central, paracentral or
subarticular material meets the traversing root (L5 at L4-L5), foraminal or extraforaminal
material the exiting root (L4 at L4-L5), on the side of the herniation. The material heads
for that root; the root is pushed aside (its centre-line bent away) and flattened where it
lies against the gel, and the dural sac is indented in front of it. The pressed root carries a
point array ``inflamed`` (0..1) the renderer tints red.

The gel's shape is a sweep of elliptic sections along its axis; a transition only moves those
sections (and the root's and sac's points), so no face changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from discviz.geometry.disc.annulus import OUTER_BULGE, DiscLayout
from discviz.geometry.disc.outline import QUALITY, length
from discviz.geometry.params import Params
from discviz.geometry.pathology.sweep import bump, profile_loop, soft_floor, sweep
from discviz.geometry.primitives import signed_volume
from discviz.geometry.report import angle_place
from discviz.geometry.segment.build import layout_of, segment_surfaces
from discviz.geometry.segment.canal import canal_field
from discviz.geometry.segment.layout import SegmentLayout
from discviz.geometry.segment.roots import root_tube
from discviz.geometry.surface import Surface

CENTRAL_LEAN = 1.0  # degrees a central herniation leans to one side (the root it presses)
MOST_LATERAL = 75.0  # degrees from the posterior midline: extraforaminal (the report's zones)
PROFILE = 32  # points around each section of the gel
STATIONS = 22
BASE_IN = 1.6  # mm the base reaches back into the tear (one piece with the gel in it)
OVERLAP = 4.0  # mm the material reaches past the root's healthy surface: how far it pushes
FLATTEN = 0.4  # share of the root's radius flattened against the gel
GAP = 0.15  # mm between the gel and the root or sac wall pushed in front of it
CELL = 0.35  # mm: cells of the gel's height map seen along the push
REACH = 1.2  # mm: how far around each gel point its height map holds
BEND = 9.0  # mm along the root over which its bend fades out
RIM_CLEAR = 1.03  # the bodies' rims stand a little proud of the disc (segment layout's RIM_FLARE)
CANAL_CLEAR = 0.3  # mm a pushed traversing root keeps from the canal's bony walls
SEPARATION = 2.0  # mm at least between a sequestered fragment and the disc
KNEE = 0.3  # mm over which the gel is eased onto the annulus' wall and the bodies' height


def herniation_angle(params: Params) -> float:
    """``herniation.position`` (degrees), brought into the back and sides of the disc: the
    canal and foramina lie there, so material pressing on a root comes out there. A position
    further forward than extraforaminal is drawn extraforaminal.
    """
    offset = _from_back(params.f("herniation.position"))
    offset = float(np.clip(offset, -MOST_LATERAL, MOST_LATERAL))
    if abs(offset) < CENTRAL_LEAN:  # central material leans to the side of the tear (else left)
        offset = CENTRAL_LEAN if _from_back(params.f("fissure.position")) > 0 else -CENTRAL_LEAN
    return 180.0 + offset


def _from_back(angle: float) -> float:
    """Degrees from the posterior midline, -180..180 (+ toward the patient's right)."""
    return (angle - 180.0 + 180.0) % 360.0 - 180.0


@lru_cache(maxsize=16)  # asked every frame: building a parameter set costs more than the lookup
def herniated_params(params: Params) -> Params:
    """The disc of the herniated state: a full-thickness radial tear at the herniation (modified
    Dallas grade 5, the gel leaking out of the annulus).
    """
    return params.update({"fissure.type": "radial", "fissure.grade": 5,
                          "fissure.position": herniation_angle(params)})


def pressed_root(params: Params, level: tuple[str, str]) -> str:
    """The root the herniation presses on (``"L5-left"``): traversing for central, paracentral
    (and subarticular) material, exiting for foraminal and extraforaminal (Fardon 2014).
    """
    angle = herniation_angle(params)
    zone = angle_place(angle)[1]
    side = "right" if _from_back(angle) > 0 else "left"
    exiting = zone in ("foraminal", "extraforaminal")
    return f"{level[0] if exiting else level[1]}-{side}"


@dataclass(frozen=True)
class Shape:
    """The gel's full shape: sections (stations, PROFILE, 3) and the direction it pushes."""

    sections: np.ndarray
    push: np.ndarray  # unit direction the root and sac are pushed along
    exit: np.ndarray  # where the tear comes out of the annulus


class Herniation:
    """The herniated material, the root it presses on and the sac it indents."""

    def __init__(self, disc: DiscLayout, segment: SegmentLayout) -> None:
        self.disc = disc
        self.segment = segment
        params = disc.params
        self.kind = str(params["herniation.type"])
        self.phi = float(np.radians(herniation_angle(params)))
        self.root_name = pressed_root(params, segment.names)
        self.root = segment.roots[self.root_name]
        self.width = params.f("fissure.width")
        self.sides = 0  # set by the caller's tube resolution (see ``root_surface``)

    # -- the gel ------------------------------------------------------------------------------

    @cached_property
    def exit(self) -> np.ndarray:
        """Where the tear comes out of the annulus, at mid-height."""
        xy = self.disc.outer_xy(np.array([self.phi]))[0]
        return np.array([xy[0], xy[1], 0.0])

    @cached_property
    def outward(self) -> np.ndarray:
        """Unit direction straight out of the disc at the tear."""
        inner = self.disc.inner_xy(np.array([self.phi]))[0]
        d = self.exit[:2] - inner
        d /= np.linalg.norm(d)
        return np.array([d[0], d[1], 0.0])

    @cached_property
    def target(self) -> tuple[np.ndarray, float]:
        """The point of the root's healthy centre-line the material heads for, and its radius
        there. An extrusion or a fragment migrates: it meets the root a little away from the
        disc level (down along a traversing root, up into the foramen along an exiting one).
        """
        path, radius = self.root.path, self.root.radius
        aim = self.exit.copy()
        if self.kind != "protrusion":
            aim[2] += 3.0 if self.root.kind == "exiting" else -3.0
        # the root's surface nearest to the aim, where the root is full width, preferring
        # places near the disc's level (above or below it the gel would have to climb bone)
        gap = np.linalg.norm(path - aim, axis=1) - radius
        gap += 1.5 * np.maximum(np.abs(path[:, 2]) - 0.5 * self.disc_height, 0.0)
        gap[radius < 0.8 * radius.max()] = np.inf
        i = int(np.argmin(gap))
        return path[i], float(radius[i])

    @cached_property
    def full(self) -> Shape:
        """The gel when fully herniated."""
        centre, radius = self.target
        axis = centre - self.exit
        distance = float(np.linalg.norm(axis))
        axis /= distance
        length = distance - radius + OVERLAP  # from the exit to the front of the dome
        height = self.disc_height
        if self.kind == "sequestration":
            sections = self._fragment(axis, length, height)
        else:
            sections = self._attached(axis, length, height)
        sections = self._clear_of_other_roots(sections)
        return Shape(sections, self._push(axis, centre), self.exit)

    def _push(self, axis: np.ndarray, centre: np.ndarray) -> np.ndarray:
        """The direction the root is pushed: across it (a push along it would not move it
        aside) and horizontal (across the canal or foramen, never up into a pedicle).
        """
        path = self.root.path
        i = int(np.argmin(np.linalg.norm(path - centre, axis=1)))
        tangent = path[min(i + 1, len(path) - 1)] - path[max(i - 1, 0)]
        tangent /= np.linalg.norm(tangent)
        across = axis - (axis @ tangent) * tangent
        if self.root.kind == "traversing":  # back, toward the lamina: the lateral recess has a
            across = across / np.linalg.norm(across) + np.array([0.0, 1.2, 0.0])  # pedicle beside
        for candidate in (across, axis):
            flat = np.array([candidate[0], candidate[1], 0.0])
            if np.linalg.norm(flat) > 0.3 * np.linalg.norm(candidate):
                return flat / np.linalg.norm(flat)
        return self.outward

    @cached_property
    def disc_height(self) -> float:
        """The disc's height at the tear (mm)."""
        frame = self.disc.frame
        return float(frame.height_posterior + (frame.height_anterior - frame.height_posterior)
                     * 0.5 * (1 + np.cos(self.phi)))

    def beyond_rim(self, points: np.ndarray) -> np.ndarray:
        """Mm each point lies outside the vertebral bodies' rim (the disc's outline, a little
        proud), measured from the disc's centre.
        """
        theta = np.arctan2(np.ascontiguousarray(points[:, 0]), -points[:, 1])
        rim = self.disc.frame.outer_radius(theta) * RIM_CLEAR
        return length(points[:, :2]) - rim

    def on_annulus(self, points: np.ndarray) -> np.ndarray:
        """Points inside the annulus' bulging outer wall moved out onto it (radially), eased
        (``soft_floor``): points one behind the other on a ray stay apart.
        """
        theta = np.arctan2(np.ascontiguousarray(points[:, 0]), -points[:, 1])
        wall = self.disc.frame.outer_radius(theta) + OUTER_BULGE + 0.25
        radius = length(points[:, :2])
        scale = soft_floor(radius, wall, KNEE) / np.maximum(radius, 1e-9)
        out = points.copy()
        out[:, :2] *= scale[:, None]
        return out

    def between_bodies(self, points: np.ndarray) -> np.ndarray:
        """Points kept below and above the vertebral bodies: over the bodies' rims the gel is
        squeezed to the disc's height, past them it may swell up and down.
        """
        clear = np.maximum(self.beyond_rim(points) - 0.3, 0.0)
        half = self.disc.frame.height(points[:, 1]) / 2  # the wedge's half height here
        limit = 0.9 * half + 0.9 * clear
        # eased under the limit (``soft_floor``), not clipped to it: on the annulus' wall a
        # clip would put the points of neighbouring sections on one line
        knee = np.minimum(KNEE, 0.5 * limit)
        out = points.copy()
        out[:, 2] = np.sign(points[:, 2]) * -soft_floor(-np.abs(points[:, 2]), -limit, knee)
        return out

    def _sections(self, centres: np.ndarray, half_side: np.ndarray, half_up: np.ndarray) -> np.ndarray:
        """Elliptic sections across the path through ``centres`` (each square to the path)."""
        tangent = np.gradient(centres, axis=0)
        tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
        side = np.cross(np.array([0.0, 0.0, 1.0]), tangent)
        side /= np.linalg.norm(side, axis=1, keepdims=True)
        up = np.cross(tangent, side)
        u, v = profile_loop(PROFILE, 1.0)
        return (centres[:, None, :] + half_side[:, None, None] * u[None, :, None] * side[:, None, :]
                + half_up[:, None, None] * v[None, :, None] * up[:, None, :])

    def _path(self, axis: np.ndarray, length: float, f: np.ndarray) -> np.ndarray:
        """Points at shares ``f`` of the way from the tear's exit to the dome's front: out of
        the disc first, then bending toward the root (a quadratic Bezier curve).
        """
        a, b, c = self.exit, self.exit + self.outward * (0.4 * length), self.exit + axis * length
        f = f[:, None]
        return (1 - f) ** 2 * a + 2 * f * (1 - f) * b + f * f * c

    def _attached(self, axis: np.ndarray, length: float, height: float) -> np.ndarray:
        """Protrusion or extrusion: from inside the tear out to the dome over the root."""
        inside = np.linspace(-BASE_IN, 0.0, 3)
        f = np.linspace(0.25 / length, 1.0, STATIONS - 3)
        centres = np.concatenate([self.exit + np.outer(inside, self.outward), self._path(axis, length, f)])
        neck = 0.45 * self.width  # the tear's own half width
        dome = np.maximum(np.sqrt(np.clip(1 - ((f - 0.4) / 0.6) ** 2, 0.0, 1.0)), 0.18)
        dome = np.where(f < 0.4, 1.0, dome)
        if self.kind == "protrusion":  # a broad base on the annulus; the dome never wider
            base = max(0.55 * length, 4.0)
            wide, tall = base * dome, 0.42 * height * dome
        else:  # a narrow neck through the tear, then a head wider than the neck
            head = max(0.45 * length, 4.0)
            grow = np.sin(np.clip((f - 0.2) / 0.35, 0.0, 1.0) * np.pi / 2)
            head_dome = np.maximum(np.sqrt(np.clip(1 - ((f - 0.55) / 0.45) ** 2, 0.0, 1.0)), 0.18)
            head_dome = np.where(f < 0.55, 1.0, head_dome)
            wide = (neck + (head - neck) * grow) * head_dome
            tall = (0.3 * height + 0.25 * height * grow) * head_dome
        # between the vertebral bodies (whose rims stand a little proud of the disc) the gel
        # stays within the disc's height; past them it may swell up and down
        clear = np.maximum(self.beyond_rim(centres[3:]) - 0.3, 0.0)
        tall = np.minimum(tall, 0.42 * height + 0.9 * clear - np.abs(centres[3:, 2]))
        tall = np.maximum(tall, 0.12 * height)
        wide = np.concatenate([np.full(3, neck), wide])
        tall = np.concatenate([np.full(3, 0.3 * height), tall])
        return self._sections(centres, wide, tall)

    def _fragment(self, axis: np.ndarray, length: float, height: float) -> np.ndarray:
        """Sequestration: a loose lump against the root, away from the disc."""
        half_along = max(min(2.6, 0.5 * (length - SEPARATION)), 1.5)
        centre = self.exit + axis * (length - half_along)
        s = np.linspace(-0.97, 0.97, STATIONS)
        shape = np.maximum(np.sqrt(np.clip(1 - s**2, 0.0, 1.0)), 0.22)
        centres = centre + np.outer(s * half_along, axis)
        return self._sections(centres, 3.6 * shape, 0.55 * height * shape)

    def _clear_of_other_roots(self, sections: np.ndarray) -> np.ndarray:
        """Sections drawn in where they would meet a root other than the pressed one (a broad
        protrusion between two close roots presses on one of them only).
        """
        others = [r for name, r in self.segment.roots.items() if name != self.root_name]
        path = np.concatenate([r.path for r in others])
        radius = np.concatenate([r.radius for r in others])
        centre = sections.mean(axis=1)
        out = sections.copy()
        # only a point drawn in may still meet a root: the others stay where they are
        station, point = np.indices(sections.shape[:2]).reshape(2, -1)
        for _ in range(12):
            d = np.linalg.norm(out[station, point][:, None, :] - path[None], axis=-1) - radius - 1.0
            hit = d.min(axis=-1) < 0
            if not hit.any():
                break
            station, point = station[hit], point[hit]
            out[station, point] = centre[station] + (out[station, point] - centre[station]) * 0.85
        return out

    @cached_property
    def faces(self) -> np.ndarray:
        """The gel's faces, outward (the sections' frame may run either way round)."""
        surface = sweep(self.full.sections)
        return surface.faces if signed_volume(surface) > 0 else surface.faces[:, ::-1].copy()

    @cached_property
    def _sliding(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The attached gel's base (its first section's centre), each section's centre from
        there and each point from its section's centre: the same for every amount.
        """
        sections = self.full.sections
        base = sections[:1].mean(axis=1, keepdims=True)
        centres = sections.mean(axis=1, keepdims=True)
        return base, centres - base, sections - centres

    def gel(self, amount: float) -> tuple[Surface, np.ndarray]:
        """The gel pushed out by ``amount`` (0..1) and its points."""
        full = self.full
        sections = full.sections
        t = 0.12 + 0.88 * amount
        if self.kind == "sequestration":  # the fragment travels from the tear to the root
            centre = sections.mean(axis=(0, 1))
            start = full.exit + 0.8 * self.outward
            where = start + (centre - start) * amount
            sections = where + (sections - centre) * (0.25 + 0.75 * amount)
        else:  # the gel comes out of the tear: its stations slide out along the axis
            base, along, around = self._sliding
            sections = base + along * t + around * (0.3 + 0.7 * t)
            # past the tear it lies on the annulus, not in it
            sections[3:] = self.on_annulus(sections[3:].reshape(-1, 3)).reshape(sections[3:].shape)
        surface = sweep(self.between_bodies(sections.reshape(-1, 3)).reshape(sections.shape))
        surface = Surface(surface.points, self.faces)
        surface.point_data["dye"] = np.ones(surface.n_points)
        return surface, surface.points

    # -- what it pushes -----------------------------------------------------------------------

    def height_map(self, gel: np.ndarray) -> HeightMap:
        """How far the gel reaches along the push, seen from the root's side."""
        return HeightMap(gel, self.full.push, self.axes)

    @cached_property
    def axes(self) -> Axes:
        """The height map's directions: the same for every amount."""
        return push_axes(self.full.push)

    @cached_property
    def _rings(self) -> np.ndarray:
        return _ring_points(self.root.path, self.root.radius, 16)

    @cached_property
    def _rings_seen(self) -> Projection:
        """The healthy root's rings along the push and across it (they do not move)."""
        return self.axes.project(self._rings.reshape(-1, 3))

    def root_path(self, heights: HeightMap) -> np.ndarray:
        """The root's centre-line pushed aside so that only its flattened near side meets the gel."""
        root = self.root
        ring = self._rings
        need = heights.shortfall(ring.reshape(-1, 3), GAP, self._rings_seen)
        need = need.reshape(ring.shape[:2]).max(axis=1)
        need = np.maximum(need - FLATTEN * root.radius, 0.0)
        # a smooth bend that keeps at least the push needed at every point
        spread = (need[None, :] * self._bend).max(axis=1)
        if root.kind == "traversing":  # the bend stays in the canal, clear of its bony walls
            spread = self._in_canal(root.path, root.radius, spread)
        else:  # tethered where it turns under its pedicle
            below = self.segment.upper.pedicle_bottom - root.path[:, 2] - root.radius
            spread = spread * np.clip(below / 4.0, 0.0, 1.0)
        return root.path + spread[:, None] * self.full.push

    @cached_property
    def _arc(self) -> np.ndarray:
        """Arc length along the pressed root's healthy path."""
        return np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(self.root.path, axis=0), axis=1))])

    @cached_property
    def _bend(self) -> np.ndarray:
        """How much of one path point's push each other one takes (the bend fading out
        along the root): the same for every amount.
        """
        return bump((self._arc[:, None] - self._arc[None, :]) / BEND)

    @cached_property
    def _spread_heat(self) -> np.ndarray:
        """How far the inflammation spreads from a pushed path point to the others."""
        return bump((self._arc[:, None] - self._arc[None, :]) / 8.0)

    def _in_canal(self, path: np.ndarray, radius: np.ndarray, spread: np.ndarray) -> np.ndarray:
        """The largest share of each point's push that keeps the root inside the canal."""
        shares = np.linspace(0.0, 1.0, 11)
        # only the points pushed at all: the others keep no push whatever share fits
        pushed = np.flatnonzero(spread > 0.0)
        fits = np.zeros(len(spread), dtype=np.intp)
        if pushed.size:
            fits[pushed] = self._fitting(path[pushed], radius[pushed], spread[pushed], shares)
        return spread * shares[fits]

    def _fitting(self, path: np.ndarray, radius: np.ndarray, spread: np.ndarray,
                 shares: np.ndarray) -> np.ndarray:
        """Per point, the last of ``shares`` of its push (in steps) that keeps it in the canal."""
        moved = path[None] + (shares[:, None, None] * spread[None, :, None]) * self.full.push
        # each point in the canal of the vertebra it lies beside (each field only where asked)
        below = moved[..., 2] < 0.0
        field = np.empty(below.shape)
        for vertebra, where in ((self.segment.lower, below), (self.segment.upper, ~below)):
            field[where] = canal_field(vertebra, moved[..., 0][where], moved[..., 1][where])
        room = field <= -(radius[None] + CANAL_CLEAR)
        room[0] = True  # never pulled back from where it lies
        return np.cumprod(room, axis=0).sum(axis=0) - 1  # last share that still fits, in steps

    @cached_property
    def healthy_tube(self) -> np.ndarray:
        """The pressed root's tube points on its healthy path."""
        return root_tube(self.root.path, self.root.radius, self.sides).points

    def root_points(self, path: np.ndarray, heights: HeightMap) -> np.ndarray:
        """The pressed root's tube points along ``path`` (each section carried with its path
        point: the bend is gentle), flattened against the gel.
        """
        moved = path - self.root.path
        shift = np.concatenate([np.repeat(moved, self.sides, axis=0), moved[:1], moved[-1:]])
        return heights.push_out(self.healthy_tube + shift, GAP)

    @cached_property
    def sac_behind(self) -> bool:
        """Whether the sac lies behind the gel along the push: the gel comes out beside the canal
        and heads away from it (a foraminal or extraforaminal one pushing the exiting root out),
        rather than from in front of the sac into the canal (a central or paracentral one).
        """
        axis = np.array([0.0, self.segment.sac_centre_y, 0.0])  # the sac's axis, at the disc
        return bool((self.exit - axis) @ self.full.push > 0.0)

    def indent_sac(self, sac: np.ndarray, gel: np.ndarray, heights: HeightMap,
                   seen: Projection | None = None) -> np.ndarray:
        """The sac's points moved out of the gel's way onto the sac's own side: its wall is
        indented where the gel meets it, never dragged across the gel. A gel coming into the
        canal from in front of the sac pushes every wall point with gel beyond it out to its
        front (the gel lies in the sac's inside there; a fragment pushes every wall point it met
        on its way from the tear, however far past the wall it lies); a gel beside the canal
        heading away from it moves only the wall points inside its slab, back to its back (into
        the canal). The gel's back is its front seen along the opposite push. ``seen``: the sac
        seen along the push, when the caller keeps it.
        """
        along = sac @ heights.push
        if not self.sac_behind:
            if self.kind != "sequestration":
                return heights.push_out(sac, GAP, seen)
            # a fragment came from the tear: the wall it met on its way went before it (the
            # height map spares what lies behind the gel's back, and it may lie past the wall)
            short = heights.front(sac) + GAP - along
            way = (along > self.exit @ heights.push - 0.5) & np.isfinite(short)
            return sac + np.where(way, np.maximum(short, 0.0), 0.0)[:, None] * heights.push
        back = -HeightMap(gel, -heights.push).front(sac) - GAP  # +inf off the gel
        inside = (along > back) & (along < heights.front(sac) + GAP)
        return sac + np.where(inside, back - along, 0.0)[:, None] * heights.push

    def inflamed(self, displacement: np.ndarray, amount: float) -> np.ndarray:
        """0..1 along the pressed root's tube points: inflamed where it is pushed, fading away."""
        moved = np.linalg.norm(displacement, axis=1)
        hot = (moved[None, :] > 0.05) * self._spread_heat
        per_point = np.clip(hot.max(axis=1) * amount, 0.0, 1.0)
        rings = np.repeat(per_point, self.sides)
        return np.concatenate([rings, per_point[:1], per_point[-1:]])


#: Points seen along the push and across it: (along, across a, across b), each (n,).
Projection = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Axes:
    """A push direction (unit) and two directions across it."""

    push: np.ndarray
    a: np.ndarray
    b: np.ndarray

    def project(self, points: np.ndarray) -> Projection:
        """Points (n, 3) along the push and across it."""
        return points @ self.push, points @ self.a, points @ self.b


def push_axes(push: np.ndarray) -> Axes:
    """``push`` made unit and two directions across it (the first horizontal)."""
    push = push / np.linalg.norm(push)
    a = np.cross(push, [0.0, 0.0, 1.0])
    if np.linalg.norm(a) < 1e-6:
        a = np.cross(push, [1.0, 0.0, 0.0])
    a = a / np.linalg.norm(a)
    return Axes(push, a, np.cross(push, a))


class HeightMap:
    """The gel's front along a push direction: for each place across it, how far the gel
    reaches (max over its points nearby). Points short of the front are pushed out to it.
    ``axes``: ``push_axes(push)``, when the caller keeps them.
    """

    def __init__(self, points: np.ndarray, push: np.ndarray, axes: Axes | None = None) -> None:
        self.axes = push_axes(push) if axes is None else axes
        self.push, self.a, self.b = self.axes.push, self.axes.a, self.axes.b
        along, across_a, across_b = self.axes.project(points)
        # each coordinate apart: numpy is slow on a last axis of two
        self.lo = np.array([across_a.min(), across_b.min()]) - REACH - CELL
        high = np.array([across_a.max(), across_b.max()])
        shape = np.ceil((high + REACH + CELL - self.lo) / CELL).astype(int) + 1
        self.low = float(along.min())
        grid = np.full(shape, -np.inf)
        row = np.floor((across_a - self.lo[0]) / CELL).astype(int)
        column = np.floor((across_b - self.lo[1]) / CELL).astype(int)
        np.maximum.at(grid, (row, column), along)
        reach = int(np.ceil(REACH / CELL))
        grown = grid  # the front held REACH around every point (a square of cells, separably)
        for axis in (0, 1):
            size = grown.shape[axis]
            padded = np.full(np.add(grown.shape, [2 * reach if a == axis else 0 for a in (0, 1)]), -np.inf)
            padded[_along(axis, reach, size)] = grown
            grown = _window_max(padded, axis, 2 * reach + 1, size)
        self.grid = grown

    def front(self, points: np.ndarray, seen: Projection | None = None) -> np.ndarray:
        """The gel's front (along the push) at each point's place across it; -inf off it.
        ``seen``: the points' ``axes.project``, when the caller keeps it.
        """
        _, across_a, across_b = self.axes.project(points) if seen is None else seen
        # each coordinate apart: numpy is slow on a last axis of two
        row = np.floor((across_a - self.lo[0]) / CELL).astype(int)
        column = np.floor((across_b - self.lo[1]) / CELL).astype(int)
        rows, columns = self.grid.shape
        inside = (row >= 0) & (row < rows) & (column >= 0) & (column < columns)
        out = np.full(len(points), -np.inf)
        out[inside] = self.grid[row[inside], column[inside]]
        return out

    def shortfall(self, points: np.ndarray, gap: float, seen: Projection | None = None) -> np.ndarray:
        """How far each point lies short of the front plus ``gap`` (0 beyond it or off it);
        points behind the gel's base (on the disc's side) are not in its way. ``seen``: the
        points' ``axes.project``, when the caller keeps it.
        """
        seen = self.axes.project(points) if seen is None else seen
        along = seen[0]
        short = self.front(points, seen) + gap - along
        return np.where((along > self.low - 0.5) & np.isfinite(short), np.maximum(short, 0.0), 0.0)

    def push_out(self, points: np.ndarray, gap: float, seen: Projection | None = None) -> np.ndarray:
        """Points short of the front moved out to it along the push."""
        return points + self.shortfall(points, gap, seen)[:, None] * self.push


def _window_max(padded: np.ndarray, axis: int, width: int, size: int) -> np.ndarray:
    """The maximum of ``padded`` over each run of ``width`` along ``axis``, for the ``size``
    runs from the start: runs of 1, 2, 4, ... cells, each the maximum of two of the last
    (a few operations instead of one per cell of the run).
    """
    span, most = 1, padded
    while 2 * span <= width:
        count = most.shape[axis] - span
        most = np.maximum(most[_along(axis, 0, count)], most[_along(axis, span, count)])
        span *= 2
    if span < width:  # two runs of ``span`` overlapping to cover ``width``
        most = np.maximum(most[_along(axis, 0, size)], most[_along(axis, width - span, size)])
    return most[_along(axis, 0, size)]


def _along(axis: int, start: int, size: int) -> tuple[slice, slice]:
    """The index of ``size`` rows (axis 0) or columns (axis 1) from ``start``."""
    window = slice(start, start + size)
    return (window, slice(None)) if axis == 0 else (slice(None), window)


def _ring_points(path: np.ndarray, radius: np.ndarray, sides: int) -> np.ndarray:
    """Points (k, sides, 3) around a tube's sections (as ``root_tube`` lays them)."""
    points = root_tube(path, radius, sides).points[: len(path) * sides]
    return points.reshape(len(path), sides, 3)


class HerniatedScene:
    """The herniation's three surfaces at one amount: the gel, the roots (the pressed one
    pushed aside, flattened and inflamed) and the indented sac; the last amount is kept.
    """

    def __init__(self, herniation: Herniation, roots: Surface, sac: Surface, sides: int) -> None:
        herniation.sides = sides
        self.herniation = herniation
        self.roots = roots
        self.sac = sac
        names = list(herniation.segment.roots)
        counts = [len(r.path) * sides + 2 for r in herniation.segment.roots.values()]
        start = int(np.sum(counts[: names.index(herniation.root_name)]))
        self.slice = slice(start, start + counts[names.index(herniation.root_name)])
        self._kept: tuple[float, dict[str, Surface]] | None = None

    @cached_property
    def _sac_seen(self) -> Projection:
        """The healthy sac's points along the push and across it (they do not move)."""
        return self.herniation.axes.project(self.sac.points)

    def surfaces(self, amount: float) -> dict[str, Surface]:
        """``herniation``, ``nerve-roots`` and ``dural-sac`` at ``amount`` (0..1)."""
        if self._kept is not None and self._kept[0] == amount:
            return self._kept[1]
        h = self.herniation
        gel, points = h.gel(amount)
        heights = h.height_map(points)
        path = h.root_path(heights)
        root_points = h.root_points(path, heights)
        roots_points = self.roots.points.copy()
        roots_points[self.slice] = root_points
        inflamed = np.zeros(self.roots.n_points)
        inflamed[self.slice] = h.inflamed(path - h.root.path, amount)
        roots = Surface(roots_points, self.roots.faces, dict(self.roots.cell_data),
                        {**self.roots.point_data, "inflamed": inflamed})
        sac = Surface(h.indent_sac(self.sac.points, points, heights, self._sac_seen), self.sac.faces,
                      dict(self.sac.cell_data), dict(self.sac.point_data))
        out = {"herniation": gel, "nerve-roots": roots, "dural-sac": sac}
        self._kept = (amount, out)
        return out


def herniated_scene(disc: DiscLayout) -> HerniatedScene:
    """The herniation of ``disc`` (the herniated state's layout: ``herniated_params``) over the
    segment's roots and sac.
    """
    params = disc.params
    static = segment_surfaces(params)
    sides = QUALITY[str(params["quality"])][3] + 4  # as the segment's roots
    return HerniatedScene(Herniation(disc, layout_of(params)), static["nerve-roots"], static["dural-sac"],
                          sides)
