"""Read a scene file (docs/scene-language.md) into the frozen :class:`Scene`.

Every problem in the file is collected and reported at once, each with the line of the
offending key (found with :class:`KeyLines`, since ``tomllib`` gives no positions).
A scene is data: nothing in it is evaluated or imported, and the paths it names (preset,
image) must stay inside the scene's folder.

``[defaults]`` may hold any step key except ``id``; a step inherits each key it does not
give. The tables ``opacity`` and ``params`` merge key by key (the step wins). Structure
names inherited from ``[defaults]`` apply to those structures the step's state has, like a
group; a structure written in the step itself must be in the step's state.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources import files
from pathlib import Path

from discviz.errors import InputError, Problem, did_you_mean
from discviz.geometry.params import Params, Value, check_param
from discviz.geometry.presets import PRESET_NAMES, load_preset, read_toml
from discviz.geometry.structures import ANY_STATE, GROUPS, STATE_STRUCTURES, STATES, STRUCTURES, expand
from discviz.pictures import picture_problem
from discviz.scene import limits
from discviz.scene.limits import Bound
from discviz.scene.model import AUDIENCES, CUTAWAYS, MRI_PLANES, PAIN_MAPS, SIDES, Scene, Step, Text
from discviz.scene.views import INSETS, NAMED_VIEWS, ViewSpec
from discviz.tomlsource import KeyLines

KeyPath = tuple[str | int, ...]

DEFAULT_PRESET = "L4-L5"
DEFAULT_LANGUAGES: tuple[str, ...] = ("en",)
TOP_KEYS: tuple[str, ...] = (
    "format", "title", "preset", "languages", "audience", "defaults", "steps", "labels", "params",
)
STEP_KEYS: tuple[str, ...] = (
    "id", "state", "title", "caption", "show", "highlight", "labels", "opacity", "cutaway",
    "view", "orbit", "hold", "transition", "image", "params", "mri", "contrast", "subtitle", "pain", "beside",
    "inset",
)
#: keys of ``[steps.beside]``: a second view with its own state, structures and subtitle
BESIDE_KEYS: tuple[str, ...] = (
    "state", "subtitle", "show", "highlight", "labels", "opacity", "cutaway", "view", "params", "pain",
    "side",
)
VIEW_KEYS: tuple[str, ...] = ("azimuth", "elevation", "zoom", "focus")
NAMES: tuple[str, ...] = (*STRUCTURES, *GROUPS)
ID_PATTERN = re.compile(r"[a-z0-9-]+")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_CONTEXT = frozenset(GROUPS["context"]) | frozenset(ANY_STATE)  # shown only where named


def bundled_scenes() -> list[str]:
    """Names of the scenes shipped with discviz (package ``discviz.scenes``), sorted."""
    folder = files("discviz.scenes")
    return sorted(
        entry.name[: -len(".toml")] for entry in folder.iterdir()
        if entry.name.endswith(".toml") and entry.is_file()
    )


def resolve_scene(name_or_path: str | Path) -> Path:
    """A bundled scene's name or a file path -> the file (InputError when neither)."""
    text = str(name_or_path)
    names = bundled_scenes()
    if not isinstance(name_or_path, Path) and text in names:
        return Path(str(files("discviz.scenes").joinpath(f"{text}.toml")))
    path = Path(text)
    if "\0" in text:
        raise InputError([Problem(repr(text), "not a usable file name (it contains a NUL character)")])
    try:
        exists = path.exists()
    except OSError as error:
        raise InputError([Problem(text, f"cannot read the file: {error.strerror}")]) from None
    if exists or path.suffix == ".toml" or "/" in text or "\\" in text:
        return path  # read_toml reports it as missing or unreadable, with the path
    hint = did_you_mean(text, names)
    listing = ", ".join(names) if names else "none"
    raise InputError([Problem(
        text, f"no scene file or bundled scene called '{text}'{hint}; bundled scenes: {listing}")])


def load_scene(source: str | Path) -> Scene:
    """Load and validate a scene file or bundled scene; InputError lists every problem."""
    path = resolve_scene(source)
    try:
        document, text = read_toml(path)
    except RecursionError:
        raise InputError([Problem(str(path), "not valid TOML: nested too deeply")]) from None
    return scene_from_document(document, text, path)


