"""Fetching URLs against a real HTTP server on 127.0.0.1: caps, errors, cache, charset, names."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.devtools.news_server import NewsServer, Route, atom_feed, german_page, rss_feed
from digest.errors import ConfigError, InputError
from digest.ingest.feeds import FeedItem, parse_feed, parse_since, select_items
from digest.ingest.fetch import FetchCache, Fetcher, FetchError, check_url, url_slug
from digest.ingest.web_input import WebSource, fetch_article, load_web_article
from digest.options import FetchOptions

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture()
def server() -> Iterator[NewsServer]:
    with NewsServer() as srv:
        yield srv


def fetcher(tmp_path: Path, **kw: object) -> Fetcher:
    options = FetchOptions(**{"timeout": 2.0, "delay": 0.0, **kw})  # type: ignore[arg-type]
    return Fetcher(options, FetchCache(tmp_path / "fetch"))


def test_page_is_fetched_with_our_user_agent_and_cached(server: NewsServer, tmp_path: Path) -> None:
    url = server.add("/politik/haushalt.html", Route(german_page(1)))
    f = fetcher(tmp_path)
    page = f.fetch(url)
    assert page.kind == "html" and not page.from_cache and page.body() == german_page(1)
    assert any(a.startswith("digest/") for a in server.agents)
    again = fetcher(tmp_path).fetch(url)  # a new run: the page is trusted without a request
    assert again.from_cache and again.sha256 == page.sha256
    assert server.hits["/politik/haushalt.html"] == 1
    fetcher(tmp_path, refetch=True).fetch(url)
    assert server.hits["/politik/haushalt.html"] == 2


def test_feed_is_revalidated_with_its_etag(server: NewsServer, tmp_path: Path) -> None:
    feed = rss_feed([("/a.html", "A", NOW)])
    url = server.add("/feed", Route(feed, content_type="application/rss+xml", etag='"1"'))
    first = fetcher(tmp_path).fetch(url)
    second = fetcher(tmp_path).fetch(url)  # always asked again; the answer is a 304
    assert first.kind == second.kind == "feed" and second.from_cache
    assert server.hits["/feed"] == 2 and second.sha256 == first.sha256


def test_redirects_are_followed_and_capped(server: NewsServer, tmp_path: Path) -> None:
    server.add("/ziel.html", Route(german_page(2)))
    start = server.add("/alt.html", Route(status=301, headers={"Location": "/ziel.html"}))
    page = fetcher(tmp_path).fetch(start)
    assert page.final_url == server.url("/ziel.html") and page.url == start
    for n in range(4):
        server.add(f"/kette{n}", Route(status=302, headers={"Location": f"/kette{n + 1}"}))
    server.add("/kette4", Route(german_page(3)))
    with pytest.raises(FetchError, match=r"more than 2 redirects"):
        fetcher(tmp_path, max_redirects=2).fetch(server.url("/kette0"))
    assert fetcher(tmp_path, max_redirects=5).fetch(server.url("/kette0")).kind == "html"


def test_http_errors_network_errors_and_wrong_types_are_one_line(
    server: NewsServer, tmp_path: Path
) -> None:
    f = fetcher(tmp_path)
    with pytest.raises(FetchError, match=r"/fehlt\.html: HTTP 404 Not Found$"):
        f.fetch(server.url("/fehlt.html"))
    server.add("/kaputt", Route(b"oops", status=503))
    with pytest.raises(FetchError, match=r"HTTP 503"):
        f.fetch(server.url("/kaputt"))
    server.add("/bericht.pdf", Route(b"%PDF-1.7", content_type="application/pdf"))
    with pytest.raises(FetchError, match=r"not an HTML page or an RSS/Atom feed .*application/pdf"):
        f.fetch(server.url("/bericht.pdf"))
    with pytest.raises(FetchError, match=r"cannot connect \(.*refused"):
        f.fetch("http://127.0.0.1:9/zu.html")  # discard port: nobody listens
    with pytest.raises(FetchError, match=r"only http and https URLs are fetched, not ftp:"):
        f.fetch("ftp://example.org/a.html")
    for message in (str(e) for e in f.fetch_all([server.url("/fehlt.html")]).values()):
        assert "\n" not in message


def test_slow_response_times_out(server: NewsServer, tmp_path: Path) -> None:
    url = server.add("/langsam.html", Route(german_page(4), delay=1.5))
    with pytest.raises(FetchError, match=r"timed out after 0\.3 s"):
        fetcher(tmp_path, timeout=0.3).fetch(url)


def test_trickling_response_hits_the_overall_deadline(server: NewsServer, tmp_path: Path) -> None:
    # Every read is quick (0.1 s apart), but the page never ends in time.
    url = server.add("/tropfen.html", Route(stream_bytes=3_000_000, chunk_delay=0.1))
    with pytest.raises(FetchError, match=r"timed out \(the page took over 0\.9 s\)"):
        fetcher(tmp_path, timeout=0.3).fetch(url)


def test_huge_response_is_cut_off_while_streaming(server: NewsServer, tmp_path: Path) -> None:
    url = server.add("/riesig.html", Route(stream_bytes=20_000_000))
    with pytest.raises(InputError, match=r"too large \(more than 5,000,000 bytes"):
        fetcher(tmp_path).fetch(url)
    assert not list((tmp_path / "fetch").rglob("pages/*/*"))  # nothing half-stored
    declared = server.add(
        "/gross.html", Route(b"x" * 2_000, headers={"Content-Length": "9999999999"})
    )
    with pytest.raises(InputError, match=r"too large"):
        fetcher(tmp_path).fetch(declared)


def test_per_host_limit_holds_requests_in_flight(server: NewsServer, tmp_path: Path) -> None:
    # Two host names for the one server: the limit is per host, not for the whole pool.
    paths = [f"/p{i}.html" for i in range(6)]
    for i, path in enumerate(paths):
        server.add(path, Route(german_page(i), delay=0.2))
    other = server.base.replace("127.0.0.1", "localhost")
    urls = [server.url(p) for p in paths] + [other + p for p in paths]
    results = fetcher(tmp_path, per_host=2).fetch_all(urls)
    assert all(not isinstance(r, str) for r in results.values()), results
    assert server.max_inflight == {"127.0.0.1": 2, "localhost": 2}
    server.max_inflight.clear()
    fetcher(tmp_path, per_host=3, refetch=True).fetch_all(urls[:6])
    assert server.max_inflight == {"127.0.0.1": 3}


def test_header_charset_then_meta_then_sniffing(server: NewsServer, tmp_path: Path) -> None:
    f = fetcher(tmp_path)
    # A UTF-8 page whose server claims latin-1: the bytes win.
    wrong = server.add(
        "/falsch.html", Route(german_page(5), content_type="text/html; charset=iso-8859-1")
    )
    # A cp1252 page without <meta charset>, labelled by the header only.
    bare = german_page(5, charset="cp1252").replace(b'<meta charset="cp1252">', b"")
    labelled = server.add("/cp.html", Route(bare, content_type="text/html; charset=windows-1252"))
    # A cp1252 page that the header calls UTF-8: its own <meta> decides.
    meta = server.add(
        "/meta.html",
        Route(german_page(5, charset="cp1252"), content_type="text/html; charset=utf-8"),
    )
    texts = []
    for url in (wrong, labelled, meta):
        article = load_web_article(WebSource.of(f.fetch(url)))
        texts.append(article.text)
        assert "Ã" not in article.text and "\ufffd" not in article.text
    assert texts[0] == texts[1] == texts[2]
    assert "Bürgermeister" in texts[0]


def test_urls_become_safe_stable_names() -> None:
    hostile = [
        "http://example.org/../../etc/passwd",
        "http://example.org/%2e%2e%2f%2e%2e%2fsecret",
        "https://example.org/a/b/" + "x" * 5000,
        "http://example.org/",
        "http://EXAMPLE.org/Politik/Über-Grenzen.html?id=7#kommentare",
        "http://example.org/..%5c..%5cwin.ini",
    ]
    for url in hostile:
        slug = url_slug(url)
        assert slug == url_slug(url)
        assert len(slug) <= 69 and slug.strip("-") == slug
        assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-"), slug
    assert url_slug(hostile[4]).startswith("example-org-politik-ueber-grenzen-")
    # Same article, other fragment: same name; other query: another name.
    assert url_slug("http://example.org/a.html#x") == url_slug("http://example.org/a.html")
    assert url_slug("http://example.org/a.html?p=2") != url_slug("http://example.org/a.html")
    with pytest.raises(FetchError, match="no host"):
        check_url("http:///pfad")


def test_rss_links_are_resolved_deduplicated_newest_first() -> None:
    base = "https://zeitung.example/nachrichten/feed.xml"
    data = rss_feed(
        [
            ("/artikel/alt.html", "Alt", NOW - timedelta(days=3)),
            ("neu.html", "Neu", NOW),
            ("https://zeitung.example/artikel/alt.html#kommentare", "Alt doppelt", NOW),
            ("/artikel/ohne-datum.html", "Ohne Datum", None),
            ("/artikel/mitte.html", "Mitte", NOW - timedelta(hours=5)),
        ]
    )
    items = parse_feed(data, base, base)
    assert [i.link for i in items] == [
        "https://zeitung.example/nachrichten/neu.html",
        "https://zeitung.example/artikel/alt.html#kommentare",
        "https://zeitung.example/artikel/mitte.html",
        "https://zeitung.example/artikel/ohne-datum.html",
    ]
    assert items[0].title == "Neu" and items[0].date.startswith("2026-12-01T08:00")
    assert items[0].feed_title == "Lokalzeitung – Nachrichten"
    since = (NOW - timedelta(hours=6)).timestamp()
    kept = select_items(items, max_items=None, since=since)
    assert [i.title for i in kept] == ["Neu", "Alt doppelt", "Mitte", "Ohne Datum"]
    assert [i.title for i in select_items(items, max_items=2, since=None)] == ["Neu", "Alt doppelt"]


def test_atom_feed_and_not_a_feed() -> None:
    data = atom_feed(
        [
            ("https://blatt.example/a", "Erster", NOW - timedelta(days=1)),
            ("https://blatt.example/b", "Zweiter", NOW),
        ]
    )
    items = parse_feed(data, "feed.atom")
    assert [i.title for i in items] == ["Zweiter", "Erster"]
    with pytest.raises(InputError, match=r"notiz\.xml is not an RSS or Atom feed"):
        parse_feed(b"<notiz>Einkaufen</notiz>", "notiz.xml")


def test_since_takes_durations_and_dates() -> None:
    now = NOW.timestamp()
    assert parse_since("24h", now) == now - 86400
    assert parse_since("90m", now) == now - 5400
    assert parse_since("7d", now) == now - 7 * 86400
    assert parse_since("2026-12-01", now) == datetime(2026, 12, 1, tzinfo=UTC).timestamp()
    assert parse_since("2026-12-01T06:00+01:00") == NOW.timestamp() - 3 * 3600
    with pytest.raises(ConfigError, match=r"since takes a duration"):
        parse_since("gestern")


def test_fetch_article_reads_a_url_like_an_html_file(server: NewsServer, tmp_path: Path) -> None:
    url = server.add("/wirtschaft/gas.html", Route(german_page(0)))
    article = fetch_article(url, FetchOptions(cache_dir=str(tmp_path / "c")))
    assert article.source == url and article.format == "html"
    assert article.title.text == "Hochwasserschutz am Fluss wird verstärkt in Husum"
    assert article.metadata["url"] == url
    feed = server.add("/f.xml", Route(rss_feed([]), content_type="application/rss+xml"))
    with pytest.raises(InputError, match="is a feed, not an article"):
        fetch_article(feed, FetchOptions(cache_dir=str(tmp_path / "c")))


def test_fetcher_is_safe_to_share_between_threads(server: NewsServer, tmp_path: Path) -> None:
    url = server.add("/gleich.html", Route(german_page(7)))
    f = fetcher(tmp_path, per_host=4)
    shas: list[str] = []
    threads = [threading.Thread(target=lambda: shas.append(f.fetch(url).sha256)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(shas)) == 1 and len(shas) == 4


def test_feed_item_fields_go_into_the_article(server: NewsServer, tmp_path: Path) -> None:
    undated = re.sub(rb'<meta property="article:published_time"[^>]*>', b"", german_page(3))
    url = server.add("/ohne-datum.html", Route(undated))
    moved = server.add("/kurz", Route(status=301, headers={"Location": "/ohne-datum.html"}))
    item = FeedItem(moved, "Freibad früher auf", "2026-11-30T07:00:00+00:00", 0.0, "f.xml", "Blatt")
    article = load_web_article(WebSource.of(fetcher(tmp_path).fetch(moved), item))
    assert article.source == moved and article.date == "2026-11-30"  # the page has none
    assert article.metadata["fetched_url"] == url
    assert {k: article.metadata[k] for k in ("feed", "feed_title", "item_title")} == {
        "feed": "f.xml",
        "feed_title": "Blatt",
        "item_title": "Freibad früher auf",
    }


def test_python_api_takes_a_url(server: NewsServer) -> None:
    import digest

    url = server.add("/api.html", Route(german_page(6)))
    result = digest.load(summarizer="extractive", to="de").summarize(url)
    assert result.article.source == url
    assert result.title.de == "Hochwasserschutz am Fluss wird verstärkt in Schwerin"


def test_a_cache_folder_that_cannot_be_written_fails_that_url_only(
    server: NewsServer, tmp_path: Path
) -> None:
    url = server.add("/kein-platz.html", Route(german_page(2)))
    blocked = tmp_path / "blockiert"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    results = Fetcher(FetchOptions(delay=0.0), FetchCache(blocked)).fetch_all([url])
    message = results[url]
    assert isinstance(message, str) and message.startswith(f"{url}: cannot keep the fetched page")
    assert "\n" not in message


def test_requests_to_one_host_start_a_delay_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    from digest.ingest import fetch

    waits: list[float] = []
    monkeypatch.setattr(fetch.time, "sleep", waits.append)  # record, do not wait
    gate = fetch._HostGate(per_host=4, delay=0.25)
    for _ in range(3):
        with gate.slot():
            pass
    assert waits[0] == 0.0
    assert 0.2 < waits[1] <= 0.25 and 0.45 < waits[2] <= 0.5
