"""Article understanding: raw bytes or text in, a structured :class:`Article` out.

Pipeline: size limit (stat before reading) -> binary check -> decode -> format (the file
extension, unless the content plainly is another format; stdin is sniffed) -> raw blocks
(txt/md: :mod:`digest.ingest.blocks`; HTML: :mod:`digest.ingest.html_page`) -> boilerplate
lines dropped and recorded (:mod:`digest.ingest.boilerplate`) -> title, teaser, sections
-> duplicate blocks and repeated sentences marked ->
``Article.text`` and offsets -> sentences (:func:`digest.text.sentences.split_sentences`) -> length
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
    b.text`` for every block and sentence. An article without a recognisable title line gets
    a title made from its first sentence (cut to 12 words), placed like a title, and
    ``metadata["title_derived"] = "first sentence"`` (:attr:`Article.title_derived`).

Structure rules (title, teaser, headings, lists, quotes, boilerplate, duplicates)
    Documented in :mod:`digest.ingest.blocks` (plain text and Markdown) and
    :mod:`digest.ingest.html_page` (HTML). Byte handling: :mod:`digest.ingest.charset`.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from digest.errors import InputError
from digest.ingest import boilerplate as bp
from digest.ingest.blocks import Fmt, Parsed, RawBlock, n_words, parse_text
from digest.ingest.charset import (
    check_file,
    clean_text,
    decode_bytes,
    read_file,
    read_stdin,
    strip_controls,
    too_large,
)
from digest.ingest.document import Article, Block, BlockKind, DroppedLine, Section, Sentence
from digest.text.sentences import split_sentences

# decode_bytes is re-exported: callers imported it from here before digest.ingest.charset existed.
__all__ = ["ArticleLimits", "Fmt", "article_from_text", "decode_bytes", "load_article"]

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


def check_input(source: str, limits: ArticleLimits = ArticleLimits()) -> None:
    """What can be known of an input file without reading it (type, existence, size):
    raises the InputError load_article would, so a run can refuse it before loading models."""
    if source == "-":
        return
    suffix = Path(source).suffix.lower()
    if suffix and suffix not in _EXTENSIONS:
        raise InputError(_unsupported(source, suffix))
    check_file(source, limits.max_bytes)


def _unsupported(name: str, suffix: str) -> str:
    expected = ".txt, .md, .markdown, .html or .htm"
    return f"{name}: unsupported file type '{suffix}' (expected {expected})"


def load_article(
    source: str | os.PathLike[str],
    *,
    data: bytes | None = None,
    fmt: Fmt | None = None,
    limits: ArticleLimits = ArticleLimits(),
    charset: str | None = None,
) -> Article:
    """Read, decode and parse one article. ``source == "-"`` reads stdin (unless ``data``).

    ``charset`` is a transport's label (an HTTP Content-Type charset), tried before sniffing.
    """
    src = os.fspath(source)
    stdin = src == "-"
    name = "stdin" if stdin else src
    by_name = fmt is None  # a format from the file name is a hint, an explicit one is not
    if fmt is None and not stdin:
        suffix = Path(src).suffix.lower()
        if suffix and suffix not in _EXTENSIONS:
            raise InputError(_unsupported(name, suffix))
        fmt = _EXTENSIONS.get(suffix)
    _check_fmt(fmt, name)
    if data is None:
        data = read_stdin(limits.max_bytes) if stdin else read_file(src, limits.max_bytes)
    if len(data) > limits.max_bytes:
        raise too_large(name, len(data), limits.max_bytes)
    if not data:
        raise InputError(f"{name} is empty (0 bytes)")
    if not data.strip():
        raise InputError(f"{name} is empty (whitespace only)")
    text, encoding = decode_bytes(data, name=name, declared=charset)
    note = None
    if fmt is None:
        fmt = _sniff(text)
    elif by_name:
        fmt, note = _reconcile(fmt, text, name)
    return _build(
        text,
        fmt=fmt,
        note=note,
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
    text = clean_text(text.lstrip("\ufeff"))
    return _build(
        text, fmt=fmt, source=source, name=source, encoding="utf-8", sha=sha, limits=ArticleLimits()
    )


def _check_fmt(fmt: str | None, name: str) -> None:
    if fmt is not None and fmt not in ("txt", "md", "html"):
        raise InputError(f"{name}: unsupported format '{fmt}' (expected txt, md or html)")


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


def _reconcile(fmt: Fmt, text: str, name: str) -> tuple[Fmt, str | None]:
    """The file name's format unless the content plainly is another one (a saved web page
    named .txt, a text file named .html, Markdown named .txt)."""
    found = _sniff(text)
    if fmt != "html" and found == "html" and _HTML_DOCUMENT.match(text):
        fmt_new: Fmt = "html"
    elif fmt == "html" and not _ANY_TAG.search(text[:100_000]):
        fmt_new = found
    elif fmt == "txt" and found == "md" and _strong_markdown(text[:100_000]):
        fmt_new = "md"
    else:
        return fmt, None
    suffix = Path(name).suffix or "its name"
    return fmt_new, f"read as {fmt_new}: the content is {fmt_new}, not what {suffix} suggests"


_HTML_DOCUMENT = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|\?xml)", re.I | re.S)
_ANY_TAG = re.compile(r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>|<!--")


def _strong_markdown(text: str) -> bool:
    """Two or more ``#`` heading lines plus inline links or emphasis: no plain text looks so."""
    headings = len(re.findall(r"^#{1,6}\s+\S", text, re.M))
    inline = re.search(
        r"\[[^\]\n]+\]\([^)\s]+\)|\*\*\S[^*\n]*\*\*|(?<![\w*])\*\S[^*\n]*\*(?!\w)", text
    )
    return headings >= 2 and inline is not None


