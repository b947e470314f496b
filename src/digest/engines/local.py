"""The local engine: plan, load models once, process in chunks with progress, report."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from digest.batch.job import BatchJob, FileOutcome, WorkItem
from digest.batch.plan import run_plan
from digest.batch.process import load_job_models, process_items, skipped_outcome
from digest.batch.progress import RunProgress, make_fetch_progress, make_progress
from digest.batch.report import RunReport, finish_report
from digest.models import Models


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """CI cancels jobs with SIGTERM: treat it like Ctrl-C so temp files are cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def chunks(items: Sequence[WorkItem], size: int) -> Iterator[Sequence[WorkItem]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def run_local(
    job: BatchJob,
    *,
    models: Models | None = None,
    progress: RunProgress | None = None,
    stdout: TextIO | None = None,
) -> RunReport:
    """Run a whole job in this process. Config and model errors raise before any work.

    Memory stays flat: each chunk's results are written and dropped before the next chunk;
    only the small per-file outcomes are kept for the report. The output folder stays
    locked for the whole run.
    """
    started = time.time()
    with planned(job) as items:
        return _run_items(job, items, started, models=models, progress=progress, stdout=stdout)


@contextmanager
def planned(job: BatchJob) -> Iterator[list[WorkItem]]:
    """The job's work items, fetching shown as a stage; --out stays locked for the block."""
    with contextlib.ExitStack() as held:
        fetching = make_fetch_progress(job)
        try:
            items = held.enter_context(run_plan(job, on_fetched=fetching.update))
        finally:
            fetching.close()
        yield items


def _run_items(
    job: BatchJob,
    items: list[WorkItem],
    started: float,
    *,
    models: Models | None,
    progress: RunProgress | None,
    stdout: TextIO | None,
) -> RunReport:
    todo = [i for i in items if not i.skip]
    if todo and models is None:
        models = load_job_models(job)
    prog = progress or make_progress(job, len(items))
    done: dict[tuple[str, str], FileOutcome] = {}

    def on_done(outcome: FileOutcome) -> None:
        # Collected as they finish, so an interrupted chunk still reports what it wrote.
        done[(outcome.source, outcome.rel)] = outcome
        prog.update(outcome)

    interrupted = False
    with sigterm_as_interrupt():
        prog.start(len(todo), len(items) - len(todo))
        try:
            for chunk in chunks(todo, job.chunk_size):
                assert models is not None
                process_items(chunk, models, job, on_done=on_done, stdout=stdout)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            prog.close()
    outcomes = [
        skipped_outcome(i) if i.skip else done[(i.source, i.rel)]
        for i in items
        if i.skip or (i.source, i.rel) in done
    ]
    return finish_report(
        job,
        outcomes,
        models.infos if models is not None else None,
        started=started,
        interrupted=interrupted,
    )
