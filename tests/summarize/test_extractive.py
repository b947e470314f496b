"""Tests for the weight-free German extractive summarizer."""

from __future__ import annotations

import time
from typing import Literal

import pytest

from digest.summarize.extractive import (
    GERMAN_STOPWORDS,
    ExtractiveSettings,
    german_tokens,
    score_sentences,
    select_sentences,
    similarity,
    stem,
    summarize,
    word_count,
)

Method = Literal["news", "textrank", "tfidf"]
METHODS: tuple[Method, ...] = ("news", "textrank", "tfidf")

# A small hand-written city council article. The central topic (Radwege, Stadtrat,
# Sanierung) recurs in several sentences.
ARTICLE = [
    "Der Stadtrat hat am Dienstag den Ausbau der Radwege in der Innenstadt beschlossen.",
    "Für die Sanierung der Radwege stehen in diesem Jahr rund zwei Millionen Euro bereit.",
    "Viele Bürgerinnen und Bürger hatten sich in einer Umfrage sicherere Radwege gewünscht.",
    "Das Wetter war am Abend der Sitzung ungewöhnlich mild.",
    "Die Opposition kritisierte, dass der Stadtrat die Sanierung der Radwege zu spät angehe.",
    "Nach der Sitzung gab es im Foyer belegte Brötchen und Kaffee.",
    "Die Bauarbeiten an den ersten Radwegen sollen im Frühjahr beginnen.",
]


# --------------------------------------------------------------------------- tokens/stems


def test_tokens_lowercase_keep_umlauts_eszett_and_numbers() -> None:
    tokens = german_tokens("Die Straße in Köln kostet 3,5 Millionen Euro – Ärger 2024!")
    assert tokens == [
        "die",
        "straße",
        "in",
        "köln",
        "kostet",
        "3,5",
        "millionen",
        "euro",
        "ärger",
        "2024",
    ]


def test_tokens_split_hyphenated_compounds() -> None:
    assert german_tokens("Corona-Pandemie") == ["corona", "pandemie"]


def test_word_count_counts_whitespace_words() -> None:
    assert word_count("Der Rat – er tagt heute.") == 6
    assert word_count("") == 0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Radwege", "Radweg"),
        ("Radweges", "Radweg"),
        ("Radwegen", "Radweg"),
        ("Bürgern", "Bürger"),
        ("Bürgers", "Bürger"),
        ("Bürgerinnen", "Bürger"),
        ("Entscheidungen", "Entscheidung"),
        ("Städte", "Stadt"),
        ("Häuser", "Haus"),
        ("Kindern", "Kind"),
        ("Millionen", "Million"),
        ("Probleme", "Problem"),
        ("Ergebnisse", "Ergebnis"),
        ("Regeln", "Regel"),
        ("Straßen", "Straße"),
        ("Möglichkeiten", "Möglichkeit"),
        ("Ministerin", "Minister"),
        ("Polizistin", "Polizist"),
        ("Präsidentin", "Präsident"),
    ],
)
def test_stem_conflates_inflected_forms(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Haus", "Hase"), ("Berlin", "Berg"), ("Rad", "Rat"), ("Preis", "Prei"), ("Termin", "Term")],
)
def test_stem_keeps_different_words_apart(a: str, b: str) -> None:
    assert stem(a) != stem(b)


@pytest.mark.parametrize("word", ["Haus", "Preis", "Berlin", "Million", "Problem", "Kurs"])
def test_stem_leaves_stem_final_letters_alone(word: str) -> None:
    assert stem(word) == word.lower()


def test_stem_folds_umlauts_and_keeps_short_words_and_numbers() -> None:
    assert stem("Öl") == "ol"
    assert stem("über") == "uber"
    assert stem("2024") == "2024"
    assert stem("3,5") == "3,5"


def test_stopword_list_is_real_and_lowercase() -> None:
    assert len(GERMAN_STOPWORDS) >= 200
    assert all(word == word.lower() for word in GERMAN_STOPWORDS)
    for word in ("der", "die", "das", "und", "nicht", "über", "dass", "würde", "wurde"):
        assert word in GERMAN_STOPWORDS
    for word in ("stadtrat", "radweg", "euro", "polizei"):
        assert word not in GERMAN_STOPWORDS


def test_similarity_ignores_stopwords() -> None:
    # Only function words in common: no content overlap at all.
    assert similarity("Der Hund und die Katze", "Der Baum und die Wiese") == 0.0
    assert similarity("und oder aber", "und oder aber") == 0.0


