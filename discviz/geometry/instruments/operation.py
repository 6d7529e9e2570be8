"""The operation over time: where the instruments are for an insertion, a state and a
transition's progress, and their meshes.

- ``instruments.insertion`` (0..1) slides the cannula with the scope in it along the
  trajectory from outside the skin to docked on the annulus; in its last fifth the probe's
  flexible tip comes out of the scope's working channel and runs along the annulus to the tear
  (``track``), which the surgeon opens where outer lamellae cover it (``pathology.annulotomy``).
- ``rf.power`` (0..1) lights the probe's tip.
- In the transition into ``repaired`` the operation plays (Tsou, Yeung and Yeung 2004): the
  probe, glowing, sweeps the tear from the outer annulus inward at the same front that fades the
  ingrown nerves (``Phase.ablation``); then the forceps take the loose, blue-stained nucleus
  material out of the tear; then the probe heats the tear's walls while they draw together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from discviz.geometry.disc.outline import DiscFrame
from discviz.geometry.instruments.skin import skin_surface
from discviz.geometry.instruments.tools import (
    FORCEPS_RADIUS,
    PROBE_RADIUS,
    SCOPE_PLAY,
    SCOPE_SETBACK,
    WALL,
    Pose,
    cannula_surface,
    endoscope_surface,
    forceps_surface,
    probe_surface,
)
from discviz.geometry.instruments.track import Room, bent_path, room_around
from discviz.geometry.instruments.trajectory import (
    Trajectory,
    clear_trajectory_caches,
    cross_frame,
    plan_trajectory,
    touching_side,
)
from discviz.geometry.params import Params
from discviz.geometry.pathology.nerves import ablation_front
from discviz.geometry.pathology.phase import Phase, ease, window
from discviz.geometry.pathology.site import FissureSite
from discviz.geometry.surface import Surface

INSTRUMENTS: tuple[str, ...] = ("cannula", "endoscope", "rf-probe", "forceps")
#: the optic angles endoscopes are made with (degrees off the axis; YESS 20, TESSYS 25-30):
#: the surgeon takes the one that looks most directly at the tear from the docked cannula
OPTICS = (0.0, 12.0, 20.0, 25.0, 30.0)
START_BEHIND = 15.0  # mm behind the skin where the cannula's tip starts at insertion 0
IN_THE_OPENING = 0.97  # share of the annulus thickness: the probe's tip in the opening, at the surface
#: heights (-1 bottom .. 1 top) at which the probe and the forceps work in the tear: below and
#: above the middle, where the scope looks, so that neither hides the tear
PROBE_LEVEL, FORCEPS_LEVEL = -0.6, 0.55
#: where the probe's tip ends the repair: on the sealed surface, as the opening over the tear
#: closes (share of the annulus thickness, height), below the middle of the scope's picture
SEALED_SHARE, SEALED_LEVEL = 1.0, -0.6


def _target(site: FissureSite, frame: DiscFrame, share: float, sweep: float = 0.0,
            level: float = 0.0) -> np.ndarray:
    """A point in the tear at ``share`` of the annulus thickness, ``sweep`` (-1..1) across it
    and ``level`` (-1 bottom .. 1 top) between the endplates.
    """
    offset, half = site.crack_line(np.array([share]))
    across = float(offset[0]) + sweep * 0.8 * float(half[0])
    xy = site.p_in + site.outward * site.thickness * share + site.tangent * across
    lower, upper = frame.faces(xy[None])  # both faces in one evaluation
    top, bottom = float(upper[0]), float(lower[0])
    z = (top + bottom) / 2 + level * (top - bottom) / 2
    return np.array([xy[0], xy[1], z])


def docked_share(site: FissureSite) -> float:
    """How deep in the tear the probe's tip rests when docked: on the tear's outer end, where
    the ingrown nerves are; in the opening the surgeon made in the outer lamellae over a tear
    that ends under them (``pathology.annulotomy``).
    """
    if site.dome_boundary is not None:
        return IN_THE_OPENING
    return float(min(0.96, max(site.depth + 0.12, 0.2)))


def _repair_script(p: float) -> tuple[float, float, float, float, float]:
    """(probe out, heat, forceps out, jaws open, sweep phase) at progress ``p`` of the repair."""
    probe = 1.0 - window(p, 0.26, 0.3) + window(p, 0.45, 0.51)  # it stays on the sealed tear
    heat = (1.0 - window(p, 0.24, 0.28)) + window(p, 0.51, 0.55) - window(p, 0.88, 0.92)
    forceps = window(p, 0.29, 0.33) - window(p, 0.39, 0.44)  # back in the scope before the probe comes out
    jaws = window(p, 0.33, 0.36) - window(p, 0.36, 0.39)
    return probe, heat, forceps, jaws, p


@dataclass(frozen=True)
class _Approach:
    """What one path fixes whatever the insertion, the power and the story: the way the scope
    looks and the bevel lies, the tools' resting targets in the tear when docked and the room
    their tracks have. Built once per path (``_trajectory_key``), which also fixes the disc,
    the tear and the trajectory.
    """

    trajectory: Trajectory
    docked: np.ndarray  # the point in the tear the scope looks at, docked (3,)
    probe_rest: np.ndarray  # where the probe's tip rests in the tear, docked (3,)
    forceps_target: np.ndarray  # where the forceps reach for the nucleus material, docked (3,)
    across: np.ndarray  # unit across the axis toward the tear: the lens' side
    lip: np.ndarray
    view: np.ndarray
    room: Room
    #: the tools' bent paths by (channel, target, how far out, radius): a resting tool keeps its own
    paths: dict[tuple, np.ndarray] = field(default_factory=dict, compare=False, repr=False)

    def tool_path(self, channel: np.ndarray, target: np.ndarray, out: float, total: float,
                  frame: DiscFrame, radius: float) -> np.ndarray:
        """:func:`track.bent_path` out of ``channel`` along this path (read-only, kept)."""
        key = (channel.tobytes(), target.tobytes(), out, total, radius)
        found = self.paths.get(key)
        if found is None:
            if len(self.paths) > 16:
                self.paths.clear()
            found = bent_path(channel, self.trajectory.direction, target, out, total, frame, self.room,
                              radius)
            found.setflags(write=False)
            self.paths[key] = found
        return found


def _constant(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _approach_of(key: Params, herniated: bool, site: FissureSite, frame: DiscFrame) -> _Approach:
    trajectory = plan_trajectory(key, herniated)
    d, dock = trajectory.direction, trajectory.dock
    _, up = cross_frame(d)
    docked = _target(site, frame, docked_share(site))
    aim = docked - dock
    across = aim - d * float(aim @ d)
    across = across / np.linalg.norm(across) if np.linalg.norm(across) > 1e-6 else up
    lens = dock - d * SCOPE_SETBACK + across * 0.45 * scope_radius_of(trajectory)
    aim = docked - lens  # the optic is chosen for what the lens sees
    # the bevel's long lip rests on the disc; the opening faces away from it, up and back
    lip = touching_side(frame, dock, d, trajectory.radius)
    off_axis = float(np.degrees(np.arctan2(float(aim @ across), float(aim @ d))))
    optic = np.radians(min(OPTICS, key=lambda a: abs(a - off_axis)))
    view = d * np.cos(optic) + across * np.sin(optic)
    probe_rest = _target(site, frame, docked_share(site), level=PROBE_LEVEL)
    forceps_target = _target(site, frame, docked_share(site) - 0.1, -0.6, FORCEPS_LEVEL)
    vectors = (docked, probe_rest, forceps_target, across, lip, view)
    return _Approach(trajectory, *(_constant(v) for v in vectors), room_around(key))


_APPROACHES: dict[tuple[Params, bool], _Approach] = {}


def _approach(key: Params, herniated: bool, site: FissureSite, frame: DiscFrame) -> _Approach:
    """The path's :class:`_Approach` (``key``: the parameters without insertion and power;
    ``herniated``: the path clears the root and sac the herniation moves).
    """
    found = _APPROACHES.get((key, herniated))
    if found is None:
        if len(_APPROACHES) > 8:
            _APPROACHES.clear()
        found = _APPROACHES[key, herniated] = _approach_of(key, herniated, site, frame)
    return found


def pose(params: Params, approach: _Approach, site: FissureSite, frame: DiscFrame,
         state: str, progress: float) -> Pose:
    """Where every instrument is: the path's fixed orientation (``approach``), slid in by
    ``instruments.insertion``, with the tools out of the channel as the story has them.
    """
    trajectory = approach.trajectory
    insertion = params.f("instruments.insertion")
    d = trajectory.direction
    travel = trajectory.length + START_BEHIND
    tip = trajectory.dock - d * (1.0 - insertion) * travel
    length = trajectory.length + 40.0
    shift = tip - trajectory.dock  # everything slides along the path as one
    # the lens on the side of the tear, where the bevel opens; the working channel opposite
    channel = tip - d * SCOPE_SETBACK - approach.across * 0.5 * scope_radius_of(trajectory)
    probe_out = window(insertion, 0.8, 1.0)
    heat = params.f("rf.power")
    forceps_out, jaws = 0.0, 0.0
    probe_target = approach.probe_rest + shift
    if state == "repaired" and progress < 1.0 and insertion > 0:
        phase = Phase.of("repaired", progress)
        out, burn, grab, jaws, p = _repair_script(progress)
        probe_out *= out
        heat = max(heat, burn)
        forceps_out = grab * ease(insertion)
        if p < 0.3:  # the pass from the outer annulus inward, with the nerves' front
            share = min(docked_share(site), max(ablation_front(phase.ablation), 0.1))
            sweep = np.sin(progress * 2 * np.pi * 6.0)
        else:  # the walls heated while they close: to and fro along the tear
            share = docked_share(site) * (0.35 + 0.6 * (0.5 + 0.5 * np.cos(2 * np.pi * 2.0 * p)))
            sweep = np.sin(progress * 2 * np.pi * 5.0) * (1.0 - phase.closing)
        # as the opening closes the tip comes out onto the sealed surface (not buried under it)
        out_to_surface = window(p, 0.8, 0.95)
        share += (SEALED_SHARE - share) * out_to_surface
        level = PROBE_LEVEL + (SEALED_LEVEL - PROBE_LEVEL) * out_to_surface
        probe_target = _target(site, frame, share, float(sweep) * (1.0 - out_to_surface), level) + shift
    elif state == "repaired" and insertion > 0:
        probe_target = _target(site, frame, SEALED_SHARE, 0.0, SEALED_LEVEL) + shift
    total = length + 20.0
    probe_path = approach.tool_path(channel, probe_target, probe_out - 0.12 * (1 - probe_out), total, frame,
                                    PROBE_RADIUS)
    forceps_path = approach.tool_path(channel, approach.forceps_target + shift,
                                      forceps_out * 0.92 - 0.3 * (1 - forceps_out), total, frame,
                                      FORCEPS_RADIUS)
    return Pose(tip, d, trajectory.radius, length, approach.lip, approach.view, probe_path,
                float(np.clip(heat, 0, 1)), forceps_path, float(jaws), approach.across)


def scope_radius_of(trajectory: Trajectory) -> float:
    """The endoscope rod's radius in this trajectory's cannula."""
    return trajectory.radius - WALL - SCOPE_PLAY


def instrument_surfaces(params: Params, site: FissureSite, frame: DiscFrame, state: str,
                        progress: float) -> dict[str, Surface]:
    """Every instrument's mesh, or nothing while ``instruments.insertion`` is 0."""
    if params.f("instruments.insertion") <= 0.0:
        return {}
    key, herniated = _trajectory_key(params), state == "herniated"
    approach = _approach(key, herniated, site, frame)
    where = pose(params, approach, site, frame, state, progress)
    cannula, endoscope = _rigid(key, herniated, site, frame)
    shift = where.tip - approach.trajectory.dock  # the cannula and the scope in it slide as one
    return {
        "skin": _skin(key, herniated),
        "cannula": _moved(cannula, shift),
        "endoscope": _moved(endoscope, shift),
        "rf-probe": _probe(where),
        "forceps": _forceps(where),
    }


