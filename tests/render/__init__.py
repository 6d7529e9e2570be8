"""Render tests. Without a display, VTK draws offscreen through EGL: set here, before any
test module of the package imports VTK.
"""

import os

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
