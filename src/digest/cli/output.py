"""What reaches the terminal: third-party noise off (DIGEST_DEBUG=1 shows it), closed pipes
harmless. Set up once by the CLI, before any model library is imported."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import warnings
from typing import Any, TextIO

# Libraries whose warnings and log lines a user of digest can do nothing about
# (e.g. "Recommended: pip install sacremoses", deprecations inside torch).
THIRD_PARTY = ("transformers", "torch", "huggingface_hub", "tokenizers", "sentencepiece",
               "ctranslate2", "ray", "pyarrow", "trafilatura", "pysbd", "lxml")  # fmt: skip


def debug() -> bool:
    return bool(os.environ.get("DIGEST_DEBUG"))


def quiet_third_parties(quiet: bool) -> None:
    """Errors only from model libraries; with ``quiet`` no progress bars either (downloads,
    "Loading weights"). DIGEST_DEBUG=1 leaves everything as the libraries have it."""
    if debug():
        return
    pattern = r"(" + "|".join(THIRD_PARTY) + r")(\..*)?$"
    warnings.filterwarnings("ignore", module=pattern)
    # Read when the libraries are imported (also by Ray workers, which inherit them).
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    if quiet:
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    # Already imported (in tests, or by an earlier step): set them directly too.
    hub = sys.modules.get("huggingface_hub.utils")
    if hub is not None:
        hub.logging.set_verbosity_error()
        if quiet:
            hub.disable_progress_bars()
    tf = sys.modules.get("transformers.utils.logging")
    if tf is not None:
        tf.set_verbosity_error()
        if quiet:
            tf.disable_progress_bar()


def _broken(exc: OSError) -> bool:
    return isinstance(exc, BrokenPipeError) or exc.errno in (errno.EPIPE, errno.EBADF)


class PipeSafe:
    """A text stream that turns into /dev/null once its reader has gone (``| head``).

    Progress lines and messages are not the run's result: losing them must not change the
    exit code or the files written. The file descriptor itself is pointed at /dev/null too,
    so later writes (also Python's flush at exit) succeed quietly.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._stream.write(text)
            except OSError as exc:
                if not _broken(exc):
                    raise
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except OSError as exc:
                if not _broken(exc):
                    raise
                self._drop()

    def _drop(self) -> None:
        self.gone = True
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)

    def isatty(self) -> bool:
        return not self.gone and self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def protect_std_streams() -> None:
    """Wrap stdout and stderr once (a closed reader must not end the run)."""
    if sys.stdout is not None and not isinstance(sys.stdout, PipeSafe):
        sys.stdout = PipeSafe(sys.stdout)
    if sys.stderr is not None and not isinstance(sys.stderr, PipeSafe):
        sys.stderr = PipeSafe(sys.stderr)
