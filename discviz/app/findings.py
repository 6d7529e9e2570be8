"""An MRI report's findings in plain words (for the patient) or in clinical terms, in the
viewer's languages: the handout's "your disc" box and the patient panel's summary.
"""

from __future__ import annotations

from discviz.app.uitext import tr, tr_noop
from discviz.geometry.report import ROMAN, Report

LEVEL_WORDS = {
    "L3-L4": tr_noop("the disc between the third and fourth lumbar vertebrae"),
    "L4-L5": tr_noop("the disc between the fourth and fifth lumbar vertebrae"),
    "L5-S1": tr_noop("the disc between the fifth lumbar vertebra and the sacrum"),
}
GRADE_WORDS = {
    0: tr_noop("The ring of the disc is not torn: the core stays inside it (grade 0 of 5)."),
    1: tr_noop("There is a small tear in the inner part of the ring (grade 1 of 5)."),
    2: tr_noop("There is a tear reaching the middle of the ring (grade 2 of 5)."),
    3: tr_noop("There is a tear reaching the outer part of the ring, where its nerves are (grade 3 of 5)."),
    4: tr_noop("There is a tear reaching the outer part of the ring and spreading along it (grade 4 of 5)."),
    5: tr_noop("There is a tear through the whole ring, and core material leaks out of it (grade 5 of 5)."),
}
PLACE_WORDS = {
    "central": tr_noop("It is at the back of the disc, in the middle."),
    "paracentral-left": tr_noop("It is at the back of the disc, a little to your left."),
    "paracentral-right": tr_noop("It is at the back of the disc, a little to your right."),
    "foraminal-left": tr_noop("It is at the back of the disc on your left, where a nerve leaves the spine."),
    "foraminal-right": tr_noop(
        "It is at the back of the disc on your right, where a nerve leaves the spine."
    ),
    "extraforaminal-left": tr_noop(
        "It is on your left side, beyond the opening where a nerve leaves the spine."
    ),
    "extraforaminal-right": tr_noop(
        "It is on your right side, beyond the opening where a nerve leaves the spine."
    ),
}
HIZ_WORDS = tr_noop(
    'On the MRI the tear shows as a small bright spot at the back of the ring (a "high-intensity zone").'
)
PFIRRMANN_WORDS = {
    1: tr_noop("On the MRI the core of the disc looks bright and healthy (Pfirrmann grade I of V)."),
    2: tr_noop("On the MRI the core looks bright, with a thin grey line (Pfirrmann grade II of V)."),
    3: tr_noop("On the MRI the core looks grey: it has lost some of its water (Pfirrmann grade III of V)."),
    4: tr_noop("On the MRI the core looks dark: it has lost much of its water (Pfirrmann grade IV of V)."),
    5: tr_noop("On the MRI the core looks black and the disc has sunk (Pfirrmann grade V of V)."),
}
HEIGHT_WORDS = {
    "none": tr_noop("The disc has kept its normal height."),
    "mild": tr_noop("The disc is a little lower than normal (mild loss of height)."),
    "moderate": tr_noop("The disc is clearly lower than normal (moderate loss of height)."),
    "severe": tr_noop("The disc has lost much of its height (severe loss of height)."),
}
HERNIATION_WORDS = {
    "protrusion": tr_noop("Some core material bulges out of the disc, still attached to it (a protrusion)."),
    "extrusion": tr_noop("Some core material has pushed out through the ring (an extrusion)."),
    "sequestration": tr_noop("A piece of core material has broken off outside the disc (a sequestration)."),
}
ROOT_WORDS = {
    "traversing": tr_noop("There it can press on the nerve that runs down to the leg."),
    "exiting": tr_noop("There it can press on the nerve that leaves the spine at this level."),
}
NO_FINDINGS = tr_noop("The report's findings have not been entered: the pictures show a typical disc.")

