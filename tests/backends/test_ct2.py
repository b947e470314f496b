"""The CTranslate2 backend against the transformers backend on the same model directories."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import GERMAN_LINES, TinyModels, spy_from_pretrained
from digest.backends import load_model
from digest.backends.ct2 import CTranslate2Model, ct2_options, spread_batches
from digest.backends.ct2_convert import decoder_output_is_scaled
from digest.backends.hf import TransformersModel
from digest.config import GenerationSettings, ModelSpec, load_config
from digest.errors import ConfigError, ModelError
from digest.ingest.article import article_from_text
from digest.models import load_models
from digest.options import RuntimeOptions
from digest.translate import translate

SENTENCES = GERMAN_LINES
QUIET = RuntimeOptions(device="cpu", show_progress=False)

# Settings that must give the same tokens in both engines (float32, same weights).
SAME_OUTPUT = {
    "greedy": GenerationSettings(num_beams=1, max_new_tokens=10),
    "beam4": GenerationSettings(num_beams=4, max_new_tokens=10),
    "forced-length": GenerationSettings(num_beams=4, max_new_tokens=12, min_new_tokens=11),
    "length-penalty": GenerationSettings(num_beams=4, max_new_tokens=12, length_penalty=0.6),
    "greedy-repetition-penalty": GenerationSettings(
        num_beams=1, max_new_tokens=12, repetition_penalty=1.3
    ),
}


def spec_for(path: Path, family: str, settings: GenerationSettings, **changes: object) -> ModelSpec:
    spec = ModelSpec(
        name=f"tiny-{family}",
        role="translator",
        source=str(path),
        family=family,
        target_lang="en",
        max_input_tokens=128,
        generation=settings,
        ct2_compute_type="float32",
    )
    return replace(spec, **changes)  # type: ignore[arg-type]


def model_dir(tiny: TinyModels, family: str) -> Path:
    return tiny.marian if family == "marian" else tiny.t5


@pytest.fixture(scope="module")
def engine_pairs(
    tiny_models: TinyModels, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[TransformersModel, CTranslate2Model]]:
    """Both engines for each tiny model, loaded once; settings vary per call."""
    converted = tmp_path_factory.mktemp("ct2")
    pairs = {}
    for family in ("marian", "t5"):
        spec = spec_for(
            model_dir(tiny_models, family), family, GenerationSettings(), ct2_dir=str(converted)
        )
        pairs[family] = (TransformersModel(spec, QUIET), CTranslate2Model(spec, QUIET))
    return pairs


@pytest.mark.parametrize("family", ["marian", "t5"])
@pytest.mark.parametrize("name", sorted(SAME_OUTPUT))
def test_ct2_and_torch_give_the_same_tokens_for_the_same_settings(
    engine_pairs: dict[str, tuple[TransformersModel, CTranslate2Model]], family: str, name: str
) -> None:
    torch_engine, ct2_engine = engine_pairs[family]
    torch_ids = torch_engine.generate_ids(SENTENCES, SAME_OUTPUT[name])
    ct2_ids = ct2_engine.generate_ids(SENTENCES, SAME_OUTPUT[name])
    assert ct2_ids == torch_ids
    assert all(len(ids) > 0 for ids in torch_ids)


def test_per_call_settings_override_the_model_settings(tiny_models: TinyModels) -> None:
    spec = spec_for(tiny_models.marian, "marian", GenerationSettings(num_beams=1, max_new_tokens=4))
    engine = CTranslate2Model(spec, QUIET)
    short = engine.generate_ids(SENTENCES[:2])
    longer = engine.generate_ids(
        SENTENCES[:2], GenerationSettings(num_beams=1, max_new_tokens=9, min_new_tokens=8)
    )
    assert [len(x) for x in short] == [3, 3]  # Marian forces </s> at the limit: 4 - 1
    assert [len(x) for x in longer] == [8, 8]
    assert isinstance(engine.generate(SENTENCES[:1])[0], str)


def test_both_backends_load_the_same_directory_and_conversion_is_cached(
    tiny_models: TinyModels, capfd: pytest.CaptureFixture[str]
) -> None:
    spec = spec_for(tiny_models.marian, "marian", GenerationSettings(num_beams=2))
    verbose = replace(QUIET, show_progress=True)
    torch_engine = TransformersModel(spec, QUIET)
    first = CTranslate2Model(spec, verbose)
    assert "converting model 'tiny-marian' to CTranslate2" in capfd.readouterr().err
    again = CTranslate2Model(spec, verbose)
    assert "converting" not in capfd.readouterr().err  # reused from the cache
    assert first.ct2_path == again.ct2_path and (first.ct2_path / "model.bin").is_file()
    assert first.info.commit == torch_engine.info.commit  # one model directory, one fingerprint
    assert first.info.backend == "ctranslate2" and first.info.origin == "local"
    assert first.count_tokens(SENTENCES) == torch_engine.count_tokens(SENTENCES)
    assert first.max_input_tokens == torch_engine.max_input_tokens


def test_int8_compute_type_is_recorded_and_runs(tiny_models: TinyModels) -> None:
    spec = spec_for(tiny_models.t5, "t5", GenerationSettings(num_beams=2, max_new_tokens=6))
    engine = CTranslate2Model(replace(spec, ct2_compute_type="int8"), QUIET)
    assert engine.info.dtype == "int8" and engine.info.quantize == "int8"
    assert engine.ct2_path.name.endswith("-int8")
    assert len(engine.generate(SENTENCES)) == len(SENTENCES)


def test_input_over_the_limit_is_an_error(tiny_models: TinyModels) -> None:
    spec = spec_for(tiny_models.marian, "marian", GenerationSettings(), max_input_tokens=8)
    with pytest.raises(ModelError, match="over tiny-marian's limit"):
        CTranslate2Model(spec, QUIET).generate([SENTENCES[3]])


def test_fp16_is_refused_for_t5(tiny_models: TinyModels) -> None:
    spec = spec_for(tiny_models.t5, "t5", GenerationSettings())
    with pytest.raises(ConfigError, match="fp16 is unsafe"):
        CTranslate2Model(spec, replace(QUIET, dtype="fp16"))


def test_settings_mapping_accounts_for_a_forced_end_token() -> None:
    settings = GenerationSettings(
        num_beams=5, max_new_tokens=20, min_new_tokens=20, no_repeat_ngram_size=3,
        length_penalty=0.8, repetition_penalty=1.2,
    )  # fmt: skip
    forced = ct2_options(settings, forced_eos=True)
    assert (forced.max_decoding_length, forced.min_decoding_length) == (19, 19)
    plain = ct2_options(settings, forced_eos=False)
    assert (plain.max_decoding_length, plain.min_decoding_length) == (20, 20)
    assert (plain.beam_size, plain.no_repeat_ngram_size) == (5, 3)
    assert (plain.length_penalty, plain.repetition_penalty) == (0.8, 1.2)


def test_t5_output_scaling_follows_transformers() -> None:
    from transformers import MT5Config, T5Config

    class Holder:
        def __init__(self, config: object) -> None:
            self.config = config

    assert decoder_output_is_scaled(Holder(T5Config())) is True
    assert decoder_output_is_scaled(Holder(T5Config(tie_word_embeddings=False))) is False
    assert decoder_output_is_scaled(Holder(MT5Config())) is False


def test_models_yaml_backend_ctranslate2_runs_the_translate_pipeline(
    tiny_models: TinyModels, tmp_path: Path
) -> None:
    yaml_file = tmp_path / "models.yaml"
    yaml_file.write_text(
        "version: 1\n"
        "defaults: {summarizer: extractive, translators: {en: tiny-ct2}}\n"
        "models:\n"
        "  extractive: {role: summarizer, backend: extractive}\n"
        "  tiny-ct2:\n"
        "    role: translator\n"
        "    backend: ctranslate2\n"
        f"    source: {tiny_models.marian}\n"
        "    family: marian\n"
        "    target_lang: en\n"
        "    max_input_tokens: 128\n"
        "    ct2_compute_type: int8\n"
        f"    ct2_dir: {tmp_path / 'converted'}\n"
        "    generation: {num_beams: 2, max_new_tokens: 8}\n",
        encoding="utf-8",
    )
    config = load_config(yaml_file)
    engine = load_model(config.get("tiny-ct2"), QUIET)
    assert isinstance(engine, CTranslate2Model)
    assert engine.ct2_path.parent == tmp_path / "converted"
    models = load_models(config, summarizer=None, runtime=QUIET)
    text = "Radwege\n\nDer Stadtrat hat am Montag neue Radwege beschlossen. Die Kosten sind hoch.\n"
    article = article_from_text(text)
    result = translate(article, models)[0]
    assert result.meta.models[0].backend == "ctranslate2"
    assert len([s for b in result.blocks for s in b.sentences]) == 3


def test_spread_batches_gives_every_worker_a_batch_and_keeps_every_index_once() -> None:
    assert spread_batches([[0, 1, 2, 3, 4]], 2) == [[0, 1, 2], [3, 4]]
    assert spread_batches([[5], [0, 1, 2, 3]], 3) == [[5], [0, 1], [2, 3]]
    assert spread_batches([[0]], 4) == [[0]]  # nothing left to split
    assert spread_batches([], 2) == []
    assert spread_batches([[0, 1, 2, 3]], 1) == [[0, 1, 2, 3]]  # one worker: as given
    many = spread_batches([[3, 1], [0, 2, 4, 5, 6]], 8)
    assert sorted(i for b in many for i in b) == list(range(7))
    # Three big batches for two workers: split until there are six, no batch under 4 items.
    big = [list(range(0, 64)), list(range(64, 128)), list(range(128, 155))]
    lengths = [20] * 128 + [35] * 27
    spread = spread_batches(big, 2, lengths)
    assert len(spread) >= 6 and len(spread) % 2 == 0
    assert min(map(len, spread)) >= 4
    assert [i for b in spread for i in b] == list(range(155))  # order kept


def test_parallel_workers_return_outputs_in_input_order(tiny_models: TinyModels) -> None:
    # A small token budget makes several batches; two workers decode them at once and the
    # outputs must come back in input order, equal to one worker's.
    spec = spec_for(
        tiny_models.marian,
        "marian",
        GenerationSettings(num_beams=2, max_new_tokens=8),
        batch_tokens=40,
    )
    one = CTranslate2Model(spec, replace(QUIET, threads=1))
    two = CTranslate2Model(spec, replace(QUIET, threads=2))
    assert (one.workers, two.workers) == (1, 2)
    texts = SENTENCES * 3
    assert two.generate_ids(texts) == one.generate_ids(texts)
    assert two.generate_ids(texts) == [two.generate_ids([t])[0] for t in texts]


def test_conversion_and_tokenizer_never_run_model_code(
    tiny_models: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """trust_remote_code=False reaches every transformers loader CTranslate2's converter uses."""
    seen = spy_from_pretrained(monkeypatch, "AutoConfig", "AutoTokenizer", "MarianMTModel")
    spec = spec_for(model_dir(tiny_models, "marian"), "marian", GenerationSettings(num_beams=1))
    CTranslate2Model(replace(spec, ct2_dir=str(tmp_path)), QUIET)  # a fresh conversion
    names = {name for name, _ in seen}
    assert {"AutoConfig", "AutoTokenizer", "MarianMTModel"} <= names
    assert all(flag is False for _, flag in seen)
