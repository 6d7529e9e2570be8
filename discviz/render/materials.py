"""The look of each structure: colours and surface properties, shared by the renderer and
the glTF export so both show the same anatomy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Material:
    """Surface look of one structure."""

    color: tuple[float, float, float]
    opacity: float = 1.0
    specular: float = 0.25
    specular_power: float = 20.0
    ambient: float = 0.18
    diffuse: float = 0.85


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b)


MATERIALS: dict[str, Material] = {
    "vertebra-upper": Material(_rgb("#e9dcc3"), specular=0.15),  # ivory bone
    "vertebra-lower": Material(_rgb("#e9dcc3"), specular=0.15),
    "endplate-upper": Material(_rgb("#b9d3e6"), specular=0.45, specular_power=40),  # bluish cartilage
    "endplate-lower": Material(_rgb("#b9d3e6"), specular=0.45, specular_power=40),
    "annulus": Material(_rgb("#efe7da"), specular=0.45, specular_power=35),  # pearly fibrocartilage
    "nucleus": Material(_rgb("#8fc3ea"), specular=0.8, specular_power=60),  # translucent-looking gel
    "fissure": Material(_rgb("#3a1417"), specular=0.1),  # the dark lining of the tear
    # the same gel as the nucleus; lit brighter, as the nucleus' cut face is, so it reads as one
    "nucleus-tract": Material(_rgb("#8fc3ea"), specular=0.6, specular_power=60, ambient=0.3, diffuse=0.8),
    "native-nerves": Material(_rgb("#f7d23e"), specular=0.3),  # yellow nerves
    "nerve-endings": Material(_rgb("#ffc400"), specular=0.4),
    "inflammation": Material(_rgb("#e3524e"), specular=0.3, ambient=0.3),  # red granulation tissue
    "repair": Material(_rgb("#efe7da"), specular=0.15, specular_power=10),  # scar: annulus, matte
    "nerve-roots": Material(_rgb("#f2c94c"), specular=0.3),  # yellow roots
    "dural-sac": Material(_rgb("#dfe7f0"), opacity=0.55, specular=0.35),  # pale, translucent dura
    "facet-joints": Material(_rgb("#cfe0ee"), specular=0.5, specular_power=40),  # bluish-white cartilage
}

DEHYDRATED_NUCLEUS = _rgb("#7a7d86")  # Pfirrmann IV-V: grey
INNER_ANNULUS = np.array([0.80, 0.86, 0.93])  # the inner annulus grades into the nucleus
VESSEL = np.array(_rgb("#7e0d18"))  # blood in the small vessels of granulation tissue
COAGULATED = np.array(_rgb("#b8aa98"))  # tissue the radiofrequency probe has passed: pale, dull
DYE = np.array(_rgb("#fbfaf2"))  # contrast medium: white, as on a CT discogram
CT_GREY = 0.5  # how far tissue without contrast greys out in the discogram look


def nucleus_color(hydration: float) -> tuple[float, float, float]:
    """Bright blue-white gel when hydrated, grey when dehydrated (Pfirrmann grade)."""
    wet = np.array(MATERIALS["nucleus"].color)
    dry = np.array(DEHYDRATED_NUCLEUS)
    h = float(np.clip(hydration, 0.0, 1.0))
    r, g, b = (dry + (wet - dry) * h).tolist()
    return (r, g, b)


def material_for(name: str, hydration: float = 1.0) -> Material:
    """The material of a structure, with the nucleus coloured by its hydration."""
    material = MATERIALS[name]
    if name in ("nucleus", "nucleus-tract"):
        return Material(nucleus_color(hydration), material.opacity, material.specular,
                        material.specular_power, material.ambient, material.diffuse)
    return material


def annulus_shade(colours: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """The annulus' colour toward its inner edge (``depth`` 0 inner .. 1 outer)."""
    mix = (0.45 * (1 - depth))[:, None]
    return colours * (1 - mix) + INNER_ANNULUS * mix


def pathology_tint(name: str, point_data: dict[str, np.ndarray], colours: np.ndarray,
                   contrast: float = 0.0) -> np.ndarray:
    """Per-point colours (n, 3 floats) from the geometry's point arrays: vessels in the
    granulation tissue (``tissue``), what the probe has passed (``ablation``), the scar's
    heat-shrunk texture (``scar``), and in the discogram look (``contrast`` 0..1) the
    injected contrast (``dye``) against greyed tissue.
    """
    if "tissue" in point_data:
        colours = colours + (VESSEL - colours) * point_data["tissue"][:, None]
    if "ablation" in point_data:
        colours = colours + (COAGULATED - colours) * (0.9 * point_data["ablation"])[:, None]
    if name == "repair" and "depth" in point_data:
        colours = annulus_shade(colours, point_data["depth"])
        if "scar" in point_data:  # shrunk collagen: a fine crimp, a shade warmer than the annulus
            index = np.arange(len(colours))
            crimp = 0.93 + 0.07 * np.sin(index * 2.399963)
            warm = np.array([1.0, 0.97, 0.92])
            colours = colours * (1 + (crimp[:, None] * warm - 1) * point_data["scar"][:, None])
    if contrast > 0:
        dye = point_data.get("dye")
        if dye is not None:
            colours = colours + (DYE - colours) * (contrast * dye)[:, None]
        else:
            grey = colours.mean(axis=1, keepdims=True) * np.array([0.55, 0.56, 0.6])
            colours = colours + (grey - colours) * contrast * CT_GREY * 2
    return colours
