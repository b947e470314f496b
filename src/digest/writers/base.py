"""The writer base class and the one atomic file write every output goes through."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from digest.results import DigestResult, TranslationResult

Result = DigestResult | TranslationResult


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


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temp file in the same folder + rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
