"""Starting the viewer: the command line, remembered settings, and no OpenGL."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from discviz.app import glcheck, launch
from discviz.app.window import ViewerWindow
from discviz.cli import main

pytestmark = pytest.mark.gui


def close_when_shown(seen: list[ViewerWindow], then=None) -> None:
    """Close the viewer once its first frame is on screen (run_viewer blocks until then)."""

    def look() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, ViewerWindow) and w.isVisible()]
        if windows and windows[0]._frames_painted > 0:
            seen.append(windows[0])
            if then is not None:
                then(windows[0])
            windows[0].close()
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)


def test_run_viewer_opens_the_step_and_remembers(qapp, settings) -> None:
    seen: list[ViewerWindow] = []
    full: list[bool] = []

    def then(window: ViewerWindow) -> None:
        full.append(window.isFullScreen())
        window.set_language("zh")

    close_when_shown(seen, then)
    code = launch.run_viewer("discogenic-pain", step="crack-opens", fullscreen=True, settings=settings)
    assert code == 0 and full == [True]
    assert seen[0].playback.index == 2
    assert settings.last_scene == "discogenic-pain" and settings.recent == ["discogenic-pain"]
    assert settings.language == "zh" and settings.audience == "patient"
    assert settings.window_state is not None
    seen.clear()
    close_when_shown(seen)
    assert launch.run_viewer(None, settings=settings) == 0  # remembered language, built-in scene
    assert seen[0].language == "zh" and seen[0].scene_ref == "discogenic-pain"
    assert seen[0].settings.geometry is not None


def test_no_opengl_gives_a_plain_dialog(qapp, settings, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(launch, "opengl_problem", lambda: "The graphics driver did not start.")
    monkeypatch.setattr(launch, "show_opengl_dialog", shown.append)
    assert launch.run_viewer("discogenic-pain", settings=settings) == 1
    assert shown == ["The graphics driver did not start."]
    text = glcheck.opengl_message(shown[0])
    assert "discviz render discogenic-pain -o pictures" in text and "cannot start" in text


def test_a_failing_3d_widget_gives_the_dialog_too(qapp, settings, monkeypatch) -> None:
    import pyvistaqt

    shown: list[str] = []

    def no_gl(*_args, **_kwargs):
        raise RuntimeError("GLX is missing")

    monkeypatch.setattr(pyvistaqt, "QtInteractor", no_gl)
    monkeypatch.setattr(launch, "show_opengl_dialog", shown.append)
    assert launch.run_viewer("discogenic-pain", settings=settings) == 1
    assert "GLX is missing" in shown[0]


def test_opengl_works_here(qapp) -> None:
    assert glcheck.opengl_problem() is None


def test_present_rejects_bad_input_before_any_window(capsys) -> None:
    assert main(["present", "discogenic-pain", "--step", "helthy-disc"]) == 2
    assert "did you mean 'healthy-disc'" in capsys.readouterr().err
    assert main(["present", "discogenic-pain", "--lang", "fr"]) == 2
    assert "it has: en, zh" in capsys.readouterr().err
    assert main(["present", "no-such-scene"]) == 2
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, ViewerWindow) and w.isVisible()]


def test_bare_discviz_presents_the_built_in_explanation(monkeypatch) -> None:
    calls: list[tuple] = []
    monkeypatch.setattr(launch, "run_viewer", lambda *args, **kwargs: calls.append((args, kwargs)) or 0)
    assert main([]) == 0
    assert main(["present", "--lang", "zh", "--audience", "clinician", "--fullscreen"]) == 0
    assert calls[0] == ((None,), {"language": None, "audience": None, "step": None, "fullscreen": False})
    assert calls[1][1] == {"language": "zh", "audience": "clinician", "step": None, "fullscreen": True}
    assert launch.DEFAULT_SCENE == "discogenic-pain"


def test_no_screen_at_all_says_so_without_starting_qt(monkeypatch, capsys, settings) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert launch.run_viewer("discogenic-pain", settings=settings) == 1
    err = capsys.readouterr().err
    assert "no screen" in err and "discviz render" in err
