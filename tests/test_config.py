from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TinyModels
from digest.config import load_config
from digest.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_models_yaml_has_the_documented_defaults() -> None:
    config = load_config(ROOT / "models.yaml")
    translator = config.translator("en")
    assert translator.source == "Helsinki-NLP/opus-mt-de-en"
    assert translator.family == "marian"
    summarizer = config.summarizer()
    assert summarizer.backend == "auto" and summarizer.family in ("t5", "mt5")
    assert translator.backend == "auto"
    assert len(summarizer.revision) == 40  # pinned commit
    assert config.get("extractive").backend == "extractive"
    # One entry per model: the engine is chosen per machine, not by a second copy.
    sources = [s.source for s in config.models.values() if s.source]
    assert len(sources) == len(set(sources))
    assert not [name for name in config.models if name.endswith("-ct2")]
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
        ("models:\n  x: 3\n", "models.x: must be a mapping"),
        ("models:\n  x: {role: summarizer, backend: hf}\n", "models.x: needs a 'source'"),
        ("models:\n  x: {role: painter, backend: extractive}\n", "models.x.role: input should"),
        (
            "models:\n  x: {role: summarizer, backend: extractive, colour: red}\n",
            "unknown key 'models.x.colour'",
        ),
        (
            "models:\n  x: {role: translator, source: a/b, generation: {beams: 4}}\n",
            "unknown key 'models.x.generation.beams' (did you mean 'num_beams'?",
        ),
        (
            "defaults: {summarizer: nope}\nmodels:\n  x: {role: summarizer, backend: extractive}\n",
            "model 'nope' is not defined",
        ),
        (
            "models:\n  x: {role: summarizer, backend: hf, source: a/b, vocab_shortlist: 16000}\n",
            "vocab_shortlist needs backend: auto or ctranslate2",
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
        # Types: refused with the key and the value, never an internal TypeError (exit 3).
        (
            "models:\n  x: {role: translator, source: a/b, generation: {num_beams: four}}\n",
            "models.x.generation.num_beams: input should be a valid integer, got 'four'",
        ),
        (
            "models:\n  x: {role: translator, source: a/b, max_input_tokens: 5l2}\n",
            "models.x.max_input_tokens: input should be a valid integer, got '5l2'",
        ),
        (
            "models:\n  x: {role: translator, source: a/b, generation: {length_penalty: high}}\n",
            "models.x.generation.length_penalty: input should be a valid number, got 'high'",
        ),
        # Ranges.
        (
            "models:\n  x: {role: translator, source: a/b, generation: {num_beams: 0}}\n",
            "models.x.generation.num_beams: input should be greater than or equal to 1, got 0",
        ),
        (
            "models:\n  x: {role: translator, source: a/b, max_batch_size: -3}\n",
            "models.x.max_batch_size: input should be greater than or equal to 1, got -3",
        ),
        (
            "models:\n  x: {role: translator, source: a/b, target_lang: English}\n",
            "models.x.target_lang: string should match pattern",
        ),
        (
            "models:\n  x: {role: translator, source: a/b, family: mt-5}\n",
            "models.x.family: input should be 'marian'",
        ),
        # Unknown keys at every level, with the key meant.
        (
            "defualts: {summarizer: x}\nmodels:\n  x: {role: summarizer, backend: extractive}\n",
            "unknown key 'defualts' (did you mean 'defaults'?",
        ),
        (
            "defaults: {translator: {en: x}}\n"
            "models:\n  x: {role: translator, source: a/b, target_lang: en}\n",
            "unknown key 'defaults.translator' (did you mean 'translators'?",
        ),
        ("version: 2\nmodels:\n  x: {role: summarizer, backend: extractive}\n", "version: "),
        ("version: '1'\nmodels:\n  x: {role: summarizer, backend: extractive}\n", "version: "),
        # References between entries.
        (
            "defaults: {translators: {fr: x}}\n"
            "models:\n  x: {role: translator, source: a/b, target_lang: en}\n"
            "  extractive: {role: summarizer, backend: extractive}\n",
            "defaults.translators.fr: 'x' translates into 'en', not 'fr'",
        ),
        (
            "defaults: {summarizer: x}\nmodels:\n  x: {role: translator, source: a/b}\n",
            "defaults.summarizer: 'x' is a translator, not a summarizer",
        ),
    ],
)
def test_bad_models_yaml_gives_one_line_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "models.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}: ") or message == "invalid YAML"
    assert "\n" not in str(info.value)


