"""The Qt binding keeps Python's books: a binding that drops a reference to None on every
call returning nothing (PySide6 6.12.0 on Python 3.11) aborts the viewer a few hundred key
presses into a talk with "Fatal Python error: none_dealloc".
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject


def test_qt_calls_returning_nothing_keep_none_alive() -> None:
    thing = QObject()
    before = sys.getrefcount(None)
    for _ in range(2000):
        thing.setObjectName("x")  # returns nothing
        QCoreApplication.processEvents()
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"the Qt binding lost {lost} references to None in 4000 calls; use another PySide6"
