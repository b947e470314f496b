#!/usr/bin/env python3
"""ROUGE evaluation of the built-in extractive summarizer against a lead-3 baseline.

For every sample article ``samples/<stem>.{txt,md,html}`` that has a German reference summary
``eval/references/<stem>.de.txt`` this prints ROUGE-1, ROUGE-2 and ROUGE-L F1 for
lead-3, extractive TextRank (3 sentences), extractive TF-IDF centroid (3 sentences) and
digest-3 (the built-in summarizer as the pipeline runs it), followed by the mean over all
samples.

Run: ``python scripts/eval_rouge.py [--stem] [--samples DIR]``
"""

from __future__ import annotations

import argparse
import html
import importlib
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]

try:
    import digest  # noqa: F401
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(ROOT / "src"))

from digest.summarize.extractive import ExtractiveSettings, german_tokens, stem, summarize  # noqa: E402

SAMPLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
SYSTEMS = ("lead-3", "textrank-3", "tfidf-3", "digest-3")
METRICS = ("R1", "R2", "RL")
Method = Literal["textrank", "tfidf"]


@dataclass(frozen=True)
class LoadedArticle:
    title: str
    teaser: str
    sentences: list[str]
    loader: str = "local"  # which loader produced it, reported under the table


# --------------------------------------------------------------------------- ROUGE

# Common ROUGE packages (the original Perl script, rouge-score) tokenize with an ASCII-only
# pattern such as [a-z0-9]+, which splits "Straße" into "stra"+"e" and drops umlauts;
# German text needs a tokenizer that keeps ä, ö, ü and ß, hence german_tokens().


def rouge_tokens(text: str, *, use_stem: bool) -> list[str]:
    tokens = german_tokens(text)
    return [stem(t) for t in tokens] if use_stem else tokens


def _f1(overlap: int, n_candidate: int, n_reference: int) -> float:
    if overlap == 0 or n_candidate == 0 or n_reference == 0:
        return 0.0
    precision = overlap / n_candidate
    recall = overlap / n_reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(candidate: Sequence[str], reference: Sequence[str], n: int) -> float:
    """ROUGE-N F1 with clipped n-gram counts."""

    def grams(tokens: Sequence[str]) -> Counter[tuple[str, ...]]:
        return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))

    cand, ref = grams(candidate), grams(reference)
    overlap = sum((cand & ref).values())
    return _f1(overlap, sum(cand.values()), sum(ref.values()))


def _lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    # Two-row dynamic programme: O(len(a) * len(b)) time, O(len(b)) memory.
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0]
        for j, other in enumerate(b, start=1):
            if token == other:
                current.append(previous[j - 1] + 1)
            else:
                current.append(max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge_l(candidate: Sequence[str], reference: Sequence[str]) -> float:
    """ROUGE-L F1 over the whole token sequences (not the per-sentence ROUGE-Lsum variant)."""
    return _f1(_lcs_length(candidate, reference), len(candidate), len(reference))


def rouge_scores(candidate: str, reference: str, *, use_stem: bool) -> dict[str, float]:
    cand = rouge_tokens(candidate, use_stem=use_stem)
    ref = rouge_tokens(reference, use_stem=use_stem)
    return {"R1": rouge_n(cand, ref, 1), "R2": rouge_n(cand, ref, 2), "RL": rouge_l(cand, ref)}


# --------------------------------------------------------------------------- loading


def decode_bytes(raw: bytes) -> str:
    # BOM first: UTF-16 files always carry one here; cp1252 is the legacy fallback.
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"“”»«']?\s+(?=[\"„“»«(]?[A-ZÄÖÜ0-9])")
_ABBREVIATIONS = ("z. B.", "u. a.", "d. h.", "z.B.", "u.a.", "d.h.", "bzw.", "ca.", "Dr.", "Nr.")


def _regex_split(paragraph: str) -> list[str]:
    # Protect a few common abbreviations, then split at end punctuation + capital letter.
    protected = paragraph
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    # "zum 1. Januar", "in der 38. Minute": a period after a one- or two-digit number is
    # an ordinal, not a sentence end.
    protected = re.sub(r"(?<![\d.,])(\d{1,2})\.(?=\s)", "\\1\x01", protected)
    parts = _SENTENCE_END.split(protected)
    out: list[str] = []
    for part in parts:
        for i, abbr in enumerate(_ABBREVIATIONS):
            part = part.replace(f"\x00{i}\x00", abbr)
        part = part.replace("\x01", ".")
        if part.strip():
            out.append(part.strip())
    return out


