"""Page metadata of an HTML document: title candidates, author, language, canonical URL and
the publication date (``<meta>`` tags in a fixed order of preference, then ``<time>``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from digest.ingest.boilerplate import parse_date

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_ws(text: str) -> str:
    return " ".join(_INVISIBLE.sub("", text).split())


def strip_site(title: str | None) -> str | None:
    """ "Headline | Site" -> "Headline" (only when the tail is short, like a site name)."""
    if not title:
        return None
    parts = re.split(r"\s+[|–—:-]{1,2}\s+", title)
    if len(parts) >= 2 and len(parts[-1].split()) <= 4 and len(parts[0].split()) >= 2:
        return " – ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    return title


_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "datepublished",
    "article:modified_time",
)


def page_metadata(tree: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    named: dict[str, str] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").lower()
        content = normalise_ws(m.get("content") or "")
        if key and content and key not in named:
            named[key] = content
    for src, dst in (
        ("og:title", "og_title"),
        ("author", "author"),
        ("description", "description"),
        ("og:description", "description"),
        ("og:site_name", "sitename"),
    ):
        if src in named and dst not in meta:
            meta[dst] = named[src]
    title_el = tree.find(".//title")
    if title_el is not None and normalise_ws(title_el.text_content()):
        meta["html_title"] = normalise_ws(title_el.text_content())
    lang = tree.get("lang") or ""
    if lang:
        meta["language"] = lang
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            meta["url"] = link.get("href")
    date = next((iso_date(named[k]) for k in _DATE_META if k in named), None)
    if date is None:
        for t in _iter_times(tree):
            date = iso_date(t)
            if date:
                break
    if date:
        meta["date"] = date
    return meta


def _iter_times(tree: Any) -> Iterator[str]:
    for t in tree.iter("time"):
        value = t.get("datetime") or normalise_ws(t.text_content())
        if value:
            yield value


def iso_date(value: str | None) -> str | None:
    if not value:
        return None
    return parse_date(value)
