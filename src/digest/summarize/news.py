"""News-aware sentence scores for the extractive summarizer: sentences in, one score each out.

What news summarizers know, in linear time over the sentences (sparse term vectors, no
sentence-by-sentence matrix): the lead carries the story and every paragraph opens with its
point (position priors), sentences that share the title's words and the article's main
vocabulary are central (title and teaser overlap, cosine to the article centroid), teasers
are short (a length prior), and a summary sentence must stand on its own (no back-reference
at its start, no question, no quote without a speaker, neither a fragment nor a run-on).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["NewsWeights", "dangling", "news_scores", "quality"]

Vector = dict[str, float]


@dataclass(frozen=True)
class NewsWeights:
    """Weights of the score parts; chosen by scripts/tune_news.py on eval/news/{tune,heldout}."""

    first: float = 1.0  # the article's first sentence (the news lead proper)
    position: float = 0.2  # article lead prior
    paragraph_start: float = 0.1  # a paragraph's first sentence states its point
    centrality: float = 0.2  # cosine to the article centroid
    title: float = 0.3  # overlap with the title and teaser
    half_life: float = 1.0  # sentence index at which the lead prior halves
    # Multipliers for sentences a reader cannot take on their own.
    dangling_factor: float = 0.5
    quote_factor: float = 0.6
    unattributed_quote_factor: float = 0.2
    short_factor: float = 0.4
    long_factor: float = 0.75
    min_words: int = 7
    max_words: int = 35
    # Teasers are short: past this length a sentence's score falls as (target / words) ** alpha.
    target_words: int = 8
    length_alpha: float = 0.5

    def __post_init__(self) -> None:
        parts = (self.first, self.position, self.paragraph_start, self.centrality, self.title)
        if min((*parts, self.length_alpha)) < 0:
            raise ValueError("news weights must be non-negative")
        if self.half_life <= 0 or self.target_words < 1:
            raise ValueError("half_life and target_words must be positive")


# Openers that point back to something said before ("Zuvor ...", "Er sagte ...", "Dabei ...").
_DANGLING_TEXT = """
    er sie es ihm ihr ihn ihnen dies dabei dazu daher deshalb deswegen darum damit dafür dagegen
    danach davor dort zuvor außerdem zudem ebenfalls auch trotzdem dennoch allerdings jedoch
    aber und oder doch denn sondern hier somit also demnach stattdessen seitdem daraufhin darauf
    daran darin darüber dadurch ebenso gleichzeitig anschließend später erst immerhin solche
    solcher solches solchen solchem jene jener jenes jenen jenem letztere letzterer beide beides
