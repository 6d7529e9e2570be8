"""Reading files a user gives (scenes, presets, pictures): only regular files, never more
than a size limit, and text only as UTF-8 with a message that names the encoding otherwise.

A scene path can be anything: a named pipe (reading it would wait forever), a device such
as ``/dev/zero`` (endless), a folder, a file larger than memory. Each is refused before a
byte is read, with a sentence the user can act on. Shared by every layer (stdlib only).
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from discviz.errors import InputError, Problem

#: What ``os.open`` needs so that opening a named pipe does not wait for a writer.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def size_text(limit: int) -> str:
    """``1 MiB``, ``10 MiB``, ``512 KiB``: a limit as people say it."""
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    if limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit} bytes"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


def unreadable(error: OSError) -> str:
    """A plain sentence for an OS error while reading."""
    if error.errno == errno.ENOENT:
        return "cannot read the file: there is no such file"
    if error.errno == errno.ENOTDIR:
        return "cannot read the file: a part of the path is a file, not a folder"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot read the file: permission denied"
    if error.errno == errno.ENAMETOOLONG:
        return "cannot read the file: the name is too long"
    if error.errno == errno.ELOOP:
        return "cannot read the file: too many symbolic links"
    return f"cannot read the file: {error.strerror or error}"


def read_user_file(path: Path, limit: int, source: str | None = None) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes; InputError otherwise.

    The file is opened without waiting (a named pipe does not block), checked on the open
    handle (so it cannot be swapped in between) and read at most ``limit + 1`` bytes.
    """
    where = source or str(path)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise InputError([Problem(where, unreadable(error))]) from None
    except ValueError:  # a NUL character in the name
        raise InputError([Problem(repr(where), "not a usable file name")]) from None
    try:
        info = os.fstat(descriptor)
        kind = _kind(info.st_mode)
        if kind is not None:
            raise InputError([Problem(where, f"is {kind}, not a file: give the path of a file")])
        if info.st_size > limit:
            raise InputError([Problem(where, f"file is too large ({info.st_size} bytes; "
                                      f"at most {size_text(limit)})")])
        with os.fdopen(descriptor, "rb", closefd=True) as handle:
            descriptor = -1
            data = handle.read(limit + 1)
    except OSError as error:
        raise InputError([Problem(where, unreadable(error))]) from None
    finally:
        if descriptor >= 0:
            os.close(descriptor)
    if len(data) > limit:  # it grew after the check
        raise InputError([Problem(where, f"file is too large (more than {limit} bytes; "
                                  f"at most {size_text(limit)})")])
    return data


# -- text encodings ---------------------------------------------------------------------

_FIX = "save it as UTF-8 (in Notepad: File > Save as, Encoding: UTF-8)"
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _guess_encoding(raw: bytes) -> str | None:
    """The encoding a non-UTF-8 text was most likely saved in, when it can be told."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    sample = raw[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:  # every other byte 0: UTF-16
        return "UTF-16"
    try:  # Chinese Windows: both bytes of every character in the GB 2312 range
        text = raw.decode("gb2312")
    except UnicodeDecodeError:
        return None
    if sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= 2:
        return "GBK (the Chinese Windows encoding)"
    return None


def decode_text(raw: bytes, source: str) -> str:
    """UTF-8 text, with a byte-order mark (Windows Notepad writes one) accepted and dropped."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif any(raw.startswith(bom) for bom, _ in _BOMS) or (b"\0" in raw and _guess_encoding(raw)):
        raise InputError([Problem(source, f"saved as {_guess_encoding(raw)}, not UTF-8; {_FIX}")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        guess = _guess_encoding(raw)
        if guess is not None:
            raise InputError([Problem(source, f"saved as {guess}, not UTF-8; {_FIX}")]) from None
        line = raw[: error.start].count(b"\n") + 1
        raise InputError([Problem(source, "not UTF-8 text: save the file as UTF-8", line)]) from None
