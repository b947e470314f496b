"""digest.checks.quantities: numbers, dates and times read per language; the month table."""

from __future__ import annotations

import pytest

from digest.checks.facts import find_dates
from digest.checks.quantities import compare, mentions, month_names
from digest.ingest.boilerplate import parse_date


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Rund 1.500 Menschen kamen.", "Around 1,500 people came."),
        ("Rund 1.500 Menschen kamen.", "Around 1500 people came."),
        ("Der Preis stieg um 3,5 Prozent.", "The price rose by 3.5 percent."),
        ("Der Grundpreis liegt bei 12,50 Euro.", "The base price is 12.50 euros."),
        ("Es kostet 1.234.567,89 Euro.", "It costs 1,234,567.89 euros."),
        ("Der Bau beginnt am 13. September.", "Construction starts on September 13."),
        ("Der Bau beginnt am 13. September.", "Construction starts on 13 September."),
        ("Der Bau beginnt am 1. Januar 2025.", "Construction starts on January 1st, 2025."),
        ("Die Sitzung beginnt um 14.30 Uhr.", "The meeting starts at 2:30 pm."),
        ("Die Sitzung beginnt um 14.30 Uhr.", "The meeting starts at 14:30."),
        ("Stichtag ist der 13.09.2024.", "The deadline is 13 September 2024."),
        ("Es geht um zwölf Monate.", "It is about 12 months."),
        ("Rund 85.000 Haushalte", "About 85\u202f000 households"),
    ],
)
def test_german_number_formats_match_their_english_forms(source: str, target: str) -> None:
    result = compare(source, target)
    assert result.missing == () and result.extra == ()


@pytest.mark.parametrize(
    ("source", "target", "missing", "extra"),
    [
        ("Rund 1.500 Menschen kamen.", "Around 1.5 people came.", ("1.500",), ("1.5",)),
        ("Der Preis stieg um 3,5 Prozent.", "The price rose by 35 percent.", ("3,5",), ("35",)),
        ("Der Preis stieg um 3,5 Prozent.", "The price rose by 3,5 percent.", ("3,5",), ("3",)),
        ("Der Bau beginnt am 13. September.", "Construction starts on September 31.",
         ("13",), ("31",)),
        ("Der Bau beginnt am 13. September.", "Construction starts on 13 October.",
         ("September",), ("October",)),
        ("Die Sitzung beginnt um 14.30 Uhr.", "The meeting starts at 3:30 pm.", ("14.30 Uhr",),
         ("3:30 pm",)),
        ("Es kamen 40 Gäste.", "There were 40 guests and 7 dogs.", (), ("7",)),
    ],
)  # fmt: skip
def test_changed_or_dropped_numbers_are_reported(
    source: str, target: str, missing: tuple[str, ...], extra: tuple[str, ...]
) -> None:
    result = compare(source, target)
    assert result.missing == missing
    assert result.extra == extra


def test_a_copied_german_number_still_counts_as_the_same_number() -> None:
    assert compare("Rund 1.500 Menschen", "About 1.500 people").missing == ()


def test_mentions_read_each_language_by_its_own_conventions() -> None:
    de = {m.surface: m.values for m in mentions("1.500 und 3,5 und 2.5", "de")}
    en = {m.surface: m.values for m in mentions("1,500 and 3.5", "en")}
    assert de["1.500"] == {"1500"} and de["3,5"] == {"3.5"} and de["2.5"] == {"2.5"}
    assert en["1,500"] == {"1500"} and en["3.5"] == {"3.5"}


def test_the_month_table_knows_every_spelling_the_callers_need() -> None:
    de = month_names("de")
    assert de["Januar"] == de["Jänner"] == 1 and de["Feber"] == 2 and de["Dezember"] == 12
    assert "Sept" not in de and month_names("de", abbreviations=True)["Sept"] == 9
    both = month_names("de", "en")
    assert both["May"] == both["Mai"] == 5 and len(set(both.values())) == 12
    # The boilerplate dateline reader and the date flags read the Austrian names too.
    assert parse_date("Wien, 3. Feber 2026") == "2026-02-03"
    assert parse_date("Wien, 14. Jänner 2026") == "2026-01-14"
    assert [d[:2] for d in find_dates("Am 3. Feber und am March 4th")] == [(3, 2), (4, 3)]
