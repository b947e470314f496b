"""digest.text.chunks: over-long units split at clauses (words as a last resort), units packed."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from digest.text.chunks import Piece, pack, split_to_budget

HAUSHALT = (
    "Der Rat tagte lange; am Ende stand ein Kompromiss, den alle Fraktionen mittragen wollten, "
    "und die Bürgermeisterin zeigte sich zufrieden, weil der Haushalt nun steht."
)


def words(texts: Sequence[str]) -> list[int]:
    """A stand-in tokenizer: one token per word."""
    return [len(t.split()) for t in texts]


def rows(pieces: list[Piece]) -> list[tuple[str, str]]:
    return [(p.text, p.how) for p in pieces]


def test_a_unit_that_fits_is_one_whole_piece() -> None:
    assert split_to_budget(HAUSHALT, words, 40) == [Piece(HAUSHALT, 0, len(HAUSHALT), "whole")]


def test_strong_punctuation_is_preferred_and_neighbouring_clauses_are_regrouped() -> None:
    assert rows(split_to_budget(HAUSHALT, words, 12)) == [
        ("Der Rat tagte lange;", "clause"),
        ("am Ende stand ein Kompromiss, den alle Fraktionen mittragen wollten,", "clause"),
        ("und die Bürgermeisterin zeigte sich zufrieden, weil der Haushalt nun steht.", "clause"),
    ]
    # A tighter budget splits the same text at its commas as well.
    assert rows(split_to_budget(HAUSHALT, words, 6)) == [
        ("Der Rat tagte lange;", "clause"),
        ("am Ende stand ein Kompromiss,", "clause"),
        ("den alle Fraktionen mittragen wollten,", "clause"),
        ("und die Bürgermeisterin zeigte sich zufrieden,", "clause"),
        ("weil der Haushalt nun steht.", "clause"),
    ]


def test_without_punctuation_the_split_falls_before_a_conjunction() -> None:
    text = (
        "Die Stadt baut eine neue Brücke und die Gemeinde zahlt die Hälfte weil das Land "
        "nichts gibt"
    )
    assert rows(split_to_budget(text, words, 7)) == [
        ("Die Stadt baut eine neue Brücke", "clause"),
        ("und die Gemeinde zahlt die Hälfte", "clause"),
        ("weil das Land nichts gibt", "clause"),
    ]


def test_words_are_the_last_resort_and_only_a_word_over_the_budget_is_cut() -> None:
    pieces = split_to_budget("Der Rat tagte sehr lange heute;", words, 2)
    assert rows(pieces) == [
        ("Der Rat", "tokens"),
        ("tagte sehr", "tokens"),
        ("lange heute;", "tokens"),
    ]
    long_word = "Donaudampfschifffahrtsgesellschaftskapitän"
    by_letters = split_to_budget(long_word, lambda ts: [len(t) // 5 for t in ts], 2)
    # The model could not take the word whole: the longest runs of letters that fit.
    assert by_letters == [
        Piece(long_word[:14], 0, 14, "tokens"),
        Piece(long_word[14:28], 14, 28, "tokens"),
        Piece(long_word[28:], 28, 42, "tokens"),
    ]


@pytest.mark.parametrize("budget", range(1, 30))
def test_pieces_are_exact_slices_in_order_that_fit_and_lose_nothing(budget: int) -> None:
    pieces = split_to_budget(HAUSHALT, words, budget)
    end = 0
    for p in pieces:
        assert HAUSHALT[p.start : p.end] == p.text and p.start >= end
        assert words([p.text])[0] <= budget  # every word here is one token, so all fit
        end = p.end
    assert "".join(p.text for p in pieces).replace(" ", "") == HAUSHALT.replace(" ", "")


def test_pack_groups_neighbours_in_order_within_the_budget() -> None:
    assert pack([3, 4, 5, 1, 1, 9, 2], 8) == [[0, 1], [2, 3, 4], [5], [6]]
    assert pack([10, 1], 5) == [[0], [1]]  # an oversize unit stands alone; nothing is dropped
    assert pack([], 5) == []