_FORCEPS: dict[tuple, Surface] = {}
_PROBE: dict[tuple, Surface] = {}


def _probe(where: Pose) -> Surface:
    """The probe's mesh, kept while it neither moves nor changes its glow."""
    return _kept(_PROBE, (where.probe_path.tobytes(), where.glow), lambda: probe_surface(where))


def _forceps(where: Pose) -> Surface:
    """The forceps' mesh, kept while they rest in the scope (most of the operation)."""
    return _kept(_FORCEPS, (where.forceps_path.tobytes(), where.jaws), lambda: forceps_surface(where))


def _kept(cache: dict[tuple, Surface], key: tuple, build: Callable[[], Surface]) -> Surface:
    """The last mesh built for ``key``: the very same surface while the key holds, which the
    renderer does not write again.
    """
    found = cache.get(key)
    if found is None:
        cache.clear()
        found = cache[key] = build()
    return found


_RIGID: dict[tuple[Params, bool], tuple[Surface, Surface]] = {}
_SKIN: dict[tuple[Params, bool], Surface] = {}


def _skin(key: Params, herniated: bool) -> Surface:
    """The skin patch at the entry (once per path)."""
    found = _SKIN.get((key, herniated))
    if found is None:
        if len(_SKIN) > 8:
            _SKIN.clear()
        found = _SKIN[key, herniated] = skin_surface(plan_trajectory(key, herniated))
    return found


