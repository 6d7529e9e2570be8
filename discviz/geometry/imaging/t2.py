"""A synthetic T2-weighted MRI slice of the model: mid-sagittal or axial through the disc.

Each structure of :func:`discviz.geometry.build_surfaces` is cut by the slice (three thin
planes across the slice thickness, averaged: partial volume) and filled with the signal
its tissue has on a T2-weighted fast spin-echo image:

- bright fluid (CSF in the dural sac), grey fatty marrow in a dark cortical rim, dark
  annulus, cartilage endplates and nerve roots, grey soft tissue around;
- the nucleus after Pfirrmann et al. 2001 (Spine 26:1873): bright and homogeneous in
  grade I, a grey horizontal band from grade II, grey and inhomogeneous in III, grey to
  black in IV, black in V, its edge with the annulus blurring as the grade rises; its
  brightness follows ``nucleus.hydration`` (set from ``disc.pfirrmann`` by
  :mod:`discviz.geometry.report`);
- with ``fissure.hiz`` a high-intensity zone: a small round spot brighter than the nucleus
  in the outer posterior annulus at ``fissure.position``, ringed by dark annulus (Aprill and
  Bogduk 1992, Br J Radiol 65:361);
- then a little blur and Rician noise, and interpolation to the display grid, as a scanner
  does, so that it reads as an MRI. It is an illustration of the model, never a scan.

Orientation is radiological (docs/patient.md): sagittal with anterior on the left and
superior up; axial seen from below, anterior up and the patient's left on the right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discviz.geometry.disc.annulus import DiscLayout
from discviz.geometry.imaging.section import Grid, Plane, contours, winding
from discviz.geometry.model import build_surfaces
from discviz.geometry.params import Params
from discviz.geometry.surface import Surface

PLANES: tuple[str, ...] = ("sagittal", "axial")
ACQUIRED_MM = 0.5  # in-plane resolution of the simulated acquisition (lumbar T2: 0.5-0.7 mm)
THICKNESS_MM = {"sagittal": 3.0, "axial": 4.0}  # slice thickness, as in a lumbar protocol
MARGIN_MM = 6.0
NOISE = 0.022  # standard deviation of the noise in each channel (signal 0..1)
BLUR_PX = 0.6  # point spread of the acquisition, in acquired pixels

SOFT_TISSUE = 0.17  # muscle and ligament around the segment
MARROW, CORTEX = 0.44, 0.05
CORTEX_MM = 1.0
LAMELLA_CLOSE = 2  # pixels: closing the thin spaces between lamellae
CLEFT_CLOSE = 4  # pixels: the open cleft of a tear, between its torn walls
ENDPLATE = 0.10
ANNULUS = 0.10
CSF = 0.97
HIZ = 1.3  # above the display range: after blur and partial volume still the brightest spot
HIZ_SHARE = 0.8  # the high-intensity zone's place across the annulus, from the nucleus
#: Signal of each structure (the nucleus, its tract and the herniation follow hydration).
SIGNAL: dict[str, float] = {
    "endplate-upper": ENDPLATE, "endplate-lower": ENDPLATE, "annulus": ANNULUS,
    "native-nerves": ANNULUS, "fissure": 0.2, "cleft": 0.24, "nerve-endings": 0.25, "inflammation": 0.72,
    "repair": 0.08, "nerve-roots": 0.24, "dural-sac": CSF, "facet-joints": 0.5,
    "cannula": 0.02, "endoscope": 0.02, "rf-probe": 0.02, "forceps": 0.02,
}
UNKNOWN = 0.3
ANNULAR = ("annulus", "fissure", "nucleus-tract", "nerve-endings", "inflammation", "native-nerves")
EPIDURAL_FAT, FAT_MM = 0.5, 2.5  # fat around the sac and the roots in the canal and foramina
#: The receive coil lies behind the patient: signal falls off toward the front (per mm).
COIL_FALLOFF = 0.004  # a structure this table does not know yet
NUCLEAR = ("herniation",)  # nucleus material: the nucleus's signal
TRACT_SHARE = 0.45  # a thin tract of nucleus in a fissure shows only faintly (partial volume)
#: Painted in this order, later over earlier; names not listed follow, then the sac and roots.
ORDER: tuple[str, ...] = (
    "vertebra-upper", "vertebra-lower", "endplate-upper", "endplate-lower", "annulus", "cleft", "nucleus",
    "native-nerves", "fissure", "nucleus-tract", "inflammation", "nerve-endings", "repair",
    "herniation", "facet-joints",
)
LAST: tuple[str, ...] = ("dural-sac", "nerve-roots", "cannula", "endoscope", "rf-probe", "forceps")
#: Pfirrmann grade -> blur of the nucleus-annulus boundary (mm) and inhomogeneity (signal).
EDGE_MM = {1: 0.5, 2: 0.8, 3: 1.6, 4: 2.4, 5: 2.4}
MOTTLE = {1: 0.0, 2: 0.03, 3: 0.07, 4: 0.08, 5: 0.04}
BAND_DEPTH = {1: 0.0, 2: 0.3, 3: 0.3, 4: 0.15, 5: 0.0}  # the intranuclear cleft (grey band)


@dataclass(frozen=True)
class SliceImage:
    """A slice in radiological orientation.

    pixels: (height, width) float in 0..1, row 0 at the top.
    origin_px: [x, y] of the disc centre, in pixels from the image's top-left corner (the
    centre of pixel (row i, column j) is at [j + 0.5, i + 0.5]).
    mm_per_px: the size of a pixel.
    right, down: world directions (3,) of +x and +y in the image.
    """

    pixels: np.ndarray
    origin_px: tuple[float, float]
    mm_per_px: float
    plane: str
    right: tuple[float, float, float]
    down: tuple[float, float, float]

    def pixel_of(self, point: np.ndarray) -> tuple[float, float]:
        """Image position [x, y] of a world point on the slice (mm, docs/scene-language.md, coordinates)."""
        p = np.asarray(point, dtype=float)
        return (self.origin_px[0] + float(p @ np.asarray(self.right)) / self.mm_per_px,
                self.origin_px[1] + float(p @ np.asarray(self.down)) / self.mm_per_px)


def slice_plane(plane: str, offset: float = 0.0) -> Plane:
    """The slice through the disc centre (moved ``offset`` mm along its normal), with ``u``
    pointing to the image's right and ``v`` to its top.
    """
    if plane == "sagittal":  # u: posterior (+y), v: superior (+z); normal +x
        base = Plane(np.zeros(3), np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0]))
    elif plane == "axial":  # seen from below: u: patient's left (+x), v: anterior (-y); normal -z
        base = Plane(np.zeros(3), np.array([1.0, 0.0, 0.0]), np.array([0.0, -1.0, 0.0]))
    else:
        raise ValueError(f"unknown plane {plane!r}; expected one of {', '.join(PLANES)}")
    return base.shifted(offset) if offset else base


def nucleus_signal(hydration: float) -> float:
    """T2 signal of the nucleus: as bright as fluid when fully hydrated, as dark as the
    annulus when dry (Pfirrmann grade V: the distinction is lost).
    """
    h = min(max(hydration, 0.0), 1.0)
    return ANNULUS + (0.9 - ANNULUS) * h


def t2_slice(params: Params, state: str = "healthy", progress: float = 1.0,
             plane: str = "sagittal", mm_per_px: float = 0.15, offset: float = 0.0) -> SliceImage:
    """The synthetic T2 slice of the model at ``state`` and ``progress`` (see module doc)."""
    surfaces = build_surfaces(state, params, progress)
    centre = slice_plane(plane, offset)
    grid = _field_of_view(surfaces, centre, params, plane)
    thickness = THICKNESS_MM[plane]
    rng = np.random.default_rng(int(params["seed"]) + 11)
    texture = _textures(grid, rng)
    layers = [_signal(surfaces, centre.shifted(d), grid, params, texture)
              for d in (-thickness / 3, 0.0, thickness / 3)]
    image = np.mean(layers, axis=0)
    image = _blur(image, BLUR_PX)
    noise = rng.normal(0.0, NOISE, (2, *image.shape))
    image = np.sqrt((image + noise[0]) ** 2 + noise[1] ** 2)  # magnitude image: Rician noise
    scale = ACQUIRED_MM / mm_per_px
    image = _resample(image, scale)
    pixels = np.clip(image[::-1], 0.0, 1.0)  # rows from the top: v decreasing
    height = pixels.shape[0]
    origin = ((0.0 - grid.u0) / mm_per_px, height - (0.0 - grid.v0) / mm_per_px)
    # the offset moves the plane, not the picture: the centre is the disc centre projected
    right = tuple(float(c) for c in centre.u)
    down = tuple(float(-c) for c in centre.v)
    return SliceImage(pixels, origin, mm_per_px, plane, right, down)  # type: ignore[arg-type]


# -- pieces ---------------------------------------------------------------------------------


def _field_of_view(surfaces: dict[str, Surface], plane: Plane, params: Params, name: str) -> Grid:
    """Everything the slice cuts, plus a margin; the vertebral bodies run off the top and
    bottom of a sagittal slice, as on a scanner's picture of one level.
    """
    ends = [np.concatenate(contours(s, plane)) for s in surfaces.values()]
    points = np.concatenate([e for e in ends if len(e)] or [np.zeros((1, 2))])
    lo, hi = points.min(axis=0) - MARGIN_MM, points.max(axis=0) + MARGIN_MM
    half_depth = params.f("disc.depth") / 2
    if name == "sagittal":
        reach = max(params.f("disc.height_anterior"), params.f("disc.height_posterior")) / 2 \
            + 0.75 * params.f("vertebra.height")
        lo = np.maximum(lo, [-half_depth - 14.0, -reach])
        hi = np.minimum(hi, [half_depth + 60.0, reach])
    else:
        half_width = params.f("disc.width") / 2
        lo = np.maximum(lo, [-half_width - 25.0, -half_depth - 60.0])
        hi = np.minimum(hi, [half_width + 25.0, half_depth + 14.0])
    size = np.ceil((hi - lo) / ACQUIRED_MM).astype(int)
    return Grid(float(lo[0]), float(lo[1]), ACQUIRED_MM, int(size[0]), int(size[1]))


def _textures(grid: Grid, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Smooth random fields, the same for every plane of the slab: trabecular marrow and an
    inhomogeneous degenerating nucleus.
    """
    shape = (grid.height, grid.width)
    return {"marrow": _blur(rng.normal(0.0, 1.0, shape), 2.5) * 2.5,
            "mottle": _blur(rng.normal(0.0, 1.0, shape), 3.0) * 3.0}


