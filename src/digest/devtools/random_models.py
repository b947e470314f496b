"""Random-weight Marian and T5 models with real tokenizers, for tests and benchmarks.

These are real transformers models (saved with save_pretrained and loaded through the same
code users run) whose weights are random: their output is gibberish. They exist because
no machine here reaches the Hugging Face Hub. Never point models.yaml at them for real use.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ModelSize:
    d_model: int = 32
    layers: int = 1
    heads: int = 2
    ffn: int = 64
    vocab_size: int = 300  # sentencepiece pieces (may be fewer on little text)
    padded_vocab: int | None = None  # pad the embedding to a published vocab size
    max_positions: int = 512


TINY = ModelSize()
# Published shapes: Helsinki-NLP/opus-mt-de-en and google/mt5-small.
OPUS_MT_DE_EN = ModelSize(
    d_model=512, layers=6, heads=8, ffn=2048, vocab_size=8000, padded_vocab=58101
)
# transformers 5.x always ties mT5's lm_head to the input embedding (the published
# mt5-small has a separate one), so this model has ~170M parameters instead of ~300M;
# the per-step work (d_model x 250,112 output projection) is the same.
MT5_SMALL = ModelSize(
    d_model=512,
    layers=8,
    heads=6,
    ffn=1024,
    vocab_size=8000,
    padded_vocab=250112,
    max_positions=1024,
)


def train_sentencepiece(texts: Iterable[str], prefix: Path, vocab_size: int, *, t5: bool) -> Path:
    import sentencepiece as spm

    lines = [line.strip() for t in texts for line in t.splitlines() if line.strip()]
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,  # small corpora cannot fill a large vocabulary
        minloglevel=2,
        num_threads=2,
        # T5 wants pad=0, eos=1, unk=2; Marian adds its own </s>/<pad> in vocab.json.
        pad_id=0 if t5 else -1,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
    )
    return prefix.with_suffix(".model")


def build_marian(
    out_dir: Path, texts: Iterable[str], size: ModelSize = TINY, seed: int = 0
) -> Path:
    """A Marian model shaped like opus-mt (every config value set: 5.x defaults differ)."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        model_file = train_sentencepiece(texts, Path(tmp) / "spm", size.vocab_size, t5=False)
        shutil.copy(model_file, out_dir / "source.spm")
        shutil.copy(model_file, out_dir / "target.spm")
    sp = spm.SentencePieceProcessor(model_file=str(out_dir / "source.spm"))
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for i in range(sp.get_piece_size()):
        vocab.setdefault(sp.id_to_piece(i), len(vocab))
    if size.padded_vocab:
        while len(vocab) < size.padded_vocab - 1:
            vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(out_dir / "source.spm"),
        target_spm=str(out_dir / "target.spm"),
        vocab=str(out_dir / "vocab.json"),
        source_lang="de",
        target_lang="en",
        model_max_length=size.max_positions,
    )
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=size.d_model,
        encoder_layers=size.layers,
        decoder_layers=size.layers,
        encoder_attention_heads=size.heads,
        decoder_attention_heads=size.heads,
        encoder_ffn_dim=size.ffn,
        decoder_ffn_dim=size.ffn,
        activation_function="swish",
        max_position_embeddings=size.max_positions,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def build_t5(
    out_dir: Path,
    texts: Iterable[str],
    size: ModelSize = TINY,
    seed: int = 0,
    model_type: str = "t5",
) -> Path:
    """A T5 (or mT5) model with a T5 tokenizer converted from a trained sentencepiece model."""
    import torch
    from transformers import (
        MT5Config,
        MT5ForConditionalGeneration,
        T5Config,
        T5ForConditionalGeneration,
        T5Tokenizer,
    )

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        model_file = train_sentencepiece(texts, Path(tmp) / "spm", size.vocab_size, t5=True)
        tok_dir = Path(tmp) / "tok"
        tok_dir.mkdir()
        shutil.copy(model_file, tok_dir / "spiece.model")
        tokenizer = T5Tokenizer.from_pretrained(
            tok_dir, extra_ids=0, model_max_length=size.max_positions, trust_remote_code=False
        )
    vocab = max(len(tokenizer), size.padded_vocab or 0)
    config_cls: Any = MT5Config if model_type == "mt5" else T5Config
    model_cls: Any = (
        MT5ForConditionalGeneration if model_type == "mt5" else T5ForConditionalGeneration
    )
    config = config_cls(
        vocab_size=vocab,
        d_model=size.d_model,
        d_kv=size.d_model // size.heads,
        d_ff=size.ffn,
        num_layers=size.layers,
        num_decoder_layers=size.layers,
        num_heads=size.heads,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = model_cls(config)
    if vocab > len(tokenizer):
        # Rows past the tokenizer (the published vocabulary size is padded) have no text;
        # zero logits keep them from winning, as untrained rows never do in real models.
        with torch.no_grad():
            model.get_input_embeddings().weight[len(tokenizer) :] = 0
            model.get_output_embeddings().weight[len(tokenizer) :] = 0
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir
