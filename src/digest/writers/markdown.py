"""Markdown: the digest a person reads first, and translated articles with their structure."""

from __future__ import annotations

from digest.results import DigestResult
from digest.writers import translation
from digest.writers.base import Result, ResultWriter
from digest.writers.md_parts import flag_lines, models_footer


class MarkdownWriter(ResultWriter):
    extension = "md"

    def format(self, result: Result) -> str:
        if isinstance(result, DigestResult):
            return self._digest(result)
        return translation.markdown(result)

    def _digest(self, r: DigestResult) -> str:
        lines = [f"# {r.title.de}", ""]
        if r.title.en:
            lines += [f"*{r.title.en}*", ""]
        lines += ["## Zusammenfassung", "", r.summary.de or "_(keine Zusammenfassung)_", ""]
        if r.summary.en is not None:
            lines += ["## Summary", "", r.summary.en, ""]
        lines += ["## Kernpunkte / Key points", ""]
        for b in r.bullets:
            refs = ", ".join(b.source_ids)
            lines.append(f"- **DE:** {b.text.de}  ")
            if b.text.en is not None:
                lines.append(f"  **EN:** {b.text.en}  ")
            lines.append(f"  <sub>Quelle/source: {b.section_id} · {refs}</sub>")
        if r.sections:
            lines += ["", "## Abschnitte / Sections", ""]
            for s in r.sections:
                heading = s.heading.de if s.heading else s.section_id
                heading_en = f" / {s.heading.en}" if s.heading and s.heading.en else ""
                lines += [f"### {heading}{heading_en}", "", s.summary.de]
                if s.summary.en is not None:
                    lines += ["", f"> {s.summary.en}"]
                lines.append("")
        lines += flag_lines(r.flags)
        if r.warnings:
            lines += ["", "### Warnings", ""] + [f"- {w}" for w in r.warnings]
        lines += ["", *models_footer(r.meta)]
        return "\n".join(lines).rstrip() + "\n"
