"""The motion segment's landmarks, as plain numbers: what the bone, joint, sac and root meshes
are built from, and what later tasks (the endoscope's path through Kambin's triangle, a
herniation pushing a root aside) ask for.

``segment_layout(params)`` returns a frozen :class:`SegmentLayout` (cached per parameter set):

- ``upper`` / ``lower``: :class:`VertebraFrame` of each vertebra: its name (``"L4"``), whether
  it is the sacrum, body height, the shear that tilts it with the disc's lordotic wedge, canal
  and pedicle sizes, and world landmarks (``pedicle_centre``, ``pedicle_bottom``,
  ``pedicle_top``, ``pedicle_medial_x``) for the patient's left side (mirror x for the right).
- ``joint``: the left :class:`FacetJoint` between the upper vertebra's inferior articular
  process and the lower one's superior articular process: centre, normal (from the SAP toward
  the IAP), curvature, size, ``coords`` (joint-surface coordinates) and ``sap_tip``.
- ``roots``: name (``"L4-left"``) -> :class:`Root` with its centre-line ``path`` (k, 3) and
  ``radius`` (k,), ``kind`` ``"exiting"`` or ``"traversing"`` and ``sleeve_end`` (index of the
  last point inside the dural sleeve). The tubes are swept along these paths, so a caller may
  bend a path (displace points) and rebuild the tube with
  :func:`discviz.geometry.segment.roots.root_tube`.
- ``sac_centre_y``, ``sac_half_width``, ``sac_half_depth``, ``sac_z``: the dural sac, an
  elliptic tube; ``sac_outline()`` its axial outline at the disc (n, 2).
- ``canal_outline()``: the spinal canal's axial outline at the disc (n, 2), bounded by the disc
  in front, the lower vertebra's articular processes beside and the laminae behind.

Coordinates as everywhere in discviz (mm, origin at the disc centre, +x left, +y posterior, +z up).
Each vertebra is built in its own frame (z from its inferior to its superior endplate), sheared
by the disc's wedge so that its disc-facing endplate lies on the disc frame's vertebral face.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from discviz.geometry.disc.outline import DiscFrame
from discviz.geometry.params import Params

RIM_FLARE = 1.02  # the ring apophysis stands slightly proud of the disc's edge
CLEARANCE = 0.9  # mm of bone kept clear around each root and the sac
JOINT_CURVATURE = 24.0  # mm radius of the facet joint surface in an axial view (schematic)
SLEEVE = 0.45  # mm the dural sleeve stands off the root inside it


def smooth_path(control: np.ndarray, count: int) -> np.ndarray:
    """A smooth path through control points (Catmull-Rom, vectorised over the samples)."""
    padded = np.concatenate([control[:1], control, control[-1:]])
    segments = len(control) - 1
    t = np.linspace(0, segments, count)
    i = np.minimum(t.astype(int), segments - 1)
    u = (t - i)[:, None]
    p0, p1, p2, p3 = padded[i], padded[i + 1], padded[i + 2], padded[i + 3]
    return 0.5 * ((2 * p1) + (-p0 + p2) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u**2
                  + (-p0 + 3 * p1 - 3 * p2 + p3) * u**3)


def mirror(points: np.ndarray) -> np.ndarray:
    """Points mirrored to the patient's other side."""
    return np.asarray(points) * np.array([-1.0, 1.0, 1.0])[: np.asarray(points).shape[-1]]


