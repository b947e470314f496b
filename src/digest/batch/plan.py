"""Planning a run: which inputs, where their outputs go, which are already done.

URL inputs are fetched here, on the planning side (the Ray driver too), so that every work
item carries the content hash its cache key needs: feeds first (each becomes its items'
links, newest first, then --since and --max-items), then the pages of this shard, in
parallel within the per-host limit. Fetch failures become per-input errors.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
from collections.abc import Collection, Sequence
from pathlib import Path

from digest.batch.cache import (
    file_sha256,
    is_up_to_date,
    item_key,
    job_fingerprint,
    read_cache,
    remove_stale_temps,
)
from digest.batch.job import BatchJob, WorkItem
from digest.errors import ConfigError, InputError
from digest.ingest.feeds import FeedItem, is_feed_path, parse_feed, select_items
from digest.ingest.fetch import (
    FETCH_DIR,
    FetchCache,
    Fetcher,
    OnFetched,
    Page,
    check_url,
    is_url,
    normalise_url,
    url_slug,
    user_cache_dir,
)
from digest.ingest.web_input import WebSource
from digest.writers import get_writer, output_name

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_GLOB_CHARS = frozenset("*?[")


def _skip_path(rel: Path, path: Path, exclude: Path | None) -> bool:
    # Hidden folders (.git, caches) and our own output tree are never inputs.
    if any(part.startswith(".") for part in rel.parts):
        return True
    return exclude is not None and path.resolve().is_relative_to(exclude)


def _glob_root(pattern: str) -> Path:
    parts = Path(pattern).parts
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if _GLOB_CHARS & set(p))]]
    return Path(*fixed) if fixed else Path(".")


def list_inputs(
    inputs: Sequence[str], exclude: Path | None = None, remote: Collection[str] = ()
) -> list[tuple[str, str]]:
    """(source, rel) pairs: files as given, folders and globs recursively, '-' for stdin,
    URLs as given (``rel`` is their slug: :func:`digest.ingest.fetch.url_slug`).

    Folders are listed sorted by relative path; ``rel`` is the path relative to the folder
    (or the fixed part of a glob) and is what the output tree mirrors. A path or URL found
    twice is kept once. Missing files are kept: they fail later with a clear reason.
    ``remote`` names inputs that are links whatever they look like (a feed's relative
    link): never read from the file system, they fail as URLs.
    """
    excl = exclude.resolve() if exclude is not None else None
    found: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(source: str, rel: str) -> None:
        if source == "-":
            ident = source
        elif is_url(source) or source in remote:
            ident = normalise_url(source)
        else:
            ident = str(Path(source).resolve())
        if ident not in seen:
            seen.add(ident)
            found.append((source, rel))

    for item in inputs:
        path = Path(item)
        if item == "-":
            add("-", "stdin")
        elif is_url(item) or item in remote:
            add(item, url_slug(item))
        elif path.is_dir():
            files = [
                (p.relative_to(path), p)
                for p in path.rglob("*")
                if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file()
            ]
            for rel, p in sorted(files, key=lambda t: t[0].as_posix()):
                if not _skip_path(rel, p, excl):
                    add(str(p), rel.as_posix())
        elif not path.exists() and _GLOB_CHARS & set(item):
            root = _glob_root(item)
            for match in sorted(glob.glob(item, recursive=True)):
                p = Path(match)
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES:
                    rel = p.relative_to(root) if p.is_relative_to(root) else Path(p.name)
                    if not _skip_path(rel, p, excl):
                        add(match, rel.as_posix())
        else:
            add(item, path.name)
    if sum(1 for s, _ in found if s == "-") > 1:
        raise ConfigError("'-' (stdin) can be given only once")
    return found


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """The input files of a run, in order (kept for callers of the old runner)."""
    return [source for source, _ in list_inputs(inputs)]


def in_shard(rel: str, shard: tuple[int, int] | None) -> bool:
    """Hash-based, so adding a file never moves the others to another shard (CI caches stay)."""
    if shard is None:
        return True
    i, n = shard
    return int(hashlib.sha1(rel.encode("utf-8")).hexdigest(), 16) % n == i - 1


def _out_is_file(job: BatchJob) -> bool:
    assert job.out is not None
    ext = "." + get_writer(job.formats[0]).extension
    return len(job.formats) == 1 and job.out.suffix == ext and not job.out.is_dir()


def fetch_cache_dir(job: BatchJob) -> Path:
    """Fetched pages: beside the run cache in --out FOLDER, else the user cache folder."""
    if job.fetch.cache_dir:
        return Path(job.fetch.cache_dir)
    if job.out is not None and not _out_is_file(job):
        return job.out / FETCH_DIR
    return user_cache_dir()


def output_folder(job: BatchJob, n_files: int) -> Path | None:
    """--out as a folder (None: stdout, or --out names the single output file)."""
    if job.out is None:
        if n_files > 1 or len(job.formats) > 1:
            raise ConfigError("several inputs or formats need {out} FOLDER")
        return None
    if _out_is_file(job):
        if n_files > 1:
            raise ConfigError(f"several inputs need {{out}} FOLDER, not the file {job.out}")
        return None
    return job.out


def outputs_for(job: BatchJob, rel: str, folder: Path | None) -> tuple[Path, ...]:
    if folder is None:
        return (job.out,) if job.out is not None else ()
    parent = folder / Path(rel).parent
    return tuple(parent / output_name(rel, job.kind, fmt, job.target_lang) for fmt in job.formats)


class WebInputs:
    """The URL side of a plan: feeds expanded, pages fetched, errors kept per input."""

    def __init__(self, job: BatchJob, on_fetched: OnFetched | None = None) -> None:
        self.job = job
        self.on_fetched = on_fetched
        self.fetcher: Fetcher | None = None
        self.pages: dict[str, Page] = {}
        self.errors: dict[str, str] = {}
        self.items: dict[str, FeedItem] = {}  # item link -> its feed entry
        self.feeds = 0  # feeds expanded (maybe into no items)

    def _get_fetcher(self) -> Fetcher:
        if self.fetcher is None:
            self.fetcher = Fetcher(self.job.fetch, FetchCache(fetch_cache_dir(self.job)))
        return self.fetcher

    def fetch(self, urls: Sequence[str]) -> None:
        todo = [u for u in dict.fromkeys(urls) if u not in self.pages and u not in self.errors]
        valid = []
        for url in todo:
            try:
                valid.append(check_url(url))
            except InputError as exc:
                self.errors[url] = str(exc)
        for url, result in self._get_fetcher().fetch_all(valid, self.on_fetched).items():
            if isinstance(result, str):
                self.errors[url] = result
            else:
                self.pages[url] = result

    def expand(self, inputs: Sequence[str]) -> list[str]:
        """The inputs with every feed (URL or .xml/.rss/.atom file) replaced by its items'
        links; a feed that cannot be read stays, with its error."""
        urls = [i for i in inputs if is_url(i)]
        if urls and self.job.runtime.offline:
            raise ConfigError(
                f"{urls[0]} is a URL, but {{offline}} forbids the network: drop {{offline}} "
                "(HF_HUB_OFFLINE=1 keeps the models offline) or save the page as a file"
            )
        self.fetch(urls)
        out: list[str] = []
        for source in inputs:
            page = self.pages.get(source)
            if page is not None and page.kind == "feed":
                out += self._feed_links(source, page.body(), page.final_url)
            elif not is_url(source) and is_feed_path(source) and Path(source).is_file():
                try:
                    data = Path(source).read_bytes()
                except OSError as exc:
                    self.errors[source] = f"{source} cannot be read ({exc.strerror or exc})"
                    out.append(source)
                    continue
                links = self._feed_links(source, data, None)
                if links and self.job.runtime.offline:
                    raise ConfigError(
                        f"{source} is a feed of URLs, but {{offline}} forbids the network"
                    )
                out += links
            else:
                out.append(source)
        return out

    def _feed_links(self, source: str, data: bytes, base: str | None) -> list[str]:
        try:
            items = parse_feed(data, source, base)
        except InputError as exc:
            self.errors[source] = str(exc)
            return [source]
        self.feeds += 1
        fo = self.job.fetch
        chosen = select_items(items, max_items=fo.max_items, since=fo.since)
        for item in chosen:
            self.items.setdefault(item.link, item)
        return [item.link for item in chosen]

    def source(self, url: str) -> tuple[WebSource, str | None]:
        """The WorkItem side of a URL: its fetched page (or a stand-in) and its error."""
        item = self.items.get(url)
        page = self.pages.get(url)
        if page is None:
            return WebSource.unfetched(url, item), self.errors.get(url, f"{url}: not fetched")
        problem = None
        if page.kind != "html":
            problem = f"{url} is a feed, not an article (a feed's items are not feeds)"
            if item is None:
                problem = self.errors.get(url, f"{url}: the feed could not be read")
        return WebSource.of(page, item), problem


def plan_run(job: BatchJob, on_fetched: OnFetched | None = None) -> list[WorkItem]:
    """List the job's inputs (sorted, sharded), their outputs and cache keys; mark done ones.

    URL and feed inputs are fetched here (``on_fetched`` is told of each). Raises
    ConfigError (exit 2) for problems that concern the whole run.
    """
    for fmt in job.formats:
        get_writer(fmt)  # unknown format: fail before any work
    if job.chunk_size < 1:
        raise ConfigError("chunk size must be at least 1")
    web = WebInputs(job, on_fetched)
    inputs = web.expand(job.inputs)
    guess = job.out if job.out is not None and not job.out.suffix else None
    files = list_inputs(inputs, exclude=guess, remote=web.items)
    if not files:
        if web.feeds:
            return []  # feeds with no (new) items: nothing to do is a success
        raise ConfigError(
            f"no supported input files ({' '.join(SUPPORTED_SUFFIXES)}) in: {' '.join(job.inputs)}"
        )
    folder = output_folder(job, len(files))
    if folder is not None and guess is None:
        files = list_inputs(inputs, exclude=folder, remote=web.items)
    files = [(s, r) for s, r in files if in_shard(r, job.shard)]
    web.fetch([s for s, _ in files if is_url(s) or s in web.items])
    fingerprint = job_fingerprint(job)
    cache = {} if folder is None or job.force else read_cache(folder)
    if folder is not None:
        remove_stale_temps(folder)
    owners: dict[Path, str] = {}
    items = []
    for source, rel in files:
        outputs = outputs_for(job, rel, folder)
        clash = next((owners[p] for p in outputs if p in owners), None)
        if clash is not None:
            error = f"its output {outputs[0].name} would overwrite the output of {clash}"
            items.append(WorkItem(source, rel, outputs, "", error=error))
            continue
        owners.update(dict.fromkeys(outputs, source))
        sha = ""
        src: WebSource | None = None
        if is_url(source) or source in web.items:
            src, problem = web.source(source)
            if problem is not None:
                items.append(WorkItem(source, rel, outputs, "", error=problem, web=src))
                continue
            sha = web.pages[source].sha256
        elif source in web.errors:  # a feed file that is not a feed
            items.append(WorkItem(source, rel, outputs, "", error=web.errors[source]))
            continue
        elif source != "-":
            # Unreadable: loading reports why, with the other per-file errors.
            with contextlib.suppress(OSError):
                sha = file_sha256(Path(source))
        key = item_key(sha, fingerprint) if sha else ""
        skip = folder is not None and is_up_to_date(cache.get(rel), key, outputs, folder)
        items.append(WorkItem(source, rel, outputs, key, skip=skip, content_sha256=sha, web=src))
    return items