def _rigid(key: Params, herniated: bool, site: FissureSite, frame: DiscFrame) -> tuple[Surface, Surface]:
    """The cannula and the endoscope docked (built once per path; a frame only moves them)."""
    found = _RIGID.get((key, herniated))
    if found is None:
        docked = pose(key.update({"instruments.insertion": 1.0}), _approach(key, herniated, site, frame),
                      site, frame, "nerve-ingrowth", 1.0)
        found = (cannula_surface(docked), endoscope_surface(docked))
        for surface in found:  # handed out as they are while docked: every array read-only
            for array in (surface.points, surface.faces, *surface.cell_data.values(),
                          *surface.point_data.values()):
                array.setflags(write=False)
        if len(_RIGID) > 8:
            _RIGID.clear()
        _RIGID[key, herniated] = found
    return found


def _moved(surface: Surface, shift: np.ndarray) -> Surface:
    """The docked mesh slid by ``shift``: itself (read-only) when docked."""
    if not shift.any():
        return surface
    return Surface(surface.points + shift, surface.faces, surface.cell_data, surface.point_data)


@lru_cache(maxsize=64)
def _trajectory_key(params: Params) -> Params:
    """The parameters without those that only move along the path (one plan per path); kept,
    as every frame asks.
    """
    return params.replace(**{"instruments.insertion": 0.0, "rf.power": 0.0})


def camera_of(params: Params, site: FissureSite, frame: DiscFrame, state: str,
              progress: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The endoscope's camera: (position, looking-at point, up) for the monitor view."""
    approach = _approach(_trajectory_key(params), state == "herniated", site, frame)
    where = pose(params, approach, site, frame, state, progress)
    from discviz.geometry.instruments.tools import lens_centre

    eye = lens_centre(where)
    _, up = cross_frame(where.view)
    return eye, eye + where.view * 10.0, up


def clear_instrument_caches() -> None:
    """Forget the planned trajectories and the docked instruments (benchmarks, tests)."""
    _RIGID.clear()
    _SKIN.clear()
    _APPROACHES.clear()
    _FORCEPS.clear()
    _PROBE.clear()
    clear_trajectory_caches()
    room_around.cache_clear()
    _trajectory_key.cache_clear()