def _optional(module: str, name: str) -> Any:
    """An attribute of a digest module that may not exist (yet), or None."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _sentence_splitter() -> Callable[[str], list[str]]:
    split_sentences = _optional("digest.text.sentences", "split_sentences")
    if split_sentences is None:
        return _regex_split

    def split(paragraph: str) -> list[str]:
        out: list[str] = []
        for item in split_sentences(paragraph):
            # Spans (start, end) into the paragraph, strings, or objects with .text.
            if isinstance(item, tuple):
                text = paragraph[item[0] : item[1]]
            else:
                text = str(getattr(item, "text", item))
            if text.strip():
                out.append(text.strip())
        return out

    return split


def _html_to_text(source: str) -> tuple[str, str, str]:
    """Very small HTML reader: returns (title, teaser, body text with blank-line paragraphs)."""
    meta = re.search(
        r'<meta[^>]+name="description"[^>]+content="([^"]*)"', source, flags=re.IGNORECASE
    )
    teaser = html.unescape(meta.group(1)).strip() if meta else ""
    # Prefer the <article> element: it leaves out cookie banners, comments and teasers.
    article = re.search(r"<article\b.*?</article>", source, flags=re.IGNORECASE | re.DOTALL)
    body = article.group(0) if article else source
    body = re.sub(r'<p\b[^>]*class="[^"]*\bmeta\b[^"]*"[^>]*>.*?</p>', " ", body, flags=re.I | re.S)
    body = re.sub(
        r"<(script|style|head|nav|footer|aside|header|figure)\b.*?</\1>",
        " ",
        body,
        flags=re.IGNORECASE | re.DOTALL,
    )
    h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", body, flags=re.IGNORECASE | re.DOTALL)
    title = html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).strip() if h1 else ""
    if h1:
        body = body.replace(h1.group(0), " ")
    # Block-level closers become paragraph breaks before all tags are removed.
    body = re.sub(r"</(p|div|li|h[1-6]|blockquote|section|article)>", "\n\n", body, flags=re.I)
    body = re.sub(r"<br\s*/?>", "\n", body, flags=re.IGNORECASE)
    body = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return title, teaser, body


_LIST_OR_QUOTE = re.compile(r"^(?:[-*+•]|\d{1,2}[.)]|>)\s+")


def _strip_markdown(line: str) -> str:
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # [text](url) -> text
    return re.sub(r"(\*{1,2}|_{1,2})(\S.*?\S|\S)\1", r"\2", line)  # *emphasis*


def _paragraphs(text: str) -> list[str]:
    """Blank-line paragraphs; list items and quote lines stand alone, headings are dropped."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for raw in block.split("\n"):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if _LIST_OR_QUOTE.match(line):
                if current:
                    out.append(" ".join(current))
                    current = []
                out.append(_strip_markdown(_LIST_OR_QUOTE.sub("", line)))
            else:
                current.append(_strip_markdown(line))
        if current:
            out.append(" ".join(current))
    return out


