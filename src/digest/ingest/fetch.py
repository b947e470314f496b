"""URLs in, cached page bytes out: HTTP(S) fetching with caps, a polite pool and a page cache.

Fetching: ``requests`` with a User-Agent naming digest, http/https only, a connect and read
timeout (the whole response within three times that), a redirect cap, and a size cap that
stops reading mid-stream. 4xx/5xx answers, network errors and content that is neither HTML
nor a feed are :class:`FetchError` (an :class:`InputError`: one line naming the URL).

Cache: bodies are stored content-addressed (``pages/<sha[:2]>/<sha256>``) with one small JSON
record per URL (``urls/<hash>.json``: final URL, Content-Type, ETag/Last-Modified, sha256,
when it was last checked and last used). A cached *page* is reused without any request for
:data:`PAGE_FRESH_SECONDS`; after that, and for *feeds* always, the request is conditional
(If-None-Match / If-Modified-Since), so an unchanged resource costs a 304 and no body.
``refetch`` ignores the cache (what is fetched is stored again). A run opens the cache with
:meth:`FetchCache.open`: temp files of killed writes go, and records unused for
``keep_days`` days and the bodies no record needs any more are pruned
(:mod:`digest.ingest.fetch_upkeep`).

Politeness: at most ``per_host`` requests in flight per host, and request starts on one host
at least ``delay`` seconds apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
import time
import unicodedata
import weakref
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from digest.errors import InputError
from digest.ingest.charset import too_large
from digest.ingest.fetch_upkeep import open_cache
from digest.options import FetchOptions

PAGE_FRESH_SECONDS = 24 * 3600  # a cached article page is trusted this long without a request
FETCH_DIR = ".digest-fetch"  # under --out, next to the run cache
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
XML_TYPES = frozenset({"text/xml", "application/xml", ""})  # a feed or a page: sniffed
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
_FEED_HEAD = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.I)
_HTML_HEAD = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.I)
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\"\)]+)")


class FetchError(InputError):
    """A URL could not be fetched as an article or feed (network, HTTP status, type, size)."""


def user_agent() -> str:
    from digest.results import digest_version

    return f"digest/{digest_version()} (German news digest tool; python-requests)"


def is_url(text: str) -> bool:
    """Anything of the form ``scheme://...``: refused later unless http or https."""
    return bool(_SCHEME.match(text))


def check_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL with a host; else a one-line FetchError."""
    m = _SCHEME.match(url)
    if not m:
        raise FetchError(f"{url}: not an absolute URL (expected http:// or https://)")
    if m.group(1).lower() not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched, not {m.group(1)}:")
    try:
        host = urlsplit(url).hostname
    except ValueError as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})") from None
    if not host:
        raise FetchError(f"{url}: the URL has no host")
    return url


def normalise_url(url: str) -> str:
    """The identity of a URL: scheme and host lower case, the fragment dropped."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_SLUG_MAX = 60


