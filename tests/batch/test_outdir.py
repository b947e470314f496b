"""What digest touches under --out (own temp files, no links followed, a lock), file modes,
and one-line errors for unwritable places, odd inputs and refused model weights."""

from __future__ import annotations

import errno
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from digest.backends.hf import load_failure
from digest.batch.cache import CACHE_NAME, read_cache
from digest.batch.outdir import LOCK_NAME, folder_lock
from digest.batch.synthetic import write_articles
from digest.cli import app
from digest.errors import ModelError
from digest.writers.base import TEMP_PREFIX

runner = CliRunner()
OLD = time.time() - 3600

ARTIKEL = (
    "Neue Brücke über die Weser\n\n"
    "Die Stadt Bremen baut bis zum Jahr 2028 eine neue Brücke über die Weser. "
    "Der Bau kostet nach Angaben der Verwaltung rund 41 Millionen Euro. "
    "Radfahrer und Fußgänger sollen die Brücke ab dem Sommer nutzen können. "
    "Der Senat hat den Plänen am Dienstag zugestimmt.\n"
)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


def summarize(src: Path | str, out: Path, models: Path, *extra: str) -> tuple[int, str]:
    return run("summarize", str(src), "--out", str(out), "--models", str(models), "-q", *extra)


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "internal error" not in lines[0], err
    return lines[0]


def age(path: Path) -> Path:
    os.utime(path, (OLD, OLD))
    return path


# -- our files only ------------------------------------------------------------------------


def test_only_digests_own_old_temp_files_are_deleted(fake_yaml: Path, tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, 3)  # outputs go to out/verkehr/00/
    (out / ".git").mkdir(parents=True)
    (out / "verkehr/00").mkdir(parents=True)
    (out / "notizen").mkdir()
    live = out / "verkehr/00" / f"{TEMP_PREFIX}radwege-0001.digest.md.live"  # being written
    old = [
        out / ".entwurf.tmp",  # a user's temp-looking files, anywhere
        out / ".git/.index.tmp",
        out / "verkehr/00/.radwege-0000.digest.md.abc123.tmp",
        out / "notizen" / f"{TEMP_PREFIX}fremd",  # ours by name, but not where we write
    ]
    for path in [*old, live]:
        path.write_text("x")
    for path in old:
        age(path)
    keep = [*old, live]
    stale = out / "verkehr/00" / f"{TEMP_PREFIX}radwege-0000.digest.md.1a2b3c"
    stale.write_text("half a dig")
    age(stale)

    code, err = summarize(src, out, fake_yaml)
    assert code == 0, err
    assert not stale.exists()
    assert all(p.exists() for p in keep), [p for p in keep if not p.exists()]


def test_a_linked_cache_file_is_refused_and_its_target_untouched(
    fake_yaml: Path, tmp_path: Path
) -> None:
    src, out, victim = tmp_path / "in", tmp_path / "out", tmp_path / "wichtig.txt"
    write_articles(src, 2)
    victim.write_text("nicht anfassen\n")
    out.mkdir()
    (out / CACHE_NAME).symlink_to(victim)
    for extra in ((), ("--force",)):
        code, err = summarize(src, out, fake_yaml, *extra)
        assert code == 2, err
        line = one_error_line(err)
        assert str(out / CACHE_NAME) in line and "symbolic link" in line
    assert victim.read_text() == "nicht anfassen\n"
    assert not list(out.rglob("*.digest.md"))  # refused before any work


