"""Load models once per run; the run metadata every result carries."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

from digest.backends import (
    ModelInfo,
    RuntimeOptions,
    Seq2SeqEngine,
    Summarizer,
    load_engine,
    load_summarizer,
)
from digest.config import ModelsConfig
from digest.results import (
    RunMeta,
)


def digest_version() -> str:
    try:
        return version("digest")
    except PackageNotFoundError:
        return "0+unknown"


@dataclass
class Models:
    """Loaded models, reused for every article of a run."""

    summarizer: Summarizer | None
    translator: Seq2SeqEngine | None
    runtime: RuntimeOptions
    load_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def infos(self) -> tuple[ModelInfo, ...]:
        out: list[ModelInfo] = []
        if self.summarizer is not None:
            out.append(self.summarizer.info)
        if self.translator is not None:
            out.append(self.translator.info)
        return tuple(out)


def load_models(
    config: ModelsConfig,
    *,
    summarizer: str | None = "default",
    translator: str | None = "default",
    to: str = "en",
    runtime: RuntimeOptions | None = None,
) -> Models:
    """Load the summarizer and/or translator named in models.yaml (or model directories).

    Pass None to skip a role (e.g. translator=None for German-only digests).
    """
    runtime = runtime or RuntimeOptions()
    timings: dict[str, float] = {}
    summ = trans = None
    # The translator is resolved first: it is the usual missing model, and failing before
    # loading a summarizer keeps the offline error fast.
    if translator is not None:
        spec = config.translator(to, None if translator == "default" else translator)
        t0 = time.perf_counter()
        trans = load_engine(spec, runtime)
        timings["load_translator"] = time.perf_counter() - t0
    if summarizer is not None:
        spec = config.summarizer(None if summarizer == "default" else summarizer)
        t0 = time.perf_counter()
        summ = load_summarizer(spec, runtime)
        timings["load_summarizer"] = time.perf_counter() - t0
    return Models(summ, trans, runtime, timings)


def run_meta(models: Models, timings: dict[str, float]) -> RunMeta:
    return RunMeta(
        digest_version=digest_version(),
        models=models.infos,
        runtime=models.runtime,
        timings={k: round(v, 4) for k, v in timings.items()},
        created=datetime.now(UTC).replace(microsecond=0).isoformat(),
    )
