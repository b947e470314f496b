"""Glossary: German terms with a fixed rendering (or themselves, for do-not-translate).

Terms are protected with placeholders that translation models copy unchanged (``QX1``-style
codes, like product numbers), then restored. When a model drops a placeholder, the retry
writes the rendering itself into the source instead, and the check reports it if it still
does not come out.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from digest.errors import ConfigError

# German inflection endings a glossary term may carry in running text (Stadtrats, Stadtwerken).
_ENDINGS = r"(?:e|s|es|n|en|ns)?"
_HEADER_WORDS = {"de", "german", "deutsch", "source", "term", "begriff"}


@dataclass(frozen=True)
class GlossaryEntry:
    source: str
    target: str

    @property
    def keep(self) -> bool:
        """A do-not-translate entry: the rendering is the term itself."""
        return self.source == self.target


@dataclass(frozen=True)
class Protected:
    """One text with its glossary terms replaced, and what to put back."""

    original: str
    text: str  # terms replaced by placeholders
    inline: str  # terms replaced by their renderings (the retry's form)
    slots: tuple[tuple[str, str], ...]  # (placeholder, rendering) in order of appearance

    @property
    def renderings(self) -> tuple[str, ...]:
        return tuple(r for _, r in self.slots)

    def restore(self, output: str) -> str:
        out = output
        for placeholder, rendering in self.slots:
            literal = rendering.replace("\\", "\\\\")  # a rendering is text, not a template
            out = re.sub(rf"\b{re.escape(placeholder)}\b", literal, out, flags=re.IGNORECASE)
        return out


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...]
    path: str = ""

    def _pattern(self) -> re.Pattern[str] | None:
        if not self.entries:
            return None
        # Longest first so "Stadtwerke Ulm" wins over "Stadtwerke".
        terms = sorted((e.source for e in self.entries), key=len, reverse=True)
        alts = "|".join(re.escape(t) + (_ENDINGS if t[-1].isalpha() else "") for t in terms)
        return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")

    def rendering(self, found: str) -> str:
        for e in sorted(self.entries, key=lambda e: len(e.source), reverse=True):
            if found == e.source or re.fullmatch(re.escape(e.source) + _ENDINGS, found):
                return e.target
        raise KeyError(found)

    def keep_words(self) -> tuple[str, ...]:
        return tuple(e.target for e in self.entries if e.keep)

    def protect(self, text: str) -> Protected:
        pattern = self._pattern()
        if pattern is None or not pattern.search(text):
            return Protected(text, text, text, ())
        prefix = _placeholder_prefix(text)
        slots: list[tuple[str, str]] = []

        def to_placeholder(m: re.Match[str]) -> str:
            placeholder = f"{prefix}{len(slots) + 1}"
            slots.append((placeholder, self.rendering(m.group())))
            return placeholder

        protected = pattern.sub(to_placeholder, text)
        inline = pattern.sub(lambda m: self.rendering(m.group()), text)
        return Protected(text, protected, inline, tuple(slots))


def _placeholder_prefix(text: str) -> str:
    for prefix in ("QX", "QZ", "XQ", "ZQX"):
        if prefix.lower() not in text.lower():
            return prefix
    return "ZQXZ"


def load_glossary(path: str | Path) -> Glossary:
    """Two columns (German term, rendering), tab- or comma-separated; '#' starts a comment.

    A header row (de/en, source/target ...) is skipped. Empty renderings are an error.
    """
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"glossary not found: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read glossary {p}: {exc}") from None
    lines = [ln for ln in raw.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise ConfigError(f"glossary {p} has no entries")
    delimiter = "\t" if "\t" in lines[0] or p.suffix.lower() == ".tsv" else ","
    entries: list[GlossaryEntry] = []
    seen: dict[str, str] = {}
    rows = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    for n, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if n == 1 and cells and cells[0].lower() in _HEADER_WORDS:
            continue
        if len(cells) != 2 or not cells[0] or not cells[1]:
            sep = "tab" if delimiter == "\t" else "comma"
            raise ConfigError(
                f"glossary {p}, entry {n} ({row!r}): expected two {sep}-separated columns "
                "(German term, rendering)"
            )
        if cells[0] in seen and seen[cells[0]] != cells[1]:
            raise ConfigError(f"glossary {p}: '{cells[0]}' is given two renderings")
        seen[cells[0]] = cells[1]
        entries.append(GlossaryEntry(cells[0], cells[1]))
    return Glossary(tuple(dict.fromkeys(entries)), str(p))
