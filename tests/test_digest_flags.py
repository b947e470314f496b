"""Faithfulness flags: invented numbers, dates and names are flagged on both language sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE_FILES, write_models_yaml
from digest.checks.facts import check_text, find_dates
from digest.config import load_config
from digest.ingest import load_article
from digest.models import load_models
from digest.options import DigestOptions
from digest.results import DigestResult
from digest.summarize import summarize

ARTICLES = [load_article(p) for p in SAMPLE_FILES]
INVENTED = {"number": "4711", "date": "30", "name": "Zwetschgenbaum"}


def run(tmp_path: Path, *, summarizer: str, summ_mode: str = "summarize",
        trans_mode: str = "translate") -> list[DigestResult]:  # fmt: skip
    path = write_models_yaml(tmp_path / "models.yaml", None, fake_mode=trans_mode)
    text = path.read_text(encoding="utf-8").replace("'fake:summarize'", f"'fake:{summ_mode}'")
    path.write_text(text, encoding="utf-8")
    models = load_models(load_config(path), summarizer=summarizer, translator="default")
    return summarize(ARTICLES, models, DigestOptions(bullets=4))


def test_faithful_digests_carry_no_fact_flags(tmp_path: Path) -> None:
    # Extractive German text and a word-for-word fake translation invent nothing.
    for r in run(tmp_path, summarizer="extractive"):
        facts = [f for f in r.flags if f.kind in ("number", "date", "name")]
        assert facts == [], (r.article.source, facts)


@pytest.mark.parametrize("kind", ["number", "date", "name"])
def test_invented_fact_in_german_summary_is_flagged(tmp_path: Path, kind: str) -> None:
    results = run(tmp_path, summarizer="fake-summarizer", summ_mode=f"invent-{kind}")
    for r in results:
        german = [f for f in r.flags if f.lang == "de" and f.kind == kind]
        assert any(INVENTED[kind] in f.value for f in german), (r.article.source, r.flags)
        assert any(f.where == "summary" for f in german)
        # The translation carries the invented fact over; the English side is flagged too.
        assert any(f.lang == "en" and f.kind == kind for f in r.flags)
        for b in r.bullets:
            assert {f.where for f in b.flags} <= {f"bullet:{b.id[1:]}"}
            assert set(b.flags) <= set(r.flags)


@pytest.mark.parametrize("kind", ["number", "date", "name"])
def test_invented_fact_in_english_translation_is_flagged(tmp_path: Path, kind: str) -> None:
    results = run(tmp_path, summarizer="extractive", trans_mode=f"invent-{kind}")
    for r in results:
        assert not [f for f in r.flags if f.lang == "de" and f.kind == kind]
        english = [f for f in r.flags if f.lang == "en" and f.kind == kind]
        assert any(INVENTED[kind] in f.value for f in english), r.flags
        # Every bullet's English side is a translation with the invented sentence appended.
        for b in r.bullets:
            assert any(f.lang == "en" and f.kind == kind for f in b.flags), b


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
