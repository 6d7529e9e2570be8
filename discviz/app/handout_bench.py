"""Handout speed for `discviz bench --what handout` (never asserted in unit tests): the
bundled explanation at 150 dpi, as a user runs it (`discviz handout`, a fresh process,
imports included), with a patient's disc. Target: under 30 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 30.0
ARGS = ("--preset", "L5-S1", "--set", "fissure.grade=3", "--set", "fissure.position=200",
        "--set", "fissure.hiz=true", "--clinic", "Bench clinic")


def _once(folder: Path, language: str) -> tuple[float, int]:
    output = folder / f"handout-{language}.pdf"
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "discviz", "handout", "discogenic-pain", "-o", str(output),
                             "--dpi", "150", "--lang", language, "--overwrite", *ARGS],
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"discviz handout failed: {result.stderr[-500:]}")
    import pypdf

    return seconds, len(pypdf.PdfReader(output).pages)


def run_bench(repeat: int) -> dict[str, object]:
    """Seconds for the whole handout in English and in Chinese (best of ``min(repeat, 2)``)."""
    runs = max(1, min(repeat, 2))
    out: dict[str, object] = {"target_s": TARGET_S, "dpi": 150}
    with tempfile.TemporaryDirectory() as folder:
        for language in ("en", "zh"):
            times, pages = [], 0
            for _ in range(runs):
                seconds, pages = _once(Path(folder), language)
                times.append(seconds)
            out[f"handout_{language}_s"] = round(min(times), 2)
            out[f"pages_{language}"] = pages
    return out