# clinical terms (the clinician audience)
CLINICAL_ZONE = {
    "central": tr_noop("central"),
    "paracentral": tr_noop("paracentral"),
    "foraminal": tr_noop("foraminal"),
    "extraforaminal": tr_noop("extraforaminal"),
}
CLINICAL_TERMS = {  # the report's own words, for the clinical line
    "none": tr_noop("none"), "mild": tr_noop("mild"), "moderate": tr_noop("moderate"),
    "severe": tr_noop("severe"),
    "protrusion": tr_noop("protrusion"), "extrusion": tr_noop("extrusion"),
    "sequestration": tr_noop("sequestration"),
}
CLINICAL_SIDE = {"left": tr_noop("left"), "right": tr_noop("right")}


def level_line(level: str, language: str | None = None) -> str:
    """``Level L5-S1: the disc between ...``."""
    words = tr(LEVEL_WORDS.get(level, "the disc"), language)
    return tr("Level {level}: {words}", language).format(level=level, words=words)


def _place_key(side: str | None, zone: str) -> str:
    return zone if zone == "central" else f"{zone}-{side}"


def findings(report: Report, language: str | None = None, audience: str = "patient") -> list[str]:
    """The findings as sentences (patient) or as one clinical line per finding (clinician)."""
    if audience == "clinician":
        return clinical_findings(report, language)
    out: list[str] = []
    if report.grade is not None:
        out.append(tr(GRADE_WORDS[report.grade], language))
    elif report.tear_zone is not None:
        out.append(tr("There is a tear in the ring of the disc.", language))
    if report.tear_zone is not None and report.grade != 0:
        out.append(tr(PLACE_WORDS[_place_key(report.tear_side, report.tear_zone)], language))
    if report.hiz:
        out.append(tr(HIZ_WORDS, language))
    if report.pfirrmann is not None:
        out.append(tr(PFIRRMANN_WORDS[report.pfirrmann], language))
    if report.height_loss is not None:
        out.append(tr(HEIGHT_WORDS[report.height_loss], language))
    if report.herniation is not None:
        out.append(tr(HERNIATION_WORDS[report.herniation], language))
        if report.herniation_zone is not None:
            out.append(tr(PLACE_WORDS[_place_key(report.herniation_side, report.herniation_zone)], language))
            root = "exiting" if report.herniation_zone in ("foraminal", "extraforaminal") else "traversing"
            out.append(tr(ROOT_WORDS[root], language))
    return out or [tr(NO_FINDINGS, language)]


def _where(side: str | None, zone: str, language: str | None) -> str:
    zone_word = tr(CLINICAL_ZONE[zone], language)
    if side is None:
        return zone_word
    return tr("{side} {zone}", language).format(side=tr(CLINICAL_SIDE[side], language), zone=zone_word)


def clinical_findings(report: Report, language: str | None = None) -> list[str]:
    """One line per finding, in clinical terms."""
    out: list[str] = []
    if report.tear_zone is not None or report.grade is not None:
        where = _where(report.tear_side, report.tear_zone, language) if report.tear_zone else ""
        grade = (
            tr("modified Dallas grade {grade}", language).format(grade=report.grade)
            if report.grade is not None
            else ""
        )
        out.append(tr("Annular fissure", language) + ": " + ", ".join(w for w in (where, grade) if w))
    if report.hiz:
        out.append(tr("High-intensity zone (HIZ) in the posterior annulus", language))
    if report.pfirrmann is not None:
        out.append(tr("Pfirrmann grade {grade}", language).format(grade=ROMAN[report.pfirrmann]))
    if report.height_loss is not None:
        out.append(tr("Disc height loss", language) + ": " + tr(CLINICAL_TERMS[report.height_loss], language))
    if report.herniation is not None:
        line = tr(CLINICAL_TERMS[report.herniation], language)
        if report.herniation_zone is not None:
            line += ", " + _where(report.herniation_side, report.herniation_zone, language)
        out.append(tr("Herniation", language) + ": " + line)
    return out or [tr(NO_FINDINGS, language)]
