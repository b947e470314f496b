"""Batch runs over folders (digest.batch): outputs, report, cache, reruns, shards, errors."""

from __future__ import annotations

import json
import os
import pickle
import random
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import job_for
from digest.batch import BatchJob, FileOutcome, WorkItem, plan_run, process_items
from digest.batch.cache import CACHE_NAME, read_cache
from digest.batch.job import parse_shard
from digest.batch.plan import list_inputs
from digest.batch.process import load_job_models
from digest.batch.progress import BarProgress, LogProgress
from digest.batch.synthetic import write_articles
from digest.cli import app
from digest.config import load_config
from digest.errors import ConfigError
from digest.options import TranslateOptions
from digest.writers.base import TEMP_PREFIX

runner = CliRunner()

BROKEN = {
    "kaputt/leer.txt": b"",
    "kaputt/bild.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    "kaputt/english.txt": (
        b"The city council met on Monday to discuss new bike lanes. The costs are high and "
        b"the mayor is worried about the budget for next year.\n"
    ),
}


def undecodable() -> bytes:
    rng = random.Random(7)
    alphabet = [*range(0x80, 0x100), 1, 2, 3, 4, 5, 6, 0x1B]
    return bytes(rng.choice(alphabet) for _ in range(800))


def make_folder(root: Path, n: int) -> list[Path]:
    good = write_articles(root, n)
    for rel, data in {**BROKEN, "kaputt/zeichensalat.txt": undecodable()}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return good


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


def expected_outputs(src: Path, root: Path, out: Path, tag: str = "digest") -> list[Path]:
    rel = src.relative_to(root)
    return [out / rel.parent / f"{src.stem}.{tag}.{ext}" for ext in ("md", "json")]


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(TEMP_PREFIX)]


def test_folder_of_200_articles_with_broken_ones(fake_yaml: Path, tmp_path: Path) -> None:
    src, out, report = tmp_path / "artikel", tmp_path / "digests", tmp_path / "run.json"
    good = make_folder(src, 200)
    args = ["summarize", str(src), "--out", str(out), "--models", str(fake_yaml),
            "-f", "md", "-f", "json", "--report", str(report)]  # fmt: skip
    code, err = run(*args)
    assert code == 1, err
    for path in good:  # mirrored tree, predictable names, complete files
        md, js = expected_outputs(path, src, out)
        assert md.read_text(encoding="utf-8").startswith("# ")
        assert json.loads(js.read_text(encoding="utf-8"))["kind"] == "digest"
    assert not temp_files(out)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"] == {"total": 204, "ok": 200, "skipped": 0, "failed": 4, "pending": 0}
    assert data["exit_code"] == 1 and data["kind"] == "digest"
    assert {m["role"]: m["name"] for m in data["models"]} == {
        "translator": "fake-translator",
        "summarizer": "fake-summarizer",
    }
    files = {Path(f["source"]).name: f for f in data["files"]}
    assert "empty" in files["leer.txt"]["error"]
    assert "binary" in files["bild.txt"]["error"]
    assert "German" in files["english.txt"]["error"]
    assert "decoded" in files["zeichensalat.txt"]["error"]
    first = files[good[0].name]
    assert first["status"] == "ok" and first["outputs"] == [
        str(p) for p in expected_outputs(good[0], src, out)
    ]
    assert first["seconds"] > 0 and {"load", "pipeline", "write"} <= set(first["timings"])
    manifest = report.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in manifest] == data["files"]
    assert "failed files" in err and "leer.txt" in err  # the summary table

    # Rerun: every good file is skipped (outputs untouched), the broken ones fail again.
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    code, err = run(*args)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert code == 1 and data["counts"]["skipped"] == 200 and data["counts"]["failed"] == 4
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.md")} == mtimes
    assert data["models"][0]["commit"] == "fake"

    # A changed file is redone, alone.
    changed = good[17]
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Montag", "Dienstag"), encoding="utf-8"
    )
    code, _ = run(*args)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"] == {"total": 204, "ok": 1, "skipped": 199, "failed": 4, "pending": 0}
    (redone,) = [f for f in data["files"] if f["status"] == "ok"]
    assert redone["source"] == str(changed)
    md = expected_outputs(changed, src, out)[0].read_text(encoding="utf-8")
    assert "Dienstag" in md


