"""Main-article extraction from an HTML page.

trafilatura (precision mode, comments off) finds the article body; its XML output keeps the
structure we need (``head`` = subheading, ``p``, ``list/item``, ``quote``, ``hi`` = emphasis).
Two gaps are filled here:

* trafilatura prunes elements whose class mentions "teaser" - on news pages that is usually the
  lead paragraph, so it is recovered from the page when it sits before the first body paragraph.
* when trafilatura finds nothing, a conservative lxml walk over ``<article>``/``<main>``/``<body>``
  collects headings, paragraphs, list items and quotes, skipping navigation, header, footer,
  aside, forms and elements whose class/id mention cookie/consent/comment/related/newsletter/
  share/nav.

Nothing disappears silently: every text run of the page that did not make it into the article
is reported as ``(line, text, reason)`` with a reason derived from where it sat (``navigation``,
``cookie_banner``, ``comments``, ``related_links``, ``footer``, ``photo_caption`` ...) or from
the line rules in :mod:`digest.ingest.boilerplate`, else ``html_boilerplate``.

Title and date: :mod:`digest.ingest.html_meta` reads the page metadata; a leading ``<h1>`` wins as
title, then og:title, then ``<title>`` without the site name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from digest.errors import InputError
from digest.ingest.boilerplate import classify_line, is_comments_header, wordset
from digest.ingest.html_meta import iso_date, normalise_ws, page_metadata, strip_site

RawKind = Literal["heading", "paragraph", "list_item", "quote"]


@dataclass
class HtmlBlock:
    kind: RawKind
    text: str
    markup: str | None = None
    level: int = 0
    marker: str | None = None
    line: int = 0
    teaser: bool = False


@dataclass
class HtmlResult:
    title: str | None
    title_line: int
    blocks: list[HtmlBlock]
    dropped: list[tuple[int, str, str]]
    date: str | None
    metadata: dict[str, str] = field(default_factory=dict)


_BLOCK_TAGS = wordset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav "
    "ol p pre section summary table tbody td tfoot th thead tr ul caption legend"
)
_SKIP_TAGS = wordset(
    "script style noscript template svg head iframe object canvas math select textarea "
    "title meta link"
)
# Ordered: the first matching rule names the reason. Matched against "class id" lowercased.
_CLASS_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cookie_banner", re.compile(r"cookie|consent|gdpr|(?:^|[-_\s])cmp(?:$|[-_\s])")),
    ("comments", re.compile(r"comment|kommentar|disqus|leserbrief")),
    ("related_links", re.compile(r"related|recommend|empfehl|more-?articles|read-?more|outbrain")),
    ("social_share", re.compile(r"share|sharing|social")),
    ("promo", re.compile(r"newsletter|subscribe|paywall|promo|signup|(?:^|[-_\s])abo")),
    (
        "advertisement",
        re.compile(r"(?:^|[-_\s])(?:ad|ads|advert\w*|anzeige|werbung|sponsor\w*)(?:$|[-_\s])"),
    ),
    ("navigation", re.compile(r"breadcrumb|(?:^|[-_\s])nav|menu|pagination|skip-?link")),
    ("photo_caption", re.compile(r"caption|bildunterschrift|(?:^|[-_\s])credit")),
    ("byline", re.compile(r"byline|author|(?:^|[-_\s])meta(?:$|[-_\s])|dateline|timestamp")),
    ("footer", re.compile(r"footer")),
    ("site_header", re.compile(r"site-?header|masthead|topbar|(?:^|[-_\s])logo")),
)
_TAG_REASONS = {
    "nav": "navigation",
    "footer": "footer",
    "figcaption": "photo_caption",
    "figure": "photo_caption",
    "aside": "sidebar",
    "form": "form",
    "header": "site_header",
}
# Reasons that make the fallback walker skip a whole subtree.
_FALLBACK_SKIP = wordset(
    "cookie_banner comments related_links social_share promo advertisement navigation "
    "photo_caption byline footer site_header sidebar form"
)
_TEASER_TOKENS = wordset(
    "teaser lead lede intro standfirst summary abstract excerpt deck subline vorspann "
    "einleitung leadtext"
)
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def norm_key(text: str) -> str:
    """Lower-case words only: robust containment checks across markup and punctuation."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def extract_html(html: str, *, name: str) -> HtmlResult:
    """Extract the article of an HTML page (see the module docstring)."""
    html = _XML_DECL.sub("", html, count=1)  # lxml refuses str input with an encoding decl.
    try:
        # huge_tree: libxml2 would otherwise silently cut documents nested deeper than 256.
        tree = lxml.html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{name} could not be parsed as HTML ({exc})") from None
    try:
        units = _units(tree)
    except RecursionError:
        raise InputError(f"{name}: the HTML is nested too deeply to read") from None
    meta = page_metadata(tree)
    blocks, traf_meta = _trafilatura_blocks(html)
    extractor = "trafilatura"
    if sum(len(b.text.split()) for b in blocks if b.kind != "heading") < 5:
        blocks, extractor = _fallback_blocks(tree), "lxml"
    meta["extractor"] = extractor
    for key in ("author", "description"):  # trafilatura's sitename guess is often the title
        if traf_meta.get(key) and key not in meta:
            meta[key] = traf_meta[key]
    line_of = {norm_key(u.text): u.line for u in units}
    for b in blocks:
        b.line = line_of.get(norm_key(b.text)) or _find_line(html, b.text)

    dropped: list[tuple[int, str, str]] = []
    blocks = _drop_leftovers(blocks, dropped)
    _recover_teaser(tree, blocks, units)
    title, title_line = _choose_title(tree, blocks, meta, traf_meta, html)

    kept = " " + " ".join(norm_key(t) for t in [title or "", *(b.text for b in blocks)]) + " "
    # Units whose text was already reported by _drop_leftovers, counted so that a second
    # "Anzeige" elsewhere on the page is still reported.
    already = Counter(norm_key(text) for _, text, _ in dropped)
    block_keys = {norm_key(t) for t in [title or "", *(b.text for b in blocks)]}
    budget = 2_000_000_000  # character comparisons; bounds the containment scan on huge pages
    for unit in units:
        key = norm_key(unit.text)
        if already[key] > 0:
            already[key] -= 1
            continue
        if not key or key in block_keys:
            continue
        # Word-bounded containment, and only for runs of 4+ words: a one-word menu entry
        # ("Fußball") occurs in the article by chance and must still be reported.
        budget -= len(kept)
        if budget > 0 and len(key.split()) >= 4 and f" {key} " in kept:
            continue
        dropped.append((unit.line, unit.text, _reason_for(unit.el, unit.text)))
    dropped.sort(key=lambda d: d[0])
    date = meta.pop("date", None) or iso_date(traf_meta.get("date"))
    return HtmlResult(title, title_line, blocks, dropped, date, meta)


