"""The shipped JSON Schema: valid, versioned, complete, and every sample's output validates."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import SAMPLE_FILES, write_models_yaml
from digest.backends.base import ModelInfo
from digest.config import load_config
from digest.ingest import load_article
from digest.ingest.document import Article, Block, DroppedLine, Section, Sentence
from digest.models import load_models
from digest.options import DigestOptions, TranslateOptions
from digest.results import (
    SCHEMA_VERSION,
    BiText,
    Bullet,
    DigestResult,
    Flag,
    RunMeta,
    SectionSummary,
)
from digest.schemas import load_schema, schema_path
from digest.summarize import summarize
from digest.translate import translate
from digest.writers import get_writer

SCHEMA = load_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """JSON of every sample: bilingual and German-only digests, and translations."""
    path = write_models_yaml(tmp_path_factory.mktemp("s") / "m.yaml", None)
    config = load_config(path)
    articles = [load_article(p) for p in SAMPLE_FILES]
    bilingual = load_models(config, summarizer="extractive", translator="default")
    german = load_models(config, summarizer="extractive", translator=None)
    abstractive = load_models(config, summarizer="fake-summarizer", translator="default")
    results: list[Any] = []
    results += summarize(articles, bilingual, DigestOptions(bullets=7))
    results += summarize(articles, german, DigestOptions(to=(), length=60, length_unit="words"))
    results += summarize(articles, abstractive, DigestOptions(bullets=3))
    results += translate(articles, bilingual, TranslateOptions())
    writer = get_writer("json")
    return [json.loads(writer.format(r)) for r in results]


def test_schema_is_valid_json_schema_and_versioned() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert schema_path().is_file() and schema_path().name == "digest.schema.json"
    assert SCHEMA["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert SCHEMA["$id"].endswith(SCHEMA_VERSION)


def test_every_sample_output_validates(outputs: list[dict[str, Any]]) -> None:
    kinds = {o["kind"] for o in outputs}
    assert kinds == {"digest", "translation"}
    for data in outputs:
        errors = [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(data)]
        assert errors == [], (data["article"]["source"], errors[:5])


def test_offsets_in_json_point_at_the_text(outputs: list[dict[str, Any]]) -> None:
    for data in (o for o in outputs if o["kind"] == "digest"):
        text = data["article"]["text"]
        sentences = {
            s["id"]: s
            for sec in data["article"]["sections"]
            for b in sec["blocks"]
            for s in b["sentences"]
        }
        for block in data["article"]["teaser"]["sentences"] if data["article"]["teaser"] else []:
            sentences[block["id"]] = block
        for bullet in data["bullets"]:
            for sid, (start, end) in zip(bullet["source_ids"], bullet["spans"], strict=True):
                assert text[start:end] == sentences[sid]["text"]


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        (("bullets", 0, "source_ids"), []),  # a bullet without provenance
        (("bullets", 0, "spans", 0), [1, 2, 3]),
        (("schema_version",), "0.9"),
        (("flags",), [{"kind": "number", "lang": "de", "value": "1"}]),
        (("summary", "en"), 3),
        (("options", "bullets"), 9),
        (("surprise",), True),  # unknown top-level field
    ],
)
def test_schema_rejects_broken_documents(
    outputs: list[dict[str, Any]], path: tuple[Any, ...], bad: Any
) -> None:
    data = copy.deepcopy(next(o for o in outputs if o["kind"] == "digest" and o["bullets"]))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = bad
    assert list(VALIDATOR.iter_errors(data))


# Classes whose schema objects forbid unknown fields: the schema must list every field.
STRICT = {
    "DigestResult": DigestResult,
    "BiText": BiText,
    "SectionSummary": SectionSummary,
    "Bullet": Bullet,
    "Flag": Flag,
    "DigestOptions": DigestOptions,
    "RunMeta": RunMeta,
    "Article": Article,
    "Block": Block,
    "Sentence": Sentence,
    "Section": Section,
    "DroppedLine": DroppedLine,
}


@pytest.mark.parametrize("name", sorted(STRICT))
def test_schema_lists_every_field_of_strict_classes(name: str) -> None:
    definition = SCHEMA["$defs"][name]
    fields = {f.name for f in dataclasses.fields(STRICT[name])}
    assert definition["additionalProperties"] is False
    assert set(definition["properties"]) == fields, "update digest.schema.json (and its version)"
    # A field left out of the JSON while None (json_omit_none) is optional, all others required.
    optional = {
        f.name for f in dataclasses.fields(STRICT[name]) if f.metadata.get("json_omit_none")
    }
    assert set(definition["required"]) == fields - optional


def test_model_info_required_fields_exist() -> None:
    fields = {f.name for f in dataclasses.fields(ModelInfo)}
    assert set(SCHEMA["$defs"]["ModelInfo"]["required"]) <= fields


def test_schema_ships_inside_the_package() -> None:
    import digest

    package_dir = Path(digest.__file__).parent
    assert schema_path().resolve() == (package_dir / "schemas" / "digest.schema.json").resolve()
