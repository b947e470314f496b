"""Inline Markdown of one block in, plain text plus spans out, and back (Markdown or HTML).

The one inline-Markdown parser of digest, built on markdown-it-py (a CommonMark parser that
runs in linear time). The article stage keeps a block's inline markup (emphasis, links, code)
in ``Block.markup`` and its plain text, :func:`plain_text`, in ``Block.text``. Translation
works on plain sentences; the spans of :func:`parse` let emphasis and links be put back
around the translated words (:mod:`digest.translate.markup_transfer`).

Grammar: CommonMark inline syntax plus ``~~strike~~``, with these choices for news text:
``*`` does not emphasise inside a word (``Bürger*innen`` keeps its star, as ``_`` already
does in CommonMark); ``[text][label]`` is its text (the reference lines are dropped by the
block stage); images vanish; ``<br>`` is a space; the formatting tags ``span em strong b i
u a sup sub mark small`` are removed while any other HTML stays as literal text; entities
such as ``&amp;`` stay as written. Links keep their URL only when it is http, https or
mailto (:func:`safe_url`); any other link (``javascript:``, ``data:``, relative) keeps
its text without the link.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token

SpanKind = str  # "strong" | "em" | "code" | "strike" | "link"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: SpanKind
    url: str = ""


@dataclass(frozen=True)
class Inline:
    text: str
    spans: tuple[Span, ...]


_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Browsers ignore leading spaces/controls and tabs or newlines inside a scheme.
_URL_JUNK = re.compile(r"[\x00-\x20\x7f-\x9f]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_url(url: str) -> str | None:
    """The URL (surrounding whitespace removed) when it is http, https or mailto, else None."""
    m = _SCHEME.match(_URL_JUNK.sub("", url))
    if m is None or m.group(1).lower() not in _SAFE_SCHEMES:
        return None
    return url.strip()


def _emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis rule, except that ``*`` may not split a word (gender star)."""
    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    scanned = state.scanDelims(state.pos, False)
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=scanned.length,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _reference_link(state: StateInline, silent: bool) -> bool:
    """``[text][label]`` and ``[text][]``: the text, parsed as inline Markdown, no link."""
    if state.src[state.pos] != "[":
        return False
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, True)
    if label_end < 0:
        return False
    close = label_end + 1
    if close >= state.posMax or state.src[close] != "[":
        return False
    close += 1
    # Stops at the next bracket, so every character is scanned from one start at most.
    while close < state.posMax and state.src[close] not in "[]":
        close += 1
    if close >= state.posMax or state.src[close] != "]":
        return False
    if not silent:
        old_max = state.posMax
        state.pos, state.posMax = state.pos + 1, label_end
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.posMax = old_max
    state.pos = close + 1
    return True


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("strikethrough").disable("entity")
    md.inline.ruler.at("emphasis", _emphasis)
    md.inline.ruler.before("link", "reference_link", _reference_link)
    # URLs stay as written (no percent-encoding); unsafe ones are dropped in _walk, keeping
    # their text, which markdown-it's own validation would leave as literal "[t](u)".
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_DROPPED_TAGS = frozenset(
    ["span", "em", "strong", "b", "i", "u", "a", "sup", "sub", "mark", "small"]
)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_KINDS = {"strong": "strong", "em": "em", "s": "strike", "link": "link"}


def _walk(tokens: list[Token], chars: list[str], spans: list[Span]) -> None:
    """Append the tokens' text to ``chars`` and their spans (closed ones, inner first)."""
    open_at: list[tuple[int, str, str]] = []
    for tok in tokens:
        kind = tok.type
        if kind in ("text", "text_special"):
            chars.extend(tok.content)
        elif kind in ("softbreak", "hardbreak"):
            chars.append(" ")
        elif kind == "code_inline":
            start = len(chars)
            chars.extend(tok.content)
            spans.append(Span(start, len(chars), "code"))
        elif kind == "html_inline":
            name = _TAG_NAME.match(tok.content)
            tag = name.group(2).lower() if name else ""
            if tag == "br" and not name.group(1):  # type: ignore[union-attr]
                chars.append(" ")
            elif tag not in _DROPPED_TAGS:
                chars.extend(tok.content)  # other HTML is text (writers escape it)
        elif kind.endswith("_open"):
            url = str(tok.attrGet("href") or "") if kind == "link_open" else ""
            open_at.append((len(chars), kind[: -len("_open")], url))
        elif kind.endswith("_close") and open_at:
            start, name_, url = open_at.pop()
            span_kind = _KINDS.get(name_)
            if span_kind == "link":
                safe = safe_url(url)
                if safe is None:
                    continue  # the words stay, the unsafe or relative link goes
                url = safe
            if span_kind:
                spans.append(Span(start, len(chars), span_kind, url))
        # images and anything else: no text


