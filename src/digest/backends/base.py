"""Backend protocols. Everything works on batches; nothing here knows about articles."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from digest.config import GenerationSettings, ModelSpec
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


class CT2UnavailableError(ModelError):
    """CTranslate2 cannot run a model here (not importable, conversion failed)."""


@dataclass(frozen=True)
class ScoredText:
    """A generated text and the decoder's confidence in it.

    ``logprob``: the mean log-probability per generated token, end token included, as the
    decoder scored it while searching (no extra pass); None where the engine has no scores.
    """

    text: str
    logprob: float | None = None
    tokens: int = 0  # generated tokens the mean is over


Score = tuple[float | None, int]  # (mean log-probability per token, tokens), as ScoredText


class Seq2SeqModel(Protocol):
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

    def generate_scored(
        self, texts: Sequence[str], settings: GenerationSettings | None = None
    ) -> list[ScoredText]:
        """As generate, with each output's confidence from the same decoding."""
        ...


def check_input_lengths(name: str, limit: int, lengths: Sequence[int]) -> None:
    """Callers split by the token budget; an input over it is a bug, never truncate silently."""
    for i, n in enumerate(lengths):
        if n > limit:
            raise ModelError(f"input {i} has {n} tokens, over {name}'s limit of {limit}")


def encode_texts(tokenizer: Any, texts: Sequence[str]) -> list[list[int]]:
    """Source token ids, special tokens included (one tokenizer call for all texts)."""
    if not texts:
        return []
    # verbose=False: counting a text over the model limit (to split it) is not an error.
    enc = tokenizer(list(texts), add_special_tokens=True, verbose=False)
    return [list(x) for x in enc["input_ids"]]


class TokenizedModel:
    """What both neural engines share: a transformers tokenizer turns text into ids and back;
    a subclass sets ``tokenizer`` and generates ids."""

    tokenizer: Any
    spec: ModelSpec
    max_input_tokens: int
    generation: GenerationSettings

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        return encode_texts(self.tokenizer, texts)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(x) for x in self.encode(texts)]

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        decoded = self.tokenizer.batch_decode([list(o) for o in outputs], skip_special_tokens=True)
        return [t.strip() for t in decoded]

    def generate(
        self, texts: Sequence[str], settings: GenerationSettings | None = None
    ) -> list[str]:
        return self.decode(self.generate_ids(texts, settings))

    def generate_ids(
        self, texts: Sequence[str], settings: GenerationSettings | None = None
    ) -> list[list[int]]:
        """Generated token ids per input, without start and end tokens."""
        return self.generate_checked(texts, settings, scored=False)[0]

    def generate_scored(
        self, texts: Sequence[str], settings: GenerationSettings | None = None
    ) -> list[ScoredText]:
        ids, scores = self.generate_checked(texts, settings, scored=True)
        return [ScoredText(t, *s) for t, s in zip(self.decode(ids), scores, strict=True)]

    def generate_checked(
        self, texts: Sequence[str], settings: GenerationSettings | None, *, scored: bool
    ) -> tuple[list[list[int]], list[Score]]:
        """Ids per input and, with ``scored``, (mean log-probability, tokens) per input."""
        if not texts:
            return [], []
        # Tokenize once; the engine batches these ids instead of re-tokenizing text.
        ids = self.encode(texts)
        check_input_lengths(self.spec.name, self.max_input_tokens, [len(x) for x in ids])
        return self._generate(ids, settings or self.generation, scored=scored)

    def _generate(
        self, ids: list[list[int]], settings: GenerationSettings, *, scored: bool
    ) -> tuple[list[list[int]], list[Score]]:
        raise NotImplementedError


def mean_logprob(parts: Sequence[ScoredText]) -> float | None:
    """Token-weighted mean log-probability of texts generated in parts (None if unscored)."""
    if not parts or any(p.logprob is None or p.tokens < 1 for p in parts):
        return None
    tokens = sum(p.tokens for p in parts)
    return sum(p.logprob * p.tokens for p in parts if p.logprob is not None) / tokens


def token_budget_batches(
    lengths: Sequence[int], budget: int, max_batch: int
) -> Iterator[list[int]]:
    """Indices sorted by length, grouped so that padded size (n * longest) stays in budget.

    Sorting keeps padding small; each batch is at least one item even over budget.
    """
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batch: list[int] = []
    longest = 0
    for i in order:
        new_longest = max(longest, lengths[i])
        if batch and (new_longest * (len(batch) + 1) > budget or len(batch) >= max_batch):
            yield batch
            batch, new_longest = [], lengths[i]
        batch.append(i)
        longest = new_longest
    if batch:
        yield batch
