"""Run a batch job from the CLI and turn its report into messages and an exit code."""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.console import Console
from rich.table import Table

from digest.batch import BatchJob, RunReport
from digest.batch.job import FileOutcome
from digest.engines.local import run_local

Engine = Callable[[BatchJob], RunReport]
MAX_LISTED_FAILURES = 30  # the report has them all


def run_batch(job: BatchJob, engine: Engine | None = None) -> None:
    """Run ``job`` (locally unless another engine is given), print, exit with its code."""
    report = (engine or run_local)(job)
    finish_run(report, job.quiet)


def finish_run(report: RunReport, quiet: bool) -> None:
    """Messages on stderr; exit 0 all ok, 1 some failed (or no report), 2 a lone input
    failed, 130 stopped."""
    if report.interrupted:
        done = report.count("ok") + report.count("failed")
        typer.echo(
            f"interrupted: {done} file(s) processed this run; finished outputs are kept, "
            "run the same command again to resume",
            err=True,
        )
        _report_error(report)
        raise typer.Exit(130)
    if len(report.files) == 1:
        _single(report.files[0], quiet)
    else:
        _summary(report, quiet)
    _report_error(report)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _report_error(report: RunReport) -> None:
    # Even with --quiet: a CI job that reads the report must learn that there is none.
    if report.report_error:
        typer.echo(
            f"error: {report.report_error}; the outputs were written, but this run has no report",
            err=True,
        )


def _label(o: FileOutcome) -> str:
    return "stdin" if o.source == "-" else o.source


def _error_line(o: FileOutcome) -> str:
    # Loader messages usually name the file already; don't say it twice.
    where = "" if _label(o) in (o.error or "") else f"{_label(o)}: "
    return f"error: {where}{o.error}"


def _single(o: FileOutcome, quiet: bool) -> None:
    if not quiet:
        if o.status == "ok" and o.outputs != ("-",):
            typer.echo(f"wrote {', '.join(o.outputs)}", err=True)
        if o.status == "skipped":
            typer.echo(f"up to date: {', '.join(o.outputs)} (--force redoes it)", err=True)
        for w in o.warnings:
            typer.echo(f"warning: {_label(o)}: {w}", err=True)
        if o.checks and o.checks not in o.warnings:  # a clean run says so too
            typer.echo(f"{_label(o)}: {o.checks}", err=True)
        if o.flags:
            typer.echo(f"note: {_label(o)}: {o.flags} faithfulness flag(s), see output", err=True)
    if o.status == "failed":
        typer.echo(_error_line(o), err=True)


def _summary(report: RunReport, quiet: bool) -> None:
    failed = [f for f in report.files if f.status == "failed"]
    if quiet:
        for o in failed:
            typer.echo(_error_line(o), err=True)
        return
    console = Console(stderr=True, highlight=False)
    table = Table(title="digest run", title_justify="left")
    table.add_column("status")
    table.add_column("files", justify="right")
    for status in ("ok", "skipped", "failed"):
        table.add_row(status, str(report.count(status)))
    table.add_row("total", str(len(report.files)), style="bold")
    console.print(table)
    if failed:
        errors = Table(title="failed files", title_justify="left")
        errors.add_column("file", overflow="fold")
        errors.add_column("reason", overflow="fold")
        for o in failed[:MAX_LISTED_FAILURES]:
            reason = (o.error or "").replace(f"{o.source}: ", "").replace(o.source, "the file")
            errors.add_row(o.source, reason)
        console.print(errors)
        if len(failed) > MAX_LISTED_FAILURES:
            more = len(failed) - MAX_LISTED_FAILURES
            console.print(f"... and {more} more (all of them are in --report)")
    warned = sum(1 for f in report.files if f.warnings)
    flagged = sum(f.flags for f in report.files)
    if warned or flagged:
        console.print(
            f"{warned} file(s) with warnings, {flagged} faithfulness flag(s): see the outputs"
            + (" and the report" if report.report_path else " (or --report FILE.json)")
        )
    processed = report.count("ok") + report.count("failed")
    rate = f", {processed / report.seconds:.2f} files/s" if report.seconds and processed else ""
    console.print(f"{report.seconds:.1f}s{rate}")
    if report.report_path is not None and not report.report_error:
        console.print(f"report: {report.report_path} (manifest: {report.manifest_path})")
