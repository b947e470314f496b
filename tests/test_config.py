from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import load_config
from digest.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_models_yaml_has_the_documented_defaults() -> None:
    config = load_config(ROOT / "models.yaml")
    translator = config.translator("en")
    assert translator.source == "Helsinki-NLP/opus-mt-de-en"
    assert translator.family == "marian"
    summarizer = config.summarizer()
    assert summarizer.backend == "hf" and summarizer.family in ("t5", "mt5")
    assert len(summarizer.revision) == 40  # pinned commit
    assert config.get("extractive").backend == "extractive"
    for spec in config.models.values():
        assert spec.licence and spec.licence != "unknown"


def test_env_var_selects_models_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "m.yaml"
    target.write_text((ROOT / "models.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("DIGEST_MODELS", str(target))
    assert load_config().path == str(target)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("models: [", "invalid YAML"),
        ("just a string", "expected a mapping"),
        ("models:\n  x: 3\n", "must be a mapping"),
        ("models:\n  x: {role: summarizer, backend: hf}\n", "needs a 'source'"),
        ("models:\n  x: {role: painter, backend: extractive}\n", "role 'painter'"),
        ("models:\n  x: {role: summarizer, backend: extractive, colour: red}\n", "unknown keys"),
        (
            "models:\n  x: {role: translator, source: a/b, generation: {beams: 4}}\n",
            "invalid generation settings beams",
        ),
        (
            "defaults: {summarizer: nope}\nmodels:\n  x: {role: summarizer, backend: extractive}\n",
            "default model 'nope'",
        ),
        (
            "models:\n  x: {role: summarizer, source: a/b, vocab_shortlist: 16000}\n",
            "vocab_shortlist needs backend: ctranslate2",
        ),
        (
            "models:\n  x: {role: translator, backend: ctranslate2, source: a/b, "
            "target_lang: en, vocab_shortlist: 16000}\n",
            "vocab_shortlist is for same-language summarizers",
        ),
        (
            "models:\n  x: {role: summarizer, backend: ctranslate2, source: a/b, "
            "vocab_shortlist: 100}\n",
            "at least 256",
        ),
    ],
)
def test_bad_models_yaml_gives_one_line_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "models.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_models_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="models file not found"):
        load_config(tmp_path / "nope.yaml")


def test_model_directory_can_stand_in_for_an_entry(tmp_path: Path) -> None:
    config = load_config(ROOT / "models.yaml")
    model_dir = tmp_path / "my-marian"
    model_dir.mkdir()
    (model_dir / "config.json").write_text('{"model_type": "marian"}', encoding="utf-8")
    spec = config.translator("en", str(model_dir))
    assert spec.source == str(model_dir.resolve()) and spec.family == "marian"
    with pytest.raises(ConfigError, match="neither a translator"):
        config.translator("en", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="is a summarizer"):
        config.translator("en", "extractive")
