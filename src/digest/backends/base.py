"""Backend protocols. Everything works on batches; nothing here knows about articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from digest.config import GenerationSettings
from digest.errors import ModelError


@dataclass(frozen=True)
class ModelInfo:
    """Recorded in every result: which model, from where, at which revision, on what."""

    name: str
    role: str
    backend: str
    source: str
    revision: str  # as requested in models.yaml
    commit: str  # what actually ran: Hub commit SHA, or a fingerprint of a local directory
    origin: str  # local | cache | download | builtin | fake
    family: str
    device: str
    dtype: str
    licence: str = "unknown"
    quantize: str = "none"
    vocab_shortlist: int = 0  # always-allowed output pieces; 0: the whole vocabulary


class Seq2SeqEngine(Protocol):
    """A text-to-text model: batches of strings in, batches of strings out."""

    info: ModelInfo
    max_input_tokens: int
    generation: GenerationSettings

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source-side token counts, special tokens included."""
        ...

    def generate(
        self, texts: Sequence[str], settings: GenerationSettings | None = None
    ) -> list[str]:
        """One output per input, same order. Inputs over max_input_tokens are an error."""
        ...


def check_input_lengths(name: str, limit: int, lengths: Sequence[int]) -> None:
    """Callers split by the token budget; an input over it is a bug, never truncate silently."""
    for i, n in enumerate(lengths):
        if n > limit:
            raise ModelError(f"input {i} has {n} tokens, over {name}'s limit of {limit}")
