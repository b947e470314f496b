"""Weight-free German extractive summarizer.

Sentences are scored by the news scorer (:mod:`digest.summarize.news`: lead and paragraph
priors, centrality, title/teaser overlap, length and standalone quality; the default), or by
centrality alone (TextRank over a TF-IDF cosine graph, or cosine to the article centroid)
plus a lead prior and title/teaser overlap; a summary is then picked with Maximal
Marginal Relevance so that near-duplicate sentences never appear twice.

Everything here is pure Python plus numpy and fully deterministic: equal scores are broken by
article position.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from digest.summarize.news import NewsWeights, news_scores

__all__ = [
    "GERMAN_STOPWORDS",
    "ExtractiveSettings",
    "german_tokens",
    "score_sentences",
    "select_sentences",
    "similarity",
    "stem",
    "summarize",
    "word_count",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_DAMPING = 0.85
_MAX_ITER = 200
_TOL = 1e-10
# Scores are rounded so that float noise (summation order) cannot break exact ties; ties are
# then resolved by article position.
_ROUND = 10
# A component whose spread is below this carries no information (e.g. all sentences equal).
_FLAT = 1e-9
# Candidates MMR considers when the summary has a sentence limit (at least 3 per sentence).
_SHORTLIST = 12


@dataclass(frozen=True)
class ExtractiveSettings:
    # "news" scores with digest.summarize.news (weights in ``news``); "textrank" and "tfidf"
    # use the centrality, position and title weights below.
    method: Literal["news", "textrank", "tfidf"] = "news"
    position_weight: float = 0.25  # news lead prior
    title_weight: float = 0.2  # overlap with title/teaser
    mmr_lambda: float = 0.7  # relevance vs redundancy
    redundancy_threshold: float = 0.6  # cosine above which a candidate is dropped as duplicate
    min_words: int = 3  # skip fragments; "Verletzt wurde niemand." is a whole sentence
    # Sentence index at which the lead prior has fallen to one half (about one lead paragraph).
    position_half_life: float = 4.0
    # Share of the score taken from direct quotes: in news they colour a story rather than
    # summarise it.
    quote_penalty: float = 0.5
    news: NewsWeights = field(default_factory=NewsWeights)

    def __post_init__(self) -> None:
        if self.method not in ("news", "textrank", "tfidf"):
            raise ValueError(f"unknown method {self.method!r}")
        if self.position_weight < 0 or self.title_weight < 0:
            raise ValueError("weights must be non-negative")
        if self.position_weight + self.title_weight > 1.0 + 1e-9:
            raise ValueError("position_weight + title_weight must not exceed 1")
        if not 0.0 <= self.mmr_lambda <= 1.0:
            raise ValueError("mmr_lambda must be in [0, 1]")
        if not 0.0 <= self.redundancy_threshold <= 1.0:
            raise ValueError("redundancy_threshold must be in [0, 1]")
        if self.min_words < 0:
            raise ValueError("min_words must be >= 0")
        if not 0.0 <= self.quote_penalty <= 1.0:
            raise ValueError("quote_penalty must be in [0, 1]")
        if self.position_half_life <= 0:
            raise ValueError("position_half_life must be > 0")


_DEFAULT_SETTINGS = ExtractiveSettings()

# --------------------------------------------------------------------------- tokens

# Digit groups like "3,5" or "1.200" stay one token; letters include umlauts and ß via \w.
# Hyphenated compounds are split so that "Corona-Pandemie" also matches "Pandemie".
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")


def german_tokens(text: str) -> list[str]:
    """Lowercased word and number tokens; umlauts and ß are kept as written."""
    # lower(), not casefold(): casefold would turn ß into "ss".
    return _TOKEN_RE.findall(text.lower())


def word_count(text: str) -> int:
    """Whitespace-separated words, the count ``max_words`` budgets are measured in."""
    # Plain split() on purpose: it matches Article.word_count and never undercounts.
    return len(text.split())


_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# Longest first, so "ern" wins over "er" and "es" over "s". "-em" is left out on purpose:
# it would cut nouns such as Problem or System.
_SUFFIXES = ("ern", "en", "er", "es", "e", "n", "s")
_MIN_STEM = 3
_DIGIT_RE = re.compile(r"\d")
# A final "s" after these letters is usually part of the stem (Haus, Preis, Fluss, Reflex).
_S_KEEPERS = frozenset("siuxz")
# Feminine singular "-in" after these endings (not Berlin, Termin, Benzin).
_FEMININE = ("erin", "istin", "entin", "antin")


def _strip_once(word: str) -> str | None:
    for suffix in _SUFFIXES:
        if not word.endswith(suffix):
            continue
        rest = word[: -len(suffix)]
        if len(rest) < _MIN_STEM:
            continue
        # A bare "n" is only an inflection after -el (Regeln); elsewhere it belongs to the
        # stem (Berlin, Million).
        if suffix == "n" and not rest.endswith("l"):
            continue
        # Plural/genitive "s" (Autos, Bürgers), but never from a short or s-final stem.
        if suffix == "s" and (len(rest) < 4 or rest[-1] in _S_KEEPERS):
            continue
        return rest
    return None


# Cached because news vocabularies are small and stemming dominates the runtime otherwise.
@lru_cache(maxsize=1 << 16)
def stem(token: str) -> str:
    """Light German stemmer for matching, not for display.

    Umlauts are folded (Städte/Stadt), the feminine "-innen" and "-erin"/"-istin"/
    "-entin"/"-antin" endings lose their "-in(nen)" (Bürgerinnen, Ministerin/Minister),
    "-nisse" becomes "-nis", and then at most two inflection suffixes are stripped
    (Bürgers -> burger -> burg, Konzerne -> konzern -> konz).
    Stems keep at least three letters; tokens with digits are left alone.
    """
    word = token.lower().translate(_UMLAUTS)
    if len(word) <= _MIN_STEM or _DIGIT_RE.search(word):
        return word
    if word.endswith("innen") and len(word) - 5 >= 4:
        word = word[:-5]
    elif word.endswith(_FEMININE) and len(word) - 2 >= 5:
        word = word[:-2]  # the singular too: Ministerin, Polizistin, Präsidentin
    for ending in ("nissen", "nisses", "nisse"):
        if word.endswith(ending):
            return word[: -len(ending)] + "nis"
    # Two rounds cover stacked endings (a case ending on top of a plural or -er noun).
    for _ in range(2):
        stripped = _strip_once(word)
        if stripped is None:
            break
        word = stripped
    return word


# Function words, auxiliaries, pronouns and frequent news fillers. Lowercase, as written.
_STOPWORD_TEXT = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anders auch auf aus bei beide beiden beim bereits bin bis bisher bist bitte da
    dabei dadurch dafür dagegen daher damit danach dann daran darauf daraus darf darin
    darüber darum darunter das dass dasselbe davon davor dazu dein deine deinem deinen
    deiner dem demnach den denen denn dennoch der deren derer des deshalb dessen dich die
    dies diese diesem diesen dieser dieses dir doch dort du durch eben ebenfalls ebenso
    ein eine einem einen einer eines einig einige einigem einigen einiger einiges einmal
    er es etwa etwas euch euer eure eurem euren eurer für gab gar gegen gegenüber gehabt
    geht gemacht gewesen gibt habe haben hab hast hat hatte hatten hätte hätten her heute
    hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer in indem
    ins ist ja je jede jedem jeden jeder jedes jedoch jene jenem jenen jener jenes jetzt
    kann kannst kaum kein keine keinem keinen keiner keines können könnte könnten konnte
    konnten man manche manchem manchen mancher manches mehr mein meine meinem meinen
    meiner meines mich mir mit muss musste müssen müsste nach nachdem nein nicht nichts noch
    nun nur ob oder ohne schon sehr sein seine seinem seinen seiner seines seit seitdem
    selbst sich sie sind so sogar solche solchem solchen solcher solches soll sollen
    sollte sollten sondern sowie sowohl über um und uns unser unsere unserem unseren
    unserer unter viel viele vielen vielleicht vom von vor wann war wäre wären waren warst
    warum was weil weiter weitere weiteren welche welchem welchen welcher welches wenn wer
    werde werden wessen wie wieder will wir wird wirst wo wobei wohl wollen wollte wollten
    worden wurde wurden würde würden zu zum zur zwar zwischen
    ab allerdings beziehungsweise bzw ca dank derzeit diesmal eher einst
    etc erst erstmals ganz gleich hierzu inzwischen laut mal mehrere meist mittlerweile
    nämlich neben oft per rund sei seien sowieso statt trotz usw vergangenen wegen weiterhin
    ziemlich zudem zufolge zugleich zusammen zuvor ach na naja oh
    sagte sagt sagten erklärte heißt hieß teilte
"""
GERMAN_STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

