"""Plain-text and Markdown structure: lines in, raw blocks (title, headings, paragraphs,
list items, quotes) and dropped lines out. :mod:`digest.ingest.article` turns them into an Article.

Structure rules for txt and md
    * Paragraphs are runs of non-blank lines joined with a space. In ``.txt`` a run whose lines
      are longer than 100 characters is not hard-wrapped, so each line is its own paragraph.
    * Title: the first block when it is a ``#``/setext heading or a single line of at most 25
      words not ending in ``. , ; :``. A one-to-three word line right before a longer title line
      is a kicker ("Dachzeile"): kept in ``metadata["kicker"]`` and dropped as ``kicker``.
    * Teaser ("lead"): the first block after the title when it is a paragraph of at most 60
      words - 100 when a subheading follows it directly, 150 for an HTML element marked
      teaser/lead/intro - and more body (not only headings) follows.
    * Headings: Markdown ``#`` lines, setext underlines, and in ``.txt`` short standalone lines
      (1-10 words, starting upper-case or with a digit, not ending in ``. ! ? : , ; …``, not
      opening with a quotation mark or a back-reference such as ``Er``/``Dabei``/``Zudem``,
      not ending in an article/preposition/conjunction) that stand between blank lines or
      directly before a clearly longer line, and are followed by more. Between two prose
      paragraphs (both ending in a stop, the next one longer, not directly under the title)
      a line of up to 16 words counts too when it reads as a title: one clause (no comma, no
      ``; : „ ( )``), no speech tag, and capitalised nouns or names in it. In Markdown such
      a line counts only when it is bold as a whole (``**Titel**``).
    * List items start with ``• - * – · ▪ + ◦ ‣`` or ``1.``/``1)``; numbered items need a
      neighbour numbered n-1 or n+1 so "1. FC Köln ..." stays text; a dash line continuing
      a hard-wrapped sentence in lower case stays text. Indented or lower-case lines continue
      an item.
    * ``> `` lines are quotes; a paragraph wholly inside „…“ or "…" stays a paragraph.
    * Markdown inline markup (``*x*``, ``**x**``, ``_x_``, ``[t](u)``, code spans, escapes) is
      removed from ``Block.text``; ``Block.markup`` keeps the source when it differs.
    * Dropped lines keep their 1-based source line and a reason: those of
      :func:`digest.ingest.boilerplate.classify_line`, ``comments_trailer`` (a "Kommentare" line and
      everything after it), ``kicker``, and for Markdown ``front_matter``, ``image``,
      ``link_reference`` and ``markup_comment``. HTML reasons: :mod:`digest.ingest.html_page`.
    * Duplicates: a block whose normalised text equals an earlier one, whose 3-word-shingle
      Jaccard similarity with an earlier one is >= 0.85, or (8+ words, not the teaser) which
      is wholly contained in another block gets ``duplicate_of`` = that block's id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from digest.ingest import boilerplate as bp
from digest.ingest.document import DroppedLine
from digest.text.inline_markdown import plain_text

Fmt = Literal["txt", "md", "html"]


@dataclass
class RawBlock:
    """A block before ids and offsets exist."""

    kind: str  # "heading" | "paragraph" | "list_item" | "quote"
    text: str
    markup: str | None = None
    marker: str | None = None
    level: int = 0  # explicit heading level (#, setext, <hN>); 0 = found by layout
    line: int = 0  # first source line, 1-based
    n_lines: int = 1
    teaser: bool = False  # an HTML element marked teaser/lead/intro


@dataclass
class Parsed:
    title: RawBlock | None
    blocks: list[RawBlock]
    dropped: list[DroppedLine]
    date: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def n_words(text: str) -> int:
    return len(text.split())


@dataclass
class _Line:
    no: int  # 1-based source line
    raw: str
    kind: str  # blank | drop | skip | heading | quote | item | text
    content: str = ""
    marker: str | None = None
    level: int = 0
    number: int = 0  # numbered list items


_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_BULLET = re.compile(r"^(\s*)([•\-*–·▪+◦‣])\s+(\S.*)$")
_NUMBERED = re.compile(r"^(\s*)(\d{1,3})([.)])\s+(\S.*)$")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*\|?\s*$")
_MD_DROPS = (
    (re.compile(r"^<!--.*-->$"), "markup_comment"),
    (re.compile(r"^!\[[^\]]*\]\([^)]*\)$"), "image"),
    (re.compile(r"^\[[^\]]+\]:\s*\S+"), "link_reference"),
)
_END_PUNCT = re.compile(r"[.!?:,;…]['\"“”«»’)]*$")
# Headings do not end in an article, preposition or conjunction: such a line is a wrapped one.
_OPEN_ENDINGS = bp.wordset(
    "der die das den dem des ein eine einen einem einer und oder aber im in am an auf aus bei "
    "mit nach von vor zu zum zur für über unter durch gegen ohne um bis als wie dass weil wenn "
    "sowie bzw"
)


# Words that open a clause: a line holding one after a comma is a sentence without its stop.
_CLAUSE_OPENERS = bp.wordset(
    "dass weil da ob obwohl obgleich nachdem bevor wenn falls sofern sodass indem damit als "
    "wie wo wer was der die das den dem deren dessen welche welcher welches so teilte sagte "
    "sagt erklärte betonte hieß heißt"
)
_SUBORDINATORS = bp.wordset("dass weil obwohl obgleich nachdem sodass falls sofern")
# Sentence openings that point back to earlier text; headings stand on their own.
_BACK_REFERENCES = bp.wordset(
    "er sie es wir ich ihr man und oder aber doch denn dabei daher deshalb deswegen dort zudem "
    "außerdem dann danach damit dies diese dieser dieses allerdings jedoch trotzdem "
    "stattdessen sondern"
)
# Headings by role reach this length; a longer line without a stop is a run-on paragraph.
MAX_HEADING_WORDS = 16


def _heading_like(s: str, *, long_ok: bool = False) -> bool:
    """A line that can be a subheading. Up to 10 words any short standalone line; with
    ``long_ok`` (the line stands alone between prose paragraphs) up to
    :data:`MAX_HEADING_WORDS` words when it reads as a title, not as a sentence."""
    words = s.split()
    short = 1 <= len(words) <= 10 and len(s) <= 80
    return (
        (short or (long_ok and len(words) <= MAX_HEADING_WORDS and _title_phrase(s, words)))
        and (s[0].isupper() or s[0].isdigit())
        and any(ch.isalpha() for ch in s)
        and not _END_PUNCT.search(s)
        and words[-1].lower() not in _OPEN_ENDINGS
        and words[0].lower() not in _BACK_REFERENCES
    )


def _title_phrase(s: str, words: list[str]) -> bool:
    """Title-like: one clause, no speech, not opening with a back-reference or quote."""
    if len(s) > 140 or s.count(",") > 1 or any(ch in s for ch in ';:„“”"»«()'):
        return False
    # "…, dass …", "…, weil …", "…, die …", "…, sagte …": a second clause or speech tag.
    for k, word in enumerate(words[:-1]):
        if word.endswith(",") and words[k + 1].lower().strip(",") in _CLAUSE_OPENERS:
            return False
    if "," in s:
        return False  # one comma without a clause opener still joins two clauses
    if any(w.lower() in _SUBORDINATORS for w in words[1:]):
        return False  # "… weil das Land kein Geld hat" lacks only its comma
    # Headings capitalise more: nouns and names make up a good share of their words.
    capitalised = sum(w[:1].isupper() for w in words[1:])
    return capitalised >= max(2, (len(words) - 1) // 4)


def _title_like(s: str) -> bool:
    return (
        1 <= len(s.split()) <= 25
        and len(s) <= 200
        and s[0] not in "(["
        and not s[0].islower()
        and not re.search(r"[.,;:]['\"“”«»’)]*$", s)
    )


def parse_text(text: str, fmt: Fmt) -> Parsed:
    src = text.split("\n")
    out = Parsed(None, [], [])
    start = _front_matter(src, out) if fmt == "md" else 0

    # Set by a bare "Mehr zum Thema"/"Newsletter" line: the short lines under it go too.
    run_reason: str | None = None

    def drop(no: int, s: str, reason: str) -> None:
        nonlocal run_reason
        if reason == "promo":
            run_reason = bp.run_header(s)
        out.dropped.append(DroppedLine(no, s, reason))
        lines.append(_Line(no, "", "drop"))
        if reason in ("dateline", "byline"):
            out.date = out.date or bp.parse_date(s)
            author = bp.byline_author(s) if reason == "byline" else None
            if author:
                out.metadata.setdefault("author", author)
            out.metadata.setdefault(reason, s)

    lines: list[_Line] = []
    seen_content = trailer = False
    for idx in range(start, len(src)):
        raw, no = src[idx], idx + 1
        s = raw.strip()
        if not s:
            lines.append(_Line(no, raw, "blank"))
            run_reason = None
            continue
        if run_reason and bp.run_member(s):
            # The last headline of the list is followed by a blank line or another short
            # line; a short line followed by body text is a subheading and ends the list.
            nxt = src[idx + 1].strip() if idx + 1 < len(src) else ""
            if not nxt or bp.run_member(nxt) or bp.classify_line(nxt):
                drop(no, s, run_reason)
                continue
        run_reason = None
        atx = _ATX.match(raw)
        if trailer or (seen_content and bp.is_comments_header(atx.group(2) if atx else s)):
            trailer = True
            drop(no, s, "comments_trailer")
            continue
        prev = lines[-1] if lines else None
        if (
            _SETEXT.match(raw)
            and prev is not None
            and prev.kind == "text"
            and (len(lines) < 2 or lines[-2].kind in ("blank", "drop", "skip", "heading"))
            and n_words(prev.content) <= 15
        ):
            prev.kind, prev.level = "heading", 1 if "=" in s else 2
            lines.append(_Line(no, raw, "skip"))  # the underline is markup, not text
            continue
        if fmt == "md" and _TABLE_RULE.match(raw) and "|" in s:
            lines.append(_Line(no, raw, "skip"))  # the |---|---| row under a table header
            continue
        row = _TABLE_ROW.match(raw) if fmt == "md" else None
        if row:  # a Markdown table row becomes a list item "cell | cell"
            cells = " | ".join(c.strip() for c in row.group(1).split("|") if c.strip())
            lines.append(_Line(no, raw, "item", cells, marker="|"))
            seen_content = True
            continue
        md_drop = next((r for rx, r in _MD_DROPS if rx.match(s)), None) if fmt == "md" else None
        reason = md_drop or bp.classify_line(s)
        if reason == "separator" or md_drop:
            drop(no, s, reason or "separator")
            continue
        if atx:
            content = atx.group(2).strip()
            reason = bp.classify_line(content)
            if reason:
                drop(no, s, reason)
            else:
                lines.append(_Line(no, raw, "heading", content, level=len(atx.group(1))))
                seen_content = True
            continue
        quote = _QUOTE.match(raw)
        if quote:
            content = quote.group(1)
            while nested := _QUOTE.match(content):  # "> > x": nesting is flattened
                content = nested.group(1)
            lines.append(_Line(no, raw, "quote", content.strip()))
            seen_content = True
            continue
        bullet = _BULLET.match(raw)
        numbered = None if bullet else _NUMBERED.match(raw)
        if bullet or numbered:
            content = bullet.group(3) if bullet else numbered.group(4) if numbered else ""
            reason = bp.classify_line(content)
            if reason and reason not in ("dateline", "byline"):
                drop(no, s, reason)
                continue
            if bullet:
                item = _Line(no, raw, "item", content.strip(), marker=bullet.group(2))
            else:
                assert numbered is not None
                marker = numbered.group(2) + numbered.group(3)
                item = _Line(no, raw, "item", content.strip(), marker, 0, int(numbered.group(2)))
            lines.append(item)
            seen_content = True
            continue
        if reason:
            drop(no, s, reason)
            continue
        lines.append(_Line(no, raw, "text", s))
        seen_content = True
    _demote_false_items(lines)
    out.blocks = _group(lines, fmt)
    _layout_headings(out, fmt)
    return out


def _front_matter(src: list[str], out: Parsed) -> int:
    """YAML-style front matter of a Markdown file: recorded and mined for title/date."""
    if not src or src[0].strip() != "---":
        return 0
    for j in range(1, min(len(src), 60)):
        if src[j].strip() in ("---", "..."):
            pairs = [re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", ln) for ln in src[1:j]]
            if not all(m or not ln.strip() for m, ln in zip(pairs, src[1:j], strict=True)):
                return 0  # not key: value lines, so "---" was a rule
            for m in pairs:
                if m and m.group(2).strip():
                    out.metadata[m.group(1).lower()] = m.group(2).strip().strip("\"'")
            for k in range(j + 1):
                if src[k].strip():
                    out.dropped.append(DroppedLine(k + 1, src[k].strip(), "front_matter"))
            if out.metadata.get("date"):
                out.date = bp.parse_date(out.metadata["date"]) or out.metadata["date"]
            return j + 1
    return 0


def _demote_false_items(lines: list[_Line]) -> None:
    """Numbered items need a numbered neighbour; a lower-case dash line may continue a sentence."""
    content = [ln for ln in lines if ln.kind != "blank"]
    position = {id(ln): i for i, ln in enumerate(lines)}
    for i, ln in enumerate(content):
        if ln.kind != "item":
            continue
        if ln.number:
            before = content[i - 1] if i else None
            after = content[i + 1] if i + 1 < len(content) else None
            ok = (
                before is not None and before.kind == "item" and before.number == ln.number - 1
            ) or (after is not None and after.kind == "item" and after.number == ln.number + 1)
        else:
            pos = position[id(ln)]
            prev = lines[pos - 1] if pos else None
            ok = not (
                ln.marker in ("-", "–")
                and prev is not None
                and prev.kind == "text"
                and not prev.content.endswith(":")
                and ln.content[:1].islower()
            )
        if not ok:
            ln.kind, ln.content, ln.marker, ln.number = "text", ln.raw.strip(), None, 0


def _group(lines: list[_Line], fmt: Fmt) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    acc: list[_Line] = []
    acc_kind = ""

    def add(raw: RawBlock) -> None:
        if raw.text:  # a line of zero-width characters or bare markup carries no text
            blocks.append(raw)

    def flush() -> None:
        if not acc:
            return
        if acc_kind == "text":
            for unit in _text_units(acc, fmt, first=not blocks):
                add(_raw("paragraph", unit, fmt))
        else:
            add(_raw("list_item" if acc_kind == "item" else "quote", acc, fmt))
        acc.clear()

    for ln in lines:
        if ln.kind == "skip":
            continue
        if ln.kind in ("blank", "drop", "heading"):
            flush()
            acc_kind = ""
            if ln.kind == "heading":
                add(_raw("heading", [ln], fmt))
        elif ln.kind == "quote":
            if acc_kind != "quote":
                flush()
                acc_kind = "quote"
            if ln.content:
                acc.append(ln)
            else:
                flush()  # a bare ">" separates quoted paragraphs
        elif ln.kind == "item":
            flush()
            acc_kind = "item"
            acc.append(ln)
        elif acc_kind == "item" and (ln.raw[:1] in (" ", "\t") or ln.content[:1].islower()):
            acc.append(ln)  # continuation of a wrapped list item
        elif acc_kind == "quote" and fmt == "md":
            acc.append(ln)  # Markdown "lazy" quote continuation
        else:
            if acc_kind != "text":
                flush()
                acc_kind = "text"
            acc.append(ln)
    flush()
    return blocks


def _text_units(acc: list[_Line], fmt: Fmt, *, first: bool) -> list[list[_Line]]:
    if fmt == "txt" and len(acc) > 1 and max(len(ln.content) for ln in acc) > 100:
        # Long lines are not hard-wrapped: one paragraph per line, except that a line opening
        # in lower case ("– und das ...") continues the one before.
        units: list[list[_Line]] = []
        for ln in acc:
            first_letter = next((ch for ch in ln.content if ch.isalpha()), "")
            if units and first_letter.islower():
                units[-1].append(ln)
            else:
                units.append([ln])
        return units
    if len(acc) > 1:
        head, nxt = acc[0].content, acc[1].content
        fits = _title_like(head) if first else _heading_like(head)
        if fits and len(nxt) >= len(head) + 15:
            return [[acc[0]], acc[1:]]  # a title or heading directly above its paragraph
    return [acc]


def _raw(kind: str, lines: list[_Line], fmt: Fmt) -> RawBlock:
    source = " ".join(" ".join(ln.content.split()) for ln in lines)
    source = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", source)
    plain = plain_text(source) if fmt == "md" else source
    return RawBlock(
        kind,
        plain,
        markup=source if plain != source else None,
        marker=lines[0].marker,
        level=lines[0].level,
        line=lines[0].no,
        n_lines=len(lines),
    )


def _between_prose(before: RawBlock, line: RawBlock, after: RawBlock) -> bool:
    """Paragraphs ending in a stop on both sides, and a longer one after the line."""
    return (
        before.kind in ("paragraph", "list_item", "quote")
        and after.kind == "paragraph"
        and bool(bp.SENTENCE_END.search(before.text))
        and bool(bp.SENTENCE_END.search(after.text))
        and n_words(after.text) >= n_words(line.text) + 5
    )


def _layout_headings(p: Parsed, fmt: Fmt) -> None:
    """Kicker, title, and headings that are not marked up as such."""
    blocks = p.blocks
    for i in range(1, len(blocks) - 1):
        b = blocks[i]
        # A long line is a heading only where it stands between prose paragraphs, after
        # the first body block (right under the title a long line is a subtitle).
        long_ok = i >= 2 and _between_prose(blocks[i - 1], b, blocks[i + 1])
        if b.kind != "paragraph" or b.n_lines != 1 or not _heading_like(b.text, long_ok=long_ok):
            continue
        # Plain text: any short standalone line. Markdown marks headings with "#", so only a
        # line that is bold as a whole ("**Zwischentitel**", common in CMS exports) counts.
        if fmt == "txt" or (b.markup and re.fullmatch(r"(\*\*|__)[^*_]+\1", b.markup)):
            b.kind = "heading"
    if len(blocks) > 2:
        b0, b1 = blocks[0], blocks[1]
        if (
            b0.kind in ("paragraph", "heading")
            and b0.level == 0
            and b0.n_lines == 1
            and n_words(b0.text) <= 3
            and _heading_like(b0.text)
            and (b1.kind == "heading" or (b1.n_lines == 1 and _title_like(b1.text)))
            and n_words(b1.text) >= 2 * n_words(b0.text) + 1
        ):
            p.metadata["kicker"] = b0.text
            p.dropped.append(DroppedLine(b0.line, b0.text, "kicker"))
            del blocks[0]
    if blocks:
        b0 = blocks[0]
        if b0.kind == "heading" or (
            b0.kind == "paragraph" and b0.n_lines == 1 and _title_like(b0.text)
        ):
            p.title = blocks.pop(0)
    if p.title is None and p.metadata.get("title"):
        p.title = RawBlock("heading", " ".join(p.metadata["title"].split()))
