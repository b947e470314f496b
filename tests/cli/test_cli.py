"""End to end through the CLI, as users run it: tiny real models and the fake backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SAMPLE_FILES
from digest.cli import app
from digest.ingest.article import load_article

runner = CliRunner()


def run(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_summarize_every_sample_with_tiny_models(
    sample: Path, tiny_yaml: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, _, err = run(
        "summarize", str(sample), "--models", str(tiny_yaml), "--out", str(out),
        "--format", "md", "--format", "json", "--bullets", "4",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads((out / f"{sample.stem}.digest.json").read_text(encoding="utf-8"))
    article = load_article(sample)
    assert data["kind"] == "digest" and data["schema_version"]
    assert data["title"]["de"] == article.title.text and data["title"]["en"] is not None
    assert data["summary"]["de"] and data["summary"]["en"] is not None
    # A random-weight model may write one text for every section and the article; bullets
    # that would restate the summary are dropped, and the digest says how many are left.
    assert len(data["bullets"]) <= 4
    fewer = [w for w in data["warnings"] if "key bullets" in w]
    assert bool(fewer) == (len(data["bullets"]) < 4)
    section_ids = {s.id for s in article.sections if s.sentences}
    assert {s["section_id"] for s in data["sections"]} == section_ids
    sentence_ids = {s.id for s in article.sentences}
    for bullet in data["bullets"]:
        assert bullet["text"]["de"] and bullet["text"]["en"] is not None
        assert set(bullet["source_ids"]) <= sentence_ids
    roles = {m["role"]: m for m in data["meta"]["models"]}
    assert roles["summarizer"]["name"] == "tiny-t5" and roles["translator"]["name"] == "tiny-marian"
    assert roles["translator"]["commit"].startswith("local-")
    assert data["options"]["bullets"] == 4
    md = (out / f"{sample.stem}.digest.md").read_text(encoding="utf-8")
    assert md.startswith(f"# {article.title.text}")
    assert "## Summary" in md and "## Zusammenfassung" in md
    assert "**EN:**" in md or not data["bullets"]  # bullets are the only **EN:** lines


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_translate_every_sample_keeps_every_block(sample: Path, tiny_yaml: Path) -> None:
    code, stdout, err = run(
        "translate", str(sample), "--to", "en", "--models", str(tiny_yaml), "--format", "json"
    )
    assert code == 0, err
    data = json.loads(stdout)
    article = load_article(sample)
    assert [b["block_id"] for b in data["blocks"]] == [b.id for b in article.blocks]
    n_sentences = sum(len(b.sentences) for b in article.blocks)
    assert sum(len(b["sentences"]) for b in data["blocks"]) == n_sentences
    assert data["meta"]["models"][0]["name"] == "tiny-marian"


def test_summarize_from_stdin_to_stdout_markdown(fake_yaml: Path) -> None:
    text = (Path(SAMPLE_FILES[0])).read_bytes()
    code, stdout, err = run("summarize", "-", "--models", str(fake_yaml), input=text)
    assert code == 0, err
    assert stdout.startswith("# ") and "## Summary" in stdout


def test_translate_reports_its_checks_on_stderr_even_when_clean(
    fake_yaml: Path, tmp_path: Path
) -> None:
    sample = SAMPLE_FILES[0]
    out = tmp_path / "en.md"
    code, _, err = run(
        "translate", str(sample), "--to", "en", "--models", str(fake_yaml), "--out", str(out)
    )
    assert code == 0, err
    lines = [line for line in err.splitlines() if "checks:" in line]
    n = sum(len(b.sentences) for b in load_article(sample).blocks)
    assert len(lines) == 1 and f"checks: {n} sentences" in lines[0], err


def test_bad_stdin_is_one_line_naming_stdin_once(fake_yaml: Path) -> None:
    code, stdout, err = run("summarize", "-", "--models", str(fake_yaml), input=b"")
    assert code == 2 and stdout == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: stdin"), err
    assert lines[0].count("stdin") == 1 and "-:" not in lines[0]


def test_german_only_extractive_digest_needs_no_model(fake_yaml: Path, tmp_path: Path) -> None:
    out = tmp_path / "digest.json"
    sample = next(p for p in SAMPLE_FILES if p.suffix == ".txt")
    code, _, err = run(
        "summarize", str(sample), "--summarizer", "extractive", "--to", "de",
        "--offline", "--out", str(out), "--format", "json", "--models", str(fake_yaml),
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["title"]["en"] is None and data["summary"]["en"] is None
    assert [m["name"] for m in data["meta"]["models"]] == ["extractive"]
    article = load_article(sample)
    for bullet in data["bullets"]:  # extractive bullets are source sentences, exactly
        (sid,) = bullet["source_ids"]
        sent = article.sentence(sid)
        assert bullet["text"]["de"] == sent.text
        assert bullet["spans"] == [[sent.start, sent.end]]
        assert article.text[sent.start : sent.end] == sent.text


def test_offline_failure_is_one_line_with_exit_code_2(tmp_path: Path) -> None:
    """Default models.yaml, empty HF cache, no Hub: the error names the model and remedies."""
    sample = SAMPLE_FILES[0]
    root_yaml = Path(__file__).resolve().parents[2] / "models.yaml"
    for extra in (["--offline"], []):  # offline mode, and plain "no network"
        code, stdout, err = run("summarize", str(sample), "--models", str(root_yaml), *extra)
        assert code == 2
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, err
        assert lines[0].startswith("error: model 'opus-mt-de-en' (Helsinki-NLP/opus-mt-de-en)")
        assert "digest models pull opus-mt-de-en" in lines[0] and "--translator" in lines[0]
        assert "Traceback" not in err and stdout == ""


def test_debug_env_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_DEBUG", "1")
    root_yaml = Path(__file__).resolve().parents[2] / "models.yaml"
    result = runner.invoke(
        app, ["summarize", str(SAMPLE_FILES[0]), "--models", str(root_yaml), "--offline"]
    )
    assert result.exit_code != 0
    assert type(result.exception).__name__ == "ModelNotAvailableError"


def test_bad_input_file_is_one_line_exit_2(fake_yaml: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run("summarize", str(empty), "--models", str(fake_yaml))
    assert code == 2
    assert err.strip().startswith("error:") and len(err.strip().splitlines()) == 1


def test_models_list_shows_status(tiny_yaml: Path) -> None:
    code, stdout, _ = run("models", "list", "--models", str(tiny_yaml))
    assert code == 0
    rows = {line.split()[0]: line for line in stdout.splitlines()[2:]}
    assert rows["tiny-marian"].endswith("local dir")
    assert rows["extractive"].endswith("built in")
    code, stdout, _ = run(
        "models", "list", "--models", str(Path(__file__).parents[2] / "models.yaml")
    )
    assert "missing" in stdout


def test_models_pull_offline_fails_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    root_yaml = Path(__file__).resolve().parents[2] / "models.yaml"
    code, _, err = run("models", "pull", "opus-mt-de-en", "--models", str(root_yaml))
    assert code == 2 and "not available offline" in err


@pytest.mark.parametrize("command", ["summarize", "translate", "inspect", "models"])
def test_help_explains_options_with_an_example(command: str) -> None:
    code, stdout, _ = run(command, "--help")
    assert code == 0
    if command == "models":
        assert "list" in stdout and "pull" in stdout
        return
    assert "Example" in stdout
    if command in ("summarize", "translate"):
        for option in ("--out", "--format", "--models", "--device", "--offline"):
            assert option in stdout


def test_schema_command_prints_the_shipped_schema() -> None:
    code, stdout, _ = run("schema")
    assert code == 0
    schema = json.loads(stdout)
    assert schema["$id"].startswith("urn:digest:schema:output:")
    code, stdout, _ = run("schema", "--path")
    assert code == 0 and json.loads(Path(stdout.strip()).read_text(encoding="utf-8")) == schema


def test_bad_option_value_is_a_one_line_usage_error() -> None:
    sample = str(SAMPLE_FILES[0])
    code, _, err = run("summarize", sample, "--summarizer", "extractive", "--device", "tpu")
    assert code == 2
    assert err.startswith("error:") and "--device" in err and len(err.strip().splitlines()) == 1


def test_section_summaries_and_backend_options(fake_yaml: Path, tiny_yaml: Path) -> None:
    sample = str(SAMPLE_FILES[0])
    base = ["summarize", sample, "--to", "de", "--format", "json"]
    code, out, _ = run(*base, "--models", str(fake_yaml), "--summarizer", "fake-summarizer",
                       "--section-summaries", "extractive")  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["sections"] and all(s["extractive"] for s in doc["sections"])
    assert doc["options"]["section_summaries"] == "extractive"
    code, out, _ = run(*base, "--models", str(fake_yaml), "--summarizer", "fake-summarizer",
                       "--section-summaries", "auto", "--section-words", "1")  # fmt: skip
    assert code == 0 and not any(s["extractive"] for s in json.loads(out)["sections"])
    # transformers has no int8 of its own: one line, exit 2, before any work.
    code, _, err = run(*base, "--models", str(tiny_yaml), "--backend", "hf", "--quantize", "int8")
    assert code == 2
    assert err.strip() == (
        "error: --quantize int8 runs on the ctranslate2 engine: use --backend auto or ctranslate2"
    )
    code, out, _ = run(*base, "--models", str(tiny_yaml), "--backend", "hf", "--quiet")
    assert code == 0
    assert {m["backend"] for m in json.loads(out)["meta"]["models"]} == {"hf"}
    code, _, err = run(*base, "--models", str(tiny_yaml), "--backend", "onnx")
    assert code == 2 and len(err.strip().splitlines()) == 1
