"""Whole vertebrae: the body and the neural arch around the spinal canal, as one bone.

The body keeps the disc's frame exactly: its disc-facing endplate is the disc frame's vertebral
face (concave, following the lordotic wedge), its rim (ring apophysis) stands 2 % proud of the
disc's outline, its waist is concave. Behind it the pedicles (Panjabi 1992 widths, transverse
angle converging forward) carry the articular pillars: the superior articular processes rise
above the body and face back and inward, the inferior ones hang below the laminae and face
forward and outward; the laminae meet in the midline at the spinous process, which points back
and slightly down; the transverse processes stand out sideways at the level of the pedicles
(short and thick at L5). The canal is cut out of it all with the level's shape, and the bone is
kept clear of the facet joints, the dural sac and the roots.

Built as blended implicit parts meshed by marching cubes (:mod:`.sdf`); the triangles carry
cell array ``part`` (body, pedicle, lamina, spinous-process, transverse-process,
articular-process) and point array ``cortex`` (0 on the cancellous endplate face, 1 elsewhere).
The sacrum (the lower bone at L5-S1) is built by :mod:`.sacrum` from the same parts.
"""

from __future__ import annotations

import numpy as np

from discviz.geometry.disc.outline import GAP, angle_of
from discviz.geometry.segment.canal import canal_field, sac_field
from discviz.geometry.segment.layout import CLEARANCE, RIM_FLARE, FacetJoint, SegmentLayout, VertebraFrame
from discviz.geometry.segment.sdf import Grid, Part, ellipsoid, polyline, smooth_max
from discviz.geometry.surface import Surface

PARTS: tuple[str, ...] = (
    "body", "pedicle", "lamina", "spinous-process", "transverse-process", "articular-process",
)
BODY, PEDICLE, LAMINA, SPINOUS, TRANSVERSE, ARTICULAR = range(len(PARTS))
WAIST = 0.9  # the body's mid-height outline as a share of its endplate outline
STEP = {"low": 2.2, "medium": 1.8, "high": 1.1}  # mm between samples of the bone
SMOOTHING = 6  # Taubin passes over the marching-cubes surface
JOINT_ROOM = 0.45  # mm of bone kept clear around a facet joint at the finer steps
JOINT_STEP_SHARE = 0.3  # at a coarse step, this share of the step instead (see joint_room)