# --------------------------------------------------------------------------- vectors


def _terms(text: str) -> list[str]:
    return [
        stem(tok) for tok in german_tokens(text) if tok not in GERMAN_STOPWORDS and len(tok) > 1
    ]


def similarity(a: str, b: str) -> float:
    """Cosine of stemmed, stop-word-free term counts; 0.0 when either side has no content."""
    ca, cb = Counter(_terms(a)), Counter(_terms(b))
    if not ca or not cb:
        return 0.0
    dot = sum(count * cb[term] for term, count in ca.items() if term in cb)
    na = math.sqrt(sum(c * c for c in ca.values()))
    nb = math.sqrt(sum(c * c for c in cb.values()))
    return min(1.0, dot / (na * nb))


def _count_matrix(term_lists: Sequence[Sequence[str]]) -> tuple[FloatArray, dict[str, int]]:
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, terms in enumerate(term_lists):
        for term in terms:
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
    counts = np.zeros((len(term_lists), max(len(vocab), 1)), dtype=np.float64)
    if rows:
        np.add.at(counts, (np.asarray(rows), np.asarray(cols)), 1.0)
    return counts, vocab


def _l2_rows(matrix: FloatArray) -> FloatArray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit: FloatArray = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return unit


def _cosine_matrix(unit_rows: FloatArray) -> FloatArray:
    # Terms found in a single sentence add nothing off the diagonal; most terms of an
    # article are such hapaxes, so dropping them shrinks the product a lot.
    shared = unit_rows[:, (unit_rows > 0).sum(axis=0) >= 2]
    sim = np.clip(shared @ shared.T, 0.0, 1.0)
    np.fill_diagonal(sim, 0.0)
    return sim


