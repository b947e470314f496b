"""Hostile article text: no script or live unsafe link in any output, no terminal escapes."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from conftest import write_models_yaml
from digest.cli import app
from digest.config import load_config
from digest.ingest.article import article_from_text, load_article
from digest.models import load_models
from digest.results import DigestOptions
from digest.summarize import summarize
from digest.translate import translate
from digest.writers import get_writer
from digest.writers.article_view import format_inspection

runner = CliRunner()

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src="x" onerror="alert(2)">'
HOSTILE_MD = f"""# Stadtrat beschließt neue Radwege {SCRIPT}

Der Stadtrat hat am Montag ein Paket für neue Radwege beschlossen {IMG}. Die Kosten liegen bei 3,5 Millionen Euro, sagte die Bürgermeisterin.

## Was sich ändert {SCRIPT}

Auf der Hauptstraße entsteht ein neuer Radstreifen {SCRIPT}. Mehr steht im [Plan](JaVaScRiPt:alert(3)) und im [Anhang](data:text/html;base64,PHNjcmlwdD4=) der Stadt, sagte die Verwaltung.

Die Arbeiten sollen am 13. September beginnen und rund 1.500 Meter Strecke umfassen {IMG}. Der [Verkehrsplan](https://example.org/plan) liegt im Rathaus aus.
"""  # noqa: E501


def rendered(markdown: str) -> str:
    """What a Markdown viewer that passes raw HTML through would show (CommonMark, HTML on)."""
    return MarkdownIt("commonmark").render(markdown)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def live_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def assert_no_live_html(markdown: str) -> None:
    tags = live_tags(rendered(markdown))
    assert tags  # the renderer ran: headings, paragraphs, lists
    for tag, attrs in tags:
        assert tag not in ("script", "img", "iframe")
        for name, value in attrs:
            assert not name.startswith("on")
            if name == "href":
                assert (value or "").startswith(("https:", "http:", "mailto:"))


@pytest.fixture(scope="module")
def models_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_models_yaml(tmp_path_factory.mktemp("h") / "m.yaml", None)


def test_markdown_outputs_carry_no_html_from_the_article(models_yaml: Path) -> None:
    art = article_from_text(HOSTILE_MD, fmt="md")
    assert SCRIPT in art.text  # the words stay the article's; only the outputs escape them
    models = load_models(load_config(models_yaml), summarizer="extractive", translator="default")
    [digest_result] = summarize([art], models, DigestOptions(bullets=4))
    assert SCRIPT in digest_result.summary.de or SCRIPT in digest_result.title.de
    assert_no_live_html(get_writer("md").format(digest_result))
    assert_no_live_html(format_inspection(art, "md"))
    [translation] = translate(art, models)
    md = get_writer("md").format(translation)
    assert_no_live_html(md)
    assert "[Verkehrsplan](https://example.org/plan)" in md


def test_html_outputs_escape_everything_and_link_only_http(models_yaml: Path) -> None:
    art = article_from_text(HOSTILE_MD, fmt="md")
    models = load_models(load_config(models_yaml), summarizer="extractive", translator="default")
    [translation] = translate(art, models)
    page = get_writer("html").format(translation)
    [digest_result] = summarize([art], models, DigestOptions(bullets=4))
    digest_page = get_writer("html").format(digest_result)
    for out, own_scripts in ((page, 0), (digest_page, 1)):  # the digest page has its viewer
        tags = live_tags(out)
        assert [t for t, _ in tags].count("script") == own_scripts
        assert not any(t in ("img", "iframe") for t, _ in tags)
        for _, attrs in tags:
            assert not any(name.startswith("on") for name, _ in attrs)
            hrefs = [v or "" for name, v in attrs if name == "href"]
            assert all(h.startswith(("https:", "http:", "mailto:")) for h in hrefs)
        assert "&lt;script&gt;" in out
    assert '<a href="https://example.org/plan">' in page
    assert "Plan" in page and "Anhang" in page  # unsafe links keep their words


LONG = (
    "Auf der Hauptstraße entsteht ein neuer Radstreifen, der die Innenstadt mit dem Bahnhof "
    "verbindet. Die Arbeiten sollen im September beginnen und bis zum Frühjahr dauern. "
) * 4
ANSI = "Der Stadtrat\x1b[31m hat\x1b[0m am Montag\x1b]8;;https://evil.example\x07 beschlossen"


def test_terminal_escapes_are_stripped_at_ingest(tmp_path: Path) -> None:
    body = (
        f"Radwege für die Stadt\n\n{ANSI}, dass neue Radwege kommen.\x07 Die Kosten liegen bei "
        "3,5 Millionen Euro,\x01 sagte die Bürgermeisterin\x9b2J am Abend.\x0cNeue Seite.\n\n"
        + LONG  # enough text that a few escapes do not make the file look binary
    )
    path = tmp_path / "a.txt"
    path.write_bytes(body.encode("utf-8"))
    art = load_article(path)
    assert not any((ch < " " and ch not in "\n") or "\x7f" <= ch <= "\x9f" for ch in art.text)
    assert "Der Stadtrat hat am Montag beschlossen, dass neue Radwege kommen." in art.text
    assert "Bürgermeisterin am Abend. Neue Seite." in art.text
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 0 and "\x1b" not in result.stdout and "beschlossen" in result.stdout


def test_character_references_cannot_smuggle_escapes_through_html() -> None:
    sentence = "Der Gemeinderat von Talheim hat am Dienstag den Bau einer neuen Halle beschlossen. "
    page = (
        "<html><head><title>Halle &#27;[31mneu</title></head><body><article>"
        f"<h1>Neue Halle &#x1b;]8;;https://x&#7;</h1><p>{sentence * 3} Ende&#x1b;[2J.</p>"
        f"<p>{sentence}</p></article></body></html>"
    )
    art = article_from_text(page, fmt="html")
    assert "\x1b" not in art.text and "\x07" not in art.text
    assert art.title.text == "Neue Halle"
    assert all("\x1b" not in v for v in art.metadata.values())
