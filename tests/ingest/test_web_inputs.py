"""URLs and feeds as inputs, end to end through the CLI against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from digest.cli import app
from digest.devtools.news_server import NewsServer, Route, atom_feed, german_page, rss_feed
from digest.schemas import load_schema

NOW = datetime.now(UTC).replace(microsecond=0)
EXTRACTIVE = ("--summarizer", "extractive", "--to", "de", "--progress", "none")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def server() -> Iterator[NewsServer]:
    with NewsServer() as srv:
        for i in range(6):
            srv.add(f"/lokales/meldung-{i}.html", Route(german_page(i)))
        srv.add(
            "/leer.html",
            Route(b"<html><body><nav><a href='/'>Start</a></nav></body></html>"),
        )
        srv.add("/plan.pdf", Route(b"%PDF-1.7 ...", content_type="application/pdf"))
        yield srv


def add_rss(srv: NewsServer) -> str:
    """Four items, one relative, one absolute duplicate of another, one old."""
    items = [
        ("/lokales/meldung-0.html", "Meldung null", NOW - timedelta(hours=1)),
        ("meldung-1.html", "Meldung eins", NOW - timedelta(hours=2)),  # relative to /lokales/
        (srv.url("/lokales/meldung-0.html"), "Meldung null doppelt", NOW - timedelta(hours=3)),
        ("/lokales/meldung-2.html", "Meldung zwei", NOW - timedelta(days=3)),
    ]
    return srv.add(
        "/lokales/feed.rss",
        Route(rss_feed(items), content_type="application/rss+xml; charset=utf-8", etag='"r1"'),
    )


def outputs(folder: Path, pattern: str = "*.digest.*") -> list[str]:
    return sorted(p.name for p in folder.glob(pattern))


def test_single_url_digest_goes_to_stdout(server: NewsServer) -> None:
    url = server.url("/lokales/meldung-3.html")
    code, stdout, stderr = run("summarize", url, *EXTRACTIVE)
    assert code == 0, stderr
    assert stdout.startswith("# Freibad öffnet nach der Sanierung früher in Hildesheim")
    assert f"Quelle/source: `{url}`" in stdout
    cached = Path(os.environ["XDG_CACHE_HOME"]) / "digest" / "fetch"
    assert len(list(cached.glob("pages/*/*"))) == 1  # no --out: the user cache folder


def test_fetching_is_its_own_progress_stage(server: NewsServer, tmp_path: Path) -> None:
    urls = [server.url(f"/lokales/meldung-{i}.html") for i in (0, 1)]
    args = ("summarize", *urls, "--summarizer", "extractive", "--to", "de", "--out",
            str(tmp_path / "out"), "--progress", "log")  # fmt: skip
    code, _, stderr = run(*args)
    assert code == 0, stderr
    lines = stderr.splitlines()
    fetched = next(i for i, line in enumerate(lines) if line.startswith("digest: fetched"))
    assert (
        "fetched 2 URL(s)" in lines[fetched]
        and "0 from the cache, 2 over the network" in (lines[fetched])
    )
    assert fetched < next(i for i, line in enumerate(lines) if "file(s) to process" in line)
    code, _, stderr = run(*args, "--force")
    assert "2 from the cache, 0 over the network" in stderr


def test_bad_since_is_a_usage_error(server: NewsServer) -> None:
    code, _, stderr = run("summarize", add_rss(server), "--since", "gestern", *EXTRACTIVE)
    assert code == 2
    assert stderr.strip().splitlines() == [
        "error: --since takes a duration (24h, 90m, 7d, 2w) or a date (2026-12-01), not 'gestern'"
    ]
    assert server.hits["/lokales/feed.rss"] == 0


def test_urls_mix_with_files_and_fail_one_line_each(server: NewsServer, tmp_path: Path) -> None:
    local = tmp_path / "artikel"
    local.mkdir()
    (local / "notiz.html").write_bytes(german_page(5))
    urls = {
        "ok": server.url("/lokales/meldung-4.html"),
        "404": server.url("/lokales/weg.html"),
        "pdf": server.url("/plan.pdf"),
        "empty": server.url("/leer.html"),
        "ftp": "ftp://127.0.0.1/meldung.html",
    }
    code, _, stderr = run(
        "summarize", str(local), *urls.values(), "--out", str(tmp_path / "out"),
        "--report", str(tmp_path / "run.json"), *EXTRACTIVE,
    )  # fmt: skip
    assert code == 1, stderr
    assert outputs(tmp_path / "out") == [
        "127-0-0-1-lokales-meldung-4-" + Path(url_name(urls["ok"])).name + ".digest.md",
        "notiz.digest.md",
    ]
    report = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    by_source = {f["source"]: f for f in report["files"]}
    assert by_source[urls["ok"]]["status"] == "ok"
    assert by_source[urls["ok"]]["web"]["url"] == urls["ok"]
    assert "fetch" in by_source[urls["ok"]]["timings"]
    errors = {k: by_source[u]["error"] for k, u in urls.items() if k != "ok"}
    assert errors["404"].endswith("HTTP 404 Not Found")
    assert "not an HTML page or an RSS/Atom feed (Content-Type: application/pdf)" in errors["pdf"]
    assert "too short" in errors["empty"]
    assert "only http and https" in errors["ftp"]
    assert all("\n" not in e for e in errors.values())


def url_name(url: str) -> str:
    from digest.ingest.fetch import url_slug

    return url_slug(url).rsplit("-", 1)[1]


def test_a_lone_failing_url_exits_2_with_one_line(server: NewsServer) -> None:
    code, stdout, stderr = run("summarize", server.url("/lokales/weg.html"), *EXTRACTIVE)
    assert code == 2 and stdout == ""
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {server.url('/lokales/weg.html')}: HTTP 404 Not Found"]


def test_offline_refuses_urls(server: NewsServer, tmp_path: Path) -> None:
    url = server.url("/lokales/meldung-1.html")
    code, _, stderr = run("summarize", url, *EXTRACTIVE, "--offline")
    assert code == 2
    assert stderr.strip().splitlines() == [
        f"error: {url} is a URL, but --offline forbids the network: drop --offline "
        "(HF_HUB_OFFLINE=1 keeps the models offline) or save the page as a file"
    ]
    assert server.hits[url.removeprefix(server.base)] == 0


def test_rss_feed_digests_each_new_item_once(server: NewsServer, tmp_path: Path) -> None:
    feed = add_rss(server)
    out = tmp_path / "out"
    args = ("summarize", feed, "--out", str(out), "--format", "json", "--format", "html",
            "--report", str(tmp_path / "run.json"), "--since", "24h", *EXTRACTIVE)  # fmt: skip
    code, _, stderr = run(*args)
    assert code == 0, stderr
    names = outputs(out, "*.json")
    assert len(names) == 2  # duplicate kept once, the 3-day-old item left out
    report = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert [f["source"] for f in report["files"]] == [
        server.url("/lokales/meldung-0.html"),
        server.url("/lokales/meldung-1.html"),  # the relative link, resolved
    ]
    item = report["files"][0]["web"]
    assert item["feed"] == feed and item["item_title"] == "Meldung null"
    assert item["feed_title"] == "Lokalzeitung – Nachrichten" and item["item_date"]
    first = next(n for n in names if "meldung-0" in n)
    data = json.loads((out / first).read_text(encoding="utf-8"))
    jsonschema.validate(data, load_schema())
    meta = data["article"]["metadata"]
    assert data["article"]["source"] == server.url("/lokales/meldung-0.html")
    assert meta["item_title"] == "Meldung null" and meta["feed"] == feed
    html = (out / first.replace(".json", ".html")).read_text(encoding="utf-8")
    src = server.url("/lokales/meldung-0.html")
    assert f'Quelle/source: <a class="source" href="{src}" rel="noopener">{src}</a>' in html
    hits_before = dict(server.hits)

    code, _, stderr = run(*args)  # the next morning's run, nothing new
    assert code == 0, stderr
    report = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert report["counts"]["skipped"] == 2 and report["counts"]["ok"] == 0
    assert [f["web"]["url"] for f in report["files"]] == [
        server.url("/lokales/meldung-0.html"),
        server.url("/lokales/meldung-1.html"),
    ]
    assert server.hits["/lokales/feed.rss"] == hits_before["/lokales/feed.rss"] + 1  # a 304
    for n in (0, 1):
        path = f"/lokales/meldung-{n}.html"
        assert server.hits[path] == hits_before[path]  # pages came from the fetch cache

    # Refetched: same bytes, so the run cache still skips; a changed page is redone.
    server.add("/lokales/meldung-1.html", Route(german_page(1) + b"<!-- korrigiert -->"))
    code, _, stderr = run(*args, "--refetch")
    assert code == 0, stderr
    report = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    status = {f["source"].rsplit("/", 1)[1]: f["status"] for f in report["files"]}
    assert status == {"meldung-0.html": "skipped", "meldung-1.html": "ok"}
    assert server.hits["/lokales/meldung-0.html"] == hits_before["/lokales/meldung-0.html"] + 1


def test_translate_after_summarize_does_not_fetch_again(
    server: NewsServer, tmp_path: Path, fake_yaml: Path
) -> None:
    url = server.url("/lokales/meldung-2.html")
    out = tmp_path / "out"
    assert run("summarize", url, "--out", str(out), *EXTRACTIVE)[0] == 0
    code, _, stderr = run(
        "translate", url, "--to", "en", "--models", str(fake_yaml), "--out", str(out),
        "--progress", "none",
    )  # fmt: skip
    assert code == 0, stderr
    assert server.hits["/lokales/meldung-2.html"] == 1
    assert len(outputs(out, "*.en.md")) == 1 and len(outputs(out)) == 1


def test_atom_feed_file_with_max_items(server: NewsServer, tmp_path: Path) -> None:
    entries = [
        (server.url(f"/lokales/meldung-{i}.html"), f"Eintrag {i}", NOW - timedelta(hours=i))
        for i in range(4)
    ]
    feed = tmp_path / "regional.atom"
    feed.write_bytes(atom_feed(entries))
    out = tmp_path / "out"
    code, _, stderr = run("summarize", str(feed), "--max-items", "2", "--out", str(out),
                          "--report", str(tmp_path / "r.json"), *EXTRACTIVE)  # fmt: skip
    assert code == 0, stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [f["web"]["item_title"] for f in report["files"]] == ["Eintrag 0", "Eintrag 1"]
    assert server.hits["/lokales/meldung-3.html"] == 0  # never fetched


def test_atom_feed_url_sniffed_and_feeds_inside_feeds_refused(
    server: NewsServer, tmp_path: Path
) -> None:
    inner = add_rss(server)
    entries = [
        (server.url("/lokales/meldung-5.html"), "Artikel", NOW),
        (inner, "Ein Feed im Feed", NOW - timedelta(hours=1)),
    ]
    # Served as generic XML: recognised as a feed by its content.
    feed = server.add("/atom", Route(atom_feed(entries), content_type="application/xml"))
    code, _, stderr = run("summarize", feed, "--out", str(tmp_path / "out"), "-q", *EXTRACTIVE)
    assert code == 1
    assert len(outputs(tmp_path / "out")) == 1
    assert stderr.splitlines() == [
        f"error: {inner} is a feed, not an article (a feed's items are not feeds)"
    ]


def test_feed_with_nothing_new_is_a_quiet_success(server: NewsServer, tmp_path: Path) -> None:
    feed = add_rss(server)
    code, _, stderr = run("summarize", feed, "--since", "2099-01-01", "--out",
                          str(tmp_path / "out"), *EXTRACTIVE)  # fmt: skip
    assert code == 0, stderr
    assert outputs(tmp_path / "out") == []


def test_feed_links_never_read_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.html"
    secret.write_bytes(german_page(1))
    feed = tmp_path / "lokal.rss"
    feed.write_bytes(rss_feed([(str(secret), "Datei", NOW), ("../geheim.html", "Relativ", NOW)]))
    code, _, stderr = run("summarize", str(feed), "--out", str(tmp_path / "out"), *EXTRACTIVE)
    assert code == 1
    assert stderr.count("not an absolute URL") == 2
    assert outputs(tmp_path / "out") == []


def test_a_feed_url_that_is_broken_is_one_error(server: NewsServer) -> None:
    url = server.add("/kaputt.xml", Route(b"<rss><channel><item>", content_type="text/xml"))
    code, _, stderr = run("summarize", url, *EXTRACTIVE)
    assert code == 2
    assert [line for line in stderr.splitlines() if line.startswith("error:")] == [
        f"error: {url} is not an RSS or Atom feed (2:20: no element found)"
    ]


def test_inspect_url(server: NewsServer) -> None:
    url = server.url("/lokales/meldung-4.html")
    code, stdout, stderr = run("inspect", url)
    assert code == 0, stderr
    assert f"- source: {url} (html, utf-8)" in stdout
    assert "Gymnasium bekommt eine neue Mensa in Hildesheim" in stdout


def test_feed_workflow_example_keeps_its_caches_and_runs_a_valid_command() -> None:
    import yaml

    from test_docs import ROOT, _check_call

    text = (ROOT / "docs" / "feed-digest.yml").read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    assert flow[True]["schedule"]  # YAML reads the key `on` as True
    steps = flow["jobs"]["digest"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert uses.count("actions/cache/restore@v4") == 2 and uses.count("actions/cache/save@v4") == 2
    for step in steps:
        if step.get("uses") == "actions/cache/save@v4":
            assert step["if"].startswith("always()")
        assert "cache" not in step.get("with", {})  # no setup-python pip cache
    run = next(s["run"] for s in steps if s.get("id") == "run")
    command = " ".join(run.replace("\\\n", " ").split("digest summarize", 1)[1].split("\n")[0:1])
    assert _check_call("digest summarize" + command) is None
    assert "--offline" not in run and flow["jobs"]["digest"]["steps"]
