"""Generated text in, the phrase it loops on (or None) out: the one repetition-loop detector."""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

# Words of letters; "E-Bike" and "don't" stay one word, numbers are no words.
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_RUN = re.compile(r"\w+")  # every run of word characters: numbers count, hyphens split
Tokens = Literal["words", "runs"]


def words(text: str) -> list[str]:
    """Lower-cased words of letters (see ``_WORD``)."""
    return [w.lower() for w in _WORD.findall(text)]


def repetition_loop(
    text: str,
    repeat_times: int = 3,
    *,
    shortest: int = 1,
    longest: int = 6,
    tokens: Tokens = "words",
) -> str | None:
    """The first n-gram (``shortest`` <= n <= ``longest``) that loops, if any.

    An n-gram loops when it stands ``repeat_times`` times back to back; for n >= 3 it also
    loops when it occurs ``repeat_times`` times anywhere in the text. Translations check one
    sentence with the defaults ("the the the" is a loop there); summaries check a whole text
    with ``shortest=3, tokens="runs"``, so a repeated date ("am 3. Mai") counts too.
    """
    toks = words(text) if tokens == "words" else [t.lower() for t in _RUN.findall(text)]
    for n in range(shortest, longest + 1):
        for i in range(len(toks) - n * repeat_times + 1):
            gram = toks[i : i + n]
            if all(toks[i + k * n : i + (k + 1) * n] == gram for k in range(1, repeat_times)):
                return " ".join(gram)
    for n in range(max(3, shortest), longest + 1):
        counts = Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))
        for phrase, c in counts.items():
            if c >= repeat_times:
                return " ".join(phrase)
    return None