def test_similarity_uses_stems_and_is_bounded() -> None:
    assert similarity("Radwege für Bürger", "Radweg für Bürgern") == pytest.approx(1.0)
    value = similarity("Der Stadtrat baut Radwege.", "Der Stadtrat baut Straßen.")
    assert 0.0 < value < 1.0
    assert similarity("", "Radweg") == 0.0
    assert similarity("Radweg", "Radweg") <= 1.0


# --------------------------------------------------------------------------- scoring


@pytest.mark.parametrize("method", METHODS)
def test_scores_in_unit_interval_and_one_per_sentence(method: Method) -> None:
    settings = ExtractiveSettings(method=method)
    scores = score_sentences(ARTICLE, title="Stadtrat beschließt Radwege", settings=settings)
    assert len(scores) == len(ARTICLE)
    assert all(0.0 <= s <= 1.0 for s in scores)


@pytest.mark.parametrize("method", METHODS)
def test_central_sentences_outscore_fluff(method: Method) -> None:
    settings = ExtractiveSettings(method=method)
    scores = score_sentences(ARTICLE, settings=settings)
    # Sentence 4 (Stadtrat, Sanierung, Radwege) beats the later off-topic Brötchen line.
    assert scores[4] > scores[5]
    assert scores[1] > scores[3]


def test_title_overlap_raises_score() -> None:
    sentences = [
        "Die Feuerwehr rückte am Morgen zu einem Brand in der Altstadt aus.",
        "Der Bürgermeister eröffnete am Nachmittag das neue Hallenbad im Westen.",
        "Die Polizei sperrte die Straße für mehrere Stunden.",
    ]
    plain = score_sentences(sentences)
    titled = score_sentences(sentences, title="Neues Hallenbad eröffnet")
    assert titled[1] > plain[1]
    assert titled[1] > titled[2]


def test_teaser_counts_like_title() -> None:
    sentences = [
        "Die Feuerwehr rückte am Morgen zu einem Brand in der Altstadt aus.",
        "Der Bürgermeister eröffnete am Nachmittag das neue Hallenbad im Westen.",
        "Die Polizei sperrte die Straße für mehrere Stunden.",
    ]
    plain = score_sentences(sentences)
    teased = score_sentences(sentences, teaser="Schwimmer freuen sich über das Hallenbad.")
    assert teased[1] > plain[1]


def test_position_prior_prefers_earlier_sentence_when_content_ties() -> None:
    sentences = [
        "Die Messe in Leipzig zählte viele Besucher aus Polen.",
        "Das Museum in Dresden zeigte neue Gemälde aus Italien.",
    ]
    # The centrality-only methods; the news scorer's priors are tested in test_news_scores.py.
    scores = score_sentences(sentences, settings=ExtractiveSettings(method="textrank"))
    assert scores[0] > scores[1]
    no_prior = score_sentences(
        sentences, settings=ExtractiveSettings(method="textrank", position_weight=0.0)
    )
    assert no_prior[0] == no_prior[1]


def test_sentence_without_content_words_scores_zero() -> None:
    sentences = ["Und dann?", "Der Stadtrat beschloss neue Radwege.", "Stadtrat plant Radwege."]
    scores = score_sentences(sentences)
    assert scores[0] == 0.0
    assert scores[1] > 0.0


def test_score_edge_cases() -> None:
    assert score_sentences([]) == []
    assert len(score_sentences(["Der Stadtrat beschloss neue Radwege."])) == 1
    assert score_sentences(["und oder", "aber doch"]) == [0.0, 0.0]


def test_invalid_settings_rejected() -> None:
    with pytest.raises(ValueError):
        ExtractiveSettings(position_weight=0.7, title_weight=0.5)
    with pytest.raises(ValueError):
        ExtractiveSettings(mmr_lambda=1.5)
    with pytest.raises(ValueError):
        ExtractiveSettings(method="lead")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- selection


def test_not_lead_k_central_sentence_is_picked() -> None:
    # Two off-topic opening lines, then the actual story.
    sentences = [
        "Es war ein grauer Morgen, und über dem Marktplatz lag leichter Nebel.",
        "Ein Hund bellte vor der Bäckerei, während ein Lieferwagen hupte.",
        "Der Gemeinderat hat den Bau einer neuen Grundschule im Norden beschlossen.",
        "Die neue Grundschule soll Platz für vierhundert Kinder bieten.",
        "Der Gemeinderat rechnet mit Baukosten von zwölf Millionen Euro für die Grundschule.",
        "Eltern hatten seit Jahren eine weitere Grundschule im Norden gefordert.",
        "Der Baubeginn der Grundschule ist für den kommenden Herbst geplant.",
    ]
    for method in METHODS:
        settings = ExtractiveSettings(method=method)
        chosen = summarize(sentences, max_sentences=2, settings=settings)
        assert chosen != [0, 1]
        assert 0 not in chosen and 1 not in chosen
        assert 2 in chosen or 4 in chosen


