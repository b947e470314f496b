"""Writers only format; path handling and atomic writes live here, once."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, TextIO

from digest.errors import ConfigError
from digest.results import DigestResult, TranslationResult

Result = DigestResult | TranslationResult


class ResultWriter:
    extension: ClassVar[str] = ""

    def format(self, result: Result) -> str:
        raise NotImplementedError

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


def output_name(source: str, kind: str, fmt: str, lang: str = "en") -> str:
    """`<stem>.digest.<ext>` for digests, `<stem>.<lang>.<ext>` for translations."""
    stem = "stdin" if source in ("-", "") else Path(source).stem
    tag = "digest" if kind == "digest" else lang
    return f"{stem}.{tag}.{get_writer(fmt).extension}"


def resolve_output(
    out: Path | None, source: str, kind: str, fmt: str, lang: str = "en"
) -> Path | None:
    """None means stdout. --out is a file when it has this format's extension, else a folder."""
    if out is None:
        return None
    ext = "." + get_writer(fmt).extension
    if out.suffix == ext and not out.is_dir():
        return out
    return out / output_name(source, kind, fmt, lang)


FORMATS = ("md", "json", "html", "txt")


def expand_formats(formats: Sequence[str]) -> list[str]:
    """--format values in order, without repeats: "all" is every format, "md,json" is two."""
    out: list[str] = []
    for item in formats:
        for fmt in item.split(","):
            fmt = fmt.strip().lower()
            names = FORMATS if fmt == "all" else (fmt,)
            for name in names:
                get_writer(name)  # unknown names fail here, before any work is done
                if name not in out:
                    out.append(name)
    if not out:
        raise ConfigError(f"no output format given (choose from: {', '.join(FORMATS)}, all)")
    return out


def get_writer(fmt: str) -> ResultWriter:
    from digest.writers.html import HTMLWriter
    from digest.writers.json_writer import JSONWriter
    from digest.writers.markdown import MarkdownWriter
    from digest.writers.text import TextWriter

    writers: dict[str, type[ResultWriter]] = {
        "md": MarkdownWriter,
        "json": JSONWriter,
        "html": HTMLWriter,
        "txt": TextWriter,
    }
    try:
        return writers[fmt]()
    except KeyError:
        choices = ", ".join([*writers, "all"])
        raise ConfigError(f"unknown format '{fmt}' (choose from: {choices})") from None
