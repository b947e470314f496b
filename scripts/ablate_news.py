#!/usr/bin/env python3
"""Why the extractive summary is built as it is: three measurements on the tuning articles.

1. ``oracle``: how far a perfect choice could go - the first sentence plus the best two other
   sentences for each teaser (an upper bound, not a system) - next to lead-3.
2. ``query``: the scorer's overlap part with different queries - the title alone, the title
   plus the source's teaser paragraph, the title plus the lead by position, and the rule the
   summarizer uses (the teaser, the lead when the teaser is one sentence) - on the articles
   as written and with their lead paragraph cut after its first sentence (a one-sentence
   teaser, ``--layout one-sentence-lead`` of scripts/eval_news.py).
3. ``one-line``: the articles stored as one line without their title (no paragraphs, no
   title); a grid over the news weights and the MMR lambda, scored by 5-fold cross-validation
   (the set best on four folds, scored on the fifth) against lead-3. On such text the
   summarizer uses the lead (with a title line it scores as usual: see
   ``python scripts/eval_news.py --layout one-line``).

ROUGE F1 as in scripts/eval_news.py; the fresh split (heldout4) is never read.

Run: ``python scripts/ablate_news.py [oracle|query|one-line ...]`` (all three: about two
minutes on two cores)
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_news import METRICS, TUNING, Item, lead3, load_items, relayout, scores

from digest.ingest import load_article
from digest.summarize import extractive
from digest.summarize.news import NewsWeights, news_scores
from digest.summarize.strategies import SummaryRequest, _excluded, _query

DEFAULT_WEIGHTS = NewsWeights()
DEFAULT_SETTINGS = extractive.ExtractiveSettings()
PARTS = ("oracle", "query", "one-line")


@dataclass
class Prepared:
    item: Item
    sentences: list[str]
    terms: list[list[str]]
    starts: list[bool]
    skip: set[int]
    title: str
    teaser: str  # the source's teaser paragraph, "" when it has none
    lead3: dict[str, float]


def prepare(layout: str = "as-written") -> list[Prepared]:
    out = []
    for item in (i for split in TUNING for i in load_items(split)):
        text = item.path.read_text(encoding="utf-8")
        art = load_article(item.path.name, data=relayout(text, layout).encode("utf-8"))
        sents = [s.text for s in art.sentences]
        block = {s.id: b.id for b in art.blocks for s in b.sentences}
        ids = [block.get(s.id, s.id) for s in art.sentences]
        out.append(
            Prepared(
                item,
                sents,
                [extractive._terms(s) for s in sents],
                [i == 0 or ids[i] != ids[i - 1] for i in range(len(ids))],
                _excluded(sents),
                "" if art.title_derived else art.title.text,
                art.teaser.text if art.teaser else "",
                scores(lead3(text), item.teaser),
            )
        )
    return out


def total(r: dict[str, float]) -> float:
    return sum(r[m] for m in METRICS)


def mean(rows: Sequence[dict[str, float]]) -> str:
    return " ".join(f"{sum(r[m] for r in rows) / len(rows):.3f}" for m in METRICS)


def pick(
    p: Prepared,
    query: str,
    weights: NewsWeights = DEFAULT_WEIGHTS,
    settings: extractive.ExtractiveSettings = DEFAULT_SETTINGS,
    layout: bool = True,
) -> dict[str, float]:
    """The summary's scores; ``layout=False`` gives the scorer no paragraph layout, so a
    single paragraph is weighed like any text instead of by position alone."""
    sc = news_scores(
        p.terms,
        p.sentences,
        title_terms=extractive._terms(query),
        paragraph_starts=p.starts if layout else None,
        weights=weights,
    )
    chosen = extractive.select_sentences(
        p.sentences, sc, max_sentences=3, exclude=p.skip, settings=settings
    )
    return scores(" ".join(p.sentences[i] for i in chosen), p.item.teaser)


def lead_text(p: Prepared, k: int = 3) -> str:
    return " ".join([t for i, t in enumerate(p.sentences) if i not in p.skip][:k])


def oracle(items: list[Prepared]) -> None:
    rows = []
    for p in items:
        cands = [i for i in range(1, len(p.sentences)) if i not in p.skip]
        best = max(
            (scores(" ".join(p.sentences[i] for i in (0, a, b)), p.item.teaser) for a, b in
             itertools.combinations(cands, 2)),
            key=total,
            default=p.lead3,
        )  # fmt: skip
        rows.append(best)
    print(f"oracle (first + best two others) R1/R2/RL {mean(rows)}")
    print(f"lead-3                           R1/R2/RL {mean([p.lead3 for p in items])}")


def used_query(p: Prepared) -> str:
    request = SummaryRequest(p.item.id, (), p.title, p.teaser, 3)
    return f"{p.title}\n{_query(request, p.sentences, p.skip)}"


def query(layouts: dict[str, list[Prepared]]) -> None:
    variants: dict[str, Callable[[Prepared], str]] = {
        "title alone": lambda p: p.title,
        "title + teaser paragraph": lambda p: f"{p.title}\n{p.teaser}",
        "title + lead by position": lambda p: f"{p.title}\n{lead_text(p)}",
        "used: teaser, lead if 1 sentence": used_query,
    }
    for layout, items in layouts.items():
        print(f"{layout}: {'query':<34} R1/R2/RL    vs lead-3 {mean([p.lead3 for p in items])}")
        for name, make in variants.items():
            rows = [pick(p, make(p)) for p in items]
            wins = sum(total(r) > total(p.lead3) for r, p in zip(rows, items, strict=True))
            losses = sum(total(r) < total(p.lead3) for r, p in zip(rows, items, strict=True))
            print(f"  {name:<34} {mean(rows)}   better {wins}, worse {losses}")


def one_line(items: list[Prepared]) -> None:
    # position, half_life, centrality, target_words, MMR lambda
    grid = list(
        itertools.product([0.2, 0.5, 1.0, 2.0], [0.5, 1, 2, 4], [0.0, 0.05, 0.1, 0.2],
                          [8, 14, 100], [0.7, 1.0])
    )  # fmt: skip
    # The weighted scorer as it would run on one paragraph if the lead-only rule were off.
    table = []
    for pos, half, cen, target, lam in grid:
        w = NewsWeights(position=pos, half_life=half, centrality=cen, target_words=target)
        s = extractive.ExtractiveSettings(mmr_lambda=lam)
        table.append([total(pick(p, "", w, s, layout=False)) for p in items])
    base = [total(p.lead3) for p in items]
    n, sums = len(items), [sum(row) for row in table]
    cv = list(base)
    for f in range(5):
        fold = range(f, n, 5)
        rest = [sums[c] - sum(table[c][k] for k in fold) for c in range(len(grid))]
        chosen = rest.index(max(rest))
        for k in fold:
            cv[k] = table[chosen][k]
    best = max(range(len(grid)), key=lambda c: sums[c])
    print(f"one-line articles, {len(grid)} weight sets; R1+R2+RL per article:")
    print(f"  lead-3 {sum(base) / n:.3f}; best set in-sample {sums[best] / n:.3f} {grid[best]}")
    wins = sum(a > b for a, b in zip(cv, base, strict=True))
    losses = sum(a < b for a, b in zip(cv, base, strict=True))
    print(f"  5-fold CV {sum(cv) / n:.3f} (better {wins}, worse {losses} than lead-3)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("parts", nargs="*", metavar="PART", help=f"any of {', '.join(PARTS)}")
    args = parser.parse_args(argv)
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    parts = args.parts or list(PARTS)
    print("command: python scripts/ablate_news.py " + " ".join(argv or sys.argv[1:]))
    items = prepare()
    if "oracle" in parts:
        oracle(items)
    if "query" in parts:
        query({"as written": items, "one-sentence lead": prepare("one-sentence-lead")})
    if "one-line" in parts:
        one_line(prepare("no-title-one-line"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
