"""Numbers, dates and times in German and English text, reduced to comparable values.

German and English write the same quantity differently (1.500 / 1,500; 3,5 / 3.5;
"13. September" / "September 13"; "14.30 Uhr" / "2:30 pm"). Each mention becomes a
``NumberMention`` whose ``values`` are canonical strings ("1500", "3.5", "month:9",
"time:14:30"), so a translation can be checked mention by mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# The package's one month table (sentence splitter, boilerplate dates and the fact checks read
# it too). Names per language are data, so another target language only adds a row.
MONTHS: dict[str, tuple[str, ...]] = {
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
# Other German spellings of the same months: Austrian names, and the short forms of datelines.
_DE_VARIANTS = {"Jänner": 1, "Feber": 2}
_DE_ABBREVIATIONS = {
    "Jan": 1, "Feb": 2, "Mär": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
    "Okt": 10, "Nov": 11, "Dez": 12,
}  # fmt: skip
# Spelled-out numbers: they may stand for digits on the other side, never required.
_DE_UNITS = "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf"
_EN_UNITS = "zero one two three four five six seven eight nine ten eleven twelve"
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "de": {w: i for i, w in enumerate(_DE_UNITS.split(" "))}
    | {"zwanzig": 20, "dreißig": 30, "hundert": 100, "tausend": 1000},
    "en": {w: i for i, w in enumerate(_EN_UNITS.split(" "))}
    | {"twenty": 20, "thirty": 30, "hundred": 100, "thousand": 1000}
    | {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10},
}

_DIGIT_SEP = "\u00a0\u202f"  # no-break and narrow no-break spaces group thousands too
_DE_NUMBER = re.compile(
    rf"(?<![0-9.,])(?:[0-9]{{1,3}}(?:[.{_DIGIT_SEP}][0-9]{{3}})+(?:,[0-9]+)?"
    rf"|[0-9]+\.[0-9]{{1,2}}(?![0-9])|[0-9]+(?:,[0-9]+)?)(?![0-9])"
)
_EN_NUMBER = re.compile(
    rf"(?<![0-9.,])(?:[0-9]{{1,3}}(?:[,{_DIGIT_SEP}][0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?![0-9])"
)
_NUMERIC_DATE = re.compile(r"(?<![0-9.])([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{2,4})?(?![0-9])")
_DE_TIME = re.compile(r"(?<![0-9.,:])([0-9]{1,2})(?:[.:]([0-9]{2}))?\s*Uhr\b")
_EN_TIME = re.compile(
    r"(?<![0-9.,:])([0-9]{1,2})(?:[.:]([0-9]{2}))?(?![0-9])"
    r"(?:\s*(a\.m\.|p\.m\.|am\b|pm\b|o'clock))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NumberMention:
    surface: str  # as written
    values: frozenset[str]  # canonical readings; a match on any of them counts
    required: bool = True  # False for spelled-out numbers: may be matched, never missing


def canonical(number: str) -> str:
    """'1500', '3.5', '12.5' from a number already in dot-decimal form without grouping."""
    if "." in number:
        whole, frac = number.split(".", 1)
        frac = frac.rstrip("0")
        whole = whole.lstrip("0") or "0"
        return f"{whole}.{frac}" if frac else whole
    return number.lstrip("0") or "0"


def _de_value(token: str) -> str:
    token = re.sub(f"[{_DIGIT_SEP}]", "", token)
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?", token):
        token = token.replace(".", "")  # German thousands separator
    return canonical(token.replace(",", "."))


def _en_value(token: str) -> str:
    token = re.sub(f"[{_DIGIT_SEP}]", "", token)
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", token):
        token = token.replace(",", "")
    return canonical(token.replace(",", "."))


def month_names(*langs: str, abbreviations: bool = False) -> dict[str, int]:
    """Every spelling of a month in ``langs``, capitalised as written, -> its number 1..12.

    German adds the Austrian "Jänner" and "Feber"; ``abbreviations`` adds "Jan", "Sept", ...
    """
    names: dict[str, int] = {}
    for lang in langs:
        names.update({name: i for i, name in enumerate(MONTHS[lang], start=1)})
        if lang == "de":
            names.update(_DE_VARIANTS)
            if abbreviations:
                names.update(_DE_ABBREVIATIONS)
    return names


def _month_pattern(lang: str) -> re.Pattern[str] | None:
    names = MONTHS.get(lang)
    if not names:
        return None
    return re.compile(r"\b(" + "|".join(names) + r")\b")  # capitalised: "may" is not May


def mentions(text: str, lang: str) -> list[NumberMention]:
    """Every number, date part and time in ``text`` read under ``lang``'s conventions."""
    found: list[tuple[int, NumberMention]] = []
    # Characters already read as part of a mention: one flag per character keeps the overlap
    # test proportional to the mention, not to the number of mentions found so far.
    taken = bytearray(len(text))

    def free(start: int, end: int) -> bool:
        return taken.find(1, start, end) < 0

    def add(start: int, end: int, values: Iterable[str], required: bool = True) -> None:
        taken[start:end] = b"\x01" * (end - start)
        found.append((start, NumberMention(text[start:end], frozenset(values), required)))

    for m in _NUMERIC_DATE.finditer(text):
        day, month, year = m.group(1), m.group(2), m.group(3)
        if 1 <= int(day) <= 31 and 1 <= int(month) <= 12 and (year or lang == "de"):
            add(m.start(1), m.end(1), {canonical(day)})
            add(m.start(2), m.end(2), {f"month:{int(month)}", canonical(month)})
            if year:
                add(m.start(3), m.end(3), {canonical(year)})
    time_rx = _DE_TIME if lang == "de" else _EN_TIME
    for m in time_rx.finditer(text):
        if not free(m.start(), m.end()):
            continue
        hour, minute, suffix = int(m.group(1)), m.group(2), (m.groups()[2:] or (None,))[0]
        if lang != "de" and not minute and not suffix:
            continue  # a bare English number is not a time
        if lang != "de" and minute and not suffix and "." in m.group(0):
            continue  # "3.50" is a decimal, not ten to four
        if hour > 24 or (minute and int(minute) > 59):
            continue
        readings = {f"time:{hour}:{minute or '00'}"}
        if suffix and suffix.lower().startswith("p") and hour < 12:
            readings = {f"time:{hour + 12}:{minute or '00'}"}
        elif suffix and suffix.lower().startswith("a") and hour == 12:
            readings = {f"time:0:{minute or '00'}"}
        elif lang != "de" and not suffix and hour <= 12:
            readings.add(f"time:{hour + 12}:{minute or '00'}")  # 2:30 may mean 14:30
        add(m.start(), m.end(), readings)
    number_rx, value = (_DE_NUMBER, _de_value) if lang == "de" else (_EN_NUMBER, _en_value)
    for m in number_rx.finditer(text):
        if free(m.start(), m.end()):
            add(m.start(), m.end(), {value(m.group())})
    months = _month_pattern(lang)
    if months is not None:
        names = MONTHS[lang]
        for m in months.finditer(text):
            add(m.start(), m.end(), {f"month:{names.index(m.group(1)) + 1}"})
    words = NUMBER_WORDS.get(lang, {})
    for m in re.finditer(r"\b\w+\b", text):
        n = words.get(m.group().lower())
        if n is not None:
            add(m.start(), m.end(), {str(n)}, required=False)
    found.sort(key=lambda x: x[0])
    return [m for _, m in found]


