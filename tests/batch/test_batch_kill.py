"""A real `digest` process stopped by SIGTERM (CI cancel) and SIGKILL resumes without loss."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from digest.batch.cache import CACHE_NAME, read_cache
from digest.batch.synthetic import write_articles


def start(src: Path, out: Path, models: Path, report: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "digest", "summarize", str(src), "--out", str(out),
           "--models", str(models), "--report", str(report), "-f", "md", "-f", "json"]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_cache_lines(proc: subprocess.Popen[bytes], out: Path, n: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        cache = out / CACHE_NAME
        if cache.is_file() and len(cache.read_bytes().splitlines()) >= n:
            return
        assert proc.poll() is None, proc.communicate()[1].decode()
        time.sleep(0.05)
    raise AssertionError("the run did not get going")


def test_sigterm_then_sigkill_then_resume(fake_yaml: Path, tmp_path: Path) -> None:
    src, out, report = tmp_path / "in", tmp_path / "out", tmp_path / "run.json"
    paths = write_articles(src, 48)  # three chunks of 16, each article written when done

    proc = start(src, out, fake_yaml, report)
    wait_for_cache_lines(proc, out, 1)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "rerun" in err.decode() or "run the same command again" in err.decode()
    first = json.loads(report.read_text(encoding="utf-8"))
    assert first["interrupted"] and 1 <= first["counts"]["ok"] < 48
    assert first["exit_code"] == 130 and len(first["files"]) == 48
    assert first["counts"]["ok"] + first["counts"]["pending"] == 48
    assert len(read_cache(out)) == first["counts"]["ok"]
    assert not list(out.rglob(".digest-tmp-*"))

    proc = start(src, out, fake_yaml, report)
    wait_for_cache_lines(proc, out, first["counts"]["ok"] + 1)
    proc.kill()  # no handler runs: only the append-after-rename order protects the cache
    proc.communicate(timeout=60)
    done = read_cache(out)
    for entry in done.values():  # everything recorded is really there, whole
        for rel in entry["outputs"]:
            path = out / rel
            if path.suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
            else:
                assert path.read_text(encoding="utf-8").startswith("# ")

    # What a kill during a write would leave behind, old; and a fresh one of a live writer.
    stale = out / "verkehr/00/.digest-tmp-radwege-0001.digest.md.x1y2z3"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("half a dige")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    fresh = out / "verkehr/00/.digest-tmp-radwege-0002.digest.md.a1b2c3"
    fresh.write_text("being written")

    proc = start(src, out, fake_yaml, report)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    final = json.loads(report.read_text(encoding="utf-8"))
    assert final["counts"]["skipped"] == len(done)
    assert final["counts"]["ok"] == 48 - len(done)
    assert not stale.exists() and fresh.exists()
    assert len(read_cache(out)) == 48
    for path in paths:
        rel = path.relative_to(src)
        assert (out / rel.parent / f"{path.stem}.digest.json").is_file()
        assert (out / rel.parent / f"{path.stem}.digest.md").is_file()