# Up to this many sentences the dense n x n similarity matrix is built, as always. Above it,
# PageRank and MMR work on the sparse sentence-term matrix instead (W = U U^T is applied as
# two sparse products, never stored): the same quantities, memory and time linear in the
# text. Articles of normal size keep exactly the results of the dense path.
DENSE_LIMIT = 1500


@dataclass(frozen=True)
class _SparseRows:
    """A sentence x term matrix as (row, column, value) triples."""

    rows: IntArray
    cols: IntArray
    vals: FloatArray
    n: int
    width: int

    def dot(self, x: FloatArray) -> FloatArray:
        """M @ x for a vector over terms."""
        return np.asarray(
            np.bincount(self.rows, self.vals * x[self.cols], minlength=self.n), dtype=np.float64
        )

    def tdot(self, y: FloatArray) -> FloatArray:
        """M.T @ y for a vector over sentences."""
        return np.asarray(
            np.bincount(self.cols, self.vals * y[self.rows], minlength=self.width),
            dtype=np.float64,
        )

    def with_values(self, vals: FloatArray) -> _SparseRows:
        return _SparseRows(self.rows, self.cols, vals, self.n, self.width)

    def columns(self, keep: npt.NDArray[np.bool_]) -> _SparseRows:
        """Only the entries in columns where ``keep`` is true."""
        mask = keep[self.cols]
        return _SparseRows(self.rows[mask], self.cols[mask], self.vals[mask], self.n, self.width)

    def l2_rows(self) -> _SparseRows:
        norms = np.sqrt(np.bincount(self.rows, self.vals * self.vals, minlength=self.n))
        return self.with_values(self.vals / norms[self.rows])

    def row(self, i: int) -> FloatArray:
        dense = np.zeros(self.width)
        mask = self.rows == i
        dense[self.cols[mask]] = self.vals[mask]
        return dense


def _sparse_counts(term_lists: Sequence[Sequence[str]]) -> tuple[_SparseRows, dict[str, int]]:
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, terms in enumerate(term_lists):
        for term, count in Counter(terms).items():
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(float(count))
    matrix = _SparseRows(
        np.asarray(rows, dtype=np.intp),
        np.asarray(cols, dtype=np.intp),
        np.asarray(vals, dtype=np.float64),
        len(term_lists),
        max(len(vocab), 1),
    )
    return matrix, vocab


