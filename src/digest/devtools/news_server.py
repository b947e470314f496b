"""A real HTTP server on 127.0.0.1 serving German news pages and feeds (tests, benchmarks).

Routes are plain records (status, headers, body, a delay before answering, a body size to
stream); the server counts requests per path and honours ``If-None-Match`` for routes with
an ETag, so cache behaviour can be checked from the outside.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the answer starts
    stream_bytes: int = 0  # > 0: stream this many bytes of filler instead of ``body``
    chunk_delay: float = 0.0  # seconds between streamed chunks (a trickling server)
    etag: str | None = None


class NewsServer:
    """``with NewsServer() as srv: srv.add("/a.html", Route(...)); srv.url("/a.html")``."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.agents: set[str] = set()  # User-Agent headers seen
        self.inflight: Counter[str] = Counter()  # requests being answered, per Host header
        self.max_inflight: Counter[str] = Counter()  # the most at once, per Host header
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet

            def do_GET(self) -> None:
                server._answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("#")[0]
        with self.lock:
            self.hits[path] += 1
            self.agents.add(h.headers.get("User-Agent", ""))
            host = h.headers.get("Host", "").rsplit(":", 1)[0]
            self.inflight[host] += 1
            self.max_inflight[host] = max(self.max_inflight[host], self.inflight[host])
        try:
            self._send(h, path)
        finally:
            with self.lock:
                self.inflight[host] -= 1

    def _send(self, h: BaseHTTPRequestHandler, path: str) -> None:
        route = self.routes.get(path)
        if route is None:
            route = Route(b"<html><body>Nicht gefunden</body></html>", status=404)
        if route.delay:
            time.sleep(route.delay)
        try:
            if route.etag and h.headers.get("If-None-Match") == route.etag:
                h.send_response(304)
                h.send_header("ETag", route.etag)
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            h.send_response(route.status)
            h.send_header("Content-Type", route.content_type)
            if route.etag:
                h.send_header("ETag", route.etag)
            for name, value in route.headers.items():
                h.send_header(name, value)
            if route.stream_bytes:
                # No Content-Length: the client must stop reading by itself.
                h.send_header("Connection", "close")
                h.end_headers()
                chunk = b"<p>" + b"Viel Text ohne Ende. " * 3000 + b"</p>\n"
                sent = 0
                while sent < route.stream_bytes:
                    h.wfile.write(chunk)
                    h.wfile.flush()
                    sent += len(chunk)
                    time.sleep(route.chunk_delay)
                return
            if "Content-Length" not in route.headers:  # a route may declare a false one
                h.send_header("Content-Length", str(len(route.body)))
            h.end_headers()
            h.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: that is what the size cap does

    def __enter__(self) -> NewsServer:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- German news pages and feeds -------------------------------------------------------------

_TOWNS = ["Bamberg", "Schwerin", "Lörrach", "Hildesheim", "Jena", "Zwickau", "Husum", "Landau"]
_TOPICS = [
    ("Stadtwerke senken die Gaspreise", "die Stadtwerke", "den Gaspreis", "Haushalte"),
    ("Neue Buslinie verbindet die Ortsteile", "der Verkehrsverbund", "die Buslinie", "Pendler"),
    ("Gymnasium bekommt eine neue Mensa", "der Kreistag", "den Bau der Mensa", "Schüler"),
    ("Hochwasserschutz am Fluss wird verstärkt", "das Land", "den Deich", "Anwohner"),
    ("Freibad öffnet nach der Sanierung früher", "die Bäderbetriebe", "das Freibad", "Familien"),
    ("Krankenhaus stellt mehr Pflegekräfte ein", "die Klinikleitung", "die Station", "Patienten"),
]


def german_article(i: int) -> tuple[str, list[str]]:
    """(title, paragraphs) of a short local-news article; ``i`` varies town, topic, figures."""
    rnd = random.Random(i)
    town = rnd.choice(_TOWNS)
    title, who, what, group = rnd.choice(_TOPICS)
    money, share, year = rnd.randint(2, 60), rnd.randint(5, 30), rnd.randint(2027, 2031)
    return f"{title} in {town}", [
        f"In {town} hat {who} am Dienstag Pläne vorgestellt, die {what} betreffen. "
        f"Nach Angaben der Verwaltung kostet das Vorhaben rund {money} Millionen Euro.",
        f"Die Arbeiten sollen im Frühjahr beginnen und bis {year} abgeschlossen sein. "
        f"Der Bürgermeister sprach von einem wichtigen Schritt für die ganze Region.",
        "Kritik kommt von der Opposition im Stadtrat. Sie hält die Kosten für zu hoch und "
        "verlangt eine genaue Prüfung, bevor weitere Aufträge vergeben werden.",
        f"Viele {group} begrüßen die Entscheidung dagegen. Eine Umfrage ergab, dass "
        f"{share} Prozent der Befragten das Projekt für dringend halten.",
    ]


def german_page(i: int, *, charset: str = "utf-8", published: datetime | None = None) -> bytes:
    """A news page as a site would serve it: navigation, the article, a footer."""
    title, paragraphs = german_article(i)
    date = (published or datetime(2026, 12, 1, 6, 0, tzinfo=UTC)).isoformat()
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f'<!DOCTYPE html>\n<html lang="de"><head><meta charset="{charset}">'
        f"<title>{escape(title)} | Lokalzeitung</title>"
        f'<meta property="article:published_time" content="{date}"></head><body>'
        '<nav><a href="/">Startseite</a> <a href="/politik">Politik</a></nav>'
        f"<article><h1>{escape(title)}</h1>\n{body}\n</article>"
        "<footer>Impressum · Datenschutz · Kontakt</footer></body></html>"
    )
    return html.encode(charset)


def rss_feed(items: list[tuple[str, str, datetime | None]], *, link: str = "") -> bytes:
    """RSS 2.0 from (link, title, published) items, in the given order."""
    entries = []
    for href, title, when in items:
        date = f"<pubDate>{format_datetime(when)}</pubDate>" if when else ""
        entries.append(
            f"<item><title>{escape(title)}</title><link>{escape(href)}</link>{date}</item>"
        )
    channel_link = f"<link>{escape(link)}</link>" if link else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Lokalzeitung – Nachrichten</title>{channel_link}"
        "<description>Neues aus der Region</description>" + "".join(entries) + "</channel></rss>\n"
    ).encode()


def atom_feed(items: list[tuple[str, str, datetime]]) -> bytes:
    """Atom 1.0 from (link, title, updated) items."""
    entries = "".join(
        f'<entry><title>{escape(title)}</title><link href="{escape(href)}"/>'
        f"<id>{escape(href)}</id><updated>{when.isoformat()}</updated></entry>"
        for href, title, when in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Regionalblatt</title><id>urn:regionalblatt</id>"
        f"<updated>2026-12-01T08:00:00+00:00</updated>{entries}</feed>\n"
    ).encode()
