"""VTK's own messages never reach the person at the terminal: a colour-coded "bad X server
connection" on every export without a display, or a screen of writer errors for a folder
that cannot be written, says nothing they can act on. discviz checks what it asked VTK to
do and says what went wrong in its own words. ``DISCVIZ_DEBUG=1`` lets VTK speak again.
"""

from __future__ import annotations

import os

from vtkmodules.vtkCommonCore import vtkLogger, vtkObject


def silence_vtk() -> None:
    """Turn off VTK's warning and error display and its logger's output to stderr."""
    if os.environ.get("DISCVIZ_DEBUG"):
        return
    vtkObject.GlobalWarningDisplayOff()
    vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_OFF)
