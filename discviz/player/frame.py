"""What is on screen at time t: ``frame_at(player, t)`` -> a frozen :class:`ViewState`.

Plain Python (no VTK, no Qt). Every change between two steps is a blend over the step's
transition: the disc morphs when the story moves on by one state, numeric parameters glide,
structures fade in and out, highlights and labels fade, the cutaway slides in, and the
camera swings along the great circle. ``orbit`` turns the camera while the step holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from discviz.geometry.params import Params, Value
from discviz.geometry.pathology.lesions import ease
from discviz.geometry.presets import load_preset
from discviz.geometry.report import derive
from discviz.geometry.structures import DEFAULT_OPACITY, STATE_STRUCTURES, previous_state
from discviz.player.camera import interpolate
from discviz.player.focus import focus_box, focus_point
from discviz.player.timeline import Timeline
from discviz.player.viewstate import Camera, ViewState
from discviz.scene.model import Scene, Step
from discviz.scene.views import ENDOSCOPE

LabelFn = Callable[[str, str, str], str]  # (structure, audience, language) -> text
TEXT_FADE = 0.6  # seconds for a new caption to fade in


def _blend_params(before: Params, after: Params, t: float) -> Params:
    """Numbers glide, counts and choices switch half way (a jump there is hard to see)."""
    if t >= 1.0 or before == after:
        return after
    changes: dict[str, Value] = {}
    for key, value in after.items():
        old = before[key]
        if old == value:
            continue
        if isinstance(value, float) and isinstance(old, float):
            changes[key] = old + (value - old) * t
        elif t < 0.5:
            changes[key] = old
    return after.update(changes) if changes else after


class Player:
    """A scene, its language and audience, and its timeline: ask it for frames."""

    def __init__(self, scene: Scene, language: str | None = None, audience: str | None = None,
                 reading: bool = True, label: LabelFn | None = None,
                 base_params: Params | None = None,
                 overrides: Mapping[str, Value] | None = None) -> None:
        self.scene = scene
        self.language = language or scene.languages[0]
        self.audience = audience or scene.audience
        self.timeline = Timeline(scene, self.language, reading)
        self._label = label or _glossary_label(scene)
        base = base_params if base_params is not None else load_preset(scene.preset)
        # the preset, then each step's own values, then the scene's [params] and the overrides
        # (--set, the patient's report) over every step
        over = {**scene.params, **(overrides or {})}
        self.step_params: tuple[Params, ...] = tuple(derive(base, {**s.params, **over})
                                                     for s in scene.steps)
        # a view beside a step takes the step's values, then its own, then the overrides
        self.beside_params: tuple[Params | None, ...] = tuple(
            derive(base, {**s.params, **s.beside.params, **over}) if s.beside is not None else None
            for s in scene.steps)

    def text(self, step: Step, which: str) -> str:
        """A step's title, caption or subtitle in the player's language."""
        value = {"title": step.title, "caption": step.caption, "subtitle": step.subtitle}[which]
        return value.get(self.language, self.scene.languages)

    def texts(self) -> list[str]:
        """Every text the explanation draws in the player's language and audience: titles,
        captions, subtitles and labels (to check the font has their glyphs).
        """
        out = [self.scene.title.get(self.language, self.scene.languages)]
        for step in self.scene.steps:
            out += [self.text(step, "title"), self.text(step, "caption"), self.text(step, "subtitle")]
            views = [step, *([step.beside] if step.beside is not None else [])]
            for view in views:
                out += [self.text(view, "subtitle")]
                out += [self._label(name, self.audience, self.language) for name in view.labels]
        return [text for text in out if text]

    def frame_at(self, time: float) -> ViewState:
        """The frame at ``time`` seconds into the scene."""
        time = float(time)
        span = self.timeline.span_at(time)
        step = self.scene.steps[span.index]
        local = time - span.start
        blend = ease(local / span.transition) if span.transition > 0 and local < span.transition else 1.0
        held = max(local - span.transition, 0.0)
        before = self.scene.steps[span.index - 1] if span.index > 0 else None

        state, progress = step.state, 1.0
        if before is not None and previous_state(step.state) == before.state:
            progress = blend  # the story moves on: morph
        params = self.step_params[span.index]
        if before is not None:
            params = _blend_params(self.step_params[span.index - 1], params, blend)

        camera = self._camera(span.index, blend, held, span.hold)
        cutaway, cut_amount = self._cutaway(step, before, blend)
        text_alpha = ease(local / TEXT_FADE) if span.index > 0 else 1.0
        beside, split, side = self._beside(span.index, blend, held, span.hold, text_alpha)
        same_pain = before is not None and before.pain == step.pain
        return ViewState(
            time=time,
            step_index=span.index,
            step_id=step.id,
            disc_state=state,
            progress=progress,
            params=params,
            opacity=self._fade(_opacities(before), _opacities(step), blend),
            highlight=self._fade(_highlights(before), _highlights(step), blend),
            labels=self._labels(step, before, blend),
            cutaway=cutaway,
            cutaway_amount=cut_amount,
            camera=camera,
            title=self.text(step, "title"),
            caption=self.text(step, "caption"),
            text_alpha=text_alpha,
            image=step.image,
            mri=step.mri,
            language=self.language,
            audience=self.audience,
            state_structures=STATE_STRUCTURES[state],
            contrast=_contrast(before, step, blend),
            focus=step.view.focus,
            subtitle=self.text(step, "subtitle") if step.beside is not None or split > 0 else "",
            pain=step.pain,
            pain_alpha=1.0 if same_pain or before is None else blend,
            beside=beside,
            split=split,
            beside_side=side,
            settled=blend >= 1.0,
            scope=_scope(before, step, blend),
            inset=_inset(before, step, blend),
        )

    # -- the view beside ------------------------------------------------------------------

    def _beside(self, index: int, blend: float, held: float, hold: float,
                text_alpha: float) -> tuple[ViewState | None, float, str]:
        """The second view of a side-by-side step: it slides in beside the first (the split
        grows from 0 to half the width), fades in, and slides out again on the next step.
        """
        step = self.scene.steps[index]
        before = self.scene.steps[index - 1] if index > 0 else None
        had = before is not None and before.beside is not None
        if step.beside is None:
            if not had or blend >= 1.0:
                return None, 0.0, "left"
            assert before is not None and before.beside is not None
            going = self._beside_view(index - 1, 1.0 - blend, before.orbit, 1.0 - blend, 1.0 - blend)
            return going, 0.5 * (1.0 - blend), before.beside.side
        turn = step.orbit * ease(held / hold) if step.orbit and hold > 0 and held > 0 else 0.0
        fade = 1.0 if had else blend
        view = self._beside_view(index, fade, turn, text_alpha, fade)
        return view, 0.5 if had else 0.5 * blend, step.beside.side

    def _beside_view(self, index: int, alpha: float, turn: float, text_alpha: float,
                     pain_alpha: float) -> ViewState:
        step = self.scene.steps[index]
        side = step.beside
        assert side is not None
        params = self.beside_params[index]
        assert params is not None
        focus = focus_box(params, side.view.focus, side.state) if side.view.focus else None
        centre = None if focus is None else (
            (focus[0] + focus[3]) / 2, (focus[1] + focus[4]) / 2, (focus[2] + focus[5]) / 2)
        camera = Camera((side.view.azimuth + turn) % 360.0, side.view.elevation, side.view.zoom,
                        centre, 1.0 if centre is not None else 0.0, focus)
        label = self._label
        return ViewState(
            time=0.0,
            step_index=index,
            step_id=f"{step.id}-beside",
            disc_state=side.state,
            progress=1.0,
            params=params,
            opacity={n: v * alpha for n, v in _opacities(side).items()},
            highlight={n: v * alpha for n, v in _highlights(side).items()},
            labels={n: (label(n, self.audience, self.language), alpha) for n in side.labels},
            cutaway=side.cutaway,
            camera=camera,
            text_alpha=text_alpha,
            language=self.language,
            audience=self.audience,
            state_structures=STATE_STRUCTURES[side.state],
            focus=side.view.focus,
            subtitle=self.text(side, "subtitle"),
            pain=side.pain,
            pain_alpha=pain_alpha,
        )

    # -- blends ------------------------------------------------------------------------

    @staticmethod
    def _fade(before: Mapping[str, float], after: Mapping[str, float], t: float) -> dict[str, float]:
        names = dict.fromkeys([*before, *after])
        out = {n: before.get(n, 0.0) + (after.get(n, 0.0) - before.get(n, 0.0)) * t for n in names}
        return {n: v for n, v in out.items() if v > 1e-4}

    def _labels(self, step: Step, before: Step | None, t: float) -> dict[str, tuple[str, float]]:
        out: dict[str, tuple[str, float]] = {}
        old = set(before.labels) if before is not None else set()
        for name in step.labels:
            alpha = 1.0 if name in old else t
            out[name] = (self._label(name, self.audience, self.language), alpha)
        for name in old - set(step.labels):
            if t < 1.0:
                out[name] = (self._label(name, self.audience, self.language), 1.0 - t)
        return out

    def step_camera(self, index: int, turn: float = 0.0) -> Camera:
        """Step ``index``'s camera, turned ``turn`` degrees about the vertical."""
        step = self.scene.steps[index]
        view = step.view
        box = focus_box(self.step_params[index], view.focus, step.state) if view.focus else None
        focus = focus_point(self.step_params[index], view.focus, step.state) if view.focus else None
        return Camera((view.azimuth + turn) % 360.0, view.elevation, view.zoom,
                      focus, 1.0 if focus is not None else 0.0, box)

    def _camera(self, index: int, t: float, held: float, hold: float) -> Camera:
        step = self.scene.steps[index]
        turn = step.orbit * ease(held / hold) if step.orbit and hold > 0 and held > 0 else 0.0
        end = self.step_camera(index, turn)
        if index == 0 or t >= 1.0:
            return end
        before = self.scene.steps[index - 1]
        start = self.step_camera(index - 1, before.orbit)  # the previous step ended after its orbit
        return interpolate(start, end, t)

    @staticmethod
    def _cutaway(step: Step, before: Step | None, t: float) -> tuple[str, float]:
        """The cut slides in from outside (amount 0 -> 1) and out again."""
        previous = before.cutaway if before is not None else step.cutaway
        if previous == step.cutaway or t >= 1.0:
            return step.cutaway, 1.0
        if previous == "none":
            return step.cutaway, t
        if step.cutaway == "none":
            return previous, 1.0 - t
        return (previous, 1.0 - 2 * t) if t < 0.5 else (step.cutaway, 2 * t - 1.0)