def url_slug(url: str) -> str:
    """A file stem for a URL: ``host-last-path-words-<8 hex>``; only ``[a-z0-9-]``, so it can
    never leave the output folder (no ``/``, no ``..``, no dots at all) and never is empty.

    The hash is over the normalised URL: the same article gives the same name in every run.
    """
    norm = normalise_url(url)
    digest = hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    try:
        parts = urlsplit(norm)
        words = [(parts.hostname or "").removeprefix("www.")]
        path = unquote(parts.path)
    except ValueError:
        words, path = [], ""
    segments = [s for s in path.split("/") if s and s not in (".", "..")]
    segments = [re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", s, flags=re.I) for s in segments]
    words += segments[-2:]  # the article's own name sits at the end of the path
    text = unicodedata.normalize("NFKD", "-".join(words).lower().translate(_TRANSLIT))
    text = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-")
    text = text[:_SLUG_MAX].rstrip("-")
    return f"{text}-{digest}" if text else f"url-{digest}"


# -- pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A fetched resource, its body kept in the cache at ``path``."""

    url: str  # as requested
    final_url: str  # after redirects
    content_type: str  # media type, lower case, no parameters
    charset: str | None  # from the Content-Type header
    sha256: str
    path: str  # absolute path of the cached body
    kind: str  # "html" or "feed"
    seconds: float = 0.0  # time spent on the network (0 when served from the cache)
    from_cache: bool = False

    def body(self) -> bytes:
        return Path(self.path).read_bytes()


def content_kind(content_type: str, body: bytes, url: str) -> str:
    """'html' or 'feed' from the media type (sniffed when it is generic XML or missing)."""
    if content_type in HTML_TYPES:
        return "html"
    if content_type in FEED_TYPES:
        return "feed"
    if content_type in XML_TYPES or content_type == "text/plain":
        head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
        if _FEED_HEAD.search(head):
            return "feed"
        if _HTML_HEAD.search(head):
            return "html"
    shown = content_type or "none"
    raise FetchError(f"{url}: not an HTML page or an RSS/Atom feed (Content-Type: {shown})")


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class FetchCache:
    """Content-addressed page bodies plus one record per URL (see the module docstring).

    ``FetchCache(root)`` only reads and writes; :meth:`open` is the one a run uses.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._release: Callable[[], object] = lambda: None

    @classmethod
    def open(cls, root: Path, keep_days: float) -> FetchCache:
        """The cache for one run: tidied, pruned of what no run used for ``keep_days`` days
        (0: never) unless another run uses it now, and locked (shared) until :meth:`close`
        so that no other run prunes the pages this one hands out."""
        cache = cls(root)
        lock = open_cache(root, keep_days)
        if lock is not None:
            # Closed by close(), or when the cache is collected: never held past its use.
            cache._release = weakref.finalize(cache, os.close, lock)
        return cache

    def close(self) -> None:
        self._release()

    def __enter__(self) -> FetchCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _record_path(self, url: str) -> Path:
        key = hashlib.sha256(normalise_url(url).encode("utf-8", "surrogatepass")).hexdigest()
        return self.root / "urls" / f"{key[:40]}.json"

    def blob_path(self, sha: str) -> Path:
        return self.root / "pages" / sha[:2] / sha

    def lookup(self, url: str) -> dict[str, Any] | None:
        """The record of ``url`` when its body is still there."""
        try:
            record = json.loads(self._record_path(url).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or not self.blob_path(str(record.get("sha256"))).is_file():
            return None
        return record

    def save(self, url: str, record: dict[str, Any], body: bytes | None = None) -> dict[str, Any]:
        record["used_at"] = time.time()
        if body is not None:
            record["sha256"] = hashlib.sha256(body).hexdigest()
            blob = self.blob_path(record["sha256"])
            if not blob.is_file():
                _atomic_write(blob, body)
        record["url"] = url
        _atomic_write(self._record_path(url), _record_bytes(record))
        return record

    def touch(self, url: str, record: dict[str, Any]) -> None:
        """Note a cache hit as a use (pruning goes by the last use); a cache that cannot be
        written only loses the note."""
        record["used_at"] = time.time()
        with contextlib.suppress(OSError):
            _atomic_write(self._record_path(url), _record_bytes(record))

    def page(self, record: dict[str, Any], *, seconds: float, from_cache: bool) -> Page:
        return Page(
            url=record["url"],
            final_url=record.get("final_url") or record["url"],
            content_type=record.get("content_type", ""),
            charset=record.get("charset"),
            sha256=record["sha256"],
            path=str(self.blob_path(record["sha256"]).resolve()),
            kind=record.get("kind", "html"),
            seconds=round(seconds, 4),
            from_cache=from_cache,
        )


def _record_bytes(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")


def user_cache_dir() -> Path:
    """Where fetched pages go when a run has no output folder: $XDG_CACHE_HOME/digest/fetch."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "digest" / "fetch"


# -- the client ------------------------------------------------------------------------------


class _HostGate:
    """At most ``per_host`` requests in flight, starts at least ``delay`` seconds apart."""

    def __init__(self, per_host: int, delay: float) -> None:
        self.slots = threading.BoundedSemaphore(per_host)
        self.lock = threading.Lock()
        self.delay = delay
        self.next_start = 0.0

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        with self.slots:
            with self.lock:
                now = time.monotonic()
                start = max(now, self.next_start)
                self.next_start = start + self.delay
            time.sleep(max(0.0, start - now))
            yield


OnFetched = Callable[[str, "Page | str"], None]


class Fetcher:
    """Fetches URLs through the cache; thread-safe (one requests session per thread)."""

    def __init__(self, options: FetchOptions, cache: FetchCache) -> None:
        self.options = options
        self.cache = cache
        self._local = threading.local()
        self._gates: dict[str, _HostGate] = {}
        self._gates_lock = threading.Lock()

    def _session(self) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            import requests  # only runs with URL inputs pay for the import

            session = requests.Session()
            session.max_redirects = self.options.max_redirects
            session.headers["User-Agent"] = user_agent()
            session.headers["Accept"] = (
                "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                "application/xml;q=0.9,*/*;q=0.5"
            )
            self._local.session = session
        return session

    def _gate(self, url: str) -> _HostGate:
        host = host_of(url)
        with self._gates_lock:
            if host not in self._gates:
                self._gates[host] = _HostGate(self.options.per_host, self.options.delay)
            return self._gates[host]

    def fetch(self, url: str) -> Page:
        """The page at ``url``, from the cache when it may be trusted; FetchError otherwise."""
        check_url(url)
        record = None if self.options.refetch else self.cache.lookup(url)
        if record is not None:
            age = time.time() - float(record.get("checked_at", 0))
            fresh = PAGE_FRESH_SECONDS if record.get("kind") == "html" else 0
            if age < fresh:
                self.cache.touch(url, record)
                return self.cache.page(record, seconds=0.0, from_cache=True)
        with self._gate(url).slot():
            t0 = time.perf_counter()  # the request itself, not the wait for a slot
            status, headers, final_url, body = self._get(url, record)
            seconds = time.perf_counter() - t0
        if status == 304 and record is not None:
            record["checked_at"] = time.time()
            self.cache.save(url, record)
            return self.cache.page(record, seconds=seconds, from_cache=True)
        media, charset = _content_type(headers.get("Content-Type", ""))
        kind = content_kind(media, body, url)
        new = {
            "final_url": final_url,
            "content_type": media,
            "charset": charset,
            "kind": kind,
            "etag": headers.get("ETag"),
            "last_modified": headers.get("Last-Modified"),
            "checked_at": time.time(),
        }
        return self.cache.page(self.cache.save(url, new, body), seconds=seconds, from_cache=False)

    def _get(self, url: str, record: dict[str, Any] | None) -> tuple[int, Any, str, bytes]:
        import requests

        opts = self.options
        headers = {}
        if record is not None:
            if record.get("etag"):
                headers["If-None-Match"] = record["etag"]
            if record.get("last_modified"):
                headers["If-Modified-Since"] = record["last_modified"]
        deadline = time.monotonic() + 3 * opts.timeout
        try:
            with self._session().get(
                url, headers=headers, stream=True, timeout=(opts.timeout, opts.timeout)
            ) as resp:
                if resp.status_code == 304:
                    return 304, resp.headers, resp.url, b""
                if resp.status_code >= 400:
                    reason = f" {resp.reason}" if resp.reason else ""
                    raise FetchError(f"{url}: HTTP {resp.status_code}{reason}")
                declared = resp.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > opts.max_bytes:
                    raise too_large(url, int(declared), opts.max_bytes)
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_content(chunk_size=1 << 16):
                    size += len(chunk)
                    if size > opts.max_bytes:
                        raise too_large(url, size, opts.max_bytes, more=True)
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"{url}: timed out (the page took over {3 * opts.timeout:g} s)"
                        )
                    chunks.append(chunk)
                return resp.status_code, resp.headers, resp.url, b"".join(chunks)
        except requests.exceptions.TooManyRedirects:
            raise FetchError(f"{url}: more than {opts.max_redirects} redirects") from None
        except requests.exceptions.Timeout:
            raise FetchError(f"{url}: timed out after {opts.timeout:g} s") from None
        except (requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL) as exc:
            raise FetchError(f"{url}: redirected to an unusable URL ({exc})") from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"{url}: cannot connect ({_reason(exc)})") from None

    def fetch_all(
        self, urls: Sequence[str], on_done: OnFetched | None = None
    ) -> dict[str, Page | str]:
        """Each URL's page or its one-line error, fetched in parallel within the host limits."""
        results: dict[str, Page | str] = {}
        todo = list(dict.fromkeys(urls))
        if not todo:
            return results

        def one(url: str) -> Page | str:
            try:
                return self.fetch(url)
            except InputError as exc:
                return str(exc)
            except OSError as exc:  # the cache folder, not the network
                return f"{url}: cannot keep the fetched page ({exc.strerror or exc})"

        hosts = {host_of(u) for u in todo}
        workers = max(1, min(16, len(todo), self.options.per_host * len(hosts)))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="digest-fetch")
        try:
            for url, result in zip(todo, pool.map(one, todo), strict=True):
                results[url] = result
                if on_done is not None:
                    on_done(url, result)
        finally:
            # Ctrl-C: drop the queued URLs instead of fetching them all before stopping.
            pool.shutdown(wait=False, cancel_futures=True)
        return results


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.I)
    if m:
        charset = m.group(1).lower()
    return media.strip().lower(), charset


def _reason(exc: Exception) -> str:
    """The useful tail of a requests/urllib3 error ('Connection refused'), not its repr."""
    text = str(exc)
    m = _ERRNO.search(text)
    if m:
        return m.group(1).strip()
    if "Name or service not known" in text or "NameResolutionError" in text:
        return "host not found"
    return type(exc).__name__
