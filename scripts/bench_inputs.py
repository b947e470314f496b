"""Hostile and huge inputs: time and peak memory of one extractive digest, by input size.

    python scripts/bench_inputs.py                       # every shape at 1/100, 1/10, 1 x cap
    python scripts/bench_inputs.py --shapes table --sizes 50000,500000
    python scripts/bench_inputs.py --keep /tmp/inputs    # keep the generated files

Each shape is generated at each size (bytes, up to the 5,000,000-byte input cap) and run as
``digest summarize FILE --summarizer extractive --to de --offline --format json`` in its own
process; peak RSS is that process's (``resource.getrusage`` of the waiting child). The
last column is time(size) / time(size / 10): linear is about 10, the target is <= 15.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from digest.batch.synthetic import article

CAP = 5_000_000
_MEASURE = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
err = done.stderr.decode("utf-8", "replace").strip().splitlines()
print(done.returncode, wall, rss_kb, (err[-1] if err else "")[:120], sep="\\t")
"""


def _fit(unit: Callable[[int], str], size: int, head: str = "", tail: str = "") -> str:
    """``head`` + units numbered 0, 1, ... + ``tail``, about ``size`` bytes of UTF-8."""
    parts, used, i = [head], len(head.encode()) + len(tail.encode()), 0
    while True:
        piece = unit(i)
        n = len(piece.encode())
        if used + n > size:
            break
        parts.append(piece)
        used += n
        i += 1
    parts.append(tail)
    return "".join(parts)


def news(size: int) -> str:
    """Many distinct generated news articles joined into one text file."""
    return _fit(lambda i: article(i, sections=3).text if i % 4 != 3 else "", size)


def short_sentences(size: int) -> str:
    words = ("Rat", "Stadt", "Bahn", "Schule", "Klinik", "Brücke", "Halle", "Bad")
    return _fit(
        lambda i: f"Die {words[i % 8]} Nummer {i} ist neu." + ("\n\n" if i % 7 == 6 else " "),
        size,
        head="Viele kurze Sätze\n\n",
    )


def md_table(size: int) -> str:
    return _fit(
        lambda i: (
            f"| In Ort {i} hat die Partei | {i * 7 % 1000},{i % 10} Prozent | {i % 97} Stimmen |\n"
        ),
        size,
        head="# Ergebnisse der Wahl in allen Orten\n\n"
        "Die Tabelle zeigt die Ergebnisse der Wahl in allen Orten des Landes.\n\n"
        "| Ort | Anteil | Stimmen |\n|---|---:|---:|\n",
    )


def html_paragraphs(size: int) -> str:
    return _fit(
        lambda i: f"<p>Der Verein Nummer {i} trifft sich am Montag in der Halle.</p>\n",
        size,
        head="<!doctype html><html lang=de><head><title>Vereine der Stadt</title></head>"
        "<body><article><h1>Vereine der Stadt</h1>\n",
        tail="</article></body></html>\n",
    )


def numbers(size: int) -> str:
    return _fit(
        lambda i: (
            f"Am {i % 28 + 1}. März {1990 + i % 30} kostete Los {i} genau {i * 13},{i % 100:02d} "
            f"Euro, {i % 90 + 5} Prozent mehr als die {i * 3} Tonnen im Jahr davor.\n\n"
        ),
        size,
        head="Zahlen aus dem Archiv der Stadt\n\n",
    )


def one_line(size: int) -> str:
    words = ("der", "Stadtrat", "hat", "am", "Montag", "die", "neue", "Halle", "beschlossen")
    return _fit(lambda i: words[i % 9] + ("." if i % 23 == 22 else "") + " ", size)


def dots_line(size: int) -> str:
    return _fit(lambda i: ". ", size, head="Der Stadtrat hat die neue Halle beschlossen und ")


def one_word(size: int) -> str:
    head = "Ein sehr langes Wort\n\nDer Stadtrat hat am Montag die neue Halle beschlossen. "
    tail = " ist das Wort.\n"
    return head + "Donaudampfschifffahrt" * ((size - len(head.encode()) - len(tail)) // 21) + tail


def md_emphasis(size: int) -> str:
    head = "# Sterne ohne Ende\n\nDer Stadtrat hat am Montag die neue Halle beschlossen.\n\n"
    return _fit(lambda i: "**der ", size, head=head)


def md_brackets(size: int) -> str:
    head = "# Klammern ohne Ende\n\nDer Stadtrat hat am Montag die neue Halle beschlossen.\n\n"
    return _fit(lambda i: "[die Halle](" if i % 2 else "[der ", size, head=head)


SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "news": ("txt", news),
    "short-sentences": ("txt", short_sentences),
    "table": ("md", md_table),
    "html-paragraphs": ("html", html_paragraphs),
    "numbers": ("txt", numbers),
    "one-line": ("txt", one_line),
    "dots-line": ("txt", dots_line),
    "one-word": ("txt", one_word),
    "md-emphasis": ("md", md_emphasis),
    "md-brackets": ("md", md_brackets),
}


def run_one(path: Path, timeout: int) -> tuple[int, float, float, str]:
    cmd = [
        sys.executable, "-c", _MEASURE, sys.executable, "-m", "digest", "summarize", str(path),
        "--summarizer", "extractive", "--to", "de", "--offline", "--format", "json",
    ]  # fmt: skip
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return -1, float(timeout), float("nan"), f"killed after {timeout} s"
    rc, wall, rss_kb, err = out.stdout.rstrip("\n").split("\t")
    return int(rc), float(wall), int(rss_kb) / 1024, err


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shape names")
    ap.add_argument("--sizes", default=f"{CAP // 100},{CAP // 10},{CAP}", help="bytes")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per run")
    ap.add_argument("--keep", type=Path, help="write the inputs here and keep them")
    ap.add_argument("--json", action="store_true", help="print rows as JSON lines too")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="digest-bench-inputs-"))
    folder.mkdir(parents=True, exist_ok=True)
    print("| shape | bytes | exit | time s | peak RSS MB | time / time(bytes/10) | note |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name in args.shapes.split(","):
        ext, make = SHAPES[name]
        times: dict[int, float] = {}
        for size in sizes:
            path = folder / f"{name}-{size}.{ext}"
            path.write_text(make(size), encoding="utf-8")
            t0 = time.perf_counter()
            rc, wall, rss, err = run_one(path, args.timeout)
            times[size] = wall
            smaller = times.get(size // 10)
            ratio = f"{wall / smaller:.1f}" if smaller else ""
            note = err if rc != 0 else ""
            print(
                f"| {name} | {path.stat().st_size:,} | {rc} | {wall:.1f} | {rss:.0f} | {ratio} "
                f"| {note} |",
                flush=True,
            )
            if args.json:
                row = {"shape": name, "bytes": size, "rc": rc, "s": wall, "rss_mb": rss}
                print(json.dumps(row), file=sys.stderr)
            del t0
            if not args.keep:
                path.unlink()


if __name__ == "__main__":
    main()
