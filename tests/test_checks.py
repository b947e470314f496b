"""Number normalisation, the per-sentence self-checks, and the digest's number/name flags."""

from __future__ import annotations

import pytest

from digest.checks.facts import check_generated, find_dates, unsupported_numbers
from digest.checks.quantities import compare, mentions, month_names
from digest.checks.repetition import repetition_loop
from digest.checks.translation import Problem, check_translation, copy_through
from digest.ingest.boilerplate import parse_date
from digest.summarize.strategies import loops


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


def test_repetition_loops_are_found_and_normal_text_is_not() -> None:
    assert repetition_loop("the city the city the city the city") == "the city"
    assert repetition_loop("costs rose again and again and again and again") is not None
    assert repetition_loop("The city council approved the new plan on Monday.") is None


def test_one_repetition_detector_serves_translations_and_summaries() -> None:
    # Translation sentences: a word or pair of words three times back to back is a loop.
    assert repetition_loop("Die die die Stadt baut.") == "die"
    assert repetition_loop("Linie 12 fährt, Linie 14 fährt, Linie 16 fährt.") == "linie fährt"
    # Summaries: only runs of three or more tokens count, and numbers are tokens.
    assert not loops("Die die die Stadt baut.")
    assert not loops("Linie 12 fährt, Linie 14 fährt, Linie 16 fährt.")
    counted = "Tor 3, 4, 5. Tor 3, 4, 5. Tor 3, 4, 5."
    assert loops(counted)
    assert repetition_loop(counted, shortest=3, tokens="runs") == "tor 3 4 5"
    assert repetition_loop(counted, shortest=3) is None  # as words: "tor tor tor", no 3-gram
    # Anywhere in the text, not only back to back, for three words and more.
    spread = "Der Rat tagt heute. Morgen der Rat tagt. Dann: der Rat tagt wieder."
    assert loops(spread) and repetition_loop(spread) == "der rat tagt"


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


def test_copy_through_is_found_but_names_and_short_headings_are_not() -> None:
    de = "Der Stadtrat hat die neuen Radwege mit großer Mehrheit beschlossen."
    assert copy_through(de, de, 0.7)
    assert copy_through(de, "Der Stadtrat hat the neuen Radwege mit großer Mehrheit approved.", 0.7)
    assert not copy_through(de, "The city council approved the new cycle lanes.", 0.7)
    assert not copy_through("Miriam Kessler", "Miriam Kessler", 0.7)
    assert not copy_through("FC Bayern München", "FC Bayern München", 0.7)


def test_check_translation_reports_each_failure_by_kind() -> None:
    de = "Der Stadtrat hat am 13. September 1.500 Euro für neue Radwege bewilligt."
    good = check_translation(
        de, "On September 13, the city council approved 1,500 euros for bikes."
    )
    assert good.ok and set(good.passed) == {"repetition", "copy", "length", "numbers"}
    loop = check_translation(de, "The council the council the council approved 1,500 on 13 Sept.")
    assert "repetition" in loop.failed
    copied = check_translation(de, de)
    assert copied.failed == ("copy",)
    short = check_translation(de, "Yes.")
    assert "length" in short.failed and "numbers" in short.failed
    kinds = {p.kind for p in short.problems}
    assert {"length", "missing_number", "date"} <= kinds
    cut = check_translation(de, "On September 13 the council approved 1,500", hit_token_limit=True)
    assert [p.kind for p in cut.problems] == ["length"]
    empty = check_translation(de, "")
    assert empty.problems[0] == Problem("length", "0", "empty translation")
    assert empty.failed == ("length", "numbers")


def test_glossary_check_needs_each_rendering() -> None:
    de = "Die Stadtwerke senken die Preise für alle Kunden in der Stadt."
    ok = check_translation(
        de, "The municipal utility lowers prices.", glossary=["municipal utility"]
    )
    assert ok.ok
    bad = check_translation(de, "The public works lower prices.", glossary=["municipal utility"])
    assert bad.failed == ("glossary",)


def test_digest_number_flags_use_the_same_normalisation() -> None:
    source = "Rund 85.000 Haushalte zahlen ab dem 1. Januar 3,5 Prozent weniger."
    ok = "About 85,000 households pay 3.5 percent less from January 1."
    assert unsupported_numbers(ok, source, lang="en", where="summary") == []
    flags = unsupported_numbers("About 86,000 households pay less.", source, lang="en", where="s")
    assert [f.value for f in flags] == ["86,000"]
    de_flags = check_generated("Rund 85.000 Haushalte zahlen 4 Prozent.", source, lang="de",
                               where="bullet:1")  # fmt: skip
    assert [(f.kind, f.value) for f in de_flags] == [("number", "4")]


def test_a_number_used_many_times_is_one_problem() -> None:
    de = "Der Stadtrat hat neue Radwege beschlossen."
    report = check_translation(de, "The council 2658 approved 2658 new 2658 lanes 2658.")
    assert [p.value for p in report.problems if p.kind == "number"] == ["2658"]
