"""Generated text and its German source in, flags out: numbers, dates and names the source lacks.

These are the faithfulness checks of a digest's summaries and bullets, on both language sides.
A date is flagged when its day and month never occur together in the source, even if each
number on its own does (a shifted date is as wrong as an invented one).
"""

from __future__ import annotations

import re
from functools import lru_cache

from digest.checks.quantities import MONTHS, mentions, month_names
from digest.results import Flag

# Capitalised words that are not at a sentence start: candidate names. German capitalises
# all nouns, so names are checked against the source text rather than a lexicon.
_NAME = re.compile(r"(?<=[\w,;:)] )[A-ZÄÖÜ][\wÄÖÜäöüß-]+")

_MONTHS = {name.lower(): n for name, n in month_names("de", "en").items()}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:\.|st|nd|rd|th)?"
# "13. September", "13 September", "September 13", "13.09.2027", "2027-09-13".
_DAY_MONTH = re.compile(rf"\b(?P<d>[0-3]?\d){_ORD}\s+(?:of\s+)?(?P<m>{_MONTH})\b", re.I)
_MONTH_DAY = re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>[0-3]?\d){_ORD}\b(?!\s*(?:\d|Uhr))", re.I)
_NUMERIC = re.compile(r"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?:\d{2,4})?(?!\d)")
_ISO = re.compile(r"\b\d{4}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")

# English capitalised words a German source spells differently but that are no invented name.
_EN_CALENDAR = {
    "monday": "montag", "tuesday": "dienstag", "wednesday": "mittwoch", "thursday": "donnerstag",
    "friday": "freitag", "saturday": "samstag", "sunday": "sonntag",
} | {
    en.lower(): de.lower()
    for en, de in zip(MONTHS["en"], MONTHS["de"], strict=True)
    if en.lower() != de.lower()
}  # fmt: skip


@lru_cache(maxsize=2)
def _source_numbers(source: str) -> tuple[frozenset[str], frozenset[str]]:
    """(values, surfaces) of the source's numbers: read once per source, not once per text."""
    src = mentions(source, "de")
    return frozenset().union(*(m.values for m in src)), frozenset(m.surface for m in src)


@lru_cache(maxsize=2)
def _source_words(source: str, translated_source: str) -> tuple[str, frozenset[str]]:
    """The lower-cased source and its words: most names are whole words, found in O(1)."""
    haystack = (source + " " + translated_source).lower()
    return haystack, frozenset(re.findall(r"\w+", haystack))


def unsupported_numbers(text: str, source: str, *, lang: str, where: str) -> list[Flag]:
    """Numbers (dates, times) in generated text that no number of the German source supports.

    Formats are normalised first: 1.500 = 1,500 = 1500, 3,5 = 3.5, "13. September" =
    "September 13", "14.30 Uhr" = "2:30 pm".
    """
    supported, surfaces = _source_numbers(source)
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
    haystack, words = _source_words(source, translated_source)
    flags = []
    for m in _NAME.finditer(text):
        word = m.group().strip("-")
        if len(word) < 3 or word.lower() in words or word.lower() in haystack:
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


def find_dates(text: str) -> list[tuple[int, int, str, tuple[int, int]]]:
    """(day, month, as written, span) for every day-and-month date in German or English text."""
    found: list[tuple[int, int, str, tuple[int, int]]] = []
    taken = bytearray(len(text))  # characters inside a date found earlier
    for pattern in (_ISO, _NUMERIC, _DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(text):
            if taken.find(1, m.start(), m.end()) >= 0:
                continue
            month_text = m.group("m")
            month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
            day = int(m.group("d"))
            if 1 <= day <= 31 and 1 <= month <= 12:
                found.append((day, month, m.group(), m.span()))
                taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return sorted(found, key=lambda x: x[3])


@lru_cache(maxsize=2)
def _source_dates(source: str) -> frozenset[tuple[int, int]]:
    """(day, month) of the source's dates: read once, not once per checked text."""
    return frozenset((d, mth) for d, mth, _, _ in find_dates(source))


@lru_cache(maxsize=2)
def _calendar_in_english(source: str) -> str:
    lowered = source.lower()
    return " ".join(en for en, de in _EN_CALENDAR.items() if de in lowered)


def unsupported_dates(text: str, source: str, *, lang: str, where: str) -> list[Flag]:
    known = _source_dates(source)
    return [
        Flag("date", lang, written, where, f"date '{written}' does not occur in the source")
        for day, month, written, _ in find_dates(text)
        if (day, month) not in known
    ]


def check_text(text: str, source: str, *, lang: str, where: str) -> list[Flag]:
    """Numbers, dates and capitalised names in ``text`` that ``source`` does not support."""
    if not text.strip():
        return []
    dates = unsupported_dates(text, source, lang=lang, where=where)
    # A flagged date already explains its own numbers and month; do not report them twice.
    in_dates = {w.lower() for f in dates for w in re.findall(r"\w+", f.value)}
    # "Thursday" is supported by "Donnerstagabend": give the name check the English spelling.
    translated = _calendar_in_english(source)
    flags = [
        f
        for f in check_generated(text, source, lang=lang, where=where, translated_source=translated)
        if not (f.kind in ("number", "name") and f.value.lower() in in_dates)
    ]
    return flags + dates
