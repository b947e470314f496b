"""Translation with the named fake backend: checks, retries, glossary, structure, alignment.

The fake engine is not a model: it swaps a few German words for English ones and, in its
failure modes, repeats, copies or drops numbers unless called with stronger settings. That
makes every failure path reproducible; the tiny real Marian is used in test_translation_tiny.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.backends.fake import FakeModel
from digest.config import GenerationSettings, ModelSpec
from digest.errors import ConfigError
from digest.ingest.article import article_from_text
from digest.models import Models
from digest.options import RuntimeOptions
from digest.translate import translate
from digest.translate.glossary import Glossary, GlossaryEntry, load_glossary
from digest.translate.sentences import UnitOptions, translate_units
from digest.writers import get_writer
from digest.writers import translation as fmt

ARTICLE_MD = """# Stadtrat beschließt neue Radwege

Der Stadtrat hat am Montag ein Paket für neue Radwege beschlossen. **Die Kosten liegen bei 3,5 Millionen Euro.** Mehr steht im [Verkehrsplan](https://example.org/plan) der Stadt.

## Was sich ändert

Auf der Hauptstraße entsteht ein Radstreifen, sagte die Bürgermeisterin *Anna Vogt* am Abend.

- Neue Ampeln an drei Kreuzungen der Innenstadt
- Mehr Abstellplätze für Fahrräder am Bahnhof

1. Zuerst wird die Hauptstraße umgebaut.
2. Danach folgt der Bahnhofsplatz.

> Das ist ein guter Tag für alle, die in der Stadt mit dem Rad unterwegs sind.

Die Arbeiten sollen am 13. September beginnen und rund 1.500 Meter Strecke umfassen.
"""  # noqa: E501


def fake(mode: str = "translate", limit: int = 64) -> FakeModel:
    spec = ModelSpec(
        name="fake-translator",
        role="translator",
        backend="fake",
        source=f"fake:{mode}",
        target_lang="en",
        max_input_tokens=limit,
        generation=GenerationSettings(num_beams=2, max_new_tokens=200),
    )
    return FakeModel(spec, mode=mode)


class StubbornFake(FakeModel):
    """A fake whose failure does not go away with stronger settings."""

    def _one(self, text: str, settings: GenerationSettings) -> str:
        return super()._one(text, self.generation)


def models(engine: FakeModel) -> Models:
    return Models(None, engine, RuntimeOptions())


SENTENCE = "Der Stadtrat hat am 13. September 1.500 Euro für die neue Brücke bewilligt."


@pytest.mark.parametrize(
    ("mode", "check"),
    [("repeat", "repetition"), ("copy", "copy"), ("drop-number", "missing_number")],
)
def test_a_failing_sentence_is_retried_once_with_stronger_settings(mode: str, check: str) -> None:
    engine = fake(mode)
    [unit] = translate_units(engine, [SENTENCE])
    assert len(engine.calls) == 2  # first try, then exactly one retry
    assert engine.calls[0].settings == engine.generation
    retry = engine.calls[1].settings
    assert retry == engine.generation.stronger()
    assert retry.num_beams > engine.generation.num_beams
    assert retry.no_repeat_ngram_size > 0 and retry.repetition_penalty > 1.0
    assert engine.calls[1].texts == [SENTENCE]
    assert check in {p.kind for p in unit.first_problems}
    assert unit.retried and unit.problems == ()  # the fake "recovers" under stronger settings
    assert "1,500" in unit.target and "13" in unit.target


@pytest.mark.parametrize(
    ("mode", "kind"),
    [("repeat", "repetition"), ("copy", "copy"), ("drop-number", "missing_number")],
)
def test_a_sentence_that_still_fails_after_the_retry_is_flagged(mode: str, kind: str) -> None:
    engine = StubbornFake(fake(mode).spec, mode=mode)
    art = article_from_text(SENTENCE + "\n\nDie Stadt ist schön.\n", fmt="txt")
    [result] = translate(art, models(engine))
    flagged = {s.source: s for b in result.blocks for s in b.sentences if s.flags}
    sent = flagged[SENTENCE]
    assert sent.retried and kind in {f.kind for f in sent.flags}
    assert sent.flags[0].where == "sentence:" + sent.source_id
    assert len(engine.calls) == 2 and SENTENCE in engine.calls[1].texts
    assert result.stats["flagged_sentences"] == len(flagged)
    assert result.stats["retried_sentences"] == len(engine.calls[1].texts)
    # The untitled article's first sentence is also its derived title (issue 14): 3 in all.
    n = result.stats["sentences"]
    assert n == 3
    assert any(w.startswith(f"checks: {n} sentences, {n - len(flagged)} passed")
               for w in result.warnings)  # fmt: skip
    assert "### Checks" in fmt.markdown(result) and "⚠" in fmt.html(result)


def test_good_sentences_are_not_retried() -> None:
    engine = fake("translate")
    units = ["Die Stadt hat 40 neue Bäume.", "Der Stadtrat ist für die Pläne."]
    out = translate_units(engine, units)
    assert len(engine.calls) == 1
    assert all(u.problems == () and not u.retried for u in out)
    assert all("numbers" in u.passed for u in out)


def test_a_long_sentence_is_split_at_clauses_and_nothing_is_lost() -> None:
    clauses = [f"die Stadt baut im Viertel {i} einen neuen Radweg" for i in range(40)]
    sentence = "Im Sommer, " + ", und ".join(clauses) + "."
    engine = fake(limit=30)
    art = article_from_text(f"Radwege\n\n{sentence}\n", fmt="txt")
    [result] = translate(art, models(engine))
    [sent] = [s for b in result.blocks for s in b.sentences if s.source == sentence]
    assert sent.pieces > 1
    sent_inputs = [t for call in engine.calls[:1] for t in call.texts if t != "Radwege"]
    assert " ".join(sent_inputs).split() == sentence.split()  # every word went in, in order
    assert all(n <= 30 for n in engine.count_tokens(sent_inputs))
    for i in range(40):
        assert f"Viertel {i} " in sent.target
    assert any("split at clause boundaries" in w for w in result.warnings)


def test_glossary_terms_come_out_as_given_via_placeholders() -> None:
    glossary = Glossary(
        (GlossaryEntry("Stadtwerke", "municipal utility"), GlossaryEntry("Nordfeld", "Nordfeld"))
    )
    engine = fake()
    src = "Die Stadtwerke bauen in Nordfeld ein Netz, sagte der Chef der Stadtwerken."
    [unit] = translate_units(engine, [src], UnitOptions(glossary=glossary))
    sent = engine.calls[0].texts[0]
    assert "Stadtwerke" not in sent and "QX1" in sent and "QX3" in sent  # protected
    assert unit.target.count("municipal utility") == 2 and "Nordfeld" in unit.target
    assert unit.problems == () and "glossary" in unit.passed


def test_a_lost_glossary_placeholder_is_retried_with_the_rendering_inline() -> None:
    class DropsCodes(FakeModel):
        def _one(self, text: str, settings: GenerationSettings) -> str:
            return " ".join(w for w in super()._one(text, settings).split() if "QX" not in w)

    engine = DropsCodes(fake().spec)
    glossary = Glossary((GlossaryEntry("Stadtwerke", "municipal utility"),))
    [unit] = translate_units(
        engine, ["Die Stadtwerke senken die Preise."], UnitOptions(glossary=glossary)
    )
    assert engine.calls[1].texts == ["Die municipal utility senken die Preise."]
    assert unit.retried and "municipal utility" in unit.target and unit.problems == ()


def test_glossary_files_tsv_csv_header_and_errors(tmp_path: Path) -> None:
    tsv = tmp_path / "g.tsv"
    tsv.write_text("# Begriffe\nde\ten\nStadtrat\tcity council\nNordfeld\tNordfeld\n", "utf-8")
    csv_file = tmp_path / "g.csv"
    csv_file.write_text('Stadtrat,city council\n"Müller, Anna",Anna Müller\n', "utf-8")
    assert load_glossary(tsv).entries == (
        GlossaryEntry("Stadtrat", "city council"),
        GlossaryEntry("Nordfeld", "Nordfeld"),
    )
    assert load_glossary(csv_file).entries[1] == GlossaryEntry("Müller, Anna", "Anna Müller")
    bad = tmp_path / "bad.tsv"
    bad.write_text("Stadtrat\n", "utf-8")
    with pytest.raises(ConfigError, match="entry 1"):
        load_glossary(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_glossary(tmp_path / "missing.tsv")


def test_markdown_structure_emphasis_and_links_survive() -> None:
    art = article_from_text(ARTICLE_MD, fmt="md")
    [result] = translate(art, models(fake()))
    assert [b.block_id for b in result.blocks] == [b.id for b in art.blocks]
    md = fmt.markdown(result)
    body = md.split("\n---\n")[0]
    order = [
        "# city council beschließt new Radwege",
        "## Was sich ändert",
        "- new Ampeln",
        "- Mehr Abstellplätze",
        "1. Zuerst",
        "2. Danach",
        "> the is a guter Tag",
        "the Arbeiten sollen on 13. September",
    ]
    positions = [body.index(x) for x in order]
    assert positions == sorted(positions)
    assert "**the Kosten liegen bei 3.5 million Euro.**" in body  # whole-sentence emphasis
    assert "[Verkehrsplan](https://example.org/plan)" in body
    assert "*Anna Vogt*" in body
    assert "checks: " in md


def test_html_input_gives_structured_output() -> None:
    page = (
        "<html><head><title>Radwege</title></head><body><article>"
        "<h1>Stadtrat beschließt neue Radwege für die Innenstadt</h1>"
        "<p>Der Stadtrat hat am Montag mit großer Mehrheit ein Paket für neue Radwege "
        "beschlossen. Die Kosten liegen bei <em>3,5 Millionen Euro</em>, hieß es.</p>"
        "<h2>Was sich ändert</h2>"
        "<p>Auf der Hauptstraße entsteht ein neuer Radstreifen. Mehr steht im "
        '<a href="https://example.org/plan">Verkehrsplan</a> der Stadt.</p>'
        "<ul><li>Neue Ampeln an drei Kreuzungen der Innenstadt</li>"
        "<li>Mehr Abstellplätze für Fahrräder am Bahnhof</li></ul>"
        "<blockquote><p>Das ist ein guter Tag für alle Menschen auf dem Rad.</p></blockquote>"
        "</article></body></html>"
    )
    art = article_from_text(page, fmt="html")
    [result] = translate(art, models(fake()))
    kinds = [b.kind for b in result.blocks]
    assert kinds[0] == "title" and "heading" in kinds and kinds.count("list_item") == 2
    page_out = fmt.html(result)
    for tag in ("<h1 ", "<h2 ", "<ul>", "<li ", "<blockquote ", "<em>3.5 million"):
        assert tag in page_out
    assert '<a href="https://example.org/plan">Verkehrsplan</a>' in page_out
    md = fmt.markdown(result)
    assert md.startswith("# ") and "\n## " in md and "\n- new Ampeln" in md
    assert "[Verkehrsplan](https://example.org/plan)" in md
    txt = fmt.text(result)
    assert "Verkehrsplan (https://example.org/plan)" in txt and "\n====" in txt


def test_json_carries_alignment_and_check_results() -> None:
    art = article_from_text(ARTICLE_MD, fmt="md")
    [result] = translate(art, models(fake()))
    data = json.loads(get_writer("json").format(result))
    sentences = [s for b in data["blocks"] for s in b["sentences"]]
    assert [s["source_id"] for s in sentences] == [s.id for b in art.blocks for s in b.sentences]
    for s in sentences:
        assert art.text[s["start"] : s["end"]] == s["source"]
        assert s["target"] and isinstance(s["flags"], list)
        assert set(s["checks_passed"]) | {f["kind"] for f in s["flags"]}
    assert data["stats"]["sentences"] == len(sentences)
    assert "flagged_sentences" in data["stats"]


def test_sentences_of_several_articles_go_in_one_call_and_come_back_in_order() -> None:
    engine = fake()
    arts = [
        article_from_text(f"Titel {i}\n\nDer Stadtrat hat {i} neue Bäume gepflanzt.\n", fmt="txt")
        for i in range(3)
    ]
    results = translate(arts, models(engine))
    assert len(engine.calls) == 1
    for i, r in enumerate(results):
        assert f"{i} new Bäume" in r.blocks[-1].target


def test_a_repeated_sentence_is_decoded_once_and_kept_everywhere() -> None:
    engine = fake()
    text = f"Titel\n\n{SENTENCE} Ein anderer Satz folgt hier.\n\n{SENTENCE}\n"
    (result,) = translate(article_from_text(text, fmt="txt"), models(engine))
    sent = [x for c in engine.calls for x in c.texts]
    assert sent.count(SENTENCE) == 1 and len(sent) == len(set(sent))
    targets = [s.target for b in result.blocks for s in b.sentences if s.source == SENTENCE]
    assert len(targets) == 2 and targets[0] == targets[1] and targets[0]


def _cli(*args: str) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from digest.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_glossary_terms_come_out_as_given(fake_yaml: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.md"
    src.write_text(
        "# Neue Preise\n\nDie Stadtwerke senken die Preise in Nordfeld, und das ist gut für "
        "alle Kunden, die dort wohnen.\n",
        "utf-8",
    )
    gloss = tmp_path / "terms.csv"
    gloss.write_text("de,en\nStadtwerke,municipal utility\nNordfeld,Nordfeld\n", "utf-8")
    code, out, err = _cli("translate", str(src), "--models", str(fake_yaml),
                          "--glossary", str(gloss), "--format", "json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    [sent] = [s for b in data["blocks"] for s in b["sentences"] if "Stadtwerke" in s["source"]]
    assert "municipal utility" in sent["target"] and "Nordfeld" in sent["target"]
    assert "glossary" in sent["checks_passed"]
    assert data["options"]["glossary"] == str(gloss.resolve())


def test_cli_bad_glossary_is_one_line_error(fake_yaml: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(
        "Neue Preise\n\nDie Stadtwerke senken die Preise, und das ist gut für alle Kunden.\n",
        "utf-8",
    )
    gloss = tmp_path / "terms.tsv"
    gloss.write_text("Stadtwerke\tmunicipal utility\tzu viel\n", "utf-8")
    code, out, err = _cli("translate", str(src), "--models", str(fake_yaml),
                          "--glossary", str(gloss))  # fmt: skip
    assert code == 2 and out == ""
    assert err.startswith("error: glossary") and err.count("\n") == 1


def test_cli_txt_and_html_formats_and_check_summary_on_stderr(
    fake_yaml: Path, tmp_path: Path
) -> None:
    src = tmp_path / "a.md"
    src.write_text(ARTICLE_MD, "utf-8")
    code, out, err = _cli("translate", str(src), "--models", str(fake_yaml), "-f", "txt")
    assert code == 0, err
    assert out.startswith("city council beschließt new Radwege\n=====")
    assert "\n- new Ampeln" in out and "\n1. Zuerst" in out
    assert "checks: 12 sentences" in err  # the fake leaves a heading untranslated: flagged
    code, out, err = _cli("translate", str(src), "--models", str(fake_yaml), "-f", "html")
    assert code == 0, err
    assert out.startswith("<!doctype html>") and "<ol>" in out and "<blockquote " in out


def test_a_rendering_is_restored_literally_and_inflected_terms_are_found() -> None:
    glossary = Glossary((GlossaryEntry("Stadtwerk", r"utility \1"),))
    protected = glossary.protect("Der Chef des Stadtwerks und die Stadtwerke.")
    assert protected.text == "Der Chef des QX1 und die QX2."
    assert (
        protected.restore("The boss of QX1 and qx2.") == r"The boss of utility \1 and utility \1."
    )


def test_a_nearly_repeated_sentence_is_translated_once_and_aligned_in_both_places() -> None:
    # The second paragraph repeats the first paragraph's sentence with other quotes/case:
    # ingest marks it, translation decodes it once and keeps both places' ids and offsets.
    first = "Die „neue Brücke“ kostet die Stadt am Ende 1.500 Euro mehr als geplant."
    again = 'Die "Neue Brücke" kostet die Stadt am Ende 1.500 Euro mehr als geplant.'
    text = f"Titel\n\nEin Satz vorweg steht hier. {first}\n\nDer Rat tagte lange. {again}\n"
    art = article_from_text(text, fmt="txt")
    engine = fake()
    (result,) = translate(art, models(engine))
    sent = [x for c in engine.calls for x in c.texts]
    assert sent.count(first) == 1 and again not in sent
    by_source = {s.source: s for b in result.blocks for s in b.sentences}
    one, two = by_source[first], by_source[again]
    assert one.target == two.target and one.target
    assert (one.source_id, two.source_id) == ("lead.2", "b1.1.2")
    assert art.text[two.start : two.end] == again
    assert art.sentence("b1.1.2").duplicate_of == "lead.2"
