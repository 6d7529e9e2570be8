"""Where it hurts: a calm body silhouette, front and back, with the painful area in red.

``low-back`` marks axial low back pain (a painful disc: discogenic pain stays in the back).
A root's name and side mark its dermatome down one leg, where a compressed root is felt
(Lee, McPhee & Stringer 2008, Clin Anat 21:363): L4 the front of the knee, the medial shin
and the medial malleolus; L5 the lateral shin, the top of the foot and the big toe; S1 the
back of the calf, the heel and the lateral foot.

Drawn with Pillow (supersampled, then filtered down) as an RGBA picture the overlay shows
beside the model. Coordinates of the figure: height 1 from the top of the head to the
soles, x from the midline (the figure's own left is +x in the back view, -x in the front
view, as a person facing you has their left on your right).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SUPERSAMPLE = 3
ASPECT = 0.86 * (2 * 0.42 + 0.08) + 2 * 0.07  # width / height of the picture
BODY = (206, 214, 224, 255)  # calm grey-blue skin tone of an anatomy chart
OUTLINE = (120, 132, 148, 255)
PAIN = (214, 52, 44)
PLATE = (10, 14, 20, 150)

# Right half of the figure (x >= 0), from the top of the head around the arm and down the
# outside of the leg, then up its inside to the crotch. Proportions of an 8-head figure.
_HALF = np.array([
    (0.000, 0.000), (0.034, 0.008), (0.055, 0.040), (0.057, 0.072), (0.050, 0.104),
    (0.036, 0.125), (0.030, 0.140), (0.040, 0.155), (0.090, 0.168), (0.125, 0.182),
    (0.142, 0.205), (0.150, 0.250), (0.156, 0.300), (0.163, 0.360), (0.170, 0.420),
    (0.178, 0.480), (0.186, 0.520), (0.190, 0.548), (0.180, 0.575), (0.166, 0.580),
    (0.156, 0.560), (0.156, 0.525), (0.150, 0.480), (0.140, 0.420), (0.130, 0.360),
    (0.122, 0.300), (0.112, 0.250), (0.100, 0.240), (0.096, 0.290), (0.088, 0.350),
    (0.090, 0.400), (0.104, 0.450), (0.110, 0.500), (0.104, 0.560), (0.094, 0.640),
    (0.082, 0.720), (0.083, 0.760), (0.082, 0.820), (0.070, 0.890), (0.060, 0.940),
    (0.066, 0.968), (0.070, 0.990), (0.052, 1.000), (0.026, 0.998), (0.020, 0.975),
    (0.024, 0.940), (0.022, 0.890), (0.020, 0.820), (0.022, 0.760), (0.020, 0.720),
    (0.016, 0.640), (0.010, 0.560), (0.000, 0.520),
])


def _smooth(points: np.ndarray, per: int = 6) -> np.ndarray:
    """A closed Catmull-Rom curve through ``points``."""
    p = np.asarray(points, float)
    n = len(p)
    t = np.linspace(0, 1, per, endpoint=False)[:, None]
    out = []
    for i in range(n):
        p0, p1, p2, p3 = p[i - 1], p[i], p[(i + 1) % n], p[(i + 2) % n]
        out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    return np.concatenate(out)


def outline() -> np.ndarray:
    """The closed silhouette (n, 2), symmetric, in figure coordinates."""
    right = _HALF
    left = _HALF[::-1][1:-1] * np.array([-1.0, 1.0])
    return _smooth(np.concatenate([right, left]))


def _leg_edges(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inner and outer |x| of a leg at heights ``y`` (0.56..1)."""
    outer_pts = _HALF[33:42]  # hip down to the outer foot
    inner_pts = _HALF[42:52][::-1]  # crotch down to the inner foot
    outer = np.interp(y, outer_pts[:, 1], outer_pts[:, 0])
    inner = np.interp(y, inner_pts[:, 1], inner_pts[:, 0])
    return inner, outer