def test_mmr_never_selects_near_duplicates() -> None:
    sentences = [
        "Der Stadtrat hat den Ausbau der Radwege in der Innenstadt beschlossen.",
        "Der Stadtrat hat den Ausbau der Radwege in der Innenstadt nun beschlossen.",
        "Die Sanierung der Radwege im Stadtrat kostet zwei Millionen Euro.",
        "Der Stadtrat will mit den Radwegen den Verkehr in der Innenstadt entlasten.",
        "Die Bauarbeiten an den Radwegen beginnen im Frühjahr.",
    ]
    title = "Stadtrat beschließt Ausbau der Radwege in der Innenstadt"
    scores = score_sentences(sentences, title=title)
    # Both near-identical sentences are top-ranked ...
    top_two = sorted(range(len(scores)), key=lambda i: -scores[i])[:2]
    assert sorted(top_two) == [0, 1]
    # ... but only one of them may be selected.
    for k in (2, 3, 5):
        chosen = summarize(sentences, title=title, max_sentences=k)
        assert not (0 in chosen and 1 in chosen)
        threshold = ExtractiveSettings().redundancy_threshold
        for a in chosen:
            for b in chosen:
                if a < b:
                    assert similarity(sentences[a], sentences[b]) <= threshold


def test_all_identical_sentences_yield_one() -> None:
    sentences = ["Der Stadtrat beschloss am Dienstag neue Radwege."] * 5
    assert summarize(sentences, max_sentences=3) == [0]


def test_max_words_respected() -> None:
    for limit in (15, 25, 40):
        chosen = summarize(ARTICLE, max_sentences=None, max_words=limit)
        assert chosen
        assert sum(word_count(ARTICLE[i]) for i in chosen) <= limit


def test_max_words_keeps_one_sentence_even_if_too_long() -> None:
    chosen = summarize(ARTICLE, max_sentences=None, max_words=3)
    assert len(chosen) == 1


def test_max_sentences_respected_and_article_order() -> None:
    for k in (1, 2, 3, 4):
        chosen = summarize(ARTICLE, max_sentences=k)
        assert 1 <= len(chosen) <= k
        assert chosen == sorted(chosen)
        assert len(set(chosen)) == len(chosen)


def test_excluded_indices_never_chosen() -> None:
    full = summarize(ARTICLE, max_sentences=3)
    excluded = set(full)
    chosen = summarize(ARTICLE, max_sentences=3, exclude=excluded)
    assert chosen
    assert not excluded & set(chosen)
    everything = summarize(ARTICLE, max_sentences=3, exclude=range(len(ARTICLE)))
    assert everything == []


def test_fragments_skipped() -> None:
    sentences = [
        "Radwege!",
        "Der Stadtrat hat den Ausbau der Radwege in der Innenstadt beschlossen.",
        "Mehr Radwege.",
        "Die Bauarbeiten an den Radwegen sollen im Frühjahr beginnen.",
    ]
    chosen = summarize(sentences, max_sentences=4)
    assert 0 not in chosen and 2 not in chosen


def test_short_text_still_summarized_when_all_are_fragments() -> None:
    assert summarize(["Radwege beschlossen.", "Bau beginnt."], max_sentences=1) == [0]


def test_select_with_explicit_scores_prefers_highest() -> None:
    chosen = select_sentences(ARTICLE, [0.1, 0.2, 0.3, 0.0, 0.9, 0.0, 0.4], max_sentences=1)
    assert chosen == [4]


def test_select_ties_broken_by_position() -> None:
    sentences = [
        "Die Messe in Leipzig zählte viele Besucher aus Polen.",
        "Das Museum in Dresden zeigte neue Gemälde aus Italien.",
        "Im Zoo von Rostock kamen zwei junge Pinguine zur Welt.",
    ]
    assert select_sentences(sentences, [0.5, 0.5, 0.5], max_sentences=1) == [0]


def test_select_argument_validation() -> None:
    with pytest.raises(ValueError):
        select_sentences(ARTICLE, [0.0], max_sentences=1)
    with pytest.raises(ValueError):
        select_sentences(ARTICLE, [0.0] * len(ARTICLE), max_sentences=0)


