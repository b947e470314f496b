"""FakeModel: a named fake engine for pipeline tests. It is not a model and says so.

It "translates" with a tiny word list and leaves other words as they are, or "summarizes"
by keeping the first words. Modes let tests construct failures (repetition loops,
copy-through, dropped numbers) that the checks must catch. Every call is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from digest.backends.base import ModelInfo, ScoredText
from digest.config import GenerationSettings, ModelSpec

_WORDS = {
    "der": "the", "die": "the", "das": "the", "und": "and", "ist": "is", "hat": "has",
    "stadt": "city", "stadtrat": "city council", "millionen": "million", "euro": "euros",
    "prozent": "percent", "am": "on", "im": "in the", "mit": "with", "für": "for",
    "nicht": "not", "auch": "also", "neue": "new", "ein": "a", "eine": "a", "zu": "to",
    "von": "of", "sie": "they", "wir": "we", "es": "it", "in": "in", "auf": "on",
}  # fmt: skip
MODES = (
    "translate", "summarize", "repeat", "copy", "drop-number",
    "invent-number", "invent-date", "invent-name",
)  # fmt: skip
# Unfaithful additions for the invent-* modes: facts no sample article contains. A summarizer
# adds the German one, a translator the English one, so each side of a digest can be tested.
_INVENTED = {
    "invent-number": ("Die Kosten liegen bei 4711 Euro.", "The costs are 4711 euros."),
    "invent-date": ("Der Start ist am 30. Februar.", "It starts on 30 February."),
    "invent-name": (
        "Das sagte Bürgermeisterin Quirina Zwetschgenbaum.",
        "This was said by Mayor Quirina Zwetschgenbaum.",
    ),
}


@dataclass
class FakeCall:
    texts: list[str]
    settings: GenerationSettings


@dataclass
class FakeModel:
    spec: ModelSpec
    mode: str = "translate"
    calls: list[FakeCall] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"fake mode must be one of {MODES}")
        self.max_input_tokens = self.spec.max_input_tokens
        self.generation = self.spec.generation
        self.info = ModelInfo(
            name=self.spec.name,
            role=self.spec.role,
            backend="fake",
            source=self.spec.source,
            revision=self.spec.revision,
            commit="fake",
            origin="fake",
            family=self.spec.family,
            device="cpu",
            dtype="none",
            licence=self.spec.licence,
        )

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) + 1 for t in texts]  # +1 for the end-of-sequence token

    def generate(
        self, texts: Sequence[str], settings: GenerationSettings | None = None
    ) -> list[str]:
        settings = settings or self.generation
        self.calls.append(FakeCall(list(texts), settings))
        for n in self.count_tokens(texts):
            if n > self.max_input_tokens:
                raise ValueError(f"fake engine got {n} tokens, limit {self.max_input_tokens}")
        return [self._one(t, settings) for t in texts]

    def generate_scored(
        self, texts: Sequence[str], settings: GenerationSettings | None = None
    ) -> list[ScoredText]:
        """A fake has no probabilities: no confidence is recorded."""
        return [ScoredText(t) for t in self.generate(texts, settings)]

    def _one(self, text: str, settings: GenerationSettings) -> str:
        # A retry with stronger settings "fixes" the constructed failures, like a real model may.
        strong = settings.repetition_penalty > 1.0
        if self.mode in _INVENTED:
            de, en = _INVENTED[self.mode]
            if self.spec.role == "summarizer":
                return self._summary(text, settings) + " " + de
            return self._translation(text) + " " + en
        if self.mode == "summarize":
            return self._summary(text, settings)
        if self.mode == "copy" and not strong:
            return text
        out = self._translation(text)
        if self.mode == "repeat" and not strong:
            return out + " " + " ".join(["again and again"] * 6)
        if self.mode == "drop-number" and not strong:
            return re.sub(r"\d[\d.,]*", "", out)
        return out

    @staticmethod
    def _summary(text: str, settings: GenerationSettings) -> str:
        words = text.split()
        return " ".join(words[: max(3, min(len(words), settings.max_new_tokens) // 2)])

    @staticmethod
    def _translation(text: str) -> str:
        out = " ".join(_WORDS.get(w.lower(), w) for w in text.split())
        out = re.sub(r"(\d)\.(\d{3})\b", r"\1,\2", out)  # German thousands -> English
        return re.sub(r"(\d),(\d{1,2})\b", r"\1.\2", out)  # German decimals -> English