def elliptic_rod(a: np.ndarray, b: np.ndarray, across_a: tuple[float, float],
                 across_b: tuple[float, float]):
    """A rod from ``a`` to ``b`` with an elliptic section: half-sizes (horizontal, vertical)
    across its axis, from ``across_a`` at ``a`` to ``across_b`` at ``b``; rounded ends.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    axis = b - a
    length2 = float(axis @ axis)
    direction = axis / np.sqrt(length2)
    side = np.cross(direction, [0.0, 0.0, 1.0])
    if np.linalg.norm(side) < 1e-6:
        side = np.array([1.0, 0.0, 0.0])
    side /= np.linalg.norm(side)
    up = np.cross(side, direction)

    def f(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        px, py, pz = x - a[0], y - a[1], z - a[2]
        t_raw = (px * axis[0] + py * axis[1] + pz * axis[2]) / length2
        t = np.clip(t_raw, 0.0, 1.0)
        qx, qy, qz = px - t * axis[0], py - t * axis[1], pz - t * axis[2]
        h = across_a[0] + (across_b[0] - across_a[0]) * t
        v = across_a[1] + (across_b[1] - across_a[1]) * t
        s = (qx * side[0] + qy * side[1] + qz * side[2]) / h
        w = (qx * up[0] + qy * up[1] + qz * up[2]) / v
        along = (t_raw - t) * np.sqrt(length2) / np.minimum(h, v)  # past the ends: round caps
        return (np.sqrt(s * s + w * w + along * along) - 1.0) * np.minimum(h, v)

    return f


def _box(points: list[np.ndarray], pad: float) -> tuple[np.ndarray, np.ndarray]:
    stacked = np.array(points, float)
    return stacked.min(axis=0) - pad, stacked.max(axis=0) + pad


def body_part(layout: SegmentLayout, vertebra: VertebraFrame, taper: float = 0.0) -> Part:
    """The body: concave waist, the disc frame's face toward the disc, a rounded far face.
    ``taper`` narrows it away from the disc (the sacrum below S1's endplate).
    """
    frame = layout.frame
    height = vertebra.height
    upper = vertebra.upper

    def f(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        xy = np.stack(np.broadcast_arrays(x, y), -1)  # on a block z-independent: (nx, ny, 1, 2)
        theta = angle_of(xy)
        outline = frame.outer_radius(theta) * RIM_FLARE
        r = np.sqrt(xy[..., 0] ** 2 + xy[..., 1] ** 2)
        v = np.clip(z / height, 0.0, 1.0)
        towards_disc = (1 - v) if upper else v
        waist = 1 - (1 - WAIST) * np.maximum(np.sin(np.pi * v), 0.0) ** 0.8
        waist = waist * (1 - taper * (1 - towards_disc))
        side = (r - outline * waist) * 0.92
        world_z = vertebra.world_z(y, z)
        if upper:
            face = frame.upper_face(xy) + GAP
            near = face - world_z
            far = z - height
        else:
            face = frame.lower_face(xy) - GAP
            near = world_z - face
            far = -z
        return smooth_max(np.maximum(side, near), far, 2.5)

    r_max = float(frame.outer_radius(np.linspace(0, 2 * np.pi, 73)).max()) * RIM_FLARE
    return Part(BODY, np.array([-r_max, -r_max, -1.0]), np.array([r_max, r_max, height + 1.0]), f, 1.0)


def _joint_box(joint: FacetJoint, vertebra: VertebraFrame, pad: float) -> tuple[np.ndarray, np.ndarray]:
    """A frame-coordinates box around a joint (its processes reach about 12 mm from it)."""
    corners = joint.world(np.array([-1, 1, -1, 1, -1, 1, -1, 1]) * (joint.half_width + 4),
                          np.array([-1, -1, 1, 1, -1, -1, 1, 1]) * (joint.half_height + 8),
                          np.array([-1, -1, -1, -1, 1, 1, 1, 1]) * 12.0)
    corners[:, 2] = vertebra.frame_z(corners[:, 1], corners[:, 2])
    return corners.min(axis=0) - pad, corners.max(axis=0) + pad


def articular_field(joint: FacetJoint, vertebra: VertebraFrame, superior: bool, centre_v: float,
                    reach_v: float):
    """A process hugging one face of a joint, in the joint's curved coordinates: a flattened,
    squarish lump whose face toward the joint follows the joint's curve.
    """
    thick = 3.9 if superior else 3.6
    w0 = -(joint.cartilage + thick) if superior else joint.cartilage + thick
    radii = np.array([joint.half_width + (1.5 if superior else 0.8), reach_v, thick])
    shift = -1.0 if superior else 0.5
    power = 2.6  # squarer than an ellipsoid: a pillar with a flat articular face

    def f(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        u, v, w = joint.coords(x, y, vertebra.world_z(y, z))
        k = (np.abs((u - shift) / radii[0]) ** power + np.abs((v - centre_v) / radii[1]) ** power
             + np.abs((w - w0) / radii[2]) ** power) ** (1 / power)
        return (k - 1.0) * radii.min() * 0.9

    return f


def sap_shape(joint: FacetJoint) -> tuple[float, float]:
    """Middle and half height of a superior articular process along its joint."""
    return -4.0, joint.half_height + 3.0


def iap_shape(joint: FacetJoint) -> tuple[float, float]:
    """Middle and half height of an inferior articular process along its joint."""
    return -0.5, joint.half_height + 0.5


def arch_parts(vertebra: VertebraFrame) -> list[Part]:
    """Pedicle, lamina, spinous and transverse processes, articular processes (left side)."""
    parts: list[Part] = []
    hp, wp = vertebra.pedicle_height, vertebra.pedicle_width
    a, b = vertebra.pedicle_axis()
    parts.append(Part(PEDICLE, *_box([a, b], max(wp, hp) / 2 + 1), elliptic_rod(
        a, b, (wp / 2 + 1.0, hp / 2 + 0.8), (wp / 2 * 0.7, hp / 2 * 0.85)), 3.0))
    height = vertebra.height
    sap = vertebra.sap_centre_local
    thick = vertebra.lamina_thickness
    lamina_top, lamina_bottom = height - 7.0, 0.5
    lam_mid = (lamina_top + lamina_bottom) / 2
    lam_half = (lamina_top - lamina_bottom) / 2
    back_y = vertebra.wall_y + vertebra.canal_depth + thick / 2
    start = np.array([sap[0] - 1.0, sap[1] + 2.5, lam_mid])
    end = np.array([0.0, back_y, lam_mid - 1.0])
    parts.append(Part(LAMINA, *_box([start, end], lam_half + 1), elliptic_rod(
        start, end, (thick / 2, lam_half), (thick / 2, lam_half)), 2.5))
    # the pars interarticularis: the lamina's lateral column from the superior articular
    # process down to the inferior one
    inferior = vertebra.joint_below.world(np.array(0.5), np.array(-1.5),
                                          np.array(vertebra.joint_below.cartilage + 3.6))
    inferior[2] = vertebra.frame_z(inferior[1], inferior[2])
    pars_top = np.array([sap[0] - 1.5, sap[1] + 2.0, sap[2] - 2.0])
    pars_bottom = np.array([inferior[0], inferior[1], inferior[2] + 3.0])
    parts.append(Part(LAMINA, *_box([pars_top, pars_bottom], 6.0), elliptic_rod(
        pars_top, pars_bottom, (4.0, 3.5), (3.6, 3.5)), 3.0))
    # the spinous process: a tall, thin plate back and a little down from the laminae's
    # junction, thickening into a tubercle at its tip
    hs, length = vertebra.spinous_height, vertebra.spinous_length
    base = np.array([0.0, back_y - 2.0, lam_mid - 1.0])
    tip = np.array([0.0, back_y + length - 2.0, lam_mid - 5.0])
    parts.append(Part(SPINOUS, *_box([base, tip], hs / 2 + 1), elliptic_rod(
        base, tip, (2.4, hs / 2 * 0.8), (2.9, hs / 2)), 2.0))
    parts.append(Part(SPINOUS, *_box([tip], hs / 2 + 1), ellipsoid(
        tip - [0.0, 1.0, 0.5], np.array([3.6, 3.4, hs / 2 * 0.95])), 2.0))
    # the transverse process: sideways from the pedicle's junction with the articular pillar
    l5 = vertebra.name == "L5"
    root_x = b[0] - 1.0
    root = np.array([root_x, (a[1] + 2 * b[1]) / 3 + (-2.0 if l5 else 0.0), vertebra.pedicle_z])
    tip_x = max(vertebra.transverse_span / 2, root_x + 12.0)
    tp_tip = np.array([tip_x, root[1] + (0.0 if l5 else 3.0), vertebra.pedicle_z + (4.0 if l5 else 1.5)])
    base_size, tip_size = ((4.2, 6.5), (3.0, 4.4)) if l5 else ((2.7, 4.4), (1.9, 3.0))
    parts.append(Part(TRANSVERSE, *_box([root, tp_tip], 8.0), elliptic_rod(
        root, tp_tip, base_size, tip_size), 3.0))
    # articular processes: the superior one above the pedicle, the inferior one below the lamina
    above, below = vertebra.joint_above, vertebra.joint_below
    parts.append(Part(ARTICULAR, *_joint_box(above, vertebra, 1.0),
                      articular_field(above, vertebra, True, *sap_shape(above)), 3.0))
    parts.append(Part(ARTICULAR, *_joint_box(below, vertebra, 1.0),
                      articular_field(below, vertebra, False, *iap_shape(below)), 3.0))
    return parts


def _world_box(vertebra: VertebraFrame, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A frame-coordinates box holding the world box [lo, hi]."""
    ys = np.array([lo[1], hi[1]])
    zs = np.concatenate([vertebra.frame_z(ys, lo[2]), vertebra.frame_z(ys, hi[2])])
    return np.array([lo[0], lo[1], zs.min()]), np.array([hi[0], hi[1], zs.max()])


def joint_room(step: float) -> float:
    """Mm of bone kept clear around a facet joint. Marching cubes and smoothing move the bone
    by up to about a quarter of the sample step (measured: 0.35 mm of the 0.45 at 1.8 mm, all
    of it and more at 2.2 mm), so a coarse step keeps a share of itself clear instead.
    """
    return max(JOINT_ROOM, JOINT_STEP_SHARE * step)


def keep_clear(grid: Grid, layout: SegmentLayout, vertebra: VertebraFrame) -> None:
    """Cut the canal, the joints and the soft tissue's room out of the bone."""
    depth = vertebra.canal_depth
    big = 200.0
    grid.cut(np.array([0.0, vertebra.wall_y - 2.0, -big]),
             np.array([vertebra.canal_width / 2 + 2.0, vertebra.wall_y + depth + 2.0, big]),
             lambda x, y, z: np.broadcast_to(canal_field(vertebra, x, y), np.broadcast_shapes(
                 x.shape, y.shape, z.shape)), round_edge=1.2)
    for joint, superior in ((vertebra.joint_above, True), (vertebra.joint_below, False)):
        def hole(x: np.ndarray, y: np.ndarray, z: np.ndarray, joint: FacetJoint = joint,
                 superior: bool = superior) -> np.ndarray:
            world_z = vertebra.world_z(y, z)
            lens = joint.field(x, y, world_z, grow=joint_room(grid.step))
            u, v, w = joint.coords(x, y, world_z)
            side = -(w + joint.cartilage + 0.3) if superior else w - joint.cartilage - 0.3
            beyond = np.maximum(np.abs(u) - joint.half_width - 2.5, np.abs(v) - joint.half_height - 2.5)
            return np.minimum(lens, np.maximum(side, beyond))

        grid.cut(*_joint_box(joint, vertebra, 0.0), hole, round_edge=0.0)
    # nothing but the body's own endplate reaches the disc space (a pedicle's fillet would)
    frame = layout.frame

    def disc_space(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        xy = np.stack(np.broadcast_arrays(x, y), -1)
        r = np.sqrt(xy[..., 0] ** 2 + xy[..., 1] ** 2)
        outline = frame.outer_radius(angle_of(xy)) * RIM_FLARE + 1.2
        world_z = vertebra.world_z(y, z)
        if vertebra.upper:
            beyond = world_z - (frame.upper_face(xy) + GAP)
        else:
            beyond = (frame.lower_face(xy) - GAP) - world_z
        return np.maximum(beyond, r - outline)

    r_max = float(frame.outer_radius(np.linspace(0, 2 * np.pi, 73)).max()) * RIM_FLARE + 2.0
    z_near = 0.0 if vertebra.upper else vertebra.height
    grid.cut(np.array([0.0, -r_max, z_near - 6.0]), np.array([r_max, r_max, z_near + 6.0]), disc_space)
    # the neighbour's interlocking articular process (and its fillets) keeps the bones apart
    other = layout.lower if vertebra.upper else layout.upper
    joint = layout.joint
    if vertebra.upper:
        neighbour = articular_field(joint, other, True, *sap_shape(joint))
    else:
        neighbour = articular_field(joint, other, False, *iap_shape(joint))
    box = _joint_box(joint, vertebra, 1.5)
    grid.cut(*box, lambda x, y, z: neighbour(x, y, other.frame_z(y, vertebra.world_z(y, z))) - 1.3)
    lo_z, hi_z = layout.sac_z
    # smoothing moves the bone by a fraction of a sample: keep a share of the step clear too
    clear = CLEARANCE + 0.3 * grid.step
    sac = sac_field(layout, clear)
    grid.cut(*_world_box(vertebra, np.array([0.0, layout.sac_centre_y - layout.sac_half_depth - 2,
                                             lo_z - 2]),
                         np.array([layout.sac_half_width + 2, layout.sac_centre_y + layout.sac_half_depth + 2,
                                   hi_z + 2])),
             lambda x, y, z: sac(x, y, vertebra.world_z(y, z)))
    for root in layout.roots.values():
        if not root.name.endswith("-left"):
            continue
        for i in range(0, len(root.path) - 1, 15):  # a few cuts per root: small boxes
            path = root.path[i:i + 16]
            radius = root.radius[i:i + 16] + clear
            tube = polyline(path, radius)
            grid.cut(*_world_box(vertebra, path.min(axis=0) - radius.max(), path.max(axis=0) + radius.max()),
                     lambda x, y, z, tube=tube: tube(x, y, vertebra.world_z(y, z)))


def bone_grid(layout: SegmentLayout, vertebra: VertebraFrame) -> Grid:
    """An empty grid holding the whole vertebra (world x, y, z; the half x >= 0)."""
    reach_back = (vertebra.wall_y + vertebra.canal_depth + vertebra.lamina_thickness
                  + vertebra.spinous_length + 10)
    front = -layout.frame.half_depth * RIM_FLARE - 4.0
    joint = vertebra.joint_below
    below = vertebra.frame_z(joint.centre[1], joint.centre[2]) - joint.half_height - 9.0
    zs = []
    for y in (front, reach_back):
        zs += [vertebra.world_z(y, min(below, -4.0)), vertebra.world_z(y, vertebra.height + 14.0)]
    lo = np.array([0.0, front, min(zs)])
    hi = np.array([vertebra.transverse_span / 2 + 6.0, reach_back, max(zs)])
    step = STEP[str(layout.params["quality"])]
    return Grid(lo, hi, step, shear=vertebra.shear, lift=vertebra.lift)


def finish(layout: SegmentLayout, vertebra: VertebraFrame, grid: Grid) -> Surface:
    """Mesh the grid; lay the disc-facing endplate exactly on the disc frame's face; name parts."""
    surface, labels = grid.mesh(SMOOTHING)
    frame = layout.frame
    points = surface.points
    xy = points[:, :2]
    face = frame.upper_face(xy) + GAP if vertebra.upper else frame.lower_face(xy) - GAP
    fraction = frame.radial_fraction(xy)
    on_face = (np.abs(points[:, 2] - face) < 1.2 * grid.step) & (fraction <= 1.0)
    points[on_face, 2] = face[on_face]
    # the ring apophysis: vertices just off the face and outside the disc's outline go onto the
    # rim's wall, so the rim reads as one clean edge (marching cubes leaves it notched)
    near_face = np.abs(points[:, 2] - face) < 1.5 * grid.step
    lip = near_face & (fraction > 1.0) & (fraction < 1.0 + grid.step / 8)
    theta = angle_of(xy[lip])
    points[lip, :2] *= (frame.outer_radius(theta) * RIM_FLARE / np.hypot(xy[lip, 0], xy[lip, 1]))[:, None]
    cortex = np.ones(len(points))
    cortex[on_face] = np.clip((fraction[on_face] - 0.85) / 0.15, 0.0, 1.0)
    surface.point_data["cortex"] = cortex
    surface.cell_data["part"] = np.asarray(PARTS)[labels]
    return surface


def vertebra_surface(layout: SegmentLayout, upper: bool) -> Surface:
    """The whole upper (``upper``) or lower vertebra; the sacrum below L5-S1."""
    vertebra = layout.upper if upper else layout.lower
    if vertebra.sacrum:
        from discviz.geometry.segment.sacrum import sacrum_surface

        return sacrum_surface(layout)
    grid = bone_grid(layout, vertebra)
    grid.add(body_part(layout, vertebra))
    for part in arch_parts(vertebra):
        grid.add(part)
    keep_clear(grid, layout, vertebra)
    return finish(layout, vertebra, grid)
