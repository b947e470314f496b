"""Digest a feed of N generated German articles served on 127.0.0.1, twice; print a table.

    python scripts/bench_feed.py [--items 50] [--latency 0.05] [--per-host 2]

Runs ``digest summarize FEED --summarizer extractive --to de --out DIR`` as a user would
(a subprocess), first with empty caches, then again (nothing new: the feed costs a 304, the
pages come from the fetch cache, every item is skipped by the run cache). ``--latency``
delays every answer of the server, a stand-in for a real network. Fetch and model seconds
come from the run report (per-file ``timings``: fetch, load, pipeline, write).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.devtools.news_server import NewsServer, Route, german_page, rss_feed


def run_once(feed: str, out: Path, report: Path, per_host: int) -> tuple[float, float, dict]:
    cmd = [
        sys.executable, "-m", "digest", "summarize", feed, "--summarizer", "extractive",
        "--to", "de", "--out", str(out), "--report", str(report), "--progress", "log",
        "--per-host", str(per_host),
    ]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"digest exited with {proc.returncode}:\n{proc.stderr}")
    # The fetch stage's closing line: "digest: fetched N URL(s) in 3.1s: ..."
    m = re.search(r"fetched \d+ URL\(s\) in ([\d.]+)s", proc.stderr)
    stage = float(m.group(1)) if m else 0.0
    return wall, stage, json.loads(report.read_text(encoding="utf-8"))


def stage_sum(report: dict, stage: str) -> float:
    return sum(f.get("timings", {}).get(stage, 0.0) for f in report["files"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--latency", type=float, default=0.05, help="seconds before each answer")
    ap.add_argument("--per-host", type=int, default=2)
    args = ap.parse_args()
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp, NewsServer() as srv:
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "xdg")
        os.environ["NO_PROXY"] = "127.0.0.1,localhost"
        items = []
        for i in range(args.items):
            path = f"/nachrichten/{i:03d}.html"
            srv.add(path, Route(german_page(i), delay=args.latency))
            items.append((path, f"Meldung {i}", now - timedelta(minutes=10 * i)))
        feed = srv.add(
            "/nachrichten/feed.xml",
            Route(rss_feed(items), content_type="application/rss+xml", etag='"1"',
                  delay=args.latency),
        )  # fmt: skip
        out = Path(tmp) / "digests"
        rows = []
        for label in ("first run", "rerun"):
            before = sum(srv.hits.values())
            wall, stage, report = run_once(feed, out, Path(tmp) / "run.json", args.per_host)
            requests = sum(srv.hits.values()) - before
            counts = report["counts"]
            rows.append(
                (
                    label,
                    wall,
                    stage,
                    requests,
                    stage_sum(report, "fetch"),
                    stage_sum(report, "load"),
                    stage_sum(report, "pipeline"),
                    f"{counts['ok']} ok, {counts['skipped']} skipped, {counts['failed']} failed",
                )
            )
    print(f"feed of {args.items} items, server latency {args.latency:g} s, "
          f"--per-host {args.per_host}, {os.cpu_count()} CPUs")  # fmt: skip
    print()
    print(
        "| run | wall s | fetch stage s | HTTP requests | requests s (sum) | load s (sum) "
        "| model s (sum) | items |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, wall, stage, reqs, fetch, load, model, items_line in rows:
        print(
            f"| {label} | {wall:.2f} | {stage:.2f} | {reqs} | {fetch:.2f} | {load:.2f} "
            f"| {model:.2f} | {items_line} |"
        )


if __name__ == "__main__":
    main()
