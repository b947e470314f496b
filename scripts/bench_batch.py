"""Benchmark a batch run: throughput and memory of `digest summarize FOLDER` on N articles.

    python scripts/bench_batch.py              # 1,000 generated articles, both setups
    python scripts/bench_batch.py --n 200 --setups extractive

Setups: (a) `tiny`: random-weight tiny T5 summarizer + tiny Marian translator (bilingual
digest; the models are built here, nothing is downloaded); (b) `extractive`: the built-in
extractive summarizer, German only (no model at all). Each run is a separate `digest`
process (as a user runs it), sampled from /proc for resident memory; then the same command
again, which must skip everything. Prints one table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from digest.batch.cache import CACHE_NAME
from digest.batch.synthetic import write_articles
from digest.ingest.article import decode_bytes

ROOT = Path(__file__).resolve().parents[1]
EXTRA_EN = ["The city council approved new bike lanes.", "Costs rose by twelve percent."]


@dataclass(frozen=True)
class Measured:
    setup: str
    articles: int
    ok: int
    failed: int
    wall_s: float
    rate: float  # articles per second of wall time, process start to exit
    peak_rss_mb: float
    rss_early_mb: float  # when ~10% of the articles were done
    rss_late_mb: float  # when ~90% were done
    rerun_s: float
    rerun_skipped: int


def build_tiny_models(base: Path) -> Path:
    from digest.devtools.random_models import build_marian, build_t5

    texts = [
        decode_bytes(p.read_bytes())[0]
        for p in sorted((ROOT / "samples").iterdir())
        if p.suffix in (".txt", ".md", ".html") and p.name != "README.md"
    ]
    marian = build_marian(base / "tiny-marian", texts + EXTRA_EN)
    t5 = build_t5(base / "tiny-t5", texts)
    yaml = base / "models.bench.yaml"
    yaml.write_text(
        f"""version: 1
defaults:
  summarizer: tiny-t5
  translators: {{en: tiny-marian}}
models:
  extractive: {{role: summarizer, backend: extractive}}
  tiny-marian:
    role: translator
    source: {marian}
    family: marian
    target_lang: en
    max_input_tokens: 128
    generation: {{num_beams: 2, max_new_tokens: 12}}
  tiny-t5:
    role: summarizer
    source: {t5}
    family: t5
    prefix: 'summarize: '
    max_input_tokens: 256
    generation: {{num_beams: 2, max_new_tokens: 16, no_repeat_ngram_size: 3}}
""",
        encoding="utf-8",
    )
    return yaml


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def done_count(out: Path) -> int:
    try:
        return len((out / CACHE_NAME).read_bytes().splitlines())
    except OSError:
        return 0


def run_once(cmd: list[str], out: Path, n: int) -> tuple[float, float, float, float]:
    """(wall seconds, peak RSS, RSS at ~10% done, RSS at ~90% done), sampled every 0.1 s."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = early = late = 0.0
    while proc.poll() is None:
        rss = rss_mb(proc.pid)
        peak = max(peak, rss)
        done = done_count(out)
        if not early and done >= n * 0.1:
            early = rss
        if not late and done >= n * 0.9:
            late = rss
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"digest failed ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
    return wall, peak, early, late


def measure(
    setup: str, articles: Path, yaml: Path, work: Path, n: int, threads: int | None
) -> Measured:
    out, report = work / f"out-{setup}", work / f"report-{setup}.json"
    extra = (
        ["--summarizer", "extractive", "--to", "de"] if setup == "extractive" else ["--to", "en"]
    )
    cmd = [sys.executable, "-m", "digest", "summarize", str(articles), "--out", str(out),
           "--models", str(yaml), "--format", "json", "--format", "md", "--quiet",
           "--device", "cpu", "--report", str(report), *extra]  # fmt: skip
    if threads:
        cmd += ["--threads", str(threads)]
    wall, peak, early, late = run_once(cmd, out, n)
    counts = json.loads(report.read_text(encoding="utf-8"))["counts"]
    rerun, _, _, _ = run_once(cmd, out, n)
    again = json.loads(report.read_text(encoding="utf-8"))["counts"]
    return Measured(
        setup, n, counts["ok"], counts["failed"], wall, counts["ok"] / wall, peak, early, late,
        rerun, again["skipped"],
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles to generate (1000)")
    parser.add_argument("--setups", default="tiny,extractive", help="tiny,extractive")
    parser.add_argument("--sections", type=int, default=3, help="sections per article (3)")
    parser.add_argument(
        "--threads", type=int, help="torch CPU threads (default: torch's choice; 1 on a busy box)"
    )
    parser.add_argument("--workdir", type=Path, help="keep files here (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        articles = work / "articles"
        write_articles(articles, args.n, sections=args.sections)
        words = sum(len(p.read_text("utf-8").split()) for p in articles.rglob("*.*")) / args.n
        yaml = build_tiny_models(work / "models")
        rows = [
            measure(s, articles, yaml, work, args.n, args.threads) for s in args.setups.split(",")
        ]
    print(f"\n{args.n} generated articles (~{words:.0f} words each, .txt/.md/.html in folders)")
    print("wall = whole `digest` process (start, model load, all articles, report)")
    print(f"torch threads: {args.threads or 'torch default'}\n")
    head = ("setup", "ok", "failed", "wall s", "articles/s", "peak RSS MB",
            "RSS@10% MB", "RSS@90% MB", "rerun s", "rerun skipped")  # fmt: skip
    table = [head] + [
        (
            r.setup,
            str(r.ok),
            str(r.failed),
            f"{r.wall_s:.1f}",
            f"{r.rate:.2f}",
            f"{r.peak_rss_mb:.0f}",
            f"{r.rss_early_mb:.0f}",
            f"{r.rss_late_mb:.0f}",
            f"{r.rerun_s:.1f}",
            str(r.rerun_skipped),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for k, row in enumerate(table):
        print(" | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
        if k == 0:
            print("-+-".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
