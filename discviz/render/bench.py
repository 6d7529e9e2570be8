"""Render speed figures for `discviz bench` (never asserted in unit tests).

The floor: a bare pyvista Plotter rendering the same meshes of a transition frame (points
replaced, same opacities and camera; no clipping, labels or text), at the same window size.
Two comparisons: the viewer's frame (multisampled window) and the export's frame (window
at twice the size, no multisampling, then filtered down; ours also renders the id picture
that pins the labels and reads the pixels back). Plus what supersampling and ambient
occlusion (SSAO) cost on their own. SSAO draws through its own framebuffers, one sample a
pixel, so it is weighed against the bare loop without multisampling.
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
from discviz.render.capture import SUPERSAMPLE, Capture
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
    """The viewer's path: show, the labels' check on the meshes, render, in a multisampled
    window (labels pinned once before, as the viewer's first picture has them).
    """
    plotter = pv.Plotter(off_screen=True, window_size=SIZE)
    renderer = SceneRenderer(plotter)
    renderer.show(player.frame_at(times[0]))
    plotter.screenshot(return_img=True)  # the first draw compiles shaders: not counted
    renderer.settle_labels()
    start = time.perf_counter()
    for t in times:
        renderer.show(player.frame_at(t))
        renderer.follow_labels()
        plotter.render()
    elapsed = (time.perf_counter() - start) / len(times)
    plotter.close()
    return elapsed


def _export(player: Player, times: list[float], factor: int) -> float:
    """The export's path: a finished frame (labels pinned on the id picture) as pixels."""
    capture = Capture(SIZE, factor=factor)
    capture.shoot(player.frame_at(times[0]))
    start = time.perf_counter()
    for t in times:
        frame = player.frame_at(t)
        capture.shoot(frame)
    elapsed = (time.perf_counter() - start) / len(times)
    capture.close()
    return elapsed


def _floor(player: Player, times: list[float], scale: int = 1, multisample: bool = True,
           ssao: bool = False, read: bool = False) -> float:
    """A bare pyvista loop over the same meshes, at ``scale`` times the size."""
    plotter = pv.Plotter(off_screen=True, window_size=(SIZE[0] * scale, SIZE[1] * scale))
    if multisample:
        enable_anti_aliasing(plotter)
    else:
        plotter.render_window.SetMultiSamples(0)
    if ssao:
        plotter.enable_ssao(radius=4.0, bias=0.05, kernel_size=32)
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
        if read:
            plotter.screenshot(return_img=True)
    elapsed = (time.perf_counter() - start) / len(times)
    plotter.close()
    return elapsed


OPERATION = """format = 1
title = "bench"
preset = "L4-L5"
[defaults]
show = ["vertebrae", "disc", "pathology", "context", "instruments"]
params = { "instruments.insertion" = 1.0 }
[[steps]]
id = "docked"
state = "nerve-ingrowth"
[[steps]]
id = "repair"
state = "repaired"
transition = 6.0
"""


def _operation(repeat: int) -> dict[str, float]:
    """The monitor view against the outside view of the same frames of the repair."""
    import tomllib

    from discviz.scene.load import scene_from_document

    scene = scene_from_document(tomllib.loads(OPERATION), OPERATION, Path("bench.toml"))
    player = Player(scene, reading=False)
    span = player.timeline.spans[1]
    times = list(np.linspace(span.start, span.settled, max(repeat, 5) + 2)[1:-1])
    runs: dict[str, list[float]] = {"outside": [], "endoscope": []}
    for _ in range(3):
        for name in runs:
            plotter = pv.Plotter(off_screen=True, window_size=SIZE)
            renderer = SceneRenderer(plotter)
            frames = [dataclasses.replace(player.frame_at(t), scope=name == "endoscope") for t in times]
            renderer.show(frames[0])
            plotter.screenshot(return_img=True)
            start = time.perf_counter()
            for frame in frames:
                renderer.show(frame)
                plotter.render()
            runs[name].append((time.perf_counter() - start) / len(frames))
            plotter.close()
    outside, scope = min(runs["outside"]), min(runs["endoscope"])
    return {"outside_view_frame_ms": round(outside * 1000, 1),
            "endoscope_view_frame_ms": round(scope * 1000, 1),
            "endoscope_ratio_to_outside": round(scope / outside, 2), "target_ratio": 1.5}


def run_bench(repeat: int) -> dict[str, object]:
    """Transition frames at 1280x720: ours vs the floor (viewer and export), what
    supersampling and SSAO cost, and video export frames per second.
    """
    scene = load_scene("discogenic-pain")
    player = Player(scene)
    times = _transition(player, max(repeat, 5))
    runs: dict[str, list[float]] = {}
    measures = {
        "viewer": lambda: _ours(player, times),
        "floor": lambda: _floor(player, times),
        "export": lambda: _export(player, times, SUPERSAMPLE),
        "export_1x": lambda: _export(player, times, 1),
        "floor_2x": lambda: _floor(player, times, SUPERSAMPLE, multisample=False, read=True),
        "floor_1x_plain": lambda: _floor(player, times, 1, multisample=False, read=True),
        "floor_ssao": lambda: _floor(player, times, 1, multisample=False, ssao=True, read=True),
    }
    for _ in range(3):  # interleaved, so a busy moment of the machine hits all alike
        for name, measure in measures.items():
            runs.setdefault(name, []).append(measure())
    best = {name: min(values) for name, values in runs.items()}
    # the video figure: the first three steps' morphs, without reading pauses
    export_player = Player(dataclasses.replace(scene, steps=scene.steps[:3]), reading=False)
    fps = 10
    start = time.perf_counter()
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        frames = write_video(export_player, Path(folder) / "bench.mp4", (640, 360), fps)
    export_seconds = time.perf_counter() - start
    ms = {name: round(value * 1000, 1) for name, value in best.items()}
    return {
        "transition_frame_1280x720_ms": ms["viewer"],
        "bare_pyvista_same_meshes_ms": ms["floor"],
        "ratio_to_floor": round(best["viewer"] / best["floor"], 2),
        "export_frame_1280x720_ms": ms["export"],
        "bare_pyvista_export_size_ms": ms["floor_2x"],
        "export_ratio_to_floor": round(best["export"] / best["floor_2x"], 2),
        "target_ratio": 1.5,
        "supersampling": {
            "export_frame_without_ms": ms["export_1x"],
            "cost_factor": round(best["export"] / best["export_1x"], 2),
            "bare_1x_no_multisampling_ms": ms["floor_1x_plain"],
            "bare_2x_ms": ms["floor_2x"],
        },
        "ssao_not_used": {
            "bare_with_ssao_ms": ms["floor_ssao"],
            "bare_without_ms": ms["floor_1x_plain"],
            "cost_factor": round(best["floor_ssao"] / best["floor_1x_plain"], 2),
        },
        "operation_repair_1280x720": _operation(repeat),
        "video_export_640x360_frames_per_second": round(frames / export_seconds, 2),
        "video_frames": frames,
        "timeline_frames_expected": len(frame_times(export_player, fps)),
    }
