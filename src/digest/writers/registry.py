"""Format names -> writers, and where each output goes: path handling lives here, once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from digest.errors import ConfigError
from digest.writers import html_writer, markdown, text, translation
from digest.writers.base import Result, ResultWriter
from digest.writers.json_writer import to_json

WRITERS: dict[str, ResultWriter] = {
    "md": ResultWriter("md", markdown.digest_markdown, translation.markdown),
    "json": ResultWriter("json", to_json, to_json),
    "html": ResultWriter("html", html_writer.digest_html, translation.html),
    "txt": ResultWriter("txt", text.digest_text, translation.text),
}


def render(result: Result, fmt: str = "md") -> str:
    """A digest or translation as text in one format (md, json, html, txt)."""
    return get_writer(fmt).format(result)


def output_name(source: str, kind: str, fmt: str, lang: str = "en") -> str:
    """`<stem>.digest.<ext>` for digests, `<stem>.<lang>.<ext>` for translations."""
    stem = "stdin" if source in ("-", "") else Path(source).stem
    tag = "digest" if kind == "digest" else lang
    return f"{stem}.{tag}.{get_writer(fmt).extension}"


def resolve_output(
    out: Path | None, source: str, kind: str, fmt: str, lang: str = "en"
) -> Path | None:
    """None means stdout. --out is a file when it has this format's extension, else a folder."""
    if out is None:
        return None
    ext = "." + get_writer(fmt).extension
    if out.suffix == ext and not out.is_dir():
        return out
    return out / output_name(source, kind, fmt, lang)


FORMATS = ("md", "json", "html", "txt")


def expand_formats(formats: Sequence[str]) -> list[str]:
    """--format values in order, without repeats: "all" is every format, "md,json" is two."""
    out: list[str] = []
    for item in formats:
        for fmt in item.split(","):
            fmt = fmt.strip().lower()
            names = FORMATS if fmt == "all" else (fmt,)
            for name in names:
                get_writer(name)  # unknown names fail here, before any work is done
                if name not in out:
                    out.append(name)
    if not out:
        raise ConfigError(f"no output format given (choose from: {', '.join(FORMATS)}, all)")
    return out


def get_writer(fmt: str) -> ResultWriter:
    try:
        return WRITERS[fmt]
    except KeyError:
        choices = ", ".join([*WRITERS, "all"])
        raise ConfigError(f"unknown format '{fmt}' (choose from: {choices})") from None
