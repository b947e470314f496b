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
import os
import re
import stat
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path

from digest.batch.cache import (
    cache_path,
    file_sha256,
    is_up_to_date,
    item_key,
    job_fingerprint,
    read_cache,
)
from digest.batch.job import BatchJob, WorkItem
from digest.batch.outdir import hold_folder, link_on_the_way, link_refused, remove_stale_temps
from digest.errors import ConfigError, DigestError, InputError
from digest.ingest.article import check_input
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
from digest.writers import FORMATS, get_writer, output_name
from digest.writers.base import unwritable_reason

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_GLOB_CHARS = frozenset("*?[")


def _skip_path(rel: Path, path: Path, root: Path, own: OwnOutputs | None) -> bool:
    # Hidden folders (.git, caches) and digest's own outputs are never inputs.
    if any(part.startswith(".") for part in rel.parts):
        return True
    return own is not None and own.wrote(path, root)


def _glob_root(pattern: str) -> Path:
    parts = Path(pattern).parts
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if _GLOB_CHARS & set(p))]]
    return Path(*fixed) if fixed else Path(".")


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return Path(os.path.abspath(path))


def _listable(path: Path) -> bool:
    """A folder entry that is a candidate input: any non-folder with a supported suffix.

    FIFOs, sockets and devices are listed so that loading refuses them with one line rather
    than skipping them silently; broken links are left out as before.
    """
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return False
    try:
        return not stat.S_ISDIR(path.stat().st_mode)
    except OSError:
        return False


class OwnOutputs:
    """Tells which files digest wrote, so that no run reads them as articles.

    A file is digest's if an output folder's cache (``.digest-cache.jsonl``) in one of its
    parent folders lists it, or if it lies inside --out and is named as the output of an input
    that exists (``a.digest.md`` next to ``a.txt`` when --out is the input folder). When --out
    lies inside an input folder, nothing under --out is input.
    """

    def __init__(self, out: Path | None, tags: Iterable[str]) -> None:
        self.out = _real(out) if out is not None else None
        tag = "|".join(re.escape(t) for t in tags)
        exts = "|".join(re.escape(get_writer(f).extension) for f in FORMATS)
        self._name = re.compile(rf"(.+)\.(?:{tag})\.(?:{exts})")
        self._listed: dict[Path, frozenset[str]] = {}

    def wrote(self, path: Path, root: Path) -> bool:
        real, root = _real(path), _real(root)
        if self.out is not None and real.is_relative_to(self.out):
            if self.out != root and self.out.is_relative_to(root):
                return True
            if self._named_as_output(real, root):
                return True
        return any(str(real) in self._listed_in(folder) for folder in real.parents)

    def _named_as_output(self, real: Path, root: Path) -> bool:
        assert self.out is not None
        m = self._name.fullmatch(real.name)
        if m is None:
            return False
        source_dir = root / real.parent.relative_to(self.out)
        return any((source_dir / (m.group(1) + s)).is_file() for s in SUPPORTED_SUFFIXES)

    def _listed_in(self, folder: Path) -> frozenset[str]:
        if folder not in self._listed:
            listed: set[str] = set()
            if os.path.lexists(cache_path(folder)):
                try:
                    entries = list(read_cache(folder).values())
                except DigestError:
                    entries = []  # unreadable, or a link: lists nothing
                for entry in entries:
                    for rel in entry.get("outputs") or ():
                        if isinstance(rel, str):
                            listed.add(os.path.normpath(folder / rel))
            self._listed[folder] = frozenset(listed)
        return self._listed[folder]


