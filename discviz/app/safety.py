"""Errors never take the window down in front of a patient: slots report them in the banner."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from discviz.app.uitext import tr_noop

Method = TypeVar("Method", bound=Callable[..., Any])


class Reporter(Protocol):
    """Something that can show an error to the user (the window)."""

    def report_error(self, error: BaseException, doing: str) -> None:
        """Show ``error``, which happened while ``doing`` something."""


def guarded(doing: str) -> Callable[[Method], Method]:
    """Decorate a window method: any exception is shown in the banner, never raised.
    ``doing`` is English, marked for the string table: ``@guarded(tr_noop("saving the picture"))``.
    """

    def decorate(method: Method) -> Method:
        @functools.wraps(method)
        def wrapper(self: Reporter, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except Exception as error:  # the point: report, never crash
                self.report_error(error, doing)
                return None

        return wrapper  # type: ignore[return-value]

    return decorate


def print_error(error: BaseException) -> None:
    """The details, for whoever looks at the terminal."""
    traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)


def install_excepthook(reporter: Reporter) -> Callable[..., Any]:
    """Route exceptions that escape Qt callbacks to the banner instead of stopping the app;
    returns the hook it replaced.
    """
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        try:
            reporter.report_error(error.with_traceback(tb), tr_noop("running"))
        except Exception:  # the window itself is gone: fall back to printing
            previous(kind, error, tb)

    sys.excepthook = hook
    return previous
