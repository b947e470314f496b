"""Digest formats: Markdown, plain text, HTML (static checks), JSON; `--format all` via the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from conftest import SAMPLE_FILES, write_models_yaml
from digest.cli import app
from digest.config import load_config
from digest.errors import ConfigError
from digest.ingest import load_article
from digest.models import load_models
from digest.options import DigestOptions, TranslateOptions
from digest.results import DigestResult
from digest.schemas import load_schema
from digest.summarize import summarize
from digest.translate import translate
from digest.writers import FORMATS, expand_formats, get_writer, output_name
from digest.writers.md_parts import section_label

runner = CliRunner()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[DigestResult]:
    """Bilingual extractive digests of every sample, with one invented number per bullet."""
    path = write_models_yaml(
        tmp_path_factory.mktemp("w") / "m.yaml", None, fake_mode="invent-number"
    )
    models = load_models(load_config(path), summarizer="extractive", translator="default")
    return summarize([load_article(p) for p in SAMPLE_FILES], models, DigestOptions(bullets=4))


def test_expand_formats() -> None:
    assert expand_formats(["all"]) == list(FORMATS) == ["md", "json", "html", "txt"]
    assert expand_formats(["json", "md,json", "txt"]) == ["json", "md", "txt"]
    with pytest.raises(ConfigError, match="unknown format 'pdf'"):
        expand_formats(["md", "pdf"])


def test_markdown_digest_has_every_part(results: list[DigestResult]) -> None:
    md_writer = get_writer("md")
    for r in results:
        md = md_writer.format(r)
        assert md.startswith(f"# {r.title.de}\n")
        assert f"*{r.title.en}*" in md
        assert "## Zusammenfassung" in md and "## Summary" in md
        assert r.summary.de in md and r.summary.en in md
        for n, b in enumerate(r.bullets, start=1):
            assert f"{n}. **DE:** {b.text.de} ⚠  \n   **EN:** {b.text.en}  \n" in md
            assert ", ".join(b.source_ids) in md
        assert "### Prüfhinweise / Checks" in md and "number 4711 does not occur" in md
        footer = md.split("\n---\n", 1)[1]
        for m in r.meta.models:
            assert f"`{m.name}`" in footer and m.revision in footer and m.device in footer
        assert "summarize " in footer and " s" in footer  # timings in seconds
        # Headings are labels, never raw section ids.
        assert not re.search(r"^### sec\d", md, flags=re.M)
        assert "Quelle/source: sec" not in md


def test_sections_without_heading_get_a_label(tmp_path: Path) -> None:
    text = (
        "Titel der Meldung über den Hafen\n\n"
        "Der Hafen von Nordstadt wird für 40 Millionen Euro ausgebaut, teilte die Stadt mit. "
        "Die Arbeiten sollen im Sommer beginnen.\n\n"
        "## Kritik der Anwohner\n\n"
        "Anwohner fürchten mehr Lärm durch die Lastwagen am Kai und mehr Verkehr im Viertel. "
        "Sie haben eine Initiative gegründet.\n"
    )
    from digest.ingest.article import article_from_text

    art = article_from_text(text, fmt="md")
    path = write_models_yaml(tmp_path / "m.yaml", None)
    models = load_models(load_config(path), summarizer="extractive", translator=None)
    [r] = summarize(art, models, DigestOptions(to=()))
    labels = [section_label(r, s.section_id).de for s in r.sections]
    assert "Kritik der Anwohner" in labels
    assert all(not re.fullmatch(r"sec\d+", label) for label in labels)
    md = get_writer("md").format(r)
    assert not re.search(r"\bsec\d+\b", md)


def test_text_digest_is_plain(results: list[DigestResult]) -> None:
    for r in results:
        txt = get_writer("txt").format(r)
        assert txt.startswith(r.title.de.upper()[:40])
        assert "Zusammenfassung" in txt and "Summary" in txt and "Kernpunkte" in txt
        flat = " ".join(txt.split())
        for b in r.bullets:
            assert b.text.de in flat and b.text.en is not None and b.text.en in flat
        assert not re.search(r"<[a-z]+[ >]|\*\*|^#", txt, flags=re.M)  # no markup
        assert all(len(line) <= 88 for line in txt.splitlines() if " " in line)


def test_text_wrap_keeps_hyphenated_compounds_whole() -> None:
    from digest.writers.text import _wrap

    words = "Der Landkreis plant für Schwangere aus den entlegenen Orten ein sogenanntes"
    lines = _wrap(f"{words} Boarding-Angebot neben dem Klinikum in der Kreisstadt.")
    assert len(lines) == 2 and "Boarding-Angebot" in " ".join(lines)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained_and_wires_bullets_to_sentences(
    results: list[DigestResult],
) -> None:
    for r in results:
        page = get_writer("html").format(r)
        parser = _Collector()
        parser.feed(page)
        tags = parser.tags
        names = [t for t, _ in tags]
        assert names.count("style") == 1 and names.count("script") == 1
        for tag, attrs in tags:
            assert tag not in ("link", "img", "iframe", "object", "embed")
            assert "src" not in attrs, (tag, attrs)
            assert not (attrs.get("href") or "").startswith(("http", "//"))
        assert "@import" not in page and "url(" not in page
        sentence_ids = [a["data-sid"] for t, a in tags if t == "span" and "data-sid" in a]
        assert len(sentence_ids) == len(set(sentence_ids))
        assert set(sentence_ids) >= {s.id for s in r.article.sentences}
        bullets = [a for t, a in tags if t == "li" and a.get("class") == "bullet"]
        assert [a["id"] for a in bullets] == [b.id for b in r.bullets]
        for attrs, b in zip(bullets, r.bullets, strict=True):
            assert (attrs["data-sources"] or "").split() == list(b.source_ids)
        langs = [a.get("lang") for t, a in tags if a.get("class") == "col"]
        assert langs.count("de") == langs.count("en") >= len(r.bullets) + 1


def test_translation_results_use_the_translation_formats(tmp_path: Path) -> None:
    from digest.writers import translation

    path = write_models_yaml(tmp_path / "m.yaml", None)
    models = load_models(load_config(path), summarizer=None, translator="default")
    [r] = translate(load_article(SAMPLE_FILES[0]), models, TranslateOptions())
    assert get_writer("txt").format(r) == translation.text(r)
    assert get_writer("html").format(r) == translation.html(r)
    assert get_writer("md").format(r) == translation.markdown(r)


def check_all_formats(out: Path, summarizer: str) -> None:
    validator = jsonschema.Draft202012Validator(load_schema())
    for sample in SAMPLE_FILES:
        for ext in ("md", "json", "html", "txt"):
            written = out / f"{sample.stem}.digest.{ext}"
            assert written.stat().st_size > 200, written
        data = json.loads((out / f"{sample.stem}.digest.json").read_text(encoding="utf-8"))
        validator.validate(data)
        assert data["meta"]["models"][0]["name"] == summarizer
        assert data["summary"]["en"] is not None
        # A random-weight model writes the same text for every section and the article, so
        # its bullets may all restate the summary: they are dropped, and the digest says so.
        fewer = [w for w in data["warnings"] if "key bullets" in w]
        assert data["bullets"] if summarizer == "extractive" else (data["bullets"] or fewer)
        assert bool(fewer) == (len(data["bullets"]) < data["options"]["bullets"])
        md = (out / f"{sample.stem}.digest.md").read_text(encoding="utf-8")
        assert md.startswith(f"# {data['title']['de']}")
        assert "## Summary" in md and ("**EN:**" in md or not data["bullets"])


def test_api_all_formats_with_tiny_models_for_every_sample(tiny_yaml: Path, tmp_path: Path) -> None:
    # Greedy decoding keeps this test quick; beams are covered by tests/cli/test_cli.py, which
    # runs the same tiny models through the CLI.
    greedy = tmp_path / "greedy.yaml"
    greedy.write_text(tiny_yaml.read_text().replace("num_beams: 2", "num_beams: 1"))
    models = load_models(load_config(greedy))
    results = summarize([load_article(p) for p in SAMPLE_FILES], models, DigestOptions(bullets=3))
    out = tmp_path / "out"
    for r in results:
        for fmt in expand_formats(["all"]):
            get_writer(fmt).write(r, out / output_name(r.article.source, "digest", fmt))
    check_all_formats(out, "tiny-t5")


def test_cli_format_all_extractive_for_every_sample(tmp_path: Path) -> None:
    path = write_models_yaml(tmp_path / "m.yaml", None)
    out = tmp_path / "out"
    args = ["summarize", *map(str, SAMPLE_FILES), "--models", str(path), "--out", str(out)]
    result = runner.invoke(app, [*args, "--summarizer", "extractive", "--format", "all"])
    assert result.exit_code == 0, result.stderr
    check_all_formats(out, "extractive")


@pytest.mark.parametrize("fmt", ["html", "txt", "all"])
def test_cli_translate_accepts_the_new_formats(tmp_path: Path, fmt: str) -> None:
    path = write_models_yaml(tmp_path / "m.yaml", None)
    out = tmp_path / "out"
    sample = str(SAMPLE_FILES[0])
    result = runner.invoke(
        app, ["translate", sample, "--models", str(path), "--out", str(out), "--format", fmt]
    )
    assert result.exit_code == 0, result.stderr
    exts = {p.suffix for p in out.iterdir() if p.name.startswith(SAMPLE_FILES[0].stem + ".en.")}
    assert exts == ({".md", ".json", ".html", ".txt"} if fmt == "all" else {f".{fmt}"})


def test_cli_json_goes_to_stdout_without_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The input sits in the working folder, so a file written next to the input or into the
    # working folder (or any folder below it) would show up in the listing.
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    sample = work / SAMPLE_FILES[0].name
    sample.write_bytes(SAMPLE_FILES[0].read_bytes())
    path = write_models_yaml(work / "m.yaml", None)
    before = sorted(work.rglob("*"))
    result = runner.invoke(
        app, ["summarize", sample.name, "--models", path.name, "--summarizer", "extractive",
              "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["kind"] == "digest"
    assert sorted(work.rglob("*")) == before


def test_cli_format_all_without_out_is_a_usage_error(tmp_path: Path) -> None:
    path = write_models_yaml(tmp_path / "m.yaml", None)
    result = runner.invoke(
        app, ["summarize", str(SAMPLE_FILES[0]), "--models", str(path), "--format", "all"]
    )
    assert result.exit_code == 2
    assert "--out" in result.stderr


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--bullets", "8"), ("--bullets", "2"), ("--format", "pdf"), ("--length", "zero")],
)
def test_cli_rejects_bad_digest_options(tmp_path: Path, flag: str, value: str) -> None:
    path = write_models_yaml(tmp_path / "m.yaml", None)
    result = runner.invoke(
        app, ["summarize", str(SAMPLE_FILES[0]), "--models", str(path), flag, value]
    )
    assert result.exit_code == 2, result.stdout
    assert result.stderr.strip()


def test_extractive_sections_and_low_confidence_are_shown(results: list[DigestResult]) -> None:
    from dataclasses import replace

    r = results[0]
    assert r.sections and all(s.extractive for s in r.sections)  # extractive summarizer
    low = replace(
        r,
        summary_confidence=-2.345,
        sections=(replace(r.sections[0], extractive=False, confidence=-0.2), *r.sections[1:]),
    )
    md = get_writer("md").format(low)
    html = get_writer("html").format(low)
    txt = get_writer("txt").format(low)
    # The low summary gets a marker with the value as hover text; the confident one none.
    for page in (md, html):
        assert page.count('class="low-confidence"') == 1
        assert 'title="niedrige Modell-Konfidenz / low model confidence: -2.35' in page
    assert md.count("key sentences of the section (extractive)") == len(r.sections) - 1
    assert html.count("key sentences of the section (extractive)") == len(r.sections) - 1
    assert txt.count("[extraktiv / extractive]") == len(r.sections) - 1
    doc = json.loads(get_writer("json").format(low))
    jsonschema.validate(doc, load_schema())
    assert doc["summary_confidence"] == -2.345
    assert [s["extractive"] for s in doc["sections"]][:1] == [False]


def test_translation_marks_low_confidence_sentences(tmp_path: Path) -> None:
    from dataclasses import replace

    path = write_models_yaml(tmp_path / "m.yaml", None)
    models = load_models(load_config(path), summarizer=None, translator="default")
    [r] = translate(load_article(SAMPLE_FILES[0]), models, TranslateOptions())
    block = next(b for b in r.blocks if b.kind == "paragraph" and b.sentences)
    sent = replace(block.sentences[0], confidence=-3.5)
    changed = replace(block, sentences=(sent, *block.sentences[1:]), markup=None)
    low = replace(r, blocks=tuple(changed if b is block else b for b in r.blocks))
    md = get_writer("md").format(low)
    html = get_writer("html").format(low)
    assert md.count("⚑") == 2  # after its block, and in the list at the end
    assert f"- ⚑ {sent.source_id}: -3.50" in md
    assert 'class="low-confidence"' in md and "-3.50" in md
    assert html.count('class="low-confidence"') == 1 and "low model confidence: -3.50" in html
    assert "⚑" not in get_writer("md").format(r)
    doc = json.loads(get_writer("json").format(low))
    jsonschema.validate(doc, load_schema())
