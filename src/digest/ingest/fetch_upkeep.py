"""Upkeep of the fetch cache when a run opens it: killed writes' temp files, unused pages.

Only the cache's own names are touched: ``urls/<40 hex>.json`` (records), ``pages/<xx>/<64
hex>`` (bodies, ``xx`` their first two digits) and ``.<one of those>.<pid>.<tid>.tmp`` (a
write in progress). Anything else in the folder - a file of yours, a symbolic link, a
folder - is left alone, and no link is followed below the cache folder itself: every
folder is opened with ``O_NOFOLLOW`` and files are removed relative to it, so a folder
swapped for a link while the cache is being tidied cannot lead out of it.

- A temp file older than :data:`STALE_TEMP_SECONDS` is removed (a write takes
  milliseconds; an old one was cut off by a killed run).
- Pruning (``keep_days`` > 0): a record whose last use (fetch, revalidation or cache hit:
  ``used_at``, else ``checked_at``, else the file's mtime) is older than ``keep_days`` days
  is removed, then every body that no remaining record names and that is older than
  :data:`STALE_TEMP_SECONDS` (a body is written just before its record).

Two runs may share a cache (shards in one ``--out``, the user cache folder). Each run holds
a shared ``flock`` on ``.digest-lock`` in the cache while it uses the cache's pages; pruning
needs the lock exclusively and is skipped when another run holds it (the next run prunes).
Where the platform or file system has no such locks or no ``dir_fd`` calls, nothing is
pruned; stale temp files are still removed where ``dir_fd`` works. Files that vanish in
between (another run's cleanup) are fine.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, the cache is not pruned
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".digest-lock"
STALE_TEMP_SECONDS = 3600.0
DAY_SECONDS = 86400.0
RECORD_NAME = re.compile(r"[0-9a-f]{40}\.json")
BLOB_NAME = re.compile(r"[0-9a-f]{64}")
TEMP_NAME = re.compile(r"\.(?:[0-9a-f]{40}\.json|[0-9a-f]{64})\.\d+\.\d+\.tmp")
SHARD_NAME = re.compile(r"[0-9a-f]{2}")
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# Relative removal (unlink with dir_fd, scandir of a descriptor) is what keeps links out.
_DIR_FD_OK = _NOFOLLOW != 0 and os.unlink in os.supports_dir_fd and os.scandir in os.supports_fd


def open_cache(root: Path, keep_days: float) -> int | None:
    """Tidy the cache at ``root`` for a run and return its shared lock (a descriptor to close
    when the run is done with the cache's pages); None when there is nothing to lock.

    A cache folder that does not exist yet needs nothing: what this run writes into it is
    new, and a concurrent pruner keeps new records and bodies.
    """
    if not _DIR_FD_OK:
        return None
    try:
        root_fd = os.open(root, _DIR_FLAGS)  # the cache folder itself may be a link you chose
    except OSError:
        return None
    try:
        now = time.time()
        remove_stale_temps(root_fd, now)
        lock = _lock_file(root_fd)
        if lock is None:
            return None
        if keep_days > 0 and _flock(lock, exclusive=True):
            prune(root_fd, now - keep_days * DAY_SECONDS, now)
        if not _flock(lock, exclusive=False, wait=True):
            os.close(lock)
            return None
        return lock
    finally:
        os.close(root_fd)


def _lock_file(root_fd: int) -> int | None:
    if fcntl is None:
        return None
    for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):  # a read-only cache can still be locked
        with contextlib.suppress(OSError):
            return os.open(LOCK_NAME, flags | _NOFOLLOW | _CLOEXEC, 0o666, dir_fd=root_fd)
    return None


def _flock(fd: int, *, exclusive: bool, wait: bool = False) -> bool:
    """Take (or convert to) the lock; False when another run holds it or locks do not work."""
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(fd, mode if wait else mode | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: held elsewhere; others: no locks on this file system
        return False
    return True


@contextlib.contextmanager
def _subdir(parent_fd: int, name: str) -> Iterator[int | None]:
    """The folder ``name`` opened without following a link (None: missing, a link, a file)."""
    try:
        fd = os.open(name, _DIR_FLAGS | _NOFOLLOW, dir_fd=parent_fd)
    except OSError:
        yield None
        return
    try:
        yield fd
    finally:
        os.close(fd)


def _files(dir_fd: int, pattern: re.Pattern[str]) -> Iterator[tuple[str, float]]:
    """(name, mtime) of the regular files in the folder whose names match ``pattern``."""
    with contextlib.suppress(OSError), os.scandir(dir_fd) as entries:
        for entry in entries:
            if not pattern.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):  # gone meanwhile
                st = entry.stat(follow_symlinks=False)
                if entry.is_file(follow_symlinks=False):
                    yield entry.name, st.st_mtime


def _remove(dir_fd: int, name: str) -> bool:
    try:
        os.unlink(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return False  # another run's cleanup was first
    except OSError:
        return False  # read-only or not ours to remove: leave it
    return True


def _shards(pages_fd: int) -> Iterator[tuple[str, int]]:
    """(name, descriptor) of each ``pages/<xx>`` folder."""
    with contextlib.suppress(OSError), os.scandir(pages_fd) as entries:
        names = [e.name for e in entries if SHARD_NAME.fullmatch(e.name)]
    for name in names:
        with _subdir(pages_fd, name) as fd:
            if fd is not None:
                yield name, fd


def remove_stale_temps(root_fd: int, now: float) -> int:
    """Remove the temp files of writes that never finished; the number removed."""
    removed = 0
    cutoff = now - STALE_TEMP_SECONDS
    with _subdir(root_fd, "urls") as urls_fd:
        if urls_fd is not None:
            removed += _remove_older(urls_fd, TEMP_NAME, cutoff)
    with _subdir(root_fd, "pages") as pages_fd:
        if pages_fd is not None:
            for _, fd in _shards(pages_fd):
                removed += _remove_older(fd, TEMP_NAME, cutoff)
    return removed


def _remove_older(dir_fd: int, pattern: re.Pattern[str], cutoff: float) -> int:
    old = [name for name, mtime in _files(dir_fd, pattern) if mtime < cutoff]
    return sum(_remove(dir_fd, name) for name in old)


def prune(root_fd: int, cutoff: float, now: float) -> tuple[int, int]:
    """Remove records last used before ``cutoff``, then the bodies no record names any more;
    (records, bodies) removed. Only under the exclusive lock."""
    with _subdir(root_fd, "urls") as urls_fd:
        if urls_fd is None:
            return 0, 0  # no records: bodies without any are left for a later run to judge
        kept, complete, records = _prune_records(urls_fd, cutoff)
    if not complete:
        return records, 0  # a record could not be read: its body may still be needed
    bodies = 0
    with _subdir(root_fd, "pages") as pages_fd:
        if pages_fd is not None:
            for shard, fd in _shards(pages_fd):
                for name, mtime in list(_files(fd, BLOB_NAME)):
                    written_before = mtime < now - STALE_TEMP_SECONDS
                    if name.startswith(shard) and name not in kept and written_before:
                        bodies += _remove(fd, name)
    return records, bodies


def _prune_records(urls_fd: int, cutoff: float) -> tuple[set[str], bool, int]:
    """The bodies the remaining records name, whether every record could be read, and the
    number of records removed."""
    kept: set[str] = set()
    complete = True
    removed = 0
    for name, mtime in list(_files(urls_fd, RECORD_NAME)):
        try:
            record = _read_record(urls_fd, name)
        except FileNotFoundError:
            continue
        except OSError:
            complete = False
            continue
        if last_used(record, mtime) < cutoff:
            removed += _remove(urls_fd, name)
        elif isinstance(sha := record.get("sha256"), str):
            kept.add(sha)
    return kept, complete, removed


def _read_record(urls_fd: int, name: str) -> dict[str, object]:
    """The record's JSON ({} when it is not a JSON object: such a record is never used)."""
    fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _CLOEXEC, dir_fd=urls_fd)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read()
    try:
        record = json.loads(data)
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def last_used(record: dict[str, object], mtime: float) -> float:
    """When the record was last used: ``used_at`` (any use) or ``checked_at`` (records
    written before ``used_at`` existed), else the file's mtime (a record that is no JSON)."""
    times = [
        float(v)
        for v in (record.get("used_at"), record.get("checked_at"))
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    return max(times) if times else mtime