def _strip(y0: float, y1: float, across0: float, across1: float, side: float) -> np.ndarray:
    """A region of one leg between heights y0..y1 and shares across0..across1 of its width
    (0 medial, 1 lateral), on the side ``side`` (+1 or -1 in picture x).
    """
    y = np.linspace(y0, y1, 16)
    inner, outer = _leg_edges(y)
    a = inner + (outer - inner) * across0
    b = inner + (outer - inner) * across1
    return np.concatenate([np.stack([a * side, y], 1), np.stack([b[::-1] * side, y[::-1]], 1)])


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], 1)


def regions(pain: str, view: str) -> list[np.ndarray]:
    """Polygons (figure coordinates) of the painful area in the ``front`` or ``back`` view."""
    if pain == "low-back":
        return [_ellipse(0.0, 0.405, 0.07, 0.05)] if view == "back" else []
    root, _, limb = pain.partition("-")
    # the figure's left leg is on your right when it faces you, on your left from behind
    side = (1.0 if limb == "left" else -1.0) * (1.0 if view == "front" else -1.0)
    shapes: list[np.ndarray] = []
    if root == "L4":
        if view == "front":
            shapes += [_ellipse(side * 0.052, 0.712, 0.026, 0.03), _strip(0.73, 0.94, 0.0, 0.45, side)]
        else:
            shapes += [_strip(0.76, 0.93, 0.0, 0.22, side)]
    elif root == "L5":
        if view == "front":
            shapes += [_strip(0.74, 0.935, 0.5, 1.0, side), _strip(0.935, 0.995, 0.0, 0.75, side)]
        else:
            shapes += [_strip(0.76, 0.93, 0.8, 1.0, side)]
    elif root == "S1":
        if view == "back":
            shapes += [_strip(0.74, 0.92, 0.15, 0.85, side), _strip(0.92, 0.995, 0.2, 0.8, side)]
        else:
            shapes += [_strip(0.95, 0.995, 0.75, 1.0, side)]
    return shapes


@lru_cache(maxsize=16)
def pain_map(pain: str, height: int) -> np.ndarray:
    """(h, w, 4) uint8: the front and back figures side by side on a soft dark plate, the
    painful area in red. ``height`` in pixels.
    """
    height = max(int(height), 48)
    ss = SUPERSAMPLE
    fig_h = height * 0.86 * ss
    fig_w = fig_h * 0.42
    gap = fig_h * 0.08
    pad = height * 0.07 * ss
    width_px = round(2 * fig_w + gap + 2 * pad)
    height_px = round(height * ss)
    image = Image.new("RGBA", (width_px, height_px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, width_px - 1, height_px - 1), radius=int(height * 0.08 * ss), fill=PLATE)
    shape = outline()
    for index, view in enumerate(("front", "back")):
        cx = pad + fig_w / 2 + index * (fig_w + gap)
        top = (height_px - fig_h) / 2

        def to_px(points: np.ndarray, cx: float = cx, top: float = top) -> list[tuple[float, float]]:
            return [(cx + x * fig_h, top + y * fig_h) for x, y in points]

        body = Image.new("L", image.size, 0)
        ImageDraw.Draw(body).polygon(to_px(shape), fill=255)
        fill = Image.new("RGBA", image.size, BODY)
        image.paste(fill, (0, 0), body)
        hurt = Image.new("L", image.size, 0)
        hurt_draw = ImageDraw.Draw(hurt)
        for polygon in regions(pain, view):
            hurt_draw.polygon(to_px(polygon), fill=255)
        hurt = hurt.filter(ImageFilter.GaussianBlur(fig_h * 0.008))
        alpha = (np.asarray(hurt, float) * np.asarray(body, float) / 255 * 0.9).astype(np.uint8)
        red = Image.new("RGBA", image.size, (*PAIN, 255))
        image.paste(red, (0, 0), Image.fromarray(alpha))
        draw.line([*to_px(shape), to_px(shape)[0]], fill=OUTLINE, width=max(int(ss * height / 220), 1),
                  joint="curve")
        if view == "back":  # the spine: where the back is, at a glance
            draw.line(to_px(np.array([[0.0, 0.17], [0.0, 0.47]])), fill=(*OUTLINE[:3], 150),
                      width=max(int(ss * height / 300), 1))
    small = image.resize((width_px // ss, height), Image.Resampling.LANCZOS)
    return np.asarray(small, np.uint8).copy()
