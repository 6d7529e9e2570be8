"""Geometry: parameters -> closed triangle surfaces (numpy only)."""

from discviz.geometry.model import build_surfaces
from discviz.geometry.params import Params
from discviz.geometry.surface import Surface

__all__ = ["Params", "Surface", "build_surfaces"]
