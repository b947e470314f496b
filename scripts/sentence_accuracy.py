#!/usr/bin/env python3
"""Accuracy of the German sentence splitter (``digest.segment``) on the regression corpus.

Prints, for our splitter and for plain pysbd (language "de") as a baseline, plus a hybrid
that lets pysbd decide only the boundaries our rules are unsure about:

* exact-match cases / total and boundary precision, recall and F1 on
  ``tests/data/sentences_de.jsonl``,
* a per-category breakdown and the failing cases.

Then every article in ``samples/`` is split paragraph by paragraph and a few *heuristic*
warning counts are printed (these are hints for manual review, not accuracy).

Run: ``python scripts/sentence_accuracy.py [--corpus FILE] [--samples DIR]``
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

try:
    import digest  # noqa: F401
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(ROOT / "src"))

# The private entry point takes a tie breaker; it is used here only to measure the hybrid.
from digest.segment import _segment, split_sentences  # noqa: E402

Span = tuple[int, int]
Splitter = Callable[[str], list[Span]]

SAMPLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
PARAGRAPH_RE = re.compile(r"\n[ \t\r\f\v]*\n")


# --- pysbd baseline ------------------------------------------------------------------------


class PysbdSplitter:
    """pysbd with its sentence strings mapped back onto character offsets."""

    def __init__(self) -> None:
        import pysbd  # local: only this script needs it

        self._segmenter = pysbd.Segmenter(language="de", clean=False, char_span=False)
        self.misaligned = 0

    def __call__(self, text: str) -> list[Span]:
        pieces: list[str] = [str(p) for p in self._segmenter.segment(text)]
        return self.align(text, pieces)

    def align(self, text: str, pieces: Iterable[str]) -> list[Span]:
        """Map *pieces* onto *text* by walking their non-whitespace characters in step.

        pysbd may change whitespace, so ``str.find`` on whole pieces is unreliable; the
        non-whitespace characters are what must match.  If they do not (pysbd altered the
        text), resynchronise on the next occurrence of the piece, else give up on the rest.
        """
        spans: list[Span] = []
        pos = 0
        size = len(text)
        for piece in pieces:
            wanted = [ch for ch in piece if not ch.isspace()]
            if not wanted:
                continue
            while pos < size and text[pos].isspace():
                pos += 1
            start = pos
            matched = 0
            while pos < size and matched < len(wanted):
                if text[pos].isspace():
                    pos += 1
                elif text[pos] == wanted[matched]:
                    matched += 1
                    pos += 1
                else:
                    break
            if matched < len(wanted):
                self.misaligned += 1
                found = text.find(piece.strip(), start)
                if found < 0:
                    break
                start, pos = found, found + len(piece.strip())
            spans.append((start, pos))
        return spans


def pysbd_tie_breaker(pysbd: PysbdSplitter) -> Splitter:
    def split(text: str) -> list[Span]:
        ends = {end for _, end in pysbd(text)}
        return _segment(text, lambda offset: offset in ends)

    return split


# --- corpus evaluation --------------------------------------------------------------------


@dataclass
class Case:
    id: str
    category: str
    text: str
    gold: list[str]


@dataclass
class Score:
    cases: int = 0
    exact: int = 0
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    failures: list[tuple[Case, list[str]]] = field(default_factory=list)

    def add(self, case: Case, predicted: list[Span], gold: list[Span]) -> None:
        self.cases += 1
        got = [case.text[a:b] for a, b in predicted]
        if predicted == gold:
            self.exact += 1
        else:
            self.failures.append((case, got))
        # Boundaries are sentence ends other than the last one (the text end is trivial).
        pred_ends = {end for _, end in predicted[:-1]}
        gold_ends = {end for _, end in gold[:-1]}
        self.true_pos += len(pred_ends & gold_ends)
        self.false_pos += len(pred_ends - gold_ends)
        self.false_neg += len(gold_ends - pred_ends)

    def prf(self) -> tuple[float, float, float]:
        precision = self.true_pos / max(1, self.true_pos + self.false_pos)
        recall = self.true_pos / max(1, self.true_pos + self.false_neg)
        f1 = 2 * precision * recall / max(1e-12, precision + recall)
        return precision, recall, f1

    def line(self) -> str:
        p, r, f = self.prf()
        share = self.exact / max(1, self.cases)
        return (
            f"exact {self.exact:3d}/{self.cases:<3d} ({share:6.1%})   "
            f"boundary P {p:.3f}  R {r:.3f}  F1 {f:.3f}"
        )


def load_corpus(path: Path) -> list[Case]:
    cases = []
    # split("\n"), not splitlines(): JSON strings may legally hold U+2028/U+2029.
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            raw = json.loads(line)
            cases.append(Case(raw["id"], raw["category"], raw["text"], list(raw["sentences"])))
    return cases


def gold_spans(case: Case) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for sentence in case.gold:
        start = case.text.index(sentence, pos)
        pos = start + len(sentence)
        spans.append((start, pos))
    return spans


def evaluate(cases: Sequence[Case], split: Splitter) -> tuple[Score, dict[str, Score]]:
    total = Score()
    per_category: dict[str, Score] = defaultdict(Score)
    for case in cases:
        predicted = split(case.text)
        gold = gold_spans(case)
        total.add(case, predicted, gold)
        per_category[case.category].add(case, predicted, gold)
    return total, dict(sorted(per_category.items()))


def report(name: str, total: Score, per_category: dict[str, Score], show: int) -> None:
    print(f"\n== {name}")
    print(f"  overall     {total.line()}")
    for category, score in per_category.items():
        print(f"  {category:<11} {score.line()}")
    if not total.failures:
        print("  failing cases: none")
        return
    print(f"  failing cases ({len(total.failures)}):")
    for case, got in total.failures[:show]:
        print(f"    - {case.id} [{case.category}]")
        print(f"        gold: {case.gold}")
        print(f"        got:  {got}")
    if len(total.failures) > show:
        print(f"    ... and {len(total.failures) - show} more")


# --- samples ------------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str, str]:
    """Best-effort decoding: UTF-16 by BOM, else UTF-8 (with or without BOM), else cp1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


