#!/usr/bin/env python3
"""How the news scorer's weights were chosen: a grid over eval/news/{tune,heldout,heldout2}.

For every weight set in a small grid this scores the 3-sentence summary of each article against
its teaser (ROUGE-1/2/L F1 as in scripts/eval_news.py), then prints the best sets by mean
R1+R2+RL (the best one is the default of NewsWeights) and two honest estimates of it next to
lead-3: 5-fold cross-validation (the set best on four folds, scored on the fifth) and
leave-one-article-out. The four splits (132 articles) are tuning data; eval/news/heldout4 is
never read here. The query is what the summarizer uses (strategies._query: the teaser
paragraph, or the lead by position when the teaser is one sentence).

Run: ``python scripts/tune_news.py`` (about a minute on two cores)
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_news import METRICS, TUNING, lead3, load_items, scores

from digest.ingest import load_article
from digest.summarize import extractive
from digest.summarize.news import NewsWeights, news_scores
from digest.summarize.strategies import SummaryRequest, _excluded, _query

# first, position, half_life, paragraph_start, centrality, title, target_words
_AXES = ([0.5, 1.0], [0.2, 0.4], [1.0, 3.0, 5.0], [0.0, 0.1], [0.2, 0.3, 0.4], [0.2, 0.3, 0.4])
GRID = list(itertools.product(*_AXES, [8, 10, 14]))
SETTINGS = extractive.ExtractiveSettings()


def main(argv: Sequence[str] | None = None) -> int:
    items = [i for split in TUNING for i in load_items(split)]
    prepared = []
    for item in items:
        art = load_article(item.path)
        sents = [s.text for s in art.sentences]
        blocks = {s.id: b.id for b in art.blocks for s in b.sentences}
        ids = [blocks.get(s.id, s.id) for s in art.sentences]
        starts = [i == 0 or ids[i] != ids[i - 1] for i in range(len(ids))]
        skip = _excluded(sents)
        teaser = art.teaser.text if art.teaser else ""
        request = SummaryRequest(item.id, art.sentences, art.title.text, teaser, 3)
        query = extractive._terms(f"{art.title.text}\n{_query(request, sents, skip)}")
        terms = [extractive._terms(s) for s in sents]
        prepared.append((item, sents, starts, query, terms, skip))
    base = [scores(lead3(item.path.read_text(encoding="utf-8")), item.teaser) for item in items]

    table: list[list[dict[str, float]]] = []
    for first, pos, half, par, cent, title, target in GRID:
        w = NewsWeights(
            first=first, position=pos, half_life=half, paragraph_start=par, centrality=cent,
            title=title, target_words=target,
        )  # fmt: skip
        row = []
        for item, sents, starts, query, terms, skip in prepared:
            sc = news_scores(terms, sents, title_terms=query, paragraph_starts=starts, weights=w)
            chosen = extractive.select_sentences(
                sents, sc, max_sentences=3, exclude=skip, settings=SETTINGS
            )
            row.append(scores(" ".join(sents[i] for i in chosen), item.teaser))
        table.append(row)

    def total(r: dict[str, float]) -> float:
        return sum(r[m] for m in METRICS)

    def mean(rows: Sequence[dict[str, float]]) -> str:
        return " ".join(f"{sum(r[m] for r in rows) / len(rows):.3f}" for m in METRICS)

    n = len(items)
    ranked = sorted(range(len(GRID)), key=lambda c: -sum(total(r) for r in table[c]))
    print(f"{'+'.join(TUNING)}: {n} articles, {len(GRID)} weight sets; lead-3 {mean(base)}")
    print("best sets (first, position, half_life, paragraph_start, centrality, title, target):")
    for c in ranked[:5]:
        print(f"  {GRID[c]}  {mean(table[c])}")
    sums = [sum(total(r) for r in row) for row in table]
    picked = []
    for k in range(n):
        # Best set on the other articles, scored on article k.
        rest = [sums[c] - total(table[c][k]) for c in range(len(GRID))]
        picked.append(table[rest.index(max(rest))][k])
    # 5-fold CV (articles interleaved): the best set on four folds, scored on the fifth.
    cv: list[dict[str, float]] = list(base)
    for f in range(5):
        fold = range(f, n, 5)
        rest = [sums[c] - sum(total(table[c][k]) for k in fold) for c in range(len(GRID))]
        chosen = rest.index(max(rest))
        print(f"fold {f}: {GRID[chosen]}")
        for k in fold:
            cv[k] = table[chosen][k]
    wins = sum(total(p) > total(b) for p, b in zip(cv, base, strict=True))
    losses = sum(total(p) < total(b) for p, b in zip(cv, base, strict=True))
    print(f"5-fold CV R1/R2/RL {mean(cv)} (wins {wins}, losses {losses} vs lead-3)")
    wins = sum(total(p) > total(b) for p, b in zip(picked, base, strict=True))
    losses = sum(total(p) < total(b) for p, b in zip(picked, base, strict=True))
    print(f"leave-one-article-out R1/R2/RL {mean(picked)} (wins {wins}, losses {losses} vs lead-3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
