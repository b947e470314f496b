"""Unattended runs (CI): reports that account for every input, interruption, per-article
writes and timings, the log heartbeat, quiet output and closed pipes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import TinyModels, job_for
from digest.batch import FileOutcome
from digest.batch.cache import CACHE_NAME, read_cache
from digest.batch.progress import LogProgress
from digest.batch.synthetic import write_articles
from digest.cli import app
from digest.writers.base import TEMP_PREFIX

STATUSES = {"ok", "failed", "skipped", "pending"}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stderr


def long_article(src: Path, name: str, copies: int) -> Path:
    """A legal but long article: one synthetic article's paragraphs, many times."""
    text = next(iter(sorted(src.rglob("*.txt")))).read_text(encoding="utf-8")
    title, _, body = text.partition("\n\n")
    path = src / name
    path.write_text(title + "\n\n" + "\n\n".join([body.strip()] * copies) + "\n", "utf-8")
    return path


# --- reports ---------------------------------------------------------------------------------


def test_interrupt_report_has_exit_130_and_every_input_with_a_status(
    fake_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C inside the second model batch of the first (and only) chunk: the articles of
    the first batch are written and recorded; the rest are listed as pending."""
    from digest.batch import process
    from digest.engines.local import run_local

    src, out, report = tmp_path / "in", tmp_path / "out", tmp_path / "run.json"
    write_articles(src, 12)
    monkeypatch.setattr(process, "BATCH_CHARS", 3000)  # ~2 synthetic articles per batch
    real, calls = process.summarize, {"n": 0, "first": 0}

    def summarize(articles, models, options):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        calls["first"] = len(articles)
        return real(articles, models, options)

    monkeypatch.setattr(process, "summarize", summarize)
    result = run_local(job_for(src, out, fake_yaml, report=report))  # chunk_size 16 > 12
    assert result.interrupted and result.exit_code == 130
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["exit_code"] == 130 and data["interrupted"] is True
    assert len(data["files"]) == 12 and {f["status"] for f in data["files"]} <= STATUSES
    assert 1 <= calls["first"] < 12
    assert data["counts"] == {"total": 12, "ok": calls["first"], "skipped": 0, "failed": 0,
                              "pending": 12 - calls["first"]}  # fmt: skip
    assert len(read_cache(out)) == calls["first"]
    assert len(list(out.rglob("*.digest.json"))) == calls["first"]
    manifest = (tmp_path / "run.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["status"] for line in manifest].count("pending") == 12 - calls["first"]


def test_missing_model_still_writes_the_report_with_the_error(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 3)
    report = tmp_path / "r.json"
    code, err = run("summarize", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                    "--summarizer", "extractive", "--translator", "opus-mt-de-en", "--offline",
                    "--report", str(report), "--progress", "none")  # fmt: skip
    assert code == 2 and "not available offline" in err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["exit_code"] == 2 and "not available offline" in data["error"]
    assert "--translator" in data["error"]  # the CLI's words, as on stderr
    assert [f["status"] for f in data["files"]] == ["pending"] * 3
    assert data["counts"]["pending"] == 3 and not data["interrupted"]


def test_broken_models_yaml_still_writes_the_report_with_the_error(
    fake_yaml: Path, tmp_path: Path
) -> None:
    write_articles(tmp_path / "in", 2)
    fake_yaml.write_text(fake_yaml.read_text("utf-8").replace("defaults:", "defualts:"))
    report = tmp_path / "r.json"
    code, err = run("summarize", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                    "--models", str(fake_yaml), "--report", str(report))  # fmt: skip
    assert code == 2 and "unknown key 'defualts'" in err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["exit_code"] == 2 and "unknown key 'defualts'" in data["error"]
    assert data["counts"] == {"total": 2, "ok": 0, "skipped": 0, "failed": 0, "pending": 2}
    assert (tmp_path / "r.jsonl").is_file() and not (tmp_path / "out").exists()


def test_bad_option_value_still_writes_the_report(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 1)
    report = tmp_path / "r.json"
    code, err = run("summarize", str(tmp_path / "in"), "--bullets", "9", "--report", str(report))
    assert code == 2 and "--bullets" in err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["exit_code"] == 2 and "--bullets" in data["error"]


def test_missing_input_fails_before_any_model_loads(
    tmp_path: Path, tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_loading(*args: object, **kwargs: object) -> None:
        raise AssertionError("models were loaded for an input that does not exist")

    monkeypatch.setattr("digest.engines.local.load_job_models", no_loading)
    code, err = run("translate", str(tmp_path / "nosuch.txt"), "--translator",
                    str(tiny_models.marian))  # fmt: skip
    assert code == 2
    assert err.strip() == f"error: {tmp_path / 'nosuch.txt'} does not exist"


# --- per-article work ------------------------------------------------------------------------


def test_each_file_is_timed_by_its_own_work_and_a_long_one_runs_alone(
    fake_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fake clock: a model call costs 100 s when the long article is in it, else 1 s."""
    from digest.batch import process
    from digest.engines.local import run_local

    src = tmp_path / "in"
    small = sorted(p.name for p in write_articles(src, 2))
    big = long_article(src, "zz-lang.txt", 25)  # > BATCH_CHARS of text
    clock = [0.0]
    batches: list[list[str]] = []
    real = process.summarize

    def summarize(articles, models, options):  # type: ignore[no-untyped-def]
        batches.append([Path(a.source).name for a in articles])
        clock[0] += 100.0 if any(a.source == str(big) for a in articles) else 1.0
        return real(articles, models, options)

    monkeypatch.setattr(process, "summarize", summarize)
    monkeypatch.setattr(process.time, "perf_counter", lambda: clock[0])
    report = run_local(job_for(src, tmp_path / "out", fake_yaml))
    assert report.count("ok") == 3
    assert [sorted(b) for b in batches] == [small, ["zz-lang.txt"]]
    pipeline = {Path(f.source).name: f.timings["pipeline"] for f in report.files}
    assert pipeline["zz-lang.txt"] == 100.0
    assert pipeline[small[0]] + pipeline[small[1]] == pytest.approx(1.0)
    assert 0 < pipeline[small[0]] < 1.0


def test_log_heartbeat_keeps_coming_while_no_file_finishes() -> None:
    lines: list[str] = []
    got_two = threading.Event()

    class Sink:
        def write(self, text: str) -> None:
            if text.strip():
                lines.append(text)
            if sum("working" in line for line in lines) >= 2:
                got_two.set()

        def flush(self) -> None:
            pass

    log = LogProgress(Sink(), interval=0.05)  # type: ignore[arg-type]
    log.start(2, 0)
    try:
        assert got_two.wait(timeout=30), lines  # no update() at all: one long article
    finally:
        log.close()
    assert "0/2 files (0 failed)" in lines[1] and lines[-1].rstrip().endswith("stopped")
    n = len(lines)
    time.sleep(0.2)
    assert len(lines) == n  # the timer stops with the run
    log.update(FileOutcome("x", "ok"))  # after close: no thread left to print


# --- noise and pipes -------------------------------------------------------------------------


def summarize_cmd(src: Path, out: Path, models: Path, *extra: str) -> list[str]:
    """A batch run as CI starts it: a real process."""
    return [sys.executable, "-m", "digest", "summarize", str(src), "--out", str(out),
            "--models", str(models), *extra]  # fmt: skip


def digest_cmd(*args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **kw.pop("env", {})}
    cmd = [sys.executable, "-m", "digest", *args]
    return subprocess.run(
        cmd, capture_output=True, text=True, check=False, env=env, stdin=subprocess.DEVNULL, **kw
    )


def test_quiet_shows_no_third_party_warnings_or_bars_and_debug_shows_them(
    tmp_path: Path, tiny_models: TinyModels
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Der Stadtrat hat am Montag neue Radwege beschlossen. Die Kosten "
                       "liegen bei drei Millionen Euro.\n", encoding="utf-8")  # fmt: skip
    args = ["translate", str(article), "--translator", str(tiny_models.marian), "--offline",
            "--out", str(tmp_path / "a.en.md")]  # fmt: skip
    quiet = digest_cmd(*args, "--quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""  # the tiny model's checks do not fail hard: nothing to say
    loud = digest_cmd(*args)
    assert loud.returncode == 0, loud.stderr
    assert "sacremoses" not in loud.stderr and "Warning" not in loud.stderr
    debug = digest_cmd(*args, "--quiet", env={"DIGEST_DEBUG": "1"})
    assert "sacremoses" in debug.stderr  # everything, for whoever debugs


@pytest.mark.parametrize("closed", ["stderr", "stdout"])
def test_a_closed_pipe_does_not_change_the_outcome(
    closed: str, fake_yaml: Path, tmp_path: Path
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, 6)
    report = tmp_path / "r.json"
    cmd = summarize_cmd(src, out, fake_yaml, "--progress", "log", "--report", str(report))
    # `digest ... 2>&1 | head -0`: the reader is gone before the first line.
    read, write = os.pipe()
    os.close(read)
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, closed: write}
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, check=False, **streams)  # type: ignore[arg-type]
    os.close(write)
    assert proc.returncode == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"]["ok"] == 6 and data["exit_code"] == 0
    assert len(list(out.rglob("*.digest.md"))) == 6


