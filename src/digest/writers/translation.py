"""Formats of a translated article (Markdown, text, HTML), in the source's block order."""

from __future__ import annotations

import html as _html

from digest.results import TranslationResult
from digest.writers.md_parts import flag_lines, models_footer


def markdown(r: TranslationResult) -> str:
    lines: list[str] = []
    for b in r.blocks:
        if b.kind == "title":
            lines += [f"# {b.target}", ""]
        elif b.kind == "heading":
            lines += [f"## {b.target}", ""]
        elif b.kind == "teaser":
            lines += [f"**{b.target}**", ""]
        elif b.kind == "quote":
            lines += [f"> {b.target}", ""]
        elif b.kind == "list_item":
            marker = b.list_marker if b.list_marker and b.list_marker[0].isdigit() else "-"
            lines.append(f"{marker} {b.target}")
        else:
            if lines and lines[-1] and not lines[-1].startswith("#"):
                lines.append("")
            lines += [b.target, ""]
    body = "\n".join(lines)
    # List items are written back to back; make sure a list ends with a blank line.
    body = body.replace("\n\n\n", "\n\n")
    footer = [*flag_lines(r.flags), "", *models_footer(r.meta)]
    return body.rstrip() + "\n\n" + "\n".join(footer).strip() + "\n"


def text(r: TranslationResult) -> str:
    """Plain text: one block per paragraph, list items with their markers."""
    lines: list[str] = []
    for b in r.blocks:
        if b.kind == "list_item":
            marker = b.list_marker if b.list_marker and b.list_marker[0].isdigit() else "-"
            lines.append(f"{marker} {b.target}")
            continue
        if lines and lines[-1]:
            lines.append("")
        lines.append(b.target.upper() if b.kind == "title" else b.target)
        lines.append("")
    return "\n".join(lines).replace("\n\n\n", "\n\n").strip() + "\n"


def html(r: TranslationResult) -> str:
    """A self-contained HTML page with the article's structure."""
    parts: list[str] = []
    in_list = False
    for b in r.blocks:
        t = _html.escape(b.target)
        if b.kind == "list_item" and not in_list:
            parts.append("<ul>")
            in_list = True
        elif b.kind != "list_item" and in_list:
            parts.append("</ul>")
            in_list = False
        tag = {"title": "h1", "heading": "h2", "list_item": "li", "quote": "blockquote"}.get(
            b.kind, "p"
        )
        parts.append(f'<{tag} data-block="{_html.escape(b.block_id)}">{t}</{tag}>')
    if in_list:
        parts.append("</ul>")
    title = _html.escape(r.blocks[0].target if r.blocks else "")
    return (
        f'<!doctype html>\n<html lang="{r.target_lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )
