"""Render sidecars (docs/rendering.md): ``NN-ID.json`` beside each picture, and with ``--ids``
the structure-id picture ``NN-ID.ids.png``.

The JSON says what the picture shows, as drawn: the step's id, title and caption, the
subtitle of each view, and every label with its text, its structure, the pixel its leader
ends on (``anchor``, [x, y] from the top-left) and its box ([x0, y0, x1, y1]). With
``--ids`` it adds ``"ids"``: the colour of each structure in the id picture.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from discviz.player.viewstate import ViewState
from discviz.render.renderer import LabelRecord

FORMAT = 1


def sidecar_path(picture: Path, suffix: str = ".json") -> Path:
    """``01-healthy.png`` -> ``01-healthy.json`` (or ``01-healthy.ids.png``)."""
    return picture.with_name(picture.stem + suffix)


def describe(frame: ViewState, size: tuple[int, int], labels: Sequence[LabelRecord],
             ids: Mapping[str, tuple[int, int, int]] | None = None) -> dict[str, object]:
    """The sidecar document of one picture."""
    document: dict[str, object] = {
        "format": FORMAT,
        "step": frame.step_id,
        "title": frame.title,
        "caption": frame.caption,
        "language": frame.language,
        "audience": frame.audience,
        "size": list(size),
        "views": [_view(frame)] + ([_view(frame.beside)] if frame.beside is not None else []),
        "labels": [
            {
                "text": label.text,
                "structure": label.structure,
                "view": label.view,
                "anchor": [round(label.anchor[0], 1), round(label.anchor[1], 1)],
                "box": [round(v, 1) for v in label.box],
            }
            for label in labels
        ],
    }
    if ids is not None:
        document["ids"] = {name: list(colour) for name, colour in ids.items()}
    return document


def _view(frame: ViewState) -> dict[str, object]:
    return {"state": frame.disc_state, "subtitle": frame.subtitle, "pain": frame.pain,
            "focus": list(frame.focus),
            "structures": sorted(n for n, v in frame.opacity.items() if v > 0.01)}


def dumps(document: Mapping[str, object]) -> str:
    """The sidecar as JSON text (UTF-8, words as written); the caller writes it safely."""
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
