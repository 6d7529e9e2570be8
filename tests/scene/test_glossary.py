"""The glossary: every structure, both registers, English and Chinese; label fallbacks."""

from __future__ import annotations

import pytest

from discviz.geometry.structures import STRUCTURES
from discviz.scene.glossary import explanation, glossary, glossary_problems, label, languages
from discviz.scene.model import Text


def test_the_glossary_is_complete() -> None:
    assert glossary_problems() == []
    assert set(glossary()) == set(STRUCTURES)
    assert languages()[0] == "en" and "zh" in languages()


def test_problems_are_found() -> None:
    broken = {"annulus": {"patient": {"en": "ring"}, "clinician": {"en": "", "zh": "x"}, "explain": {}},
              "spleen": {}}
    problems = glossary_problems(broken)
    assert "missing structure 'nucleus'" in problems
    assert "unknown structure 'spleen'" in problems
    assert "'annulus': patient has no 'zh' text" in problems
    assert "'annulus': clinician has no 'en' text" in problems


@pytest.mark.parametrize("structure", STRUCTURES)
def test_every_structure_has_labels_and_an_explanation(structure: str) -> None:
    for language in ("en", "zh"):
        assert label(structure, "patient", language)
        assert label(structure, "clinician", language)
        assert explanation(structure, language)
    assert label(structure, "patient", "en") != label(structure, "patient", "zh")


def test_fallbacks_and_overrides() -> None:
    assert label("nucleus", "clinician", "fr") == label("nucleus", "clinician", "en")
    assert label("nucleus", "clinician", "fr", fallbacks=("zh",)) == label("nucleus", "clinician", "zh")
    overrides = {"nucleus": {"patient": Text({"en": "the jelly"})}}
    assert label("nucleus", "patient", "en", overrides) == "the jelly"
    assert label("nucleus", "patient", "zh", overrides) == label("nucleus", "patient", "zh")
    assert label("nucleus", "clinician", "en", overrides) == label("nucleus", "clinician", "en")
    assert explanation("nucleus", "fr") == explanation("nucleus", "en")
    with pytest.raises(ValueError, match="unknown structure"):
        label("spleen", "patient", "en")
    with pytest.raises(ValueError, match="unknown audience"):
        label("nucleus", "surgeon", "en")


ZH_LABEL_MAX = 8  # a label stands beside the model: a Chinese one of 8 characters at most


def test_chinese_labels_are_short_in_the_glossary_and_in_every_bundled_scene() -> None:
    from discviz.scene.load import bundled_scenes, load_scene

    long = [(s, r, e[r]["zh"]) for s, e in glossary().items() for r in ("patient", "clinician")
            if len(e[r]["zh"]) > ZH_LABEL_MAX]
    for name in bundled_scenes():
        scene = load_scene(name)
        for structure, registers in scene.labels.items():
            for register, text in registers.items():
                words = text.values.get("zh", "")
                if len(words) > ZH_LABEL_MAX:
                    long.append((f"{name}:{structure}", register, words))
    assert long == []