# -- page walking ---------------------------------------------------------------------------


@dataclass
class _Unit:
    el: Any  # lxml element owning this text run
    text: str
    line: int


def _tag(el: Any) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


def _units(root: Any) -> list[_Unit]:
    """Every text run of the page, owned by its nearest block-level element."""
    out: list[_Unit] = []

    def collect(el: Any, parts: list[str]) -> None:
        for child in el:
            tag = _tag(child)
            if tag is None or tag in _SKIP_TAGS:
                pass
            elif tag in _BLOCK_TAGS:
                visit(child)
            elif tag == "br":
                parts.append(_LB)
            else:
                parts.append(child.text or "")
                collect(child, parts)
            parts.append(child.tail or "")

    def visit(el: Any) -> None:
        parts = [el.text or ""]
        slot = len(out)
        collect(el, parts)
        runs = _PARAGRAPH_BREAK.split("".join(parts))  # <br><br> separates runs, as in _emit
        texts = [normalise_ws(run.replace(_LB, " ")) for run in runs]
        out[slot:slot] = [_Unit(el, text, el.sourceline or 0) for text in texts if text]

    body = root.find("body")
    visit(body if body is not None else root)
    return out


def _class_id(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def _reason_for(el: Any, text: str) -> str:
    """Why a text run of the page is not part of the article."""
    node = el
    while node is not None and _tag(node) not in ("body", "html"):
        ci = _class_id(node)
        for reason, rule in _CLASS_RULES:
            if rule.search(ci):
                return reason
        tag = _tag(node)
        if tag in _TAG_REASONS and not (tag == "header" and _inside(node, ("article", "main"))):
            return _TAG_REASONS[tag]
        node = node.getparent()
    return classify_line(text) or "html_boilerplate"


def _inside(el: Any, tags: tuple[str, ...]) -> bool:
    node = el.getparent()
    while node is not None:
        if _tag(node) in tags:
            return True
        node = node.getparent()
    return False


def _find_line(html: str, text: str) -> int:
    probe = text[:40]
    pos = html.find(probe) if probe else -1
    return html.count("\n", 0, pos) + 1 if pos >= 0 else 0


# -- trafilatura -----------------------------------------------------------------------------


def _trafilatura_blocks(html: str) -> tuple[list[HtmlBlock], dict[str, str]]:
    import trafilatura  # imported lazily: it costs ~0.4 s and only HTML needs it
    from trafilatura.settings import use_config

    config = use_config()
    # The extensive search guesses dates from body text; we only trust declared dates.
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    try:
        doc = trafilatura.bare_extraction(
            html,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_formatting=True,
            include_links=True,  # kept as Markdown in HtmlBlock.markup (translations keep them)
            with_metadata=True,
            config=config,
        )
    except Exception:  # a crash inside the third-party extractor falls back to our walker
        return [], {}
    if doc is None or isinstance(doc, dict):
        return [], {}
    meta = {
        key: str(getattr(doc, key))
        for key in ("title", "author", "date", "sitename", "description")
        if getattr(doc, key, None)
    }
    blocks: list[HtmlBlock] = []
    _tei_walk(doc.body, blocks)
    return blocks, meta


def _tei_walk(el: Any, out: list[HtmlBlock]) -> None:
    for child in el:
        tag = _tag(child)
        if tag == "head":
            level = re.sub(r"\D", "", child.get("rend") or "") or "2"
            _emit(out, "heading", child, level=int(level))
        elif tag == "list":
            _tei_list(child, out)
        elif tag == "quote":
            _tei_quote(child, out)
        elif tag == "table":
            for row in child.iter("row"):
                cells = [normalise_ws("".join(c.itertext())) for c in row.iter("cell")]
                text = " | ".join(c for c in cells if c)
                if text:
                    out.append(HtmlBlock("list_item", text, marker="-"))
        elif tag in ("div", "section", "body"):
            _tei_walk(child, out)
        elif tag is not None and tag != "graphic":
            _emit(out, "paragraph", child)
        if child.tail and child.tail.strip():
            out.append(HtmlBlock("paragraph", normalise_ws(child.tail)))


_LIST = frozenset({"list"})


def _tei_list(lst: Any, out: list[HtmlBlock]) -> None:
    ordered = (lst.get("rend") or "").lower() == "ol"
    for n, item in enumerate(lst.iterchildren("item"), 1):
        # The item's own text first, then its sub-list as further items.
        _emit(out, "list_item", item, marker=f"{n}." if ordered else "-", skip=_LIST)
        for sub in item.iterchildren("list"):
            _tei_list(sub, out)


def _tei_quote(quote: Any, out: list[HtmlBlock]) -> None:
    if not any(_tag(c) in ("p", "list", "quote") for c in quote):
        _emit(out, "quote", quote)
        return
    if quote.text and quote.text.strip():
        out.append(HtmlBlock("quote", normalise_ws(quote.text)))
    for child in quote:
        if _tag(child) == "list":
            for item in child.iter("item"):
                _emit(out, "quote", item)
        else:
            _emit(out, "quote", child)
        if child.tail and child.tail.strip():  # e.g. the <cite> attribution after the quote
            out.append(HtmlBlock("quote", normalise_ws(child.tail)))


_EMPHASIS = {"#b": "**", "#i": "*", "#t": "`"}
_LB = "\uffff"  # stands for <br> while text is collected (a noncharacter: never in input)
_PARAGRAPH_BREAK = re.compile(f"{_LB}\\s*{_LB}[\\s{_LB}]*")


def _inline(el: Any, *, skip: frozenset[str] = frozenset()) -> tuple[str, str]:
    """(plain text, Markdown) of an element's inline content; emphasis becomes ** / *."""
    plain, md = [el.text or ""], [el.text or ""]
    for child in el:
        tag = _tag(child)
        if tag == "lb":
            plain.append(_LB)
            md.append(_LB)
        elif tag is not None and tag not in skip:
            p, m = _inline(child)
            mark = _EMPHASIS.get(child.get("rend") or "", "") if tag == "hi" else ""
            if mark and m.strip():
                lead, core, trail = _split_ws(m)
                m = f"{lead}{mark}{core}{mark}{trail}"
            url = (child.get("target") or "") if tag == "ref" else ""
            if url.startswith(("http://", "https://")) and m.strip() and "](" not in m:
                lead, core, trail = _split_ws(m)
                m = f"{lead}[{core}]({url.replace(')', '%29')}){trail}"
            plain.append(p)
            md.append(m)
        plain.append(child.tail or "")
        md.append(child.tail or "")
    return "".join(plain), "".join(md)


def _split_ws(s: str) -> tuple[str, str, str]:
    core = s.strip()
    start = s.find(core)
    return s[:start], core, s[start + len(core) :]


def _emit(
    out: list[HtmlBlock],
    kind: RawKind,
    el: Any,
    *,
    level: int = 0,
    marker: str = "",
    skip: frozenset[str] = frozenset(),
) -> None:
    plain, md = _inline(el, skip=skip)
    # Pages without <p> separate paragraphs by <br><br>; a single <br> is just a space.
    texts, marks = _PARAGRAPH_BREAK.split(plain), _PARAGRAPH_BREAK.split(md)
    if len(marks) != len(texts):  # emphasis spanning a break: keep the text, drop the markup
        marks = texts
    for p, m in zip(texts, marks, strict=True):
        text, markup = normalise_ws(p.replace(_LB, " ")), normalise_ws(m.replace(_LB, " "))
        if text:
            out.append(
                HtmlBlock(kind, text, markup if markup != text else None, level, marker or None)
            )


# -- fallback walker -------------------------------------------------------------------------


def _fallback_blocks(tree: Any) -> list[HtmlBlock]:
    root = _content_root(tree)
    out: list[HtmlBlock] = []
    for unit in _units(root):
        el = unit.el
        if _skipped(el, root):
            continue
        tag = _tag(el) or ""
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            out.append(HtmlBlock("heading", unit.text, level=int(tag[1])))
        elif tag == "li":
            parent = el.getparent()
            ordered = parent is not None and _tag(parent) == "ol"
            pos = [c for c in parent if _tag(c) == "li"].index(el) + 1 if ordered else 0
            out.append(HtmlBlock("list_item", unit.text, marker=f"{pos}." if ordered else "-"))
        elif tag == "blockquote" or _inside(el, ("blockquote",)):
            out.append(HtmlBlock("quote", unit.text))
        elif tag in ("p", "div", "section", "article", "main", "dd", "pre", "td", "body"):
            out.append(HtmlBlock("paragraph", unit.text))
    return out


def _content_root(tree: Any) -> Any:
    articles = tree.xpath("//article")
    if articles:
        return max(articles, key=lambda a: len(normalise_ws(a.text_content())))
    for xp in ("//main", "//*[@role='main']", "//body"):
        found = tree.xpath(xp)
        if found:
            return found[0]
    return tree


def _skipped(el: Any, root: Any) -> bool:
    node = el
    while node is not None:
        tag = _tag(node)
        if tag in ("nav", "footer", "aside", "form", "figure", "figcaption", "button"):
            return True
        if tag == "header" and not _inside(node, ("article",)):
            return True
        ci = _class_id(node)
        if any(reason in _FALLBACK_SKIP and rule.search(ci) for reason, rule in _CLASS_RULES):
            return True
        if node is root:
            return False
        node = node.getparent()
    return False


# -- cleanup, teaser, title, metadata --------------------------------------------------------


def _drop_leftovers(
    blocks: list[HtmlBlock], dropped: list[tuple[int, str, str]]
) -> list[HtmlBlock]:
    """Apply the line rules to extracted blocks; a "Kommentare" heading ends the article."""
    kept: list[HtmlBlock] = []
    trailer = False
    for b in blocks:
        if trailer or (kept and b.kind in ("heading", "paragraph") and is_comments_header(b.text)):
            trailer = True
            dropped.append((b.line, b.text, "comments_trailer"))
            continue
        reason = classify_line(b.text) if b.kind != "quote" else None
        if reason in ("byline", "dateline") and b.kind == "list_item":
            reason = None  # a dated list entry is content
        if reason:
            dropped.append((b.line, b.text, reason))
        else:
            kept.append(b)
    return kept


def _recover_teaser(tree: Any, blocks: list[HtmlBlock], units: list[_Unit]) -> None:
    """Mark or re-insert the page's lead paragraph (see the module docstring)."""
    order = {el: i for i, el in enumerate(tree.iter())}
    first_body = next((b for b in blocks if b.kind == "paragraph"), None)
    first_pos = None
    if first_body is not None:
        key = norm_key(first_body.text)
        first_pos = next((order.get(u.el) for u in units if norm_key(u.text) == key), None)
    for el in tree.iter("p", "div", "section", "span", "strong"):
        tokens = set(re.split(r"[\s_\-]+", _class_id(el)))
        if not tokens & _TEASER_TOKENS or _skipped_region(el):
            continue
        if el.xpath(".//h1|.//h2|.//h3|.//ul|.//ol"):
            continue  # a wrapper around headline or lists is not the lead paragraph
        text = normalise_ws(el.text_content())
        n_words = len(text.split())
        link_text = sum(len(normalise_ws(a.text_content())) for a in el.iter("a"))
        if not 8 <= n_words <= 150 or link_text > 0.5 * len(text):
            continue
        if first_pos is not None and order.get(el, 0) > first_pos:
            return
        key = norm_key(text)
        for b in blocks:
            if norm_key(b.text) == key:
                b.teaser = True
                return
        at = 1 if blocks and blocks[0].kind == "heading" and blocks[0].level == 1 else 0
        blocks.insert(at, HtmlBlock("paragraph", text, line=el.sourceline or 0, teaser=True))
        return


def _skipped_region(el: Any) -> bool:
    node = el
    while node is not None:
        if _tag(node) in ("nav", "aside", "footer", "form"):
            return True
        ci = _class_id(node)
        if any(
            r in ("related_links", "comments", "navigation") and p.search(ci)
            for r, p in _CLASS_RULES
        ):
            return True
        node = node.getparent()
    return False


def _choose_title(
    tree: Any, blocks: list[HtmlBlock], meta: dict[str, str], traf: dict[str, str], html: str
) -> tuple[str | None, int]:
    """The visible headline (leading <h1>) wins; page metadata is the fallback."""
    for i, b in enumerate(blocks[:3]):
        if b.kind == "heading" and b.level == 1:
            del blocks[i]
            meta["title_source"] = "h1"
            return b.text, b.line
    h1s = [normalise_ws(h.text_content()) for h in tree.iter("h1")]
    h1s = [h for h in h1s if h]
    in_article = tree.xpath("//article//h1")
    if in_article or len(h1s) == 1:
        el = in_article[0] if in_article else next(tree.iter("h1"))
        text = normalise_ws(el.text_content())
        if text:
            meta["title_source"] = "h1"
            return text, el.sourceline or 0
    candidates = (
        ("og:title", meta.get("og_title")),
        ("title", strip_site(meta.get("html_title"))),
        ("trafilatura", traf.get("title")),
    )
    for source, title in candidates:
        if title:
            meta["title_source"] = source
            return title, _find_line(html, title)
    return None, 0
