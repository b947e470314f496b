"""Formats of a translated article (Markdown, text, HTML), in the source's block order.

Markdown and HTML carry the source's inline emphasis and links (``TranslatedBlock.markup``)
and end with the self-check summary and any flagged sentences; plain text is the translation
alone, with link targets written out.
"""

from __future__ import annotations

import html as _html

from digest.checks.translation import check_summary
from digest.results import TranslatedBlock, TranslationResult, low_confidence
from digest.text.inline_markdown import escape_html, markdown_to_html, parse, to_markdown
from digest.writers.md_parts import confidence_mark, confidence_text, models_footer


def _md_inline(b: TranslatedBlock) -> str:
    text = b.markup if b.markup is not None else to_markdown(b.target)
    return text + _block_mark(b)


def _block_mark(b: TranslatedBlock) -> str:
    """One marker after a block with low-confidence sentences; hover text: ids and values."""
    low = [s for s in b.sentences if low_confidence(s.confidence)]
    if not low:
        return ""
    if len(low) == 1 and low[0].confidence is not None:
        return confidence_mark(low[0].confidence)
    tip = "; ".join(f"{s.source_id}: {s.confidence:.2f}" for s in low)
    return f' <span class="low-confidence" title="{_e("low model confidence: " + tip)}">⚑</span>'


def _marker(b: TranslatedBlock) -> str:
    return b.list_marker if b.list_marker and b.list_marker[0].isdigit() else "-"


def _list_kind(b: TranslatedBlock) -> str:
    return "ol" if _marker(b)[0].isdigit() else "ul"


def _notes(r: TranslationResult) -> list[str]:
    """Warnings other than the check summary, which the footer shows anyway."""
    return [w for w in r.warnings if not w.startswith("checks: ")]


def markdown(r: TranslationResult) -> str:
    lines: list[str] = []
    prev = ""
    for b in r.blocks:
        t = _md_inline(b)
        if b.kind == "list_item":
            # A blank line before a list, and where bullets change to numbers or back.
            if lines and lines[-1] and _list_kind(b) != prev:
                lines.append("")
            lines.append(f"{_marker(b)} {t}")
            prev = _list_kind(b)
            continue
        if prev in ("ul", "ol"):
            lines.append("")
        prefix = {"title": "# ", "heading": "## ", "quote": "> "}.get(b.kind, "")
        body = f"**{t}**" if b.kind == "teaser" and b.markup is None else t
        lines += [prefix + body, ""]
        prev = b.kind
    footer = ["---", "", check_summary([s for b in r.blocks for s in b.sentences])]
    flagged = [s for b in r.blocks for s in b.sentences if s.flags]
    if flagged:
        footer += ["", "### Checks", ""]
        for s in flagged:
            why = "; ".join(f.message for f in s.flags)
            retry = " (after a retry)" if s.retried else ""
            footer.append(
                f"- ⚠ {s.source_id}{retry}: {escape_html(why)}  \n  DE: {to_markdown(s.source)}"
            )
    low = [s for b in r.blocks for s in b.sentences if low_confidence(s.confidence)]
    if low:
        footer += ["", "### Low confidence", ""]
        footer += [
            f"- ⚑ {s.source_id}: {s.confidence:.2f} (mean log-probability per token)" for s in low
        ]
    if _notes(r):
        footer += ["", "### Warnings", ""] + [f"- {escape_html(w)}" for w in _notes(r)]
    meta = models_footer(r.meta)
    if meta and meta[0] == "---":
        meta = meta[1:]
    return "\n".join(lines).rstrip() + "\n\n" + "\n".join([*footer, *meta]).rstrip() + "\n"


def _plain(b: TranslatedBlock) -> str:
    """Target text with each link's URL written after its words."""
    if b.markup is None:
        return b.target
    parsed = parse(b.markup)
    out, pos = [], 0
    for s in sorted((s for s in parsed.spans if s.kind == "link"), key=lambda s: s.end):
        out += [parsed.text[pos : s.end], f" ({s.url})"]
        pos = s.end
    out.append(parsed.text[pos:])
    return "".join(out)


