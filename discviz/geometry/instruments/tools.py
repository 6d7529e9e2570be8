"""The instruments as closed meshes, each placed by a :class:`Pose` along the trajectory.

- cannula: a thin-walled steel tube (outer diameter ``instruments.cannula_diameter``, Kumari
  2021: 6-8 mm fits Kambin's triangle) with a bevelled tip whose long lip lies down and forward,
  so the opening faces up and back (the bevel wedged between the superior articular process
  and the disc, the exiting root kept outside); a dark plastic grip at its outer end.
- endoscope: a rod inside the cannula, its front face cut at the optic angle with the lens in
  it, and a dark eyepiece body behind the grip. Cell array ``part``: ``shaft``, ``lens``, ``body``.
- rf-probe: a bipolar probe (about 2.5 mm) whose flexible tip leaves the scope's working
  channel and runs to the tear (``track``); point array ``glow`` (0..1): the heat at the tip.
- forceps: a shaft with two jaws that open and close on a fragment.

Every mesh keeps its point count and faces whatever the pose (constant topology).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discviz.geometry.instruments.trajectory import cross_frame
from discviz.geometry.primitives import arc_faces, merge, swept_ring, tube, tubes
from discviz.geometry.surface import Surface

AROUND = 32  # sections around a tube
WALL = 0.45  # mm: the cannula's wall
BEVEL = 0.65  # the bevel's length as a share of the cannula's diameter
OUTSIDE = 40.0  # mm of cannula standing out of the skin when docked
GRIP = (14.0, 1.9)  # the cannula's grip: length, mm added to the radius
EYEPIECE = (30.0, 6.5)  # the endoscope's body: length and radius
SCOPE_SETBACK = 3.5  # mm the scope's face stays behind the lip: it looks out through the bevel
SCOPE_PLAY = 0.35  # mm between the scope and the cannula's inner wall
PROBE_RADIUS = 1.25
PROBE_SAMPLES = 48
FORCEPS_RADIUS = 1.4
JAW = (5.0, 0.7)  # jaw length and radius


@dataclass(frozen=True)
class Pose:
    """Where the instruments are: the cannula's axis end, its direction, and the curved paths of
    the tools that leave the scope.
    """

    tip: np.ndarray  # the cannula axis' front end (3,)
    direction: np.ndarray  # unit, toward the disc
    radius: float  # cannula outer radius
    length: float  # cannula length
    lip: np.ndarray  # unit across the axis: where the bevel's long lip points
    view: np.ndarray  # unit: the endoscope's optic axis
    probe_path: np.ndarray  # (PROBE_SAMPLES, 3)
    glow: float
    forceps_path: np.ndarray  # (PROBE_SAMPLES, 3)
    jaws: float  # 0 closed .. 1 open
    lens_side: np.ndarray  # unit across the axis: where the lens sits in the scope's face


def _ring(pose: Pose, radius: float, count: int = AROUND) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (count, 3) around the axis at ``radius`` and their cosine to the lip."""
    side, up = cross_frame(pose.direction)
    phi = np.linspace(0.0, 2 * np.pi, count, endpoint=False)
    unit = np.cos(phi)[:, None] * side + np.sin(phi)[:, None] * up
    return radius * unit, unit @ pose.lip


def cannula_surface(pose: Pose) -> Surface:
    """The working cannula with its bevel and grip (one closed, torus-like tube wall)."""
    d, r = pose.direction, pose.radius
    outer, cos_out = _ring(pose, r)
    inner, cos_in = _ring(pose, r - WALL)
    bevel = BEVEL * 2 * r
    front_out = -bevel * (1 - cos_out) / 2
    front_in = -bevel * (1 - cos_in) / 2
    back = -pose.length
    grip_start = back + GRIP[0]
    grip_outer = outer * (r + GRIP[1]) / r
    profile = [  # (point, on the plastic grip)
        (pose.tip + inner + d * (front_in[:, None] - 0.05), 0.0),  # inner front edge
        (pose.tip + outer + d * front_out[:, None], 0.0),  # the lip's outer edge
        (pose.tip + outer + d * (grip_start + 0.4), 0.0),
        (pose.tip + outer + d * grip_start, 1.0),
        (pose.tip + grip_outer + d * (grip_start - 2.0), 1.0),
        (pose.tip + grip_outer + d * back, 1.0),
        (pose.tip + inner + d * back, 1.0),
        (pose.tip + inner + d * (grip_start + 0.4), 0.0),
    ]
    sections = np.stack([p for p, _ in profile], axis=1)  # (AROUND, 8, 3)
    surface = swept_ring(sections)
    if _volume(surface) < 0:
        surface = Surface(surface.points, surface.faces[:, ::-1].copy())
    surface.point_data["plastic"] = np.tile([g for _, g in profile], AROUND)
    return surface


def _volume(surface: Surface) -> float:
    tri = surface.points[surface.faces]
    return float(np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6.0)


