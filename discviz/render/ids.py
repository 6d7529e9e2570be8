"""The structure-id picture: every pixel coloured by the structure drawn there.

One pass serves three needs: ``discviz render --ids`` (``NN-ID.ids.png``), the labels (each
leader ends on a pixel of its own structure as drawn) and picking in the viewer (what is
under the cursor).

What counts as "drawn there" follows what a person sees: a structure with an opacity of
:data:`SEE_THROUGH` or less is glass (ghosted vertebrae, a 60 % annulus) and owns a pixel
only where no solid structure shows through it. So the id picture is two flat renders of
the same frame: the solid structures, then the glass ones where the first left background.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkFloatArray, vtkUnsignedCharArray
from vtkmodules.vtkRenderingCore import vtkRenderer, vtkRenderWindow

from discviz.geometry.structures import STRUCTURES

SEE_THROUGH = 0.6  # opacity at or under which a structure is glass in the id picture

# Kelly's colours of maximum contrast (1965), easy to tell apart by eye in the id picture.
_KELLY = (
    "#f3c300", "#875692", "#f38400", "#a1caf1", "#be0032", "#c2b280", "#848482", "#008856",
    "#e68fac", "#0067a5", "#f99379", "#604e97", "#f6a600", "#b3446c", "#dcd300", "#882d17",
    "#8db600", "#654522", "#e25822", "#2b3d26", "#f2f3f4", "#5a5a5a", "#7fffd4", "#ff00ff",
)


def _hex(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return (r, g, b)


def id_colour(name: str) -> tuple[int, int, int]:
    """The fixed colour (0-255) of a structure in the id picture."""
    index = STRUCTURES.index(name) if name in STRUCTURES else len(STRUCTURES) + (sum(map(ord, name)) % 97)
    if index < len(_KELLY):
        return _hex(_KELLY[index])
    rng = np.random.default_rng(index)  # beyond the list: fixed pseudo-random colours
    r, g, b = (int(v) for v in rng.integers(40, 216, 3))
    return (r, g, b)


def id_of(name: str) -> int:
    """A structure's number in an id map (0 is background)."""
    return STRUCTURES.index(name) + 1 if name in STRUCTURES else 0


def name_of(number: int) -> str | None:
    """The structure of an id-map number (None for background)."""
    return STRUCTURES[number - 1] if 0 < number <= len(STRUCTURES) else None


@dataclass
class IdMap:
    """Structure numbers and depth of one viewport, at ``scale`` of its size on screen.

    ``ids`` (h, w) uint8 rows from the top; ``depth`` (h, w) float in 0..1 (1 = nothing);
    ``origin`` the viewport's lower-left display pixel; ``scale`` pixels of the map per
    display pixel; ``behind_glass`` where a solid structure shows only through glass (a
    facet behind a ghosted vertebra), so a label can prefer the part seen directly.
    """

    ids: np.ndarray
    depth: np.ndarray
    origin: tuple[int, int]
    scale: float
    #: (h, w) bool: solid pixels seen through a glass structure in front of them (None: no glass)
    behind_glass: np.ndarray | None = None

    def at(self, x: float, y: float) -> int:
        """The structure number at display pixel (x, y) (origin bottom-left), 0 outside."""
        column = int((x - self.origin[0]) * self.scale)
        row = self.ids.shape[0] - 1 - int((y - self.origin[1]) * self.scale)
        if 0 <= row < self.ids.shape[0] and 0 <= column < self.ids.shape[1]:
            return int(self.ids[row, column])
        return 0

    def colour_picture(self) -> np.ndarray:
        """(h, w, 3) uint8: each structure in its id colour, black background."""
        table = np.zeros((256, 3), np.uint8)
        for name in STRUCTURES:
            table[id_of(name)] = id_colour(name)
        return table[self.ids]