def _shared_terms(unit: _SparseRows) -> _SparseRows:
    """Terms of two or more sentences only, as in :func:`_cosine_matrix`."""
    df = np.bincount(unit.cols, minlength=unit.width)
    return unit.columns(df >= 2)


def _similarity_row(shared: _SparseRows, i: int) -> FloatArray:
    """Row ``i`` of :func:`_cosine_matrix` (clipped, zero diagonal) without the matrix."""
    row = np.clip(shared.dot(shared.row(i)), 0.0, 1.0)
    row[i] = 0.0
    return row


def _pagerank_sparse(shared: _SparseRows) -> FloatArray:
    """:func:`_pagerank` of W = U U^T minus its diagonal, applying W as U (U^T x)."""
    n = shared.n
    diag = np.bincount(shared.rows, shared.vals * shared.vals, minlength=n)

    def apply_w(x: FloatArray) -> FloatArray:
        return shared.dot(shared.tdot(x)) - diag * x

    out_sum = apply_w(np.ones(n))
    dangling = out_sum <= 1e-12  # no shared term: exactly zero up to float noise
    inv_out = np.divide(1.0, out_sum, out=np.zeros(n), where=~dangling)
    rank = np.full(n, 1.0 / n)
    for _ in range(_MAX_ITER):
        leak = float(rank[dangling].sum()) / n
        new = (1.0 - _DAMPING) / n + _DAMPING * (apply_w(rank * inv_out) + leak)
        delta = float(np.abs(new - rank).sum())
        rank = new
        if delta < _TOL:
            break
    return rank


def _minmax(values: FloatArray) -> FloatArray:
    if values.size == 0:
        return values
    lo, hi = float(values.min()), float(values.max())
    if hi - lo <= _FLAT * max(1.0, abs(hi)):
        return np.zeros_like(values)
    return (values - lo) / (hi - lo)


def _scale_max(values: FloatArray) -> FloatArray:
    hi = float(values.max()) if values.size else 0.0
    if hi <= _FLAT:
        return np.zeros_like(values)
    return values / hi


def _pagerank(weights: FloatArray) -> FloatArray:
    """Weighted PageRank by power iteration; isolated sentences teleport uniformly."""
    n = weights.shape[0]
    out_sum = weights.sum(axis=1)
    dangling = out_sum <= 0
    transition = np.divide(
        weights, out_sum[:, None], out=np.zeros_like(weights), where=~dangling[:, None]
    )
    rank = np.full(n, 1.0 / n)
    for _ in range(_MAX_ITER):
        # Mass of dangling nodes is spread evenly, so the chain stays stochastic.
        leak = float(rank[dangling].sum()) / n
        new = (1.0 - _DAMPING) / n + _DAMPING * (transition.T @ rank + leak)
        delta = float(np.abs(new - rank).sum())
        rank = new
        if delta < _TOL:
            break
    return rank


_OPENING_QUOTES = frozenset("\"„“”»«‚‘'")


def _is_direct_quote(sentence: str) -> bool:
    return sentence.lstrip()[:1] in _OPENING_QUOTES


def _position_prior(n: int, half_life: float) -> FloatArray:
    # Hyperbolic decay: the lead matters most, but late sentences are never worthless.
    return 1.0 / (1.0 + np.arange(n, dtype=np.float64) / half_life)


# --------------------------------------------------------------------------- scoring