def _contrast(before: Step | None, step: Step, t: float) -> float:
    """The discogram look fades in and out over the transition."""
    start = float(before.contrast) if before is not None else float(step.contrast)
    return start + (float(step.contrast) - start) * t


def _scope(before: Step | None, step: Step, t: float) -> bool:
    """Through the endoscope: the picture switches half-way through the transition."""
    into = step.view.name == ENDOSCOPE
    was = before is not None and before.view.name == ENDOSCOPE
    return into if t >= 0.5 or before is None else was


def _inset(before: Step | None, step: Step, t: float) -> float:
    """The endoscope's inset fades in and out over the transition."""
    start = float(before is not None and before.inset is not None)
    end = float(step.inset is not None)
    if before is None:
        start = end
    return start + (end - start) * t


def _opacities(step: Step | None) -> dict[str, float]:
    if step is None:
        return {}
    return {name: float(step.opacity.get(name, DEFAULT_OPACITY.get(name, 1.0))) for name in step.show}


def _highlights(step: Step | None) -> dict[str, float]:
    return {} if step is None else dict.fromkeys(step.highlight, 1.0)


def _glossary_label(scene: Scene) -> LabelFn:
    from discviz.scene import glossary

    def label(structure: str, audience: str, language: str) -> str:
        return glossary.label(structure, audience, language, scene.labels)

    return label
