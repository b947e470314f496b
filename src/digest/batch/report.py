"""The run report: one JSON document per run plus a JSONL manifest (one line per file)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from digest.backends.base import ModelInfo
from digest.batch.cache import cache_path, compact_cache, model_commit, read_cache
from digest.batch.job import BatchJob, FileOutcome
from digest.batch.plan import list_inputs
from digest.errors import DigestError, OutputError
from digest.results import digest_version
from digest.writers import atomic_write_text

REPORT_SCHEMA = "digest-run/1"
INTERRUPTED = 130  # exit code of a run stopped by Ctrl-C or SIGTERM
STATUSES = ("ok", "skipped", "failed", "pending")


@dataclass(frozen=True)
class RunReport:
    kind: str
    started: str  # ISO 8601, UTC
    finished: str
    seconds: float
    files: tuple[FileOutcome, ...]
    models: tuple[ModelInfo, ...]
    interrupted: bool = False
    report_path: Path | None = None
    manifest_path: Path | None = None
    report_error: str | None = None  # --report could not be written (one line)
    error: str | None = None  # what stopped the whole run (a model that did not load)
    error_code: int = 0  # that error's exit code

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def exit_code(self) -> int:
        """The process's exit code: 130 interrupted, the error's code (2) when the run
        stopped, else 0 all ok (or up to date), 1 some failed or the report is missing,
        2 a lone input failed."""
        if self.interrupted:
            return INTERRUPTED
        if self.error is not None:
            return self.error_code or 2
        if self.count("failed") == 0:
            return 1 if self.report_error else 0
        return 2 if len(self.files) == 1 else 1

    def to_dict(self, job: BatchJob) -> dict[str, Any]:
        processed = self.count("ok") + self.count("failed")
        return {
            "schema": REPORT_SCHEMA,
            "kind": self.kind,
            "digest_version": digest_version(),
            "started": self.started,
            "finished": self.finished,
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
            "exit_code": self.exit_code,
            "error": self.error,
            "inputs": list(job.inputs),
            "out": str(job.out) if job.out is not None else None,
            "formats": list(job.formats),
            "shard": f"{job.shard[0]}/{job.shard[1]}" if job.shard else None,
            "force": job.force,
            "options": asdict(job.options),
            "models": [asdict(m) for m in self.models],
            "counts": {
                "total": len(self.files),
                "ok": self.count("ok"),
                "skipped": self.count("skipped"),
                "failed": self.count("failed"),
                "pending": self.count("pending"),
            },
            "articles_per_second": round(processed / self.seconds, 3) if self.seconds else None,
            "files": [file_entry(f) for f in self.files],
        }


def file_entry(outcome: FileOutcome) -> dict[str, Any]:
    entry = asdict(outcome)
    entry["outputs"] = list(outcome.outputs)
    entry["warnings"] = list(outcome.warnings)
    return entry


def planned_models(job: BatchJob) -> tuple[ModelInfo, ...]:
    """What the job would load, for reports of runs that loaded nothing (all up to date)."""
    return tuple(
        ModelInfo(
            s.name,
            s.role,
            s.backend,
            s.source,
            s.revision,
            model_commit(s),
            origin="not loaded",
            family=s.family,
            device="-",
            dtype="-",
            licence=s.licence,
        )
        for s in job.specs
    )


def manifest_path_for(report: Path) -> Path:
    return report.with_suffix(".jsonl")


def finish_report(
    job: BatchJob,
    outcomes: Sequence[FileOutcome],
    models_meta: Sequence[ModelInfo] | None,
    *,
    started: float | None = None,
    interrupted: bool = False,
    error: DigestError | None = None,
) -> RunReport:
    """Build the report (files in input order), write --report and its manifest atomically.

    ``started`` is a ``time.time()`` value; ``models_meta`` None means no model was loaded;
    ``error`` is what stopped the run (it is marked as reported).
    """
    now = time.time()
    begin = started if started is not None else now
    models = tuple(models_meta) if models_meta is not None else planned_models(job)
    report = RunReport(
        kind=job.kind,
        started=_iso(begin),
        finished=_iso(now),
        seconds=now - begin,
        files=tuple(outcomes),
        models=models,
        interrupted=interrupted,
        report_path=job.report,
        manifest_path=manifest_path_for(job.report) if job.report else None,
        error=error.cli_message() if error is not None else None,
        error_code=error.exit_code if error is not None else 0,
    )
    if job.report is not None:
        try:
            write_report(job.report, report.to_dict(job))
        except OutputError as exc:  # the outputs stay; the run says it has no report
            report = dataclasses.replace(report, report_error=str(exc))
        else:
            if error is not None:
                error.reported = True
    with contextlib.suppress(DigestError, OSError):  # compacting only saves space
        _maybe_compact(job)
    return report


def write_report(path: Path, data: dict[str, Any]) -> None:
    """The report and, next to it, its JSONL manifest (one line per file), atomically."""
    lines = "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in data["files"])
    atomic_write_text(manifest_path_for(path), lines)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def error_report(
    path: Path,
    *,
    kind: str,
    inputs: Sequence[str],
    error: str,
    exit_code: int,
    started: float,
) -> None:
    """A report for a run that stopped before it had a plan (bad option, broken models.yaml):
    the error, and the inputs as far as they can be listed, all pending."""
    try:
        found = list_inputs(inputs)
    except DigestError:
        found = []
    files = [FileOutcome(source, "pending", rel=rel) for source, rel in found]
    now = time.time()
    write_report(
        path,
        {
            "schema": REPORT_SCHEMA,
            "kind": kind,
            "digest_version": digest_version(),
            "started": _iso(started),
            "finished": _iso(now),
            "seconds": round(now - started, 3),
            "interrupted": exit_code == INTERRUPTED,
            "exit_code": exit_code,
            "error": error,
            "inputs": list(inputs),
            "counts": {"total": len(files), **{s: 0 for s in STATUSES}, "pending": len(files)},
            "files": [file_entry(f) for f in files],
        },
    )


def _maybe_compact(job: BatchJob) -> None:
    # Shards may share a folder and append at the same time: only a whole run rewrites it.
    if job.shard is not None or job.out is None or not cache_path(job.out).is_file():
        return
    with cache_path(job.out).open(encoding="utf-8", errors="replace") as fh:
        lines = sum(1 for _ in fh)
    if lines > 2 * max(1, len(read_cache(job.out))):
        compact_cache(job.out)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).replace(microsecond=0).isoformat()
