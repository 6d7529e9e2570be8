"""The viewer's output files (picture, 3D model, video): checked before any work, and every
reason one cannot be written said in plain words in the viewer's language (the writing
itself, under a temporary name renamed when complete, is discviz.render.output's).
"""

from __future__ import annotations

import errno
import tempfile
from pathlib import Path

from discviz.app.uitext import Phrase, phrase, tr_noop

_NO_RIGHTS = tr_noop("You may not write to the folder {folder}. Choose another folder, such as Documents.")
#: plain sentences for the operating system's reasons a file cannot be written
_REASONS: dict[int, str] = {
    errno.EACCES: _NO_RIGHTS,
    errno.EPERM: _NO_RIGHTS,
    errno.EROFS: tr_noop("The folder {folder} is on a disk that cannot be written to (read-only). "
                         "Choose another folder."),
    errno.ENOSPC: tr_noop("The disk of the folder {folder} is full. Free some space or choose another disk."),
    errno.ENOENT: tr_noop("The folder {folder} does not exist. Choose another folder."),
    errno.ENOTDIR: tr_noop("{folder} is a file, not a folder. Choose a folder."),
    errno.ENAMETOOLONG: tr_noop("The file name is too long. Choose a shorter name."),
    errno.EISDIR: tr_noop("{path} is a folder. Choose a file name."),
}


def os_error_phrase(error: OSError, path: Path) -> Phrase:
    """Why ``path`` could not be written, in plain words (the system's reason otherwise)."""
    folder = path.parent
    sentence = _REASONS.get(error.errno or 0)
    if sentence is not None:
        return phrase(sentence, folder=folder, path=path)
    return phrase("{path} could not be written: {reason}", path=path,
                  reason=error.strerror or str(error))


def output_problem(path: Path) -> Phrase | None:
    """Why ``path`` cannot be written, found before any work is done; None when it can."""
    folder = path.parent
    if path.is_dir():
        return os_error_phrase(OSError(errno.EISDIR, "is a folder"), path)
    if not folder.exists():
        return os_error_phrase(OSError(errno.ENOENT, "no such folder"), path)
    if not folder.is_dir():
        return os_error_phrase(OSError(errno.ENOTDIR, "not a folder"), path)
    try:
        if len(path.name.encode("utf-8")) > 255:
            raise OSError(errno.ENAMETOOLONG, "file name too long")
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".discviz-", suffix=".part"):
            pass  # the folder takes a new file (and its disk is writable)
    except OSError as error:
        return os_error_phrase(error, path)
    return None