def score_sentences(
    sentences: Sequence[str],
    *,
    title: str = "",
    teaser: str = "",
    settings: ExtractiveSettings = _DEFAULT_SETTINGS,
    paragraph_starts: Sequence[bool] | None = None,
) -> list[float]:
    """One score per sentence in [0, 1]; higher means more summary-worthy.

    Sentences without any content word score 0. ``paragraph_starts`` (which sentences open a
    paragraph) informs the news method only.
    """
    n = len(sentences)
    if n == 0:
        return []
    term_lists = [_terms(s) for s in sentences]
    if settings.method == "news":
        if paragraph_starts is not None and len(paragraph_starts) != n:
            raise ValueError("paragraph_starts needs one entry per sentence")
        return news_scores(
            term_lists,
            sentences,
            title_terms=_terms(f"{title}\n{teaser}"),
            paragraph_starts=paragraph_starts,
            weights=settings.news,
        )
    if n > DENSE_LIMIT:
        has_content, idf, vocab, project, centrality = _sparse_scores(term_lists, settings)
    else:
        counts, vocab = _count_matrix(term_lists)
        has_content = counts.sum(axis=1) > 0

        # Sublinear tf with smoothed in-article idf: repeated words count, but not linearly.
        tf = np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0)
        df = (counts > 0).sum(axis=0)
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        unit = _l2_rows(tf * idf)
        project = unit.__matmul__

        if settings.method == "textrank":
            centrality = _pagerank(_cosine_matrix(unit))
        else:
            centroid = unit[has_content].sum(axis=0) if has_content.any() else unit.sum(axis=0)
            norm = float(np.linalg.norm(centroid))
            centrality = unit @ (centroid / norm) if norm > 0 else np.zeros(n)
    centrality = np.round(centrality, 12)  # float noise must not survive min-max scaling
    if has_content.any():
        # Content-free lines must not stretch the min-max range; they end at 0 anyway.
        centrality = np.where(has_content, centrality, centrality[has_content].min())
    centrality = _minmax(centrality)

    position = _position_prior(n, settings.position_half_life)

    query_terms = _terms(f"{title}\n{teaser}")
    query = np.zeros(max(len(vocab), 1))
    for term, count in Counter(query_terms).items():
        col = vocab.get(term)
        if col is not None:
            query[col] = (1.0 + math.log(count)) * idf[col]
    qnorm = float(np.linalg.norm(query))
    if qnorm > 0:
        title_overlap = _scale_max(np.round(project(query / qnorm), 12))
        w_title = settings.title_weight
    else:
        # No usable title/teaser: its weight goes to centrality rather than vanishing.
        title_overlap = np.zeros(n)
        w_title = 0.0
    w_pos = settings.position_weight
    w_cent = 1.0 - settings.position_weight - w_title

    combined = w_cent * centrality + w_pos * position + w_title * title_overlap
    quoted = np.array([_is_direct_quote(s) for s in sentences])
    combined = np.where(quoted, combined * (1.0 - settings.quote_penalty), combined)
    combined = np.where(has_content, combined, 0.0)
    return [round(float(v), _ROUND) for v in np.clip(combined, 0.0, 1.0)]


def _sparse_scores(
    term_lists: Sequence[Sequence[str]], settings: ExtractiveSettings
) -> tuple[npt.NDArray[np.bool_], FloatArray, dict[str, int], Any, FloatArray]:
    """The dense path's has_content, idf, vocab, projection and centrality, in linear space."""
    counts, vocab = _sparse_counts(term_lists)
    n = counts.n
    has_content = np.bincount(counts.rows, minlength=n) > 0
    df = np.bincount(counts.cols, minlength=counts.width)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    unit = counts.with_values((1.0 + np.log(counts.vals)) * idf[counts.cols]).l2_rows()
    if settings.method == "textrank":
        centrality = _pagerank_sparse(_shared_terms(unit))
    else:
        centroid = unit.tdot(np.ones(n))  # rows without content have no entries anyway
        norm = float(np.linalg.norm(centroid))
        centrality = unit.dot(centroid / norm) if norm > 0 else np.zeros(n)
    return has_content, idf, vocab, unit.dot, centrality


# --------------------------------------------------------------------------- selection


def select_sentences(
    sentences: Sequence[str],
    scores: Sequence[float],
    *,
    max_sentences: int | None = None,
    max_words: int | None = None,
    settings: ExtractiveSettings = _DEFAULT_SETTINGS,
    exclude: Collection[int] = (),
) -> list[int]:
    """Pick sentences by Maximal Marginal Relevance; indices come back in article order.

    Stops at ``max_sentences`` and/or ``max_words`` (the first pick is kept even when it alone
    exceeds ``max_words``, so a non-empty candidate set always yields a sentence). With neither
    limit every non-redundant candidate is returned. Fragments below ``settings.min_words``
    are skipped unless no sentence reaches that length. No two picks have ``similarity`` above
    ``settings.redundancy_threshold``.
    """
    if len(scores) != len(sentences):
        raise ValueError("scores and sentences differ in length")
    if max_sentences is not None and max_sentences < 1:
        raise ValueError("max_sentences must be >= 1")
    if max_words is not None and max_words < 1:
        raise ValueError("max_words must be >= 1")
    n = len(sentences)
    if n == 0:
        return []

    excluded = set(exclude)
    words = [word_count(s) for s in sentences]
    term_lists = [_terms(s) for s in sentences]
    allowed = [i for i in range(n) if i not in excluded and term_lists[i]]
    candidates = [i for i in allowed if words[i] >= settings.min_words]
    if not candidates:
        # A very short article should still get a summary rather than nothing.
        candidates = allowed
    if not candidates:
        return []

    rel = np.asarray(scores, dtype=np.float64)
    top = float(rel[candidates].max())
    if top > 0:
        rel = rel / top
    if max_sentences is not None and max_words is None:
        # Only the best-scored few can win: MMR over a shortlist keeps the similarity matrix
        # k x k (k small) instead of n x n. Ties keep the earlier sentence.
        k = max(_SHORTLIST, 3 * max_sentences)
        if len(candidates) > k:
            ranked = sorted(candidates, key=lambda i: (-round(float(rel[i]), _ROUND), i))
            chosen = _mmr(sorted(ranked[:k]), rel, term_lists, words, max_sentences, None, settings)
            if len(chosen) == max_sentences:
                return chosen
            # The shortlist was mostly near-duplicates (rare): fall back to all candidates.
    return _mmr(candidates, rel, term_lists, words, max_sentences, max_words, settings)