# -- building --------------------------------------------------------------------------------


_KINDS: dict[str, BlockKind] = {
    "paragraph": "paragraph",
    "list_item": "list_item",
    "quote": "quote",
    "heading": "heading",
}


def _build(
    text: str,
    *,
    fmt: Fmt,
    source: str,
    name: str,
    encoding: str,
    sha: str,
    limits: ArticleLimits,
    note: str | None = None,
) -> Article:
    if not text.strip():
        raise InputError(f"{name} is empty (whitespace only)")
    if fmt != "html":
        _check_length(len(text.split()), name, limits)  # cheap: before any parsing
    parsed = _parse_html(text, name) if fmt == "html" else parse_text(text, fmt)
    if note:
        parsed.metadata["format_note"] = note
    _drop_other_languages(parsed)
    _derive_title(parsed)
    article = _assemble(parsed, source=source, fmt=fmt, encoding=encoding, sha=sha)
    body = [b for b in article.blocks if b.kind not in ("title", "heading")]
    _check_length(sum(len(b.text.split()) for b in body), name, limits)
    bp.check_german(article.text, name)
    return article


def _foreign(raw: RawBlock) -> str | None:
    """The language of a block that is plainly not German (enough words, more function
    words of another language than German ones, twice over), else None."""
    guess = bp.guess_language(raw.text)
    if guess.words >= 6 and guess.other_words >= 2 and guess.other_words > 2 * guess.german_words:
        return guess.other_lang
    return None


def _drop_other_languages(p: Parsed) -> None:
    """A German article with versions in other languages below it: the main part (the
    body up to the first other-language block) decides. When it is German, the
    other-language blocks are dropped as ``other_language`` (``metadata["other_languages"]``
    names the languages), and so is a heading left with only such blocks under it. A page
    that opens in another language is left whole for the language check to judge."""
    foreign = {
        i: lang for i, b in enumerate(p.blocks) if b.kind != "heading" and (lang := _foreign(b))
    }
    if not foreign:
        return
    main = " ".join(b.text for b in p.blocks[: min(foreign)] if b.kind != "heading")
    if n_words(main) < 10 or not bp.guess_language(main).german:
        return
    drop = dict(foreign)
    for i, b in enumerate(p.blocks):
        if b.kind != "heading":
            continue
        under = []
        for j in range(i + 1, len(p.blocks)):
            if p.blocks[j].kind == "heading":
                break
            under.append(j)
        if under and all(j in foreign for j in under):
            drop[i] = foreign[under[0]]
    for i in drop:
        b = p.blocks[i]
        p.dropped.append(DroppedLine(max(1, b.line), b.text, "other_language"))
    p.blocks = [b for i, b in enumerate(p.blocks) if i not in drop]
    p.metadata["other_languages"] = ", ".join(sorted(set(drop.values())))


# A derived title longer than this is cut at a word and ends in "…".
_DERIVED_TITLE_WORDS = 12
# Words a shortened title must not end on: "… werden zum 1. …" reads as broken, "… werden …"
# does not. Articles, prepositions, conjunctions and bare numbers or ordinals.
_OPEN_ENDINGS_TEXT = """
    der die das den dem des ein eine einen einem einer eines und oder aber sowie als wie zu zum
    zur am im an in auf aus bei mit nach von vom vor für über unter um bis seit gegen durch ohne
    ab dass weil wenn ob sich nicht rund etwa mehr
"""
_OPEN_ENDINGS = frozenset(_OPEN_ENDINGS_TEXT.split())
_NUMBER_WORD = re.compile(r"[\d.,:/%-]+")


