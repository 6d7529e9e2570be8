"""One structure on screen: a mesh whose points move in place, cut open like a specimen.

Pipeline per structure, built once: source PolyData -> normals (smooth shading) -> mapper
-> actor. A frame only writes new points into the source; VTK re-executes the pipeline.
Cutaways clip on the GPU (mapper clipping planes) and draw the back faces seen through the
cut flat in the structure's own colour, so a cut reads as a solid face: every lamella a
band, the nucleus a gel-blue core. (Capping with vtkClipClosedSurface looked the same but
took 400 ms per frame on the 20 nested lamellae.) The ``quadrant`` cutaway keeps three
quarters, which no single set of planes can: a second mapper on the same normals draws
the lower half of the removed side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonDataModel import vtkPlane
from vtkmodules.vtkFiltersCore import vtkPolyDataNormals
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkProperty

from discviz.geometry.surface import Surface
from discviz.render.convert import faces_array
from discviz.render.materials import Material

FIBRE_PERIOD = 1.6  # mm between collagen bundles drawn (finer ones alias on a screen)
FAR = 200.0  # mm: a cut plane this far out removes nothing

# (normal, which coordinate) of the half-spaces each cutaway keeps, before sliding
CUTS: dict[str, tuple[tuple[tuple[float, float, float], ...], ...]] = {
    "axial": (((0.0, 0.0, -1.0),),),  # keep the lower half: look down on the disc's section
    "sagittal": (((-1.0, 0.0, 0.0),),),  # keep the patient's right half: look from the left
    "coronal": (((0.0, 1.0, 0.0),),),  # keep the posterior half: look from the front
    # keep all but the left upper quarter: the right half, plus the left lower quarter
    "quadrant": (((-1.0, 0.0, 0.0),), ((1.0, 0.0, 0.0), (0.0, 0.0, -1.0))),
}


def cut_offset(amount: float, reach: float) -> float:
    """Distance of the cut planes from the centre: ``reach`` (nothing cut) at 0, 0 at 1."""
    return (1.0 - min(max(amount, 0.0), 1.0)) * reach


ANCHOR_SAMPLES = 6000  # points of a structure searched for a label's anchor
SECTION_DEPTH = 1.0  # mm: points at least this close to a cut plane outline the section


def kept(points: np.ndarray, cutaway: str, amount: float, reach: float) -> np.ndarray:
    """Which points the cutaway keeps (for placing labels on what is visible)."""
    return cut_depth(points, cutaway, amount, reach) >= -1e-6


def cut_depth(points: np.ndarray, cutaway: str, amount: float, reach: float) -> np.ndarray:
    """How far (mm) each kept point lies inside the cut: small on the edge of the section."""
    offset = cut_offset(amount, reach)
    depth = np.full(len(points), -np.inf)
    for branch in CUTS.get(cutaway, ()):
        inside = np.min([points @ np.asarray(normal) + offset for normal in branch], axis=0)
        depth = np.maximum(depth, inside)  # within a branch: its nearest plane
    return np.where(np.isfinite(depth), depth, np.inf)


def _spread(points: np.ndarray, toward: np.ndarray, count: int) -> np.ndarray:
    """``count`` points evenly through ``points`` ordered from the camera side away."""
    if count <= 0 or len(points) == 0:
        return np.empty((0, 3))
    ordered = points[np.argsort(-(points @ toward))]
    return ordered[np.linspace(0, len(ordered) - 1, min(count, len(ordered))).astype(int)]


def onto_cut(point: np.ndarray, cutaway: str, amount: float, reach: float) -> np.ndarray:
    """``point`` moved onto the nearest plane of the cut that keeps it (onto the cut face)."""
    offset = cut_offset(amount, reach)
    best: tuple[float, np.ndarray] | None = None
    for branch in CUTS.get(cutaway, ()):
        depths = [(float(point @ np.asarray(n)) + offset, np.asarray(n)) for n in branch]
        if min(d for d, _ in depths) < -1e-6:
            continue  # this branch does not keep the point
        depth, normal = min(depths, key=lambda item: item[0])
        if best is None or depth < best[0]:
            best = (depth, normal)
    return point if best is None else point - best[0] * best[1]


def into_section(edge: np.ndarray, outline: np.ndarray) -> np.ndarray:
    """From a point on a section's outline, half way across the section toward its middle:
    the label then points at the cut face itself (the nucleus' gel, not its rim). The way
    stops at the next outline point met, so a ring (the annulus) keeps to its own band.
    """
    middle = outline.mean(axis=0)
    span = float(np.linalg.norm(middle - edge))
    if span < 1e-6:
        return edge
    way = (middle - edge) / span
    offsets = outline - edge
    along = offsets @ way
    beside = np.linalg.norm(offsets - along[:, None] * way, axis=1)
    ahead = along[(along > 0.3) & (beside < 0.3 * along)]  # straight on, not the outline's neighbours
    reach = min(span, float(ahead.min()) if len(ahead) else span)
    return edge + way * reach / 2


def fibre_texture(size: int = 64) -> pv.Texture:
    """Soft bright and dark bands: collagen bundles, tiled along the texture's s axis."""
    s = np.arange(size) / size
    band = 0.88 + 0.12 * (0.5 + 0.5 * np.cos(2 * np.pi * s)) ** 0.6
    image = np.repeat((band * 255).astype(np.uint8)[None, :, None], 4, axis=0).repeat(3, axis=2)
    texture = pv.Texture(image)
    texture.repeat = True
    texture.interpolate = True
    texture.mipmap = False
    return texture


def fibre_tcoords(fibre_uv: np.ndarray, angle_deg: float) -> np.ndarray:
    """Texture coordinates whose bands run at ``angle_deg`` to the axial plane in fibre_uv."""
    a = np.radians(angle_deg)
    s = (fibre_uv[:, 1] * np.cos(a) - fibre_uv[:, 0] * np.sin(a)) / FIBRE_PERIOD
    return np.stack([s, np.zeros_like(s)], axis=1)


@dataclass
class _Branch:
    planes: list[vtkPlane]
    mapper: vtkPolyDataMapper
    actor: pv.Actor


class StructureActor:
    """The actors of one structure; :meth:`update` moves points and sets the look."""

    def __init__(self, name: str, material: Material, plotter: pv.Plotter) -> None:
        self.name = name
        self.material = material
        self.source = pv.PolyData()
        self._topology: tuple[int, int, int] | None = None
        self.shown: object = None  # what the source holds now (the renderer's cache key)
        self._cut: tuple[str, float, float] | None = None
        self.normals = vtkPolyDataNormals()
        self.normals.SetInputData(self.source)
        self.normals.SetFeatureAngle(55.0)
        self.normals.SplittingOn()
        self.normals.ConsistencyOff()
        self.normals.AutoOrientNormalsOff()
        self.branches = [self._branch(plotter) for _ in range(2)]
        self.fibres = name == "annulus"
        if self.fibres:
            texture = fibre_texture()
            for branch in self.branches:
                branch.actor.texture = texture

    def _branch(self, plotter: pv.Plotter) -> _Branch:
        planes = [vtkPlane() for _ in range(2)]
        mapper = vtkPolyDataMapper()
        mapper.SetInputConnection(self.normals.GetOutputPort())
        mapper.SetScalarModeToUsePointFieldData()
        mapper.SelectColorArray("rgb")
        mapper.SetColorModeToDirectScalars()
        mapper.ScalarVisibilityOn()
        mapper.InterpolateScalarsBeforeMappingOff()
        actor = pv.Actor(mapper=mapper)
        actor.visibility = False
        inside = vtkProperty()  # what the cut reveals: flat, like a sliced specimen
        inside.SetAmbient(0.78)
        inside.SetDiffuse(0.22)
        inside.SetSpecular(0.0)
        actor.SetBackfaceProperty(inside)
        plotter.add_actor(actor, reset_camera=False, pickable=False, name=None)
        return _Branch(planes, mapper, actor)

    @property
    def actors(self) -> list[vtkActor]:
        """Both branch actors (the second only shows for the quadrant cutaway)."""
        return [b.actor for b in self.branches]

    # -- geometry ---------------------------------------------------------------------

    def set_surface(self, surface: Surface, colours: np.ndarray, fibre_angle: float) -> None:
        """Move the points (same topology) or take the new surface (topology changed)."""
        topology = (surface.n_points, len(surface.faces), int(surface.faces[:64].sum()))
        if topology != self._topology:
            fresh = pv.PolyData(surface.points.copy(), faces_array(surface.faces))
            self.source.copy_from(fresh, deep=True)
            self._topology = topology
        else:
            self.source.points[:] = surface.points  # in place: no new actors, no new arrays
        self.source.point_data["rgb"] = colours
        if self.fibres and "fibre_uv" in surface.point_data:
            self.source.active_texture_coordinates = fibre_tcoords(surface.point_data["fibre_uv"],
                                                                   fibre_angle)
        self.source.Modified()

    # -- cutaway ------------------------------------------------------------------------

    def set_cutaway(self, cutaway: str, amount: float, reach: float) -> None:
        """Set each mapper's clip planes (none for the full structure)."""
        if (cutaway, amount, reach) == self._cut:
            return
        self._cut = (cutaway, amount, reach)
        spec = CUTS.get(cutaway)
        offset = cut_offset(amount, reach)
        for index, branch in enumerate(self.branches):
            branch.mapper.RemoveAllClippingPlanes()
            normals = spec[index] if spec is not None and index < len(spec) else ()
            for plane, normal in zip(branch.planes, normals, strict=False):
                plane.SetNormal(*normal)
                plane.SetOrigin(*(-offset * np.asarray(normal)))
                branch.mapper.AddClippingPlane(plane)

    # -- look -----------------------------------------------------------------------------

    def set_look(self, visible: bool, opacity: float, glow: float, glow_colour: tuple[float, ...],
                 cutaway: str) -> None:
        """Visibility, opacity and highlight glow of both branches."""
        second = cutaway in CUTS and len(CUTS[cutaway]) > 1
        for index, branch in enumerate(self.branches):
            prop = branch.actor.prop
            show = bool(visible and (index == 0 or second))
            branch.actor.visibility = show
            if not show:
                continue
            prop.opacity = float(opacity)
            prop.specular = self.material.specular
            prop.specular_power = self.material.specular_power
            prop.diffuse = self.material.diffuse
            prop.ambient = self.material.ambient + 0.45 * glow
            prop.ambient_color = glow_colour if glow > 0 else (1.0, 1.0, 1.0)
            prop.interpolation = "phong"

    def anchors(self, toward: np.ndarray, cutaway: str, amount: float, reach: float,
                count: int = 24) -> np.ndarray | None:
        """Points to pin a label on, best first: on a cut, the section face; otherwise the kept
        point nearest the camera side among those close to the structure's middle. Then up to
        ``count - 1`` others spread over the structure, best-facing first: where to go when
        something hides the first.
        """
        points = np.asarray(self.source.points)
        if len(points) == 0:
            return None
        points = points[:: max(len(points) // ANCHOR_SAMPLES, 1)]  # a whole bone: a sample will do
        keep = kept(points, cutaway, amount, reach)
        points = points[keep]
        if len(points) == 0:
            return None
        if not keep.all():  # cut open: the section shows; an outer wall may be hidden behind
            depth = cut_depth(points, cutaway, amount, reach)
            # the band nearest the cut: wide enough to hold every layer's edge (mesh rows
            # need not lie on the plane)
            section = points[depth <= max(SECTION_DEPTH, float(np.quantile(depth, 0.15)))]
            if len(section) > 0:  # from the section's edge nearest the camera, onto the face
                edge = section[int(np.argmax(section @ toward))]
                best = onto_cut(into_section(edge, section), cutaway, amount, reach)
                return np.vstack([best, _spread(section, toward, count - 1), _spread(points, toward, count)])
        centre = np.median(points, axis=0)
        spread = np.linalg.norm(points - centre, axis=1)
        near = points[spread <= np.quantile(spread, 0.6)]
        best = near[int(np.argmax(near @ toward))]
        return np.vstack([best, _spread(near, toward, count - 1), _spread(points, toward, count)])

