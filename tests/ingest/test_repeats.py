"""A sentence repeated in another paragraph (issue 14): marked at ingest, shown by
``digest inspect``, left out of summaries and bullets."""

from __future__ import annotations

import json
from pathlib import Path

from digest.ingest.article import article_from_text
from digest.results import DigestOptions
from digest.summarize import summarize
from digest.writers.article_view import format_inspection
from summarize.test_digest import fake_models

REPEATED = "Die neue Brücke über die Elbe soll im Herbst 2027 für den Verkehr freigegeben werden."
PARAGRAPHS = [
    "Neue Elbbrücke wird teurer als geplant",
    "Die Stadt rechnet für die neue Elbbrücke mit Mehrkosten. Der Rat berät am Montag.",
    "Die Baukosten steigen nach Angaben der Verwaltung auf 48 Millionen Euro. "
    f"{REPEATED} Grund sind höhere Preise für Stahl und Beton.",
    "Das ist alles. Bürgerinnen und Bürger können die Pläne im Rathaus einsehen. "
    "Die Auslegung dauert vier Wochen.",
    # The repeat differs in case only; "Das ist alles." repeats too but is too short to count.
    f"Kritik kommt von der Opposition. {REPEATED.replace('Elbe', 'ELBE')} Das ist alles. "
    "Der Zeitplan sei kaum zu halten, heißt es.",
    "Die Verwaltung verweist auf die Fördermittel des Landes. "
    "Sie decken rund die Hälfte der Kosten ab.",
]
TEXT = "\n\n".join(PARAGRAPHS) + "\n"


def test_the_later_copy_points_at_the_first() -> None:
    art = article_from_text(TEXT)
    marked = {s.id: s.duplicate_of for b in art.blocks for s in b.sentences if s.duplicate_of}
    first = next(s.id for b in art.blocks for s in b.sentences if s.text == REPEATED)
    assert marked == {"b1.3.2": first}
    assert first == "b1.1.2"
    # Three words are too few to call a repeat ("Das ist alles." stays unmarked).
    assert all(s.duplicate_of is None for s in art.sentences if s.text == "Das ist alles.")
    assert "b1.3.2" not in {s.id for s in art.sentences}
    assert "b1.3.2" not in {s.id for s in art.sections[0].sentences}


def test_inspect_shows_the_repeat_in_md_and_json() -> None:
    art = article_from_text(TEXT)
    md = format_inspection(art, "md")
    assert "- sentence `b1.3.2` repeats `b1.1.2`" in md
    assert "`b1.3` paragraph, 4 sentences, 1 repeated sentence" in md
    data = json.loads(format_inspection(art, "json"))
    sents = {s["id"]: s for sec in data["sections"] for b in sec["blocks"] for s in b["sentences"]}
    assert sents["b1.3.2"]["duplicate_of"] == "b1.1.2"
    assert "duplicate_of" not in sents["b1.1.2"]  # left out while null: old output unchanged


def test_summary_and_bullets_skip_the_repeat(tmp_path: Path) -> None:
    art = article_from_text(TEXT)
    (result,) = summarize(art, fake_models(tmp_path, to_en=False), DigestOptions(to=None))
    used = set(result.summary_source_ids)
    used |= {i for b in result.bullets for i in b.source_ids}
    used |= {i for s in result.sections for i in s.source_ids}
    assert "b1.3.2" not in used
    assert result.summary.de.count("Herbst 2027") <= 1
