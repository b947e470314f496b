"""Article understanding: raw bytes or text in, a structured :class:`Article` out.

Pipeline: size limit (stat before reading) -> binary check -> decode -> format -> raw blocks
(txt/md: the line parser below; HTML: :mod:`digest.html_extract`) -> boilerplate lines dropped
and recorded (:mod:`digest.boilerplate`) -> title, teaser, sections -> duplicates marked ->
``Article.text`` and offsets -> sentences (:func:`digest.segment.split_sentences`) -> length
and language checks. Every failure is an :class:`InputError` with a one-line message.

Ids
    title ``"t"``, teaser ``"lead"``, sections ``"sec1"``, ``"sec2"`` ... in reading order; the
    heading of section n is ``"h{n}"``, its blocks ``"b{n}.{k}"`` (k from 1); sentences are
    ``"{block id}.{m}"`` (m from 1): ``"t.1"``, ``"lead.2"``, ``"h2.1"``, ``"b2.3.1"``. Text
    before the first heading forms a section without heading. Title and heading blocks carry
    exactly one sentence (their whole text).

Text
    ``Article.text`` is title, teaser, then each section's heading and blocks, joined with a
    blank line (``"\\n\\n"``); block text never contains a newline. ``text[b.start:b.end] ==
    b.text`` for every block and sentence. An article without a recognisable title gets an
    empty title block at offset 0.

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
      opening with a quotation mark, not ending in an article/preposition/conjunction) that
      stand between blank lines or directly before a clearly longer line, and are followed by
      more. In Markdown such a line counts only when it is bold as a whole (``**Titel**``).
    * List items start with ``• - * – · ▪ + ◦ ‣`` or ``1.``/``1)``; numbered items need a
      neighbour numbered n-1 or n+1 so "1. FC Köln ..." stays text; a dash line continuing
      a hard-wrapped sentence in lower case stays text. Indented or lower-case lines continue
      an item.
    * ``> `` lines are quotes; a paragraph wholly inside „…“ or "…" stays a paragraph.
    * Markdown inline markup (``*x*``, ``**x**``, ``_x_``, ``[t](u)``, code spans, escapes) is
      removed from ``Block.text``; ``Block.markup`` keeps the source when it differs.
    * Dropped lines keep their 1-based source line and a reason: those of
      :func:`digest.boilerplate.classify_line`, ``comments_trailer`` (a "Kommentare" line and
      everything after it), ``kicker``, and for Markdown ``front_matter``, ``image``,
      ``link_reference`` and ``markup_comment``. HTML reasons: :mod:`digest.html_extract`.
    * Duplicates: a block whose normalised text equals an earlier one, whose 3-word-shingle
      Jaccard similarity with an earlier one is >= 0.85, or (8+ words, not the teaser) which
      is wholly contained in another block gets ``duplicate_of`` = that block's id.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from digest import boilerplate as bp
from digest.document import Article, Block, BlockKind, DroppedLine, Section, Sentence
from digest.errors import InputError
from digest.segment import split_sentences

Fmt = Literal["txt", "md", "html"]
_EXTENSIONS: dict[str, Fmt] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True)
class ArticleLimits:
    max_bytes: int = 5_000_000  # larger input -> InputError naming the size and the limit
    min_words: int = 5  # body words (title and headings excluded)


# -- loading ---------------------------------------------------------------------------------


def load_article(
    source: str | os.PathLike[str],
    *,
    data: bytes | None = None,
    fmt: Fmt | None = None,
    limits: ArticleLimits = ArticleLimits(),
) -> Article:
    """Read, decode and parse one article. ``source == "-"`` reads stdin (unless ``data``)."""
    src = os.fspath(source)
    stdin = src == "-"
    name = "stdin" if stdin else src
    if fmt is None and not stdin:
        suffix = Path(src).suffix.lower()
        if suffix and suffix not in _EXTENSIONS:
            raise InputError(
                f"{name}: unsupported file type '{suffix}' "
                "(expected .txt, .md, .markdown, .html or .htm)"
            )
        fmt = _EXTENSIONS.get(suffix)
    _check_fmt(fmt, name)
    if data is None:
        data = _read_stdin(limits) if stdin else _read_file(src, limits)
    if len(data) > limits.max_bytes:
        raise _too_large(name, len(data), limits)
    if not data:
        raise InputError(f"{name} is empty (0 bytes)")
    if not data.strip():
        raise InputError(f"{name} is empty (whitespace only)")
    text, encoding = decode_bytes(data, name=name)
    return _build(
        text,
        fmt=fmt or _sniff(text),
        source=src,
        name=name,
        encoding=encoding,
        sha=hashlib.sha256(data).hexdigest(),
        limits=limits,
    )


def article_from_text(text: str, *, fmt: Fmt = "txt", source: str = "<text>") -> Article:
    """Parse already-decoded text; ``content_sha256`` is taken over its UTF-8 encoding."""
    _check_fmt(fmt, source)
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    text = _normalise_newlines(text.lstrip("\ufeff"))
    return _build(
        text, fmt=fmt, source=source, name=source, encoding="utf-8", sha=sha, limits=ArticleLimits()
    )


def _check_fmt(fmt: str | None, name: str) -> None:
    if fmt is not None and fmt not in ("txt", "md", "html"):
        raise InputError(f"{name}: unsupported format '{fmt}' (expected txt, md or html)")


def _too_large(name: str, size: int, limits: ArticleLimits, *, more: bool = False) -> InputError:
    amount = f"more than {limits.max_bytes:,}" if more else f"{size:,}"
    return InputError(f"{name} is too large ({amount} bytes; the limit is {limits.max_bytes:,})")


def _read_file(path: str, limits: ArticleLimits) -> bytes:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or exc})") from None
    if os.path.isdir(path):
        raise InputError(f"{path} is a directory, not an article file")
    # Size is checked from stat before reading, so a 50 MB file costs nothing.
    if st.st_size > limits.max_bytes:
        raise _too_large(path, st.st_size, limits)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limits.max_bytes + 1)  # pipes and devices have no st_size
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or exc})") from None
    if len(data) > limits.max_bytes:
        raise _too_large(path, len(data), limits, more=True)
    return data


def _read_stdin(limits: ArticleLimits) -> bytes:
    stream = sys.stdin
    if stream is None:
        raise InputError("stdin is not available")
    if stream.isatty():  # reading would block on the terminal: never hang
        raise InputError("stdin is a terminal; pipe an article into it or pass a file")
    data = stream.buffer.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _too_large("stdin", len(data), limits, more=True)
    return data


# -- decoding --------------------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its LE mark starts with the UTF-16 LE mark
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP/Office document"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"\x7fELF", "executable"),
    (b"7z\xbc\xaf", "7z"),
)
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.I)
_GERMAN_CHARS = frozenset("äöüÄÖÜß")
_GOOD_PUNCT = frozenset("„“”‚‘’–—…«»€°§·•")


def _cp1252_repair(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("cp1252", "replace"), err.end


codecs.register_error("digest-cp1252", _cp1252_repair)


def decode_bytes(data: bytes, *, name: str = "input") -> tuple[str, str]:
    """(text with ``\\n`` line ends, encoding name). Raises InputError for binary data.

    Order: byte-order mark -> binary signatures -> strict UTF-8 (valid UTF-8 is always taken
    as UTF-8) -> declared HTML/XML charset -> the best of cp1252, cp850 and Mac Roman by a
    German plausibility score (umlauts and „“ in sensible places versus symbols inside words
    and control characters).
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _normalise_newlines(_strict(data[len(bom) :], enc, name)), enc
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise _binary(name, kind)
    if b"\x00" in data:
        enc16 = _utf16_without_bom(data)
        if enc16 is None:
            raise _binary(name, "NUL bytes")
        text, enc = _strict(data, enc16, name), enc16
    else:
        text, enc = _decode_8bit(data, name)
    _reject_control_chars(text, name)
    return _normalise_newlines(text), enc


