"""Faithfulness checks: facts in generated text that the source does not contain."""

from __future__ import annotations

import re

from digest.checks.quantities import mentions
from digest.results import Flag

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Capitalised words that are not at a sentence start: candidate names. German capitalises
# all nouns, so names are checked against the source text rather than a lexicon.
_NAME = re.compile(r"(?<=[\w,;:)] )[A-ZÄÖÜ][\wÄÖÜäöüß-]+")
_MONTHS_DE = [
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
]
_MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def number_forms(token: str) -> set[str]:
    """Every spelling of a number under German or English conventions, digits only."""
    forms = {token}
    digits = re.sub(r"[.,]", "", token)
    forms.add(digits)
    if re.fullmatch(r"\d+,\d+", token):  # German decimal 3,5 -> 3.5
        forms.add(token.replace(",", "."))
    if re.fullmatch(r"\d+\.\d+", token):
        forms.add(token.replace(".", ","))
    return forms


def source_numbers(source: str) -> set[str]:
    found: set[str] = set()
    for m in _NUMBER.finditer(source):
        found |= number_forms(m.group())
    for i, (de, en) in enumerate(zip(_MONTHS_DE, _MONTHS_EN, strict=True), start=1):
        if de in source.lower():
            found.add(str(i))
            found.add(en)
    return found


def unsupported_numbers(text: str, source: str, *, lang: str, where: str) -> list[Flag]:
    """Numbers (dates, times) in generated text that no number of the German source supports.

    Formats are normalised first: 1.500 = 1,500 = 1500, 3,5 = 3.5, "13. September" =
    "September 13", "14.30 Uhr" = "2:30 pm".
    """
    src = mentions(source, "de")
    supported = set().union(*(m.values for m in src)) if src else set()
    surfaces = {m.surface for m in src}
    flags = []
    for m in mentions(text, lang):
        if not m.required or m.surface in surfaces or m.values & supported:
            continue
        if all(v.startswith("month:") for v in m.values):
            continue  # a month name alone is a word, checked as a date only with its day
        token = m.surface
        flags.append(
            Flag("number", lang, token, where, f"number {token} does not occur in the source")
        )
    return flags


def unsupported_names(
    text: str, source: str, *, lang: str, where: str, translated_source: str = ""
) -> list[Flag]:
    """Capitalised words in German text (or English text) that the source never mentions."""
    haystack = (source + " " + translated_source).lower()
    flags = []
    for m in _NAME.finditer(text):
        word = m.group().strip("-")
        if len(word) < 3 or word.lower() in haystack:
            continue
        # German compounds and inflections: accept when a 5+ letter stem occurs in the source.
        if len(word) >= 6 and word.lower()[:5] in haystack:
            continue
        flags.append(Flag("name", lang, word, where, f"name '{word}' does not occur in the source"))
    return flags


def check_generated(
    text: str, source: str, *, lang: str, where: str, translated_source: str = ""
) -> list[Flag]:
    flags = unsupported_numbers(text, source, lang=lang, where=where)
    flags += unsupported_names(
        text, source, lang=lang, where=where, translated_source=translated_source
    )
    return flags