def test_changed_options_models_yaml_and_force_redo(fake_yaml: Path, tmp_path: Path) -> None:
    src, out, report = tmp_path / "in", tmp_path / "out", tmp_path / "r.json"
    write_articles(src, 5)
    base = ["summarize", str(src), "--out", str(out), "--models", str(fake_yaml),
            "--report", str(report), "--progress", "none"]  # fmt: skip

    def counts(*extra: str) -> dict[str, int]:
        code, err = run(*base, *extra)
        assert code == 0, err
        return json.loads(report.read_text(encoding="utf-8"))["counts"]

    assert counts()["ok"] == 5
    code, _ = run(*base)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert code == 0 and data["counts"]["skipped"] == 5
    assert {m["origin"] for m in data["models"]} == {"not loaded"}  # nothing to do: no load
    assert counts("--bullets", "3")["ok"] == 5  # other options: other outputs
    assert counts("--bullets", "3")["skipped"] == 5
    text = fake_yaml.read_text(encoding="utf-8")
    fake_yaml.write_text(text.replace("max_new_tokens: 40", "max_new_tokens: 30"))
    assert counts("--bullets", "3")["ok"] == 5  # generation settings changed
    assert counts("--bullets", "3", "--force")["ok"] == 5
    md = next(out.rglob("*.digest.md"))
    md.unlink()  # a deleted output is redone even though the cache knows the file
    assert counts("--bullets", "3")["ok"] == 1
    # --force appends duplicates; a later whole run compacts the cache to one line per file.
    lines = (out / CACHE_NAME).read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 2 * 5 and len(read_cache(out)) == 5


def test_interrupt_mid_write_leaves_no_partial_file_and_resumes(
    fake_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C arrives while the JSON of the 11th article is being written."""
    from digest.engines.local import run_local

    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, 24)
    job = job_for(src, out, fake_yaml, chunk_size=8)
    real_fsync, calls = os.fsync, {"n": 0}

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 22:  # 10 articles x 2 formats done, then the md of the 11th
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr("digest.writers.base.os.fsync", fsync)
    report = run_local(job)
    monkeypatch.setattr("digest.writers.base.os.fsync", real_fsync)
    assert report.interrupted and report.count("ok") == 10
    assert not temp_files(out)
    assert len(list(out.rglob("*.json"))) == 10  # the 11th's JSON was never renamed in
    assert len(read_cache(out)) == 10  # ...so the 11th is not recorded as done
    for js in out.rglob("*.json"):
        json.loads(js.read_text(encoding="utf-8"))  # every output is whole

    report = run_local(job)
    assert not report.interrupted
    assert report.count("skipped") == 10 and report.count("ok") == 14
    assert len(list(out.rglob("*.json"))) == 24 and len(list(out.rglob("*.md"))) == 24


def test_interrupt_from_the_model_keeps_finished_chunks(
    fake_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the model works on the third chunk: two chunks are kept, then resumed."""
    from digest.batch import process
    from digest.engines.local import run_local

    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, 20)
    job = job_for(src, out, fake_yaml, chunk_size=5)
    real, calls = process.summarize, {"n": 0}

    def summarize(articles, models, options):  # type: ignore[no-untyped-def]
        calls["n"] += 1  # one pipeline call per chunk
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(articles, models, options)

    monkeypatch.setattr(process, "summarize", summarize)
    report = run_local(job)
    assert report.interrupted and report.count("ok") == 10
    assert len(read_cache(out)) == 10 and not temp_files(out)
    again = run_local(job)
    assert again.count("skipped") == 10 and again.count("ok") == 10


