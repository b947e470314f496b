"""A fetched URL (maybe a feed item) in, an :class:`Article` out, through the HTML loader.

The page bytes go through the same path as an ``.html`` file (:func:`load_article` with
``fmt="html"``); the HTTP charset label is tried before sniffing. ``Article.source`` is the
URL; where it came from (final URL after redirects, feed, item title and date) goes into
``Article.metadata``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from digest.errors import InputError
from digest.ingest.article import load_article
from digest.ingest.document import Article
from digest.ingest.feeds import FeedItem
from digest.ingest.fetch import FetchCache, Fetcher, Page, user_cache_dir
from digest.options import FetchOptions


@dataclass(frozen=True)
class WebSource:
    """A URL input of a batch run, fetched on the planning side (picklable)."""

    url: str
    final_url: str
    path: str  # the cached body
    charset: str | None
    fetch_seconds: float = 0.0
    from_cache: bool = False
    feed: str = ""
    feed_title: str = ""
    item_title: str = ""
    item_date: str = ""

    @classmethod
    def of(cls, page: Page, item: FeedItem | None = None) -> WebSource:
        return cls(
            page.url,
            page.final_url,
            page.path,
            page.charset,
            fetch_seconds=page.seconds,
            from_cache=page.from_cache,
            **_item_fields(item),
        )

    @classmethod
    def unfetched(cls, url: str, item: FeedItem | None = None) -> WebSource:
        """A URL that failed before its page was there: the report still names its origin."""
        return cls(url, url, "", None, 0.0, False, **_item_fields(item))

    def metadata(self) -> dict[str, str]:
        """What goes into Article.metadata (and the run report): only the non-empty ones."""
        meta = {
            "url": self.url,
            "fetched_url": self.final_url if self.final_url != self.url else "",
            "feed": self.feed,
            "feed_title": self.feed_title,
            "item_title": self.item_title,
            "item_date": self.item_date,
        }
        return {k: v for k, v in meta.items() if v}


def _item_fields(item: FeedItem | None) -> dict[str, str]:
    if item is None:
        return {}
    return {
        "feed": item.feed,
        "feed_title": item.feed_title,
        "item_title": item.title,
        "item_date": item.date,
    }


def load_web_article(src: WebSource) -> Article:
    try:
        data = Path(src.path).read_bytes()
    except OSError as exc:
        raise InputError(f"{src.url}: the fetched page is gone from the cache ({exc})") from None
    article = load_article(src.url, data=data, fmt="html", charset=src.charset)
    meta = dict(article.metadata)
    if "url" in meta and meta["url"] != src.url:
        meta["canonical_url"] = meta.pop("url")  # the page's own <link rel=canonical>
    meta.update(src.metadata())
    date = article.date or (src.item_date[:10] if src.item_date else None)
    return dataclasses.replace(article, metadata=meta, date=date)


def fetch_article(url: str, options: FetchOptions = FetchOptions()) -> Article:
    """One URL as an Article (``digest inspect URL``), cached in the user cache folder."""
    root = Path(options.cache_dir) if options.cache_dir else user_cache_dir()
    with FetchCache.open(root, options.keep_days) as cache:
        page = Fetcher(options, cache).fetch(url)
        if page.kind != "html":
            raise InputError(f"{url} is a feed, not an article: pass one of its item links")
        return load_web_article(WebSource.of(page))
