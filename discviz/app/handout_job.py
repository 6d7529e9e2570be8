"""Make a handout from a scene: the player's steps, the renderer's pictures (offscreen, as
``discviz render`` draws them, without the caption band) and the findings in words.

Shared by ``discviz handout`` and the viewer's File > Handout (which runs that command in a
separate process, so the window stays responsive).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

from discviz.app.findings import findings, level_line
from discviz.app.handout import Handout, HandoutStep, Progress, write_handout
from discviz.geometry.params import Params, Value
from discviz.geometry.presets import PRESET_NAMES, load_preset
from discviz.geometry.report import LEVELS, REPORT_KEYS, derive, report_from_params
from discviz.player.frame import Player
from discviz.render.export import step_pictures
from discviz.render.mri import slice_picture
from discviz.scene.model import Scene

MRI_PIXELS = 560  # height of each MRI slice picture on page one (about 70 mm at 200 dpi)
_app: QCoreApplication | None = None  # kept alive for the fonts and the PDF writer


def ensure_gui_application() -> None:
    """Qt's text layout and PDF writer need a QGuiApplication (offscreen is enough)."""
    global _app
    if QCoreApplication.instance() is None:
        _app = QGuiApplication(["discviz"])


def handout_content(scene: Scene, player: Player, pictures: list, *, preset_name: str,
                    overrides: Mapping[str, Value], patient: bool, clinic: str) -> Handout:
    """The words and pictures of the handout (the findings box only for a patient's disc)."""
    language, audience = player.language, player.audience
    steps = [HandoutStep(player.text(step, "title") or step.id, player.text(step, "caption"), picture)
             for step, picture in zip(scene.steps, pictures, strict=True)]
    level = preset_name or scene.preset
    show = patient or bool(preset_name) or any(key in overrides for key in REPORT_KEYS)
    level_text, lines = "", []
    base = load_preset(scene.preset)
    if show:
        level_name = level if level in LEVELS else ("L4-L5" if level == "degenerated-L4-L5" else "")
        base = load_preset(level) if level in PRESET_NAMES else base
        report = report_from_params(level_name or "L4-L5", overrides, base)
        level_text = level_line(level_name, language) if level_name else ""
        lines = findings(report, language, audience)
    mri: list = []
    if show:
        params = derive(base, overrides)
        torn = any(key in overrides for key in ("fissure.position", "fissure.grade", "fissure.hiz"))
        state = "ruptured" if torn and overrides.get("fissure.grade") != 0 else "healthy"
        # the sagittal slice through the tear, where a radiologist shows a high-intensity zone
        through = "tear" if "fissure.position" in overrides else "centre"
        mri = [slice_picture(params, state, 1.0, plane, language, height=MRI_PIXELS, through=through).rgb
               for plane in ("sagittal", "axial")]
    title = scene.title.get(language, scene.languages)
    return Handout(title=title, language=language, steps=steps, level=level_text, findings=lines,
                   clinic=clinic, mri=mri)


def make_handout(scene: Scene, output: Path, *, language: str | None = None, audience: str | None = None,
                 base: Params | None = None, preset_name: str = "",
                 overrides: Mapping[str, Value] | None = None,
                 patient: bool = False, clinic: str = "", dpi: int = 150, size: tuple[int, int] = (1063, 598),
                 progress: Callable[[str], Progress] | None = None) -> int:
    """Render the pictures and write the PDF; returns its page count. ``progress(what)`` makes
    a progress callback for each phase ("pictures", then "pages").
    """
    ensure_gui_application()
    overrides = dict(overrides or {})
    player = Player(scene, language=language, audience=audience, base_params=base, overrides=overrides)
    pictures = step_pictures(player, size, progress("pictures") if progress else None)
    content = handout_content(scene, player, pictures, preset_name=preset_name, overrides=overrides,
                              patient=patient, clinic=clinic)
    return write_handout(content, output, dpi, progress("pages") if progress else None)