def test_a_linked_subfolder_is_not_written_through(fake_yaml: Path, tmp_path: Path) -> None:
    src, out, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "anderswo"
    write_articles(src, 2)  # in/verkehr/00/...
    (src / "bruecke.txt").write_text(ARTIKEL, encoding="utf-8")
    elsewhere.mkdir()
    out.mkdir()
    (out / "verkehr").symlink_to(elsewhere)
    report = tmp_path / "run.json"
    code, err = summarize(src, out, fake_yaml, "--report", str(report))
    assert code == 1, err
    assert not list(elsewhere.rglob("*")), list(elsewhere.rglob("*"))
    assert (out / "bruecke.digest.md").is_file()
    failed = [f for f in json.loads(report.read_text())["files"] if f["status"] == "failed"]
    assert len(failed) == 2
    assert all(f"{out / 'verkehr'} is a symbolic link" in f["error"] for f in failed)

    # An output that is a link is replaced by the new file; its target is not written.
    victim = tmp_path / "ziel.md"
    victim.write_text("bleibt\n")
    (out / "bruecke.digest.md").unlink()
    (out / "bruecke.digest.md").symlink_to(victim)
    code, err = summarize(src / "bruecke.txt", out, fake_yaml, "--force")
    assert code == 0, err
    assert victim.read_text() == "bleibt\n"
    assert not (out / "bruecke.digest.md").is_symlink()
    assert (out / "bruecke.digest.md").read_text(encoding="utf-8").startswith("# ")


def test_a_second_run_on_the_same_folder_and_shard_refuses(fake_yaml: Path, tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, 4)
    out.mkdir()
    with folder_lock(out, None):  # a whole run is working on out
        for shard in ((), ("--shard", "1/2")):
            code, err = summarize(src, out, fake_yaml, *shard)
            assert code == 2, err
            assert "in use by another digest run" in one_error_line(err)
    with folder_lock(out, (1, 2)):  # shard 1/2 is working on out
        code, err = summarize(src, out, fake_yaml, "--shard", "1/2")
        assert code == 2 and "shard 1/2" in one_error_line(err)
        code, err = summarize(src, out, fake_yaml)
        assert code == 2 and "in use" in one_error_line(err)
        code, err = summarize(src, out, fake_yaml, "--shard", "2/2")  # shards share a folder
        assert code == 0, err
    code, err = summarize(src, out, fake_yaml)
    assert code == 0, err
    assert len(read_cache(out)) == 4
    assert (out / LOCK_NAME).is_file()


def test_a_linked_lock_file_is_refused(fake_yaml: Path, tmp_path: Path) -> None:
    src, out, victim = tmp_path / "in", tmp_path / "out", tmp_path / "ziel.txt"
    write_articles(src, 1)
    victim.write_text("bleibt\n")
    out.mkdir()
    (out / LOCK_NAME).symlink_to(victim)
    code, err = summarize(src, out, fake_yaml)
    assert code == 2 and "symbolic link" in one_error_line(err)
    assert victim.read_text() == "bleibt\n"


# -- file modes ----------------------------------------------------------------------------


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o077])
def test_outputs_cache_and_report_get_the_umask_mode(
    mask: int, fake_yaml: Path, tmp_path: Path
) -> None:
    src, out, report = tmp_path / "in", tmp_path / "out", tmp_path / "reports/run.json"
    write_articles(src, 2)
    with umask(mask):
        for _ in range(3):  # --force appends; the third run compacts (rewrites) the cache
            code, err = summarize(src, out, fake_yaml, "-f", "all", "--report", str(report),
                                  "--force")  # fmt: skip
            assert code == 0, err
        single = tmp_path / "einzeln.md"
        code, err = run("summarize", str(next(src.rglob("*.txt"))), "--out", str(single),
                        "--models", str(fake_yaml), "-q")  # fmt: skip
        assert code == 0, err
    assert len((out / CACHE_NAME).read_text().splitlines()) == 2  # compacted
    files = [*out.rglob("*.digest.*"), out / CACHE_NAME, out / LOCK_NAME, report, single]
    files.append(report.with_suffix(".jsonl"))
    assert len(files) == 2 * 4 + 5
    want = 0o666 & ~mask
    modes = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
    assert set(modes.values()) == {oct(want)}, modes


# -- one-line errors -----------------------------------------------------------------------