def test_shards_partition_the_files_exactly(fake_yaml: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_folder(src, 200)
    everything = {i.source for i in plan_run(job_for(src, tmp_path / "o", fake_yaml))}
    assert len(everything) == 204
    shards = [
        {i.source for i in plan_run(job_for(src, tmp_path / "o", fake_yaml, shard=(k, 3)))}
        for k in (1, 2, 3)
    ]
    assert set().union(*shards) == everything
    assert sum(len(s) for s in shards) == len(everything)  # disjoint
    assert min(len(s) for s in shards) > 40  # and roughly even
    # A new file lands in one shard; no other file moves.
    (src / "neu.txt").write_text((src / "verkehr/00/radwege-0000.txt").read_text("utf-8"))
    again = [
        {i.source for i in plan_run(job_for(src, tmp_path / "o", fake_yaml, shard=(k, 3)))}
        for k in (1, 2, 3)
    ]
    assert [len(b - a) for a, b in zip(shards, again, strict=True)].count(1) == 1
    assert all(a <= b for a, b in zip(shards, again, strict=True))


@pytest.mark.parametrize("text", ["0/3", "4/3", "2", "a/b", "1/0"])
def test_bad_shard_is_a_usage_error(text: str, fake_yaml: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        parse_shard(text)
    write_articles(tmp_path / "in", 2)
    code, err = run("summarize", str(tmp_path / "in"), "--out", str(tmp_path / "o"),
                    "--models", str(fake_yaml), "--shard", text)  # fmt: skip
    assert code == 2 and err.startswith("error:") and not (tmp_path / "o").exists()


def test_usage_and_model_errors_exit_2_before_any_work(fake_yaml: Path, tmp_path: Path) -> None:
    (tmp_path / "leer").mkdir()
    write_articles(tmp_path / "in", 3)
    out = tmp_path / "o"
    cases = [
        ["summarize", str(tmp_path / "leer"), "--out", str(out)],
        ["summarize", str(tmp_path / "in"), "--out", str(out), "-f", "pdf"],
        ["summarize", str(tmp_path / "in")],  # several inputs need --out FOLDER
        ["summarize", str(tmp_path / "in"), "--out", str(out), "--translator", "nope"],
        ["translate", str(tmp_path / "in"), "--out", str(out), "--to", "xx"],
    ]
    for args in cases:
        code, err = run(*args, "--models", str(fake_yaml))
        assert code == 2, (args, err)
        assert err.startswith("error:") or "Invalid value" in err
        assert not out.exists()


def test_translate_folder_mirrors_tree_and_excludes_its_output(
    fake_yaml: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    good = write_articles(src, 6)
    (src / "verkehr/00/radwege-0000.md").write_text(good[0].read_text("utf-8"), "utf-8")
    out = src / "english"  # inside the input tree: must not become input on a rerun
    report = tmp_path / "r.json"
    for _ in range(2):
        code, err = run("translate", str(src), "--to", "en", "--out", str(out),
                        "--models", str(fake_yaml), "--report", str(report))  # fmt: skip
        assert code == 1, err  # radwege-0000.txt and .md clash
    data = json.loads(report.read_text(encoding="utf-8"))
    (failed,) = [f for f in data["files"] if f["status"] == "failed"]
    assert failed["source"] == str(good[0])  # the .md sorts first and keeps the name
    assert "would overwrite the output of" in failed["error"]
    for path in good:
        assert (out / path.relative_to(src).parent / f"{path.stem}.en.md").is_file()
    assert len(list(out.rglob("*.md"))) == 6


def test_progress_log_lines_for_ci(fake_yaml: Path, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 4)
    code, err = run("summarize", str(tmp_path / "in"), "--out", str(tmp_path / "o"),
                    "--models", str(fake_yaml))  # fmt: skip
    assert code == 0
    assert "digest: 4 file(s) to process" in err and "4/4 files (0 failed)" in err
    code, err = run("summarize", str(tmp_path / "in"), "--out", str(tmp_path / "o"),
                    "--models", str(fake_yaml), "--quiet")  # fmt: skip
    assert code == 0 and err == ""

    class Sink:
        def __init__(self) -> None:
            self.lines: list[str] = []

        def write(self, s: str) -> None:
            self.lines.append(s)

        def flush(self) -> None:
            pass

    sink = Sink()
    log = LogProgress(sink, interval=0.0)  # type: ignore[arg-type]
    log.start(3, 2)
    for status in ("ok", "failed", "ok"):
        time.sleep(0.001)
        log.update(FileOutcome("x", status))  # type: ignore[arg-type]
    log.close()
    text = "".join(sink.lines)
    assert "3 file(s) to process, 2 up to date" in text
    assert "1/3 files (0 failed)" in text and "2/3 files (1 failed)" in text and "ETA" in text
    assert text.rstrip().endswith(
        "3/3 files (1 failed), " + text.rstrip().split(", ")[-2] + ", done"
    )


def test_contract_records_are_picklable_and_process_items_never_raises(
    fake_yaml: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    write_articles(src, 3)
    (src / "leer.txt").write_bytes(b"")
    job = job_for(src, tmp_path / "o", fake_yaml, shard=(1, 1))
    items = plan_run(job)
    assert pickle.loads(pickle.dumps((job, items))) == (job, items)
    assert all(isinstance(i, WorkItem) for i in items)
    outcomes = process_items(items, load_job_models(job), job)
    assert [o.status for o in outcomes].count("failed") == 1
    assert pickle.loads(pickle.dumps(outcomes)) == outcomes
    t_job = BatchJob("translate", (str(src),), tmp_path / "t", TranslateOptions(), ("md",),
                     translator=load_config(fake_yaml).translator("en"))  # fmt: skip
    assert [i.outputs[0].name for i in plan_run(t_job)][:1] == ["leer.en.md"]


def test_list_inputs_skips_hidden_and_keeps_globs_relative(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 3)
    (tmp_path / "in/.git").mkdir()
    (tmp_path / "in/.git/notiz.txt").write_text("x")
    found = list_inputs([str(tmp_path / "in")])
    assert [rel for _, rel in found] == sorted(rel for _, rel in found)
    assert not any(".git" in rel for _, rel in found) and len(found) == 3
    globbed = list_inputs([str(tmp_path / "in/**/*.txt")])
    assert {rel for _, rel in globbed} <= {rel for _, rel in found} and globbed


def test_docs_ci_example_runs_a_shard_offline_with_a_report(
    fake_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest command of docs/ci-example.yml, run as written (fake models here)."""
    import shlex

    import yaml

    doc = Path(__file__).resolve().parents[2] / "docs" / "ci-example.yml"
    workflow = yaml.safe_load(doc.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["digest"]["steps"]
    cached = [
        s["with"]["path"] for s in steps if str(s.get("uses", "")).startswith("actions/cache")
    ]
    assert "${{ env.HF_HOME }}" in cached and "digests" in cached
    script = next(s["run"] for s in steps if "digest summarize" in s.get("run", ""))
    line = " ".join(script.replace("\\\n", " ").split("digest summarize", 1)[1].split("\n")[0:1])
    argv = shlex.split(line.replace("${{ matrix.shard }}", "1"))
    assert {"--offline", "--shard", "--report", "--out"} <= set(argv)
    monkeypatch.chdir(tmp_path)
    write_articles(tmp_path / "articles", 8)
    (tmp_path / "models.yaml").write_text(fake_yaml.read_text(encoding="utf-8"))
    code, err = run("summarize", *argv)
    assert code == 0, err
    data = json.loads((tmp_path / "reports/shard-1.json").read_text(encoding="utf-8"))
    assert data["shard"] == "1/4" and data["counts"]["ok"] == len(data["files"])


def test_progress_bar_on_a_terminal_shows_counts_rate_and_failures() -> None:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    bar = BarProgress(Console(file=buffer, force_terminal=True, width=120, color_system=None))
    bar.start(3, 5)
    for status in ("ok", "failed", "ok"):
        bar.update(FileOutcome("x", status))  # type: ignore[arg-type]
    bar.close()
    text = buffer.getvalue()
    assert "5 file(s) up to date" in text
    assert "3/3" in text and "files/s" in text and "1 failed" in text and "ETA" in text