def _read_keys(window: vtkRenderWindow, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    """(h, w) colour keys (:func:`colour_key`) of a window region, rows from the top."""
    data = vtkUnsignedCharArray()
    window.GetRGBACharPixelData(x0, y0, x1, y1, 0, data)
    rgba = vtk_to_numpy(data).view("<u4")  # r, g, b, a bytes: r + g << 8 + b << 16 + a << 24
    return (rgba & 0xFFFFFF).reshape(y1 - y0 + 1, x1 - x0 + 1)[::-1]


def _read_depth(window: vtkRenderWindow, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    values = vtkFloatArray()
    window.GetZbufferData(x0, y0, x1, y1, values)
    return vtk_to_numpy(values).reshape(y1 - y0 + 1, x1 - x0 + 1)[::-1]


def colour_key(rgb: tuple[int, int, int]) -> int:
    """One number for an 8-bit colour: r + g << 8 + b << 16."""
    return rgb[0] | rgb[1] << 8 | rgb[2] << 16


MIXED = 255  # in the lookup table: no structure has exactly this colour


@lru_cache(maxsize=1)
def _numbers_by_key() -> np.ndarray:
    """Every colour key -> the structure number of that id colour (16 MB, made once)."""
    table = np.full(1 << 24, MIXED, np.uint8)
    table[0] = 0
    for name in STRUCTURES:
        table[colour_key(id_colour(name))] = id_of(name)
    table.setflags(write=False)
    return table


def decode(keys: np.ndarray, names: Iterable[str], tolerance: int = 40) -> np.ndarray:
    """(h, w) colour keys -> (h, w) structure numbers of ``names``; a pixel mixed at an edge
    (no colour within ``tolerance``) is background. Exact colours are looked up at once; only
    the few other pixels (multisampled edges) are matched to the nearest colour.
    """
    names = list(names)
    if not names:
        return np.zeros(keys.shape, np.uint8)
    numbers = np.array([id_of(n) for n in names], np.uint8)
    known = np.zeros(256, bool)
    known[0] = True
    known[numbers[numbers > 0]] = True  # another structure's exact colour is not one of these
    out = _numbers_by_key()[keys]
    flat = out.reshape(-1)
    mixed = np.nonzero(~known[flat])[0]
    if len(mixed):
        key = keys.reshape(-1)[mixed].astype(np.int32)
        rgb = np.stack([key & 255, (key >> 8) & 255, key >> 16], axis=1)
        colours = np.array([id_colour(n) for n in names], dtype=np.int32)
        distance = np.abs(rgb[:, None, :] - colours[None, :, :]).max(axis=2)
        nearest = distance.argmin(axis=1)
        close = distance[np.arange(len(mixed)), nearest] <= tolerance
        flat[mixed] = np.where(close, numbers[nearest], 0)
    return out


def render_ids(window: vtkRenderWindow, renderer: vtkRenderer,
               structures: Sequence[tuple[str, object, float]], hide: Sequence[vtkRenderer] = (),
               scale: float = 1.0) -> IdMap:
    """Render the id picture of ``renderer``'s viewport at ``scale`` of its size and put the
    normal look back. ``hide``: other renderers (the text overlay) left out of the pass.
    Nothing reaches the screen: buffers are not swapped.
    """
    width, height = window.GetSize()
    vx0, vy0, vx1, vy1 = renderer.GetViewport()
    x0, y0 = round(vx0 * width), round(vy0 * height)
    full_w, full_h = round(vx1 * width) - x0, round(vy1 * height) - y0
    w, h = max(int(full_w * scale), 1), max(int(full_h * scale), 1)
    small = (vx0, vy0, vx0 + (vx1 - vx0) * w / max(full_w, 1), vy0 + (vy1 - vy0) * h / max(full_h, 1))

    fxaa = renderer.GetUseFXAA()  # would blend the id colours at every edge
    gradient = renderer.GetGradientBackground()
    background = renderer.GetBackground()
    swap = window.GetSwapBuffers()
    drawn = [(r, r.GetDraw()) for r in hide]
    others = [(r, r.GetDraw()) for r in renderers_of(window) if r is not renderer and r not in hide]
    props = []
    for prop in _props(renderer):
        props.append((prop, prop.GetVisibility()))
    names = [name for name, _, _ in structures]
    try:
        window.SetSwapBuffers(0)
        for r, _ in drawn + others:
            r.DrawOff()
        renderer.GradientBackgroundOff()
        renderer.SetUseFXAA(False)
        renderer.SetBackground(0.0, 0.0, 0.0)
        renderer.SetViewport(*small)
        own = {id(a) for _, actor, _ in structures for a in actor.props}  # type: ignore[attr-defined]
        for prop, _ in props:
            if id(prop) not in own:
                prop.SetVisibility(False)  # 2D text, lights' helpers: none of them are structures
        for name, actor, _ in structures:
            actor.paint_id(tuple(c / 255 for c in id_colour(name)))  # type: ignore[attr-defined]
        was = {id(prop): visible for prop, visible in props}
        passes = []
        any_glass = any(opacity <= SEE_THROUGH for _, _, opacity in structures)
        for glass in (False, True) if any_glass else (False,):
            for _, actor, opacity in structures:
                for branch_actor in actor.actors:  # type: ignore[attr-defined]
                    branch_actor.SetVisibility(was[id(branch_actor)] and (opacity <= SEE_THROUGH) == glass)
            window.Render()
            keys = _read_keys(window, x0, y0, x0 + w - 1, y0 + h - 1)
            depth = _read_depth(window, x0, y0, x0 + w - 1, y0 + h - 1)
            passes.append((decode(keys, names), depth))
    finally:
        for _, actor, _ in structures:
            actor.paint_id(None)  # type: ignore[attr-defined]
        for prop, visible in props:
            prop.SetVisibility(visible)
        renderer.SetViewport(vx0, vy0, vx1, vy1)
        renderer.SetBackground(*background)
        renderer.SetGradientBackground(gradient)
        renderer.SetUseFXAA(fxaa)
        for r, draw in drawn + others:
            r.SetDraw(draw)
        window.SetSwapBuffers(swap)
    solid, solid_depth = passes[0]
    if len(passes) == 1:
        return IdMap(solid, solid_depth, (x0, y0), w / max(full_w, 1))
    glass_ids, glass_depth = passes[1]
    ids = np.where(solid > 0, solid, glass_ids)
    depth = np.where(solid > 0, solid_depth, glass_depth)
    behind = (solid > 0) & (glass_ids > 0) & (glass_depth < solid_depth)
    return IdMap(ids, depth, (x0, y0), w / max(full_w, 1), behind)


def renderers_of(window: vtkRenderWindow) -> list[vtkRenderer]:
    """Every renderer of ``window``, in drawing order."""
    collection = window.GetRenderers()
    collection.InitTraversal()
    return [collection.GetNextItem() for _ in range(collection.GetNumberOfItems())]


def _props(renderer: vtkRenderer) -> list:
    collection = renderer.GetViewProps()
    collection.InitTraversal()
    return [collection.GetNextProp() for _ in range(collection.GetNumberOfItems())]