def _derive_title(p: Parsed) -> None:
    """No title line (a file that is one long line, a corpus article stored without its
    headline): the first sentence stands in, shortened, and ``metadata["title_derived"]``
    says so. The sentence stays in the body too."""
    if p.title is not None and p.title.text:
        return
    first = next((b for b in p.blocks if b.kind != "heading" and b.text.strip()), None)
    if first is None:
        return
    head = first.text[:2000]  # the first sentence is in there; a long block is not split twice
    spans = split_sentences(head)
    sentence = head[spans[0][0] : spans[0][1]] if spans else head
    words = sentence.rstrip(".!?…:;, ").split()
    if len(words) > _DERIVED_TITLE_WORDS:
        words = words[: _DERIVED_TITLE_WORDS - 2]
        # Prefer ending at a clause border: "… über den Fluss, die …" -> "… über den Fluss …"
        commas = [k for k, w in enumerate(words) if w.endswith(",") and k >= 3]
        if commas:
            words = words[: commas[-1] + 1]
        while len(words) > 3 and (
            words[-1].rstrip(",;:").lower() in _OPEN_ENDINGS or _NUMBER_WORD.fullmatch(words[-1])
        ):
            words.pop()
        words = [*words[:-1], words[-1].rstrip(",;:"), "…"]
    p.title = RawBlock("heading", " ".join(words), line=first.line)
    p.metadata["title_derived"] = "first sentence"


def _check_length(n_words: int, name: str, limits: ArticleLimits) -> None:
    if n_words < limits.min_words:
        raise InputError(
            f"{name} is too short ({n_words} words of article text; "
            f"at least {limits.min_words} needed)"
        )


def _parse_html(text: str, name: str) -> Parsed:
    from digest.ingest.html_page import extract_html  # lxml/trafilatura only when needed

    res = extract_html(text, name=name)
    blocks = [
        RawBlock(
            b.kind,
            _clean_line(b.text),
            strip_controls(b.markup) if b.markup is not None else None,
            b.marker,
            b.level,
            b.line,
            1,
            b.teaser,
        )
        for b in res.blocks
        if _clean_line(b.text)
    ]
    title_text = _clean_line(res.title or "")
    title = RawBlock("heading", title_text, level=1, line=res.title_line) if title_text else None
    dropped = [DroppedLine(line, strip_controls(t), reason) for line, t, reason in res.dropped]
    metadata = {key: strip_controls(value) for key, value in res.metadata.items()}
    return Parsed(title, blocks, dropped, res.date, metadata)


def _clean_line(text: str) -> str:
    """Character references (``&#27;``) bring back the controls that decoding removed."""
    cleaned = strip_controls(text)
    return text if cleaned == text else " ".join(cleaned.split())


def _assemble(p: Parsed, *, source: str, fmt: Fmt, encoding: str, sha: str) -> Article:
    body = list(p.blocks)
    teaser: RawBlock | None = None
    if body and body[0].kind == "paragraph":
        # Short first paragraph = lead; a longer one still is when it stands alone before the
        # first subheading (the classic "Vorspann"), or when the page marked it as teaser.
        alone = len(body) > 1 and body[1].kind == "heading"
        limit = 150 if body[0].teaser else 100 if alone else 60
        if n_words(body[0].text) <= limit and any(b.kind != "heading" for b in body[1:]):
            teaser = body.pop(0)
    groups: list[tuple[RawBlock | None, list[RawBlock]]] = []
    for raw in body:
        if raw.kind == "heading":
            groups.append((raw, []))
        else:
            if not groups:
                groups.append((None, []))
            groups[-1][1].append(raw)

    planned: list[tuple[str, BlockKind, RawBlock]] = []
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

    title_raw = p.title or RawBlock("heading", "")
    title = _block("t", "title", title_raw, place(title_raw.text) if title_raw.text else 0)
    built = {bid: _block(bid, kind, r, place(r.text), dups.get(bid)) for bid, kind, r in planned}
    _mark_repeated_sentences(built)
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


def _mark_repeated_sentences(built: dict[str, Block]) -> None:
    """Set ``Sentence.duplicate_of`` on body sentences that repeat an earlier one (blocks
    already marked as duplicates are skipped whole)."""
    body = [b for b in built.values() if b.kind != "heading" and b.duplicate_of is None]
    repeats = bp.repeated_sentences([(s.id, s.text) for b in body for s in b.sentences])
    if not repeats:
        return
    for b in body:
        if any(s.id in repeats for s in b.sentences):
            sentences = tuple(replace(s, duplicate_of=repeats.get(s.id)) for s in b.sentences)
            built[b.id] = replace(b, sentences=sentences)


def _block(bid: str, kind: BlockKind, raw: RawBlock, start: int, dup: str | None = None) -> Block:
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