def list_inputs(
    inputs: Sequence[str],
    exclude: Path | None = None,
    remote: Collection[str] = (),
    own: OwnOutputs | None = None,
) -> list[tuple[str, str]]:
    """(source, rel) pairs: files as given, folders and globs recursively, '-' for stdin,
    URLs as given (``rel`` is their slug: :func:`digest.ingest.fetch.url_slug`).

    Folders are listed sorted by relative path; ``rel`` is the path relative to the folder
    (or the fixed part of a glob) and is what the output tree mirrors. A path or URL found
    twice is kept once. Missing files are kept: they fail later with a clear reason.
    ``remote`` names inputs that are links whatever they look like (a feed's relative
    link): never read from the file system, they fail as URLs. Folders and globs leave out
    hidden paths, anything under ``exclude`` and the files ``own`` says digest wrote; a file
    named on its own is always kept.
    """
    excl = _real(exclude) if exclude is not None else None
    found: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(source: str, rel: str) -> None:
        if source == "-":
            ident = source
        elif is_url(source) or source in remote:
            ident = normalise_url(source)
        else:
            ident = str(_real(Path(source)))
        if ident not in seen:
            seen.add(ident)
            found.append((source, rel))

    def skip(rel: Path, path: Path, root: Path) -> bool:
        if excl is not None and _real(path).is_relative_to(excl):
            return True
        return _skip_path(rel, path, root, own)

    for item in inputs:
        path = Path(item)
        if item == "-":
            add("-", "stdin")
        elif is_url(item) or item in remote:
            add(item, url_slug(item))
        elif path.is_dir():
            files = [(p.relative_to(path), p) for p in path.rglob("*") if _listable(p)]
            for rel, p in sorted(files, key=lambda t: t[0].as_posix()):
                if not skip(rel, p, path):
                    add(str(p), rel.as_posix())
        elif not os.path.lexists(path) and _GLOB_CHARS & set(item):
            root = _glob_root(item)
            for match in sorted(glob.glob(item, recursive=True)):
                p = Path(match)
                if _listable(p):
                    rel = p.relative_to(root) if p.is_relative_to(root) else Path(p.name)
                    if not skip(rel, p, root):
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


def output_folder(job: BatchJob, n_files: int | None = None) -> Path | None:
    """--out as a folder (None: stdout, or --out names the single output file).

    ``n_files`` (when known) checks that several inputs or formats have a folder to go to.
    """
    several = n_files is not None and n_files > 1
    if job.out is None:
        if several or len(job.formats) > 1:
            raise ConfigError("several inputs or formats need {out} FOLDER")
        return None
    if _out_is_file(job):
        if several:
            raise ConfigError(f"several inputs need {{out}} FOLDER, not the file {job.out}")
        return None
    return job.out


def _local_files(sources: Iterable[str]) -> set[Path]:
    return {_real(Path(s)) for s in sources if s != "-" and not is_url(s)}


def _check_targets(job: BatchJob, folder: Path | None) -> None:
    """Where outputs and the report go, checked before any work (ConfigError, exit 2)."""
    inputs = _local_files(job.inputs)
    if job.out is not None:
        _check_not_input(job, inputs)
        if folder is not None and os.path.lexists(folder) and not folder.is_dir():
            raise ConfigError(
                f"{{out}} {folder} is a file, not a folder (a single output file needs the "
                f"format's extension, e.g. .{get_writer(job.formats[0]).extension})"
            )
        why = unwritable_reason(job.out / "x" if folder is not None else job.out)
        if why:
            raise ConfigError(f"{{out}} {job.out} cannot be written: {why}")
    if job.report is not None:
        if job.report.is_dir():
            raise ConfigError(f"{{report}} {job.report} is a folder; give a file name (run.json)")
        if _real(job.report) in inputs:
            raise ConfigError(f"{{report}} {job.report} is one of the input files")
        why = unwritable_reason(job.report)
        if why:
            raise ConfigError(f"{{report}} {job.report} cannot be written: {why}")


