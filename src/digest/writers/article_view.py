"""`digest inspect`: the article as the tool understood it.

``md`` is for reading: title, source and metadata, teaser, each section with its heading and
blocks (id, kind, sentence count, duplicate mark, text preview), the duplicate blocks and
repeated sentences, and every dropped line with its source line and reason. ``json`` is the
:class:`Article` itself, the same object the digest and translation JSON carry under
``"article"``.
"""

from __future__ import annotations

import json
from collections import Counter

from digest.ingest.document import Article, Block
from digest.text.inline_markdown import escape_html
from digest.writers.json_writer import to_jsonable

_PREVIEW = 70


def format_inspection(article: Article, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(to_jsonable(article), ensure_ascii=False, indent=2) + "\n"
    if fmt != "md":
        raise ValueError(f"unknown inspection format {fmt!r}")
    return _markdown(article)


def _markdown(article: Article) -> str:
    title = article.title.text or "(no title found)"
    lines = [
        f"# {title}",
        "",
        f"- source: {article.source} ({article.format}, {article.encoding})",
        f"- date: {article.date or 'unknown'}",
    ]
    lines += [f"- {key}: {value}" for key, value in sorted(article.metadata.items()) if value]
    lines += [
        f"- words: {article.word_count}, sentences: {len(article.sentences)}, "
        f"sections: {len(article.sections)}, blocks: {len(article.blocks)}",
        "",
    ]
    if article.teaser:
        lines += ["## Teaser", "", _block_line(article.teaser), ""]
    else:
        lines += ["## Teaser", "", "(none)", ""]
    for sec in article.sections:
        heading = f"{sec.heading.text} (`{sec.heading.id}`)" if sec.heading else "(no heading)"
        lines += [f"## {sec.id}: {heading}", ""]
        lines += [_block_line(b) for b in sec.blocks]
        lines.append("")
    dups = [b for b in article.blocks if b.duplicate_of]
    repeats = [s for b in article.blocks for s in b.sentences if s.duplicate_of]
    lines += [f"## Duplicates ({len(dups) + len(repeats)})", ""]
    lines += [f"- `{b.id}` repeats `{b.duplicate_of}`" for b in dups]
    lines += [
        f"- sentence `{s.id}` repeats `{s.duplicate_of}`: {_preview(s.text)}" for s in repeats
    ]
    if not dups and not repeats:
        lines.append("(none)")
    lines.append("")
    reasons = Counter(d.reason for d in article.dropped)
    summary = ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items()))
    lines += [f"## Dropped lines ({len(article.dropped)}{': ' + summary if summary else ''})", ""]
    lines += [f"- line {d.line} [{d.reason}]: {d.text}" for d in article.dropped] or ["(none)"]
    # Only article text can hold "<" here: HTML in it must stay text in the Markdown.
    return escape_html("\n".join(lines).rstrip() + "\n")


def _block_line(b: Block) -> str:
    kind = f"{b.kind} {b.list_marker}" if b.list_marker else b.kind
    dup = f", duplicate of `{b.duplicate_of}`" if b.duplicate_of else ""
    repeated = sum(1 for s in b.sentences if s.duplicate_of)
    if repeated:
        dup += f", {repeated} repeated sentence{'' if repeated == 1 else 's'}"
    n = len(b.sentences)
    return f"- `{b.id}` {kind}, {n} sentence{'' if n == 1 else 's'}{dup}: {_preview(b.text)}"


def _preview(text: str) -> str:
    return text if len(text) <= _PREVIEW else text[: _PREVIEW - 1] + "…"
