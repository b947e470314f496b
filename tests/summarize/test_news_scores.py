"""The news scorer behind the extractive summarizer: priors, overlaps and sentence quality."""

from __future__ import annotations

from dataclasses import replace

import pytest

from digest.summarize import extractive
from digest.summarize.extractive import ExtractiveSettings, score_sentences, summarize
from digest.summarize.news import NewsWeights, dangling, news_scores, quality

# Every part off and no length preference: each test switches on the part it is about.
NONE = NewsWeights(first=0, position=0, paragraph_start=0, centrality=0, title=0, target_words=100)


def _scores(sentences: list[str], w: NewsWeights, **kw: object) -> list[float]:
    settings = ExtractiveSettings(news=w)
    return score_sentences(sentences, settings=settings, **kw)  # type: ignore[arg-type]


def test_news_is_the_default_method() -> None:
    assert ExtractiveSettings().method == "news"


@pytest.mark.parametrize(
    "sentence",
    ["Zuvor hatte der Rat getagt.", "Er kündigte Widerstand an.", "„Dabei bleibt es“, sagte sie.",
     "Außerdem soll es eine Linie geben.", "Sie fahren ab Dezember täglich.",
     "Das zeigt eine Auswertung.", "Solche Rechnungen überfordern Computer.", "Dies gilt auch."],
)  # fmt: skip
def test_openers_that_point_back_are_dangling(sentence: str) -> None:
    assert dangling(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Der Rat hat getagt.", "Zwei Betriebe fürchten um Aufträge.", "Ersatzbusse fuhren spät.",
     "Erstmals gibt es Kontrollen.", "Sieben Linien fahren nachts.",
     "Das Gerät arbeitet mit 54 Quantenbits.", "Diese Woche beginnt der Bau."],
)  # fmt: skip
def test_ordinary_openers_are_not_dangling(sentence: str) -> None:
    assert not dangling(sentence)


def test_quality_ranks_standalone_over_quotes_and_rejects_questions() -> None:
    plain = "Die Stadt baut eine neue Brücke über den Fluss bei Tannried."
    with_speaker = "„Die neue Brücke über den Fluss wird teuer“, sagte der Kämmerer gestern."
    without_speaker = "„Die neue Brücke über den Fluss wird uns alle sehr teuer zu stehen kommen.“"
    assert quality(plain) == 1.0
    assert quality(without_speaker) < quality(with_speaker) < quality(plain)
    assert quality("Wer bezahlt die neue Brücke über den Fluss am Ende eigentlich?") == 0.0
    assert quality("Zuvor baute die Stadt eine neue Brücke über den Fluss.") < 1.0
    assert quality("Die Brücke kommt.") < 1.0  # fragment
    assert quality(" ".join(["Wort"] * 40) + ".") < 1.0  # run-on


def test_position_priors_prefer_the_lead_and_paragraph_openers() -> None:
    sentences = [
        "Die Messe in Leipzig zählte viele Besucher aus Polen und Tschechien.",
        "Ein Museum in Dresden zeigte neue Gemälde aus Polen und Spanien.",
        "Ein Verein in Görlitz plant ein großes Fest mit Gästen aus Polen.",
    ]
    assert len(set(_scores(sentences, NONE))) == 1  # nothing switched on: all equal
    lead = _scores(sentences, replace(NONE, position=1.0))
    assert lead[0] > lead[1] > lead[2]
    starts = _scores(sentences, replace(NONE, paragraph_start=1.0), paragraph_starts=[1, 0, 1])
    assert starts[0] == starts[2] > starts[1]
    # An opener that shares no word with the title or the article gets no lead prior.
    scene = ["Über dem Marktplatz lag am Morgen leichter Nebel.", *sentences]
    lead = _scores(scene, replace(NONE, position=1.0))
    assert lead[0] == 0.0 and lead[1] > lead[2] > 0.0


