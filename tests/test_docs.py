"""The user documentation in docs/ says what the code does: its generated parts are what the
code makes now, and the complete example of the scene language loads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from discviz.cli import docs
from discviz.scene.load import load_scene
from tests.hostile import files

DOCS = Path(__file__).parents[1] / "docs"


@pytest.mark.parametrize("page", docs.PAGES)
def test_the_generated_parts_are_what_the_code_makes(page: str) -> None:
    committed, generated = docs.generated(DOCS)[DOCS / page]
    assert committed == generated, (f"docs/{page} differs from the code: run `bash scripts/docs.sh` "
                                    "and commit the result")


def test_every_page_has_generated_parts_and_only_known_ones() -> None:
    for page in docs.PAGES:
        names = [m.group(2) for m in docs.BLOCK.finditer((DOCS / page).read_text(encoding="utf-8"))]
        assert names and set(names) <= set(docs.BLOCKS), page
    used = {m.group(2) for page in docs.PAGES for m in docs.BLOCK.finditer((DOCS / page).read_text("utf-8"))}
    assert used == set(docs.BLOCKS)  # every generator has its place
    with pytest.raises(ValueError, match="unknown generated block 'nope'"):
        docs.fill("<!-- generated: nope -->\n<!-- end generated -->")


def test_the_complete_example_loads(tmp_path: Path) -> None:
    page = (DOCS / "scene-language.md").read_text(encoding="utf-8")
    example = re.search(r"## A complete example.*?```toml\n(.*?)```", page, re.S)
    assert example is not None
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "section.png").write_bytes(files.picture("PNG"))
    (tmp_path / "example.toml").write_text(example.group(1), encoding="utf-8")
    scene = load_scene(tmp_path / "example.toml")
    assert [step.id for step in scene.steps] == ["healthy", "torn"]
    keys = set(re.findall(r"^\[?\[?([a-z_.]+)\]?\]? *=?", example.group(1), re.M))
    assert {"format", "title", "preset", "languages", "audience", "labels", "defaults", "steps", "id",
            "state", "caption", "show", "highlight", "opacity", "cutaway", "view", "orbit", "hold",
            "transition", "image", "steps.params"} <= keys  # every key once


def test_the_check_option_says_when_a_page_differs(tmp_path: Path) -> None:
    for page in docs.PAGES:
        (tmp_path / page).write_text((DOCS / page).read_text(encoding="utf-8"), encoding="utf-8")
    assert docs.main(["--docs", str(tmp_path), "--check"]) == 0
    stale = tmp_path / "command-line.md"
    stale.write_text(stale.read_text(encoding="utf-8").replace("| `--overwrite` |", "| `--old` |"), "utf-8")
    assert docs.main(["--docs", str(tmp_path), "--check"]) == 1
    assert docs.main(["--docs", str(tmp_path)]) == 0
    assert stale.read_text(encoding="utf-8") == (DOCS / "command-line.md").read_text(encoding="utf-8")