@dataclass(frozen=True)
class FacetJoint:
    """One facet joint (left side): a curved plate of cartilage between two processes.

    ``normal`` points from the superior articular process (lower vertebra) toward the inferior
    one (upper vertebra), posteromedially; ``along`` runs in the joint from its anteromedial
    to its posterolateral end.
    """

    centre: np.ndarray  # (3,)
    angle: float  # degrees to the mid-sagittal plane
    half_width: float
    half_height: float
    cartilage: float  # half thickness at the middle (cartilage + joint space)
    capsule: float  # half thickness at the rim

    @property
    def normal(self) -> np.ndarray:
        """Unit normal (x, y, 0) from the SAP's face toward the IAP's."""
        a = np.radians(self.angle)
        return np.array([-np.cos(a), np.sin(a), 0.0])

    @property
    def along(self) -> np.ndarray:
        """Unit direction (x, y, 0) along the joint, anteromedial to posterolateral."""
        a = np.radians(self.angle)
        return np.array([np.sin(a), np.cos(a), 0.0])

    @property
    def axis(self) -> np.ndarray:
        """Centre (x, y) of the joint's curvature, on the IAP side."""
        return self.centre[:2] + self.normal[:2] * JOINT_CURVATURE

    def coords(self, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, ...]:
        """(u along the joint, v up, w across: + toward the IAP) of world points."""
        cx, cy = self.axis
        px, py = x - cx, y - cy
        r = np.sqrt(px * px + py * py)
        rx, ry = -self.normal[0], -self.normal[1]
        u = JOINT_CURVATURE * np.arctan2(rx * py - ry * px, rx * px + ry * py)
        return u, z - self.centre[2], JOINT_CURVATURE - r

    def world(self, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        """World points (..., 3) of joint coordinates."""
        phi = np.asarray(u) / JOINT_CURVATURE
        rx, ry = -self.normal[0], -self.normal[1]
        dx = rx * np.cos(phi) - ry * np.sin(phi)
        dy = rx * np.sin(phi) + ry * np.cos(phi)
        radius = JOINT_CURVATURE - np.asarray(w)
        cx, cy = self.axis
        return np.stack([cx + radius * dx, cy + radius * dy, self.centre[2] + np.asarray(v)], -1)

    def profile(self, rho: np.ndarray) -> np.ndarray:
        """Half thickness (mm) of the joint at ``rho`` (0 middle, 1 rim): cartilage in the
        middle, thickening into the capsule toward the rim.
        """
        rho = np.clip(rho, 0.0, 1.0)
        return self.cartilage + (self.capsule - self.cartilage) * rho**4

    def field(self, x: np.ndarray, y: np.ndarray, z: np.ndarray, grow: float = 0.0) -> np.ndarray:
        """Approximate signed distance to the joint (cartilage and capsule), grown by ``grow``."""
        u, v, w = self.coords(x, y, z)
        scale = min(self.half_width, self.half_height)
        rho = np.sqrt((u / self.half_width) ** 2 + (v / self.half_height) ** 2)
        edge = (rho - 1.0) * scale
        flat = np.abs(w) - self.profile(rho)
        rim = np.sqrt(np.maximum(edge, 0.0) ** 2 + w * w) - self.capsule
        return np.where(edge > 0, rim, flat) - grow

    @property
    def sap_tip(self) -> np.ndarray:
        """The tip of the lower vertebra's superior articular process (world, left)."""
        return self.world(np.array(-1.0), np.array(self.half_height - 1.0),
                          np.array(-(self.cartilage + 3.9)))


@dataclass(frozen=True)
class VertebraFrame:
    """One vertebra: its sizes and how its own frame sits in the world."""

    name: str
    upper: bool
    sacrum: bool
    height: float
    shear: float  # frame z = world z - shear * y - lift
    lift: float
    canal_width: float
    canal_depth: float
    trefoil: float
    pedicle_width: float
    pedicle_height: float
    pedicle_angle: float
    wall_y: float  # posterior body wall at the midline
    joint_above: FacetJoint
    joint_below: FacetJoint
    lamina_thickness: float
    spinous_length: float
    spinous_height: float
    transverse_span: float

    def world_z(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """World z of frame points."""
        return z + self.shear * y + self.lift

    def frame_z(self, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Frame z of world points."""
        return z - self.shear * y - self.lift

    def to_world(self, local: np.ndarray) -> np.ndarray:
        """World points of frame points (..., 3)."""
        local = np.asarray(local, float)
        out = local.copy()
        out[..., 2] = self.world_z(local[..., 1], local[..., 2])
        return out

    @property
    def pedicle_z(self) -> float:
        """Frame z of the pedicles' axis: in the upper part of the body."""
        return self.height - 1.0 - self.pedicle_height / 2

    @property
    def pedicle_medial_x(self) -> float:
        """X of the pedicle's medial wall (half the interpedicular width)."""
        return self.canal_width / 2

    @property
    def pedicle_y(self) -> tuple[float, float]:
        """Frame y of the pedicle from the body wall to the articular pillar."""
        sap = self.sap_centre_local
        return self.wall_y - 1.0, float(sap[1]) - 1.0

    @property
    def sap_centre_local(self) -> np.ndarray:
        """Frame position of the middle of this vertebra's superior articular process."""
        joint = self.joint_above
        world = joint.world(np.array(0.0), np.array(-4.0), np.array(-(joint.cartilage + 3.9)))
        return np.array([world[0], world[1], self.frame_z(world[1], world[2])])

    def pedicle_axis(self) -> tuple[np.ndarray, np.ndarray]:
        """Frame points of the pedicle's axis, body end and posterior end (left side)."""
        y0, y1 = self.pedicle_y
        x_mid = self.pedicle_medial_x + self.pedicle_width / 2 - 0.6
        slope = np.tan(np.radians(self.pedicle_angle))
        y_mid = self.wall_y + 3.0
        a = np.array([x_mid + (y0 - 6.0 - y_mid) * slope, y0 - 6.0, self.pedicle_z])
        b = np.array([x_mid + (y1 - y_mid) * slope, y1, self.pedicle_z])
        return a, b

    @property
    def pedicle_centre(self) -> np.ndarray:
        """World centre of the left pedicle's isthmus."""
        x = self.pedicle_medial_x + self.pedicle_width / 2 - 0.6
        return self.to_world(np.array([x, self.wall_y + 3.0, self.pedicle_z]))

    @property
    def pedicle_bottom(self) -> float:
        """World z of the left pedicle's lower border at its isthmus."""
        return float(self.pedicle_centre[2] - self.pedicle_height / 2)

    @property
    def pedicle_top(self) -> float:
        """World z of the left pedicle's upper border at its isthmus."""
        return float(self.pedicle_centre[2] + self.pedicle_height / 2)


@dataclass(frozen=True)
class Root:
    """One nerve root: a centre-line with a radius per point."""

    name: str
    kind: str  # "exiting" or "traversing"
    path: np.ndarray  # (k, 3)
    radius: np.ndarray  # (k,)
    sleeve_start: int  # index where the root leaves the sac inside its dural sleeve
    sleeve_end: int  # index where the sleeve ends (the root goes on bare)
    ganglion: np.ndarray | None = None  # centre of the dorsal root ganglion


@dataclass(frozen=True)
class SegmentLayout:
    """Everything of the segment around the disc that the meshes and later tasks need."""

    params: Params
    frame: DiscFrame
    level: str
    upper: VertebraFrame
    lower: VertebraFrame
    joint: FacetJoint
    sac_centre_y: float
    sac_half_width: float
    sac_half_depth: float
    sac_z: tuple[float, float]
    roots: dict[str, Root] = field(default_factory=dict)

    @cached_property
    def names(self) -> tuple[str, str]:
        """Names of the upper and lower vertebra (``("L4", "L5")``)."""
        return self.upper.name, self.lower.name

    def sac_outline(self, n: int = 96) -> np.ndarray:
        """The dural sac's axial outline at the disc (n, 2)."""
        t = np.linspace(0, 2 * np.pi, n, endpoint=False)
        return np.stack([self.sac_half_width * np.sin(t),
                         self.sac_centre_y - self.sac_half_depth * np.cos(t)], -1)

    def canal_outline(self, n: int = 180) -> np.ndarray:
        """The canal's axial outline at the lower vertebra's pedicles (n, 2), from its field."""
        from discviz.geometry.segment.canal import canal_field

        vertebra = self.lower
        t = np.linspace(0, 2 * np.pi, n, endpoint=False)
        centre = np.array([0.0, vertebra.wall_y + vertebra.canal_depth / 2])
        direction = np.stack([np.sin(t), -np.cos(t)], -1)
        radius = np.linspace(0.0, 40.0, 801)
        xy = centre + direction[:, None, :] * radius[None, :, None]
        inside = canal_field(vertebra, xy[..., 0], xy[..., 1]) < 0
        first_out = np.argmin(inside, axis=1)
        return centre + direction * radius[np.maximum(first_out - 1, 0)][:, None]


def _levels(level: str) -> tuple[str, str]:
    upper, lower = level.split("-")
    return upper, lower


def _joint(params: Params, centre: np.ndarray) -> FacetJoint:
    thickness = params.f("facet.thickness")
    return FacetJoint(
        centre=centre, angle=params.f("facet.angle"),
        half_width=params.f("facet.width") / 2, half_height=params.f("facet.height") / 2,
        cartilage=thickness / 2, capsule=thickness / 2 + 0.7,
    )


def _joint_centre(params: Params, wall_y: float, canal_width: float,
                  joint: FacetJoint) -> tuple[float, float]:
    """x, y of a joint: just lateral to the canal, far enough back to leave the foramen its
    sagittal width in front of the superior articular process.
    """
    x = canal_width / 2 + 4.0
    a = np.radians(joint.angle)
    n_y, d_y = np.sin(a), np.cos(a)
    thick = joint.cartilage + 3.9  # the SAP's half thickness across the joint (+ cartilage)
    front = np.hypot((joint.half_width + 2.5) * d_y, 3.9 * n_y)  # the SAP's reach forward
    y = wall_y + params.f("foramen.width") + front + thick * n_y
    return x, float(y)


@lru_cache(maxsize=8)
def segment_layout(params: Params) -> SegmentLayout:
    """The layout of the whole segment for one parameter set."""
    frame = DiscFrame.from_params(params)
    level = str(params["segment.level"])
    upper_name, lower_name = _levels(level)
    height = params.f("vertebra.height")
    ha, hp, hd = frame.height_anterior, frame.height_posterior, frame.half_depth
    wall_y = float(frame.outer_radius(np.array([np.pi]))[0]) * RIM_FLARE
    z0 = (ha + hp) / 4
    slope = (hp - ha) / (4 * hd)
    # posterior elements far behind the disc must not run into each other: limit the tilt
    reach = wall_y + params.f("canal.depth") + params.f("lamina.thickness") + 6.0
    slope = max(slope, (0.8 - z0) / reach)
    disc_mean = (ha + hp) / 2

    def vertebra(name: str, upper: bool, canal_width: float, pedicle_width: float, angle: float,
                 below: FacetJoint | None) -> VertebraFrame:
        shear = slope if upper else -slope
        lift = z0 if upper else -(z0 + height)
        sacrum = name == "S1"
        depth = params.f("canal.depth") * (0.8 if sacrum else 1.0)
        trefoil = 1.0 if sacrum else params.f("canal.trefoil")
        probe = _joint(params, np.zeros(3))
        x, y = _joint_centre(params, wall_y, canal_width, probe)
        above_z = height + 1.5 + shear * y + lift  # world z of the joint above its body
        above = _joint(params, np.array([x, y, above_z]))
        if below is None:
            below = _joint(params, np.array([x, y, above_z - height - disc_mean]))
        pedicle_height = min(params.f("pedicle.height"), 0.62 * height)
        spinous_height = params.f("spinous.height")
        # spinous processes of neighbours keep an interspinous gap under the wedge's tilt
        tip_y = wall_y + depth + params.f("lamina.thickness") + params.f("spinous.length")
        spinous_height = max(6.0, min(spinous_height, 2 * (z0 + slope * tip_y) + height - 6.0))
        return VertebraFrame(
            name=name, upper=upper, sacrum=sacrum, height=height, shear=shear, lift=lift,
            canal_width=canal_width, canal_depth=depth, trefoil=trefoil,
            pedicle_width=pedicle_width, pedicle_height=pedicle_height, pedicle_angle=angle,
            wall_y=wall_y, joint_above=above, joint_below=below,
            lamina_thickness=params.f("lamina.thickness"),
            spinous_length=params.f("spinous.length") * (0.35 if sacrum else 1.0),
            spinous_height=spinous_height, transverse_span=params.f("transverse.span"),
        )

    lower = vertebra(lower_name, False, params.f("canal.width_lower"), params.f("pedicle.width_lower"),
                     params.f("pedicle.angle_lower"), None)
    upper = vertebra(upper_name, True, params.f("canal.width"), params.f("pedicle.width_upper"),
                     params.f("pedicle.angle_upper"), lower.joint_above)
    narrow = min(upper.canal_width, lower.canal_width) / 2
    trav_radius = 0.3 * params.f("roots.diameter_traversing")
    sac_half_depth = min(params.f("sac.depth") / 2, (params.f("canal.depth") - 4.0) / 2)
    sac_half_width = params.f("sac.area") / (np.pi * sac_half_depth)
    sac_half_width = float(min(sac_half_width, narrow - 2 * trav_radius - 2.6))
    sac_centre_y = wall_y + 1.4 + sac_half_depth
    top = upper.world_z(upper.wall_y, height) + 2.0
    bottom = lower.world_z(lower.wall_y, 0.0) + (1.0 if lower.sacrum else -2.0)
    layout = SegmentLayout(
        params=params, frame=frame, level=level, upper=upper, lower=lower, joint=lower.joint_above,
        sac_centre_y=float(sac_centre_y), sac_half_width=sac_half_width,
        sac_half_depth=float(sac_half_depth), sac_z=(float(bottom), float(top)),
    )
    from discviz.geometry.segment.roots import plan_roots

    layout.roots.update(plan_roots(layout))
    return layout
