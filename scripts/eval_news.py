#!/usr/bin/env python3
"""ROUGE of the digest's extractive summary and bullets against editorial teasers and bullets.

The set is ``eval/news/<split>/*.txt`` with references in ``eval/news/references.jsonl`` (one
object per article: ``id`` = ``split/stem``, ``teaser``, ``bullets``). tune, heldout, heldout2
and heldout3 are tuning data; heldout4 was written by authors who never saw the summarizer and
is scored once (eval/README.md). Scoring:

* ROUGE-1/2/L F1 on lower-cased ``\\w+`` tokens (umlauts kept, no stemming); ROUGE-L is the
  LCS over the whole text, not per sentence.
* digest-extractive: ``summary.de`` of ``digest summarize FILE --summarizer extractive --to de
  --format json`` (3 sentences, the default) against the teaser; its bullets joined against
  the reference bullets joined.
* lead-3: the first three sentences of the body (the lines after the title), skipping lines
  of <= 6 words (subheadings), against the teaser and the reference bullets.

Also printed: how the digest's bullets spread over the article's sections (sections other than
the lead that hold a bullet, and bullets that repeat a summary sentence).

``--layout`` feeds the digest the article as corpora often store it: ``no-title`` (the title
line removed), ``one-line`` (the body as one paragraph: lines of <= 6 words dropped, the rest
joined), ``no-title-one-line`` or ``one-sentence-lead`` (the lead paragraph cut after its first
sentence, so the source has a one-sentence teaser); ``every`` runs all five. Lead-3 is always
taken from the article as written, so every layout is compared with the same baseline.

Run: ``python scripts/eval_news.py [--split tune|heldout|heldout2|heldout3|heldout4|all|each]
[--layout as-written|no-title|one-line|no-title-one-line|one-sentence-lead|every] [--cli]
[--show]``
(``all``: the 132 tuning articles as one table; ``each``: the tuning splits one after another)
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    import digest  # noqa: F401
except ImportError:  # a checkout without an installed package
    sys.path.insert(0, str(ROOT / "src"))

from eval_rouge import rouge_l, rouge_n  # noqa: E402

from digest.text.sentences import split_sentences  # noqa: E402

NEWS = ROOT / "eval" / "news"
SPLITS = ("tune", "heldout", "heldout2", "heldout3", "heldout4")
# The tuning data (scripts/tune_news.py); heldout4 is scored once, after every choice.
TUNING = ("tune", "heldout", "heldout2", "heldout3")
LAYOUTS = ("as-written", "no-title", "one-line", "no-title-one-line", "one-sentence-lead")
METRICS = ("R1", "R2", "RL")
HEADING_MAX_WORDS = 6
_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens: umlauts and ß stay, digits groups split at , and ."""
    return _WORD.findall(text.lower())


def scores(candidate: str, reference: str) -> dict[str, float]:
    cand, ref = tokens(candidate), tokens(reference)
    return {"R1": rouge_n(cand, ref, 1), "R2": rouge_n(cand, ref, 2), "RL": rouge_l(cand, ref)}


