"""The names of states, structures and groups (docs/structures-and-parameters.md): the one source of truth."""

from __future__ import annotations

from collections.abc import Iterable

#: The clinical story, in order: each state's transition starts from the one before it; then
#: ``herniated``, a branch from ``ruptured`` (the pinched nerve, for contrast).
STATES: tuple[str, ...] = ("healthy", "ruptured", "nerve-ingrowth", "repaired", "herniated")

#: States that branch off the story: their transition starts from this state instead.
BRANCHES: dict[str, str] = {"herniated": "ruptured"}

#: Every structure, in drawing order (context first, pathology last).
STRUCTURES: tuple[str, ...] = (
    "vertebra-upper",
    "vertebra-lower",
    "endplate-upper",
    "endplate-lower",
    "annulus",
    "nucleus",
    "fissure",
    "nucleus-tract",
    "native-nerves",
    "nerve-endings",
    "inflammation",
    "repair",
    "herniation",
    "nerve-roots",
    "dural-sac",
    "facet-joints",
    "cannula",
    "endoscope",
    "rf-probe",
    "forceps",
    "skin",
)

GROUPS: dict[str, tuple[str, ...]] = {
    "vertebrae": ("vertebra-upper", "vertebra-lower"),
    "endplates": ("endplate-upper", "endplate-lower"),
    "disc": ("annulus", "nucleus"),
    "pathology": ("fissure", "nucleus-tract", "nerve-endings", "inflammation", "repair", "herniation"),
    "nerves": ("native-nerves", "nerve-endings", "nerve-roots"),
    "context": ("nerve-roots", "dural-sac", "facet-joints"),
    "instruments": ("cannula", "endoscope", "rf-probe", "forceps"),
}

_ALWAYS = (
    "vertebra-upper", "vertebra-lower", "endplate-upper", "endplate-lower",
    "annulus", "nucleus", "native-nerves", "nerve-roots", "dural-sac", "facet-joints",
)

#: Structures of no state but of the operation: built in any state while
#: ``instruments.insertion`` > 0 (docs/operation.md).
ANY_STATE: tuple[str, ...] = ("cannula", "endoscope", "rf-probe", "forceps", "skin")

#: Which structures each state has (docs/structures-and-parameters.md, column "states").
STATE_STRUCTURES: dict[str, tuple[str, ...]] = {
    "healthy": _ALWAYS,
    "ruptured": (*_ALWAYS, "fissure", "nucleus-tract"),
    "nerve-ingrowth": (*_ALWAYS, "fissure", "nucleus-tract", "nerve-endings", "inflammation"),
    "repaired": (*_ALWAYS, "repair"),
    "herniated": (*_ALWAYS, "fissure", "nucleus-tract", "herniation"),
}

#: Opacity a structure is shown with when a step does not set one: the dural sac is a pale,
#: translucent tube, so the roots inside it and the disc behind it show through.
DEFAULT_OPACITY: dict[str, float] = {"dural-sac": 0.5}

#: Pairs of structures allowed to overlap (docs/structures-and-parameters.md): the story puts
#: one in the other.
ALLOWED_OVERLAPS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("native-nerves", "annulus"),
        ("nerve-endings", "annulus"),
        ("nerve-endings", "fissure"),
        ("nucleus-tract", "fissure"),
        ("fissure", "nucleus"),
        ("nucleus-tract", "nucleus"),
        ("nerve-endings", "nucleus-tract"),
        ("inflammation", "nerve-endings"),
        ("inflammation", "fissure"),
        ("inflammation", "annulus"),
        ("inflammation", "nucleus-tract"),
        ("nerve-roots", "dural-sac"),  # the roots run inside the sac and leave it in its sleeves
        # the herniated gel is one piece with the gel in the tear; its base sits in the tear of
        # the annulus, and it indents the dural sac (the sac's wall is pushed in ahead of it)
        ("herniation", "nucleus-tract"),
        ("herniation", "nucleus"),
        ("herniation", "fissure"),
        ("herniation", "annulus"),
        ("herniation", "dural-sac"),
    )
)


def previous_state(state: str) -> str | None:
    """The state a transition into ``state`` starts from (None for the first)."""
    if state in BRANCHES:
        return BRANCHES[state]
    index = STATES.index(state)
    return STATES[index - 1] if index else None


def expand(names: Iterable[str], state: str | None = None) -> tuple[str, ...]:
    """Expand groups to structures, keep order, drop duplicates; with ``state``, keep only
    the structures that state has (docs/scene-language.md: a group shows the members the state has).
    """
    present = set(STATE_STRUCTURES[state]) | set(ANY_STATE) if state else set(STRUCTURES)
    out: list[str] = []
    for name in names:
        for member in GROUPS.get(name, (name,)):
            if member in present and member not in out:
                out.append(member)
    return tuple(out)
