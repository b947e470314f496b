"""Huge and hostile inputs cost about linear work: small versions of the shapes that were slow.

Work is counted, not timed: executed Python lines (``sys.settrace``) or peak traced memory
(``tracemalloc``, which numpy reports to). Ten times the input may cost at most 15 times
the work; quadratic code costs about 100 times. scripts/bench_inputs.py measures full sizes.
"""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLE_FILES
from digest.backends.fake import FakeModel
from digest.checks import facts, quantities
from digest.config import GenerationSettings, ModelSpec
from digest.ingest.article import article_from_text, load_article
from digest.ingest.boilerplate import duplicates
from digest.summarize import extractive
from digest.text.chunks import split_to_budget
from digest.translate.sentences import translate_units

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import bench_inputs

RATIO = 15  # linear work is about 10 times for 10 times the input


def python_lines(fn: Callable[[], object]) -> int:
    """Python lines executed by ``fn()``: a deterministic measure of interpreted work."""
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


def peak_bytes(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def assert_linear(cost: Callable[[int], int], n: int) -> None:
    small, large = cost(n), cost(10 * n)
    assert small > 0 and large <= RATIO * small, (small, large)


def char_tokens(texts: Sequence[str]) -> list[int]:
    """A tokenizer stand-in: one token per four characters of each word, plus end-of-text."""
    return [sum(-(-len(w) // 4) for w in t.split()) + 1 for t in texts]


# -- translation units -------------------------------------------------------------------


def test_a_huge_word_is_split_into_pieces_that_fit() -> None:
    word = "Donaudampfschifffahrtsgesellschaft" * 3_000  # ~100 KB without a space
    text = f"Das Wort {word} ist lang."
    pieces = split_to_budget(text, char_tokens, 64)
    assert all(char_tokens([p.text])[0] <= 64 for p in pieces)
    assert "".join(p.text for p in pieces if p.text not in ("Das Wort", "ist lang.")) == word
    assert [text[p.start : p.end] for p in pieces] == [p.text for p in pieces]
    assert {p.how for p in pieces} == {"tokens"}


@pytest.mark.parametrize(
    "unit", [lambda n: ". " * n, lambda n: "x" * (2 * n), lambda n: "Wort, " * (n // 3)]
)
def test_splitting_an_over_long_unit_tokenizes_linear_text(unit: Callable[[int], str]) -> None:
    """Characters handed to the tokenizer: the 400 KB ". . ." line was quadratic."""

    def cost(n: int) -> int:
        seen = [0]

        def counting(texts: Sequence[str]) -> list[int]:
            seen[0] += sum(len(t) for t in texts)
            return char_tokens(texts)

        split_to_budget(unit(n), counting, 64)
        return seen[0]

    assert_linear(cost, 2_000)


class CharFake(FakeModel):
    """The fake engine with a character-based token count, so one word can exceed the limit."""

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return char_tokens(texts)


def test_translator_splits_a_huge_word_instead_of_refusing() -> None:
    spec = ModelSpec(
        name="fake-translator",
        role="translator",
        backend="fake",
        source="fake:translate",
        target_lang="en",
        max_input_tokens=64,
        generation=GenerationSettings(num_beams=1, max_new_tokens=200),
    )
    unit = "Der Name " + "Donaudampfschifffahrt" * 2_000 + " ist lang."
    [done] = translate_units(CharFake(spec), [unit])
    assert done.how == "tokens" and done.pieces > 100
    assert done.target.replace(" ", "").count("Donaudampfschifffahrt") == 2_000


# -- checks ------------------------------------------------------------------------------


def numbers_text(n: int) -> str:
    return bench_inputs.numbers(n)


def test_number_finder_is_linear() -> None:
    assert_linear(lambda n: python_lines(lambda: quantities.mentions(numbers_text(n), "de")), 3_000)


def test_date_finder_is_linear() -> None:
    assert_linear(lambda n: python_lines(lambda: facts.find_dates(numbers_text(n))), 3_000)


def test_the_source_is_read_once_for_all_checked_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    source = numbers_text(20_000) + " Bürgermeisterin Krüger sagte das am Montag."
    calls: list[int] = []
    real = quantities.mentions

    def spy(text: str, lang: str) -> list[quantities.NumberMention]:
        calls.append(len(text))
        return real(text, lang)

    monkeypatch.setattr(facts, "mentions", spy)
    facts._source_numbers.cache_clear()
    for i in range(50):
        facts.check_text(f"Am 3. März kostete Los {i} genau 13 Euro.", source, lang="de", where="x")
    assert calls.count(len(source)) == 1  # plus one short call per checked text
    found = facts.check_text("Krüger sagte, Zander zahlt 999 Euro.", source, lang="de", where="x")
    assert [f.value for f in found] == ["999", "Zander"]


# -- article stage -----------------------------------------------------------------------


def test_contained_blocks_are_found_in_long_documents_without_pair_checks() -> None:
    quote = "Wir bauen die neue Halle für alle Vereine der Stadt"

    def items(n: int) -> list[tuple[str, str, bool]]:
        out = [
            (f"b{i}", f"Absatz {i} über den Verein {i} und seine {i} Mitglieder im Ort {i}.", False)
            for i in range(n)
        ]
        out.append(("quote", quote, False))
        out.append(("para", f"Der Bürgermeister sagte: {quote}, und alle klatschten.", False))
        return out

    assert duplicates(items(3_000))["quote"] == "para"
    assert_linear(lambda n: python_lines(lambda: duplicates(items(n))), 200)


@pytest.mark.parametrize(
    ("shape", "fmt"),
    [
        ("short_sentences", "txt"),
        ("news", "txt"),
        ("md_table", "md"),
        ("html_paragraphs", "html"),
        ("one_line", "txt"),
        ("dots_line", "txt"),
        ("md_emphasis", "md"),
        ("md_brackets", "md"),
    ],
)
def test_hostile_shapes_are_read_in_linear_work(shape: str, fmt: str) -> None:
    make = getattr(bench_inputs, shape)
    n = 1_000 if shape.startswith("md_") else 4_000  # traced Markdown parsing is slow
    assert_linear(
        lambda n: python_lines(lambda: article_from_text(make(n), fmt=fmt)),  # type: ignore[arg-type]
        n,
    )


# -- summarizer --------------------------------------------------------------------------


def sentences(n: int, shape: str = "news") -> list[str]:
    art = article_from_text(getattr(bench_inputs, shape)(n))
    return [s.text for s in art.sentences]


def test_many_sentences_are_ranked_in_linear_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """No n x n matrix above DENSE_LIMIT (3,000 sentences would need 72 MB dense)."""
    monkeypatch.setattr(extractive, "DENSE_LIMIT", 100)
    small, large = sentences(6_000, "short_sentences"), sentences(60_000, "short_sentences")
    assert len(large) >= 9 * len(small) > 9 * 100

    def cost(sents: list[str]) -> int:
        return peak_bytes(lambda: extractive.summarize(sents, max_sentences=3))

    assert cost(large) <= RATIO * cost(small)


@pytest.mark.parametrize("method", ["textrank", "tfidf"])
def test_sparse_ranking_equals_the_dense_one(method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = extractive.ExtractiveSettings(method=method)  # type: ignore[arg-type]
    texts = [[s.text for s in load_article(p).sentences] for p in SAMPLE_FILES]
    texts.append(sentences(60_000))
    for sents in texts:
        dense = extractive.score_sentences(sents, title=sents[0], settings=settings)
        picked = extractive.select_sentences(sents, dense, max_sentences=5, settings=settings)
        monkeypatch.setattr(extractive, "DENSE_LIMIT", 0)
        sparse = extractive.score_sentences(sents, title=sents[0], settings=settings)
        assert sparse == pytest.approx(dense, abs=1e-9)
        assert (
            extractive.select_sentences(sents, sparse, max_sentences=5, settings=settings) == picked
        )
        monkeypatch.undo()
