"""Every word the patient panel, the findings and the handout print has its Chinese."""

from __future__ import annotations

import ast
import tomllib
from importlib.resources import files
from pathlib import Path

from discviz.app import findings, handout_export, patient
from discviz.app.findings import findings as findings_of
from discviz.geometry.report import Report

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("findings.py", "handout.py", "patient.py", "handout_export.py")


def table() -> dict[str, dict[str, str]]:
    return tomllib.loads(files("discviz.app").joinpath("uitext.toml").read_text(encoding="utf-8"))


def literal_tr_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr"
            and node.args and isinstance(node.args[0], ast.Constant)]


def test_every_new_word_has_chinese() -> None:
    words = [w for name in MODULES for w in literal_tr_calls(ROOT / "discviz" / "app" / name)]
    for mapping in (findings.LEVEL_WORDS, findings.GRADE_WORDS, findings.PLACE_WORDS,
                    findings.PFIRRMANN_WORDS, findings.HEIGHT_WORDS, findings.HERNIATION_WORDS,
                    findings.ROOT_WORDS, patient.GRADE_NAMES, patient.WORDS,
                    handout_export.HandoutExport.MESSAGES):
        words += list(mapping.values())
    known = table()
    missing = [w for w in dict.fromkeys(words) if "zh" not in known.get(w, {})]
    assert not missing, missing


def test_findings_read_in_both_languages() -> None:
    report = Report(level="L5-S1", tear_side="right", tear_zone="paracentral", grade=3, hiz=True,
                    pfirrmann=4, herniation="extrusion", herniation_side="left",
                    herniation_zone="foraminal")
    english = findings_of(report, "en")
    chinese = findings_of(report, "zh")
    assert len(english) == len(chinese) == 7
    assert english[-1] == "There it can press on the nerve that leaves the spine at this level."
    assert all(not any(c.isascii() and c.isalpha() for c in line.replace("Pfirrmann", "").replace("IV", "")
                       .replace("V", "")) for line in chinese), chinese
    clinical = findings_of(report, "en", "clinician")
    assert clinical[0] == "Annular fissure: right paracentral, modified Dallas grade 3"
    assert clinical[-1] == "Herniation: extrusion, left foraminal"
