"""Short articles, missing titles and mixed-language pages (issue 14)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from digest.errors import InputError
from digest.ingest import boilerplate as bp
from digest.ingest.article import article_from_text, load_article
from digest.results import DigestOptions
from digest.summarize import summarize
from digest.writers.article_view import format_inspection
from summarize.test_digest import fake_models

LANGUAGE = Path(__file__).resolve().parents[1] / "data" / "language_short.jsonl"
SHORT = [json.loads(line) for line in LANGUAGE.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("row", SHORT, ids=lambda r: r["text"][:30])
def test_language_of_one_sentence(row: dict[str, str]) -> None:
    assert bp.guess_language(row["text"]).german is (row["lang"] == "de")


def test_two_line_article_without_function_words_is_accepted() -> None:
    # No word of the stop-word list: the old check said "stop-word ratio 0.00" and refused.
    data = b"Bahnstreik\n\nBahnstreik legt Fernverkehr bundesweit lahm.\n"
    art = load_article("-", data=data)
    assert art.title.text == "Bahnstreik"
    assert [s.text for s in art.sentences] == ["Bahnstreik legt Fernverkehr bundesweit lahm."]


def test_short_foreign_text_is_refused_with_a_true_reason() -> None:
    data = b"Rail strike\n\nThe rail strike brings traffic to a halt across the country.\n"
    with pytest.raises(InputError) as err:
        load_article("strike.txt", data=data)
    message = str(err.value)
    assert message.startswith("strike.txt does not look like German text (")
    assert (
        "3 English function words against 0 German ones and 0 German spellings in 13 words"
        in message
    )


def test_untitled_article_gets_a_derived_title() -> None:
    body = (
        "Die Stadt baut eine neue Brücke über den Fluss, die im Jahr 2027 fertig werden soll "
        "und 40 Millionen Euro kostet. Der Rat hat am Abend zugestimmt. Die Opposition "
        "stimmte dagegen, weil sie die Kosten für zu hoch hält."
    )
    art = article_from_text(body + "\n")
    assert art.title.text == "Die Stadt baut eine neue Brücke über den Fluss …"
    assert art.title_derived and art.metadata["title_derived"] == "first sentence"
    assert art.text[art.title.start : art.title.end] == art.title.text
    assert art.sentences[0].text.startswith("Die Stadt baut")  # still in the body
    assert format_inspection(art, "md").startswith(f"# {art.title.text}\n")
    assert "- title_derived: first sentence" in format_inspection(art, "md")
    titled = article_from_text("Brücke wird gebaut\n\n" + body)
    assert not titled.title_derived and "title_derived" not in titled.metadata


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("Die beiden Kliniken in Hollbach und Steinau werden zum 1. Januar 2028 zu einem "
         "Unternehmen zusammengelegt.", "Die beiden Kliniken in Hollbach und Steinau werden …"),
        ("Der Kreistag hat die Fusion am Montagabend mit 41 zu 17 Stimmen und gegen den Rat "
         "beschlossen.", "Der Kreistag hat die Fusion am Montagabend …"),
        ("Nach dem Brand in der Lagerhalle eines Großhändlers ermittelt die Polizei nun gegen "
         "einen Mitarbeiter.", "Nach dem Brand in der Lagerhalle eines Großhändlers ermittelt …"),
    ],
)  # fmt: skip
def test_a_shortened_title_does_not_end_on_a_function_word_or_number(
    first: str, title: str
) -> None:
    art = article_from_text(first + " Der Rat hat zugestimmt. Die Opposition war dagegen.\n")
    assert art.title.text == title


def test_one_long_line_gets_a_title_and_a_warning_about_few_bullets(tmp_path: Path) -> None:
    sentence = "Der Rat der Stadt hat am Montag über den Haushalt beraten und {} Anträge geprüft. "
    line = "".join(sentence.format(n) for n in range(2, 400)).strip()
    art = load_article("lang.txt", data=line.encode())
    assert art.title.text and art.title_derived
    (result,) = summarize(art, fake_models(tmp_path, to_en=False), DigestOptions(to=None))
    assert "the source has no title line: the title is made from its first sentence" in (
        result.warnings
    )


def test_fewer_bullets_than_asked_are_announced(tmp_path: Path) -> None:
    art = article_from_text(
        "Neue Brücke für die Stadt\n\nDie Stadt baut eine neue Brücke über den Fluss. "
        "Sie kostet 40 Millionen Euro.\n"
    )
    options = DigestOptions(to=None, bullets=5)
    (result,) = summarize(art, fake_models(tmp_path, to_en=False), options)
    assert len(result.bullets) < 5
    assert f"only {len(result.bullets)} of 5 key bullets" in " ".join(result.warnings)


MIXED = """Neue Fähre verbindet Insel und Festland

Die Reederei stellt am Montag ihre neue Elektrofähre in Dienst. Sie pendelt täglich acht Mal zwischen dem Hafen und der Insel.

Die Überfahrt dauert wie bisher etwa 50 Minuten. Die Preise bleiben bis Ende des Jahres stabil, teilte die Reederei mit.

English version

The shipping company is putting its new electric ferry into service on Monday. It will run eight times a day between the harbour and the island.

Version française

La compagnie met en service sa nouvelle navette électrique lundi. Elle fera huit allers-retours par jour entre le port et l'île.
"""  # noqa: E501


def test_mostly_german_page_keeps_the_german_part() -> None:
    art = load_article("mixed.txt", data=MIXED.encode())
    assert art.title.text == "Neue Fähre verbindet Insel und Festland"
    kept = " ".join(b.text for b in art.blocks)
    assert "shipping company" not in kept and "navette" not in kept
    assert "English version" not in kept and "Version française" not in kept
    dropped = {d.text[:20]: d.reason for d in art.dropped}
    assert set(dropped.values()) == {"other_language"}
    assert len(dropped) == 4  # two headings, two paragraphs
    assert art.metadata["other_languages"] == "English, French"


def test_mostly_foreign_page_is_still_refused() -> None:
    english = MIXED.split("English version")[1].split("Version")[0]
    page = "Ferry\n\n" + "\n\n".join([english] * 3) + "\n\nDie Fähre fährt täglich.\n"
    with pytest.raises(InputError, match="does not look like German text"):
        load_article("english.txt", data=page.encode())


def test_compare_libraries_script_prints_its_tables(capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    root = Path(__file__).resolve().parents[2]
    script = runpy.run_path(str(root / "scripts" / "compare_libraries.py"))
    script["stemmer_table"]()
    script["charset_table"]()
    out = capsys.readouterr().out
    assert "== Stemmer: 43 word families" in out and "held-out" in out
    assert re.search(r"digest decode_bytes .* 100\.0%", out)