def lead3(text: str) -> str:
    """First three sentences of the body: after the title line, skipping lines of <= 6 words."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    body = [
        line.strip()
        for line in lines[first + 1 :]
        if line.strip() and len(line.split()) > HEADING_MAX_WORDS
    ]
    sentences: list[str] = []
    for paragraph in body:
        sentences += [paragraph[a:b].strip() for a, b in split_sentences(paragraph)]
        if len(sentences) >= 3:
            break
    return " ".join(sentences[:3])


@dataclass(frozen=True)
class Item:
    id: str
    path: Path
    teaser: str
    bullets: tuple[str, ...]


def load_items(split: str) -> list[Item]:
    items = []
    for line in (NEWS / "references.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        ref = json.loads(line)
        group = ref["id"].split("/")[0]
        if group not in (TUNING if split == "all" else (split,)):
            continue
        items.append(
            Item(ref["id"], NEWS / f"{ref['id']}.txt", ref["teaser"], tuple(ref["bullets"]))
        )
    return items


def relayout(text: str, layout: str) -> str:
    """The article as a corpus might store it: without its title line and/or with its body as
    one line (lines of <= 6 words, the subheadings, dropped as lead-3 drops them)."""
    if layout == "as-written":
        return text
    lines = [line.strip() for line in text.splitlines()]
    first = next((i for i, line in enumerate(lines) if line), len(lines))
    title, body = lines[first], [line for line in lines[first + 1 :] if line]
    if layout.endswith("one-line"):
        body = [" ".join(line for line in body if len(line.split()) > HEADING_MAX_WORDS)]
    if layout == "one-sentence-lead" and body:
        # The lead paragraph cut after its first sentence: a one-sentence teaser, as many
        # sites print it, followed by the rest of that paragraph.
        spans = split_sentences(body[0])
        if len(spans) > 1:
            cut = spans[1][0]
            body = [body[0][:cut].strip(), body[0][cut:].strip(), *body[1:]]
    head = [] if layout.startswith("no-title") else [title]
    return "\n\n".join(head + body) + "\n"


def digest_json(path: Path, *, cli: bool, layout: str = "as-written") -> dict[str, Any]:
    """The JSON digest, from the CLI itself or from the same pipeline in this process."""
    text = relayout(path.read_text(encoding="utf-8"), layout)
    if cli:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / path.name
            copy.write_text(text, encoding="utf-8")
            cmd = [sys.executable, "-m", "digest", "summarize", str(copy)]
            cmd += ["--summarizer", "extractive", "--to", "de", "--format", "json"]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        data: dict[str, Any] = json.loads(out)
        return data
    from digest.api import load
    from digest.ingest import load_article
    from digest.writers import get_writer

    global _DIGEST
    if _DIGEST is None:
        _DIGEST = load(summarizer="extractive", to="de")
    article = load_article(path.name, data=text.encode("utf-8"))
    data = json.loads(get_writer("json").format(_DIGEST.summarize(article)))
    return data


_DIGEST: Any = None


def coverage(doc: dict[str, Any]) -> tuple[int, int, int]:
    """(non-lead sections with a bullet, non-lead sections, bullets repeating the summary)."""
    sections = [s["section_id"] for s in doc["sections"] if s["section_id"] != "lead"]
    with_bullet = {b["section_id"] for b in doc["bullets"]} & set(sections)
    summary = set(doc["summary_source_ids"])
    repeats = sum(1 for b in doc["bullets"] if summary & set(b["source_ids"]))
    return len(with_bullet), len(sections), repeats


def mean(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    return {m: sum(r[m] for r in rows) / max(1, len(rows)) for m in METRICS}


def evaluate(split: str, *, cli: bool, show: bool, layout: str = "as-written") -> None:
    items = load_items(split)
    table: dict[str, list[dict[str, float]]] = {
        k: [] for k in ("digest summary", "lead-3 summary", "digest bullets", "lead-3 bullets")
    }
    covered = total = repeats = n_bullets = 0
    five_plus = five_ok = 0
    for item in items:
        doc = digest_json(item.path, cli=cli, layout=layout)
        summary = doc["summary"]["de"]
        bullets = " ".join(b["text"]["de"] for b in doc["bullets"])
        base = lead3(item.path.read_text(encoding="utf-8"))
        ref_bullets = " ".join(item.bullets)
        table["digest summary"].append(scores(summary, item.teaser))
        table["lead-3 summary"].append(scores(base, item.teaser))
        table["digest bullets"].append(scores(bullets, ref_bullets))
        table["lead-3 bullets"].append(scores(base, ref_bullets))
        c, t, r = coverage(doc)
        covered, total, repeats, n_bullets = (
            covered + c,
            total + t,
            repeats + r,
            n_bullets + len(doc["bullets"]),
        )
        if t >= 5:
            five_plus += 1
            five_ok += c >= 3
        if show:
            print(f"== {item.id}\n  digest: {summary}\n  lead-3: {base}")
    print(f"\nsplit {split}: {len(items)} articles, layout {layout}")
    print(f"{'system':<16} {'reference':<16} " + " ".join(f"{m:>6}" for m in METRICS))
    for name, rows in table.items():
        ref = "teaser" if name.endswith("summary") else "bullets"
        system = name.split()[0] if name.startswith("lead") else "digest-extractive"
        cells = " ".join(f"{v:6.3f}" for v in mean(rows).values())
        print(f"{system:<16} {ref:<16} {cells}")
    pairs = zip(table["digest summary"], table["lead-3 summary"], strict=True)
    diffs = [sum(d.values()) - sum(b.values()) for d, b in pairs]
    better, worse = sum(x > 0 for x in diffs), sum(x < 0 for x in diffs)
    print(f"summary vs lead-3 by article (R1+R2+RL): {better} better, {worse} worse")
    print(
        f"bullets: {n_bullets} in all; sections (lead not counted) holding a bullet: "
        f"{covered}/{total} ({covered / max(1, total):.0%}); bullets sharing a sentence with "
        f"the summary: {repeats}; articles with >= 5 sections whose bullets reach >= 3 of them: "
        f"{five_ok}/{five_plus}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--split", choices=(*SPLITS, "all", "each"), default="each")
    parser.add_argument("--layout", choices=(*LAYOUTS, "every"), default="as-written")
    parser.add_argument("--cli", action="store_true", help="run the digest CLI per article")
    parser.add_argument("--show", action="store_true", help="print the summaries")
    args = parser.parse_args(argv)
    print("command: python scripts/eval_news.py " + " ".join(argv or sys.argv[1:]))
    print("ROUGE F1, lower-cased \\w+ tokens, umlauts kept, no stemming; RL over the whole text")
    layouts = LAYOUTS if args.layout == "every" else (args.layout,)
    for split in TUNING if args.split == "each" else (args.split,):
        for layout in layouts:
            evaluate(split, cli=args.cli, show=args.show, layout=layout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
