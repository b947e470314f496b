"""The one inline-Markdown parser: plain text, spans, safe links, linear time, rendering back."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from digest.text import inline_markdown as im
from digest.text.inline_markdown import Span, markdown_to_html, parse, plain_text, to_markdown


def spans(markup: str) -> list[tuple[str, str, str]]:
    """(kind, covered text, url) of each span: readable and independent of offsets."""
    p = parse(markup)
    return [(s.kind, p.text[s.start : s.end], s.url) for s in p.spans]


def test_emphasis_links_code_strike_and_escapes() -> None:
    md = (
        "Ein **fetter** und ein *schräger* Satz mit `Code`, ~~alt~~, \\*Sternchen\\* und dem "
        '[Verkehrsplan](https://example.org/plan "Titel").'
    )
    assert plain_text(md) == (
        "Ein fetter und ein schräger Satz mit Code, alt, *Sternchen* und dem Verkehrsplan."
    )
    assert spans(md) == [
        ("strong", "fetter", ""),
        ("em", "schräger", ""),
        ("code", "Code", ""),
        ("strike", "alt", ""),
        ("link", "Verkehrsplan", "https://example.org/plan"),
    ]


def test_nested_spans_inner_first_and_underscores() -> None:
    assert spans("__fett _und schräg_ fett__") == [
        ("em", "und schräg", ""),
        ("strong", "fett und schräg fett", ""),
    ]


def test_gender_star_and_arithmetic_keep_their_stars() -> None:
    # CommonMark would emphasise "innen und Lehrer"; in German news the star is a letter.
    for text in ("Bürger*innen und Lehrer*innen", "5*3*2 Punkte", "snake_case_name bleibt"):
        assert parse(text).text == text and parse(text).spans == ()


def test_reference_links_images_tags_and_autolinks() -> None:
    md = (
        "![Foto](bild.jpg) Siehe [Verweis][1] und [leer][], <https://example.org>, "
        "<span class=x>Text</span><br>neu, [Anm. d. Red.] und AT&amp;T"
    )
    assert plain_text(md) == (
        "Siehe Verweis und leer, https://example.org, Text neu, [Anm. d. Red.] und AT&amp;T"
    )
    assert spans(md) == [("link", "https://example.org", "https://example.org")]


def test_whitespace_is_collapsed_and_spans_move_along() -> None:
    p = parse("  Ein   *schräger*\tSatz  ")
    assert p.text == "Ein schräger Satz"
    assert [(s.start, s.end) for s in p.spans] == [(4, 12)]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "/relativ/pfad",
    ],
)
def test_only_http_https_mailto_links_survive(url: str) -> None:
    md = f"Bitte [hier klicken](<{url}>) lesen."
    p = parse(md)
    assert p.text == "Bitte hier klicken lesen."
    assert p.spans == ()
    assert "<a" not in markdown_to_html(md)


@pytest.mark.parametrize(
    "url", ["https://example.org/a", "HTTP://example.org", "mailto:redaktion@example.org"]
)
def test_safe_links_keep_their_url(url: str) -> None:
    assert spans(f"[Redaktion]({url})") == [("link", "Redaktion", url)]
    assert markdown_to_html(f"[Redaktion]({url})") == f'<a href="{url}">Redaktion</a>'


def test_urls_are_kept_as_written() -> None:
    assert spans("[Straße](https://example.org/straße_(alt))") == [
        ("link", "Straße", "https://example.org/straße_(alt)")
    ]


def test_renderers_refuse_unsafe_spans_and_escape() -> None:
    text = "Klick <script>alert(1)</script> & *hier*"
    bad = Span(0, 5, "link", "javascript:alert(1)")
    out = im.to_html(text, [bad])
    assert "<a" not in out and "<script>" not in out and "&lt;script&gt;" in out
    md = to_markdown(text, [bad])
    assert "javascript" not in md
    rendered = MarkdownIt("commonmark").render(md)
    assert "<script>" not in rendered and "\\" not in rendered


def test_markdown_round_trip_keeps_text_and_spans() -> None:
    text = "Preis: 5 * 3 [Euro] mit `Code` und <b>fett</b> \\ Ende"
    given = [Span(0, 5, "strong"), Span(13, 19, "link", "https://example.org/x")]
    back = parse(to_markdown(text, given))
    assert back.text == text
    assert back.spans == tuple(given)


def test_crossing_spans_are_dropped_nested_ones_kept() -> None:
    text = "eins zwei drei vier"
    given = [Span(0, 9, "strong"), Span(5, 14, "em"), Span(0, 4, "em"), Span(10, 19, "code")]
    assert to_markdown(text, given) == "***eins* zwei** `drei vier`"


@pytest.mark.parametrize(
    "hostile",
    ["**a " * 2_000, "[" * 5_000, "](" * 5_000, "[a](" * 2_000, "![" * 5_000, "_a " * 3_000],
)
def test_backtracking_shapes_parse_in_linear_steps(
    hostile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counts inline-rule calls (normal and look-ahead): a bounded number per character."""
    calls = count_rule_calls(monkeypatch)
    parse(hostile)
    small = calls[0]
    calls[0] = 0
    parse(hostile * 10)
    assert 0 < small <= 40 * len(hostile)
    assert calls[0] <= 15 * small


def count_rule_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    ruler = im._parser().inline.ruler
    rules = ruler.getRules("")

    def counted(rule):  # type: ignore[no-untyped-def]
        def run(state, silent):  # type: ignore[no-untyped-def]
            calls[0] += 1
            return rule(state, silent)

        return run

    wrapped = [counted(r) for r in rules]
    monkeypatch.setattr(ruler, "getRules", lambda name: wrapped)
    return calls


def test_a_huge_block_is_parsed_in_pieces_with_bounded_memory() -> None:
    """A 600 KB paragraph of "**der ": markdown-it alone holds >100 MB of delimiter tokens."""
    import tracemalloc

    hostile = "**der " * 100_000
    tracemalloc.start()
    try:
        parsed = parse(hostile)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert parsed.text == hostile.strip() and peak < 64 * 2**20
    # Markup inside a piece still counts: cuts fall after whitespace, between the spans.
    sentence = "Das ist *wichtig* für alle, sagte sie. "
    long = parse(sentence * 5_000)
    assert len(long.text) > 3 * im.PIECE_CHARS
    assert len(long.spans) == 5_000 and {s.kind for s in long.spans} == {"em"}
    assert all(long.text[s.start : s.end] == "wichtig" for s in long.spans)
