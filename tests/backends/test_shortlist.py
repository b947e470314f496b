"""Output-vocabulary shortlists (CTranslate2 vocabulary maps) for same-language summarizers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import TinyModels
from digest.backends.ct2 import CTranslate2Model
from digest.backends.hf import TransformersModel
from digest.backends.shortlist import (
    VMAP_FILE,
    ct2_vocabulary,
    fixed_candidates,
    tokenizer_scores,
    vmap_text,
)
from digest.config import GenerationSettings, ModelSpec
from digest.options import RuntimeOptions
from digest.results import RunMeta
from digest.writers.md_parts import model_lines

QUIET = RuntimeOptions(device="cpu", show_progress=False)
TEXTS = [
    "Der Stadtrat hat am Montag neue Radwege beschlossen.",
    "Die Kosten liegen bei 3,5 Millionen Euro, sagte die Bürgermeisterin.",
    "Mehr als 1.200 Radfahrer nutzen die Strecke jeden Tag.",
]
# Forced lengths: random weights write many tokens, so leaving the list would show.
SETTINGS = GenerationSettings(num_beams=2, max_new_tokens=24, min_new_tokens=24)


def test_candidates_rank_letters_then_german_pieces_then_other_scripts_then_unscored() -> None:
    vocab = ["<pad>", "▁der", "▁Straße", "ção", "▁на", "a", "▁ä", ",", "<extra_id_0>", "x y"]
    scores = {
        "▁der": -3.0,
        "▁Straße": -9.0,
        "ção": -2.0,  # more frequent than "▁Straße", but not German
        "▁на": -4.0,
        "a": -5.0,
        "▁ä": -11.0,
        ",": -4.5,
        "<pad>": 0.0,
        "x y": -1.0,
    }
    ranked = fixed_candidates(vocab, scores, size=100)
    # single characters of German text first, by score; then German pieces; then the rest
    assert ranked[:3] == [",", "a", "▁ä"]
    assert ranked[3:6] == ["<pad>", "▁der", "▁Straße"]  # "<pad>" is written in ASCII
    assert ranked.index("ção") > ranked.index("▁Straße")
    assert ranked[-1] == "<extra_id_0>"  # no score: last
    assert "x y" not in ranked  # a token with a space cannot be written in a vocabulary map
    assert fixed_candidates(vocab, scores, size=4) == [",", "a", "▁ä", "<pad>"]  # the best 4


def test_vmap_lists_the_fixed_candidates_once_and_maps_every_other_piece_to_itself() -> None:
    vocab = ["▁der", "▁die", "▁Haus", "ção", "b"]
    scores = {"▁der": -2.0, "▁die": -2.5, "▁Haus": -8.0, "ção": -1.0, "b": -6.0}
    lines = vmap_text(vocab, scores, size=2).splitlines()
    assert lines[0] == "\tb ▁der"
    assert sorted(lines[1:]) == sorted(["▁die\t▁die", "▁Haus\t▁Haus", "ção\tção"])


def test_scores_come_from_the_unigram_tokenizer(tiny_models: TinyModels) -> None:
    from transformers import AutoTokenizer

    scores = tokenizer_scores(AutoTokenizer.from_pretrained(tiny_models.t5))
    assert len(scores) > 100
    assert scores["▁"] > scores.get("▁Radwege", -1e9)  # frequent pieces score higher


@pytest.fixture(scope="module")
def summarizer_spec(tiny_models: TinyModels, tmp_path_factory: pytest.TempPathFactory) -> ModelSpec:
    return ModelSpec(
        name="tiny-t5-sum",
        role="summarizer",
        backend="ctranslate2",
        source=str(tiny_models.t5),
        family="t5",
        max_input_tokens=128,
        generation=SETTINGS,
        ct2_compute_type="float32",
        ct2_dir=str(tmp_path_factory.mktemp("ct2-shortlist")),
    )


def test_shortlisted_output_uses_only_input_pieces_and_the_fixed_candidates(
    summarizer_spec: ModelSpec,
) -> None:
    full = CTranslate2Model(summarizer_spec, QUIET)
    short = CTranslate2Model(replace(summarizer_spec, vocab_shortlist=40), QUIET)
    assert short.ct2_path != full.ct2_path and short.ct2_path.name.endswith("-vmap40")
    assert (short.ct2_path / VMAP_FILE).is_file() and not (full.ct2_path / VMAP_FILE).exists()
    fixed = set((short.ct2_path / VMAP_FILE).read_text(encoding="utf-8").split("\n")[0].split())
    assert len(fixed) == 40
    for text in TEXTS:  # one text per call: the candidates are those of its own input
        source = {
            tok
            for ids in short.encode([text])
            for tok in short.tokenizer.convert_ids_to_tokens(ids)
        }
        allowed = {short.tokenizer.convert_tokens_to_ids(t) for t in fixed | source}
        full_ids = full.generate_ids([text])[0]
        short_ids = short.generate_ids([text])[0]
        assert len(short_ids) == len(full_ids) == 24
        assert set(short_ids) <= allowed
        assert not set(full_ids) <= allowed  # random weights do leave the list without it
    assert short.info.vocab_shortlist == 40 and full.info.vocab_shortlist == 0


def test_a_shortlist_as_large_as_the_vocabulary_changes_nothing(
    summarizer_spec: ModelSpec,
) -> None:
    full = CTranslate2Model(summarizer_spec, QUIET)
    whole = CTranslate2Model(replace(summarizer_spec, vocab_shortlist=100_000), QUIET)
    assert len(ct2_vocabulary(whole.ct2_path)) < 100_000
    assert whole.generate_ids(TEXTS) == full.generate_ids(TEXTS)


def test_the_transformers_engine_ignores_the_shortlist_and_records_none(
    summarizer_spec: ModelSpec,
) -> None:
    # One models.yaml entry serves both engines: the shortlist is CTranslate2's option.
    spec = replace(summarizer_spec, backend="hf", vocab_shortlist=64)
    engine = TransformersModel(spec, QUIET)
    assert engine.info.backend == "hf" and engine.info.vocab_shortlist == 0
    plain = TransformersModel(replace(spec, vocab_shortlist=0), QUIET)
    assert engine.generate_ids(TEXTS) == plain.generate_ids(TEXTS)


def test_the_shortlist_is_recorded_in_the_digest_model_line(summarizer_spec: ModelSpec) -> None:
    engine = CTranslate2Model(replace(summarizer_spec, vocab_shortlist=64), QUIET)
    meta = RunMeta("0", (engine.info,), QUIET, {}, "2026-11-27T00:00:00Z")
    assert "vocabulary shortlist 64" in model_lines(meta)[0]
