"""Faithfulness flags for digest texts: checks.py (numbers, names) plus dates, both languages.

A date in a summary or bullet is flagged when its day and month never occur together in the
source, even if each number on its own does (a shifted date is as wrong as an invented one).
"""

from __future__ import annotations

import re

from digest.checks.facts import check_generated
from digest.results import Flag

_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "october": 10, "december": 12,
}  # fmt: skip
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
    "friday": "freitag", "saturday": "samstag", "sunday": "sonntag", "january": "januar",
    "february": "februar", "march": "märz", "may": "mai", "june": "juni", "july": "juli",
    "october": "oktober", "december": "dezember",
}  # fmt: skip


def find_dates(text: str) -> list[tuple[int, int, str, tuple[int, int]]]:
    """(day, month, as written, span) for every day-and-month date in German or English text."""
    found: list[tuple[int, int, str, tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_ISO, _NUMERIC, _DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            month_text = m.group("m")
            month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
            day = int(m.group("d"))
            if 1 <= day <= 31 and 1 <= month <= 12:
                found.append((day, month, m.group(), m.span()))
                taken.append(m.span())
    return sorted(found, key=lambda x: x[3])


def unsupported_dates(text: str, source: str, *, lang: str, where: str) -> list[Flag]:
    known = {(d, mth) for d, mth, _, _ in find_dates(source)}
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
    lowered = source.lower()
    # "Thursday" is supported by "Donnerstagabend": give the name check the English spelling.
    translated = " ".join(en for en, de in _EN_CALENDAR.items() if de in lowered)
    flags = [
        f
        for f in check_generated(text, source, lang=lang, where=where, translated_source=translated)
        if not (f.kind in ("number", "name") and f.value.lower() in in_dates)
    ]
    return flags + dates
