"""Summarizers: the built-in extractive one and an abstractive one over any Seq2SeqModel.

Both take batches of SummaryRequest (sentences with ids) and return SummaryText with the
ids of the source sentences the summary rests on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from digest.backends import load_model
from digest.backends.base import ModelInfo, ScoredText, Seq2SeqModel, mean_logprob
from digest.checks.repetition import repetition_loop
from digest.config import ModelSpec
from digest.ingest.boilerplate import classify_line
from digest.ingest.document import Sentence
from digest.options import RuntimeOptions
from digest.summarize import extractive
from digest.text.chunks import pack, split_to_budget
from digest.text.sentences import split_sentences


@dataclass(frozen=True)
class SummaryRequest:
    key: str  # caller's id, e.g. a section id
    sentences: tuple[Sentence, ...]
    title: str = ""
    teaser: str = ""
    max_sentences: int | None = 3
    max_words: int | None = None
    # For the news scorer, one entry per sentence when given: the sentence opens a paragraph.
    paragraph_starts: tuple[bool, ...] = ()


@dataclass(frozen=True)
class SummaryText:
    key: str
    text: str
    source_ids: tuple[str, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)
    confidence: float | None = None  # the model's mean log-probability per token


# Internal marker on an output that looped even after the retry (never reaches a result).
_LOOP_MARK = "\x00loop\x00"


class Summarizer(Protocol):
    info: ModelInfo
    abstractive: bool

    def summarize(self, requests: Sequence[SummaryRequest]) -> list[SummaryText]: ...


BUILTIN_INFO = ModelInfo(
    name="extractive",
    role="summarizer",
    backend="extractive",
    source="digest.extractive",  # a stable name in results, not a module path
    revision="builtin",
    commit="builtin-1",
    origin="builtin",
    family="extractive",
    device="cpu",
    dtype="none",
    licence="same as digest",
)


class ExtractiveSummarizer:
    abstractive = False

    def __init__(self, settings: extractive.ExtractiveSettings | None = None) -> None:
        self.settings = settings or extractive.ExtractiveSettings()
        self.info = BUILTIN_INFO

    def summarize(self, requests: Sequence[SummaryRequest]) -> list[SummaryText]:
        out = []
        for req in requests:
            texts = [s.text for s in req.sentences]
            skip = _excluded(texts)
            chosen = extractive.summarize(
                texts,
                title=req.title,
                teaser=_query(req, texts, skip),
                max_sentences=req.max_sentences,
                max_words=req.max_words,
                settings=self.settings,
                exclude=skip,
                paragraph_starts=req.paragraph_starts or None,
            )
            picked = [req.sentences[i] for i in chosen]
            out.append(
                SummaryText(req.key, " ".join(s.text for s in picked), tuple(s.id for s in picked))
            )
        return out


def _query(req: SummaryRequest, texts: Sequence[str], skip: set[int]) -> str:
    """What the scorer compares sentences with besides the title: the source's teaser.

    A teaser of one sentence is too narrow a query (the other picks drift away from the lead
    it opens), so then the lead by position stands in: the first sentences this summary would
    be without scores. Without a teaser the title alone is the query (docs/quality.md, "The query").
    """
    if not req.teaser or len(split_sentences(req.teaser)) > 1:
        return req.teaser
    lead = [t for i, t in enumerate(texts) if i not in skip][: req.max_sentences or 3]
    return " ".join(lead)


def skippable(texts: Sequence[str]) -> set[int]:
    """Indices of boilerplate lines (credits, promos, share bars) and repeated sentences.

    The article loader removes most of them; this guards text that reaches the summarizer by
    other routes (the Python API, odd HTML) so a summary never repeats itself or quotes a
    "Lesen Sie auch" teaser.
    """
    seen: set[str] = set()
    out: set[int] = set()
    for i, text in enumerate(texts):
        key = " ".join(extractive.german_tokens(text))
        if classify_line(text) is not None or key in seen:
            out.add(i)
        seen.add(key)
    return out


def _excluded(texts: Sequence[str]) -> set[int]:
    """Boilerplate and repeats, and list fragments ("eine Fahrradstraße entlang ...") too
    unless nothing else is left: a summary should consist of whole sentences."""
    skip = skippable(texts)
    fragments = {
        i for i, t in enumerate(texts) if t[:1].islower() or t.rstrip()[-1:] not in '.!?“”"»«'
    }
    both = skip | fragments
    return both if len(both) < len(texts) else skip


def loops(text: str) -> bool:
    """Whether a summary repeats some run of three or more words (numbers count) three times."""
    return repetition_loop(text, shortest=3, tokens="runs") is not None


def drop_repeats(text: str) -> str:
    """Remove repeated sentences and immediately repeated word runs from a looping output."""
    sentences: list[str] = []
    seen: set[str] = set()
    for start, end in split_sentences(text):
        sent = text[start:end].strip()
        key = " ".join(extractive.german_tokens(sent))
        if key and key not in seen:
            seen.add(key)
            sentences.append(sent)
    joined = " ".join(sentences)
    # "a b c a b c a b c" -> "a b c": a run of 1-6 words directly repeated.
    return re.sub(r"\b((?:\w+\W+){1,6}?)(?:\1)+", r"\1", joined + " ").strip()


class AbstractiveSummarizer:
    """Seq2seq summaries that never truncate: long input is summarised in parts, then again."""

    abstractive = True
    max_rounds = 4

    def __init__(self, engine: Seq2SeqModel, prefix: str = "") -> None:
        self.engine = engine
        self.prefix = prefix
        self.info = engine.info

    def summarize(self, requests: Sequence[SummaryRequest]) -> list[SummaryText]:
        # Round 1 packs every request's sentences into model-sized parts; all parts of all
        # requests go to the engine together so batching spans sections and articles.
        budget = self.engine.max_input_tokens - self._prefix_tokens()
        texts: dict[str, list[str]] = {}
        warnings: dict[str, list[str]] = {r.key: [] for r in requests}
        for req in requests:
            units = self._units([s.text for s in req.sentences], budget, warnings[req.key])
            texts[req.key] = [" ".join(group) for group in self._pack(units, budget)]
        finished: dict[str, ScoredText] = {}
        for round_no in range(self.max_rounds):
            flat = [(key, t) for key, parts in texts.items() for t in parts]
            outputs = self._generate([self.prefix + t for _, t in flat])
            for (key, _), summary in zip(flat, outputs, strict=True):
                if summary.text.startswith(_LOOP_MARK):
                    warnings[key].append("repetition loop in model output; repeats removed")
            outputs = [replace(o, text=o.text.removeprefix(_LOOP_MARK)) for o in outputs]
            merged: dict[str, list[ScoredText]] = {key: [] for key in texts}
            for (key, _), summary in zip(flat, outputs, strict=True):
                merged[key].append(summary)
            texts = {}
            for key, parts in merged.items():
                if len(parts) <= 1:
                    finished[key] = parts[0] if parts else ScoredText("")
                elif round_no == self.max_rounds - 1:
                    joined = " ".join(p.text for p in parts)
                    tokens = sum(p.tokens for p in parts)
                    finished[key] = ScoredText(joined, mean_logprob(parts), tokens)
                    warnings[key].append("summary of parts did not converge; parts joined")
                else:
                    units = self._units([p.text for p in parts], budget, warnings[key])
                    texts[key] = [" ".join(g) for g in self._pack(units, budget)]
            if not texts:
                break
        results = []
        for req in requests:
            done = finished.get(req.key, ScoredText(""))
            results.append(
                SummaryText(
                    req.key,
                    done.text,
                    align_sources(done.text, req.sentences),
                    tuple(warnings[req.key]),
                    done.logprob,
                )
            )
        return results

    def fits(self, sentences: Sequence[Sentence]) -> bool:
        """Whether these sentences fit one model input (then no part summaries are needed)."""
        budget = self.engine.max_input_tokens - self._prefix_tokens()
        text = " ".join(s.text for s in sentences)
        return bool(text) and self.engine.count_tokens([text])[0] <= budget

    def _generate(self, inputs: list[str]) -> list[ScoredText]:
        """Generate; outputs caught in a loop are retried with stronger settings, then cleaned.

        An output that still loops after the retry comes back with repeats removed and marked,
        so the caller can warn about it (its confidence is the looping output's).
        """
        if not inputs:
            return []
        outputs = self.engine.generate_scored(inputs)
        bad = [i for i, o in enumerate(outputs) if loops(o.text)]
        if bad:
            retry = self.engine.generate_scored(
                [inputs[i] for i in bad], self.engine.generation.stronger()
            )
            for i, out in zip(bad, retry, strict=True):
                if loops(out.text):
                    out = replace(out, text=_LOOP_MARK + drop_repeats(out.text))
                outputs[i] = out
        return outputs

    def _prefix_tokens(self) -> int:
        if not self.prefix:
            return 0
        # count_tokens includes the end token once; the prefix adds only its own pieces.
        return max(0, self.engine.count_tokens([self.prefix.strip()])[0] - 1)

    def _units(self, texts: list[str], budget: int, warnings: list[str]) -> list[str]:
        units: list[str] = []
        for text, n in zip(texts, self.engine.count_tokens(texts), strict=True):
            if n <= budget:
                units.append(text)
                continue
            pieces = split_to_budget(text, self.engine.count_tokens, budget)
            warnings.append(f"sentence of {n} tokens split into {len(pieces)} parts for the model")
            units.extend(p.text for p in pieces)
        return units

    def _pack(self, units: list[str], budget: int) -> list[list[str]]:
        # Joining with spaces can merge tokens at borders; a small margin keeps parts in budget.
        lengths = self.engine.count_tokens(units)
        groups = pack([n + 1 for n in lengths], budget)
        return [[units[i] for i in g] for g in groups]


def align_sources(
    summary: str, sources: Sequence[Sentence], min_sim: float = 0.12
) -> tuple[str, ...]:
    """Source sentences a generated summary rests on: best lexical match per summary sentence."""
    ids: list[str] = []
    for start, end in split_sentences(summary):
        sent = summary[start:end]
        scored = [(extractive.similarity(sent, s.text), i) for i, s in enumerate(sources)]
        scored = [x for x in scored if x[0] >= min_sim]
        if scored:
            best = max(scored)[1]
            if sources[best].id not in ids:
                ids.append(sources[best].id)
    order = {s.id: i for i, s in enumerate(sources)}
    return tuple(sorted(ids, key=order.__getitem__))


def load_summarizer(spec: ModelSpec, runtime: RuntimeOptions) -> Summarizer:
    if spec.backend == "extractive":
        return ExtractiveSummarizer()
    return AbstractiveSummarizer(load_model(spec, runtime), prefix=spec.prefix)
