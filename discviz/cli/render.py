"""`discviz render SCENE -o DIR`: a PNG per step, and with --video the whole explanation."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from discviz.errors import InputError, Problem, did_you_mean

SIZE = re.compile(r"^(\d{2,5})x(\d{2,5})$")
VIDEO_SUFFIXES = (".mp4", ".gif")
MAX_PIXELS = 7680 * 4320


def parse_size(text: str) -> tuple[tuple[int, int] | None, Problem | None]:
    """``WxH`` -> (width, height), or a problem saying what is wrong."""
    match = SIZE.match(text.strip().lower())
    if not match:
        return None, Problem("--size", f"expected WIDTHxHEIGHT such as 1920x1080, got '{text}'")
    width, height = int(match.group(1)), int(match.group(2))
    if width < 64 or height < 64 or width * height > MAX_PIXELS:
        return None, Problem("--size", f"{width}x{height} is out of range: from 64x64 up to 7680x4320")
    return (width, height), None


def use_offscreen_gl() -> None:
    """With no display, let VTK go straight to EGL instead of trying X first."""
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")


def run(args: argparse.Namespace) -> int:
    """Check every argument, then render."""
    from discviz.cli.model_options import choose_model

    problems: list[Problem] = []
    scene, choice = None, None
    try:
        choice = choose_model(args, args.scene)
        scene = choice.scene
    except InputError as error:
        problems.extend(error.problems)
    size, problem = parse_size(args.size)
    if problem:
        problems.append(problem)
    if scene is not None and args.lang and args.lang not in scene.languages:
        problems.append(Problem("--lang", f"this scene has no language '{args.lang}'"
                                f"{did_you_mean(args.lang, scene.languages)}; "
                                f"it has: {', '.join(scene.languages)}"))
    video = Path(args.video) if args.video else None
    if video is not None and video.suffix.lower() not in VIDEO_SUFFIXES:
        problems.append(Problem("--video", f"'{video.name}': the video must end in .mp4 or .gif"))
    if not 1 <= args.fps <= 120:
        problems.append(Problem("--fps", f"must be from 1 to 120, got {args.fps}"))
    output = Path(args.output)
    try:
        if output.exists() and not output.is_dir():
            problems.append(Problem("-o", f"'{output}' exists and is not a folder"))
    except OSError:
        pass  # the folder's own check says what is wrong with the path
    if problems or scene is None or choice is None or size is None:
        raise InputError(problems)

    use_offscreen_gl()
    from discviz.player.frame import Player
    from discviz.render.export import (
        ProgressBar,
        render_folder,
        render_stills,
        video_fps,
        video_size,
        write_video,
    )
    from discviz.render.fonts import font_problem
    from discviz.render.output import claim, make_folder

    player = Player(scene, language=args.lang, audience=args.audience, base_params=choice.base,
                    overrides=choice.overrides)
    if not args.bare:  # a picture with empty boxes for words is worse than none
        problem = font_problem(player.language, player.texts())
        if problem is not None:
            raise InputError([Problem("--lang" if args.lang else str(scene.source or args.scene), problem)])
    if video is not None:  # every output checked before any work
        claim(video, args.overwrite)
    render_folder(player, output, args.overwrite, args.ids)
    if video is not None:
        make_folder(video.parent)
    paths = render_stills(player, output, size, ProgressBar("steps"), bare=args.bare,
                          overwrite=args.overwrite, ids=args.ids)
    print(f"wrote {len(paths)} pictures to {output}", file=sys.stderr)
    if video is not None:
        fitted, fps = video_size(video, size), video_fps(video, args.fps)
        if fitted != size:
            print(f"video size adjusted to {fitted[0]}x{fitted[1]} for the {video.suffix} format",
                  file=sys.stderr)
        if fps != args.fps:
            print(f"video frame rate adjusted to {fps} fps for GIF", file=sys.stderr)
        count = write_video(player, video, fitted, fps, ProgressBar("video"), overwrite=args.overwrite)
        seconds = player.timeline.duration
        print(f"wrote {video} ({count} frames, {seconds:.1f} s)", file=sys.stderr)
    return 0