def _mmr(
    candidates: list[int],
    rel: FloatArray,
    term_lists: Sequence[list[str]],
    words: Sequence[int],
    max_sentences: int | None,
    max_words: int | None,
    settings: ExtractiveSettings,
) -> list[int]:
    """The MMR loop of ``select_sentences`` over ``candidates`` (ascending indices)."""
    # Plain count cosine, the same measure as similarity(), so the redundancy guarantee
    # holds for callers that re-check with similarity(). Rows are indexed by candidate slot.
    sub = [term_lists[i] for i in candidates]
    if len(sub) > DENSE_LIMIT:
        # Only the rows of picked sentences are ever read: compute those, not the matrix.
        shared = _shared_terms(_sparse_counts(sub)[0].l2_rows())

        def sim_row(r: int) -> FloatArray:
            return np.round(_similarity_row(shared, r), 12)
    else:
        counts, _ = _count_matrix(sub)
        sim = np.round(_cosine_matrix(_l2_rows(counts)), 12)

        def sim_row(r: int) -> FloatArray:
            row: FloatArray = sim[r]
            return row

    slot = {i: r for r, i in enumerate(candidates)}
    lam = settings.mmr_lambda

    # The margin absorbs float noise so that similarity() never sees a pair above threshold.
    limit = settings.redundancy_threshold - min(1e-9, settings.redundancy_threshold)
    remaining = list(candidates)  # ascending index order: first max wins ties by position
    chosen: list[int] = []
    max_sim = np.zeros(len(rel))
    cols = np.asarray(candidates)
    used_words = 0
    while remaining:
        if max_sentences is not None and len(chosen) >= max_sentences:
            break
        remaining = [i for i in remaining if max_sim[i] <= limit]
        pool = remaining
        if max_words is not None:
            pool = [i for i in remaining if used_words + words[i] <= max_words]
            if not pool and not chosen:
                pool = remaining  # nothing fits: one over-long sentence beats an empty summary
            remaining = pool
        if not pool:
            break
        idx = np.asarray(pool)
        mmr = np.round(lam * rel[idx] - (1.0 - lam) * max_sim[idx], _ROUND)
        best = pool[int(np.argmax(mmr))]
        chosen.append(best)
        used_words += words[best]
        remaining.remove(best)
        max_sim[cols] = np.maximum(max_sim[cols], sim_row(slot[best]))
        if max_words is not None and used_words >= max_words:
            break
    return sorted(chosen)


def summarize(
    sentences: Sequence[str],
    *,
    title: str = "",
    teaser: str = "",
    max_sentences: int | None = 3,
    max_words: int | None = None,
    settings: ExtractiveSettings = _DEFAULT_SETTINGS,
    exclude: Collection[int] = (),
    paragraph_starts: Sequence[bool] | None = None,
) -> list[int]:
    """Indices (article order) of the sentences forming an extractive summary."""
    scores = score_sentences(
        sentences,
        title=title,
        teaser=teaser,
        settings=settings,
        paragraph_starts=paragraph_starts,
    )
    return select_sentences(
        sentences,
        scores,
        max_sentences=max_sentences,
        max_words=max_words,
        settings=settings,
        exclude=exclude,
    )
