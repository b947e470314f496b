"""Model specs in, loaded models out: the summarizer and translator a run reuses throughout."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from digest.backends import ModelInfo, Seq2SeqModel, load_model
from digest.config import ModelsConfig, ModelSpec
from digest.options import RuntimeOptions
from digest.summarize.strategies import Summarizer, load_summarizer


@dataclass
class Models:
    """Loaded models, reused for every article of a run."""

    summarizer: Summarizer | None
    translator: Seq2SeqModel | None
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
    trans_spec = summ_spec = None
    if translator is not None:
        trans_spec = config.translator(to, None if translator == "default" else translator)
    if summarizer is not None:
        summ_spec = config.summarizer(None if summarizer == "default" else summarizer)
    return load_model_specs(summarizer=summ_spec, translator=trans_spec, runtime=runtime)


def load_model_specs(
    *,
    summarizer: ModelSpec | None,
    translator: ModelSpec | None,
    runtime: RuntimeOptions | None = None,
) -> Models:
    """Load already-resolved models; None skips a role."""
    runtime = runtime or RuntimeOptions()
    timings: dict[str, float] = {}
    summ = trans = None
    # The translator first: it is the usual missing model, and failing before loading a
    # summarizer keeps the offline error fast.
    if translator is not None:
        t0 = time.perf_counter()
        trans = load_model(translator, runtime)
        timings["load_translator"] = time.perf_counter() - t0
    if summarizer is not None:
        t0 = time.perf_counter()
        summ = load_summarizer(summarizer, runtime)
        timings["load_summarizer"] = time.perf_counter() - t0
    return Models(summ, trans, runtime, timings)
