"""Writing what discviz makes (pictures, videos, models) without costing anyone a file.

- Every file is written under a temporary name in its folder and renamed when complete,
  so an interrupt (Ctrl-C) or a full disk leaves no half-written file at the final name.
- A file discviz did not write is never replaced unless the user says so (``--overwrite``);
  a folder of step pictures keeps a small manifest (:data:`MANIFEST`) of what discviz wrote
  there, so the next render removes its own stale pictures and nothing else.
- A missing folder is made only inside a folder that exists, and never at the top of the
  system disk, so a mistyped path does not scatter folders around the file system.
- Every operating-system error becomes :class:`OutputError` (exit code 2): the path and a
  plain sentence, never a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from discviz.errors import InputError, Problem

MANIFEST = ".discviz-render.json"
#: The names discviz gives step files (``07-nerves.png``, ``07-nerves.json``): only such
#: names are ever removed on the word of a manifest (which a user could have edited).
OWN_NAME = re.compile(r"[0-9]{2,}-[a-z0-9-]+(\.[a-z0-9]+)+")
_TEMPORARY_PREFIX = ".discviz-partial-"
_LONGEST_NAME = 255  # bytes: the limit of every common file system


class OutputError(InputError):
    """An output that cannot be written: exit code 2, with the path and what to do."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__([Problem(str(path), message)])


def explain(error: OSError) -> str:
    """What an operating-system error on output means, as a plain sentence with the fix."""
    code = error.errno
    if code in (errno.EACCES, errno.EPERM):
        return "cannot write here: permission denied; choose a folder you may write to"
    if code == errno.EROFS:
        return "cannot write here: the disk is read-only; choose another folder"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "cannot write here: the disk is full; free some space or choose another disk"
    if code == errno.ENOTDIR:
        return "cannot write here: a part of the path is a file, not a folder"
    if code == errno.ENAMETOOLONG:
        return "cannot write here: the name is too long; choose a shorter name"
    if code == errno.EISDIR:
        return "cannot write here: it is a folder; give a file name"
    if code == errno.ENOENT:
        return "cannot write here: the folder does not exist"
    return f"cannot write here: {error.strerror or error}"


def failure(path: Path, error: OSError) -> OutputError:
    """An OSError on ``path`` as an OutputError."""
    return OutputError(path, explain(error))


def _is_top_of_disk(folder: Path) -> bool:
    """``/`` (or the system drive on Windows): a new folder there is almost always a typing
    slip. The top of another drive (a USB stick) is a place people do keep folders.
    """
    if folder != Path(folder.anchor):
        return False
    if os.name != "nt":
        return True
    return folder.anchor.upper().startswith(os.environ.get("SystemDrive", "C:").upper())


def make_folder(folder: Path) -> None:
    """``folder`` exists as a folder afterwards, or OutputError.

    A missing folder is created only when its parent exists and is not the top of a disk:
    ``-o out`` in the working folder is made; ``/out`` or ``a/b/c`` with ``a`` missing is not.
    """
    shown = folder  # as the user wrote it
    folder = Path(os.path.abspath(folder))
    try:
        if folder.is_dir():
            return
        if folder.exists():
            raise OutputError(shown, "exists and is not a folder; choose a folder")
        parent = folder.parent
        if not parent.is_dir():
            if parent.exists() or any(p.exists() and not p.is_dir() for p in parent.parents):
                raise OutputError(shown, explain(OSError(errno.ENOTDIR, "")))
            raise OutputError(shown, f"the folder {parent} does not exist; create it first, "
                              "or choose a folder that exists")
        if _is_top_of_disk(parent):
            raise OutputError(shown, "will not make a new folder at the top of the disk; create it "
                              "yourself first, or choose a folder inside one that exists")
        folder.mkdir()
    except FileExistsError:
        if not folder.is_dir():
            raise OutputError(shown, "exists and is not a folder; choose a folder") from None
    except OSError as error:
        raise failure(shown, error) from None


def check_name(path: Path) -> None:
    """OutputError for a file name no file system holds (found before any work is done)."""
    if len(path.name.encode("utf-8", "surrogateescape")) > _LONGEST_NAME:
        raise OutputError(path, explain(OSError(errno.ENAMETOOLONG, "")))


def claim(path: Path, overwrite: bool) -> None:
    """OutputError when writing ``path`` would replace something it should not: a folder, or
    an existing file (unless ``overwrite``).
    """
    check_name(path)
    try:
        if path.is_dir():
            raise OutputError(path, explain(OSError(errno.EISDIR, "")))
        exists = path.exists() or path.is_symlink()
    except OSError as error:
        raise failure(path, error) from None
    if exists and not overwrite:
        raise OutputError(path, "exists already; give --overwrite to replace it, "
                          "or choose another name")


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


