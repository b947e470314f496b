"""Progress of a run: a rich bar on a terminal, plain periodic lines in CI logs, or nothing."""

from __future__ import annotations

import sys
import threading
import time
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from digest.batch.job import BatchJob, FileOutcome

LOG_INTERVAL_SECONDS = 10.0


class RunProgress(Protocol):
    def start(self, total: int, skipped: int) -> None: ...

    def update(self, outcome: FileOutcome) -> None: ...

    def close(self) -> None: ...


class NoProgress:
    def start(self, total: int, skipped: int) -> None:
        pass

    def update(self, outcome: FileOutcome) -> None:
        pass

    def close(self) -> None:
        pass


def _eta(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s // 60 % 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


class LogProgress:
    """One line at start, then one every ``interval`` seconds, and one at the end.

    A timer thread keeps the lines coming while one long article keeps the models busy
    (CI systems kill jobs that stay silent too long).
    """

    def __init__(self, stream: TextIO | None = None, interval: float = LOG_INTERVAL_SECONDS):
        self.stream = stream
        self.interval = interval
        self.total = self.done = self.failed = 0
        self.t0 = self.last = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._timer: threading.Thread | None = None

    def _print(self, line: str) -> None:
        print(f"digest: {line}", file=self.stream or sys.stderr, flush=True)

    def start(self, total: int, skipped: int) -> None:
        self.total, self.t0 = total, time.monotonic()
        self.last = self.t0
        up_to_date = f", {skipped} up to date (skipped)" if skipped else ""
        self._print(f"{total} file(s) to process{up_to_date}")
        if self.interval > 0 and total:
            self._timer = threading.Thread(target=self._beat, name="digest-progress", daemon=True)
            self._timer.start()

    def update(self, outcome: FileOutcome) -> None:
        with self._lock:
            self.done += 1
            self.failed += outcome.status == "failed"
            now = time.monotonic()
            if now - self.last >= self.interval and self.done < self.total:
                self.last = now
                self._print(self._status(now))

    def _beat(self) -> None:
        """A line whenever ``interval`` seconds passed without one, finished files or not."""
        while not self._stop.wait(max(0.05, self.last + self.interval - time.monotonic())):
            with self._lock:
                now = time.monotonic()
                if now - self.last >= self.interval and self.done < self.total:
                    self.last = now
                    self._print(self._status(now) + ", working")

    def _status(self, now: float) -> str:
        elapsed = max(now - self.t0, 1e-9)
        rate = self.done / elapsed
        eta = _eta((self.total - self.done) / rate) if rate > 0 else "?"
        return (
            f"{self.done}/{self.total} files ({self.failed} failed), {rate:.2f} files/s, ETA {eta}"
        )

    def close(self) -> None:
        self._stop.set()
        if self._timer is not None:
            self._timer.join(timeout=5)
        if self.total:
            end = "done" if self.done == self.total else "stopped"
            self._print(self._status(time.monotonic()).split(", ETA")[0] + f", {end}")


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.2f} files/s" if speed else "-- files/s", style="progress.data.speed")


class BarProgress:
    """A rich progress bar on stderr: done/total, rate, elapsed, ETA, failures so far."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.failed = 0
        self.bar = Progress(
            TextColumn("[bold]digest"),
            BarColumn(),
            MofNCompleteColumn(),
            _Rate(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[failed]}"),
            console=self.console,
        )
        self.task = self.bar.add_task("files", total=0, failed="", start=False)

    def start(self, total: int, skipped: int) -> None:
        if skipped:
            self.console.print(f"{skipped} file(s) up to date (skipped)")
        self.bar.update(self.task, total=total)
        self.bar.start_task(self.task)
        self.bar.start()

    def update(self, outcome: FileOutcome) -> None:
        self.failed += outcome.status == "failed"
        failed = f"[red]{self.failed} failed" if self.failed else ""
        self.bar.update(self.task, advance=1, failed=failed)

    def close(self) -> None:
        self.bar.stop()


def make_progress(job: BatchJob, files: int, stream: TextIO | None = None) -> RunProgress:
    """auto: a bar when stderr is a terminal, log lines otherwise, nothing for a single file;
    --quiet shows none."""
    mode = "none" if job.quiet or (job.progress == "auto" and files <= 1) else job.progress
    if mode == "auto":
        err = stream or sys.stderr
        mode = "bar" if hasattr(err, "isatty") and err.isatty() else "log"
    if mode == "bar":
        return BarProgress()
    if mode == "log":
        return LogProgress(stream)
    return NoProgress()


class FetchProgress:
    """Fetching as a stage of its own, before the work: a bar on a terminal, log lines (one
    per interval) otherwise, and one closing line with the counts; nothing when quiet."""

    def __init__(self, mode: str, stream: TextIO | None = None, interval: float = 10.0):
        self.mode = mode
        self.stream = stream
        self.interval = interval
        self.done = self.cached = self.failed = 0
        self.network_s = 0.0
        self.t0 = self.last = time.monotonic()
        self.bar: Progress | None = None

    def _print(self, line: str) -> None:
        print(f"digest: {line}", file=self.stream or sys.stderr, flush=True)

    def update(self, url: str, result: object) -> None:
        from digest.ingest.fetch import Page

        self.done += 1
        if isinstance(result, Page):
            self.cached += result.from_cache and result.seconds == 0
            self.network_s += result.seconds
        else:
            self.failed += 1
        if self.mode == "bar":
            if self.bar is None:
                self.bar = Progress(
                    TextColumn("[bold]fetch"),
                    BarColumn(),
                    TextColumn("{task.completed} URL(s)"),
                    TimeElapsedColumn(),
                    console=Console(stderr=True),
                    transient=True,
                )
                self.task = self.bar.add_task("fetch", total=None)
                self.bar.start()
            self.bar.update(self.task, advance=1)
        elif self.mode == "log" and time.monotonic() - self.last >= self.interval:
            self.last = time.monotonic()
            self._print(f"fetching: {self.done} URL(s) so far")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
        if self.mode != "none" and self.done:
            seconds = time.monotonic() - self.t0
            self._print(
                f"fetched {self.done} URL(s) in {seconds:.1f}s: {self.cached} from the cache, "
                f"{self.done - self.cached - self.failed} over the network, {self.failed} failed"
            )


def make_fetch_progress(job: BatchJob, stream: TextIO | None = None) -> FetchProgress:
    mode = "none" if job.quiet or job.progress == "none" else job.progress
    if mode == "auto":
        err = stream or sys.stderr
        mode = "bar" if hasattr(err, "isatty") and err.isatty() else "log"
    return FetchProgress(str(mode), stream)
