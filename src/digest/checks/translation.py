"""Self-checks on one translated sentence: the failures every open translator is known for.

Each check is cheap and model-free: repetition loops, untranslated copy-through, length-ratio
outliers (including output cut at the generation limit), numbers/dates/times, and glossary
terms. A failing sentence is retried once with stronger settings (see digest.translate.sentences).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from digest.checks.quantities import compare
from digest.checks.repetition import repetition_loop, words
from digest.results import TranslatedSentence

# Words that are German and (almost) never English: their presence in an English output is
# the signature of copy-through. "die", "also", "in", "so" are English too and left out.
_GERMAN_FUNCTION_WORDS = """
der das und ist nicht mit für von dem den ein eine einen einer sich auf wird werden sind auch
noch nach bei über wie oder aber dass zu im vom zum zur wir sie er es hat haben wurde wurden
kein keine nur schon sehr ihre ihr sein seine unsere durch gegen
"""
_GERMAN_ONLY = frozenset(_GERMAN_FUNCTION_WORDS.split())
ProblemKind = Literal[
    "repetition", "copy", "length", "missing_number", "number", "date", "glossary"
]
CHECK_NAMES = ("repetition", "copy", "length", "numbers", "glossary")


@dataclass(frozen=True)
class CheckSettings:
    """Thresholds; the defaults suit German→English news text."""

    min_length_ratio: float = 0.45  # target characters / source characters
    max_length_ratio: float = 2.2
    ratio_min_chars: int = 25  # shorter sources have noisy ratios: only emptiness is checked
    repeat_times: int = 3  # an n-gram repeated this often back to back is a loop
    copy_share: float = 0.7  # share of target words taken from the source


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    value: str
    message: str


@dataclass(frozen=True)
class CheckReport:
    passed: tuple[str, ...]  # names of the checks run and passed
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_CHECK_OF[p.kind] for p in self.problems))


_CHECK_OF = {
    "repetition": "repetition",
    "copy": "copy",
    "length": "length",
    "missing_number": "numbers",
    "number": "numbers",
    "date": "numbers",
    "glossary": "glossary",
}


def copy_through(source: str, target: str, share: float, keep: Sequence[str] = ()) -> bool:
    """The target is (mostly) the German source copied instead of translated."""
    src_words = words(source)
    if len(src_words) < 3 or not _GERMAN_ONLY & set(src_words):
        return False  # names, numbers, short headings: copying them is right
    if " ".join(words(target)) == " ".join(src_words):
        return True
    kept = {w for term in keep for w in words(term)}
    tgt = [w for w in words(target) if w not in kept]
    if len(tgt) < 4:
        return False
    src_set = set(src_words)
    copied = sum(w in src_set for w in tgt) / len(tgt)
    german = sum(w in _GERMAN_ONLY for w in tgt)
    return copied >= share and german >= 2


def check_translation(
    source: str,
    target: str,
    *,
    source_lang: str = "de",
    target_lang: str = "en",
    glossary: Sequence[str] = (),
    keep: Sequence[str] = (),
    hit_token_limit: bool = False,
    settings: CheckSettings = CheckSettings(),
) -> CheckReport:
    """Run every check on one sentence pair.

    ``glossary``: target renderings that must appear (terms found in this source);
    ``keep``: words the target may legitimately copy (do-not-translate terms);
    ``hit_token_limit``: the output reached max_new_tokens, so it may be cut off.
    """
    problems: list[Problem] = []
    passed: list[str] = []

    loop = repetition_loop(target, settings.repeat_times)
    if loop and repetition_loop(source, settings.repeat_times) is None:
        problems.append(Problem("repetition", loop, f"repetition loop: '{loop}' repeats"))
    else:
        passed.append("repetition")

    if target_lang != source_lang and copy_through(source, target, settings.copy_share, keep):
        problems.append(Problem("copy", target[:60], "output copies the German source"))
    else:
        passed.append("copy")

    length_problem = _length(source, target, hit_token_limit, settings)
    if length_problem:
        problems.append(length_problem)
    else:
        passed.append("length")

    numbers = compare(source, target, source_lang, target_lang)
    for surface in dict.fromkeys(numbers.missing):  # one problem per number, not per use
        kind: ProblemKind = "date" if not any(ch.isdigit() for ch in surface) else "missing_number"
        problems.append(Problem(kind, surface, f"'{surface}' from the source is missing"))
    for surface in dict.fromkeys(numbers.extra):
        problems.append(Problem("number", surface, f"number {surface} is not in the source"))
    if not numbers.missing and not numbers.extra:
        passed.append("numbers")

    if glossary:
        absent = [g for g in glossary if g.lower() not in target.lower()]
        for g in absent:
            problems.append(Problem("glossary", g, f"glossary rendering '{g}' is missing"))
        if not absent:
            passed.append("glossary")
    return CheckReport(tuple(passed), tuple(problems))


def _length(source: str, target: str, hit_limit: bool, s: CheckSettings) -> Problem | None:
    src, tgt = source.strip(), target.strip()
    if src and not tgt:
        return Problem("length", "0", "empty translation")
    if hit_limit:
        return Problem("length", str(len(tgt)), "output reached the generation limit (cut off?)")
    if len(src) < s.ratio_min_chars:
        return None
    ratio = len(tgt) / len(src)
    if ratio < s.min_length_ratio or ratio > s.max_length_ratio:
        return Problem(
            "length", f"{ratio:.2f}", f"length ratio {ratio:.2f} (target/source characters)"
        )
    return None


def check_summary(sents: Sequence[TranslatedSentence]) -> str:
    """One line: how many sentences passed, were fixed by the retry, or stay flagged (why)."""
    flagged = [s for s in sents if s.flags]
    retried = sum(1 for s in sents if s.retried)
    fixed = sum(1 for s in sents if s.retried and not s.flags)
    kinds = Counter(f.kind for s in flagged for f in s.flags)
    why = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    line = f"checks: {len(sents)} sentences, {len(sents) - len(flagged)} passed"
    if retried:
        line += f" ({fixed} of {retried} retried with stronger settings fixed)"
    if flagged:
        line += f"; {len(flagged)} flagged ({why})"
    return line