def test_first_sentence_bonus_needs_a_topical_first_sentence() -> None:
    scenic = [
        "Es war ein grauer Morgen, und über dem Marktplatz lag leichter Nebel.",
        "Der Gemeinderat hat den Bau einer neuen Grundschule im Norden beschlossen.",
        "Die neue Grundschule im Norden soll Platz für vierhundert Kinder bieten.",
    ]
    first_only = replace(NONE, first=1.0)
    scores = _scores(scenic, first_only)
    # The opener shares no word with the rest: the lead bonus goes to the news after it.
    assert scores[0] == 0.0 and scores[1] > 0.0 and scores[2] == 0.0
    topical = [scenic[1], scenic[2], scenic[0]]
    scores = _scores(topical, first_only)
    assert scores[0] > 0.0 and scores[1] == scores[2] == 0.0
    # Nor does an off-topic opener get the paragraph-start prior.
    starts = _scores(scenic, replace(NONE, paragraph_start=1.0), paragraph_starts=[1, 1, 0])
    assert starts[0] == 0.0 and starts[1] > 0.0


def test_title_teaser_and_centrality_raise_scores() -> None:
    sentences = [
        "Die Fähre über den Kreuzsee fährt ab Mai wieder stündlich.",
        "Im Sommer kommen viele Urlauber mit Fahrrädern an den See.",
        "Der Kiosk am Anleger verkauft Eis und Kaffee an die Gäste.",
    ]
    title = _scores(sentences, replace(NONE, title=1.0), title="Fähre Kreuzsee")
    assert title[0] > 0 and title[1] == title[2] == 0
    teaser = _scores(sentences, replace(NONE, title=1.0), teaser="Urlauber mit Fahrrädern")
    assert teaser[1] > 0 and teaser[0] == teaser[2] == 0
    central = [
        "Der Stadtrat beschließt neue Radwege in der Innenstadt.",
        "Die Radwege in der Innenstadt werden breiter, sagt der Stadtrat.",
        "Am Abend gab es im Rathaus belegte Brötchen.",
    ]
    cent = _scores(central, replace(NONE, centrality=1.0))
    assert min(cent[0], cent[1]) > cent[2]


def test_invalid_news_weights_rejected() -> None:
    with pytest.raises(ValueError):
        NewsWeights(title=-1.0)
    with pytest.raises(ValueError):
        NewsWeights(half_life=0.0)


def test_scores_stay_in_unit_interval_and_layout_must_match() -> None:
    sentences = ["Der Rat beschließt den Haushalt für das Jahr.", "Und dann?", "Ja."]
    scores = score_sentences(sentences, title="Haushalt", paragraph_starts=[True, True, False])
    assert all(0.0 <= s <= 1.0 for s in scores) and scores[1] == scores[2] == 0.0
    with pytest.raises(ValueError, match="one entry per sentence"):
        score_sentences(sentences, paragraph_starts=[True])


def test_news_scores_build_no_sentence_by_sentence_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    # Linear in the sentences: the dense n x n cosine matrix of TextRank is never built.
    def refuse(*_: object) -> None:
        raise AssertionError("quadratic similarity matrix built")

    monkeypatch.setattr(extractive, "_cosine_matrix", refuse)
    monkeypatch.setattr(extractive, "_pagerank", refuse)
    sentences = [f"Im Ortsteil {i} baut die Gemeinde {i % 7} neue Wege." for i in range(300)]
    terms = [extractive._terms(s) for s in sentences]
    assert len(news_scores(terms, sentences)) == 300


def test_summary_prefers_short_factual_sentences_over_a_long_background_lead() -> None:
    sentences = [
        "Die Gemeinde Tannried baut bis 2029 ein Nahwärmenetz für 600 Haushalte im Ort.",
        "Bisher heizen die meisten Häuser im Ort, wie es seit Jahrzehnten üblich ist und wie es "
        "auch in den umliegenden Dörfern der Region immer schon gemacht wurde, mit Öl oder Gas, "
        "und viele der alten Kessel in den Kellern sind älter als zwanzig oder dreißig Jahre.",
        "Das Nahwärmenetz in Tannried kostet rund 21 Millionen Euro.",
        "Die Haushalte zahlen für den Anschluss an das Nahwärmenetz 9.000 Euro.",
    ]
    chosen = summarize(sentences, title="Tannried baut Nahwärmenetz", max_sentences=3)
    assert chosen == [0, 2, 3]
    # The length window costs the 45-word sentence most of its score, the short ones little.
    title = "Tannried baut Nahwärmenetz"
    no_length = ExtractiveSettings(news=NewsWeights(target_words=1000, max_words=1000))
    with_window = score_sentences(sentences, title=title)
    without = score_sentences(sentences, title=title, settings=no_length)
    assert with_window[1] < 0.5 * without[1]
    assert with_window[2] > 0.75 * without[2] and with_window[3] > 0.75 * without[3]