def _mask(surface: Surface, plane: Plane, grid: Grid) -> np.ndarray:
    start, end = contours(surface, plane)
    return winding(start, end, grid) != 0


def _signal(surfaces: dict[str, Surface], plane: Plane, grid: Grid, params: Params,
            texture: dict[str, np.ndarray]) -> np.ndarray:
    """The noiseless signal of one thin plane."""
    grade = int(params["disc.pfirrmann"])
    nucleus = nucleus_signal(params.f("nucleus.hydration"))
    image = np.full((grid.height, grid.width), SOFT_TISSUE)
    masks = {name: _mask(surface, plane, grid) for name, surface in surfaces.items()}
    if "annulus" in masks:  # the lamellae are separate solids: on MRI the annulus is one tissue
        masks["annulus"] = _close(masks["annulus"], LAMELLA_CLOSE)
        annular = np.zeros_like(masks["annulus"])
        for name in ANNULAR:
            if name in masks:
                annular |= masks[name]
        ring = _close(annular, CLEFT_CLOSE) & ~masks.get("nucleus", np.zeros_like(annular))
        masks["cleft"] = ring & ~annular  # the open space of a tear: fluid, brighter than annulus
        masks["ring"] = ring
    names = [n for n in ORDER if n in masks]
    names += [n for n in masks if n not in ORDER and n not in LAST and n != "ring"]
    last = [n for n in LAST if n in masks]
    first_last = last[0] if last else None
    names += last
    u, v = grid.centres()
    world = plane.point(u, v)
    for name in names:
        if name == first_last:
            image = _epidural_fat(image, masks, grid)
        mask = masks[name]
        if not mask.any():
            continue
        if name.startswith("vertebra"):
            marrow = _erode(mask, round(CORTEX_MM / grid.step))
            bone = np.where(marrow, MARROW + 0.07 * texture["marrow"], CORTEX)
            image = np.where(mask, bone, image)
        elif name == "nucleus":
            image = _disc(image, masks, world, grid, grade, nucleus, texture)
        elif name == "nucleus-tract":
            image = np.where(mask, ANNULUS + TRACT_SHARE * (nucleus - ANNULUS), image)
        elif name in NUCLEAR:
            image = np.where(mask, nucleus, image)
        else:
            image = np.where(mask, SIGNAL.get(name, UNKNOWN), image)
    if bool(params["fissure.hiz"]) and "annulus" in masks:
        image = _high_intensity_zone(image, masks, world, params)
    return image * (1.0 + COIL_FALLOFF * np.clip(world[..., 1], -40.0, 40.0))