@dataclass(frozen=True)
class NumberComparison:
    missing: tuple[str, ...]  # source mentions with no counterpart in the target
    extra: tuple[str, ...]  # target mentions the source does not support


def compare(
    source: str, target: str, source_lang: str = "de", target_lang: str = "en"
) -> NumberComparison:
    """Match every required source mention to a distinct target mention with a common value.

    A target mention written exactly as in the source (a copied "1.500") also matches.
    """
    src = mentions(source, source_lang)
    tgt = mentions(target, target_lang)
    surfaces = {m.surface: m.values for m in src}
    tgt_values = [set(m.values) | set(surfaces.get(m.surface, ())) for m in tgt]
    used = [False] * len(tgt)
    missing: list[str] = []
    # Required mentions first, most constrained (fewest readings) first.
    order = sorted(range(len(src)), key=lambda i: (not src[i].required, len(src[i].values)))
    for i in order:
        mention = src[i]
        hit = next(
            (j for j, vals in enumerate(tgt_values) if not used[j] and vals & mention.values),
            None,
        )
        if hit is None:
            if mention.required:
                missing.append(mention.surface)
            continue
        used[hit] = True
    supported = set().union(*(m.values for m in src)) if src else set()
    extra = [
        m.surface
        for j, m in enumerate(tgt)
        if not used[j] and m.required and not (tgt_values[j] & supported)
    ]
    return NumberComparison(tuple(missing), tuple(extra))