@contextmanager
def atomic_write(final: Path) -> Iterator[Path]:
    """Yield a temporary path (same folder, same suffix) to write; when the block ends well
    it becomes ``final`` in one rename. On any error or interrupt the temporary file goes.

    The temporary file is made first, so a folder that cannot be written is reported before
    any work; an OSError of the writer is reported as :class:`OutputError`.
    """
    final = Path(final)
    check_name(final)
    temporary = final.parent / f"{_TEMPORARY_PREFIX}{secrets.token_hex(4)}{final.suffix}"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.close(descriptor)
    except OSError as error:
        raise failure(final, error) from None
    try:
        yield temporary
        os.replace(temporary, final)
    except OSError as error:
        _remove(temporary)
        raise failure(final, error) from None
    except BaseException:
        _remove(temporary)
        raise


def write_bytes(final: Path, data: bytes) -> Path:
    """``final`` holds ``data`` (written whole or not at all)."""
    with atomic_write(final) as temporary:
        temporary.write_bytes(data)
    return final


def copy_into_place(source: Path, final: Path) -> Path:
    """Copy a file written elsewhere (by VTK, into a private folder) to ``final``, atomically."""
    with atomic_write(final) as temporary:
        shutil.copyfile(source, temporary)
    return final


def replace_folder(source: Path, final: Path) -> None:
    """Move a folder written elsewhere to ``final`` (a folder of the same name is replaced)."""
    staging = final.parent / f"{_TEMPORARY_PREFIX}{secrets.token_hex(4)}"
    old = final.parent / f"{_TEMPORARY_PREFIX}{secrets.token_hex(4)}"
    try:
        shutil.copytree(source, staging)
        if final.is_dir():
            os.replace(final, old)
        os.replace(staging, final)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise failure(final, error) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


class RenderFolder:
    """A folder of step files (``render -o DIR``) and the manifest of what discviz put there.

    ``prepare()`` checks everything before any picture is drawn: the folder can be made, no
    file of the user's would be replaced. ``write(name)`` writes one file atomically;
    ``finish()`` removes the files of an earlier render that this one did not write again.
    """

    def __init__(self, folder: Path, names: Sequence[str], overwrite: bool = False) -> None:
        self.folder = Path(folder)
        self.names = list(dict.fromkeys(names))
        self.overwrite = overwrite
        self.earlier: set[str] = set()

    @property
    def manifest(self) -> Path:
        """Where the list of discviz's files in the folder is kept."""
        return self.folder / MANIFEST

    def read_manifest(self) -> set[str]:
        """The names an earlier render wrote here (only names discviz could have written)."""
        try:
            if not self.manifest.is_file() or self.manifest.stat().st_size > 1024 * 1024:
                return set()
            document = json.loads(self.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        names = document.get("files", []) if isinstance(document, dict) else []
        return {n for n in names if isinstance(n, str) and OWN_NAME.fullmatch(n)}

    def prepare(self) -> None:
        """Make the folder and check that no file of the user's would be replaced."""
        make_folder(self.folder)
        self.earlier = self.read_manifest()
        theirs: list[str] = []
        for name in self.names:
            path = self.folder / name
            claim(path, overwrite=True)  # a folder of that name, a name too long
            if name not in self.earlier and not self.overwrite and (path.exists() or path.is_symlink()):
                theirs.append(name)
        if theirs:
            listed = ", ".join(theirs[:3]) + (f" and {len(theirs) - 3} more" if len(theirs) > 3 else "")
            raise OutputError(self.folder, f"has files discviz did not make with the names it would "
                              f"write ({listed}); give --overwrite to replace them, or choose "
                              "another folder")
        self._write_manifest(self.earlier | set(self.names))  # covers an interrupted render too

    @contextmanager
    def write(self, name: str) -> Iterator[Path]:
        """A temporary path for the step file ``name``; it takes its place when done."""
        with atomic_write(self.folder / name) as temporary:
            yield temporary

    def finish(self) -> list[Path]:
        """Remove the earlier render's files this one did not write; keep the manifest true."""
        removed: list[Path] = []
        for name in sorted(self.earlier - set(self.names)):
            path = self.folder / name
            if path.is_file() and not path.is_symlink():
                try:
                    path.unlink()
                    removed.append(path)
                except OSError:
                    pass  # a stale picture that stays is no reason to fail the render
        self._write_manifest(set(self.names))
        return removed

    def _write_manifest(self, names: Iterable[str]) -> None:
        document = {"written by": "discviz render; lists its files here, so that the next render "
                    "into this folder can remove its own stale pictures (and nothing else)",
                    "files": sorted(names)}
        write_bytes(self.manifest, (json.dumps(document, indent=1) + "\n").encode("utf-8"))
