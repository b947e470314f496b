"""The picklable records a batch run is made of: the job, its work items and their outcomes.

These cross process boundaries (the Ray engine ships them to actors), so they hold only plain
values, Paths, tuples and other frozen dataclasses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from digest.config import ModelSpec
from digest.errors import ConfigError
from digest.ingest.web_input import WebSource
from digest.options import (
    DigestOptions,
    FetchOptions,
    ProgressMode,
    RuntimeOptions,
    TranslateOptions,
    choice,
)

JobKind = Literal["digest", "translate"]
# ok: written; skipped: up to date; failed: see error; pending: the run stopped before it.
Status = Literal["ok", "skipped", "failed", "pending"]


@dataclass(frozen=True)
class BatchJob:
    """Everything a run needs, decided once by the CLI (or a caller) before any work."""

    kind: JobKind
    inputs: tuple[str, ...]
    out: Path | None
    options: DigestOptions | TranslateOptions
    formats: tuple[str, ...] = ("md",)
    summarizer: ModelSpec | None = None  # resolved once from models.yaml; None = role not loaded
    translator: ModelSpec | None = None
    runtime: RuntimeOptions = field(default_factory=RuntimeOptions)
    force: bool = False  # redo items whose outputs are up to date
    shard: tuple[int, int] | None = None  # (i, n), 1 <= i <= n
    report: Path | None = None  # run report JSON; a JSONL manifest goes next to it
    quiet: bool = False
    progress: ProgressMode = ProgressMode.AUTO
    chunk_size: int = 16  # articles per pipeline call: throughput vs. memory and lost work
    fetch: FetchOptions = field(default_factory=FetchOptions)  # URL and feed inputs

    def __post_init__(self) -> None:
        for role in ("summarizer", "translator"):
            if not isinstance(getattr(self, role), ModelSpec | None):
                raise ConfigError(
                    f"BatchJob.{role} takes a ModelSpec (e.g. load_config().{role}(...)), "
                    f"not {getattr(self, role)!r}"
                )
        object.__setattr__(self, "progress", choice(ProgressMode, self.progress, "progress"))

    @property
    def target_lang(self) -> str:
        """Language tag of output names (``<stem>.<lang>.md`` for translations)."""
        if isinstance(self.options, TranslateOptions):
            return self.options.to
        return "en"

    @property
    def specs(self) -> tuple[ModelSpec, ...]:
        """The models the job loads, in load order (translator first)."""
        return tuple(s for s in (self.translator, self.summarizer) if s is not None)


@dataclass(frozen=True)
class WorkItem:
    """One input of a run, with where its outputs go and whether it is already done."""

    source: str  # the path as found ("-" for stdin), or the URL
    rel: str  # path relative to its input root (mirrored under --out)
    outputs: tuple[Path, ...]  # empty when results go to stdout
    key: str  # cache key: content hash + models + options; "" when it cannot be known
    skip: bool = False  # outputs exist and were made with this key
    error: str | None = None  # known before any work (missing file, clashing output)
    content_sha256: str = ""
    web: WebSource | None = None  # a URL input, fetched while planning


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input. ``error`` is one line; ``timings`` are seconds per stage."""

    source: str
    status: Status
    outputs: tuple[str, ...] = ()
    error: str | None = None
    warnings: tuple[str, ...] = ()
    flags: int = 0  # faithfulness flags raised in the output
    checks: str = ""  # translation self-checks in one line ("checks: 42 sentences, 42 passed")
    seconds: float = 0.0
    rel: str = ""
    key: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    web: dict[str, str] = field(default_factory=dict)  # URL inputs: url, feed, item title/date


_SHARD = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """``"2/4"`` -> (2, 4). Shards count from 1, so ``1/4 .. 4/4`` cover every file once."""
    if text is None or not text.strip():
        return None
    m = _SHARD.fullmatch(text)
    if not m:
        raise ConfigError(f"{{shard}} must look like I/N (e.g. 1/4), not {text!r}")
    i, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= i <= n:
        raise ConfigError(f"{{shard}} {text}: need 1 <= I <= N")
    return i, n
