"""Token-budget packing and clause splitting: nothing is ever cut off at a model limit."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

CountFn = Callable[[Sequence[str]], list[int]]

# Clause boundaries in order of preference: strong punctuation, then commas, then
# coordinating/subordinating conjunctions (split before the conjunction).
_CLAUSE_PATTERNS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=[,–—])\s+"),
    re.compile(
        r"\s+(?=(?:und|oder|aber|denn|sondern|weil|dass|obwohl|während|wenn|als|nachdem|"
        r"bevor|damit|sodass|jedoch|doch)\b)"
    ),
)


@dataclass(frozen=True)
class Piece:
    text: str
    start: int  # offset into the unit it came from
    end: int
    how: str  # "whole" | "clause" | "tokens"


def split_to_budget(text: str, count: CountFn, budget: int) -> list[Piece]:
    """Split one over-long unit at clause boundaries, by tokens only as a last resort."""
    if count([text])[0] <= budget:
        return [Piece(text, 0, len(text), "whole")]
    return _split(text, 0, count, budget, 0)


def _split(text: str, base: int, count: CountFn, budget: int, level: int) -> list[Piece]:
    if count([text])[0] <= budget:
        return [Piece(text, base, base + len(text), "clause")]
    if level >= len(_CLAUSE_PATTERNS):
        return _split_by_words(text, base, count, budget)
    cuts = [
        m.end() if m.end() > m.start() else m.start()
        for m in _CLAUSE_PATTERNS[level].finditer(text)
    ]
    spans = _spans_from_cuts(text, cuts)
    if len(spans) == 1:
        return _split(text, base, count, budget, level + 1)
    # Greedily regroup neighbouring clauses while they fit, so pieces stay as long as allowed.
    pieces: list[Piece] = []
    group_start, group_end = spans[0]
    for start, end in spans[1:]:
        candidate = text[group_start:end]
        if count([candidate])[0] <= budget:
            group_end = end
            continue
        pieces.extend(
            _split(text[group_start:group_end], base + group_start, count, budget, level + 1)
        )
        group_start, group_end = start, end
    pieces.extend(_split(text[group_start:group_end], base + group_start, count, budget, level + 1))
    return pieces


def _spans_from_cuts(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in [*cuts, len(text)]:
        chunk = text[prev:cut]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((prev + lead, prev + lead + len(stripped)))
        prev = cut
    return spans


# A token covers at most this many characters in the vocabularies we use (sentencepiece
# pieces are short); it bounds how much text one search step may hand to the tokenizer.
_MAX_CHARS_PER_TOKEN = 32


def _split_by_words(text: str, base: int, count: CountFn, budget: int) -> list[Piece]:
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    pieces: list[Piece] = []
    i = 0
    while i < len(words):
        # Binary search the longest run of words from i that fits. Every word is at least one
        # token, so the run is at most `budget` words: each step counts a bounded text, and
        # the whole split stays linear in the unit (a 400 KB line of ". . ." included).
        lo, hi = i + 1, min(len(words), i + budget)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count([text[words[i][0] : words[mid - 1][1]]])[0] <= budget:
                lo = mid
            else:
                hi = mid - 1
        start, end = words[i][0], words[lo - 1][1]
        if lo == i + 1 and count([text[start:end]])[0] > budget:
            pieces.extend(_split_word(text[start:end], base + start, count, budget))
        else:
            pieces.append(Piece(text[start:end], base + start, base + end, "tokens"))
        i = lo
    return pieces


def _split_word(word: str, base: int, count: CountFn, budget: int) -> list[Piece]:
    """One word over the budget (a 1 MB "word"): the longest runs of characters that fit."""
    pieces: list[Piece] = []
    i = 0
    while i < len(word):
        lo, hi = i + 1, min(len(word), i + budget * _MAX_CHARS_PER_TOKEN)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count([word[i:mid]])[0] <= budget:
                lo = mid
            else:
                hi = mid - 1
        pieces.append(Piece(word[i:lo], base + i, base + lo, "tokens"))
        i = lo
    return pieces


def pack(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Group consecutive units (in order) so each group's token total stays within budget."""
    groups: list[list[int]] = []
    current: list[int] = []
    total = 0
    for i, n in enumerate(lengths):
        if current and total + n > budget:
            groups.append(current)
            current, total = [], 0
        current.append(i)
        total += n
    if current:
        groups.append(current)
    return groups
