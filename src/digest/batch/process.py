"""Run the pipeline over a batch of work items: batched across files, per-file failures."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from digest.batch.cache import cache_writer, item_key, job_fingerprint, record
from digest.batch.job import BatchJob, FileOutcome, WorkItem
from digest.batch.stopping import shielded
from digest.checks.translation import check_summary
from digest.errors import DigestError
from digest.ingest.article import load_article
from digest.ingest.document import Article
from digest.ingest.web_input import load_web_article
from digest.models import Models, load_model_specs
from digest.options import TranslateOptions
from digest.results import DigestResult, TranslationResult
from digest.summarize import summarize
from digest.translate import translate
from digest.writers import get_writer

Result = DigestResult | TranslationResult
OnDone = Callable[[FileOutcome], None]


def load_job_models(job: BatchJob) -> Models:
    """Load the job's models once (the local engine per run, the Ray engine per actor)."""
    return load_model_specs(
        summarizer=job.summarizer, translator=job.translator, runtime=job.runtime
    )


def cache_folder(job: BatchJob, item: WorkItem) -> Path | None:
    """The folder whose cache records this item (None: stdout or a single --out file)."""
    if job.out is None or not item.outputs or job.out in item.outputs:
        return None
    return job.out


# Text per model batch: a few news articles go to the models together (throughput), while a
# long article runs alone, so it neither holds back small ones nor lends them its time.
BATCH_CHARS = 20_000


@dataclass(frozen=True)
class _Loaded:
    item: WorkItem
    article: Article
    load_s: float


def model_batches(
    loaded: Sequence[_Loaded], max_chars: int | None = None
) -> Iterator[list[_Loaded]]:
    """Consecutive articles, at most ``max_chars`` of text per batch (at least one each)."""
    max_chars = max_chars or BATCH_CHARS
    batch: list[_Loaded] = []
    size = 0
    for entry in loaded:
        n = len(entry.article.text)
        if batch and size + n > max_chars:
            yield batch
            batch, size = [], 0
        batch.append(entry)
        size += n
    if batch:
        yield batch


def process_items(
    items: Sequence[WorkItem],
    models: Models | None,
    job: BatchJob,
    *,
    on_done: OnDone | None = None,
    stdout: TextIO | None = None,
) -> list[FileOutcome]:
    """Load, run in model batches, and write and record each article as soon as its batch
    is done. Never raises for a per-file problem; KeyboardInterrupt still stops it (what was
    written stays recorded; a write in progress finishes first). ``models`` may be None
    only when no item needs them (all skipped or failed already).
    """
    outcomes: list[FileOutcome] = []

    def done(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)

    loaded: list[_Loaded] = []
    for item in items:
        if item.skip:
            done(skipped_outcome(item))
            continue
        if item.error:
            done(_failed(item, item.error, 0.0))
            continue
        t0 = time.perf_counter()
        try:
            article = load_web_article(item.web) if item.web else load_article(item.source)
            loaded.append(_Loaded(item, article, time.perf_counter() - t0))
        except DigestError as exc:
            done(_failed(item, str(exc), time.perf_counter() - t0))
        except (OSError, ValueError) as exc:
            done(_failed(item, f"{item.source}: cannot read: {exc}", time.perf_counter() - t0))
    if not loaded:
        return outcomes
    if models is None:
        raise ValueError("process_items: models are needed for these items")

    # Computed after loading: the models are in the cache now, as the next plan will see them.
    fingerprint = job_fingerprint(job, {m.name: m.backend for m in models.infos})
    for batch in model_batches(loaded):
        t0 = time.perf_counter()
        results = _run_batch([e.article for e in batch], models, job)
        elapsed = time.perf_counter() - t0
        total_chars = sum(len(e.article.text) for e in batch) or 1
        for entry, result in zip(batch, results, strict=True):
            # An article's share of its batch's model time, by length (alone: all of it).
            share = elapsed * len(entry.article.text) / total_chars
            with shielded():  # output files and their cache line: all or nothing
                done(_finish(entry, result, share, models, job, fingerprint, stdout))
    return outcomes