def _epidural_fat(image: np.ndarray, masks: dict[str, np.ndarray], grid: Grid) -> np.ndarray:
    """Fat around the sac and the roots: a soft bright margin over the soft tissue there."""
    neural = np.zeros(image.shape, dtype=bool)
    for name in ("dural-sac", "nerve-roots"):
        if name in masks:
            neural |= masks[name]
    near = np.clip(_blur(neural.astype(float), FAT_MM / grid.step / 2) * 2.5, 0.0, 1.0)
    soft = image == SOFT_TISSUE
    return np.where(soft, image + (EPIDURAL_FAT - image) * near, image)


def _disc(image: np.ndarray, masks: dict[str, np.ndarray], world: np.ndarray, grid: Grid,
          grade: int, nucleus: float, texture: dict[str, np.ndarray]) -> np.ndarray:
    """Nucleus and annulus together: the nucleus's signal fades into the annulus over a
    boundary that widens with the Pfirrmann grade, with the grey band and the mottling.
    """
    core = masks["nucleus"]
    disc = core | masks.get("annulus", np.zeros_like(core))
    weight = _blur(core.astype(float), EDGE_MM.get(grade, 0.5) / grid.step)
    signal = nucleus + MOTTLE.get(grade, 0.0) * texture["mottle"]
    band = BAND_DEPTH.get(grade, 0.0) * np.exp(-((world[..., 2] / 0.7) ** 2))
    signal = signal * (1.0 - band)
    return np.where(disc, ANNULUS + (signal - ANNULUS) * weight, image)


