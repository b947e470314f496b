"""Fetch cache upkeep on real files: stale temp files, pruning by last use, locks, links.

Pages are fetched from a real server on 127.0.0.1; "40 days ago" is written into the
records and file times, as a cache restored in CI after a month would have them.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from digest.cli import app
from digest.devtools.news_server import NewsServer, Route, german_page
from digest.errors import ConfigError
from digest.ingest.fetch import FETCH_DIR, FetchCache, Fetcher
from digest.ingest.fetch_upkeep import STALE_TEMP_SECONDS
from digest.options import MAX_KEEP_DAYS, FetchOptions

DAY = 86400.0
pytestmark = pytest.mark.skipif(os.name != "posix", reason="upkeep needs flock and dir_fd")


@pytest.fixture()
def server() -> Iterator[NewsServer]:
    with NewsServer() as srv:
        for i in range(5):
            srv.add(f"/seite-{i}.html", Route(german_page(i)))
        srv.add("/kopie.html", Route(german_page(1)))  # the same body as /seite-1.html
        yield srv


def fetch(root: Path, *urls: str) -> dict[str, str]:
    """url -> record path, fetched through a cache opened without pruning."""
    with FetchCache.open(root, 0) as cache:
        f = Fetcher(FetchOptions(timeout=2.0, delay=0.0), cache)
        for url in urls:
            f.fetch(url)
        return {url: str(cache._record_path(url)) for url in urls}


def cached_page(server: NewsServer, tmp_path: Path, path: str) -> tuple[Path, str]:
    """(cache folder, record path) of one page fetched into a new cache."""
    root = tmp_path / "fetch"
    url = server.url(path)
    return root, fetch(root, url)[url]


def record(path: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def blob(root: Path, record_path: str) -> Path:
    return FetchCache(root).blob_path(str(record(record_path)["sha256"]))


def age_record(path: str, days: float) -> None:
    """The record as a run ``days`` ago left it: last checked and used then."""
    when = time.time() - days * DAY
    data = {**record(path), "checked_at": when, "used_at": when}
    Path(path).write_text(json.dumps(data), encoding="utf-8")
    os.utime(path, (when, when))


def age_file(path: Path, days: float) -> None:
    when = time.time() - days * DAY
    os.utime(path, (when, when), follow_symlinks=False)


def test_stale_temp_files_go_fresh_ones_stay(server: NewsServer, tmp_path: Path) -> None:
    root = tmp_path / "fetch"
    rec = fetch(root, server.url("/seite-0.html"))[server.url("/seite-0.html")]
    body = blob(root, rec)
    # What a run killed between write_bytes and os.replace leaves, and a live write's file.
    stale = [
        Path(rec).with_name(f".{Path(rec).name}.4242.139871.tmp"),
        body.with_name(f".{body.name}.4242.139871.tmp"),
    ]
    fresh = body.with_name(f".{body.name}.{os.getpid()}.1.tmp")
    for path in [*stale, fresh]:
        path.write_bytes(b"half a page")
    for path in stale:
        age_file(path, STALE_TEMP_SECONDS / DAY + 0.01)
    FetchCache.open(root, 0).close()  # 0: no pruning, temp files are tidied all the same
    assert [p.exists() for p in stale] == [False, False]
    assert fresh.exists() and Path(rec).exists() and body.exists()


def test_records_unused_for_keep_days_and_their_bodies_are_pruned(
    server: NewsServer, tmp_path: Path
) -> None:
    root = tmp_path / "fetch"
    old, recent, shared_old, shared_recent = (
        server.url(p) for p in ("/seite-0.html", "/seite-2.html", "/seite-1.html", "/kopie.html")
    )
    recs = fetch(root, old, recent, shared_old, shared_recent)
    bodies = {url: blob(root, rec) for url, rec in recs.items()}
    assert bodies[shared_old] == bodies[shared_recent]
    for url in (old, shared_old):
        age_record(recs[url], 40)
    age_record(recs[recent], 20)  # used within the 30 days
    for path in bodies.values():
        age_file(path, 40)  # bodies are as old as their first download
    with FetchCache.open(root, 30):
        pass
    assert not Path(recs[old]).exists() and not bodies[old].exists()
    assert not Path(recs[shared_old]).exists()
    assert Path(recs[recent]).exists() and bodies[recent].exists()
    assert Path(recs[shared_recent]).exists() and bodies[shared_recent].exists()
    # The kept pages are still found; the pruned one is fetched again.
    cache = FetchCache(root)
    assert cache.lookup(recent) and cache.lookup(shared_recent) and not cache.lookup(old)
    hits = server.hits["/seite-0.html"]
    fetch(root, old)
    assert server.hits["/seite-0.html"] == hits + 1 and bodies[old].exists()


def test_records_of_older_versions_go_by_checked_at(server: NewsServer, tmp_path: Path) -> None:
    root, rec = cached_page(server, tmp_path, "/seite-3.html")
    when = time.time() - 40 * DAY
    data = {k: v for k, v in record(rec).items() if k != "used_at"}
    Path(rec).write_text(json.dumps({**data, "checked_at": when}), encoding="utf-8")
    age_file(blob(root, rec), 40)
    FetchCache.open(root, 30).close()
    assert not Path(rec).exists()


def test_a_cache_hit_counts_as_a_use(server: NewsServer, tmp_path: Path) -> None:
    root, rec = cached_page(server, tmp_path, "/seite-4.html")
    url = server.url("/seite-4.html")
    data = record(rec)
    Path(rec).write_text(json.dumps({**data, "used_at": time.time() - 40 * DAY}), "utf-8")
    fetch(root, url)  # checked an hour ago or less: served from the cache, no request
    assert server.hits["/seite-4.html"] == 1
    used = record(rec)["used_at"]
    assert isinstance(used, float) and used > time.time() - 60


def test_a_new_body_whose_record_is_not_written_yet_stays(
    server: NewsServer, tmp_path: Path
) -> None:
    # Another writer without the lock: a body is written just before its record.
    root, rec = cached_page(server, tmp_path, "/seite-0.html")
    orphan = root / "pages" / "ab" / ("ab" + "0" * 62)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"<html>neu</html>")
    FetchCache.open(root, 30).close()
    assert orphan.exists()
    age_file(orphan, 1)
    FetchCache.open(root, 30).close()
    assert not orphan.exists() and Path(rec).exists()


def test_keep_days_0_keeps_everything(server: NewsServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first, second = server.url("/seite-0.html"), server.url("/seite-2.html")
    args = ("--summarizer", "extractive", "--to", "de", "--progress", "none", "--out", str(out))
    assert CliRunner().invoke(app, ["summarize", first, *args]).exit_code == 0
    root = out / FETCH_DIR
    [rec] = [str(p) for p in (root / "urls").iterdir()]
    body = blob(root, rec)
    age_record(rec, 400)
    age_file(body, 400)
    result = CliRunner().invoke(app, ["summarize", second, *args, "--fetch-keep-days", "0"])
    assert result.exit_code == 0, result.stderr
    assert Path(rec).exists() and body.exists()
    # The default (30 days) prunes it in the next run.
    assert CliRunner().invoke(app, ["summarize", second, *args]).exit_code == 0
    assert not Path(rec).exists() and not body.exists()
    assert len(list((root / "urls").iterdir())) == 1


def test_files_that_are_not_the_caches_own_are_left_alone(
    server: NewsServer, tmp_path: Path
) -> None:
    root, rec = cached_page(server, tmp_path, "/seite-0.html")
    body = blob(root, rec)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ("c" * 40 + ".json")).write_text('{"used_at": 0}', encoding="utf-8")
    (outside / ("d" * 64)).write_bytes(b"yours")
    other = "ee" if body.parent.name != "ee" else "dd"  # a pages/<xx> other than the body's
    foreign = [
        root / "notes.txt",
        root / "urls" / "liste.json",
        root / "urls" / ("a" * 40 + ".json.bak"),
        body.parent / "README",
        body.parent / (other * 32),  # a body's name, but not in its own folder
        root / "pages" / ("f" * 64),  # a body's name, but not in a pages/<xx> folder
        body.parent / f".{body.name}.tmp",  # a temp-like name the cache never writes
    ]
    for path in foreign:
        path.write_bytes(b"not the cache's")
    links = [
        root / "urls" / ("b" * 40 + ".json"),  # a record's name, but a link
        body.parent / ("9" * 64),
        root / "pages" / other,  # a pages/<xx> folder that is a link
    ]
    links[0].symlink_to(outside / ("c" * 40 + ".json"))
    links[1].symlink_to(outside / ("d" * 64))
    links[2].symlink_to(outside, target_is_directory=True)
    (outside / (other * 32)).write_bytes(b"yours too")
    for path in [*foreign, *links, *outside.iterdir()]:
        age_file(path, 400)
    age_record(rec, 400)
    age_file(body, 400)
    FetchCache.open(root, 30).close()
    assert not Path(rec).exists() and not body.exists()  # the cache's own old page went
    assert all(p.exists() for p in foreign)
    assert all(p.is_symlink() for p in links)
    assert len(list(outside.iterdir())) == 3


def test_records_behind_a_linked_urls_folder_are_not_pruned(tmp_path: Path) -> None:
    root = tmp_path / "fetch"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "pages").mkdir(parents=True)
    name = "1" * 40 + ".json"
    (outside / name).write_text('{"used_at": 0, "sha256": "x"}', encoding="utf-8")
    (outside / f".{name}.1.2.tmp").write_bytes(b"")
    age_file(outside / f".{name}.1.2.tmp", 400)
    (root / "urls").symlink_to(outside, target_is_directory=True)
    FetchCache.open(root, 30).close()
    assert sorted(p.name for p in outside.iterdir()) == sorted([name, f".{name}.1.2.tmp"])


def test_a_cache_in_use_by_another_run_is_not_pruned(server: NewsServer, tmp_path: Path) -> None:
    root, rec = cached_page(server, tmp_path, "/seite-0.html")
    age_record(rec, 40)
    age_file(blob(root, rec), 40)
    with FetchCache.open(root, 0):  # another run reading pages from this cache
        FetchCache.open(root, 30).close()
        assert Path(rec).exists()
    FetchCache.open(root, 30).close()  # the next run on its own prunes
    assert not Path(rec).exists()


def test_keep_days_is_checked_in_the_api_and_on_the_command_line(tmp_path: Path) -> None:
    for bad in (-1, MAX_KEEP_DAYS + 1):
        with pytest.raises(ConfigError, match=r"fetch_keep_days must be 0 to 3650 days"):
            FetchOptions(keep_days=bad)
        result = CliRunner().invoke(
            app, ["summarize", "https://example.org/a.html", "--fetch-keep-days", str(bad)]
        )
        assert result.exit_code == 2 and "--fetch-keep-days" in result.stderr
