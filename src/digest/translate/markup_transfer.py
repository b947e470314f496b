"""Carry a block's emphasis and links from the German sentences to their translations.

A span over whole sentences wraps their translations. A span inside a sentence is placed
where its words (kept as they are, or translated on their own) occur in the translation,
exactly or as the best-overlapping run of words. A link that cannot be placed is appended
after its sentence, so no URL is ever lost; emphasis that cannot be placed is reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from digest.ingest.document import Block
from digest.text.inline_markdown import Span, parse, to_markdown

_EDGE = "\"'„“”‚‘’»«()[]—–-.,;:!? "
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SentenceSpan:
    sentence: int  # index in the block
    start: int  # offsets in the sentence's source text
    end: int
    kind: str
    url: str
    text: str  # the source words under the span
    whole: bool  # covers the whole sentence (edge punctuation aside)
    full: bool = False  # covers it with its punctuation: wrap the translation's too


def plan(block: Block) -> list[SentenceSpan] | None:
    """The block's inline spans cut per sentence; None when it has none (or they don't fit)."""
    if not block.markup:
        return None
    parsed = parse(block.markup)
    if parsed.text != block.text or not parsed.spans:
        return None
    out: list[SentenceSpan] = []
    for idx, sent in enumerate(block.sentences):
        s0 = sent.start - block.start
        if block.text[s0 : s0 + len(sent.text)] != sent.text:
            s0 = block.text.find(sent.text)
            if s0 < 0:
                return None
        s1 = s0 + len(sent.text)
        core0, core1 = _core(sent.text)
        for sp in parsed.spans:
            a, b = max(sp.start, s0), min(sp.end, s1)
            if a >= b or not block.text[a:b].strip(_EDGE):
                continue
            whole = a - s0 <= core0 and b - s0 >= core1
            full = a == s0 and b == s1
            out.append(
                SentenceSpan(idx, a - s0, b - s0, sp.kind, sp.url, block.text[a:b], whole, full)
            )
    return out or None


def partial_texts(spans: Sequence[SentenceSpan]) -> list[str]:
    """Span texts that need a translation of their own to be found in the sentence's."""
    return list(dict.fromkeys(s.text for s in spans if not s.whole))


def apply(
    spans: Sequence[SentenceSpan],
    targets: Sequence[str],
    translations: Mapping[str, str],
    block_id: str,
) -> tuple[str, list[str]]:
    """Markdown of the block's translation with the spans placed, and warnings."""
    warnings: list[str] = []
    targets = list(targets)
    placed: list[tuple[int, int, int, str, str]] = []  # sentence, start, end, kind, url
    for sp in spans:
        t = targets[sp.sentence]
        where = _locate(sp, t, translations.get(sp.text, ""))
        if where is not None:
            placed.append((sp.sentence, *where, sp.kind, sp.url))
        elif sp.kind == "link":
            # The link text's own translation, appended: the URL must survive.
            label = translations.get(sp.text, "") or sp.text
            core_end = _core(t)[1]
            addition = f" ({label})"
            targets[sp.sentence] = t[:core_end] + addition + t[core_end:]
            start = core_end + 2
            placed.append((sp.sentence, start, start + len(label), "link", sp.url))
        else:
            warnings.append(
                f"block {block_id}: {sp.kind} on '{sp.text}' could not be placed in the translation"
            )
    text_spans: list[Span] = []
    offset = 0
    starts = []
    for t in targets:
        starts.append(offset)
        offset += len(t) + 1
    for sent, a, b, kind, url in placed:
        text_spans.append(Span(starts[sent] + a, starts[sent] + b, kind, url))
    return to_markdown(" ".join(targets), text_spans), warnings


def _core(text: str) -> tuple[int, int]:
    stripped = text.strip(_EDGE)
    if not stripped:
        return 0, len(text)
    start = text.find(stripped)
    return start, start + len(stripped)


def _locate(sp: SentenceSpan, target: str, translated: str) -> tuple[int, int] | None:
    if sp.full and target.strip():
        return 0, len(target)
    if sp.whole:
        return _core(target)
    for needle, flags in ((sp.text.strip(_EDGE), 0), (translated.strip(_EDGE), re.I)):
        if needle:
            m = re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", target, flags)
            if m:
                return m.start(), m.end()
    return _fuzzy(target, translated.strip(_EDGE) or sp.text)


def _fuzzy(target: str, needle: str, min_f1: float = 0.5) -> tuple[int, int] | None:
    """The run of target words overlapping the needle's words best (F1 over word sets)."""
    words = list(_WORD.finditer(target))
    want = [w.lower() for w in _WORD.findall(needle)]
    if not words or not want:
        return None
    want_set = set(want)
    best: tuple[float, int, int] | None = None
    for size in range(max(1, len(want) - 2), len(want) + 3):
        for i in range(len(words) - size + 1):
            got = {w.group().lower() for w in words[i : i + size]}
            common = len(got & want_set)
            if not common:
                continue
            f1 = 2 * common / (len(got) + len(want_set))
            if best is None or f1 > best[0]:
                best = (f1, words[i].start(), words[i + size - 1].end())
    if best is None or best[0] < min_f1:
        return None
    return best[1], best[2]