def _high_intensity_zone(image: np.ndarray, masks: dict[str, np.ndarray], world: np.ndarray,
                         params: Params) -> np.ndarray:
    """A round bright spot in the outer third of the annulus at the fissure's angle, ringed
    by dark annulus (it never reaches the nucleus or the disc's edge).
    """
    inner, outer = _annulus_at_tear(params)
    thickness = float(np.linalg.norm(outer - inner))
    outward = (outer - inner) / thickness
    centre = inner + HIZ_SHARE * (outer - inner)  # dark annulus between it and the nucleus
    radial = max(0.6, min(1.4, 0.22 * thickness))
    tangential = 2.4  # a little drawn out along the lamellae on axial images
    vertical = min(2.2, 0.3 * min(params.f("disc.height_anterior"), params.f("disc.height_posterior")))
    d = world[..., :2] - centre
    along = d @ outward
    across = d @ np.array([-outward[1], outward[0]])
    q = (along / radial) ** 2 + (across / tangential) ** 2 + (world[..., 2] / vertical) ** 2
    weight = np.exp(-q * q) * masks["ring"]  # the annulus and its tear, not the nucleus
    return image + (HIZ - image) * weight


def _close(mask: np.ndarray, steps: int) -> np.ndarray:
    """Morphological closing: gaps narrower than about ``2 * steps`` pixels filled."""
    return _erode(~_erode(~mask, steps), steps)


def _annulus_at_tear(params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Inner and outer edge (xy, mm) of the annulus at ``fissure.position``."""
    layout = DiscLayout(params)
    phi = np.radians([params.f("fissure.position")])
    return layout.inner_xy(phi)[0], layout.outer_xy(phi)[0]


def tear_point(params: Params) -> np.ndarray:
    """Where the tear's high-intensity zone sits (mm, mid-height of the disc): in the outer
    annulus at ``fissure.position``. A sagittal slice through it has ``offset = x``.
    """
    inner, outer = _annulus_at_tear(params)
    xy = inner + HIZ_SHARE * (outer - inner)
    return np.array([xy[0], xy[1], 0.0])


def _erode(mask: np.ndarray, steps: int) -> np.ndarray:
    """``mask`` shrunk by ``steps`` pixels (4-neighbourhood)."""
    out = mask.copy()
    for _ in range(max(steps, 0)):  # a step or two: each is one whole-array operation
        shrunk = out.copy()
        shrunk[1:] &= out[:-1]
        shrunk[:-1] &= out[1:]
        shrunk[:, 1:] &= out[:, :-1]
        shrunk[:, :-1] &= out[:, 1:]
        out = shrunk
    return out


def _blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur (separable, edges extended); numpy has none and scipy is not needed."""
    if sigma <= 0.05:
        return image
    radius = max(int(np.ceil(3 * sigma)), 1)
    x = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    kernel /= kernel.sum()
    out = image
    for axis in (0, 1):
        padded = np.pad(out, [(radius, radius) if a == axis else (0, 0) for a in (0, 1)], mode="edge")
        windows = np.lib.stride_tricks.sliding_window_view(padded, kernel.size, axis=axis)
        out = windows @ kernel
    return out


def _resample(image: np.ndarray, scale: float) -> np.ndarray:
    """Bilinear interpolation to ``scale`` times the pixels (pixel centres kept aligned)."""
    if abs(scale - 1.0) < 1e-9:
        return image
    height, width = image.shape
    rows = (np.arange(round(height * scale)) + 0.5) / scale - 0.5
    cols = (np.arange(round(width * scale)) + 0.5) / scale - 0.5
    r0 = np.clip(np.floor(rows).astype(int), 0, height - 1)
    c0 = np.clip(np.floor(cols).astype(int), 0, width - 1)
    r1, c1 = np.minimum(r0 + 1, height - 1), np.minimum(c0 + 1, width - 1)
    fr = np.clip(rows - r0, 0.0, 1.0)[:, None]
    fc = np.clip(cols - c0, 0.0, 1.0)[None, :]
    top = image[r0][:, c0] * (1 - fc) + image[r0][:, c1] * fc
    bottom = image[r1][:, c0] * (1 - fc) + image[r1][:, c1] * fc
    return top * (1 - fr) + bottom * fr