def _rod(start: np.ndarray, direction: np.ndarray, length: float, radius: float,
         face: np.ndarray | None = None, count: int = AROUND) -> Surface:
    """A closed straight rod from ``start`` back along -``direction``; the front face tilted
    to the normal ``face`` when given.
    """
    side, up = cross_frame(direction)
    phi = np.linspace(0.0, 2 * np.pi, count, endpoint=False)[::-1]
    unit = np.cos(phi)[:, None] * side + np.sin(phi)[:, None] * up
    stations = np.array([-length, -length + 0.5, -0.5, 0.0])
    sections = start + stations[:, None, None] * direction + radius * unit[None]
    if face is not None:  # the front ring lies in the plane through ``start`` normal to ``face``
        shift = -(radius * unit @ face) / float(face @ direction)
        sections[-1] += shift[:, None] * direction
        sections[-2] += np.minimum(shift, 0.0)[:, None] * direction
    points = np.concatenate([sections.reshape(-1, 3), sections[0].mean(0)[None], sections[-1].mean(0)[None]])
    faces = arc_faces(len(stations), count, None)
    surface = Surface(points, faces)
    if _volume(surface) < 0:  # (the sections run clockwise about the rod: never, but be sure)
        surface = Surface(points, faces[:, ::-1].copy())
    return surface


def scope_radius(pose: Pose) -> float:
    """The endoscope rod's radius: it fills the cannula's lumen with a little play."""
    return pose.radius - WALL - SCOPE_PLAY


def lens_centre(pose: Pose) -> np.ndarray:
    """The centre of the endoscope's lens, where the monitor's camera sits."""
    return _lens_base(pose) + pose.view * 0.3


def _lens_base(pose: Pose) -> np.ndarray:
    """Where the lens sits in the scope's oblique face: off the axis, opposite the channel."""
    rs = scope_radius(pose)
    offset = pose.lens_side * 0.45 * rs
    face = pose.tip - pose.direction * SCOPE_SETBACK
    # the face is tilted to the view: a point off the axis lies in it a little ahead or behind
    shift = -float(offset @ pose.view) / float(pose.view @ pose.direction)
    return face + offset + pose.direction * shift


def endoscope_surface(pose: Pose) -> Surface:
    """The endoscope: shaft with the oblique front face, lens in it, eyepiece body behind."""
    d = pose.direction
    front = pose.tip - d * SCOPE_SETBACK
    rs = scope_radius(pose)
    shaft = _rod(front, d, pose.length + 12.0, rs, face=pose.view)
    lens = _rod(_lens_base(pose) + pose.view * 0.12, pose.view, 0.6, 0.38 * rs, count=20)
    body = _rod(pose.tip - d * (pose.length + 10.0), d, EYEPIECE[0], EYEPIECE[1], count=20)
    parts = [shaft, lens, body]
    names = ["shaft", "lens", "body"]
    return merge(parts, {"part": [np.full(p.n_faces, n) for p, n in zip(parts, names, strict=True)]})


def probe_surface(pose: Pose) -> Surface:
    """The bipolar probe along its path, rounded at the tip; point arrays ``tip`` (1 on the
    steel electrode) and ``glow`` (the heat there, with the power).
    """
    path = pose.probe_path
    seg = np.linalg.norm(np.diff(path, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    from_tip = s[-1] - s
    radius = PROBE_RADIUS * np.sqrt(np.clip(from_tip / 1.2, 0.15, 1.0))
    surface = tube(path, radius, 16, _reference(path))
    electrode = (from_tip < 5.0).astype(float)
    heat = np.clip(1.0 - from_tip / 6.0, 0.0, 1.0) ** 0.8 * pose.glow
    surface.point_data["tip"] = np.concatenate([np.repeat(electrode, 16), [electrode[0], electrode[-1]]])
    surface.point_data["glow"] = np.concatenate([np.repeat(heat, 16), [heat[0], heat[-1]]])
    return surface


def forceps_surface(pose: Pose) -> Surface:
    """Forceps: the shaft along its path and two jaws opening by ``jaws``."""
    path = pose.forceps_path
    radius = np.full(len(path), FORCEPS_RADIUS)
    radius[-1] = 0.8 * FORCEPS_RADIUS
    shaft = tube(path, radius, 14, _reference(path))
    end = path[-1]
    ahead = path[-1] - path[-2]
    ahead = ahead / (np.linalg.norm(ahead) + 1e-12)
    side, up = cross_frame(ahead)
    spread = np.radians(8.0 + 32.0 * pose.jaws)
    k = np.linspace(0.0, 1.0, 8)
    ways = ahead[None] * np.cos(spread) + np.array([[1.0], [-1.0]]) * up[None] * np.sin(spread)
    jaw_paths = end - ahead * 0.6 + k[None, :, None] * ways[:, None, :] * JAW[0]  # (2, 8, 3)
    jaw_radius = np.broadcast_to(JAW[1] * (1.0 - 0.6 * k**2), (2, len(k)))
    jaws = tubes(jaw_paths, np.ascontiguousarray(jaw_radius), 10, side)
    parts = [shaft, jaws]
    return merge(parts, {"part": [np.full(shaft.n_faces, "shaft"), np.full(jaws.n_faces, "jaw")]})


def _reference(path: np.ndarray) -> np.ndarray:
    """A direction never along the path (sections that do not twist)."""
    tangent = path[-1] - path[0]
    tangent = tangent / (np.linalg.norm(tangent) + 1e-12)
    candidates = np.eye(3)
    return candidates[int(np.argmin(np.abs(candidates @ tangent)))]