def _binary(name: str, kind: str) -> InputError:
    return InputError(f"{name} looks like a binary file ({kind}), not a text article")


def _strict(data: bytes, enc: str, name: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        text = data.decode(enc, "replace")
        if text.count("\ufffd") > 3:  # a stray truncated byte is tolerable, garbage is not
            raise InputError(f"{name} is not valid {enc} text") from None
        return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: ASCII letters leave NULs in every other byte."""
    head = data[:4096]
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return None
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / max(1, len(odd))
    if nul_odd > 0.3 and nul_even < 0.05:
        return "utf-16-le"
    if nul_even > 0.3 and nul_odd < 0.05:
        return "utf-16-be"
    return None


def _decode_8bit(data: bytes, name: str) -> tuple[str, str]:
    if data.isascii():
        return data.decode("ascii"), "ascii"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few stray single-byte characters: keep the UTF-8, repair the rest.
    valid = len(_UTF8_SEQ.findall(data))
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if valid and valid * 2 >= high - valid * 2:
        return data.decode("utf-8", "digest-cp1252"), "utf-8 (repaired cp1252 bytes)"
    head = data[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if declared:
        enc = declared.group(1).decode("ascii").lower()
        enc = "cp1252" if enc in ("iso-8859-1", "latin-1", "latin1", "us-ascii") else enc
        # A UTF-16/32 label on bytes without a BOM is wrong (browsers ignore it too).
        try:
            if codecs.lookup(enc).name.startswith(("utf-16", "utf-32")):
                raise LookupError(enc)
            return data.decode(enc), codecs.lookup(enc).name
        except (LookupError, UnicodeDecodeError):
            pass
    sample = data[:200_000]  # the score is a per-character loop: judge a sample
    scores = {enc: _german_score(_decode_single(sample, enc)) for enc in _SINGLE_BYTE}
    enc = max(_SINGLE_BYTE, key=lambda e: scores[e])  # ties go to cp1252, the first
    if scores[enc] < 0:
        raise InputError(
            f"{name} could not be decoded: it is not UTF-8, and as cp1252/latin-1 it is not "
            "plausible text"
        )
    return _decode_single(data, enc), enc


_SINGLE_BYTE = ("cp1252", "cp850", "mac-roman")
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _decode_single(data: bytes, enc: str) -> str:
    return _cp1252_or_latin1(data) if enc == "cp1252" else data.decode(enc)


def _cp1252_or_latin1(data: bytes) -> str:
    # cp1252 leaves five bytes undefined; as latin-1 they become C1 controls the scorer punishes.
    return data.decode("latin-1").translate(_CP1252_TABLE)


_CP1252_TABLE = {
    i: bytes([i]).decode("cp1252")
    for i in range(0x80, 0xA0)
    if i not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def _german_score(text: str) -> float:
    score = 0.0
    n = len(text)
    for i, ch in enumerate(text):
        if ch.isascii():
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if ch in _GERMAN_CHARS:
            # "äWir" is a cp1252 „ misread as cp850 ä: lower-case umlaut before a capital.
            score += 2.0 if not (ch.islower() and nxt.isupper()) else -1.0
        elif ch == "\ufffd" or 0x80 <= ord(ch) <= 0x9F:
            score -= 3.0
        elif ch in _GOOD_PUNCT:
            score += 0.5
        elif ch.isalpha():
            score -= 0.5 if (ch.islower() and nxt.isupper()) else 0.0
        elif prev.isalpha() and nxt.isalpha():
            score -= 1.5  # a symbol inside a word is the mark of a wrong code page
    return score


def _reject_control_chars(text: str, name: str) -> None:
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f\v") or ch == "\x7f")
    if bad > 3 and bad > 0.01 * len(text):
        raise _binary(name, "control characters")


def _normalise_newlines(text: str) -> str:
    return re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", text)


def _sniff(text: str) -> Fmt:
    head = text[:4096]
    lead = head.lstrip().lower()
    if lead.startswith(("<!doctype html", "<html", "<!--")) or (
        lead.startswith("<?xml") and "<html" in lead
    ):
        return "html"
    if re.match(r"<(?:head|body|meta|article|main|div|p|section|h[1-6]|title)\b", lead):
        return "html"
    tags = re.findall(r"</?(?:p|div|br|a|span|h[1-6]|li|ul|article|section|body)\b[^>]*>", head)
    if len(tags) >= 5:
        return "html"
    if re.search(r"^#{1,6}\s+\S|^---\s*$|\[[^\]\n]+\]\([^)\s]+\)|\*\*\S[^*\n]*\*\*", head, re.M):
        return "md"
    return "txt"


# -- building --------------------------------------------------------------------------------


@dataclass
class _Raw:
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
class _Parsed:
    title: _Raw | None
    blocks: list[_Raw]
    dropped: list[DroppedLine]
    date: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


_KINDS: dict[str, BlockKind] = {
    "paragraph": "paragraph",
    "list_item": "list_item",
    "quote": "quote",
    "heading": "heading",
}


def _build(
    text: str, *, fmt: Fmt, source: str, name: str, encoding: str, sha: str, limits: ArticleLimits
) -> Article:
    if not text.strip():
        raise InputError(f"{name} is empty (whitespace only)")
    parsed = _parse_html(text, name) if fmt == "html" else _parse_text(text, fmt)
    article = _assemble(parsed, source=source, fmt=fmt, encoding=encoding, sha=sha)
    body = [b for b in article.blocks if b.kind not in ("title", "heading")]
    n_words = sum(len(b.text.split()) for b in body)
    if n_words < limits.min_words:
        raise InputError(
            f"{name} is too short ({n_words} words of article text; "
            f"at least {limits.min_words} needed)"
        )
    bp.check_german(article.text, name)
    return article


def _parse_html(text: str, name: str) -> _Parsed:
    from digest.html_extract import extract_html  # lxml/trafilatura only when needed

    res = extract_html(text, name=name)
    blocks = [
        _Raw(b.kind, b.text, b.markup, b.marker, b.level, b.line, 1, b.teaser) for b in res.blocks
    ]
    title = _Raw("heading", res.title, level=1, line=res.title_line) if res.title else None
    dropped = [DroppedLine(line, t, reason) for line, t, reason in res.dropped]
    return _Parsed(title, blocks, dropped, res.date, res.metadata)


def _assemble(p: _Parsed, *, source: str, fmt: Fmt, encoding: str, sha: str) -> Article:
    body = list(p.blocks)
    teaser: _Raw | None = None
    if body and body[0].kind == "paragraph":
        # Short first paragraph = lead; a longer one still is when it stands alone before the
        # first subheading (the classic "Vorspann"), or when the page marked it as teaser.
        alone = len(body) > 1 and body[1].kind == "heading"
        limit = 150 if body[0].teaser else 100 if alone else 60
        if _n_words(body[0].text) <= limit and any(b.kind != "heading" for b in body[1:]):
            teaser = body.pop(0)
    groups: list[tuple[_Raw | None, list[_Raw]]] = []
    for raw in body:
        if raw.kind == "heading":
            groups.append((raw, []))
        else:
            if not groups:
                groups.append((None, []))
            groups[-1][1].append(raw)

    planned: list[tuple[str, BlockKind, _Raw]] = []
    if teaser is not None:
        planned.append(("lead", "teaser", teaser))
    for n, (head, items) in enumerate(groups, 1):
        if head is not None:
            planned.append((f"h{n}", "heading", head))
        planned.extend((f"b{n}.{k}", _KINDS[r.kind], r) for k, r in enumerate(items, 1))
    dups = bp.duplicates(
        [(bid, r.text, kind == "teaser") for bid, kind, r in planned if kind != "heading"]
    )

    parts: list[str] = []
    pos = 0

    def place(s: str) -> int:
        nonlocal pos
        if parts:
            pos += 2  # the "\n\n" between blocks
        start = pos
        parts.append(s)
        pos += len(s)
        return start

    title_raw = p.title or _Raw("heading", "")
    title = _block("t", "title", title_raw, place(title_raw.text) if title_raw.text else 0)
    built = {bid: _block(bid, kind, r, place(r.text), dups.get(bid)) for bid, kind, r in planned}
    sections = tuple(
        Section(
            f"sec{n}",
            built[f"h{n}"] if head is not None else None,
            tuple(built[f"b{n}.{k}"] for k in range(1, len(items) + 1)),
        )
        for n, (head, items) in enumerate(groups, 1)
    )
    return Article(
        source=source,
        format=fmt,
        encoding=encoding,
        text="\n\n".join(parts),
        title=title,
        teaser=built.get("lead"),
        sections=sections,
        dropped=tuple(sorted(p.dropped, key=lambda d: d.line)),
        date=p.date,
        content_sha256=sha,
        metadata=dict(p.metadata),
    )


def _block(bid: str, kind: BlockKind, raw: _Raw, start: int, dup: str | None = None) -> Block:
    text = raw.text
    if not text:
        spans: list[tuple[int, int]] = []
    elif kind in ("title", "heading"):
        spans = [(0, len(text))]
    else:
        spans = [(a, b) for a, b in split_sentences(text) if 0 <= a < b <= len(text)]
        spans = spans or [(0, len(text))]
    sentences = tuple(
        Sentence(f"{bid}.{m}", start + a, start + b, text[a:b]) for m, (a, b) in enumerate(spans, 1)
    )
    return Block(
        id=bid,
        kind=kind,
        start=start,
        end=start + len(text),
        text=text,
        sentences=sentences,
        markup=raw.markup,
        duplicate_of=dup,
        list_marker=raw.marker if kind == "list_item" else None,
    )


def _n_words(text: str) -> int:
    return len(text.split())


# -- txt / md -------------------------------------------------------------------------------


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


def _heading_like(s: str) -> bool:
    words = s.split()
    return (
        1 <= len(words) <= 10
        and len(s) <= 80
        and (s[0].isupper() or s[0].isdigit())
        and any(ch.isalpha() for ch in s)
        and not _END_PUNCT.search(s)
        and words[-1].lower() not in _OPEN_ENDINGS
    )


def _title_like(s: str) -> bool:
    return (
        1 <= len(s.split()) <= 25
        and len(s) <= 200
        and s[0] not in "(["
        and not s[0].islower()
        and not re.search(r"[.,;:]['\"“”«»’)]*$", s)
    )


def _parse_text(text: str, fmt: Fmt) -> _Parsed:
    src = text.split("\n")
    out = _Parsed(None, [], [])
    start = _front_matter(src, out) if fmt == "md" else 0

    def drop(no: int, s: str, reason: str) -> None:
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
            continue
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
            and _n_words(prev.content) <= 15
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


def _front_matter(src: list[str], out: _Parsed) -> int:
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


def _group(lines: list[_Line], fmt: Fmt) -> list[_Raw]:
    blocks: list[_Raw] = []
    acc: list[_Line] = []
    acc_kind = ""

    def add(raw: _Raw) -> None:
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


def _raw(kind: str, lines: list[_Line], fmt: Fmt) -> _Raw:
    source = " ".join(" ".join(ln.content.split()) for ln in lines)
    source = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", source)
    plain = _md_inline(source) if fmt == "md" else source
    return _Raw(
        kind,
        plain,
        markup=source if plain != source else None,
        marker=lines[0].marker,
        level=lines[0].level,
        line=lines[0].no,
        n_lines=len(lines),
    )


def _layout_headings(p: _Parsed, fmt: Fmt) -> None:
    """Kicker, title, and headings that are not marked up as such."""
    blocks = p.blocks
    for i in range(1, len(blocks) - 1):
        b = blocks[i]
        if b.kind != "paragraph" or b.n_lines != 1 or not _heading_like(b.text):
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
            and _n_words(b0.text) <= 3
            and _heading_like(b0.text)
            and (b1.kind == "heading" or (b1.n_lines == 1 and _title_like(b1.text)))
            and _n_words(b1.text) >= 2 * _n_words(b0.text) + 1
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
        p.title = _Raw("heading", " ".join(p.metadata["title"].split()))


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_MD_INLINE = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"<br\s*/?>", re.I), " "),
    (re.compile(r"</?(?:span|em|strong|b|i|u|a|sup|sub|mark|small)\b[^>]*>", re.I), ""),
)


def _md_inline(s: str) -> str:
    """Plain text of one Markdown block: emphasis, links, code spans and escapes removed."""
    # Escaped characters are parked in the private-use area so no rule treats them as markup.
    out = _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), s)
    for rx, rep in _MD_INLINE:
        out = rx.sub(rep, out)
    out = re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - 0xE000), out)
    return " ".join(out.split())
