"""One structure on screen: a mesh whose points move in place, cut open like a specimen.

Pipeline per structure, built once: source PolyData -> normals (smooth shading) -> mapper
-> actor. A frame only writes new points into the source; VTK re-executes the pipeline.
Cutaways clip on the GPU (mapper clipping planes) and draw the back faces seen through the
cut flat in the structure's own colour, so a cut reads as a solid face: every lamella a
band, the nucleus a gel-blue core. (Capping with vtkClipClosedSurface looked the same but
took 400 ms per frame on the 20 nested lamellae.) The mapper only gets the triangles the
cut keeps some of: VTK clips in the fragment shader, so software GL rasterised and shaded
the removed half of every nested lamella only to discard it. The ``quadrant`` cutaway
keeps three quarters, which no single set of planes can: a second mapper on the same
normals draws the lower half of the removed side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyvista as pv
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkInformation
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPlane, vtkPolyData
from vtkmodules.vtkFiltersCore import vtkPolyDataNormals
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkProperty, vtkRenderer
from vtkmodules.vtkRenderingOpenGL2 import vtkOpenGLActor

from discviz.geometry.surface import Surface
from discviz.render.convert import faces_array
from discviz.render.materials import Material, glow_colour, glow_strength

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


CUT_FACE_LIGHT = 0.9  # a cut face is evenly lit, as bright as the lit outside (no dark section)
FIBRE_CONTRAST = 0.12  # the dark share of a collagen band

# The collagen bands, shaded in the fragment shader from one number per point (the position
# across the bands, in band periods). The band's contrast fades out where a band is narrower
# than about a pixel and a half (fwidth): filtered at every distance, so no moire, and it
# costs a few operations a pixel where a mipmapped texture cost a third of the frame in
# software GL.
_FIBRE_VERTEX_DEC = "//VTK::Normal::Dec\nin float fibre;\nout float fibreVSOut;"
_FIBRE_VERTEX_IMPL = "//VTK::Normal::Impl\nfibreVSOut = fibre;"
_FIBRE_FRAGMENT_DEC = "//VTK::Normal::Dec\nin float fibreVSOut;"
_FIBRE_FRAGMENT_IMPL = """//VTK::Color::Impl
{
  float across = fwidth(fibreVSOut);
  float band = pow(0.5 + 0.5 * cos(6.2831853 * fibreVSOut), 0.6);
  float shade = 1.0 - fibreContrast * clamp(1.0 - 1.6 * across, 0.0, 1.0) * (1.0 - band);
  ambientColor *= shade;
  diffuseColor *= shade;
}"""


def shade_fibres(actor: vtkActor, mapper: vtkPolyDataMapper) -> None:
    """Give ``actor`` the filtered collagen bands of the point array ``fibre``."""
    mapper.MapDataArrayToVertexAttribute("fibre", "fibre", 0, -1)  # 0: point data
    shaders = actor.GetShaderProperty()
    shaders.AddVertexShaderReplacement("//VTK::Normal::Dec", True, _FIBRE_VERTEX_DEC, False)
    shaders.AddVertexShaderReplacement("//VTK::Normal::Impl", True, _FIBRE_VERTEX_IMPL, False)
    shaders.AddFragmentShaderReplacement("//VTK::Normal::Dec", True, _FIBRE_FRAGMENT_DEC, False)
    shaders.AddFragmentShaderReplacement("//VTK::Color::Impl", True, _FIBRE_FRAGMENT_IMPL, False)
    shaders.GetFragmentCustomUniforms().SetUniformf("fibreContrast", FIBRE_CONTRAST)


def set_fibre_contrast(actor: vtkActor, contrast: float) -> None:
    """The bands' contrast (0 for the flat id picture)."""
    actor.GetShaderProperty().GetFragmentCustomUniforms().SetUniformf("fibreContrast", contrast)


def fibre_across(fibre_uv: np.ndarray, angle_deg: float) -> np.ndarray:
    """Position across the collagen bands (in band periods) of bands that run at
    ``angle_deg`` to the axial plane in ``fibre_uv``.
    """
    a = np.radians(angle_deg)
    return ((fibre_uv[:, 1] * np.cos(a) - fibre_uv[:, 0] * np.sin(a)) / FIBRE_PERIOD).astype(np.float32)


@dataclass
class _Branch:
    planes: list[vtkPlane]
    mapper: vtkPolyDataMapper
    actor: pv.Actor
    glass: pv.Actor  # depth-only twin drawn just before ``actor`` while it is translucent
    kept: vtkPolyData  # the mapper's input while cut: the triangles the planes keep some of
    cut: tuple[tuple[tuple[float, float, float], float], ...] = ()  # (normal, offset) it keeps


