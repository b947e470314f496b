"""Sentence-level translation over a Seq2SeqModel: split, batch, check, retry, reassemble.

Each unit (normally one sentence) maps to exactly one output, so alignment is exact. Every
output is checked (digest.checks.translation); a failing unit is translated once more with
stronger settings, and whatever still fails is reported with the unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from digest.backends.base import Seq2SeqModel, mean_logprob
from digest.checks.translation import CheckReport, CheckSettings, Problem, check_translation
from digest.config import GenerationSettings
from digest.text.chunks import split_to_budget
from digest.translate.glossary import Glossary, Protected


@dataclass(frozen=True)
class UnitOptions:
    source_lang: str = "de"
    target_lang: str = "en"
    glossary: Glossary | None = None
    checks: CheckSettings = field(default_factory=CheckSettings)
    check: bool = True  # False: translate only (auxiliary texts)
    retry: bool = True


@dataclass(frozen=True)
class UnitTranslation:
    source: str
    target: str
    pieces: int  # 1, or how many parts a too-long unit was split into
    how: str  # "whole" | "clause" | "tokens"
    passed: tuple[str, ...] = ()  # checks passed by the kept output
    problems: tuple[Problem, ...] = ()  # checks the kept output still fails
    retried: bool = False
    first_problems: tuple[Problem, ...] = ()  # what the first attempt failed on
    confidence: float | None = None  # mean log-probability per token of the kept output


@dataclass(frozen=True)
class _Attempt:
    target: str
    pieces: int
    how: str
    report: CheckReport
    confidence: float | None = None


def retry_settings(base: GenerationSettings, problems: Sequence[Problem]) -> GenerationSettings:
    """Stronger beam/no-repeat/penalty; twice the output room when the output was cut."""
    stronger = base.stronger()
    if any(p.kind == "length" and "limit" in p.message for p in problems):
        stronger = replace(stronger, max_new_tokens=base.max_new_tokens * 2)
    return stronger


def translate_units(
    engine: Seq2SeqModel, units: Sequence[str], options: UnitOptions = UnitOptions()
) -> list[UnitTranslation]:
    """Translate every unit; none is dropped, reordered or truncated.

    All pieces of all units go to the engine in one call so it can sort and batch them; the
    retry is a second call with only the failing units.
    """
    glossary = options.glossary or Glossary(())
    protected = [glossary.protect(u) for u in units]
    first = _attempt(engine, [p.text for p in protected], protected, engine.generation, options)
    failing = [i for i, a in enumerate(first) if not a.report.ok] if options.check else []
    second: dict[int, _Attempt] = {}
    if failing and options.retry:
        problems = [p for i in failing for p in first[i].report.problems]
        settings = retry_settings(engine.generation, problems)
        # A lost placeholder: let the retry see the rendering itself instead.
        texts = [
            protected[i].inline
            if any(p.kind == "glossary" for p in first[i].report.problems)
            else protected[i].text
            for i in failing
        ]
        redo = _attempt(engine, texts, [protected[i] for i in failing], settings, options)
        second = dict(zip(failing, redo, strict=True))
    out: list[UnitTranslation] = []
    for i, unit in enumerate(units):
        a, retried = first[i], i in second
        if retried and len(second[i].report.problems) <= len(a.report.problems):
            a = second[i]
        out.append(
            UnitTranslation(
                unit,
                a.target,
                a.pieces,
                a.how,
                a.report.passed,
                a.report.problems,
                retried,
                first[i].report.problems,
                a.confidence,
            )
        )
    return out


def _attempt(
    engine: Seq2SeqModel,
    texts: Sequence[str],
    protected: Sequence[Protected],
    settings: GenerationSettings,
    options: UnitOptions,
) -> list[_Attempt]:
    budget = engine.max_input_tokens
    pieces_per_unit: list[list[str]] = []
    how: list[str] = []
    lengths = engine.count_tokens(list(texts))
    for text, n in zip(texts, lengths, strict=True):
        if not text.strip():
            pieces_per_unit.append([])
            how.append("whole")
        elif n <= budget:
            pieces_per_unit.append([text])
            how.append("whole")
        else:
            split = split_to_budget(text, engine.count_tokens, budget)
            pieces_per_unit.append([p.text for p in split])
            how.append("tokens" if any(p.how == "tokens" for p in split) else "clause")
    flat = [p for pieces in pieces_per_unit for p in pieces]
    # Each distinct text is decoded once (decoding is deterministic): a digest's bullets
    # repeat sentences of its section summaries, and articles repeat bylines and boxes.
    unique = list(dict.fromkeys(flat))
    scored = engine.generate_scored(unique, settings) if unique else []
    done = dict(zip(unique, scored, strict=True))
    generated = [done[p].text for p in flat]
    scores = iter([done[p] for p in flat])
    out_lengths = engine.count_tokens(generated) if options.check else [0] * len(generated)
    outputs = iter(zip(generated, out_lengths, strict=True))
    keep = options.glossary.keep_words() if options.glossary else ()
    result = []
    for prot, pieces, h in zip(protected, pieces_per_unit, how, strict=True):
        parts = [next(outputs) for _ in pieces]
        confidence = mean_logprob([next(scores) for _ in pieces])
        target = prot.restore(" ".join(text for text, _ in parts).strip())
        report = CheckReport((), ())
        if options.check and prot.original.strip():
            report = check_translation(
                prot.original,
                target,
                source_lang=options.source_lang,
                target_lang=options.target_lang,
                glossary=prot.renderings,
                keep=keep,
                hit_token_limit=any(n >= settings.max_new_tokens for _, n in parts),
                settings=options.checks,
            )
        result.append(_Attempt(target, max(1, len(pieces)), h, report, confidence))
    return result
