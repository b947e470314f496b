"""Tests for the German sentence splitter ``digest.text.sentences``.

The regression corpus ``tests/data/sentences_de.jsonl`` holds hand-written German cases with
gold sentences; every case must come out exactly.  Offset invariants are checked on the
corpus, on the sample articles and on seeded random strings; pathological inputs must finish
quickly.
"""

from __future__ import annotations

import json
import random
import re
import runpy
import sys
import time
from pathlib import Path

import pytest

from digest.ingest.charset import decode_bytes
from digest.text.sentences import _segment, sentences, split_sentences

DATA = Path(__file__).resolve().parents[1] / "data" / "sentences_de.jsonl"
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CATEGORIES = {
    "abbrev",
    "ordinal",
    "date",
    "number",
    "quote",
    "ellipsis",
    "paren",
    "heading",
    "list",
    "newline",
    "misc",
}


def _load_corpus() -> list[dict[str, object]]:
    # split("\n"), not splitlines(): JSON strings may legally hold U+2028/U+2029.
    lines = DATA.read_text(encoding="utf-8").split("\n")
    return [json.loads(line) for line in lines if line.strip()]


CORPUS = _load_corpus()


def _text(case: dict[str, object]) -> str:
    text = case["text"]
    assert isinstance(text, str)
    return text


def _gold(case: dict[str, object]) -> list[str]:
    gold = case["sentences"]
    assert isinstance(gold, list) and all(isinstance(s, str) for s in gold)
    return [str(s) for s in gold]