"""
_DANGLING_WORDS = frozenset(_DANGLING_TEXT.split())
# Articles/determiners that are pronouns only when no noun follows: "Das zeigt ..." points
# back, "Das Gerät arbeitet ..." does not.
_PRONOUN_IF_NO_NOUN = frozenset(["das", "diese", "dieser", "dieses", "diesem", "diesen"])
_FIRST_WORD = re.compile(r"[„“”\"»«‚‘'(]*([^\W\d_]+)\W*(\w?)")
_OPENING_QUOTES = '„“”"»«‚‘'
# "…“, sagte Weber." / "…“, so die Sprecherin." / "…“ erklärte er." - a speaker after the quote.
_SPEECH_VERBS = (
    "so|sagte|sagt|erklärte|betonte|meinte|fügte|ergänzte|schrieb|warnte|kritisierte|hieß"
)
_SPEAKER_AFTER = re.compile(rf"[“”\"«»‘]\s*,?\s*(?:{_SPEECH_VERBS})\b", re.IGNORECASE)


def dangling(sentence: str) -> bool:
    """True when the sentence opens with a word that needs earlier text ("Zuvor", "Er", ...)."""
    match = _FIRST_WORD.match(sentence.strip())
    if match is None:
        return False
    first, next_letter = match.group(1).lower(), match.group(2)
    if first in _PRONOUN_IF_NO_NOUN:
        return not next_letter.isupper()
    return first in _DANGLING_WORDS


def _quote(sentence: str) -> tuple[bool, bool]:
    """(is a direct quote, has a speaker) for a sentence that opens with a quotation mark."""
    text = sentence.strip()
    if not text or text[0] not in _OPENING_QUOTES:
        return False, False
    return True, bool(_SPEAKER_AFTER.search(text))


def quality(sentence: str, w: NewsWeights = NewsWeights()) -> float:
    """Multiplier in (0, 1]: 1 for a sentence that stands on its own as a summary line."""
    text = sentence.strip()
    if not text or text.endswith("?"):
        return 0.0
    factor = 1.0
    if dangling(text):
        factor *= w.dangling_factor
    is_quote, has_speaker = _quote(text)
    if is_quote:
        factor *= w.quote_factor if has_speaker else w.unattributed_quote_factor
    words = len(text.split())
    if words < w.min_words:
        factor *= w.short_factor
    elif words > w.max_words:
        factor *= w.long_factor
    return factor


def _unit(counts: Counter[str], idf: dict[str, float]) -> Vector:
    vec = {t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items() if t in idf}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm > 0 else {}


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _central_title(
    term_lists: Sequence[Sequence[str]], title_terms: Sequence[str]
) -> tuple[list[float], list[float], list[bool]]:
    """Per sentence: centrality scaled to [0, 1], cosine to the title, and "has no terms"."""
    n = len(term_lists)
    counts = [Counter(t) for t in term_lists]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    idf = {t: math.log((1.0 + n) / (1.0 + d)) + 1.0 for t, d in df.items()}
    units = [_unit(c, idf) for c in counts]

    centroid: Vector = {}
    for u in units:
        for t, v in u.items():
            centroid[t] = centroid.get(t, 0.0) + v
    c_sq = sum(v * v for v in centroid.values())
    title_vec = _unit(Counter(title_terms), {t: idf.get(t, 1.0) for t in title_terms})

    central: list[float] = []
    for u in units:
        if not u:
            central.append(0.0)
            continue
        # Cosine to the centroid of the other sentences: a sentence must not vote for itself.
        dot = _dot(u, centroid) - 1.0
        rest = math.sqrt(max(c_sq - 2.0 * (dot + 1.0) + 1.0, 0.0))
        # Rounded and clipped: float noise on a disjoint sentence must not become a score.
        central.append(max(0.0, round(dot / rest, 9)) if rest > 0 else 0.0)
    top = max(central)
    if top <= 0.0:
        top = 1.0  # no sentence shares a term with the others: centrality says nothing
    title_sim = [_dot(u, title_vec) if title_vec else 0.0 for u in units]
    return [c / top for c in central], title_sim, [not u for u in units]


# A text of more sentences than this in one paragraph is scored by position alone.
_LEAD_ONLY_MIN = 3


def news_scores(
    term_lists: Sequence[Sequence[str]],
    sentences: Sequence[str],
    *,
    title_terms: Sequence[str] = (),
    paragraph_starts: Sequence[bool] | None = None,
    weights: NewsWeights = NewsWeights(),
) -> list[float]:
    """One score per sentence from its (stemmed, stop-word-free) terms and its text.

    ``paragraph_starts`` marks sentences that open a paragraph; without it only the first
    sentence counts as one. Given, and marking a single paragraph of more than three
    sentences, with no title terms, the scores follow the order alone (the lead first).
    Runs in O(total terms).
    """
    n = len(term_lists)
    if n == 0:
        return []
    central, title_sim, empty = _central_title(term_lists, title_terms)
    starts = list(paragraph_starts) if paragraph_starts is not None else [i == 0 for i in range(n)]
    if paragraph_starts is not None and n > _LEAD_ONLY_MIN and sum(starts) <= 1 and not title_terms:
        # One paragraph and no title (a corpus article stored as one line without its
        # headline): nothing but the order tells the lead from the rest, and on such text the
        # lead beat every mix of the priors below (docs/quality.md, "No title and no paragraphs").
        # Scores halve per sentence.
        return [0.0 if empty[i] else round(0.5 ** min(i, 60), 10) for i in range(n)]

    w = weights
    # Dividing by the weight total keeps every score in [0, 1].
    total = w.first + w.position + w.paragraph_start + w.centrality + w.title or 1.0
    # Priors count only for a sentence on the topic: a scene-setting opener that shares no
    # word with the title or the rest of the article is not the news, and hands the lead
    # bonus to the first sentence that is (within the first three).
    topical = [min(1.0, central[i] + title_sim[i]) for i in range(n)]
    lead = next((i for i in range(min(n, 3)) if topical[i] > 0), 0)
    out = []
    for i in range(n):
        if empty[i]:
            out.append(0.0)
            continue
        words = max(1, len(sentences[i].split()))
        fit = min(1.0, w.target_words / words) ** w.length_alpha
        on_topic = topical[i] > 0
        score = (
            w.first * (i == lead) * topical[i]
            + w.position * on_topic / (1.0 + i / w.half_life)
            + w.paragraph_start * starts[i] * on_topic
            + w.centrality * central[i]
            + w.title * title_sim[i]
        )
        out.append(round(score / total * fit * quality(sentences[i], w), 10))
    return out
