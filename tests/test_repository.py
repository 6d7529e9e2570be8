"""The project explains itself: no file in the repository points outside it (to notes of the
machine it was written on), and every link in README and docs/ resolves inside it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).parents[1]
# spelled in pieces, so that this file does not find itself
OUTSIDE = re.compile("|".join([
    r"\.\./" + "shared", "/" + "work/", "shared/" + r"[\w-]+\.md", r"\b" + "SP" + "EC" + r"\b",
    "DESIGN" + r"\.md", "anatomy" + r"(-segment)?\.md",
]))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def text_files() -> list[Path]:
    """The repository's files as git knows them (tracked and new, not ignored), text only."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    out = []
    for name in filter(None, listed):
        path = ROOT / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" not in data[:8192]:
            out.append(path)
    return out


def test_there_are_files_to_look_at() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in text_files()}
    assert {"README.md", "pyproject.toml", "docs/scene-language.md", "meshes/L4-L5.toml"} <= names


def test_no_file_refers_outside_the_repository() -> None:
    found = []
    for path in text_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            match = OUTSIDE.search(line)
            if match:
                where = f"{path.relative_to(ROOT)}:{number}"
                found.append(f"{where}: {match.group(0)!r} in {line.strip()[:90]!r}")
    assert not found, "cite the paper or a page in docs/ instead:\n" + "\n".join(found)


def markdown_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def headings(path: Path) -> set[str]:
    """GitHub's anchors of the headings of a page."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


@pytest.mark.parametrize("page", markdown_pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_resolves_inside_the_repository(page: Path) -> None:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)  # not code examples
    links = LINK.findall(text)
    bad = []
    for link in links:
        if re.match(r"(https?|mailto):", link):
            continue
        target, _, anchor = unquote(link).partition("#")
        path = (page.parent / target).resolve() if target else page
        if not path.is_relative_to(ROOT) or not path.exists():
            bad.append(f"{link}: no such file in the repository")
        elif anchor and path.suffix == ".md" and anchor not in headings(path):
            bad.append(f"{link}: no heading #{anchor} in {path.relative_to(ROOT)}")
    assert not bad, f"{page.relative_to(ROOT)}:\n" + "\n".join(bad)


def test_readme_links_the_documentation() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("docs/scene-language.md", "docs/command-line.md", "docs/structures-and-parameters.md"):
        assert f"]({page})" in readme
