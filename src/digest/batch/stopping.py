"""Ctrl-C and SIGTERM during a run: stop at once, except inside a write (an output and its
cache line), which finishes first, so a stop never leaves a temp file or half a record."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_depth = 0  # nesting of shielded() blocks in the main thread
_pending: int | None = None  # a stop signal that arrived inside a shielded block


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _handler(signum: int, frame: FrameType | None) -> None:
    global _pending
    if _depth:
        _pending = signum
        return
    raise KeyboardInterrupt


@contextmanager
def stop_signals() -> Iterator[None]:
    """SIGINT and SIGTERM (a CI cancel) raise KeyboardInterrupt, deferred while shielded.

    Signals reach only the main thread; elsewhere (a Ray actor's thread) this does nothing.
    """
    global _pending
    if not _main_thread():
        yield
        return
    previous = {s: signal.signal(s, _handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _pending = None


@contextmanager
def shielded() -> Iterator[None]:
    """Run the block to its end even if a stop signal arrives; stop right after it."""
    global _depth
    if not _main_thread():
        yield
        return
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
    check_stop()


def check_stop() -> None:
    """Raise KeyboardInterrupt for a stop signal held back by a shielded block."""
    global _pending
    if _depth == 0 and _pending is not None:
        _pending = None
        raise KeyboardInterrupt
