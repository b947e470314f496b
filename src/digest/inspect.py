"""`digest inspect`: the article as the tool understood it."""

from __future__ import annotations

import json

from digest.document import Article, Block
from digest.writers.json_writer import to_jsonable


def format_inspection(article: Article, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(to_jsonable(article), ensure_ascii=False, indent=2) + "\n"
    lines = [
        f"# {article.title.text}",
        "",
        f"- source: {article.source} ({article.format}, {article.encoding})",
        f"- date: {article.date or 'unknown'}",
        f"- words: {article.word_count}, sentences: {len(article.sentences)}, "
        f"sections: {len(article.sections)}",
        "",
    ]

    def block_line(b: Block) -> str:
        dup = f" — duplicate of {b.duplicate_of}" if b.duplicate_of else ""
        preview = b.text if len(b.text) <= 70 else b.text[:67] + "..."
        return f"- `{b.id}` {b.kind}, {len(b.sentences)} sentence(s){dup}: {preview}"

    if article.teaser:
        lines += ["## Teaser", "", block_line(article.teaser), ""]
    for sec in article.sections:
        heading = sec.heading.text if sec.heading else "(no heading)"
        lines += [f"## {sec.id}: {heading}", ""]
        lines += [block_line(b) for b in sec.blocks]
        lines.append("")
    if article.dropped:
        lines += ["## Dropped lines", ""]
        lines += [f"- line {d.line} [{d.reason}]: {d.text}" for d in article.dropped]
    return "\n".join(lines).rstrip() + "\n"
