"""Sentence-level translation over a Seq2SeqEngine: split over-long units, batch, reassemble.

Each unit (normally one sentence) maps to exactly one output, so alignment is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from digest.backends.base import Seq2SeqEngine
from digest.chunking import split_to_budget


@dataclass(frozen=True)
class UnitTranslation:
    source: str
    target: str
    pieces: int  # 1, or how many parts a too-long unit was split into
    how: str  # "whole" | "clause" | "tokens"


def translate_units(engine: Seq2SeqEngine, units: Sequence[str]) -> list[UnitTranslation]:
    """Translate every unit; none is dropped, reordered or truncated.

    All pieces of all units go to the engine in one call so it can sort and batch them.
    """
    budget = engine.max_input_tokens
    pieces_per_unit: list[list[str]] = []
    how: list[str] = []
    lengths = engine.count_tokens(list(units))
    for unit, n in zip(units, lengths, strict=True):
        if not unit.strip():
            pieces_per_unit.append([])
            how.append("whole")
        elif n <= budget:
            pieces_per_unit.append([unit])
            how.append("whole")
        else:
            split = split_to_budget(unit, engine.count_tokens, budget)
            pieces_per_unit.append([p.text for p in split])
            how.append("tokens" if any(p.how == "tokens" for p in split) else "clause")
    flat = [p for pieces in pieces_per_unit for p in pieces]
    outputs = iter(engine.generate(flat))
    result = []
    for unit, pieces, h in zip(units, pieces_per_unit, how, strict=True):
        target = " ".join(next(outputs) for _ in pieces)
        result.append(UnitTranslation(unit, target, max(1, len(pieces)), h))
    return result
