"""Markdown pieces shared by the digest and translation writers."""

from __future__ import annotations

from digest.results import Flag, RunMeta


def models_footer(meta: RunMeta) -> list[str]:
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


def flag_lines(flags: tuple[Flag, ...]) -> list[str]:
    if not flags:
        return []
    lines = ["", "### Prüfhinweise / Checks", ""]
    lines += [f"- ⚠ {f.where} ({f.lang}): {f.message}" for f in flags]
    return lines
