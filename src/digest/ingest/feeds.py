"""RSS 2.0 / Atom bytes in, the items' article links out (newest first, resolved, unique).

Parsing is feedparser's. Each item's link is resolved against the feed's own URL (or, for a
feed file, the channel link), its fragment dropped, and repeated links are kept once (the
newest copy). ``--since`` keeps items published at or after a time; items without a date are
kept (the run cache skips what was digested before). ``--max-items`` then keeps the first N.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from digest.errors import ConfigError, InputError
from digest.ingest.fetch import normalise_url

FEED_SUFFIXES = (".xml", ".rss", ".atom")


@dataclass(frozen=True)
class FeedItem:
    link: str  # absolute when the feed allowed resolving it
    title: str
    date: str  # ISO 8601 (UTC) or ""
    timestamp: float | None  # for sorting and --since
    feed: str  # the feed's URL or path
    feed_title: str


def is_feed_path(text: str) -> bool:
    return Path(text).suffix.lower() in FEED_SUFFIXES


def parse_feed(data: bytes, source: str, base_url: str | None = None) -> list[FeedItem]:
    """The feed's items, newest first (undated ones after, in feed order), links unique.

    Raises InputError when ``data`` is not an RSS or Atom feed.
    """
    import feedparser

    headers = {"content-location": base_url} if base_url else {}
    parsed: Any = feedparser.parse(data, response_headers=headers)
    feed_title = str(parsed.feed.get("title") or "")
    base = base_url or str(parsed.feed.get("link") or "")
    items: list[FeedItem] = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        if not link:
            continue
        if base:
            link = urljoin(base, link)
        stamp = _timestamp(entry)
        date = datetime.fromtimestamp(stamp, UTC).isoformat() if stamp is not None else ""
        title = " ".join(str(entry.get("title") or "").split())
        items.append(FeedItem(link.strip(), title, date, stamp, source, feed_title))
    if not items and (parsed.get("bozo") or not parsed.get("version")):
        # A lenient parser: broken feeds with items are read; broken ones without are errors.
        why = str(parsed.get("bozo_exception") or "").splitlines()
        detail = f" ({why[0].removeprefix('<unknown>:')})" if why and why[0] else ""
        raise InputError(f"{source} is not an RSS or Atom feed{detail}")
    order = sorted(
        range(len(items)),
        key=lambda i: (items[i].timestamp is None, -(items[i].timestamp or 0.0), i),
    )
    unique: dict[str, FeedItem] = {}
    for i in order:
        unique.setdefault(normalise_url(items[i].link), items[i])
    return list(unique.values())


def _entry_link(entry: Any) -> str:
    if entry.get("link"):
        return str(entry["link"])
    for link in entry.get("links") or ():
        if link.get("href") and link.get("rel", "alternate") == "alternate":
            return str(link["href"])
    return ""


def _timestamp(entry: Any) -> float | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return float(calendar.timegm(value))  # feedparser gives UTC struct_time
    return None


def select_items(
    items: Sequence[FeedItem], *, max_items: int | None, since: float | None
) -> list[FeedItem]:
    kept = [i for i in items if since is None or i.timestamp is None or i.timestamp >= since]
    return kept[:max_items] if max_items is not None else kept


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([mhdw])")
_UNIT = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(text: str, now: float | None = None) -> float:
    """``24h``, ``90m``, ``7d``, ``2w`` (ago), or a date/time (``2026-12-01``,
    ``2026-12-01T06:00``, with or without a UTC offset; naive ones are UTC) -> UNIX time."""
    value = text.strip().lower()
    m = _DURATION.fullmatch(value)
    if m:
        return (time.time() if now is None else now) - float(m.group(1)) * _UNIT[m.group(2)]
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"{{since}} takes a duration (24h, 90m, 7d, 2w) or a date (2026-12-01), not {text!r}"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()
