"""`--engine ray` on a local Ray instance: same files, report, cache and exit codes as local.

One Ray instance serves the whole module (starting one costs seconds); the runs themselves
happen once in a module fixture and each test checks one promise about them.
"""

from __future__ import annotations

import json
import logging
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import ray
from typer.testing import CliRunner

from conftest import TinyModels, write_models_yaml
from digest.cli import app

TOWNS = ["Lüneburg", "Gera", "Rosenheim", "Kassel", "Trier", "Cottbus", "Passau", "Wismar"]
TOPICS = [
    ("Neues Hallenbad", "das Hallenbad", "Schwimmvereine"),
    ("Ausbau der Straßenbahn", "die neue Straßenbahnlinie", "Pendlerinnen und Pendler"),
    ("Sanierung der Grundschule", "die Grundschule", "Eltern"),
    ("Windpark am Stadtrand", "der Windpark", "Anwohner"),
    ("Mehr Plätze in Kitas", "die neue Kita", "Familien"),
]
N_ARTICLES = 16  # + 1 failing file > the default chunk of 16: two chunks, two replicas
TIMING_KEYS = {"timings", "created", "seconds", "started", "finished", "articles_per_second"}


def german_article(i: int) -> str:
    """A short local-news article; the seed varies town, topic and figures."""
    rnd = random.Random(i)
    town = rnd.choice(TOWNS)
    title, thing, group = rnd.choice(TOPICS)
    cost, votes, year = rnd.randint(2, 40), rnd.randint(20, 40), rnd.randint(2026, 2031)
    return (
        f"{title} in {town}: Stadtrat gibt grünes Licht\n\n"
        f"Der Stadtrat von {town} hat am Mittwoch mit {votes} Stimmen beschlossen, dass {thing} "
        f"bis {year} fertig werden soll. Die Kosten schätzt die Verwaltung auf {cost} Millionen "
        "Euro.\n\n"
        "Kritik aus der Opposition\n\n"
        "Die Opposition hält den Zeitplan für zu knapp und fürchtet höhere Kosten. Viele "
        f"{group} begrüßen dagegen die Entscheidung, weil sie schon lange darauf warten.\n"
    )


def write_articles(folder: Path, n: int) -> None:
    for i in range(n):
        sub = folder / "region" if i % 3 == 0 else folder  # a subfolder: the tree is mirrored
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"meldung-{i:03d}.txt").write_text(german_article(i), encoding="utf-8")


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stderr


def mask_json(text: str) -> str:
    text = re.sub(r'"timings": \{[^{}]*\}', '"timings": {}', text)
    return re.sub(r'"created": "[^"]*"', '"created": ""', text)


def mask_md(text: str) -> str:
    # The provenance line ends with the run's date and stage timings.
    return re.sub(r"(?m)^(- digest [^,\n]+,).*$", r"\1", text)


def drop_timings(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: drop_timings(v) for k, v in data.items() if k not in TIMING_KEYS}
    if isinstance(data, list):
        return [drop_timings(v) for v in data]
    return data


