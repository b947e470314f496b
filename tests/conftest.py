"""Shared fixtures: tiny real models built once per session, and a fake-backend config.

No test downloads anything: HF_HOME points at an empty temporary cache for every test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from digest.batch import BatchJob
from digest.config import GenerationSettings, ModelSpec, load_config
from digest.devtools.random_models import build_marian, build_t5
from digest.ingest.article import decode_bytes
from digest.options import DigestOptions

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SAMPLE_FILES = sorted(
    p
    for p in SAMPLES.iterdir()
    if p.suffix in (".txt", ".md", ".html") and p.is_file() and p.name != "README.md"
)
# German inputs for the translation backends: plain, a decimal, a fragment, a long sentence
# with a thousands separator and a speech tag.
GERMAN_LINES = [
    "Der Stadtrat hat am Montag neue Radwege beschlossen.",
    "Die Kosten liegen bei 3,5 Millionen Euro.",
    "Kurz.",
    "Mehr als 1.200 Radfahrer nutzen die Strecke jeden Tag, sagte die Bürgermeisterin am Abend.",
    "Die Energiepreise sind im September deutlich gestiegen.",
]
ENGLISH_LINES = [
    "The city council approved new bike lanes on Monday.",
    "Costs are estimated at 3.5 million euros, said the mayor.",
    "More than 1,200 cyclists use the route every day.",
    "The energy prices rose by twelve percent in September.",
]


@dataclass(frozen=True)
class TinyModels:
    marian: Path
    t5: Path


def sample_texts() -> list[str]:
    return [decode_bytes(p.read_bytes())[0] for p in SAMPLE_FILES]


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    """A random-weight Marian and T5 with sentencepiece trained on the samples."""
    base = tmp_path_factory.mktemp("tiny-models")
    texts = sample_texts()
    marian = build_marian(base / "tiny-marian", texts + ENGLISH_LINES)
    t5 = build_t5(base / "tiny-t5", texts)
    return TinyModels(marian, t5)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Empty HF cache, no inherited model settings; tests opt into offline mode themselves."""
    hf_home = tmp_path / "hf-home"
    hf_home.mkdir()
    monkeypatch.setenv("HF_HOME", str(hf_home))
    monkeypatch.setenv("HF_HUB_CACHE", str(hf_home / "hub"))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))  # fetched URLs
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # the test news server is local
    for var in ("DIGEST_MODELS", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "DIGEST_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)  # so ./models.yaml of the repo is not picked up by accident
    yield hf_home


def write_models_yaml(path: Path, tiny: TinyModels | None, *, fake_mode: str = "translate") -> Path:
    """models.yaml for tests: tiny real models (if given) plus named fake engines."""
    entries = [
        "version: 1",
        "defaults:",
        f"  summarizer: {'tiny-t5' if tiny else 'fake-summarizer'}",
        "  translators:",
        f"    en: {'tiny-marian' if tiny else 'fake-translator'}",
        "models:",
        "  extractive:",
        "    role: summarizer",
        "    backend: extractive",
        "  fake-translator:",
        "    role: translator",
        "    backend: fake",
        f"    source: 'fake:{fake_mode}'",
        "    target_lang: en",
        "    max_input_tokens: 64",
        "  fake-summarizer:",
        "    role: summarizer",
        "    backend: fake",
        "    source: 'fake:summarize'",
        "    max_input_tokens: 120",
        "    generation: {max_new_tokens: 40}",
    ]
    if tiny:
        entries += [
            "  tiny-marian:",
            "    role: translator",
            f"    source: {tiny.marian}",
            "    family: marian",
            "    target_lang: en",
            "    max_input_tokens: 128",
            "    generation: {num_beams: 2, max_new_tokens: 12}",
            "  tiny-t5:",
            "    role: summarizer",
            f"    source: {tiny.t5}",
            "    family: t5",
            "    prefix: 'summarize: '",
            "    max_input_tokens: 256",
            "    generation: {num_beams: 2, max_new_tokens: 16, no_repeat_ngram_size: 3}",
        ]
    path.write_text("\n".join(entries) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def tiny_yaml(tmp_path: Path, tiny_models: TinyModels) -> Path:
    return write_models_yaml(tmp_path / "models.tiny.yaml", tiny_models)


@pytest.fixture
def fake_yaml(tmp_path: Path) -> Path:
    return write_models_yaml(tmp_path / "models.fake.yaml", None)


def job_for(src: Path, out: Path, models: Path, **kw: Any) -> BatchJob:
    """A digest batch job (md + json, quiet) over ``src`` with the models of a yaml."""
    config = load_config(models)
    return BatchJob(
        kind="digest",
        inputs=(str(src),),
        out=out,
        options=DigestOptions(),
        formats=("md", "json"),
        summarizer=config.summarizer(),
        translator=config.translator("en"),
        quiet=True,
        **kw,
    )


def install_in_hf_cache(model_dir: Path, repo_id: str, hf_home: Path, commit: str) -> Path:
    """Lay a model out exactly as huggingface_hub's cache does (refs/main -> snapshot)."""
    repo = hf_home / "hub" / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / commit
    shutil.copytree(model_dir, snapshot)
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text(commit)
    return snapshot


def marian_spec(path: Path, num_beams: int = 2, **changes: Any) -> ModelSpec:
    """A translator spec for a tiny Marian directory (tests change what they need)."""
    spec = ModelSpec(
        name="tiny-marian",
        role="translator",
        source=str(path),
        family="marian",
        target_lang="en",
        max_input_tokens=128,
        generation=GenerationSettings(num_beams=num_beams, max_new_tokens=10),
    )
    return replace(spec, **changes)


def spy_from_pretrained(monkeypatch: pytest.MonkeyPatch, *names: str) -> list[tuple[str, object]]:
    """Record (class name, trust_remote_code) of every from_pretrained call on these
    transformers classes; the real loader still runs."""
    import transformers

    seen: list[tuple[str, object]] = []
    for cls_name in names:
        cls = getattr(transformers, cls_name)
        real = cls.from_pretrained

        def spy(*args: object, _real: object = real, _name: str = cls_name, **kw: object) -> object:
            seen.append((_name, kw.get("trust_remote_code", "missing")))
            return _real(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(cls, "from_pretrained", spy)
    return seen