def scene_from_document(document: Mapping[str, object], text: str, path: Path) -> Scene:
    """Validate a parsed scene document (``text`` is its source, for line numbers)."""
    source = str(path)
    reader = _Reader(source, path, KeyLines(text))
    scene = reader.scene(document)
    # the scene's own problems by line, then those of files it names (a local preset)
    problems = sorted(dict.fromkeys(reader.problems), key=lambda p: (p.source != source, p.line or 0))
    if problems or scene is None:
        raise InputError(problems or [Problem(str(path), "the scene could not be read")])
    return scene


def _show(value: object) -> str:
    """A value as the user wrote it in TOML, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _is_number(value: object) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _control_character(text: str) -> tuple[int, str] | None:
    """The first control character in ``text`` (position from 1, ``U+0000``), if any."""
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) == "Cc" and char not in limits.ALLOWED_CONTROLS:
            return position, f"U+{ord(char):04X}"
    return None


def _unknown(kind: str, word: object, choices: Sequence[str], where: str = "",
             otherwise: str | None = None) -> str:
    """``unknown state 'x' (did you mean 'y'?)``; when none is close, ``otherwise`` or the choices."""
    head = f"unknown {kind} {_show(word)}{where}"
    hint = did_you_mean(str(word), choices)
    if hint:
        return head + hint
    return head + (f"; choose from {', '.join(choices)}" if otherwise is None else otherwise)


_SEE_LIST = "; `discviz list` shows every structure and group"


class _Reader:
    """Validates one scene document, collecting every problem."""

    def __init__(self, source: str, path: Path, lines: KeyLines) -> None:
        self.source = source
        self.path = path
        self.folder = path.parent
        self.lines = lines
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = DEFAULT_LANGUAGES
        self.check_languages = True

    def add(self, where: KeyPath, message: str) -> None:
        """Record a problem at the line of ``where``."""
        self.problems.append(Problem(self.source, message, self.lines.line(where) if where else None))

    # -- top level -------------------------------------------------------------------

    def scene(self, document: Mapping[str, object]) -> Scene | None:
        """The whole scene, or None when something is wrong (problems recorded)."""
        for key in document:
            if key not in TOP_KEYS:
                if key in STEP_KEYS:
                    self.add((key,), f"unknown key '{key}' at the top of the scene: step values "
                             "belong in a [[steps]] table or in [defaults]")
                else:
                    self.add((key,), _unknown("key", key, TOP_KEYS))
        self.format(document)
        self.read_languages(document.get("languages"))
        title = self.text(document.get("title", ""), ("title",), "title")
        preset = self.preset(document.get("preset", DEFAULT_PRESET))
        audience = self.choice(document.get("audience", "patient"), ("audience",), "audience", AUDIENCES)
        labels = self.label_overrides(document.get("labels", {}))
        steps = self.steps(document.get("steps"), document.get("defaults", {}))
        params = self.scene_params(document.get("params", {}))
        if not self.problems and preset is not None and steps is not None:
            self.approaches(preset, steps, params)
        if self.problems or None in (title, preset, audience, labels, steps):
            return None
        assert title is not None and preset is not None and audience is not None
        assert labels is not None and steps is not None
        return Scene(title=title, preset=preset, languages=self.languages, audience=audience,
                     steps=steps, labels=labels, params=params, source=self.path, format=1)

    def approaches(self, preset: str, steps: tuple[Step, ...], params: Mapping[str, Value]) -> None:
        """Every step that brings the instruments in has a path through Kambin's triangle."""
        from discviz.geometry.instruments.trajectory import ApproachError, check_approach
        from discviz.geometry.pathology.herniation import herniated_params

        base = load_preset(preset)
        # the steps of an operation share their disc and path
        found: dict[tuple[Params, bool], str | None] = {}
        for index, step in enumerate(steps):
            values = base.update(step.params).update(params)
            if values.f("instruments.insertion") <= 0:
                continue
            key = values.update({"instruments.insertion": 0.0, "rf.power": 0.0})
            herniated = step.state == "herniated"  # its disc; the path clears the pushed root and sac
            if herniated:
                key = herniated_params(key)
            if (key, herniated) not in found:
                try:
                    check_approach(key, herniated)
                    found[key, herniated] = None
                except ApproachError as error:
                    found[key, herniated] = str(error)
            if found[key, herniated] is not None:
                self.add(("steps", index), f"step '{step.id}': {found[key, herniated]}")

    def scene_params(self, value: object) -> dict[str, Value]:
        """The top-level ``[params]``: this disc's values, applied over every step's own."""
        if not isinstance(value, dict):
            self.add(("params",), 'params at the top must be a table: [params] with lines such as '
                     '"fissure.position" = 200')
            return {}
        entries = [(name, item, ("params", *path), False) for (name, path), item in _flatten(value, True)]
        return self.params(entries)

    def format(self, document: Mapping[str, object]) -> None:
        """``format = 1``: required, so that later formats can be told apart."""
        if "format" not in document:
            self.add((), "missing 'format = 1' at the top (the version of the scene format)")
        elif document["format"] != 1 or isinstance(document["format"], bool):
            self.add(("format",), f"format must be 1, got {_show(document['format'])}")

    def read_languages(self, value: object) -> None:
        """``languages``: a non-empty list of unique language codes; the first is the default."""
        if value is None:
            return
        where: KeyPath = ("languages",)
        example = 'e.g. languages = ["en", "zh"]'
        if not isinstance(value, list) or not value:
            self.add(where, f"languages must be a list of at least one language code, {example}")
            self.check_languages = False
            return
        if len(value) > limits.MAX_LANGUAGES:
            self.add(where, f"a scene may have at most {limits.MAX_LANGUAGES} languages, "
                     f"this one lists {len(value)}")
            self.check_languages = False
            return
        good: list[str] = []
        for index, code in enumerate(value):
            if (not isinstance(code, str) or len(code) > limits.MAX_LANGUAGE_CODE
                    or not LANGUAGE_PATTERN.fullmatch(code)):
                self.add((*where, index), f"{_show(code)} is not a language code; use a code "
                         "such as 'en' or 'zh'")
            elif code in good:
                self.add((*where, index), f"language '{code}' is listed twice in languages")
            else:
                good.append(code)
        if good:
            self.languages = tuple(good)
        else:
            self.check_languages = False

    def preset(self, value: object) -> str | None:
        """A bundled preset name, or a .toml file inside the scene's folder (also checked)."""
        where: KeyPath = ("preset",)
        if not isinstance(value, str):
            self.add(where, f"preset must be a preset name such as 'L4-L5' or a .toml file, "
                     f"got {_show(value)}")
            return None
        if value in PRESET_NAMES:
            return value
        if not (value.endswith(".toml") or "/" in value or "\\" in value):
            hint = did_you_mean(value, PRESET_NAMES)
            self.add(where, f"unknown preset '{value}'{hint}; bundled presets are "
                     f"{', '.join(PRESET_NAMES)}, or give a .toml file next to the scene")
            return None
        target = self.inside_folder(value, where, "preset")
        if target is None:
            return None
        try:
            load_preset(self.folder / value)  # as the user sees it, for the preset's messages
        except InputError as error:
            self.problems.extend(error.problems)
            return None
        except RecursionError:
            self.add(where, f"preset '{value}' is not valid TOML: nested too deeply")
            return None
        return str(target)

    def inside_folder(self, value: str, where: KeyPath, what: str) -> Path | None:
        """Resolve ``value`` against the scene's folder; None (problem recorded) if outside/missing."""
        try:
            base = self.folder.resolve()
            target = (base / value).resolve()
        except (OSError, ValueError, RuntimeError):
            self.add(where, f"{what} {_show(value)} is not a usable file name")
            return None
        if not target.is_relative_to(base):
            self.add(where, f"{what} {_show(value)} is outside the scene's folder; "
                     "keep it in the scene's folder or below")
            return None
        try:
            exists = target.exists()  # what is wrong with anything but a file is said on reading it
        except (OSError, ValueError):
            exists = False
        if not exists:
            self.add(where, f"{what} file {_show(value)} not found next to the scene")
            return None
        return target

    def label_overrides(self, value: object) -> dict[str, dict[str, Text]] | None:
        """``[labels]``: ``structure = { patient = TEXT, clinician = TEXT }``."""
        where: KeyPath = ("labels",)
        if not isinstance(value, dict):
            self.add(where, "labels at the top must be a table: [labels] with lines such as "
                     'annulus = { patient = "outer ring" }')
            return None
        out: dict[str, dict[str, Text]] = {}
        ok = True
        for name, registers in value.items():
            here = (*where, name)
            if name in GROUPS:
                self.add(here, f"labels name structures, not groups: '{name}' is a group "
                         f"({', '.join(GROUPS[name])})")
                ok = False
                continue
            if name not in STRUCTURES:
                self.add(here, _unknown("structure", name, STRUCTURES, " in [labels]", _SEE_LIST))
                ok = False
                continue
            if not isinstance(registers, dict):
                self.add(here, f"labels of '{name}' must be a table such as "
                         '{ patient = "...", clinician = "..." }')
                ok = False
                continue
            texts: dict[str, Text] = {}
            for register, text in registers.items():
                if register not in AUDIENCES:
                    self.add((*here, register), _unknown("audience", register, AUDIENCES,
                                                         f" in labels of '{name}'"))
                    ok = False
                    continue
                checked = self.text(text, (*here, register), f"label of '{name}' ({register})", "label")
                if checked is None:
                    ok = False
                else:
                    texts[register] = checked
            out[name] = texts
        return out if ok else None

    # -- values ----------------------------------------------------------------------

    def text(self, value: object, where: KeyPath, what: str, kind: str = "title") -> Text | None:
        """A string, or a table keyed by language (languages listed in ``languages``), each
        at most as long as ``kind`` (title, caption, label) allows and free of control characters.
        """
        if isinstance(value, str):
            return Text({self.languages[0]: value}) if self.words(value, where, what, kind) else None
        if not isinstance(value, dict):
            self.add(where, f"{what} must be a string or a table keyed by language, "
                     'e.g. { en = "...", zh = "..." }')
            return None
        if not value:
            self.add(where, f"{what} has no text: give at least one language")
            return None
        out: dict[str, str] = {}
        ok = True
        for language, words in value.items():
            if self.check_languages and language not in self.languages:
                listed = ", ".join(f'"{code}"' for code in self.languages)
                self.add((*where, language), f"language '{language}' of {what} is not listed in "
                         f"languages = [{listed}]{did_you_mean(language, self.languages)}")
                ok = False
            elif not isinstance(words, str):
                self.add((*where, language), f"{what} in '{language}' must be a string, "
                         f"got {_show(words)}")
                ok = False
            elif not self.words(words, (*where, language), f"{what} in '{language}'", kind):
                ok = False
            else:
                out[language] = words
        return Text(out) if ok else None

    def words(self, text: str, where: KeyPath, what: str, kind: str) -> bool:
        """False (a problem recorded) for a text too long or with a control character in it."""
        limit = limits.TEXT_LIMITS[kind]
        if len(text) > limit:
            self.add(where, f"{what} is {len(text)} characters long; a {kind} may have at most "
                     f"{limit}: shorten it")
            return False
        control = _control_character(text)
        if control is not None:
            position, code = control
            self.add(where, f"{what} contains a control character ({code}) at character {position}: "
                     "remove it (only line breaks and tabs are allowed)")
            return False
        return True

    def choice(self, value: object, where: KeyPath, kind: str, choices: Sequence[str]) -> str | None:
        """One of ``choices``."""
        if isinstance(value, str) and value in choices:
            return value
        if isinstance(value, str):
            self.add(where, _unknown(kind, value, choices))
        else:
            self.add(where, f"{kind} must be one of {', '.join(choices)}, got {_show(value)}")
        return None

    def number(self, value: object, where: KeyPath, what: str, minimum: float | None = None,
               maximum: float | None = None, positive: bool = False, unit: str = "") -> float | None:
        """A finite number within the given bounds (``unit`` only for the message)."""
        units = f" {unit}" if unit else ""
        if minimum is not None and maximum is not None:
            plain = f"between {minimum:g} and {maximum:g}"
            wanted = plain + units
        elif positive:
            plain = wanted = "greater than 0"
        elif minimum is not None:
            plain, wanted = f"{minimum:g} or more", f"{minimum:g}{units} or more"
        else:
            plain = wanted = ""
        if not _is_number(value):
            noun = f"a number of {unit}" if unit else "a number"
            self.add(where, f"{what} must be {noun}{', ' + plain if plain else ''}, got {_show(value)}")
            return None
        number = float(value)  # type: ignore[arg-type]
        if ((minimum is not None and number < minimum) or (maximum is not None and number > maximum)
                or (positive and number <= 0)):
            self.add(where, f"{what} must be {wanted}, got {_show(value)}")
            return None
        return number

    def bounded(self, value: object, where: KeyPath, bound: Bound) -> float | None:
        """A number within ``bound`` (:mod:`discviz.scene.limits`)."""
        what = bound.key.rpartition(".")[2]
        return self.number(value, where, what, minimum=bound.minimum, maximum=bound.maximum,
                           unit=bound.unit)

    # -- steps -----------------------------------------------------------------------

    def steps(self, value: object, defaults: object) -> tuple[Step, ...] | None:
        """Every ``[[steps]]`` table, with ``[defaults]`` applied."""
        inherited = self.defaults(defaults)
        if value is None:
            self.add((), "a scene needs at least one step: add a [[steps]] table")
            return None
        if not isinstance(value, list) or not all(isinstance(s, dict) for s in value):
            self.add(("steps",), "steps must be written as [[steps]] tables")
            return None
        if not value:
            self.add(("steps",), "a scene needs at least one step: add a [[steps]] table")
            return None
        if len(value) > limits.MAX_STEPS:
            self.add(("steps", limits.MAX_STEPS), f"a scene may have at most {limits.MAX_STEPS} steps, "
                     f"this one has {len(value)}: split it into several scenes")
            return None
        out: list[Step] = []
        first_line: dict[str, int | None] = {}
        for index, raw in enumerate(value):
            where: KeyPath = ("steps", index)
            for key in raw:
                if key not in STEP_KEYS:
                    self.add((*where, key), _unknown("key", key, STEP_KEYS, " in [[steps]]"))
            step_id = self.step_id(raw.get("id"), where, index)
            if step_id is not None:
                if step_id in first_line:
                    line = first_line[step_id]
                    at = f" (first on line {line})" if line is not None else ""
                    self.add((*where, "id"), f"step id '{step_id}' is used twice{at}")
                else:
                    first_line[step_id] = self.lines.line((*where, "id"))
            merged = dict(inherited)
            for key, item in raw.items():
                if key in STEP_KEYS:
                    merged[key] = (item, (*where, key))
            step = self.step(step_id, merged, raw, inherited, where)
            if step is not None:
                out.append(step)
        if len(out) != len(value):
            return None
        self.duration(out)
        return tuple(out)

    def duration(self, steps: Sequence[Step]) -> None:
        """The whole explanation must stay within :data:`limits.MAX_SCENE_SECONDS` (a video of it
        is made frame by frame); a hold of 0 counts as the longest reading pause.
        """
        total = 0.0
        for index, step in enumerate(steps):
            hold = step.hold if step.hold > 0 else limits.LONGEST_READING_PAUSE
            total += (step.transition if index else 0.0) + hold
            if total > limits.MAX_SCENE_SECONDS:
                minutes = limits.MAX_SCENE_SECONDS / 60
                self.add(("steps", index), f"the explanation lasts more than {minutes:g} minutes by step "
                         f"'{step.id}': shorten the holds and transitions, or split the scene")
                return

    def defaults(self, value: object) -> dict[str, tuple[object, KeyPath]]:
        """``[defaults]``: validated once on its own, then inherited by each step."""
        if not isinstance(value, dict):
            self.add(("defaults",), "defaults must be a table: write it as [defaults]")
            return {}
        out: dict[str, tuple[object, KeyPath]] = {}
        for key, item in value.items():
            where: KeyPath = ("defaults", key)
            if key == "id":
                self.add(where, "'id' cannot have a default: every step needs its own id")
            elif key == "beside":
                self.add(where, "'beside' cannot have a default: give it in the step that shows "
                         "two views side by side")
            elif key not in STEP_KEYS:
                self.add(where, _unknown("key", key, STEP_KEYS[1:], " in [defaults]"))
            else:
                out[key] = (item, where)
        if out:  # check the values even if no step uses them (state-dependent checks: per step)
            state = out.get("state", (None, ()))[0]
            if "state" in out:
                self.choice(state, out["state"][1], "state", STATES)
            self.values(out, {}, out, state if state in STATES else None, ("defaults",))
        return out

    def step_id(self, value: object, where: KeyPath, index: int) -> str | None:
        """A unique id such as ``healthy-disc``."""
        if value is None:
            self.add(where, f"step {index + 1} needs an id, e.g. id = \"healthy\"")
            return None
        if not isinstance(value, str):
            self.add((*where, "id"), f"step id must be a name of a-z, 0-9 and '-', got {_show(value)}")
            return None
        if len(value) > limits.MAX_ID_LENGTH:
            self.add((*where, "id"), f"step id {_show(value)} is {len(value)} characters long; "
                     f"at most {limits.MAX_ID_LENGTH} (it becomes a file name)")
            return None
        if not ID_PATTERN.fullmatch(value):
            suggestion = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "step-1"
            self.add((*where, "id"), f"step id {_show(value)} must use only a-z, 0-9 and '-', "
                     f"e.g. '{suggestion}'")
            return None
        return value

    def step(self, step_id: str | None, merged: dict[str, tuple[object, KeyPath]],
             raw: Mapping[str, object], inherited: Mapping[str, tuple[object, KeyPath]],
             where: KeyPath) -> Step | None:
        """One step from its merged values; None (problems recorded) when anything is wrong."""
        before = len(self.problems)
        state: str | None = None
        if "state" not in merged:
            name = f" '{step_id}'" if step_id else ""
            self.add(where, f"step{name} needs a state: one of {', '.join(STATES)}")
        else:
            value, at = merged["state"]
            state = self.choice(value, at, "state", STATES)
        values = self.values(merged, raw, inherited, state, where)
        beside = None
        if "beside" in raw and state is not None:
            beside = self.beside(raw["beside"], (*where, "beside"), state, merged)
        if len(self.problems) > before or state is None or step_id is None:
            return None
        return Step(id=step_id, state=state, line=self.lines.line(where), beside=beside,
                    **values)  # type: ignore[arg-type]

    def beside(self, value: object, where: KeyPath, state: str,
               merged: Mapping[str, tuple[object, KeyPath]]) -> Step | None:
        """``[steps.beside]``: a second view next to the step's own, with its own state (the
        step's by default), structures, labels, camera (the step's by default) and subtitle.
        """
        if not isinstance(value, dict):
            self.add(where, "beside must be a table: write it as [steps.beside] under the step")
            return None
        before = len(self.problems)
        for key in value:
            if key not in BESIDE_KEYS:
                self.add((*where, key), _unknown("key", key, BESIDE_KEYS, " in [steps.beside]"))
        own_state = state
        if "state" in value:
            own_state = self.choice(value["state"], (*where, "state"), "state", STATES) or state
        local: dict[str, tuple[object, KeyPath]] = {
            key: (item, (*where, key)) for key, item in value.items() if key in BESIDE_KEYS}
        if "view" not in local and "view" in merged:
            local["view"] = merged["view"]
        values = self.values(local, value, {}, own_state, where)
        side = "left"
        if "side" in value:
            side = self.choice(value["side"], (*where, "side"), "side", SIDES) or "left"
        if len(self.problems) > before:
            return None
        values.pop("beside", None)
        return Step(id="beside", state=own_state, line=self.lines.line(where), side=side,
                    **values)  # type: ignore[arg-type]

    def values(self, merged: Mapping[str, tuple[object, KeyPath]], raw: Mapping[str, object],
               inherited: Mapping[str, tuple[object, KeyPath]], state: str | None,
               where: KeyPath) -> dict[str, object]:
        """Check every step value except id and state; return Step keyword arguments."""
        out: dict[str, object] = {}
        from_defaults = {key for key, (_, at) in merged.items() if at and at[0] == "defaults"}
        for key in ("title", "caption", "subtitle"):
            if key in merged:
                value, at = merged[key]
                out[key] = self.text(value, at, key, key)
            else:
                out[key] = Text({})
        for key in ("show", "highlight", "labels"):
            if key in merged:
                value, at = merged[key]
                out[key] = self.names(value, at, key, state, key in from_defaults)
            elif key == "show":
                present = STATE_STRUCTURES[state] if state else STRUCTURES
                out[key] = tuple(s for s in present if s not in _CONTEXT)
        out["opacity"] = self.opacity(self.entries("opacity", raw, inherited, where), state)
        out["params"] = self.params(self.entries("params", raw, inherited, where))
        if "cutaway" in merged:
            value, at = merged["cutaway"]
            out["cutaway"] = self.choice(value, at, "cutaway", CUTAWAYS)
        if "view" in merged:
            out["view"] = self.view(*merged["view"])
        if "orbit" in merged:
            out["orbit"] = self.bounded(*merged["orbit"], limits.ORBIT)
        for key, bound in (("hold", limits.HOLD), ("transition", limits.TRANSITION)):
            if key in merged:
                out[key] = self.bounded(*merged[key], bound)
        if "image" in merged:
            out["image"] = self.image(*merged["image"])
        if "pain" in merged:
            out["pain"] = self.pain(*merged["pain"])
        if "mri" in merged:
            value, at = merged["mri"]
            out["mri"] = self.choice(value, at, "mri", MRI_PLANES)
        if "inset" in merged:
            value, at = merged["inset"]
            if value == "none":
                out["inset"] = None
            elif value in INSETS:
                out["inset"] = value
            else:
                self.add(at, _unknown("inset", value, (*INSETS, "none")) if isinstance(value, str)
                         else f"inset must be a string (\"endoscope\" or \"none\"), got {_show(value)}")
        if "contrast" in merged:
            value, at = merged["contrast"]
            if isinstance(value, bool):
                out["contrast"] = value
            else:
                self.add(at, f"contrast must be true or false, got {_show(value)}")
        return {k: v for k, v in out.items() if k in ("opacity", "params") or v is not None}

    def entries(self, key: str, raw: Mapping[str, object], inherited: Mapping[str, tuple[object, KeyPath]],
                where: KeyPath) -> list[tuple[str, object, KeyPath, bool]]:
        """Entries of a table value (``opacity``, ``params``): defaults first, then the step's."""
        out: dict[str, tuple[str, object, KeyPath, bool]] = {}
        sources: list[tuple[object, KeyPath, bool]] = []
        if key in inherited:
            sources.append((*inherited[key], True))
        if key in raw:
            sources.append((raw[key], (*where, key), False))
        for value, at, from_defaults in sources:
            if not isinstance(value, dict):
                example = "{ annulus = 0.35 }" if key == "opacity" else '{ "fissure.depth" = 0.6 }'
                self.add(at, f"{key} must be a table, e.g. {key} = {example}")
                continue
            for name, item in _flatten(value, key == "params"):
                out[name[0]] = (name[0], item, (*at, *name[1]), from_defaults)
        return list(out.values())

    def names(self, value: object, where: KeyPath, key: str, state: str | None,
              from_defaults: bool) -> tuple[str, ...] | None:
        """A list of structure or group names, expanded to the structures the state has."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(where, f"{key} must be a list of structure or group names, "
                     f'e.g. {key} = ["disc", "vertebrae"]')
            return None
        good: list[str] = []
        for index, name in enumerate(value):
            here = (*where, index)
            if not isinstance(name, str):
                self.add(here, f"{key} must list structure or group names, got {_show(name)}")
            elif name not in NAMES:
                self.add(here, _unknown("structure", name, NAMES, f" in {key}", _SEE_LIST))
            elif self.absent(name, state, from_defaults, here):
                continue
            else:
                good.append(name)
        return expand(good, state)

    def absent(self, name: str, state: str | None, from_defaults: bool, where: KeyPath) -> bool:
        """True (and a problem recorded) for a structure written in a step whose state lacks it."""
        if (state is None or from_defaults or name not in STRUCTURES or name in STATE_STRUCTURES[state]
                or name in ANY_STATE):
            return False
        having = [s for s in STATES if name in STATE_STRUCTURES[s]]
        self.add(where, f"structure '{name}' is not in state '{state}' (it is in: {', '.join(having)})")
        return True

    def opacity(self, entries: Iterable[tuple[str, object, KeyPath, bool]],
                state: str | None) -> dict[str, float]:
        """``opacity = { structure-or-group = 0..1 }``, groups expanded."""
        out: dict[str, float] = {}
        for name, value, at, from_defaults in entries:
            if name not in NAMES:
                self.add(at, _unknown("structure", name, NAMES, " in opacity", _SEE_LIST))
                continue
            if self.absent(name, state, from_defaults, at):
                continue
            if not _is_number(value) or not 0.0 <= float(value) <= 1.0:  # type: ignore[arg-type]
                noun = "" if _is_number(value) else "a number "
                self.add(at, f"opacity of '{name}' must be {noun}between 0 and 1, got {_show(value)}")
                continue
            for member in expand([name], state):
                out[member] = float(value)  # type: ignore[arg-type]
        return out

    def params(self, entries: Iterable[tuple[str, object, KeyPath, bool]]) -> dict[str, Value]:
        """``[steps.params]`` overrides, checked by the geometry's own registry."""
        out: dict[str, Value] = {}
        for key, value, at, _ in entries:
            checked, message = check_param(key, value)
            if message is not None:
                self.add(at, message)
            else:
                assert checked is not None
                out[key] = checked
        return out

    def view(self, value: object, where: KeyPath) -> ViewSpec | None:
        """A named view, or ``{ azimuth, elevation, zoom, focus }``."""
        if isinstance(value, str):
            if value in NAMED_VIEWS:
                return NAMED_VIEWS[value]
            self.add(where, _unknown("view", value, tuple(NAMED_VIEWS)))
            return None
        if not isinstance(value, dict):
            self.add(where, "view must be a named view such as \"posterior\" or a table "
                     "{ azimuth = 135, elevation = 25, zoom = 1 }")
            return None
        ok = True
        for key in value:
            if key not in VIEW_KEYS:
                self.add((*where, key), _unknown("key", key, VIEW_KEYS, " in view"))
                ok = False
        missing = [k for k in ("azimuth", "elevation") if k not in value]
        if missing:
            self.add(where, f"view needs {' and '.join(missing)}, "
                     "e.g. { azimuth = 135, elevation = 25, zoom = 1 }")
            return None
        azimuth = self.bounded(value["azimuth"], (*where, "azimuth"), limits.AZIMUTH)
        elevation = self.bounded(value["elevation"], (*where, "elevation"), limits.ELEVATION)
        zoom = self.bounded(value.get("zoom", 1.0), (*where, "zoom"), limits.ZOOM)
        focus: tuple[str, ...] | None = ()
        if "focus" in value:  # where the camera centres; any state's structures may be named
            focus = self.names(value["focus"], (*where, "focus"), "focus", None, True)
        if not ok or azimuth is None or elevation is None or zoom is None or focus is None:
            return None
        return ViewSpec(azimuth, elevation, zoom, focus=focus)

    def pain(self, value: object, where: KeyPath) -> str | None:
        """A pain map: "low-back", or a root and a side such as "L5-left"."""
        if value == "none":
            return None
        return self.choice(value, where, "pain map", PAIN_MAPS)

    def image(self, value: object, where: KeyPath) -> Path | None:
        """A PNG or JPEG picture inside the scene's folder, decoded in full here, so that a
        broken one is reported now and never reaches the renderer (:mod:`discviz.pictures`).
        """
        if not isinstance(value, str):
            self.add(where, f"image must be a file name such as \"figures/section.png\", got {_show(value)}")
            return None
        target = self.inside_folder(value, where, "image")
        if target is None:
            return None
        problem = picture_problem(target)
        if problem is not None:
            self.add(where, f"image {_show(value)} {problem}")
            return None
        return target

def _flatten(table: Mapping[str, object], nested: bool) -> list[tuple[tuple[str, KeyPath], object]]:
    """Entries of a table; with ``nested``, ``{fissure = {depth = 0.6}}`` -> ``fissure.depth``."""
    out: list[tuple[tuple[str, KeyPath], object]] = []
    for key, value in table.items():
        if nested and isinstance(value, dict) and value:
            for inner, inner_value in value.items():
                out.append(((f"{key}.{inner}", (key, inner)), inner_value))
        else:
            out.append(((key, (key,)), value))
    return out
