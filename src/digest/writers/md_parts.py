"""Pieces shared by the digest and translation writers: footers, flags, section labels."""

from __future__ import annotations

from html import escape

from digest.results import BiText, DigestResult, Flag, RunMeta, low_confidence
from digest.text.inline_markdown import escape_html

EXTRACTIVE_NOTE = (
    "Schlüsselsätze des Abschnitts (extraktiv) / key sentences of the section (extractive)"
)


def confidence_text(value: float) -> str:
    return (
        f"niedrige Modell-Konfidenz / low model confidence: {value:.2f} "
        "(mean log-probability per token)"
    )


def confidence_mark(value: float | None) -> str:
    """A marker with the value as hover text (Markdown and HTML), for low-confidence text."""
    if value is None or not low_confidence(value):
        return ""
    return f' <span class="low-confidence" title="{escape(confidence_text(value))}">⚑</span>'


def models_footer(meta: RunMeta) -> list[str]:
    lines = ["---", ""]
    lines += [f"- {line}" for line in model_lines(meta)]
    lines.append(f"- {run_line(meta)}")
    return lines


def model_lines(meta: RunMeta) -> list[str]:
    """One line per model: name, source @ revision, the commit that ran, device and dtype."""
    out = []
    for m in meta.models:
        # CTranslate2's compute type already says int8: do not repeat it
        quant = f", {m.quantize}" if m.quantize not in ("none", m.dtype) else ""
        if m.vocab_shortlist:
            quant += f", vocabulary shortlist {m.vocab_shortlist}"
        out.append(
            f"{m.role}: `{m.name}` ({m.source} @ {m.revision}, ran {m.commit[:12]}, {m.origin}) "
            f"on {m.device}/{m.dtype}{quant}"
        )
    return out


def run_line(meta: RunMeta) -> str:
    timing = ", ".join(f"{k} {v:.2f} s" for k, v in meta.timings.items())
    return f"digest {meta.digest_version}, {meta.created}; {timing}"


def flag_lines(flags: tuple[Flag, ...]) -> list[str]:
    if not flags:
        return []
    lines = ["", "### Prüfhinweise / Checks", ""]
    lines += [f"- ⚠ {f.where} ({f.lang}): {escape_html(f.message)}" for f in flags]
    return lines


def section_label(r: DigestResult, section_id: str) -> BiText:
    """A reader-facing name for a section: its heading, else its role or position.

    Articles often open without a heading, and raw ids such as "sec1" mean nothing to a reader.
    """
    if section_id == "lead":
        return BiText("Vorspann", "Lead")
    sections = r.article.sections
    for pos, sec in enumerate(sections, start=1):
        if sec.id != section_id:
            continue
        for summary in r.sections:
            if summary.section_id == section_id and summary.heading is not None:
                return summary.heading
        if sec.heading is not None:
            return BiText(sec.heading.text, None)
        if pos == 1:
            return BiText("Einstieg", "Introduction")
        return BiText(f"Abschnitt {pos}", f"Section {pos}")
    return BiText(section_id, section_id)


def bilingual_label(label: BiText) -> str:
    return f"{label.de} / {label.en}" if label.en and label.en != label.de else label.de
