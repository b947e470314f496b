"""digest.checks.repetition: the one loop detector, as translations and summaries use it."""

from __future__ import annotations

from digest.checks.repetition import repetition_loop
from digest.summarize.strategies import loops


def test_repetition_loops_are_found_and_normal_text_is_not() -> None:
    assert repetition_loop("the city the city the city the city") == "the city"
    assert repetition_loop("costs rose again and again and again and again") is not None
    assert repetition_loop("The city council approved the new plan on Monday.") is None


def test_one_repetition_detector_serves_translations_and_summaries() -> None:
    # Translation sentences: a word or pair of words three times back to back is a loop.
    assert repetition_loop("Die die die Stadt baut.") == "die"
    assert repetition_loop("Linie 12 fährt, Linie 14 fährt, Linie 16 fährt.") == "linie fährt"
    # Summaries: only runs of three or more tokens count, and numbers are tokens.
    assert not loops("Die die die Stadt baut.")
    assert not loops("Linie 12 fährt, Linie 14 fährt, Linie 16 fährt.")
    counted = "Tor 3, 4, 5. Tor 3, 4, 5. Tor 3, 4, 5."
    assert loops(counted)
    assert repetition_loop(counted, shortest=3, tokens="runs") == "tor 3 4 5"
    assert repetition_loop(counted, shortest=3) is None  # as words: "tor tor tor", no 3-gram
    # Anywhere in the text, not only back to back, for three words and more.
    spread = "Der Rat tagt heute. Morgen der Rat tagt. Dann: der Rat tagt wieder."
    assert loops(spread) and repetition_loop(spread) == "der rat tagt"
