"""Output-vocabulary shortlists for same-language models (summarizers) on CTranslate2.

A German summary uses a small part of a multilingual vocabulary (mT5: 250,112 pieces for
101 languages), yet every decoding step scores all of them, and on a CPU that output layer
dominates the cost of a step. With a shortlist the decoder scores only:
- every piece of the current input (a summary copies names, numbers and terms from it),
- every single letter, digit and sign of German text, so any word can still be written,
- the pieces most likely in German text (by the tokenizer's own unigram scores), up to
  `vocab_shortlist` pieces in all.
CTranslate2 implements this as a vocabulary map (vmap.txt in the converted model).
It is an approximation: a word the model would write with a piece outside the list gets
other pieces. That is why it is a per-model setting, recorded in every result, and off
unless models.yaml asks for it.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

SENTENCEPIECE_SPACE = "\u2581"
# What German news text is written with (letters, digits, signs, quotes, dashes).
GERMAN_CHARS = frozenset(
    string.ascii_letters
    + string.digits
    + string.punctuation
    + "äöüÄÖÜßẞ€§°„“”‚‘’«»–—…·"
    + SENTENCEPIECE_SPACE
)
VMAP_FILE = "vmap.txt"


def german_writable(piece: str) -> bool:
    return bool(piece) and all(c in GERMAN_CHARS for c in piece)


def _tier(piece: str, scored: bool) -> int:
    """0: a single character of German text; 1: a German piece; 2: other; 3: no score."""
    if not scored:
        return 3
    if german_writable(piece):
        return 0 if len(piece.lstrip(SENTENCEPIECE_SPACE)) <= 1 else 1
    return 2


def fixed_candidates(
    vocabulary: Sequence[str], scores: Mapping[str, float], size: int
) -> list[str]:
    """The `size` pieces that are always allowed, best first.

    Ranked by tier (single German characters, German pieces, other scripts, pieces without
    a score), then by score (a unigram log-probability: higher is more frequent), then by
    position in the vocabulary (BPE vocabularies list frequent merges first). A vocabulary
    smaller than `size` is allowed whole.
    """
    ranked = sorted(
        (
            (_tier(tok, tok in scores), -scores.get(tok, 0.0), i, tok)
            for i, tok in enumerate(vocabulary)
            if _mappable(tok)
        ),
    )
    return [tok for *_, tok in ranked[:size]]


def _mappable(token: str) -> bool:
    # The vmap format separates pieces with spaces and the source from the targets by a tab.
    return bool(token) and not any(c.isspace() for c in token)


def vmap_text(vocabulary: Sequence[str], scores: Mapping[str, float], size: int) -> str:
    """A CTranslate2 vocabulary map: the fixed candidates, and each piece allows itself."""
    fixed = fixed_candidates(vocabulary, scores, size)
    lines = ["\t" + " ".join(fixed)]
    always = set(fixed)
    lines += [f"{tok}\t{tok}" for tok in vocabulary if _mappable(tok) and tok not in always]
    return "\n".join(lines) + "\n"


def tokenizer_scores(tokenizer: Any) -> dict[str, float]:
    """Unigram piece scores from a fast tokenizer; {} for BPE/WordPiece or slow ones."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return {}
    model = json.loads(backend.to_str()).get("model", {})
    if model.get("type") != "Unigram":
        return {}
    return {str(piece): float(score) for piece, score in model.get("vocab", [])}


def ct2_vocabulary(ct2_dir: Path) -> list[str]:
    """The target vocabulary of a converted model (shared or separate)."""
    for name in ("target_vocabulary.json", "shared_vocabulary.json"):
        file = ct2_dir / name
        if file.is_file():
            return list(json.loads(file.read_text(encoding="utf-8")))
    raise FileNotFoundError(f"no vocabulary in {ct2_dir}")


def write_vmap(ct2_dir: Path, tokenizer: Any, size: int) -> Path:
    """Write vmap.txt into a converted model folder (before it is renamed into place)."""
    text = vmap_text(ct2_vocabulary(ct2_dir), tokenizer_scores(tokenizer), size)
    out = ct2_dir / VMAP_FILE
    out.write_text(text, encoding="utf-8")
    return out
