"""Inline Markdown of one block as plain text plus spans, and back (Markdown or HTML).

The article stage keeps a block's inline markup (emphasis, links, code) in ``Block.markup``
and its plain text in ``Block.text``. Translation works on plain sentences; these spans are
what lets emphasis and links be put back around the translated words.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

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


_LINK = re.compile(r"\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\)")
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("escape", re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")),
    ("image", re.compile(r"!\[[^\]]*\]\([^)]*\)")),
    ("link", _LINK),
    ("reflink", re.compile(r"\[([^\]]+)\]\[[^\]]*\]")),
    ("autolink", re.compile(r"<((?:https?|mailto):[^>\s]+)>")),
    ("code", re.compile(r"`([^`]+)`")),
    ("strong", re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")),
    ("em", re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")),
    ("em", re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")),
    ("strike", re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")),
    ("br", re.compile(r"<br\s*/?>", re.I)),
    ("tag", re.compile(r"</?(?:span|em|strong|b|i|u|a|sup|sub|mark|small)\b[^>]*>", re.I)),
)


def parse(markup: str) -> Inline:
    """Plain text (whitespace collapsed, as Block.text) and the spans of its markup."""
    chars: list[str] = []
    spans: list[Span] = []
    _parse_into(markup, chars, spans)
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
    return Inline(text, tuple(_trim(text, s) for s in moved if at(s.end) > at(s.start)))


def _trim(text: str, s: Span) -> Span:
    start, end = s.start, s.end
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return Span(start, end, s.kind, s.url)


def _parse_into(s: str, chars: list[str], spans: list[Span]) -> None:
    i = 0
    while i < len(s):
        for name, rx in _RULES:
            m = rx.match(s, i)
            if m is None:
                continue
            start = len(chars)
            if name == "escape":
                chars.append(m.group(1))
            elif name == "br":
                chars.append(" ")
            elif name in ("image", "tag"):
                pass
            elif name == "autolink":
                chars.extend(m.group(1))
                spans.append(Span(start, len(chars), "link", m.group(1)))
            elif name == "code":
                chars.extend(m.group(1))
                spans.append(Span(start, len(chars), "code"))
            else:
                inner = m.group(2) if name == "strong" else m.group(1)
                _parse_into(inner, chars, spans)
                if name != "reflink":
                    url = m.group(2) if name == "link" else ""
                    spans.append(Span(start, len(chars), name, url))
            i = m.end()
            break
        else:
            chars.append(s[i])
            i += 1


_MD_OPEN = {"strong": "**", "em": "*", "code": "`", "strike": "~~", "link": "["}
_MD_ESCAPE = re.compile(r"([\\`*\[\]])")


def _events(spans: tuple[Span, ...] | list[Span]) -> list[Span]:
    """Spans that nest properly (a span crossing an earlier one is dropped), outer first."""
    kept: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if all(s.end <= k.start or s.start >= k.end or (k.start <= s.start and s.end <= k.end)
               for k in kept):  # fmt: skip
            kept.append(s)
    return kept


def _render(text: str, spans: tuple[Span, ...] | list[Span], op: str) -> str:
    kept = _events(spans)
    opens: dict[int, list[Span]] = {}
    closes: dict[int, list[Span]] = {}
    for s in kept:
        opens.setdefault(s.start, []).append(s)
        closes.setdefault(s.end, []).insert(0, s)
    out: list[str] = []
    for i in range(len(text) + 1):
        for s in closes.get(i, []):
            out.append(_close(s, op))
        for s in opens.get(i, []):
            out.append(_open(s, op))
        if i < len(text):
            ch = text[i]
            out.append(html.escape(ch) if op == "html" else _MD_ESCAPE.sub(r"\\\1", ch))
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
    return _render(text, spans, "md")


def to_html(text: str, spans: tuple[Span, ...] | list[Span] = ()) -> str:
    return _render(text, spans, "html")


def markdown_to_html(markup: str) -> str:
    parsed = parse(markup)
    return to_html(parsed.text, parsed.spans)
