"""The handout PDF: A4 pages, about two steps a page, the captions as text in the chosen
language (Chinese included), and the renderer's pictures.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pypdf
import pytest

from discviz.app.handout_job import make_handout
from discviz.cli.handout import picture_size
from discviz.geometry.presets import load_preset
from discviz.player.frame import Player
from discviz.render.export import step_pictures
from discviz.scene.load import load_scene

pytestmark = pytest.mark.gui
SCENE = Path(__file__).with_name("handout.toml")
DPI = 72  # small pictures: the test checks the document, not the print quality
A4_POINTS = (595.3, 841.9)


def squeeze(text: str) -> str:
    """Text without any white space (a PDF's extracted text breaks lines and words anywhere)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def handouts(qapp, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("handout")
    scene = load_scene(SCENE)
    out = {}
    patient = {"fissure.position": 200.0, "fissure.grade": 3, "fissure.hiz": True, "quality": "low"}
    for language in ("en", "zh"):
        path = folder / f"{language}.pdf"
        pages = make_handout(scene, path, language=language, base=load_preset("L5-S1"), preset_name="L5-S1",
                             overrides=patient, patient=True, clinic="Clinic 诊所", dpi=DPI,
                             size=picture_size(DPI))
        assert len(pypdf.PdfReader(path).pages) == pages
        out[language] = path
    return out


@pytest.mark.parametrize("language", ["en", "zh"])
def test_pages_text_and_language(handouts, language: str) -> None:
    scene = load_scene(SCENE)
    reader = pypdf.PdfReader(handouts[language])
    # page one: the patient's disc and the notes; then two steps a page
    assert len(reader.pages) == 1 + math.ceil(len(scene.steps) / 2)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (width, height) == pytest.approx(A4_POINTS, abs=1.0)
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    for step in scene.steps:
        assert squeeze(step.caption.get(language)) in text, step.id
        assert squeeze(step.title.get(language)) in text, step.id
    assert squeeze(scene.title.get(language)) in text
    assert "Clinic诊所" in text
    if language == "zh":
        assert "L5-S1" in text and "第五腰椎和骶骨之间的椎间盘" in text  # the level in plain words
        assert "A crack opens" not in text
    else:
        assert "grade3of5" in text and "alittletoyourright" in text  # the findings in plain words
    page_one = squeeze(reader.pages[0].extract_text())
    assert squeeze(scene.steps[0].caption.get(language)) not in page_one  # steps start on page two


def test_fonts_are_embedded(handouts) -> None:
    reader = pypdf.PdfReader(handouts["zh"])
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts.append(any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts and all(fonts)


def test_the_pictures_are_the_renderers(handouts) -> None:
    scene = load_scene(SCENE)
    overrides = {"fissure.position": 200.0, "fissure.grade": 3, "fissure.hiz": True, "quality": "low"}
    player = Player(scene, language="en", base_params=load_preset("L5-S1"), overrides=overrides)
    expected = step_pictures(player, picture_size(DPI))
    reader = pypdf.PdfReader(handouts["en"])
    found = [np.asarray(image.image.convert("RGB"), dtype=float)
             for page in reader.pages[1:] for image in page.images]
    assert len(found) == len(expected)
    for index, (pdf, rendered) in enumerate(zip(found, expected, strict=True)):
        assert pdf.shape == rendered.shape, index
        assert np.abs(pdf - rendered).mean() < 4.0, index  # the same picture, JPEG-compressed
    # the step with mri = "axial" carries the slice inset in its upper right corner
    crack = expected[1]
    height, width = crack.shape[:2]
    corner = crack[: height // 3, int(width * 0.75):]
    assert (corner.max(axis=2) > 235).sum() > 40  # bright fluid and nucleus of the slice
    assert (expected[0][: height // 3, int(width * 0.75):].max(axis=2) > 235).sum() < 5
