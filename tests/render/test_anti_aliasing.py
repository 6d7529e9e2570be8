"""Which OpenGL draws on the CPU (there the viewer smooths edges with FXAA, not multisampling)."""

from __future__ import annotations

import pytest

from discviz.render.renderer import software_opengl

MESA = ("OpenGL vendor string:  Mesa/X.org\nOpenGL renderer string:  {name}\n"
        "OpenGL version string:  4.5 (Core Profile) Mesa 22.3.6\nOpenGL extensions:  \n  GL_ARB_llvmpipe_x\n")


@pytest.mark.parametrize("name", ["llvmpipe (LLVM 15.0.6, 256 bits)", "softpipe", "Software Rasterizer",
                                  "GDI Generic", "Microsoft Basic Render Driver",
                                  "SwiftShader Device (Subzero)"])
def test_software_renderers_are_recognised(name: str) -> None:
    assert software_opengl(MESA.format(name=name))


@pytest.mark.parametrize("name", ["NVIDIA GeForce RTX 3060/PCIe/SSE2",
                                  "AMD Radeon RX 6600 (radeonsi, navi23)",
                                  "Mesa Intel(R) UHD Graphics 620 (KBL GT2)", "Apple M1"])
def test_graphics_cards_are_not(name: str) -> None:
    assert not software_opengl(MESA.format(name=name))  # an extension's name is no renderer


def test_no_renderer_line_is_no_software_renderer() -> None:
    assert not software_opengl("")
    assert not software_opengl("display id not set")