def test_bad_models_yaml_is_exit_2_with_one_line_on_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from digest.cli import app

    path = tmp_path / "models.yaml"
    path.write_text(
        "models:\n  x: {role: translator, source: a/b, generation: {num_beams: four}}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("Der Rat tagt am Montag.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["translate", "a.txt", "--models", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {path}: models.x.generation.num_beams: input should be a valid integer, got 'four'"
    )


def test_defaults_may_be_empty_and_version_may_be_absent(tmp_path: Path) -> None:
    path = tmp_path / "models.yaml"
    path.write_text("defaults:\nmodels:\n  extractive: {role: summarizer, backend: extractive}\n")
    config = load_config(path)
    assert config.default_summarizer == "extractive" and config.default_translators == {}


def test_schema_knows_every_field_of_the_specs() -> None:
    """The validation schema and the dataclasses it fills cannot drift apart."""
    from dataclasses import fields

    from digest.config import GenerationSettings, ModelSpec, _GenerationEntry, _ModelEntry

    assert set(_ModelEntry.model_fields) == {f.name for f in fields(ModelSpec)} - {"name"}
    assert set(_GenerationEntry.model_fields) == {f.name for f in fields(GenerationSettings)}
    for f in fields(GenerationSettings):
        assert _GenerationEntry.model_fields[f.name].default == f.default, f.name
    for f in fields(ModelSpec):
        if f.name not in ("name", "generation", "role"):
            assert _ModelEntry.model_fields[f.name].default in (f.default, None), f.name


def test_missing_models_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="models file not found"):
        load_config(tmp_path / "nope.yaml")


def model_dir(path: Path, model_type: str, tokenizer: str | None = None) -> Path:
    """A bare model directory: config.json, and tokenizer_config.json when given."""
    path.mkdir()
    (path / "config.json").write_text(f'{{"model_type": "{model_type}"}}', encoding="utf-8")
    if tokenizer is not None:
        (path / "tokenizer_config.json").write_text(tokenizer, encoding="utf-8")
    return path


DE_EN = '{"source_lang": "de", "target_lang": "en"}'


def test_model_directory_can_stand_in_for_an_entry(tmp_path: Path) -> None:
    config = load_config(ROOT / "models.yaml")
    marian = model_dir(tmp_path / "my-marian", "marian", DE_EN)
    spec = config.translator("en", str(marian))
    assert spec.source == str(marian.resolve()) and spec.family == "marian"
    with pytest.raises(ConfigError, match="neither a translator"):
        config.translator("en", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="is a summarizer"):
        config.translator("en", "extractive")


def test_translator_whose_languages_do_not_match_is_refused(tmp_path: Path) -> None:
    config = load_config(ROOT / "models.yaml")
    marian = model_dir(tmp_path / "my-marian", "marian", DE_EN)
    with pytest.raises(ConfigError, match=r"translates de->en, not de->fr"):
        config.translator("fr", str(marian))
    with pytest.raises(ConfigError, match=r"'opus-mt-de-en' .* works de->en, not de->fr"):
        config.translator("fr", "opus-mt-de-en")


def test_translator_directory_with_unknown_languages_is_refused(tmp_path: Path) -> None:
    config = load_config(ROOT / "models.yaml")
    unknown = model_dir(tmp_path / "some-model", "marian")
    with pytest.raises(ConfigError, match=r"cannot tell which languages .* models\.yaml entry"):
        config.translator("en", str(unknown))
    # An OPUS-MT name says it (the directory of a snapshot, or the name it was saved from).
    opus = model_dir(tmp_path / "opus-mt-de-en", "marian")
    assert config.translator("en", str(opus)).target_lang == "en"
    with pytest.raises(ConfigError, match="translates de->en, not de->fr"):
        config.translator("fr", str(opus))


def test_summarizer_directory_in_another_language_is_refused(tmp_path: Path) -> None:
    config = load_config(ROOT / "models.yaml")
    summ = model_dir(tmp_path / "summ", "t5")
    assert config.summarizer(str(summ)).target_lang == "de"  # nothing says otherwise
    english = model_dir(tmp_path / "summ-en", "t5", '{"src_lang": "en_XX", "tgt_lang": "en_XX"}')
    with pytest.raises(ConfigError, match="summarizes en->en, not de->de"):
        config.summarizer(str(english))


def test_cli_refuses_to_fr_with_a_de_en_model_directory(
    tmp_path: Path, tiny_models: TinyModels
) -> None:
    from typer.testing import CliRunner

    from digest.cli import app

    (tmp_path / "a.txt").write_text("Der Rat tagt am Montag.\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["translate", "a.txt", "--to", "fr", "--translator", str(tiny_models.marian)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"error: {tiny_models.marian} translates de->en, not de->fr")
