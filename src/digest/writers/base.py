"""The writer base class and the one atomic file write every output goes through."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from digest.errors import OutputError
from digest.results import DigestResult, TranslationResult

Result = DigestResult | TranslationResult

# Every temporary file digest makes is named so; a later run deletes nothing else.
TEMP_PREFIX = ".digest-tmp-"
_NAME_ROOM = 100  # of the output's name in a temp name: stays under NAME_MAX (255)
NEW_FILE_MODE = 0o666  # less the umask, as for any file a program creates


@dataclass(frozen=True)
class ResultWriter:
    """One output format: a function for digests, one for translations, the file extension."""

    extension: str
    digest: Callable[[DigestResult], str]
    translation: Callable[[TranslationResult], str]

    def format(self, result: Result) -> str:
        if isinstance(result, DigestResult):
            return self.digest(result)
        return self.translation(result)

    def write(self, result: Result, path: Path) -> Path:
        atomic_write_text(path, self.format(result))
        return path

    def write_stream(self, result: Result, stream: TextIO | None = None) -> None:
        (stream or sys.stdout).write(self.format(result))


def temp_name(name: str) -> str:
    """``.digest-tmp-<name>.<random>``: the temp file that becomes ``name``."""
    return f"{TEMP_PREFIX}{name[:_NAME_ROOM]}.{secrets.token_hex(6)}"


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temp file in the same folder + rename: readers never see half a file.

    The file gets the mode of any new file (0666 less the umask). A failure (read-only or
    full disk, a file where the folder should be) raises OutputError naming path and reason.
    """
    data = text.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp, fd = _create_temp(path)
    except OSError as exc:
        raise write_failure(path, exc) from None
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)  # replaces a link at `path` itself, never its target
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_failure(path, exc) from None
        raise


def _create_temp(path: Path) -> tuple[Path, int]:
    # os.open with a mode, not mkstemp: mkstemp makes 0600 whatever the umask says.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = path.parent / temp_name(path.name)
        try:
            return tmp, os.open(tmp, flags, NEW_FILE_MODE)
        except FileExistsError:
            continue  # 48 random bits taken: try another name


def write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is out (a write may be short, e.g. on a nearly full disk)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_failure(path: Path, exc: OSError) -> OutputError:
    """One line: which file could not be written, and why in words a user can act on."""
    return OutputError(f"cannot write {path}: {unwritable_reason(path) or _strerror(exc)}")


def unwritable_reason(path: Path) -> str | None:
    """Why ``path`` could not be created, judged without writing (None: no reason seen).

    Looks at the nearest existing folder above it: a file where a folder should be, a
    read-only file system, a folder without write permission.
    """
    for parent in path.parents:
        try:
            if not parent.exists():
                continue
        except OSError:
            continue
        if not parent.is_dir():
            return f"{parent} is a file, not a folder"
        if os.access(parent, os.W_OK | os.X_OK):
            return None
        try:
            read_only = bool(os.statvfs(parent).f_flag & os.ST_RDONLY)
        except (OSError, AttributeError):
            read_only = False
        return (
            f"{parent} is on a read-only file system" if read_only else f"{parent} is not writable"
        )
    return None


def _strerror(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__
