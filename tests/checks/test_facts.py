"""digest.checks.facts: numbers, dates and names in generated text that the source lacks."""

from __future__ import annotations

import pytest

from digest.checks.facts import check_generated, check_text, find_dates, unsupported_numbers


def test_digest_number_flags_use_the_same_normalisation() -> None:
    source = "Rund 85.000 Haushalte zahlen ab dem 1. Januar 3,5 Prozent weniger."
    ok = "About 85,000 households pay 3.5 percent less from January 1."
    assert unsupported_numbers(ok, source, lang="en", where="summary") == []
    flags = unsupported_numbers("About 86,000 households pay less.", source, lang="en", where="s")
    assert [f.value for f in flags] == ["86,000"]
    de_flags = check_generated("Rund 85.000 Haushalte zahlen 4 Prozent.", source, lang="de",
                               where="bullet:1")  # fmt: skip
    assert [(f.kind, f.value) for f in de_flags] == [("number", "4")]


SOURCE = (
    "Der erste Bauabschnitt beginnt am 13. September 2027 am Hauptbahnhof. "
    "Die Kosten liegen bei 3,5 Millionen Euro, sagte Dezernentin Katrin Albers am Donnerstag. "
    "Am 1.200 Tage alten Radweg zählte die Stadt 23 Prozent mehr Verkehr."
)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Der Bau beginnt am 13. September 2027, sagte Albers.", "de"),
        ("Die Kosten: 3.5 million euros, 1,200 days, 23 percent.", "en"),
        ("Construction starts on September 13, 2027, Albers said on Thursday.", "en"),
        ("Work begins on 13 September at the main station.", "en"),
    ],
)
def test_supported_facts_are_not_flagged(text: str, lang: str) -> None:
    assert check_text(text, SOURCE, lang=lang, where="summary") == []


@pytest.mark.parametrize(
    ("text", "lang", "kind", "value"),
    [
        ("Der Bau beginnt am 14. September.", "de", "date", "14. September"),
        ("Der Bau beginnt am 13. Oktober.", "de", "date", "13. Oktober"),  # numbers all known
        ("Der Bau beginnt am 13.10.2027.", "de", "date", "13.10.2027"),
        ("Work starts on October 13.", "en", "date", "October 13"),
        ("Die Kosten liegen bei 4,5 Millionen Euro.", "de", "number", "4,5"),
        ("Costs are 4.5 million euros.", "en", "number", "4.5"),
        ("Das sagte Bürgermeister Hubert Knallfrosch.", "de", "name", "Knallfrosch"),
        ("This was said by mayor Hubert Knallfrosch.", "en", "name", "Hubert"),
    ],
)
def test_unsupported_facts_are_flagged(text: str, lang: str, kind: str, value: str) -> None:
    flags = check_text(text, SOURCE, lang=lang, where="bullet:1")
    assert any(f.kind == kind and f.value == value and f.lang == lang for f in flags), flags
    assert all(f.where == "bullet:1" for f in flags)


def test_a_flagged_date_is_not_reported_again_as_numbers() -> None:
    flags = check_text("Es geht am 30. Februar los.", SOURCE, lang="de", where="summary")
    assert [(f.kind, f.value) for f in flags] == [("date", "30. Februar")]


def test_dates_are_found_in_german_and_english_spellings() -> None:
    text = "am 13.09.2027, 4. Oktober, September 13th, 2027-09-14 und 1st of May"
    found = [(d, m) for d, m, _, _ in find_dates(text)]
    assert found == [(13, 9), (4, 10), (13, 9), (14, 9), (1, 5)]
    assert find_dates("Das Spiel endete 5:4 nach 120 Minuten.") == []