# --- the CI story end to end -----------------------------------------------------------------


def test_ci_run_interrupted_once_and_resumed_accounts_for_every_input(
    fake_yaml: Path, tmp_path: Path
) -> None:
    """CI=true, no TTY: good, broken and huge files; SIGINT mid-run; the same command again."""
    src, out, report = tmp_path / "articles", tmp_path / "digests", tmp_path / "run.json"
    good = write_articles(src, 60)
    (src / "kaputt").mkdir()
    (src / "kaputt/leer.txt").write_bytes(b"")
    (src / "kaputt/bild.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with (src / "kaputt/riesig.txt").open("wb") as fh:  # over the 5 MB input limit
        fh.truncate(6_000_000)
    long_article(src, "zz-lang.txt", 60)
    inputs = 60 + 4
    cmd = summarize_cmd(src, out, fake_yaml, "--report", str(report), "-f", "md", "-f", "json")
    env = {**os.environ, "CI": "true"}
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)  # fmt: skip
    deadline = time.monotonic() + 120
    while not ((out / CACHE_NAME).is_file() and (out / CACHE_NAME).read_bytes().count(b"\n")):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert "digest: 64 file(s) to process" in err.decode()  # log lines: no TTY
    first = json.loads(report.read_text(encoding="utf-8"))
    assert first["exit_code"] == 130 and first["interrupted"]
    assert len(first["files"]) == inputs == first["counts"]["total"]
    assert first["counts"]["pending"] >= 1 and first["counts"]["ok"] >= 1
    assert len(read_cache(out)) == first["counts"]["ok"]
    assert not [p for p in out.rglob("*") if p.name.startswith(TEMP_PREFIX)]

    again = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, env=env,
                           check=False)  # fmt: skip
    assert again.returncode == 1, again.stderr.decode()  # the broken files fail
    final = json.loads(report.read_text(encoding="utf-8"))
    status = {Path(f["source"]).relative_to(src).as_posix(): f["status"] for f in final["files"]}
    assert len(status) == inputs and final["exit_code"] == 1 and not final["interrupted"]
    assert {rel for rel, s in status.items() if s == "failed"} == {
        "kaputt/leer.txt", "kaputt/bild.txt", "kaputt/riesig.txt"}  # fmt: skip
    assert final["counts"]["skipped"] == first["counts"]["ok"]
    assert final["counts"]["pending"] == 0
    assert final["counts"]["ok"] + final["counts"]["skipped"] == 61
    for path in good:
        rel = path.relative_to(src)
        assert (out / rel.parent / f"{path.stem}.digest.json").is_file()
    riesig = next(f for f in final["files"] if f["source"].endswith("riesig.txt"))
    assert "too large" in riesig["error"]