def test_summary_edge_cases() -> None:
    assert summarize([]) == []
    assert summarize(["Der Stadtrat beschloss am Dienstag neue Radwege."]) == [0]
    assert summarize(["Und dann?", "Na ja."]) == []


def test_deterministic() -> None:
    for method in METHODS:
        settings = ExtractiveSettings(method=method)
        first_scores = score_sentences(ARTICLE, title="Radwege", settings=settings)
        first = summarize(ARTICLE, title="Radwege", settings=settings)
        for _ in range(5):
            assert score_sentences(ARTICLE, title="Radwege", settings=settings) == first_scores
            assert summarize(ARTICLE, title="Radwege", settings=settings) == first


def _long_article(n: int) -> list[str]:
    topics = ["Radwege", "Haushalt", "Schulen", "Klinik", "Wohnungen", "Busse", "Parks"]
    places = ["Norden", "Süden", "Osten", "Westen", "Zentrum"]
    return [
        f"Im {places[i % 5]} berät der Ausschuss {i} über {topics[i % 7]} und "
        f"{topics[(i * 3) % 7]} mit Kosten von {i * 17} Euro für Projekt {i % 11}."
        for i in range(n)
    ]


@pytest.mark.parametrize("method", METHODS)
def test_long_article_is_fast(method: Method) -> None:
    sentences = _long_article(320)
    settings = ExtractiveSettings(method=method)
    start = time.perf_counter()
    chosen = summarize(sentences, title="Haushalt und Radwege", settings=settings)
    elapsed = time.perf_counter() - start
    assert 1 <= len(chosen) <= 3
    assert elapsed < 1.0


def test_direct_quote_is_penalised() -> None:
    sentences = [
        "Die Gemeinde baut eine neue Brücke über den Fluss.",
        "„Die Brücke über den Fluss wird teuer“, sagte der Kämmerer.",
        "Der Kämmerer nannte die Brücke über den Fluss teuer.",
    ]
    settings = ExtractiveSettings(method="textrank", position_weight=0.0)
    scores = score_sentences(sentences, settings=settings)
    plain = score_sentences(
        sentences,
        settings=ExtractiveSettings(method="textrank", position_weight=0.0, quote_penalty=0.0),
    )
    assert scores[1] < plain[1]
    assert scores[2] == plain[2]


def test_zero_redundancy_threshold_still_allows_disjoint_sentences() -> None:
    sentences = [
        "Die Messe in Leipzig zählte viele Besucher aus Polen.",
        "Das Museum in Dresden zeigte neue Gemälde aus Italien.",
        "Die Messe in Leipzig zählte viele Besucher aus Tschechien.",
    ]
    settings = ExtractiveSettings(redundancy_threshold=0.0)
    assert summarize(sentences, max_sentences=3, settings=settings) == [0, 1]


def _eval_rouge():  # type: ignore[no-untyped-def]
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "eval_rouge.py"
    spec = importlib.util.spec_from_file_location("eval_rouge", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is created.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_rouge_keeps_umlauts_and_eszett() -> None:
    ev = _eval_rouge()
    assert ev.rouge_tokens("Für die Straße: 3,5 Mio.", use_stem=False) == [
        "für", "die", "straße", "3,5", "mio",
    ]  # fmt: skip
    # "für" vs "fur" must not match, as it would after ASCII folding.
    assert ev.rouge_n(["für"], ["fur"], 1) == 0.0
    ref = ["der", "stadtrat", "baut", "neue", "radwege"]
    assert ev.rouge_n(ref, ref, 2) == 1.0 and ev.rouge_l(ref, ref) == 1.0
    assert ev.rouge_l(["radwege", "baut", "der", "stadtrat"], ref) == pytest.approx(2 * 2 / 9)


def test_eval_rouge_prints_a_table_for_every_reference(capsys: pytest.CaptureFixture[str]) -> None:
    ev = _eval_rouge()
    assert ev.main([]) == 0
    out = capsys.readouterr().out
    refs = sorted((ev.ROOT / "eval" / "references").glob("*.de.txt"))
    assert len(refs) >= 6
    for system in ("lead-3", "textrank-3", "tfidf-3"):
        assert f"MEAN ({len(refs)} samples)" in out and system in out
    for line in out.splitlines():
        if line.startswith("MEAN"):
            scores = [float(x) for x in line.split()[-3:]]
            assert all(0.0 < x < 1.0 for x in scores)