_NOUNS = [
    "Wege",
    "Brücken",
    "Schulen",
    "Bäder",
    "Hallen",
    "Parks",
    "Kitas",
    "Ampeln",
    "Radwege",
    "Plätze",
    "Gärten",
    "Dächer",
]
_VERBS = ["baut", "saniert", "plant", "prüft", "verkauft", "erneuert"]


def _town_article(n: int) -> list[str]:
    # Varied enough that few pairs pass the redundancy threshold.
    return [
        f"{_NOUNS[i % 12]} {_VERBS[i % 6]} die Gemeinde {_NOUNS[(i * 5 + 3) % 12]} Nummer {i}."
        for i in range(n)
    ]


def test_mmr_with_a_sentence_limit_compares_only_a_shortlist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # O(k^2) for a k-sentence shortlist, not O(n^2) over the article; same picks as the full run.
    sentences = _town_article(300)
    scores = [((i * 37) % 101) / 100 for i in range(300)]
    sizes: list[int] = []
    real = extractive._cosine_matrix

    def record(unit: object) -> object:
        sizes.append(len(unit))  # type: ignore[arg-type]
        return real(unit)  # type: ignore[arg-type]

    monkeypatch.setattr(extractive, "_cosine_matrix", record)
    short = extractive.select_sentences(sentences, scores, max_sentences=3)
    assert len(short) == 3 and max(sizes) <= extractive._SHORTLIST
    monkeypatch.setattr(extractive, "_SHORTLIST", 1000)
    assert extractive.select_sentences(sentences, scores, max_sentences=3) == short
    assert max(sizes) == 300


def test_mmr_shortlist_of_near_duplicates_falls_back_to_all_candidates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repeated = "Der Gemeinderat beschließt den neuen Haushalt für das kommende Jahr."
    others = [
        "Die Feuerwehr bekommt zwei neue Löschfahrzeuge im Frühjahr.",
        "Im Freibad beginnt die Saison wegen Bauarbeiten erst im Juli.",
        "Der Bürgermeister tritt bei der Wahl im Herbst nicht mehr an.",
    ]
    sentences = [repeated] * 20 + others
    scores = [1.0] * 20 + [0.1] * 3
    monkeypatch.setattr(extractive, "_SHORTLIST", 4)
    chosen = extractive.select_sentences(sentences, scores, max_sentences=3)
    # One copy of the repeated sentence, then the best distinct ones beyond the shortlist.
    assert len(chosen) == 3 and sum(i < 20 for i in chosen) == 1


def test_one_untitled_paragraph_is_scored_by_position_alone() -> None:
    # A corpus article stored as one line without its headline: the order is all there is.
    sentences = [
        "Die Stadt Tannried baut eine neue Brücke über den Fluss.",
        "Ein Hund bellte am Ufer.",
        "Die Brücke über den Fluss kostet die Stadt Tannried zwölf Millionen Euro.",
        "Die Brücke soll den Verkehr über den Fluss in Tannried entlasten.",
        "Der Bau der Brücke beginnt im Frühjahr.",
    ]
    one = news_scores(
        [extractive._terms(s) for s in sentences], sentences, paragraph_starts=[True] + [False] * 4
    )
    assert one == sorted(one, reverse=True) and len(set(one)) == len(one)
    # With paragraphs (or no layout given) the content counts: the dog falls behind.
    two = news_scores(
        [extractive._terms(s) for s in sentences],
        sentences,
        paragraph_starts=[True, False, True, False, False],
    )
    assert two[1] < two[2]
    assert summarize(sentences, max_sentences=2, paragraph_starts=[True] + [False] * 4) == [0, 1]
    # A title is a signal of its own: with one, the paragraph is weighed like any text.
    titled = news_scores(
        [extractive._terms(s) for s in sentences],
        sentences,
        title_terms=extractive._terms("Tannried baut eine Brücke"),
        paragraph_starts=[True] + [False] * 4,
    )
    assert titled[1] < titled[2]