def text(r: TranslationResult) -> str:
    """Plain text: title and headings underlined, list items with their markers."""
    lines: list[str] = []
    prev = ""
    for b in r.blocks:
        t = _plain(b)
        if b.kind == "list_item":
            if prev != "list_item" and lines and lines[-1]:
                lines.append("")
            lines.append(f"{_marker(b)} {t}")
        else:
            if prev == "list_item":
                lines.append("")
            lines.append(f"> {t}" if b.kind == "quote" else t)
            if b.kind in ("title", "heading"):
                lines.append(("=" if b.kind == "title" else "-") * min(len(t), 80))
            lines.append("")
        prev = b.kind
    return "\n".join(lines).strip() + "\n"


def _e(s: str) -> str:
    return _html.escape(s, quote=True)


def _html_inline(b: TranslatedBlock) -> str:
    if b.markup is not None:
        return markdown_to_html(b.markup) + _block_mark(b)
    parts = []
    for s in b.sentences:
        low = s.confidence is not None and low_confidence(s.confidence)
        classes = " ".join(c for c, on in (("flagged", s.flags), ("low-confidence", low)) if on)
        cls = f' class="{classes}"' if classes else ""
        tip = s.source + ("\n⚠ " + "; ".join(f.message for f in s.flags) if s.flags else "")
        if low and s.confidence is not None:
            tip += "\n⚑ " + confidence_text(s.confidence)
        mark = " ⚑" if low else ""
        parts.append(
            f'<span data-sid="{_e(s.source_id)}" title="{_e(tip)}"{cls}>{_e(s.target)}{mark}</span>'
        )
    return " ".join(parts)


_STYLE = (
    "body{max-width:42rem;margin:2rem auto;font:1.05rem/1.55 system-ui,sans-serif;padding:0 1rem}"
    ".teaser{font-weight:600}.flagged{background:#fff3cd}.low-confidence{color:#a15c00}"
    "footer{color:#555;font-size:.85rem}"
    "blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem}"
)


def html(r: TranslationResult) -> str:
    """A self-contained HTML page with the article's structure; hover a sentence for the German."""
    parts: list[str] = []
    open_list = ""
    for b in r.blocks:
        want = ""
        if b.kind == "list_item":
            want = "ol" if _marker(b)[0].isdigit() else "ul"
        if open_list and want != open_list:
            parts.append(f"</{open_list}>")
            open_list = ""
        if want and not open_list:
            parts.append(f"<{want}>")
            open_list = want
        tag = {"title": "h1", "heading": "h2", "list_item": "li", "quote": "blockquote"}.get(
            b.kind, "p"
        )
        cls = ' class="teaser"' if b.kind == "teaser" else ""
        parts.append(f'<{tag} data-block="{_e(b.block_id)}"{cls}>{_html_inline(b)}</{tag}>')
    if open_list:
        parts.append(f"</{open_list}>")
    sents = [s for b in r.blocks for s in b.sentences]
    footer = [f"<p>{_e(check_summary(sents))}</p>"]
    flagged = [s for s in sents if s.flags]
    if flagged:
        items = "".join(
            f"<li>⚠ {_e(s.source_id)}: {_e('; '.join(f.message for f in s.flags))}</li>"
            for s in flagged
        )
        footer.append(f"<ul>{items}</ul>")
    footer += [f"<p>{_e(w)}</p>" for w in _notes(r)]
    footer += [f"<p>{_e(line.lstrip('- '))}</p>" for line in models_footer(r.meta)[2:]]
    title = _e(r.blocks[0].target if r.blocks else "")
    lang = _e(r.target_lang)
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_STYLE}</style></head><body>\n<article>\n"
        + "\n".join(parts)
        + "\n</article>\n<footer>\n"
        + "\n".join(footer)
        + "\n</footer>\n</body></html>\n"
    )
