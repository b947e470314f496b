"""Markdown: the digest a person reads first, and translated articles with their structure."""

from __future__ import annotations

from digest.results import Bullet, DigestResult
from digest.writers.md_parts import (
    bilingual_label,
    flag_lines,
    models_footer,
    section_label,
)


def digest_markdown(r: DigestResult) -> str:
    lines = [f"# {r.title.de}", ""]
    if r.title.en:
        lines += [f"*{r.title.en}*", ""]
    lines += [_source_line(r), ""]
    lines += ["## Zusammenfassung", "", r.summary.de or "_(keine Zusammenfassung)_", ""]
    if r.summary.en is not None:
        lines += ["## Summary", "", r.summary.en or "_(no summary)_", ""]
    lines += ["## Kernpunkte / Key points", ""]
    for n, b in enumerate(r.bullets, start=1):
        lines += _bullet_lines(r, n, b)
    if r.sections:
        lines += ["", "## Abschnitte / Sections", ""]
        for s in r.sections:
            lines += [f"### {bilingual_label(section_label(r, s.section_id))}", "", s.summary.de]
            if s.summary.en is not None:
                lines += ["", f"> {s.summary.en}"]
            lines.append("")
    lines += flag_lines(r.flags)
    if r.warnings:
        lines += ["", "### Warnungen / Warnings", ""] + [f"- {w}" for w in r.warnings]
    lines += ["", *models_footer(r.meta)]
    return "\n".join(lines).rstrip() + "\n"


def _source_line(r: DigestResult) -> str:
    a = r.article
    date = f" · {a.date}" if a.date else ""
    return f"<sub>Quelle/source: `{a.source}`{date} · {a.word_count} Wörter/words</sub>"


def _bullet_lines(r: DigestResult, n: int, b: Bullet) -> list[str]:
    warn = " ⚠" if b.flags else ""
    lines = [f"{n}. **DE:** {b.text.de}{warn}  "]
    if b.text.en is not None:
        lines.append(f"   **EN:** {b.text.en}  ")
    where = bilingual_label(section_label(r, b.section_id))
    lines.append(f"   <sub>Quelle/source: {where} · {', '.join(b.source_ids)}</sub>")
    return lines
