"""The palette: one colour and one material per structure, for every step, the viewer, the
glTF export and the handout. ``docs/palette.md`` is generated from this table
(:func:`palette_markdown`; a test keeps the two the same).

Colours never change from step to step: a highlight brightens a structure in its own hue
(see :func:`glow_colour`), and translucency is drawn as one pane of glass over what is
behind, never as a stack of tinted layers.

Each structure takes one line; a new structure adds one line to :data:`MATERIALS`.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Material:
    """Surface look of one structure (Phong: ambient + diffuse + specular)."""

    color: tuple[float, float, float]
    opacity: float = 1.0
    specular: float = 0.15
    specular_power: float = 18.0
    ambient: float = 0.22
    diffuse: float = 0.82
    look: str = ""  # what the colour stands for, for docs/palette.md

    @property
    def hex(self) -> str:
        """``#rrggbb``."""
        return "#" + "".join(f"{round(c * 255):02x}" for c in self.color)


def rgb(hex_colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` -> (r, g, b) in 0..1."""
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b)


BONE = rgb("#e6dcc6")
CARTILAGE = rgb("#c9d6dc")
NERVE = rgb("#f0cf5e")
STEEL = rgb("#c3c8ce")
DARK_PLASTIC = np.array(rgb("#2a2d33"))  # grips and the endoscope's body
LENS = np.array(rgb("#10203a"))  # the lens: nearly black, blue; its glint is the specular light
STAIN = np.array(rgb("#2140b8"))  # indigo carmine (chromodiscography): degenerate nucleus blue
STAIN_REACH = 1.5  # mm: how far the dye has soaked into the annulus around the tear and its gel
SEARED_REACH = 5.0  # mm: how far round the sealed tear the probe's heat has shrunk the surface
SEARED = np.array(rgb("#c29a70"))  # that surface through the scope: coagulated collagen, warm tan
HEAT = np.array(rgb("#ff9a3c"))  # the probe's tip at full power: a warm orange glow

MATERIALS: dict[str, Material] = {
    "vertebra-upper": Material(BONE, specular=0.08, look="ivory bone, matt; the key light from above shades its waist"),
    "vertebra-lower": Material(BONE, specular=0.08, look="ivory bone, matt"),
    "endplate-upper": Material(CARTILAGE, specular=0.3, specular_power=30, look="hyaline cartilage: pale blue-grey, moist sheen"),
    "endplate-lower": Material(CARTILAGE, specular=0.3, specular_power=30, look="hyaline cartilage"),
    "annulus": Material(rgb("#ece6da"), specular=0.14, specular_power=14, look="pearly white fibrocartilage; fibre bands show the collagen direction"),
    "nucleus": Material(rgb("#a9bccb"), specular=0.1, specular_power=12, ambient=0.3, diffuse=0.72, look="translucent-looking grey-blue gel, little shine"),
    "fissure": Material(rgb("#6e2a2c"), specular=0.05, look="the dark red-brown lining of the tear"),
    "nucleus-tract": Material(rgb("#a9bccb"), specular=0.1, specular_power=12, ambient=0.3, diffuse=0.72, look="nucleus gel in the crack: the nucleus' own gel"),
    "native-nerves": Material(NERVE, specular=0.2, ambient=0.32, look="nerve yellow"),
    "nerve-endings": Material(rgb("#f0a63a"), specular=0.25, look="pain fibres: a warmer amber than the normal nerves"),
    "inflammation": Material(rgb("#c8403f"), opacity=0.85, specular=0.15, look="red, inflamed granulation tissue"),
    "repair": Material(rgb("#ece6da"), specular=0.1, specular_power=10, look="the healed scar: the annulus' own colour, matt, with a fine heat-shrunk crimp"),
    "herniation": Material(rgb("#a9bccb"), specular=0.1, specular_power=12, ambient=0.3, diffuse=0.72, look="herniated material: the nucleus' own gel, out of the disc"),
    "nerve-roots": Material(NERVE, specular=0.2, ambient=0.32, look="nerve yellow, like every nerve"),
    "dural-sac": Material(rgb("#d9e0e8"), opacity=0.55, specular=0.25, specular_power=30, look="the pale grey-white dura, translucent: the nerves show inside"),
    "facet-joints": Material(rgb("#d3dfe6"), specular=0.3, specular_power=30, look="joint cartilage and capsule: bluish white, like the endplates but lighter"),
    "cannula": Material(STEEL, specular=0.75, specular_power=60, ambient=0.25, diffuse=0.65, look="brushed surgical steel, a bright sharp sheen; its grip dark plastic"),
    "endoscope": Material(STEEL, specular=0.75, specular_power=60, ambient=0.25, diffuse=0.65, look="steel shaft; the lens a dark blue-black glint; the eyepiece body dark plastic"),
    "rf-probe": Material(rgb("#4a5058"), specular=0.5, specular_power=40, ambient=0.5, look="the probe's dark insulation, its tip steel; glows warm orange-white with the power"),
    "skin": Material(rgb("#e8b89a"), opacity=0.45, specular=0.12, specular_power=12, look="a faint patch of the back's skin at the small cut, see-through"),
    "forceps": Material(STEEL, specular=0.75, specular_power=60, ambient=0.25, diffuse=0.65, look="surgical steel"),
}

#: Any structure the palette has not met yet (a new one before its line is added).
FALLBACK = Material(rgb("#b8b8b8"), look="not in the palette yet")

DEHYDRATED_NUCLEUS = rgb("#7d7f86")  # Pfirrmann IV-V: grey
INNER_ANNULUS = np.array([0.80, 0.83, 0.86])  # the inner annulus grades toward the gel
VESSEL = np.array(rgb("#7e0d18"))  # blood in the small vessels of granulation tissue
INFLAMED = np.array(rgb("#d2473a"))  # a compressed, inflamed root (point array ``inflamed``)
COAGULATED = np.array(rgb("#b8aa98"))  # tissue the radiofrequency probe has passed: pale, dull
DYE = np.array(rgb("#fbfaf2"))  # contrast medium: white, as on a CT discogram
CT_GREY = 0.5  # how far tissue without contrast greys out in the discogram look

GLOW_LIFT = 0.45  # how much of the way toward white, in the structure's own hue, a highlight goes


def nucleus_color(hydration: float) -> tuple[float, float, float]:
    """The grey-blue gel when hydrated, duller grey when dehydrated (Pfirrmann grade)."""
    wet = np.array(MATERIALS["nucleus"].color)
    dry = np.array(DEHYDRATED_NUCLEUS)
    h = float(np.clip(hydration, 0.0, 1.0))
    r, g, b = (dry + (wet - dry) * h).tolist()
    return (r, g, b)


def material_for(name: str, hydration: float = 1.0) -> Material:
    """The material of a structure, with the nucleus coloured by its hydration."""
    material = MATERIALS.get(name, FALLBACK)
    if name in ("nucleus", "nucleus-tract", "herniation") and hydration < 1.0:
        wet = np.array(MATERIALS["nucleus"].color)
        shift = np.array(nucleus_color(hydration)) - wet
        r, g, b = np.clip(np.array(material.color) + shift, 0, 1).tolist()
        return Material((r, g, b), material.opacity, material.specular, material.specular_power,
                        material.ambient, material.diffuse, material.look)
    return material


def annulus_shade(colours: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """The annulus' colour toward its inner edge (``depth`` 0 inner .. 1 outer)."""
    mix = (0.4 * (1 - depth))[:, None]
    return colours * (1 - mix) + INNER_ANNULUS * mix


def pathology_tint(name: str, point_data: dict[str, np.ndarray], colours: np.ndarray,
                   contrast: float = 0.0) -> np.ndarray:
    """Per-point colours (n, 3 floats) from the geometry's point arrays: vessels in the
    granulation tissue (``tissue``), a pressed root's inflammation (``inflamed``), what the
    probe has passed (``ablation``), the scar's
    heat-shrunk texture (``scar``), and in the discogram look (``contrast`` 0..1) the
    injected contrast (``dye``) against greyed tissue.
    """
    if "tissue" in point_data:
        colours = colours + (VESSEL - colours) * point_data["tissue"][:, None]
    if "inflamed" in point_data:  # a pressed root: red-tinged where it is inflamed
        colours = colours + (INFLAMED - colours) * (0.8 * point_data["inflamed"])[:, None]
    if "ablation" in point_data:
        colours = colours + (COAGULATED - colours) * (0.9 * point_data["ablation"])[:, None]
    if name == "repair" and "depth" in point_data:
        colours = annulus_shade(colours, point_data["depth"])
        if "scar" in point_data:  # shrunk collagen: a fine crimp, a shade warmer than the annulus
            index = np.arange(len(colours))
            crimp = 0.93 + 0.07 * np.sin(index * 2.399963)
            warm = np.array([1.0, 0.97, 0.92])
            colours = colours * (1 + (crimp[:, None] * warm - 1) * point_data["scar"][:, None])
    if "plastic" in point_data:  # an instrument's dark plastic grip
        colours = colours + (DARK_PLASTIC - colours) * point_data["plastic"][:, None]
    if "tip" in point_data:  # the probe's steel electrode
        colours = colours + (np.array(STEEL) - colours) * point_data["tip"][:, None]
    if "glow" in point_data:  # ... heating up: warm orange-white
        colours = colours + (HEAT - colours) * np.clip(point_data["glow"] * 1.6, 0, 1)[:, None]
    if contrast > 0:
        dye = point_data.get("dye")
        if dye is not None:
            colours = colours + (DYE - colours) * (contrast * dye)[:, None]
        else:
            grey = colours.mean(axis=1, keepdims=True) * np.array([0.55, 0.56, 0.6])
            colours = colours + (grey - colours) * contrast * CT_GREY * 2
    return colours


def stained(colours: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Colours with the blue stain of chromodiscography (``amount`` 0..1 per point)."""
    return colours + (STAIN - colours) * np.clip(amount, 0.0, 1.0)[:, None]


def seared(colours: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Colours of annulus the probe's heat has shrunk (``amount`` 0..1 per point): a warm,
    dull tan with the scar's fine crimp, as coagulated collagen looks through the scope.
    """
    crimp = 0.9 + 0.1 * np.sin(np.arange(len(colours)) * 2.399963)
    target = SEARED[None, :] * crimp[:, None]
    return colours + (target - colours) * np.clip(amount, 0.0, 1.0)[:, None]


def part_colours(name: str, parts: np.ndarray | None, colours: np.ndarray) -> np.ndarray:
    """Per-point colours of an instrument's parts (``parts``: per-point part names): the
    endoscope's lens and body, the cannula's grip.
    """
    if parts is None:
        return colours
    colours = colours.copy()
    colours[parts == "lens"] = LENS
    colours[parts == "body"] = DARK_PLASTIC
    return colours


def glow_colour(color: tuple[float, float, float]) -> tuple[float, float, float]:
    """The light a highlighted structure gives off: its own hue, lighter and a little more
    saturated, so that a highlight never turns a red fissure rust or a yellow root khaki.
    """
    h, lightness, s = colorsys.rgb_to_hls(*color)
    r, g, b = colorsys.hls_to_rgb(h, lightness + (1 - lightness) * GLOW_LIFT, min(1.0, s * 1.15))
    return (r, g, b)


def glow_strength(color: tuple[float, float, float]) -> float:
    """Extra ambient light of a full highlight: more for dark structures, less for light ones
    (which would wash out to white and lose their hue).
    """
    lightness = colorsys.rgb_to_hls(*color)[1]
    return 0.12 + 0.45 * (1.0 - lightness)


def palette_markdown() -> str:
    """docs/palette.md: the table of every structure's colour and material."""
    from discviz.geometry.structures import STRUCTURES

    lines = [
        "# The palette",
        "",
        "One colour and one material per structure, used by every step, the viewer, `discviz render`,",
        "the glTF export (`discviz mesh -o FILE.glb`) and the handout. Generated from",
        "`discviz/render/materials.py` (`palette_markdown()`); a test keeps this page and the code",
        "the same. Colours never change from step to step: a highlight brightens a structure in its",
        "own hue, and a translucent structure is drawn as one pane of glass.",
        "",
        "| structure | colour | opacity | specular | look |",
        "|---|---|---|---|---|",
    ]
    for name in STRUCTURES:
        m = MATERIALS.get(name, FALLBACK)
        lines.append(f"| {name} | `{m.hex}` | {m.opacity:g} | {m.specular:g} (power {m.specular_power:g}) "
                     f"| {m.look} |")
    lines += [
        "",
        f"A dehydrated nucleus (Pfirrmann IV-V) greys toward `{Material(DEHYDRATED_NUCLEUS).hex}`.",
        f"A root pressed by a herniation is tinted toward `{Material(tuple(INFLAMED)).hex}` where it is "
        "inflamed (point array `inflamed`).",
        "",
    ]
    return "\n".join(lines)