def fail_writes(monkeypatch: pytest.MonkeyPatch, hit: Callable[[str], bool], err: int) -> None:
    """os.write fails with ``err`` for files whose path ``hit`` accepts (a full disk)."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to see which file a descriptor is")
    real = os.write

    def write(fd: int, data: bytes) -> int:
        if hit(os.readlink(f"/proc/self/fd/{fd}")):
            raise OSError(err, os.strerror(err))
        return real(fd, data)

    monkeypatch.setattr("digest.writers.base.os.write", write)


@pytest.mark.parametrize("which", ["outputs", "cache"])
def test_a_full_disk_fails_each_file_with_one_line(
    which: str, fake_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out, report = tmp_path / "in", tmp_path / "out", tmp_path / "run.json"
    write_articles(src, 3)
    real_out = str(out.resolve())
    if which == "outputs":
        fail_writes(monkeypatch, lambda p: p.startswith(real_out) and TEMP_PREFIX in p, 28)
    else:
        fail_writes(monkeypatch, lambda p: p.endswith(CACHE_NAME), errno.ENOSPC)
    code, err = summarize(src, out, fake_yaml, "--report", str(report))
    assert code == 1, err
    assert "internal error" not in err
    files = json.loads(report.read_text())["files"]
    assert [f["status"] for f in files] == ["failed"] * 3
    for f in files:
        assert f["error"].startswith(f["source"] + ": cannot write ")
        assert f["error"].endswith("No space left on device") and "\n" not in f["error"]
    assert not [p for p in out.rglob("*") if p.name.startswith(TEMP_PREFIX)]
    assert read_cache(out) == {}  # nothing recorded as done: a rerun redoes all three


def test_a_report_that_cannot_be_written_is_said_and_fails_the_run(
    fake_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out, report = tmp_path / "in", tmp_path / "out", tmp_path / "berichte/run.json"
    write_articles(src, 2)
    real = str(tmp_path.resolve() / "berichte")
    fail_writes(monkeypatch, lambda p: p.startswith(real), errno.ENOSPC)
    code, err = summarize(src, out, fake_yaml, "--report", str(report))
    assert code == 1, err
    line = one_error_line(err)  # -q: only this line
    assert "berichte" in line and "No space left on device" in line and "no report" in line
    assert len(list(out.rglob("*.digest.md"))) == 2  # the work is kept
    assert not report.exists()


def test_report_and_out_in_impossible_places_fail_before_any_work(
    fake_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, 2)
    a_file = tmp_path / "datei"
    a_file.write_text("x")
    code, err = summarize(src, out, fake_yaml, "--report", str(a_file / "run.json"))
    assert code == 2 and f"{a_file} is a file, not a folder" in one_error_line(err)
    assert "--report" in err and not out.exists()
    code, err = summarize(src, a_file / "sub", fake_yaml)
    assert code == 2 and f"{a_file} is a file, not a folder" in one_error_line(err)

    read_only = tmp_path / "nur-lesen"
    read_only.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        "digest.writers.base.os.access",
        lambda p, mode: False if Path(p) == read_only else real_access(p, mode),
    )
    code, err = summarize(src, out, fake_yaml, "--report", str(read_only / "run.json"))
    assert code == 2 and f"{read_only} is not writable" in one_error_line(err)
    code, err = summarize(src, read_only / "digests", fake_yaml)
    assert code == 2 and f"{read_only} is not writable" in one_error_line(err)
    assert not out.exists()


@pytest.mark.parametrize("name", ["bruecke.txt", "bruecke.md"])
def test_out_equal_to_an_input_file_is_refused(name: str, fake_yaml: Path, tmp_path: Path) -> None:
    article = tmp_path / name
    article.write_text(ARTIKEL, encoding="utf-8")
    code, err = run("summarize", str(article), "--out", str(article), "--models", str(fake_yaml))
    assert code == 2
    line = one_error_line(err)
    assert str(article) in line and "--out" in line and "input file" in line
    assert article.read_text(encoding="utf-8") == ARTIKEL


def test_a_symlink_loop_argument_is_one_line(fake_yaml: Path, tmp_path: Path) -> None:
    loop = tmp_path / "schleife.txt"
    loop.symlink_to(loop)
    code, err = run("summarize", str(loop), "--models", str(fake_yaml))
    assert code == 2
    assert str(loop) in one_error_line(err) and "loop" in err
    good = tmp_path / "bruecke.txt"
    good.write_text(ARTIKEL, encoding="utf-8")
    code, err = summarize(loop, tmp_path / "out", fake_yaml, str(good))
    assert code == 1 and "loop" in err and "internal error" not in err
    assert (tmp_path / "out/bruecke.digest.md").is_file()


def test_fifos_are_refused_never_opened(fake_yaml: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, 2)
    os.mkfifo(src / "rohr.txt")
    os.mkfifo(tmp_path / "allein.txt")
    base = [sys.executable, "-m", "digest", "summarize", "--models", str(fake_yaml), "-q"]
    # A subprocess with a timeout: opening a FIFO would block the test forever.
    alone = subprocess.run([*base, str(tmp_path / "allein.txt")], capture_output=True,
                           text=True, timeout=120)  # fmt: skip
    assert alone.returncode == 2
    assert "allein.txt is a FIFO (named pipe), not a regular file" in one_error_line(alone.stderr)
    folder = subprocess.run([*base, str(src), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert folder.returncode == 1
    assert "rohr.txt is a FIFO" in one_error_line(folder.stderr)
    assert len(list((tmp_path / "out").rglob("*.digest.md"))) == 2


class NotATensor:
    """Something torch's weights-only unpickler does not allow (nothing runs on load)."""


