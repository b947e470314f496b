"""Where model files come from: local directory -> Hugging Face cache -> download.

Kept free of torch so that `digest models list` and the offline error path stay fast.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from digest.backends.base import ModelInfo
from digest.config import ModelSpec
from digest.errors import ConfigError, ModelNotAvailableError

# Only what transformers needs; skips TF/Flax/Rust/ONNX copies that some repos carry.
ALLOW_PATTERNS = ["*.json", "*.safetensors", "*.bin", "*.model", "*.spm", "*.txt"]
IGNORE_PATTERNS = ["tf_model*", "flax_model*", "rust_model*", "*.msgpack", "*.h5", "*.onnx*"]


@dataclass(frozen=True)
class ResolvedModel:
    path: Path
    commit: str
    origin: str  # local | cache | download


def offline_requested(offline: bool) -> bool:
    return offline or os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes")


def fingerprint_dir(path: Path) -> str:
    """Stable id for a local model directory: hash of configs plus weight sizes.

    Hashing multi-GB weights on every run would be slow; size + config changes catch
    re-exports, which is what a cache key needs.
    """
    digest = hashlib.sha256()
    for file in sorted(p for p in path.iterdir() if p.is_file()):
        digest.update(file.name.encode())
        if file.suffix in (".json", ".model", ".spm", ".txt"):
            digest.update(file.read_bytes())
        else:
            digest.update(str(file.stat().st_size).encode())
    return "local-" + digest.hexdigest()[:16]


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment at call time.

    huggingface_hub freezes HF_HOME/HF_HUB_CACHE when first imported; reading them here
    means a process that changes them later (tests, notebooks) still gets what it asked for.
    """
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", "~/.cache"), "huggingface"
    )
    return Path(home).expanduser() / "hub"


def local_status(spec: ModelSpec) -> str:
    """'local dir', 'cached', 'missing' or 'built in' — for `digest models list`."""
    if spec.backend == "fake":
        return "fake (tests)"
    if not spec.needs_weights:
        return "built in"
    if spec.is_local_path:
        return (
            "local dir" if (Path(spec.source).expanduser() / "config.json").is_file() else "missing"
        )
    try:
        _snapshot(spec, local_only=True, progress=False)
    except ModelNotAvailableError:
        return "missing"
    return "cached"


def resolve_model(
    spec: ModelSpec, *, offline: bool = False, progress: bool = True
) -> ResolvedModel:
    if spec.is_local_path:
        path = Path(spec.source).expanduser()
        if not (path / "config.json").is_file():
            raise ConfigError(f"model '{spec.name}': {path} is not a model directory")
        return ResolvedModel(path, fingerprint_dir(path), "local")
    try:
        return ResolvedModel(*_snapshot(spec, local_only=True, progress=False), "cache")
    except ModelNotAvailableError:
        if offline_requested(offline):
            raise
    path, commit = _snapshot(spec, local_only=False, progress=progress)
    return ResolvedModel(path, commit, "download")


def _snapshot(spec: ModelSpec, *, local_only: bool, progress: bool) -> tuple[Path, str]:
    # Imported here: huggingface_hub reads HF_* variables at import, which tests set late.
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    try:
        folder = snapshot_download(
            spec.source,
            revision=spec.revision,
            local_files_only=local_only,
            cache_dir=hub_cache_dir(),
            allow_patterns=ALLOW_PATTERNS,
            ignore_patterns=IGNORE_PATTERNS,
            tqdm_class=None if progress else _SilentTqdm,
        )
    except LocalEntryNotFoundError:
        reason = "not in the Hugging Face cache" if local_only else "Hub unreachable"
        raise ModelNotAvailableError(spec.name, spec.source, spec.role, reason) from None
    except (HfHubHTTPError, OSError) as exc:
        raise ModelNotAvailableError(
            spec.name, spec.source, spec.role, f"download failed: {type(exc).__name__}"
        ) from None
    path = Path(folder)
    if not (path / "config.json").is_file():
        raise ModelNotAvailableError(spec.name, spec.source, spec.role, "incomplete cache entry")
    return path, path.name  # snapshot folders are named by commit SHA


class _SilentTqdm:
    """A do-nothing progress bar for cache look-ups."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __enter__(self) -> _SilentTqdm:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def loaded_info(
    spec: ModelSpec,
    resolved: ResolvedModel,
    *,
    backend: str,
    device: str,
    dtype: str,
    quantize: str = "none",
    vocab_shortlist: int | None = None,
) -> ModelInfo:
    """What a loaded neural model records in every result (one place for both engines)."""
    return ModelInfo(
        name=spec.name,
        role=spec.role,
        backend=backend,
        source=spec.source,
        revision=spec.revision,
        commit=resolved.commit,
        origin=resolved.origin,
        family=spec.family,
        device=device,
        dtype=dtype,
        licence=spec.licence,
        quantize=quantize,
        vocab_shortlist=spec.vocab_shortlist if vocab_shortlist is None else vocab_shortlist,
    )
