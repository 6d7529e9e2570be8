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
    "fissure": Material(_rgb("#5b1f24"), specular=0.1),  # the dark cleft
    "nucleus-tract": Material(_rgb("#5f9fdc"), specular=0.8, specular_power=60),
    "native-nerves": Material(_rgb("#f7d23e"), specular=0.3),  # yellow nerves
    "nerve-endings": Material(_rgb("#ffc400"), specular=0.4),
    "inflammation": Material(_rgb("#d8383a"), opacity=0.85, specular=0.3),  # red granulation
    "repair": Material(_rgb("#4fb286"), specular=0.35),  # a clearly different, healthy green
    "nerve-roots": Material(_rgb("#f2c94c"), specular=0.3),  # yellow roots
    "dural-sac": Material(_rgb("#dfe7f0"), opacity=0.55, specular=0.35),  # pale, translucent dura
    "facet-joints": Material(_rgb("#cfe0ee"), specular=0.5, specular_power=40),  # bluish-white cartilage
}

DEHYDRATED_NUCLEUS = _rgb("#7a7d86")  # Pfirrmann IV-V: grey


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
