"""An output folder (--out) in; held for one run (made, locked, tidied), cleaned and guarded out.

Digest creates in --out only its outputs, the cache file, lock files, the fetch cache and its
own temp files (``.digest-tmp-*``), and deletes only such temp files, only in folders it
writes to this run (the fetch cache prunes its own files: digest.ingest.fetch_upkeep). It
never follows a symbolic link planted inside --out (--out itself may be one).
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from digest.errors import OutputError
from digest.writers.base import NEW_FILE_MODE, TEMP_PREFIX, write_failure

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, runs are not guarded
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".digest-lock"
_NO_LINK = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
STALE_TEMP_SECONDS = 30.0  # a temp file is written in one go; older ones are from killed runs


def open_no_link(path: Path, flags: int) -> int:
    """os.open that refuses a symbolic link at ``path`` (planted in --out, it could point
    anywhere): OutputError instead of writing through it."""
    try:
        return os.open(path, flags | _NO_LINK, NEW_FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise OutputError(link_refused(path)) from None
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise write_failure(path, exc) from None
        raise OutputError(f"cannot read {path}: {exc.strerror or exc}") from None


def link_refused(path: Path) -> str:
    return (
        f"{path} is a symbolic link; digest does not follow links inside its output folder: "
        "remove it"
    )


def link_on_the_way(out: Path, path: Path) -> Path | None:
    """The first existing folder between ``out`` and ``path`` that is a symbolic link."""
    try:
        rel = path.parent.relative_to(out)
    except ValueError:
        return None
    current = out
    for part in rel.parts:
        current = current / part
        if current.is_symlink():
            return current
        if not current.exists():
            return None  # the rest is created by digest itself
    return None


@contextlib.contextmanager
def folder_lock(out: Path, shard: tuple[int, int] | None) -> Iterator[None]:
    """Hold --out for one run; a second run refuses at once with one line.

    A whole run locks ``.digest-lock`` exclusively. A shard locks it shared (shards 1/4 ..
    4/4 may fill one folder together) plus ``.digest-lock.<i>of<n>`` exclusively, so the same
    shard twice, or a shard and a whole run, never work on one folder at the same time.
    """
    if fcntl is None:
        yield
        return
    fds: list[int] = []
    try:
        names = [(LOCK_NAME, shard is not None)]
        if shard is not None:
            names.append((f"{LOCK_NAME}.{shard[0]}of{shard[1]}", False))
        for name, shared in names:
            fd = open_no_link(out / name, os.O_RDWR | os.O_CREAT)
            fds.append(fd)
            try:
                fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
            except BlockingIOError:
                what = f"shard {shard[0]}/{shard[1]} of " if shard else ""
                raise OutputError(
                    f"{out} is in use by another digest run on {what}the same folder "
                    f"(it holds {out / name}); wait for it to finish, or give this run "
                    "its own {out}"
                ) from None
            except OSError:
                pass  # a file system without locks (some network mounts): run unguarded
        yield
    finally:
        for fd in fds:
            os.close(fd)  # closing releases the lock; the empty lock files stay


@contextlib.contextmanager
def hold_folder(
    out: Path | None, shard: tuple[int, int] | None, no_links: Iterable[Path] = ()
) -> Iterator[None]:
    """--out made and locked for the block (nothing when ``out`` is None).

    ``no_links`` are digest's own names in it that must not be symbolic links (the cache,
    the fetch cache): OutputError. A folder this run created is removed again when the block
    fails while it holds nothing but the lock files (a run that stops with exit 2 before
    any work leaves nothing behind).
    """
    if out is None:
        yield
        return
    created = [p for p in (out, *out.parents) if not os.path.lexists(p)]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failure(out, exc) from None
    try:
        for path in no_links:
            if path.is_symlink():
                raise OutputError(link_refused(path))
        with folder_lock(out, shard):
            yield
    except BaseException:
        _tidy(out, created)
        raise


def _tidy(out: Path, created: list[Path]) -> None:
    if not created:
        return
    with contextlib.suppress(OSError):
        for entry in os.scandir(out):
            if not entry.name.startswith(LOCK_NAME):
                return  # something was written: keep it all
        for entry in os.scandir(out):
            os.unlink(entry.path)
        for folder in created:  # innermost first
            os.rmdir(folder)


def remove_stale_temps(folders: Iterable[Path], older_than: float = STALE_TEMP_SECONDS) -> int:
    """Delete digest's own temp files (``.digest-tmp-*``) that killed runs left in
    ``folders`` (not below them); returns the count.

    Only old ones: a shard writing into the same folder right now must keep its own.
    """
    now = time.time()
    removed = 0
    for folder in dict.fromkeys(folders):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # not there yet
        for entry in entries:
            if not entry.name.startswith(TEMP_PREFIX):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
                if entry.is_file(follow_symlinks=False) and now - st.st_mtime > older_than:
                    os.unlink(entry.path)
                    removed += 1
            except OSError:
                continue  # gone already, or not ours to delete
    return removed
