"""Plain text: the digest for terminals, mail and pagers; no markup at all."""

from __future__ import annotations

import textwrap

from digest.results import DigestResult
from digest.writers.md_parts import bilingual_label, model_lines, run_line, section_label

_WIDTH = 88


def _wrap(text: str, indent: str = "", hanging: str | None = None) -> list[str]:
    following = indent if hanging is None else hanging
    # German compounds keep their hyphen on one line ("Boarding-Angebot", not "Boarding-" and
    # "Angebot"), so a wrapped sentence still reads and searches as written.
    lines = textwrap.wrap(
        text, _WIDTH, initial_indent=indent, subsequent_indent=following, break_on_hyphens=False
    )
    return lines or [indent.rstrip()]


def _heading(text: str) -> list[str]:
    return [text, "=" * min(len(text), _WIDTH), ""]


def digest_text(r: DigestResult) -> str:
    lines = [*_wrap(r.title.de.upper())]
    if r.title.en:
        lines += _wrap(r.title.en)
    lines.append("")
    lines += _heading("Zusammenfassung")
    lines += [*_wrap(r.summary.de or "(keine Zusammenfassung)"), ""]
    if r.summary.en is not None:
        lines += _heading("Summary")
        lines += [*_wrap(r.summary.en or "(no summary)"), ""]
    lines += _heading("Kernpunkte / Key points")
    for n, b in enumerate(r.bullets, start=1):
        lines += _wrap(f"{n}. DE: {b.text.de}", "", "   ")
        if b.text.en is not None:
            lines += _wrap(f"EN: {b.text.en}", "   ")
        where = bilingual_label(section_label(r, b.section_id))
        lines += _wrap(f"[Quelle/source: {where}: {', '.join(b.source_ids)}]", "   ")
        lines.append("")
    if r.sections:
        lines += _heading("Abschnitte / Sections")
        for s in r.sections:
            label = bilingual_label(section_label(r, s.section_id))
            lines += _wrap(label + (" [extraktiv / extractive]" if s.extractive else ""))
            lines += _wrap(s.summary.de, "  ")
            if s.summary.en is not None:
                lines += _wrap(s.summary.en, "  ")
            lines.append("")
    if r.flags:
        lines += _heading("Prüfhinweise / Checks")
        lines += [line for f in r.flags for line in _wrap(f"! {f.where} ({f.lang}): {f.message}")]
        lines.append("")
    if r.warnings:
        lines += _heading("Warnungen / Warnings")
        lines += [line for w in r.warnings for line in _wrap(f"- {w}")]
        lines.append("")
    lines.append("-" * 40)
    for line in [*model_lines(r.meta), run_line(r.meta)]:
        lines += _wrap(line.replace("`", ""))
    return "\n".join(lines).rstrip() + "\n"
