"""Batch runs with tiny real models: --offline makes no network attempt; reruns skip."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from digest.batch.synthetic import write_articles
from digest.cli import app


def test_offline_batch_with_tiny_models_never_touches_the_network(
    tiny_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    src, out, report = tmp_path / "in", tmp_path / "out", tmp_path / "run.json"
    write_articles(src, 4)
    args = [
        "summarize",
        str(src),
        "--out",
        str(out),
        "--models",
        str(tiny_yaml),
        "--offline",
        "--report",
        str(report),
        "--format",
        "json",
        "--bullets",
        "3",
        "--threads",
        "1",
    ]  # fmt: skip - one thread: this box is shared, spinning threads stall
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"]["ok"] == 4
    models = {m["role"]: m for m in data["models"]}
    assert models["summarizer"]["name"] == "tiny-t5"
    assert models["translator"]["commit"].startswith("local-")
    digest = json.loads(next(out.rglob("*.digest.json")).read_text(encoding="utf-8"))
    assert digest["summary"]["en"] is not None

    result = CliRunner().invoke(app, args)  # the local-directory fingerprint is stable
    assert result.exit_code == 0
    assert json.loads(report.read_text(encoding="utf-8"))["counts"]["skipped"] == 4

    t_args = ["translate", str(src), "--to", "en", "--out", str(tmp_path / "en"), "--offline",
              "--models", str(tiny_yaml), "--shard", "1/2", "--threads", "1"]  # fmt: skip
    result = CliRunner().invoke(app, t_args)
    assert result.exit_code == 0, result.stderr
    assert 0 < len(list((tmp_path / "en").rglob("*.en.md"))) < 4
    assert attempts == []
