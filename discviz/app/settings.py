"""What the viewer remembers between sessions (QSettings("discviz", "discviz"))."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class ViewerSettings:
    """Window geometry, last scene, language, audience and recent files."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings("discviz", "discviz")

    def _text(self, key: str) -> str | None:
        value = self.store.value(key)
        return str(value) if value not in (None, "") else None

    @property
    def geometry(self) -> QByteArray | None:
        """The main window's saved geometry."""
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        """Docks and toolbars of the main window."""
        value = self.store.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.store.setValue("window/state", value)

    @property
    def last_scene(self) -> str | None:
        """The bundled name or file of the scene shown last."""
        return self._text("scene/last")

    @last_scene.setter
    def last_scene(self, value: str) -> None:
        self.store.setValue("scene/last", value)

    @property
    def language(self) -> str | None:
        """The language chosen last."""
        return self._text("scene/language")

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("scene/language", value)

    @property
    def audience(self) -> str | None:
        """The audience chosen last (patient or clinician)."""
        return self._text("scene/audience")

    @audience.setter
    def audience(self, value: str) -> None:
        self.store.setValue("scene/audience", value)

    @property
    def clinic(self) -> str:
        """The clinic's name, printed on handouts ("" when none is set)."""
        return self._text("handout/clinic") or ""

    @clinic.setter
    def clinic(self, value: str) -> None:
        self.store.setValue("handout/clinic", value.strip())

    @property
    def recent(self) -> list[str]:
        """Scenes opened recently, newest first."""
        value = self.store.value("scene/recent")
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value] if isinstance(value, list) else []

    def add_recent(self, scene: str) -> None:
        """Put ``scene`` first in the recent list."""
        items = [scene, *(s for s in self.recent if s != scene)][:MAX_RECENT]
        self.store.setValue("scene/recent", items)

    def sync(self) -> None:
        """Write to disk now."""
        self.store.sync()