CULL_MARGIN = 1e-3  # mm: a triangle goes only when every corner lies this far past a plane


def kept_triangles(points: np.ndarray, triangles: np.ndarray,
                   cut: tuple[tuple[tuple[float, float, float], float], ...]) -> np.ndarray:
    """Which triangles keep some of their area on the kept side of every plane (``normal .
    x + offset >= 0``). The others the GPU would discard pixel by pixel: leaving them out
    draws the same picture.
    """
    keep = np.ones(len(triangles), bool)
    for normal, offset in cut:
        side = points @ np.asarray(normal, np.float64) + offset >= -CULL_MARGIN
        keep &= side[triangles].any(axis=1)
    return keep


GLASS_BELOW = 0.99  # opacity under which a structure is drawn as one pane of glass


def _depth_only(actor: vtkActor) -> None:
    """Let a fully transparent twin write depth: the translucent actor drawn after it then
    shows only its nearest surface (one pane of glass), never the stack of nested lamellae
    that beat into comb-like streaks when blended in arbitrary order.
    """
    keys = vtkInformation()
    keys.Set(vtkOpenGLActor.GLDepthMaskOverride(), 1)
    actor.SetPropertyKeys(keys)
    actor.GetProperty().SetOpacity(0.0)
    actor.GetProperty().LightingOff()
    back = vtkProperty()
    back.SetOpacity(0.0)
    back.LightingOff()
    actor.SetBackfaceProperty(back)