def load_local(path: Path) -> LoadedArticle:
    """Fallback loader used when digest.ingest.article is unavailable."""
    text = decode_bytes(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    teaser = ""
    if path.suffix.lower() in (".html", ".htm"):
        title, teaser, text = _html_to_text(text)
    else:
        lines = text.split("\n")
        first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
        title = lines[first].strip().lstrip("#").strip() if first < len(lines) else ""
        text = "\n".join(lines[first + 1 :])
    split = _sentence_splitter()
    sentences: list[str] = []
    for paragraph in _paragraphs(text):
        if not re.search(r"[.!?…:]\W*$", paragraph) and len(paragraph.split()) < 8:
            continue  # dateline, photo credit, heading without punctuation
        sentences.extend(split(paragraph))
    return LoadedArticle(title=title, teaser=teaser, sentences=sentences)


def load(path: Path) -> LoadedArticle:
    load_article = _optional("digest.ingest.article", "load_article")
    if load_article is None:
        return load_local(path)
    try:
        article = load_article(path)
    except Exception as exc:  # evaluation should go on with the fallback loader
        print(
            f"warning: load_article({path.name}) failed ({exc}); using local loader",
            file=sys.stderr,
        )
        return load_local(path)
    teaser = article.teaser.text if article.teaser is not None else ""
    return LoadedArticle(
        title=article.title.text,
        teaser=teaser,
        sentences=[s.text for s in article.sentences],
        loader="digest.ingest.article",
    )


# --------------------------------------------------------------------------- systems


def run_systems(article: LoadedArticle) -> dict[str, str]:
    sents = article.sentences
    outputs = {"lead-3": " ".join(sents[:3])}
    methods: tuple[tuple[str, Method], ...] = (("textrank-3", "textrank"), ("tfidf-3", "tfidf"))
    for name, method in methods:
        settings = ExtractiveSettings(method=method)
        chosen = summarize(
            sents, title=article.title, teaser=article.teaser, max_sentences=3, settings=settings
        )
        outputs[name] = " ".join(sents[i] for i in chosen)
    outputs["digest-3"] = _pipeline_summary(article)
    return outputs


def _pipeline_summary(article: LoadedArticle) -> str:
    """What `digest summarize --summarizer extractive` writes as the summary: the news scorer
    plus the summarizer's own skipping of boilerplate, repeats and list fragments (paragraph
    openings are not known here, so only the first sentence counts as one)."""
    from digest.ingest.document import Sentence
    from digest.summarize.strategies import ExtractiveSummarizer, SummaryRequest

    sents = tuple(Sentence(f"s{i}", 0, len(t), t) for i, t in enumerate(article.sentences))
    request = SummaryRequest("eval", sents, article.title, article.teaser, max_sentences=3)
    [summary] = ExtractiveSummarizer().summarize([request])
    return summary.text


def find_pairs(samples_dir: Path, ref_dir: Path) -> list[tuple[Path, Path]]:
    pairs: list[tuple[Path, Path]] = []
    for path in sorted(samples_dir.iterdir()):
        if not path.is_file() or path.suffix.lower() not in SAMPLE_SUFFIXES:
            continue
        reference = ref_dir / f"{path.stem}.de.txt"
        if reference.is_file():
            pairs.append((path, reference))
    return pairs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--references", type=Path, default=ROOT / "eval" / "references")
    parser.add_argument("--stem", action="store_true", help="stem tokens before matching")
    parser.add_argument("--show", action="store_true", help="print the system summaries")
    args = parser.parse_args(argv)

    pairs = find_pairs(args.samples, args.references)
    if not pairs:
        print(f"no sample with a reference in {args.references}", file=sys.stderr)
        return 1

    loaders: Counter[str] = Counter()
    totals: dict[str, dict[str, float]] = {s: dict.fromkeys(METRICS, 0.0) for s in SYSTEMS}
    header = f"{'sample':<32} {'system':<11} " + " ".join(f"{m:>6}" for m in METRICS)
    print(f"ROUGE F1 ({'stemmed' if args.stem else 'surface'} tokens, umlauts and ß kept)")
    print(header)
    print("-" * len(header))
    for sample, reference_path in pairs:
        article = load(sample)
        loaders[article.loader] += 1
        reference = decode_bytes(reference_path.read_bytes()).strip()
        for system, summary in run_systems(article).items():
            scores = rouge_scores(summary, reference, use_stem=args.stem)
            for metric in METRICS:
                totals[system][metric] += scores[metric]
            cells = " ".join(f"{scores[m]:6.3f}" for m in METRICS)
            print(f"{sample.name[:32]:<32} {system:<11} {cells}")
            if args.show:
                print(f"    {summary}")
    print("-" * len(header))
    for system in SYSTEMS:
        cells = " ".join(f"{totals[system][m] / len(pairs):6.3f}" for m in METRICS)
        print(f"{f'MEAN ({len(pairs)} samples)':<32} {system:<11} {cells}")
    print("loaders: " + ", ".join(f"{name} x{count}" for name, count in sorted(loaders.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