def assert_valid_spans(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans are ordered, disjoint, stripped, non-empty and cover all non-whitespace."""
    covered = [False] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text), (start, end, previous_end)
        piece = text[start:end]
        assert piece == piece.strip(), repr(piece)
        for index in range(start, end):
            covered[index] = True
        previous_end = end
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not missing, f"uncovered non-whitespace at {missing[:10]}"


# --- the corpus ---------------------------------------------------------------------------


def test_corpus_is_well_formed() -> None:
    assert len(CORPUS) >= 120
    ids = [case["id"] for case in CORPUS]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    by_category: dict[str, int] = {}
    for case in CORPUS:
        category = case["category"]
        assert category in CATEGORIES, category
        by_category[str(category)] = by_category.get(str(category), 0) + 1
        # Gold sentences must be stripped pieces of the text, in order, covering it.
        text, position = _text(case), 0
        for sentence in _gold(case):
            assert sentence and sentence == sentence.strip(), (case["id"], sentence)
            found = text.find(sentence, position)
            assert found >= 0, (case["id"], sentence)
            assert not text[position:found].strip(), (case["id"], text[position:found])
            position = found + len(sentence)
        assert not text[position:].strip(), case["id"]
    assert set(by_category) == CATEGORIES
    assert min(by_category.values()) >= 5, by_category


@pytest.mark.parametrize("case", CORPUS, ids=[str(case["id"]) for case in CORPUS])
def test_corpus_case(case: dict[str, object]) -> None:
    text = _text(case)
    assert sentences(text) == _gold(case)
    assert_valid_spans(text, split_sentences(text))


def test_sentences_are_the_span_slices() -> None:
    text = "  Dr. Weber kam um 12.30 Uhr.\r\n\r\n„Gut.“ Danach ging er.  "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == sentences(text)
    assert spans == [(2, 29), (33, 39), (40, 55)]


# --- offsets on other text ----------------------------------------------------------------


SAMPLE_FILES = (
    sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".html"))
    if SAMPLES.is_dir()
    else []
)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_offsets_on_samples(path: Path) -> None:
    text, _ = decode_bytes(path.read_bytes())
    assert_valid_spans(text, split_sentences(text))


# Characters and fragments that exercise every rule, mixed at random.
_ALPHABET = list("abcxyzABCÄÖÜäöüß0123456789 .,;:!?…-–—'\"„“”‚‘’»«()[]{}#*•/%€§@\t\n\r")
_FRAGMENTS = [
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    " \n \n",
    "\u2029",
    "\u2028",
    "\x0c",
    "\xa0",
    "\u200b",
    "z. B. ",
    "u. a.",
    "Nr. ",
    "Dr.",
    "Mio.",
    "usw.",
    "1. ",
    "13. ",
    "3.10.",
    "1.200",
    "3,5",
    "XIV.",
    "K.",
    "Die ",
    "Dann ",
    "September ",
    "der ",
    "... ",
    "…",
    ". ",
    "! ",
    "? ",
    ".“ ",
    "?« ",
    ".) ",
    "(dpa) ",
    "- ",
    "• ",
    "a) ",
    "# ",
    "---",
    "www.example.de",
    "a.b@c.de",
    "iPhone",
]


def _random_text(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(0, 120)):
        if rng.random() < 0.4:
            parts.append(rng.choice(_FRAGMENTS))
        else:
            parts.append(rng.choice(_ALPHABET))
    return "".join(parts)


def test_offsets_on_random_text() -> None:
    rng = random.Random(20250917)
    for _ in range(1500):
        text = _random_text(rng)
        spans = split_sentences(text)
        assert_valid_spans(text, spans)
        assert sentences(text) == [text[a:b] for a, b in spans]


def test_offsets_on_random_unicode() -> None:
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(chr(rng.randint(0x09, 0x2FFF)) for _ in range(rng.randint(0, 200)))
        assert_valid_spans(text, split_sentences(text))


def test_empty_and_blank() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t\r\n\u2029 ") == []


# --- line structure -----------------------------------------------------------------------


def test_blank_line_always_ends_a_sentence() -> None:
    assert sentences("Der Rat tagt und\n\nentscheidet später") == [
        "Der Rat tagt und",
        "entscheidet später",
    ]


def test_single_line_break_is_whitespace() -> None:
    assert sentences("Der Rat tagt und\nentscheidet später.") == [
        "Der Rat tagt und\nentscheidet später."
    ]


# --- the tie breaker used to measure a pysbd hybrid ------------------------------------------


def test_tie_breaker_only_settles_unsure_boundaries() -> None:
    text = "Er kam. Dann ging er. „Gut.“ Danach war Ruhe."
    # Only "kam. Dann" is unsure; "er. „Gut" (opening quote) and "Gut.“ Danach" are not.
    assert _segment(text, lambda _offset: False) == [(0, 21), (22, 28), (29, 45)]
    assert _segment(text, None) == split_sentences(text)
    assert len(split_sentences(text)) == 4


# --- robustness ---------------------------------------------------------------------------

PATHOLOGICAL = {
    "no-punctuation": "wort " * 10_000,
    "one-long-token": "a" * 50_000,
    "dots": "." * 50_000,
    "dots-spaced": ". " * 25_000,
    "letter-dots": "a." * 25_000,
    "letter-dot-space": "a. " * 17_000,
    "initials": "A. " * 17_000,
    "numbers": "1. " * 17_000,
    "ordinal-starter": "12. Die " * 7_000,
    "abbreviations": "z. B. " * 8_000,
    "ellipses": "... " * 12_000,
    "marks": "!? " * 16_000,
    "brackets": "(" * 25_000 + ")" * 25_000,
    "quotes": "„" * 25_000 + ". " + "“" * 25_000,
    "closers": "." + "“" * 50_000 + " x",
    "url": "http://" + "a." * 25_000,
    "newlines": "\n" * 50_000,
    "bullets": "- x\n" * 12_000,
    "numbered": "1. x.\n" * 8_000,
    "headings": "#\n" * 25_000,
    "rule-like": "- - - " * 8_000 + "x",
    "whitespace-runs": ("Satz." + " " * 1_000) * 50,
    # pysbd backtracks exponentially on this shape (numbered references after dots)
    "numbered-reference": "..[" + " ".join(["111"] * 2_000) + "]",
    "long-number": "Rok bud." + "2027777983834843" * 200,
}


# Hang guards, not speed measurements: each input splits in well under a second when the code
# is linear, and takes minutes when a rule backtracks, so the bound can be generous enough for
# a loaded CI machine. Speed figures come from scripts/sentence_accuracy.py.
HANG_LIMIT_S = 30.0


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_does_not_hang(name: str) -> None:
    text = PATHOLOGICAL[name]
    started = time.perf_counter()
    spans = split_sentences(text)
    elapsed = time.perf_counter() - started
    assert elapsed < HANG_LIMIT_S, f"{name}: {elapsed:.2f} s"
    assert_valid_spans(text, spans)


def test_long_article_does_not_hang() -> None:
    paragraphs = [_text(case) for case in CORPUS if _text(case).strip()]
    text = ""
    while len(text.split()) < 3_000:
        text += "\n\n".join(paragraphs) + "\n\n"
    started = time.perf_counter()
    spans = split_sentences(text)
    assert time.perf_counter() - started < HANG_LIMIT_S
    assert_valid_spans(text, spans)


def test_accuracy_script_reports_corpus_and_every_sample(
    capsys: pytest.CaptureFixture[str],
) -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "sentence_accuracy.py"))
    assert script["main"]([]) == 0  # 1 would mean a sample with inexact offsets
    out = capsys.readouterr().out
    ours = out.split("== digest.text.sentences (ours)")[1].split("==")[0]
    assert f"exact {len(CORPUS)}/{len(CORPUS)}" in ours  # the tests above demand every case
    assert "held-out" in ours
    for path in (p for p in SAMPLE_FILES if p.name != "README.md"):
        assert re.search(rf"^  {re.escape(path.name)} .* yes ", out, re.M), path.name
    assert "faehre-webkopie.txt" in out


def test_accuracy_script_says_how_to_install_pysbd_when_it_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "sentence_accuracy.py"))
    monkeypatch.setitem(sys.modules, "pysbd", None)  # a None entry makes the import fail
    assert script["load_pysbd"]() is None
    out = capsys.readouterr().out
    assert "pysbd is not installed" in out and "pip install -e '.[dev]'" in out


def test_joined_paragraphs_keep_every_sentence_boundary() -> None:
    """Corpus sentences shuffled into running text: any end meets any start (issue 14)."""
    script = runpy.run_path(str(ROOT / "scripts" / "sentence_accuracy.py"))
    cases = script["load_corpus"](DATA)
    joined = script["joined_paragraphs"](cases)
    n, _, _, f1 = script["sentence_f1"](joined, split_sentences)
    assert n > 2000
    # Measured 0.9995 (0.994 before the second-finite-verb rule, 0.972 before the number
    # rules); the figure moves with the shuffle, --rounds 40 gives 0.998.  What is left: a
    # sentence ending in an ambiguous abbreviation or ordinal ("9 Mio.", "am 9. Nov.")
    # before one that opens with "Mitte des ...", "Sonntag, 12. Mai, ..." or a one-word
    # subject and a verb that may be a participle ("Köln belegt ...").
    assert f1 >= 0.998


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tor durch Keller (71. Minute) in Führung. Danach kam nichts.", 2),
        ("Der Aufsteiger (3. Liga) gewann. Das war knapp.", 2),
        ("Die Zahl beträgt unverändert 204. 4.090 (+48) Personen sind genesen.", 2),
        ("Die Frist endet am 1. 2. 2024 um Mitternacht. Danach nicht mehr.", 2),
        ("Das Team kam auf Platz 3. Danach war die Enttäuschung groß.", 2),
    ],
)
def test_number_families(text: str, expected: int) -> None:
    assert len(split_sentences(text)) == expected