def pickle_weights_model(tiny_models: object, tmp_path: Path) -> Path:
    """The tiny Marian with its weights in a pickle that also holds a foreign object."""
    from safetensors.torch import load_file

    model = tmp_path / "pickle-marian"
    shutil.copytree(tiny_models.marian, model)  # type: ignore[attr-defined]
    weights = load_file(model / "model.safetensors")
    (model / "model.safetensors").unlink()
    with (model / "pytorch_model.bin").open("wb") as fh:
        pickle.dump({"state": weights, "extra": NotATensor()}, fh)
    return model


def test_pickle_weights_refused_by_torch_are_one_line(tiny_models: object, tmp_path: Path) -> None:
    model = pickle_weights_model(tiny_models, tmp_path)
    article = tmp_path / "bruecke.txt"
    article.write_text(ARTIKEL, encoding="utf-8")
    code, err = run("translate", str(article), "--to", "en", "--translator", str(model))
    assert code == 2
    line = err.strip().splitlines()[-1]
    assert line.startswith("error: ") and "internal error" not in line, err
    assert str(model) in line and "pytorch_model.bin" in line and "safetensors" in line


def test_ct2_conversion_of_refused_pickle_weights_is_one_line(
    tiny_models: object, tmp_path: Path
) -> None:
    pytest.importorskip("ctranslate2")
    from digest.backends.ct2 import convert_model

    model = pickle_weights_model(tiny_models, tmp_path)
    with pytest.raises(ModelError) as info:
        convert_model(model, tmp_path / "ct2", "int8", name="pickle-marian", progress=False)
    message = str(info.value)
    assert "\n" not in message and "pytorch_model.bin" in message and "safetensors" in message


def test_a_many_line_loader_error_becomes_one_line(tmp_path: Path) -> None:
    exc = ValueError("torch is too old to load .bin files safely:\n\n  see the advisory\n")
    assert (
        load_failure(exc, tmp_path)
        == "torch is too old to load .bin files safely: see the advisory"
    )
    long = load_failure(OSError("x" * 1000 + "\n" + "y"), tmp_path)
    assert len(long) == 300 and long.endswith("...")