def _check_not_input(job: BatchJob, inputs: set[Path]) -> None:
    # A folder given as both input and --out is fine: digest's outputs are not inputs.
    if job.out is not None and not job.out.is_dir() and _real(job.out) in inputs:
        raise ConfigError(
            f"{{out}} {job.out} is one of the input files; give a folder or a new file name"
        )


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
            opts = self.job.fetch
            cache = FetchCache.open(fetch_cache_dir(self.job), opts.keep_days)
            self.fetcher = Fetcher(opts, cache)
        return self.fetcher

    def close(self) -> None:
        """The run is done with the fetched pages: another run may prune them again."""
        if self.fetcher is not None:
            self.fetcher.cache.close()

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
    """The work items of ``job`` (see :func:`run_plan`); the folder lock is released again."""
    with run_plan(job, on_fetched) as items:
        return items


@contextlib.contextmanager
def run_plan(job: BatchJob, on_fetched: OnFetched | None = None) -> Iterator[list[WorkItem]]:
    """List the job's inputs (sorted, sharded), their outputs and cache keys; mark done ones.

    URL and feed inputs are fetched here (``on_fetched`` is told of each). Holds the lock
    on the output folder until the block ends (a second run of the same folder and shard
    refuses). Raises ConfigError or OutputError (exit 2) for problems that concern the
    whole run, before any work.
    """
    for fmt in job.formats:
        get_writer(fmt)  # unknown format: fail before any work
    if job.chunk_size < 1:
        raise ConfigError("chunk size must be at least 1")
    folder = output_folder(job)
    _check_targets(job, folder)
    links = (cache_path(folder), folder / FETCH_DIR) if folder is not None else ()
    with (
        hold_folder(folder, job.shard, no_links=links),
        contextlib.closing(WebInputs(job, on_fetched)) as web,
    ):
        yield _plan(job, folder, web)


def _plan(job: BatchJob, folder: Path | None, web: WebInputs) -> list[WorkItem]:
    inputs = web.expand(job.inputs)
    tags = ("digest",) if job.kind == "digest" else (job.target_lang,)
    files = list_inputs(inputs, remote=web.items, own=OwnOutputs(folder, tags))
    if not files:
        if web.feeds:
            return []  # feeds with no (new) items: nothing to do is a success
        raise ConfigError(
            f"no supported input files ({' '.join(SUPPORTED_SUFFIXES)}) in: {' '.join(job.inputs)}"
        )
    output_folder(job, len(files))
    _check_not_input(job, _local_files(s for s, _ in files))
    files = [(s, r) for s, r in files if in_shard(r, job.shard)]
    web.fetch([s for s, _ in files if is_url(s) or s in web.items])
    fingerprint = job_fingerprint(job)
    cache = {} if folder is None or job.force else read_cache(folder)
    owners: dict[Path, str] = {}
    items = []
    for source, rel in files:
        outputs = outputs_for(job, rel, folder)
        clash = next((owners[p] for p in outputs if p in owners), None)
        link = link_on_the_way(folder, outputs[0]) if folder is not None and outputs else None
        if clash is not None or link is not None:
            error = (
                link_refused(link)
                if link is not None
                else f"its output {outputs[0].name} would overwrite the output of {clash}"
            )
            items.append(WorkItem(source, rel, outputs, "", error=error))
            continue
        owners.update(dict.fromkeys(outputs, source))
        sha = ""
        src: WebSource | None = None
        local = not (is_url(source) or source in web.items or source in web.errors)
        if local:
            try:
                check_input(source)  # missing, a folder, too large: known before models load
            except InputError as exc:
                items.append(WorkItem(source, rel, outputs, "", error=str(exc)))
                continue
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
            # Unreadable or not a regular file: loading reports why, with the other
            # per-file errors (a FIFO is never opened).
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.stat(source).st_mode):
                    sha = file_sha256(Path(source))
        key = item_key(sha, fingerprint) if sha else ""
        skip = folder is not None and is_up_to_date(cache.get(rel), key, outputs, folder)
        items.append(WorkItem(source, rel, outputs, key, skip=skip, content_sha256=sha, web=src))
    written_to = [p.parent for i in items if not i.error for p in i.outputs]
    if folder is not None:
        written_to.append(folder)  # the cache's rewrite
    if job.report is not None:
        written_to.append(job.report.parent)
    remove_stale_temps(written_to)
    return items
