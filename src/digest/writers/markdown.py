"""Markdown: the digest a person reads first, and translated articles with their structure."""

from __future__ import annotations

from digest.results import Bullet, DigestResult
from digest.text.inline_markdown import escape_html as _t
from digest.writers.md_parts import (
    EXTRACTIVE_NOTE,
    bilingual_label,
    confidence_mark,
    flag_lines,
    models_footer,
    section_label,
)


def digest_markdown(r: DigestResult) -> str:
    # Article text goes through _t: HTML in an article must stay text in the Markdown.
    lines = [f"# {_t(r.title.de)}", ""]
    if r.title.en:
        lines += [f"*{_t(r.title.en)}*", ""]
    lines += [_source_line(r), ""]
    summary = (_t(r.summary.de) or "_(keine Zusammenfassung)_") + confidence_mark(
        r.summary_confidence
    )
    lines += ["## Zusammenfassung", "", summary, ""]
    if r.summary.en is not None:
        lines += ["## Summary", "", _t(r.summary.en) or "_(no summary)_", ""]
    lines += ["## Kernpunkte / Key points", ""]
    for n, b in enumerate(r.bullets, start=1):
        lines += _bullet_lines(r, n, b)
    if r.sections:
        lines += ["", "## Abschnitte / Sections", ""]
        for s in r.sections:
            label = bilingual_label(section_label(r, s.section_id))
            lines += [f"### {_t(label)}", ""]
            if s.extractive:
                lines += [f"<sub>{EXTRACTIVE_NOTE}</sub>", ""]
            lines.append(_t(s.summary.de) + confidence_mark(s.confidence))
            if s.summary.en is not None:
                lines += ["", f"> {_t(s.summary.en)}"]
            lines.append("")
    lines += flag_lines(r.flags)
    if r.warnings:
        lines += ["", "### Warnungen / Warnings", ""] + [f"- {_t(w)}" for w in r.warnings]
    lines += ["", *models_footer(r.meta)]
    return "\n".join(lines).rstrip() + "\n"


def _source_line(r: DigestResult) -> str:
    a = r.article
    date = f" · {a.date}" if a.date else ""
    return f"<sub>Quelle/source: `{a.source}`{date} · {a.word_count} Wörter/words</sub>"


def _bullet_lines(r: DigestResult, n: int, b: Bullet) -> list[str]:
    warn = " ⚠" if b.flags else ""
    lines = [f"{n}. **DE:** {_t(b.text.de)}{warn}  "]
    if b.text.en is not None:
        lines.append(f"   **EN:** {_t(b.text.en)}  ")
    where = _t(bilingual_label(section_label(r, b.section_id)))
    lines.append(f"   <sub>Quelle/source: {where} · {', '.join(b.source_ids)}</sub>")
    return lines
