"""Run a job over many inputs: one model load, per-file errors that never sink the run."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from digest.article import load_article
from digest.document import Article
from digest.errors import ConfigError, DigestError
from digest.pipeline import Models, summarize, translate
from digest.results import DigestOptions, DigestResult, TranslateOptions, TranslationResult
from digest.writers import get_writer, resolve_output

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
Kind = Literal["digest", "translation"]
Result = DigestResult | TranslationResult


@dataclass
class FileOutcome:
    source: str
    status: Literal["ok", "failed", "skipped"]
    outputs: list[str] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    flags: int = 0
    seconds: float = 0.0


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Files as given, folders recursively (supported suffixes, sorted), '-' for stdin."""
    out: list[str] = []
    for item in inputs:
        if item == "-":
            out.append("-")
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
            out.extend(str(p) for p in files)
        else:
            out.append(item)  # missing files become per-file failures with a clear reason
    if out.count("-") > 1:
        raise ConfigError("'-' (stdin) can be given only once")
    return out


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def run_job(
    kind: Kind,
    inputs: Sequence[str],
    models: Models,
    *,
    options: DigestOptions | TranslateOptions,
    formats: Sequence[str],
    out: Path | None,
    batch_articles: int = 8,
    stdout: TextIO | None = None,
    on_done: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    files = expand_inputs(inputs)
    if not files:
        raise ConfigError("no supported input files found (.txt, .md, .html)")
    if out is None and (len(files) > 1 or len(formats) > 1):
        raise ConfigError("several inputs or formats need --out FOLDER")
    lang = options.to if isinstance(options, TranslateOptions) else "en"
    outcomes: list[FileOutcome] = []
    for group in _chunks(files, batch_articles):
        loaded: list[tuple[str, Article, float]] = []
        for source in group:
            t0 = time.perf_counter()
            try:
                loaded.append((source, load_article(source), t0))
            except DigestError as exc:
                outcomes.append(_failed(source, exc, t0, on_done))
            except OSError as exc:
                outcomes.append(
                    _failed(source, DigestError(f"{source}: {exc.strerror}"), t0, on_done)
                )
        if not loaded:
            continue
        results: list[Result | DigestError] = []
        try:
            results.extend(_run_pipeline([a for _, a, _ in loaded], models, options))
        except DigestError:
            # A model error on a batch: redo the files one by one so one bad input
            # cannot take its neighbours down with it.
            results = []
            for _source, article, _t0 in loaded:
                try:
                    results.extend(_run_pipeline([article], models, options))
                except DigestError as one_exc:
                    results.append(one_exc)
        for (source, _article, t0), result in zip(loaded, results, strict=True):
            if isinstance(result, DigestError):
                outcomes.append(_failed(source, result, t0, on_done))
                continue
            written = []
            for fmt in formats:
                writer = get_writer(fmt)
                target = resolve_output(out, source, kind, fmt, lang)
                if target is None:
                    writer.write_stream(result, stdout or sys.stdout)
                    written.append("-")
                else:
                    written.append(str(writer.write(result, target)))
            outcome = FileOutcome(
                source,
                "ok",
                written,
                warnings=list(result.warnings),
                flags=len(result.flags),
                seconds=time.perf_counter() - t0,
            )
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
    return outcomes


def _run_pipeline(
    articles: list[Article], models: Models, options: DigestOptions | TranslateOptions
) -> Sequence[Result]:
    if isinstance(options, TranslateOptions):
        return translate(articles, models, options)
    return summarize(articles, models, options)


def _failed(
    source: str, exc: DigestError, t0: float, on_done: Callable[[FileOutcome], None] | None
) -> FileOutcome:
    outcome = FileOutcome(source, "failed", error=str(exc), seconds=time.perf_counter() - t0)
    if on_done:
        on_done(outcome)
    return outcome