def _finish(
    entry: _Loaded,
    result: Result | str,
    share: float,
    models: Models,
    job: BatchJob,
    fingerprint: str,
    stdout: TextIO | None,
) -> FileOutcome:
    """Write one article's outputs and record them in the cache; its outcome."""
    item, article = entry.item, entry.article
    timings = {"load": round(entry.load_s, 4), "pipeline": round(share, 4)}
    if item.web is not None:  # spent while planning; 0 when the page came from the cache
        timings["fetch"] = item.web.fetch_seconds
    if isinstance(result, str):
        return _failed(item, result, entry.load_s + share, timings)
    t1 = time.perf_counter()
    key = item_key(article.content_sha256, fingerprint)
    folder = cache_folder(job, item)
    try:
        written = _write(result, item, job, stdout)
        if folder is not None:
            with cache_writer(folder) as cache:
                record(cache, folder, rel=item.rel, key=key, sha=article.content_sha256,
                       outputs=item.outputs, models=models.infos)  # fmt: skip
    except DigestError as exc:  # a full or read-only disk: this file failed
        return _failed(item, f"{item.source}: {exc}", entry.load_s + share, timings)
    except OSError as exc:  # stdout
        error = f"{item.source}: cannot write output: {exc}"
        return _failed(item, error, entry.load_s + share, timings)
    timings["write"] = round(time.perf_counter() - t1, 4)
    return FileOutcome(
        item.source,
        "ok",
        written,
        warnings=tuple(result.warnings),
        flags=len(result.flags),
        checks=checks_line(result),
        seconds=round(sum(timings.values()), 4),
        rel=item.rel,
        key=key,
        timings=timings,
        web=web_fields(item),
    )


def checks_line(result: Result) -> str:
    """A translation's self-checks in one line, clean or not; digests carry flags instead."""
    if isinstance(result, TranslationResult):
        return check_summary([s for b in result.blocks for s in b.sentences])
    return ""


def web_fields(item: WorkItem) -> dict[str, str]:
    """A URL input's origin for the report (url, feed, item title and date); {} for files."""
    return item.web.metadata() if item.web is not None else {}


def skipped_outcome(item: WorkItem) -> FileOutcome:
    outputs = tuple(str(p) for p in item.outputs)
    return FileOutcome(
        item.source, "skipped", outputs, rel=item.rel, key=item.key, web=web_fields(item)
    )


def pending_outcome(item: WorkItem) -> FileOutcome:
    """An input the run stopped before (interrupted, or a model that did not load)."""
    return FileOutcome(item.source, "pending", rel=item.rel, key=item.key, web=web_fields(item))


def _run_batch(articles: list[Article], models: Models, job: BatchJob) -> list[Result | str]:
    """One pipeline call for all; if it fails, each article alone, so one bad input cannot
    take its neighbours down with it. Failures come back as one-line messages."""
    try:
        return list(_pipeline(articles, models, job))
    except Exception as exc:
        if len(articles) == 1:
            return [_message(articles[0], exc)]
    return [_one(a, models, job) for a in articles]


def _one(article: Article, models: Models, job: BatchJob) -> Result | str:
    try:
        return _pipeline([article], models, job)[0]
    except Exception as exc:  # a model crash on one input must not end the run
        return _message(article, exc)


def _message(article: Article, exc: Exception) -> str:
    what = str(exc) if isinstance(exc, DigestError) else f"model error: {type(exc).__name__}: {exc}"
    lines = what.strip().splitlines() or [type(exc).__name__]
    return f"{article.source}: {lines[0]}"


def _pipeline(articles: list[Article], models: Models, job: BatchJob) -> Sequence[Result]:
    if isinstance(job.options, TranslateOptions):
        return translate(articles, models, job.options)
    return summarize(articles, models, job.options)


def _write(result: Result, item: WorkItem, job: BatchJob, stdout: TextIO | None) -> tuple[str, ...]:
    if not item.outputs:
        for fmt in job.formats:
            get_writer(fmt).write_stream(result, stdout or sys.stdout)
        return ("-",)
    written = []
    for fmt, path in zip(job.formats, item.outputs, strict=True):
        written.append(str(get_writer(fmt).write(result, path)))
    return tuple(written)


def _failed(
    item: WorkItem, error: str, seconds: float, timings: dict[str, float] | None = None
) -> FileOutcome:
    return FileOutcome(
        item.source,
        "failed",
        error=error,
        seconds=round(seconds, 4),
        rel=item.rel,
        key=item.key,
        timings=timings or {},
        web=web_fields(item),
    )
