"""The library entry points: load models once, then digest or translate many articles."""

from digest.pipeline.models import Models, digest_version, load_models, run_meta
from digest.pipeline.summarize import summarize
from digest.pipeline.translate import translate

__all__ = ["Models", "digest_version", "load_models", "run_meta", "summarize", "translate"]