def cache_entries(folder: Path) -> dict[str, dict[str, Any]]:
    lines = (folder / ".digest-cache.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    return {e["rel"]: {k: v for k, v in e.items() if k != "at"} for e in entries}


@dataclass(frozen=True)
class Runs:
    base: Path
    local_code: int
    ray_code: int
    rerun_code: int
    ray_stderr: str
    rerun_stderr: str
    mtimes_before_rerun: dict[str, float]


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[None]:
    """Small on purpose: 2 CPUs, no dashboard, a 128 MiB object store."""
    ray.init(
        num_cpus=2,
        object_store_memory=128 * 1024 * 1024,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.ERROR,
        _system_config={"worker_niceness": 0},  # as digest's own local instance does
    )
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def runs(
    ray_instance: None, tiny_models: TinyModels, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runs]:
    """The same summarize run locally, on Ray, and on Ray again (everything up to date)."""
    base = tmp_path_factory.mktemp("ray-runs")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(base)  # relative paths, as users type them: replicas must see the same ones
        mp.setenv("HF_HOME", str(base / "hf-home"))
        mp.setenv("HF_HUB_CACHE", str(base / "hf-home" / "hub"))
        mp.delenv("DIGEST_MODELS", raising=False)
        write_articles(base / "artikel", N_ARTICLES)
        (base / "artikel" / "leer.txt").write_text("", encoding="utf-8")  # fails: empty
        models = write_models_yaml(base / "models.yaml", tiny_models)
        args = [
            "summarize", "artikel", "--models", str(models), "--summarizer", "extractive",
            "--out", "out", "--format", "json", "--format", "md", "--offline", "--bullets", "3",
            "--report", "report.json", "--progress", "none",
            "--threads", "1",  # both engines alike; spinning OpenMP threads crawl on a busy box
        ]  # fmt: skip
        local_code, _ = cli(*args)
        (base / "out").rename(base / "out-local")
        (base / "report.json").rename(base / "report-local.json")
        ray_code, ray_stderr = cli(*args, "--engine", "ray", "--replicas", "2")
        (base / "report.json").rename(base / "report-ray.json")
        mtimes = {str(p): p.stat().st_mtime for p in (base / "out").rglob("*.digest.*")}
        rerun_code, rerun_stderr = cli(*args, "--engine", "ray")
        yield Runs(base, local_code, ray_code, rerun_code, ray_stderr, rerun_stderr, mtimes)


def test_ray_json_outputs_match_local_engine_byte_for_byte(runs: Runs) -> None:
    local, remote = runs.base / "out-local", runs.base / "out"
    names = sorted(p.relative_to(local).as_posix() for p in local.rglob("*.digest.*"))
    assert names == sorted(p.relative_to(remote).as_posix() for p in remote.rglob("*.digest.*"))
    assert len([n for n in names if n.endswith(".json")]) == N_ARTICLES
    assert any(n.startswith("region/") for n in names)
    for name in names:
        a = (local / name).read_text(encoding="utf-8")
        b = (remote / name).read_text(encoding="utf-8")
        if name.endswith(".json"):
            assert '"timings": {' in a and '"created": "' in a
            assert mask_json(a) == mask_json(b), name
        else:
            assert mask_md(a) == mask_md(b), name
    assert cache_entries(local) == cache_entries(remote)


def test_ray_failing_file_gives_exit_1_and_the_same_report(runs: Runs) -> None:
    assert runs.local_code == runs.ray_code == 1
    assert "leer.txt" in runs.ray_stderr and "ray: 2 replica(s)" in runs.ray_stderr
    local = json.loads((runs.base / "report-local.json").read_text(encoding="utf-8"))
    remote = json.loads((runs.base / "report-ray.json").read_text(encoding="utf-8"))
    assert remote["counts"] == {
        "total": N_ARTICLES + 1,
        "ok": N_ARTICLES,
        "skipped": 0,
        "failed": 1,
        "pending": 0,
    }
    assert remote["exit_code"] == 1
    failed = [f for f in remote["files"] if f["status"] == "failed"]
    assert [Path(f["source"]).name for f in failed] == ["leer.txt"] and failed[0]["error"]
    assert drop_timings(remote) == drop_timings(local)  # same order, outputs, errors, models
    assert not (runs.base / "out" / "leer.digest.json").exists()


def test_ray_rerun_skips_finished_work(runs: Runs) -> None:
    assert runs.rerun_code == 1  # the empty file is retried and fails again
    rerun = json.loads((runs.base / "report.json").read_text(encoding="utf-8"))
    assert rerun["counts"] == {
        "total": N_ARTICLES + 1,
        "ok": 0,
        "skipped": N_ARTICLES,
        "failed": 1,
        "pending": 0,
    }
    after = {str(p): p.stat().st_mtime for p in (runs.base / "out").rglob("*.digest.*")}
    assert after == runs.mtimes_before_rerun  # nothing rewritten
    assert "ray: 1 replica(s)" in runs.rerun_stderr  # one chunk left: one replica, not two


def test_replica_model_error_is_the_local_one_line_error(
    ray_instance: None, tmp_path: Path
) -> None:
    """A model missing offline: the replica's error (it does not even unpickle) reaches the
    user as the same line and exit code the local engine gives."""
    write_articles(tmp_path / "artikel", 2)
    args = [
        "summarize", "artikel", "--summarizer", "extractive", "--translator", "opus-mt-de-en",
        "--out", "out", "--offline", "--progress", "none",
    ]  # fmt: skip
    local_code, local_err = cli(*args)
    ray_code, ray_err = cli(*args, "--engine", "ray", "-q")
    assert local_code == ray_code == 2
    local_line = [x for x in local_err.splitlines() if x.startswith("error:")]
    assert len(local_line) == 1 and "not available offline" in local_line[0]
    assert ray_err.strip() == local_line[0]
    assert not list((tmp_path / "out").rglob("*.digest.*"))


def test_without_ray_installed_the_error_is_a_one_line_hint(
    fake_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` sees when it is missing
    write_articles(tmp_path / "artikel", 1)
    code, err = cli(
        "summarize", "artikel", "--models", str(fake_yaml), "--out", "out", "--engine", "ray"
    )
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "pip install 'digest-news[ray]'" in err and "--engine ray" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--replicas", "2"], "need --engine ray"),
        (["--engine", "ray", "--replicas", "0"], "at least 1"),
        (["--engine", "spark"], "'local', 'ray'"),
    ],
)
def test_engine_options_are_checked_before_any_work(
    extra: list[str], message: str, fake_yaml: Path, tmp_path: Path
) -> None:
    write_articles(tmp_path / "artikel", 1)
    code, err = cli("summarize", "artikel", "--models", str(fake_yaml), "--out", "out", *extra)
    assert code == 2 and message in err
    assert not (tmp_path / "out").exists()


def test_ray_engine_refuses_stdin_before_starting_ray(fake_yaml: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["translate", "-", "--models", str(fake_yaml), "--engine", "ray"],
        input=german_article(1),
    )
    assert result.exit_code == 2
    assert "stdin" in result.stderr and "--engine local" in result.stderr
    assert "replica" not in result.stderr


def test_ray_engine_takes_a_feed_fetched_on_the_driver(ray_instance: None, tmp_path: Path) -> None:
    """Pages are fetched while planning (on the driver); replicas read them from the fetch
    cache under --out and write the same digests as the local engine."""
    from datetime import UTC, datetime, timedelta

    from digest.devtools.news_server import NewsServer, Route, german_page, rss_feed

    with NewsServer() as srv:
        now = datetime.now(UTC)
        items = []
        for i in range(3):
            srv.add(f"/n/{i}.html", Route(german_page(i)))
            items.append((f"/n/{i}.html", f"Nachricht {i}", now - timedelta(hours=i)))
        feed = srv.add("/n/feed.xml", Route(rss_feed(items), content_type="application/rss+xml"))
        args = ["summarize", feed, "--summarizer", "extractive", "--to", "de", "--format",
                "json", "--progress", "none", "--threads", "1"]  # fmt: skip
        local_code, local_err = cli(*args, "--out", "out-local")
        ray_code, ray_err = cli(*args, "--out", "out-ray", "--engine", "ray", "--replicas", "1")
        hits = dict(srv.hits)
    assert local_code == ray_code == 0, (local_err, ray_err)
    local = sorted(p.name for p in (tmp_path / "out-local").glob("*.json"))
    assert len(local) == 3 and local == sorted(
        p.name for p in (tmp_path / "out-ray").glob("*.json")
    )
    for name in local:
        a = (tmp_path / "out-local" / name).read_text(encoding="utf-8")
        assert mask_json(a) == mask_json((tmp_path / "out-ray" / name).read_text(encoding="utf-8"))
    assert hits["/n/0.html"] == 2  # once per run (each --out keeps its own fetch cache)


def test_ray_engine_fails_a_missing_input_without_starting_replicas(
    fake_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_session(*args: object, **kwargs: object) -> None:
        raise AssertionError("Ray started for an input that does not exist")

    monkeypatch.setattr("digest.engines.ray_engine.ray_session", no_session)
    report = tmp_path / "r.json"
    missing, out = str(tmp_path / "nosuch.txt"), str(tmp_path / "out")
    code, err = cli("translate", missing, "--models", str(fake_yaml), "--out", out,
                    "--engine", "ray", "--report", str(report))  # fmt: skip
    assert code == 2 and err.strip() == f"error: {tmp_path / 'nosuch.txt'} does not exist"
    assert json.loads(report.read_text(encoding="utf-8"))["files"][0]["status"] == "failed"