class StructureActor:
    """The actors of one structure; :meth:`set_surface` moves points, :meth:`set_look` sets the look."""

    def __init__(self, name: str, material: Material, plotter: pv.Plotter,
                 renderer: vtkRenderer | None = None) -> None:
        self.name = name
        self.material = material
        self.source = pv.PolyData()
        self._topology: tuple[int, int, int] | None = None
        self.shown: object = None  # what the source holds now (the renderer's cache key)
        self._cut: tuple[str, float, float] | None = None
        self._kept_key: tuple | None = None
        self.normals = vtkPolyDataNormals()
        self.normals.SetInputData(self.source)
        self.normals.SetFeatureAngle(55.0)
        self.normals.SplittingOn()
        self.normals.ConsistencyOff()
        self.normals.AutoOrientNormalsOff()
        self.renderer = renderer if renderer is not None else plotter.renderer
        self.branches = [self._branch() for _ in range(2)]
        self.fibres = name == "annulus"
        if self.fibres:
            for branch in self.branches:
                shade_fibres(branch.actor, branch.mapper)
        self._look: tuple | None = None
        self.painting_id = False

    def _branch(self) -> _Branch:
        planes = [vtkPlane() for _ in range(2)]
        mapper = vtkPolyDataMapper()
        mapper.SetInputConnection(self.normals.GetOutputPort())
        mapper.SetScalarModeToUsePointFieldData()
        mapper.SelectColorArray("rgb")
        mapper.SetColorModeToDirectScalars()
        mapper.ScalarVisibilityOn()
        mapper.InterpolateScalarsBeforeMappingOff()
        glass = pv.Actor(mapper=mapper)
        glass.visibility = False
        glass.SetPickable(False)
        _depth_only(glass)
        actor = pv.Actor(mapper=mapper)
        actor.visibility = False
        actor.SetPickable(False)
        inside = vtkProperty()  # what the cut reveals: flat, like a sliced specimen
        inside.SetAmbient(CUT_FACE_LIGHT)
        inside.SetDiffuse(0.12)
        inside.SetSpecular(0.0)
        actor.SetBackfaceProperty(inside)
        self.renderer.AddActor(glass)  # the twin first: it must write depth before the glass
        self.renderer.AddActor(actor)
        return _Branch(planes, mapper, actor, glass, vtkPolyData())

    @property
    def actors(self) -> list[vtkActor]:
        """Both branch actors (the second only shows for the quadrant cutaway)."""
        return [b.actor for b in self.branches]

    @property
    def props(self) -> list[vtkActor]:
        """Every actor, glass twins first (in drawing order)."""
        return [a for b in self.branches for a in (b.glass, b.actor)]

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
            self.source.point_data["fibre"] = fibre_across(surface.point_data["fibre_uv"], fibre_angle)
        elif self.fibres:
            self.source.point_data["fibre"] = np.zeros(surface.n_points, np.float32)
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
            branch.cut = tuple((normal, offset) for normal in normals)
        self._kept_key = None

    def prepare(self) -> None:
        """Before a render: each cut branch's mapper draws only the triangles its planes keep
        some of (recounted when the points or the cut changed).
        """
        self.normals.Update()
        full = self.normals.GetOutput()
        key = (full.GetMTime(), self._cut)
        if key == self._kept_key:
            return
        self._kept_key = key
        polys = full.GetPolys()
        triangles = vtk_to_numpy(polys.GetConnectivityArray())
        all_triangles = polys.IsHomogeneous() == 3
        for branch in self.branches:
            if not branch.cut or not all_triangles:
                if branch.mapper.GetInputAlgorithm() is not self.normals:
                    branch.mapper.SetInputConnection(self.normals.GetOutputPort())
                continue
            points = vtk_to_numpy(full.GetPoints().GetData())
            corners = triangles.reshape(-1, 3)  # the normals filter keeps triangles triangles
            kept = corners[kept_triangles(points, corners, branch.cut)]
            offsets = np.arange(0, 3 * len(kept) + 1, 3, dtype=triangles.dtype)
            cells = vtkCellArray()
            cells.SetData(numpy_to_vtk(offsets, deep=True), numpy_to_vtk(kept.ravel(), deep=True))
            branch.kept.SetPoints(full.GetPoints())
            branch.kept.GetPointData().ShallowCopy(full.GetPointData())
            branch.kept.SetPolys(cells)
            if branch.mapper.GetInputAlgorithm() is self.normals:
                branch.mapper.SetInputData(branch.kept)

    # -- look -----------------------------------------------------------------------------

    @property
    def visible(self) -> bool:
        """True when the structure is drawn now."""
        return bool(self.branches[0].actor.GetVisibility())

    @property
    def opacity(self) -> float:
        """The opacity it is drawn with (0 when hidden)."""
        return float(self.branches[0].actor.prop.opacity) if self.visible else 0.0

    def set_look(self, visible: bool, opacity: float, glow: float, cutaway: str) -> None:
        """Visibility, opacity and highlight of both branches. A highlight lights the structure
        in its own hue (its colour never changes from step to step); a translucent structure
        is one pane of glass (a depth-only twin drawn first).
        """
        self._look = (visible, opacity, glow, cutaway)
        if self.painting_id:
            return
        second = cutaway in CUTS and len(CUTS[cutaway]) > 1
        glow_light = glow_colour(self.material.color)
        lift = glow * glow_strength(self.material.color)
        for index, branch in enumerate(self.branches):
            prop = branch.actor.prop
            show = bool(visible and (index == 0 or second))
            branch.actor.visibility = show
            branch.glass.visibility = show and opacity < GLASS_BELOW
            if not show:
                continue
            prop.opacity = float(opacity)
            prop.specular = self.material.specular
            prop.specular_power = self.material.specular_power
            prop.diffuse = self.material.diffuse
            prop.ambient = self.material.ambient + lift
            prop.ambient_color = glow_light if glow > 0 else (1.0, 1.0, 1.0)
            prop.interpolation = "phong"
            inside = branch.actor.GetBackfaceProperty()
            inside.SetOpacity(float(opacity))
            inside.SetDiffuse(0.12)
            inside.SetSpecular(0.0)
            inside.SetAmbient(CUT_FACE_LIGHT + 0.5 * lift)
            inside.SetAmbientColor(*(glow_light if glow > 0 else (1.0, 1.0, 1.0)))

    def restore_look(self) -> None:
        """Put back the look last set (after something hid the actors for a moment)."""
        if self._look is not None:
            self.set_look(*self._look)

    def paint_id(self, colour: tuple[float, float, float] | None) -> None:
        """Draw flat in ``colour`` (the id picture), or back to the real look with None."""
        if colour is None:
            if not self.painting_id:
                return
            self.painting_id = False
            for branch in self.branches:
                branch.mapper.ScalarVisibilityOn()
                branch.actor.prop.LightingOn()
                branch.actor.GetBackfaceProperty().LightingOn()
                if self.fibres:
                    set_fibre_contrast(branch.actor, FIBRE_CONTRAST)
            if self._look is not None:
                self.set_look(*self._look)
            return
        self.painting_id = True
        for branch in self.branches:
            branch.glass.visibility = False
            branch.mapper.ScalarVisibilityOff()
            for prop in (branch.actor.prop, branch.actor.GetBackfaceProperty()):
                prop.SetColor(*colour)  # unlit: ambient x colour + diffuse x colour, exactly
                prop.SetAmbientColor(*colour)
                prop.SetAmbient(1.0)
                prop.SetDiffuse(0.0)
                prop.SetSpecular(0.0)
                prop.SetOpacity(1.0)
                prop.LightingOff()
            if self.fibres:
                set_fibre_contrast(branch.actor, 0.0)
