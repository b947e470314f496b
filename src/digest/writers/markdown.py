"""Markdown: the digest a person reads first, and translated articles with their structure."""

from __future__ import annotations

from digest.results import DigestResult, Flag, RunMeta, TranslationResult
from digest.writers.base import Result, ResultWriter


def _models_footer(meta: RunMeta) -> list[str]:
    lines = ["---", ""]
    for m in meta.models:
        commit = m.commit[:12]
        lines.append(
            f"- {m.role}: `{m.name}` ({m.source} @ {m.revision}, ran {commit}, {m.origin}) "
            f"on {m.device}/{m.dtype}" + (f", {m.quantize}" if m.quantize != "none" else "")
        )
    timing = ", ".join(f"{k} {v:.2f} s" for k, v in meta.timings.items())
    lines.append(f"- digest {meta.digest_version}, {meta.created}; {timing}")
    return lines


def _flag_lines(flags: tuple[Flag, ...]) -> list[str]:
    if not flags:
        return []
    lines = ["", "### Prüfhinweise / Checks", ""]
    lines += [f"- ⚠ {f.where} ({f.lang}): {f.message}" for f in flags]
    return lines


class MarkdownWriter(ResultWriter):
    extension = "md"

    def format(self, result: Result) -> str:
        if isinstance(result, DigestResult):
            return self._digest(result)
        return self._translation(result)

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
        lines += _flag_lines(r.flags)
        if r.warnings:
            lines += ["", "### Warnings", ""] + [f"- {w}" for w in r.warnings]
        lines += ["", *_models_footer(r.meta)]
        return "\n".join(lines).rstrip() + "\n"

    def _translation(self, r: TranslationResult) -> str:
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
        footer = [*_flag_lines(r.flags), "", *_models_footer(r.meta)]
        return body.rstrip() + "\n\n" + "\n".join(footer).strip() + "\n"
