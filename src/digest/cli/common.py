"""Options shared by the commands, and the one place errors become one-line messages."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer

from digest.batch.report import INTERRUPTED, error_report
from digest.cli.output import quiet_third_parties
from digest.config import ENV_MODELS
from digest.errors import DigestError
from digest.ingest.feeds import parse_since
from digest.options import (
    MAX_KEEP_DAYS,
    Backend,
    Device,
    DType,
    FetchOptions,
    OutputFormat,
    ProgressMode,
    Quantize,
    RuntimeOptions,
)

F = TypeVar("F", bound=Callable[..., Any])

ModelsOpt = Annotated[
    Path | None,
    typer.Option(
        "--models",
        envvar=ENV_MODELS,
        help="models.yaml to use (default: ./models.yaml, else the one shipped with digest).",
        show_default=False,
    ),
]
DeviceOpt = Annotated[
    Device,
    typer.Option(help="auto picks CUDA, then MPS, then CPU."),
]
DTypeOpt = Annotated[
    DType,
    typer.Option(help="auto: fp32 on CPU, bf16 on CUDA (T5/mT5 never fp16)."),
]
OfflineOpt = Annotated[
    bool,
    typer.Option(
        "--offline",
        help="Never touch the network: local directories and the HF cache only "
        "(also set by HF_HUB_OFFLINE=1).",
    ),
]
ThreadsOpt = Annotated[
    int | None,
    typer.Option(help="CPU threads for torch (default: torch's choice).", min=1),
]
QuantizeOpt = Annotated[
    Quantize,
    typer.Option(help="int8: CTranslate2's int8 (the CPU default already; not with --backend hf)."),
]
BackendOpt = Annotated[
    Backend,
    typer.Option(
        help="Engine for every model: auto = as models.yaml says (its auto: CTranslate2 int8 "
        "on CPU, transformers on CUDA/MPS)."
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Output file, or folder (created). Without it a single result goes to stdout.",
        show_default=False,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")]
# Batch runs (digest.batch): reports, the cache in --out, shards, progress.
ReportOpt = Annotated[
    Path | None,
    typer.Option(
        "--report",
        help="Write a JSON run report (per file: status, outputs, warnings, timings; models) "
        "and a JSONL manifest next to it (same name, .jsonl).",
        show_default=False,
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Redo every file, even those whose outputs are up to date."),
]
ShardOpt = Annotated[
    str | None,
    typer.Option(
        "--shard",
        help="Only shard I of N, e.g. 2/4: the runs 1/N..N/N cover every file exactly once.",
        show_default=False,
    ),
]
ProgressOpt = Annotated[
    ProgressMode,
    typer.Option(help="auto: a bar on a terminal, else log lines."),
]
FormatOpt = Annotated[
    list[OutputFormat],
    typer.Option("--format", "-f", help="Output format; repeat for several (all = every one)."),
]


# URL and feed inputs (digest.ingest.fetch, digest.ingest.feeds).
MaxItemsOpt = Annotated[
    int | None,
    typer.Option(help="Per feed: only the N newest items.", min=1, show_default=False),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        help="Per feed: only items since a time: 24h, 90m, 7d, 2w ago, or a date (2026-12-01).",
        show_default=False,
    ),
]
RefetchOpt = Annotated[
    bool,
    typer.Option("--refetch", help="Fetch URLs again even when the fetch cache has them."),
]
FetchTimeoutOpt = Annotated[
    float,
    typer.Option(help="Seconds to connect and for each read when fetching URLs.", min=0.01),
]
PerHostOpt = Annotated[
    int, typer.Option(help="Requests in flight per host when fetching URLs.", min=1)
]
FetchKeepDaysOpt = Annotated[
    int,
    typer.Option(
        help="Days a page not used by any run stays in the fetch cache (0: never prune).",
        min=0,
        max=MAX_KEEP_DAYS,
    ),
]


def fetch_options(
    max_items: int | None,
    since: str | None,
    refetch: bool,
    fetch_timeout: float,
    per_host: int,
    fetch_keep_days: int,
) -> FetchOptions:
    return FetchOptions(
        timeout=fetch_timeout,
        per_host=per_host,
        refetch=refetch,
        keep_days=fetch_keep_days,
        max_items=max_items,
        since=parse_since(since) if since is not None else None,
    )


def named(model: str) -> str | None:
    """A --summarizer/--translator value as models.yaml lookups take it (None: the default)."""
    return None if model == "default" else model


def runtime_options(
    device: Device,
    dtype: DType,
    offline: bool,
    threads: int | None,
    quantize: Quantize,
    quiet: bool,
    backend: Backend = Backend.AUTO,
) -> RuntimeOptions:
    quiet_third_parties(quiet)  # before any model library is imported
    return RuntimeOptions(
        device=device,
        dtype=dtype,
        offline=offline,
        threads=threads,
        quantize=quantize,
        show_progress=not quiet,
        backend=backend,
    )


def handle_errors(func: F) -> F:
    """DigestError -> 'error: <message>' on stderr and its exit code; DIGEST_DEBUG=1 re-raises.

    With --report, a run that stops this way still leaves a report carrying the error.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.time()

        def fail(message: str, code: int, exc: BaseException | None = None) -> typer.Exit:
            if not getattr(exc, "reported", False):
                report_stopped_run(kwargs, func.__name__, message, code, started)
            typer.echo(f"error: {message}" if message != "interrupted" else message, err=True)
            return typer.Exit(code)

        try:
            return func(*args, **kwargs)
        except DigestError as exc:
            if os.environ.get("DIGEST_DEBUG"):
                raise
            raise fail(exc.cli_message(), exc.exit_code, exc) from None
        except KeyboardInterrupt:
            raise fail("interrupted", INTERRUPTED) from None
        except typer.BadParameter as exc:
            # Option checks done in the command body: same one-line usage error, exit 2.
            raise fail(exc.format_message(), 2) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            # A bug, not bad input: still one line, with the way to the traceback.
            if os.environ.get("DIGEST_DEBUG"):
                raise
            raise fail(
                f"internal error: {type(exc).__name__}: {exc} "
                "(run with DIGEST_DEBUG=1 for the traceback)",
                3,
            ) from None

    return wrapper  # type: ignore[return-value]


def report_stopped_run(
    params: dict[str, Any], command: str, message: str, code: int, started: float
) -> None:
    """Write --report (when the command has one and it was given) for a run that stopped
    before or instead of its own report. Never hides the error it reports."""
    report = params.get("report")
    if not isinstance(report, Path):
        return
    kind = "translate" if command.startswith("translate") else "digest"
    with contextlib.suppress(OSError, DigestError):
        error_report(report, kind=kind, inputs=list(params.get("inputs") or []),
                     error=message, exit_code=code, started=started)  # fmt: skip


def echo_err(message: str, quiet: bool = False) -> None:
    if not quiet:
        print(message, file=sys.stderr)


Kind = Literal["digest", "translation"]
