"""The render layer (PyVista/VTK). Importing any part of it keeps VTK quiet (see quiet.py)."""

from discviz.render.quiet import silence_vtk

silence_vtk()
