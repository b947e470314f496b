"""The local engine: plan, load models once, process in chunks with progress, report."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from digest.batch.job import BatchJob, FileOutcome, WorkItem
from digest.batch.plan import run_plan
from digest.batch.process import load_job_models, pending_outcome, process_items, skipped_outcome
from digest.batch.progress import RunProgress, make_fetch_progress, make_progress
from digest.batch.report import RunReport, finish_report
from digest.batch.stopping import shielded, stop_signals
from digest.errors import DigestError
from digest.models import Models


def chunks(items: Sequence[WorkItem], size: int) -> Iterator[Sequence[WorkItem]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def all_outcomes(
    items: Sequence[WorkItem], done: dict[tuple[str, str], FileOutcome]
) -> list[FileOutcome]:
    """Every planned input in order: its outcome, skipped, or pending (not reached)."""
    return [
        skipped_outcome(i) if i.skip else done.get((i.source, i.rel)) or pending_outcome(i)
        for i in items
    ]


def run_local(
    job: BatchJob,
    *,
    models: Models | None = None,
    progress: RunProgress | None = None,
    stdout: TextIO | None = None,
) -> RunReport:
    """Run a whole job in this process. Planning errors raise before any work; a model that
    does not load, Ctrl-C or SIGTERM end the run with a report of every input, then the
    error is raised (the report is not: interrupted is in it, exit code 130).

    Memory stays flat: each article's result is written and dropped as soon as it is done;
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
    prog = progress or make_progress(job, len(items))
    done: dict[tuple[str, str], FileOutcome] = {}

    def on_done(outcome: FileOutcome) -> None:
        # Collected as they finish, so an interrupted run still reports what it wrote.
        done[(outcome.source, outcome.rel)] = outcome
        prog.update(outcome)

    interrupted = False
    error: DigestError | None = None
    with stop_signals():
        try:
            # Inputs known to fail (missing, too large) need no models: refuse them first.
            if models is None and any(not i.error for i in todo):
                models = load_job_models(job)
            prog.start(len(todo), len(items) - len(todo))
            for chunk in chunks(todo, job.chunk_size):
                process_items(chunk, models, job, on_done=on_done, stdout=stdout)
        except KeyboardInterrupt:
            interrupted = True
        except DigestError as exc:
            error = exc
        finally:
            prog.close()
        try:
            with shielded():  # a second Ctrl-C must not cut the report in half
                report = finish_report(
                    job,
                    all_outcomes(items, done),
                    models.infos if models is not None else None,
                    started=started,
                    interrupted=interrupted,
                    error=error,
                )
        except KeyboardInterrupt:
            interrupted = True
    if error is not None:
        raise error
    return report