_SCRIPT_STYLE_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|br|tr|td|blockquote|figcaption|article|section|header|"
    r"footer|nav|aside|main|title|button|form)\b[^>]*>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[^>]*>")


def strip_html(markup: str) -> str:
    """Crude tag stripping for this report only: block tags become paragraph breaks."""
    text = _SCRIPT_STYLE_RE.sub(" ", markup)
    text = _BLOCK_TAG_RE.sub("\n\n", text)
    text = _TAG_RE.sub("", text)
    return html.unescape(text)


def sample_report(samples: Path) -> None:
    print("\n== samples (HEURISTIC CHECKS - hints for review, not accuracy)")
    print(
        "  columns: sentences | lower = starts with a lowercase letter | "
        "num. = ends with digit+dot | short = under 3 words but contains a dot"
    )
    files = sorted(
        p
        for p in samples.iterdir()
        if p.is_file() and p.suffix.lower() in SAMPLE_SUFFIXES and not p.stem.startswith("README")
    )
    if not files:
        print(f"  no samples found in {samples}")
        return
    for path in files:
        text, encoding = decode(path.read_bytes())
        if path.suffix.lower() in (".html", ".htm"):
            text = strip_html(text)
        started = time.perf_counter()
        found: list[str] = []
        for paragraph in PARAGRAPH_RE.split(text):
            found.extend(paragraph[a:b] for a, b in split_sentences(paragraph))
        elapsed = time.perf_counter() - started
        lower = [s for s in found if s.lstrip("„‚\"'»«(").strip()[:1].islower()]
        numeric = [s for s in found if re.search(r"\d\.$", s)]
        short = [s for s in found if len(s.split()) < 3 and "." in s]
        words = len(text.split())
        print(
            f"  {path.name:<32} {encoding:<7} {words:5d} words  {len(found):4d} sentences | "
            f"lower {len(lower):2d} | num. {len(numeric):2d} | short {len(short):2d} | "
            f"{elapsed * 1000:6.1f} ms"
        )
        for label, flagged in (("lower", lower), ("num.", numeric), ("short", short)):
            for sentence in flagged[:3]:
                print(f"      {label}: {sentence[:90]!r}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests/data/sentences_de.jsonl")
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--show", type=int, default=30, help="failing cases to print per system")
    args = parser.parse_args(argv)

    cases = load_corpus(args.corpus)
    print(f"corpus: {args.corpus} ({len(cases)} cases)")
    systems: list[tuple[str, Splitter]] = [("digest.segment (ours)", split_sentences)]
    try:
        pysbd = PysbdSplitter()
    except ImportError:
        print("pysbd is not installed: baseline skipped")
    else:
        systems.append(("pysbd 0.3 de, plain (baseline)", pysbd))
        systems.append(("hybrid: our rules, pysbd decides unsure cases", pysbd_tie_breaker(pysbd)))
    for name, split in systems:
        total, per_category = evaluate(cases, split)
        report(name, total, per_category, args.show)
    if len(systems) > 1:
        print(f"\n  (pysbd pieces that needed resynchronising: {pysbd.misaligned})")

    if args.samples.is_dir():
        sample_report(args.samples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
