"""Faithfulness flags through the digest pipeline: invented facts are flagged in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE_FILES, write_models_yaml
from digest.config import load_config
from digest.ingest import load_article
from digest.models import load_models
from digest.options import DigestOptions
from digest.results import DigestResult
from digest.summarize import summarize

ARTICLES = [load_article(p) for p in SAMPLE_FILES]
INVENTED = {"number": "4711", "date": "30", "name": "Zwetschgenbaum"}


def run(tmp_path: Path, *, summarizer: str, summ_mode: str = "summarize",
        trans_mode: str = "translate") -> list[DigestResult]:  # fmt: skip
    path = write_models_yaml(tmp_path / "models.yaml", None, fake_mode=trans_mode)
    text = path.read_text(encoding="utf-8").replace("'fake:summarize'", f"'fake:{summ_mode}'")
    path.write_text(text, encoding="utf-8")
    models = load_models(load_config(path), summarizer=summarizer, translator="default")
    return summarize(ARTICLES, models, DigestOptions(bullets=4))


def test_faithful_digests_carry_no_fact_flags(tmp_path: Path) -> None:
    # Extractive German text and a word-for-word fake translation invent nothing.
    for r in run(tmp_path, summarizer="extractive"):
        facts = [f for f in r.flags if f.kind in ("number", "date", "name")]
        assert facts == [], (r.article.source, facts)


@pytest.mark.parametrize("kind", ["number", "date", "name"])
def test_invented_fact_in_german_summary_is_flagged(tmp_path: Path, kind: str) -> None:
    results = run(tmp_path, summarizer="fake-summarizer", summ_mode=f"invent-{kind}")
    for r in results:
        german = [f for f in r.flags if f.lang == "de" and f.kind == kind]
        assert any(INVENTED[kind] in f.value for f in german), (r.article.source, r.flags)
        assert any(f.where == "summary" for f in german)
        # The translation carries the invented fact over; the English side is flagged too.
        assert any(f.lang == "en" and f.kind == kind for f in r.flags)
        for b in r.bullets:
            assert {f.where for f in b.flags} <= {f"bullet:{b.id[1:]}"}
            assert set(b.flags) <= set(r.flags)


@pytest.mark.parametrize("kind", ["number", "date", "name"])
def test_invented_fact_in_english_translation_is_flagged(tmp_path: Path, kind: str) -> None:
    results = run(tmp_path, summarizer="extractive", trans_mode=f"invent-{kind}")
    for r in results:
        assert not [f for f in r.flags if f.lang == "de" and f.kind == kind]
        english = [f for f in r.flags if f.lang == "en" and f.kind == kind]
        assert any(INVENTED[kind] in f.value for f in english), r.flags
        # Every bullet's English side is a translation with the invented sentence appended.
        for b in r.bullets:
            assert any(f.lang == "en" and f.kind == kind for f in b.flags), b