def test_a_model_that_fails_to_load_leaves_no_out_folder(fake_yaml: Path, tmp_path: Path) -> None:
    src, out, model = tmp_path / "in", tmp_path / "neu/digests", tmp_path / "kaputt-modell"
    write_articles(src, 2)
    model.mkdir()
    (model / "config.json").write_text("{}")
    # Languages known (de->en), so it passes the config check and fails only when loading.
    (model / "tokenizer_config.json").write_text('{"source_lang": "de", "target_lang": "en"}')
    code, err = summarize(src, out, fake_yaml, "--translator", str(model))
    assert code == 2 and str(model) in one_error_line(err)
    assert not (tmp_path / "neu").exists()  # created for the lock, removed again
    out.mkdir(parents=True)
    (out / "alt.txt").write_text("bleibt")
    code, err = summarize(src, out, fake_yaml, "--translator", str(model))
    assert code == 2 and sorted(p.name for p in out.iterdir()) == [LOCK_NAME, "alt.txt"]


# -- inputs and outputs in one tree --------------------------------------------------------


def digests_of_digests(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".digest.digest." in p.name]


def test_out_equal_to_the_input_folder_never_reads_its_own_outputs(
    fake_yaml: Path, tmp_path: Path
) -> None:
    src = tmp_path / "artikel"
    inputs = write_articles(src, 3)
    (src / "notizen.digest.md").write_text(ARTIKEL, encoding="utf-8")  # a user's own file
    report = tmp_path / "run.json"
    code, err = summarize(src, src, fake_yaml, "--report", str(report))
    assert code == 0, err
    assert json.loads(report.read_text())["counts"]["ok"] == 4
    assert (src / "notizen.digest.digest.md").is_file()  # no input of that name: it is input
    code, err = summarize(src, src, fake_yaml, "--report", str(report))
    assert code == 0, err
    assert json.loads(report.read_text())["counts"] == {"total": 4, "ok": 0, "skipped": 4,
                                                        "failed": 0, "pending": 0}  # fmt: skip
    (src / CACHE_NAME).unlink()  # without the cache, the names next to their inputs tell
    code, err = summarize(src, src, fake_yaml, "--report", str(report))
    assert code == 0, err
    counts = json.loads(report.read_text())["counts"]
    assert counts["ok"] == 4 and counts["total"] == 4
    assert digests_of_digests(src) == [src / "notizen.digest.digest.md"]
    assert all((p.parent / f"{p.stem}.digest.md").is_file() for p in inputs)


def test_outputs_of_another_run_inside_the_inputs_are_not_inputs(
    fake_yaml: Path, tmp_path: Path
) -> None:
    src = tmp_path / "artikel"
    write_articles(src, 2)
    code, err = summarize(src, src / "digests", fake_yaml)
    assert code == 0, err
    # Another run whose --out is elsewhere: digests/ holds outputs its cache lists.
    code, err = summarize(src, tmp_path / "zweite", fake_yaml)
    assert code == 0, err
    assert not digests_of_digests(tmp_path / "zweite")
    assert len(list((tmp_path / "zweite").rglob("*.digest.md"))) == 2
    # A glob finds them too; a user file named like an output outside --out stays input.
    (src / "alt.digest.md").write_text(ARTIKEL, encoding="utf-8")
    (src / "alt.txt").write_text(ARTIKEL, encoding="utf-8")
    code, err = summarize(f"{src}/**/*.md", tmp_path / "dritte", fake_yaml)
    assert code == 0, err
    made = sorted(p.name for p in (tmp_path / "dritte").rglob("*.digest.md"))
    md_inputs = sorted(
        f"{p.stem}.digest.md"
        for p in src.rglob("*.md")
        if "digests" not in p.relative_to(src).parts
    )
    assert made == md_inputs and "alt.digest.digest.md" in made, made


def test_a_killed_report_writes_temp_is_removed_from_the_report_folder(
    fake_yaml: Path, tmp_path: Path
) -> None:
    src, reports = tmp_path / "in", tmp_path / "berichte"
    write_articles(src, 1)
    reports.mkdir()
    stale, mine = reports / f"{TEMP_PREFIX}run.json.0a0b0c", reports / ".run.json.tmp"
    for path in (stale, mine):  # mine is not named as digest's temp files: it stays
        path.write_text("{")
        age(path)
    code, err = summarize(src, tmp_path / "out", fake_yaml, "--report", str(reports / "run.json"))
    assert code == 0, err
    assert not stale.exists() and mine.exists()
