"""HTML: one self-contained page (inline CSS and JS, no external assets).

German and English stand side by side (stacked on a phone); the article text is shown next
to the digest (below it on a phone) with every sentence in a ``span.sent[data-sid]``, and
each bullet lists its source sentence ids in ``data-sources``, so hovering or clicking a
bullet highlights where it came from and a click scrolls it into view.
"""

from __future__ import annotations

import re
from html import escape

from digest.ingest.document import Block
from digest.results import BiText, Bullet, DigestResult, Flag
from digest.writers.html_assets import CSS, JS
from digest.writers.md_parts import (
    EXTRACTIVE_NOTE,
    bilingual_label,
    confidence_mark,
    model_lines,
    run_line,
    section_label,
)


def _e(text: str | None) -> str:
    return escape(text or "", quote=True)


def _pair(text: BiText, tag: str = "p", empty: str = "", confidence: float | None = None) -> str:
    """German and English cells of one row; one cell in a German-only digest.

    ``confidence``: the German text's model confidence; a low one gets a marker.
    """
    mark = confidence_mark(confidence)
    de = (
        f'<{tag} class="col" lang="de"><span class="lang">DE</span>{_e(text.de or empty)}'
        f"{mark}</{tag}>"
    )
    if text.en is None:
        return f'<div class="cols single">{de}</div>'
    en = f'<{tag} class="col" lang="en"><span class="lang">EN</span>{_e(text.en or empty)}</{tag}>'
    return f'<div class="cols">{de}{en}</div>'


def _flag_items(flags: tuple[Flag, ...]) -> str:
    if not flags:
        return ""
    items = "".join(f"<li>⚠ {_e(f.where)} ({_e(f.lang)}): {_e(f.message)}</li>" for f in flags)
    return f'<ul class="flags">{items}</ul>'


def _bullet(r: DigestResult, b: Bullet) -> str:
    where = _e(bilingual_label(section_label(r, b.section_id)))
    mark = ' <span class="flagged" title="unsupported facts">⚠</span>' if b.flags else ""
    return (
        f'<li class="bullet" id="{_e(b.id)}" tabindex="0" role="button" aria-pressed="false" '
        f'data-sources="{_e(" ".join(b.source_ids))}">{_pair(b.text)}'
        f'<p class="src">Quelle/source: {where} · {_e(", ".join(b.source_ids))}{mark}</p>'
        f"{_flag_items(b.flags)}</li>"
    )


def _block(block: Block) -> str:
    if block.sentences:
        inner = " ".join(
            f'<span class="sent" id="sent-{_e(s.id)}" data-sid="{_e(s.id)}">{_e(s.text)}</span>'
            for s in block.sentences
        )
    else:
        inner = _e(block.text)
    tag = {"title": "h3", "heading": "h3", "quote": "blockquote", "list_item": "li"}.get(
        block.kind, "p"
    )
    dup = (
        f' class="dup" title="wiederholt / repeats {_e(block.duplicate_of)}"'
        if block.duplicate_of
        else ""
    )
    if tag == "li":
        return f'<ul><li data-block="{_e(block.id)}"{dup}>{inner}</li></ul>'
    return f'<{tag} data-block="{_e(block.id)}"{dup}>{inner}</{tag}>'


def _source(source: str) -> str:
    """A URL input links to its page (http and https only); a path is plain text."""
    if re.match(r"https?://", source, re.I):
        return f'<a class="source" href="{_e(source)}" rel="noopener">{_e(source)}</a>'
    return _e(source)


def digest_html(r: DigestResult) -> str:
    a = r.article
    parts = ["<header>", f'<h1 lang="de">{_e(r.title.de)}</h1>']
    if r.title.en:
        parts.append(f'<p class="title-en" lang="en">{_e(r.title.en)}</p>')
    date = f" · {_e(a.date)}" if a.date else ""
    parts.append(
        f'<p class="meta">Quelle/source: {_source(a.source)}{date} · {a.word_count} words</p>'
    )
    parts += ["</header>", "<main>", '<section class="digest" id="digest">']
    parts.append("<h2>Zusammenfassung / Summary</h2>")
    parts.append(_pair(r.summary, empty="–", confidence=r.summary_confidence))
    parts.append("<h2>Kernpunkte / Key points</h2>")
    parts.append(
        '<p class="hint">Zeigen oder klicken: Quellsätze im Artikel markieren / '
        "hover or click a point to highlight its source sentences.</p>"
    )
    parts.append('<ol class="bullets">' + "".join(_bullet(r, b) for b in r.bullets) + "</ol>")
    if r.sections:
        parts.append("<h2>Abschnitte / Sections</h2>")
        for s in r.sections:
            label = _e(bilingual_label(section_label(r, s.section_id)))
            note = f'<p class="src">{_e(EXTRACTIVE_NOTE)}</p>' if s.extractive else ""
            parts.append(
                f'<h3 data-section="{_e(s.section_id)}">{label}</h3>{note}'
                f"{_pair(s.summary, confidence=s.confidence)}"
            )
    if r.flags:
        parts.append(f"<h2>Prüfhinweise / Checks</h2>{_flag_items(r.flags)}")
    if r.warnings:
        items = "".join(f"<li>{_e(w)}</li>" for w in r.warnings)
        parts.append(f"<h2>Warnungen / Warnings</h2><ul>{items}</ul>")
    parts.append("</section>")
    parts.append('<section class="article" id="article" lang="de">')
    parts.append("<h2>Artikel / Article (Deutsch)</h2>")
    parts += [_block(b) for b in a.blocks]
    parts += ["</section>", "</main>", "<footer>"]
    parts += [f"<div>{_e(line)}</div>" for line in [*model_lines(r.meta), run_line(r.meta)]]
    parts.append("</footer>")
    return (
        '<!doctype html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="digest {_e(r.meta.digest_version)}">\n'
        f"<title>{_e(r.title.de)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + f"\n<script>{JS}</script>\n</body>\n</html>\n"
    )
