"""Render speed figures for `discviz bench` (never asserted in unit tests).

The floor: a bare pyvista Plotter rendering the same meshes of a transition frame (points
replaced, same opacities, multisampling and camera; no clipping, labels or text). Ours: the
player's frame -> geometry update -> SceneRenderer.show -> render, same window size,
measured side by side.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

import numpy as np

if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

import pyvista as pv

from discviz.geometry import build_surfaces
from discviz.player.frame import Player
from discviz.render.convert import to_polydata
from discviz.render.export import frame_times, write_video
from discviz.render.renderer import SceneRenderer, enable_anti_aliasing, place_camera
from discviz.scene.load import load_scene

SIZE = (1280, 720)


def _transition(player: Player, count: int) -> list[float]:
    """Times inside the first transition where the disc morphs (the tear opening)."""
    steps = player.scene.steps
    index = next(i for i in range(1, len(steps)) if steps[i].state != steps[i - 1].state)
    span = player.timeline.spans[index]
    return list(np.linspace(span.start, span.settled, count + 2)[1:-1])


def _ours(player: Player, times: list[float]) -> float:
    plotter = pv.Plotter(off_screen=True, window_size=SIZE)
    renderer = SceneRenderer(plotter)
    renderer.show(player.frame_at(times[0]))
    plotter.screenshot(return_img=True)  # the first draw compiles shaders: not counted
    start = time.perf_counter()
    for t in times:
        renderer.show(player.frame_at(t))
        plotter.render()
    elapsed = (time.perf_counter() - start) / len(times)
    plotter.close()
    return elapsed


def _floor(player: Player, times: list[float]) -> float:
    plotter = pv.Plotter(off_screen=True, window_size=SIZE)
    enable_anti_aliasing(plotter)  # the same window set-up: multisampling is not our overhead
    first = player.frame_at(times[0])
    surfaces = build_surfaces(first.disc_state, first.params, first.progress)
    meshes = {n: to_polydata(s) for n, s in surfaces.items() if first.opacity.get(n, 0) > 0}
    for name, mesh in meshes.items():  # the same opacities: translucency costs both alike
        plotter.add_mesh(mesh, smooth_shading=False, opacity=min(first.opacity[name], 1.0))
    plotter.screenshot(return_img=True)
    start = time.perf_counter()
    for t in times:
        frame = player.frame_at(t)
        surfaces = build_surfaces(frame.disc_state, frame.params, frame.progress)
        for name, mesh in meshes.items():
            mesh.points[:] = surfaces[name].points
            mesh.Modified()
        place_camera(plotter, frame)  # the same viewpoint: software GL pays per pixel covered
        plotter.render()
    elapsed = (time.perf_counter() - start) / len(times)
    plotter.close()
    return elapsed


def run_bench(repeat: int) -> dict[str, object]:
    """Transition frame at 1280x720, ours vs the floor, and video export frames per second."""
    scene = load_scene("discogenic-pain")
    player = Player(scene)
    times = _transition(player, max(repeat, 5))
    floors, ours_runs = [], []
    for _ in range(3):  # interleaved, so a busy moment of the machine hits both alike
        floors.append(_floor(player, times))
        ours_runs.append(_ours(player, times))
    floor, ours = min(floors), min(ours_runs)
    # the video figure: the first three steps' morphs, without reading pauses
    export_player = Player(dataclasses.replace(scene, steps=scene.steps[:3]), reading=False)
    fps = 10
    start = time.perf_counter()
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        frames = write_video(export_player, Path(folder) / "bench.mp4", (640, 360), fps)
    export_seconds = time.perf_counter() - start
    return {
        "transition_frame_1280x720_ms": round(ours * 1000, 1),
        "bare_pyvista_same_meshes_ms": round(floor * 1000, 1),
        "ratio_to_floor": round(ours / floor, 2),
        "target_ratio": 1.25,
        "video_export_640x360_frames_per_second": round(frames / export_seconds, 2),
        "video_frames": frames,
        "timeline_frames_expected": len(frame_times(export_player, fps)),
    }