def parse(markup: str) -> Inline:
    """Plain text (whitespace collapsed, as Block.text) and the spans of its markup."""
    chars: list[str] = []
    spans: list[Span] = []
    for piece in _pieces(markup):
        for block in _parser().parseInline(piece):
            _walk(block.children or [], chars, spans)
    raw = "".join(chars)
    # Collapse whitespace exactly as the article stage does, moving span offsets along.
    new_index = [0] * (len(raw) + 1)
    out: list[str] = []
    for i, ch in enumerate(raw):
        new_index[i] = len(out)
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
    new_index[len(raw)] = len(out)
    text = "".join(out)
    stripped = text.rstrip()
    lead = len(stripped) - len(stripped.lstrip())
    text = stripped.strip()

    def at(i: int) -> int:
        return min(max(new_index[i] - lead, 0), len(text))

    moved = [Span(at(s.start), at(s.end), s.kind, s.url) for s in spans]
    return Inline(text, tuple(_trim(text, s) for s in moved if s.end > s.start))


# markdown-it keeps a token per emphasis delimiter: a 5 MB paragraph of "**a " would hold
# millions of them at once. Longer blocks are parsed in pieces cut after whitespace, so
# memory stays bounded; markup that crosses a cut (in a paragraph of thousands of words)
# stays literal text.
PIECE_CHARS = 50_000


def _pieces(markup: str) -> list[str]:
    if len(markup) <= PIECE_CHARS:
        return [markup]
    out: list[str] = []
    start = 0
    while len(markup) - start > PIECE_CHARS:
        window = markup[start + PIECE_CHARS // 2 : start + PIECE_CHARS]
        space = max(window.rfind(" "), window.rfind("\t"), window.rfind("\n"))
        # After the last whitespace of the window; with none, at the window's end.
        cut = start + PIECE_CHARS // 2 + (space + 1 if space >= 0 else len(window))
        out.append(markup[start:cut])
        start = cut
    out.append(markup[start:])
    return out


def plain_text(markup: str) -> str:
    """``Block.text`` of one Markdown block: emphasis, links, code spans and escapes removed."""
    return parse(markup).text


def _trim(text: str, s: Span) -> Span:
    start, end = s.start, s.end
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return Span(start, end, s.kind, s.url)


_MD_OPEN = {"strong": "**", "em": "*", "code": "`", "strike": "~~", "link": "["}
_MD_ESCAPE = re.compile(r"([\\`*\[\]<])")
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")


def escape_html(text: str) -> str:
    """Text for a Markdown document: ``<`` that could open HTML (a tag, a comment) escaped."""
    return _HTML_START.sub(r"\\<", text)


def _events(spans: tuple[Span, ...] | list[Span]) -> list[Span]:
    """Spans that nest properly (a span crossing an earlier one is dropped), outer first."""
    kept: list[Span] = []
    stack: list[Span] = []  # kept spans enclosing the current start, innermost last
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        while stack and stack[-1].end <= s.start:
            stack.pop()
        # Sorted by start, a span nests when it ends inside the innermost open one.
        if stack and s.end > stack[-1].end:
            continue
        kept.append(s)
        stack.append(s)
    return kept


def _render(text: str, spans: tuple[Span, ...] | list[Span], op: str) -> str:
    kept = [
        s for s in _events(spans) if s.kind != "link" or safe_url(s.url) is not None
    ]  # a link never renders with an unsafe URL, however its span was made
    opens: dict[int, list[Span]] = {}
    closes: dict[int, list[Span]] = {}
    for s in kept:
        opens.setdefault(s.start, []).append(s)
        closes.setdefault(s.end, []).insert(0, s)
    out: list[str] = []
    escape = html.escape if op == "html" else (lambda ch: _MD_ESCAPE.sub(r"\\\1", ch))
    pos = 0
    for i in sorted(set(opens) | set(closes) | {len(text)}):
        if i > len(text):
            break
        out.append(escape(text[pos:i]))
        pos = i
        out.extend(_close(s, op) for s in closes.get(i, []))
        out.extend(_open(s, op) for s in opens.get(i, []))
    return "".join(out)


def _open(s: Span, op: str) -> str:
    if op == "html":
        if s.kind == "link":
            return f'<a href="{html.escape(s.url)}">'
        return f"<{_HTML_TAG[s.kind]}>"
    return _MD_OPEN[s.kind]


def _close(s: Span, op: str) -> str:
    if op == "html":
        return "</a>" if s.kind == "link" else f"</{_HTML_TAG[s.kind]}>"
    if s.kind == "link":
        return f"]({s.url})"
    return _MD_OPEN[s.kind]


_HTML_TAG = {"strong": "strong", "em": "em", "code": "code", "strike": "s"}


def to_markdown(text: str, spans: tuple[Span, ...] | list[Span] = ()) -> str:
    """Markdown of plain text with spans; markup characters and ``<`` in the text escaped."""
    return _render(text, spans, "md")


def to_html(text: str, spans: tuple[Span, ...] | list[Span] = ()) -> str:
    """HTML of plain text with spans: everything escaped, links only to safe URLs."""
    return _render(text, spans, "html")


def markdown_to_html(markup: str) -> str:
    parsed = parse(markup)
    return to_html(parsed.text, parsed.spans)
