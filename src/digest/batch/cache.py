"""The run cache: which outputs are up to date, kept in an append-only JSONL file.

One line per finished item, appended only after every output of the item was written
atomically, so a killed run never records work it did not finish. The last line for an item
wins; a torn last line (killed mid-append) is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from digest.backends.base import ModelInfo
from digest.backends.resolve import fingerprint_dir, resolve_model
from digest.batch.job import BatchJob
from digest.batch.outdir import open_no_link
from digest.config import ModelSpec
from digest.errors import DigestError
from digest.results import digest_version
from digest.summarize.strategies import BUILTIN_INFO
from digest.writers.base import atomic_write_text, write_all, write_failure

CACHE_NAME = ".digest-cache.jsonl"


def model_commit(spec: ModelSpec) -> str:
    """What a model is without loading it: commit SHA, local fingerprint or a built-in tag.

    Never touches the network; a model not in the cache yet is 'unresolved', which matches
    no earlier run and so redoes work rather than skipping it wrongly.
    """
    if spec.backend == "extractive":
        return BUILTIN_INFO.commit
    if spec.backend == "fake":
        return "fake"
    if spec.is_local_path:
        path = Path(spec.source).expanduser()
        return fingerprint_dir(path) if (path / "config.json").is_file() else "missing"
    try:
        return resolve_model(spec, offline=True, progress=False).commit
    except DigestError:
        return f"unresolved:{spec.revision}"


def job_fingerprint(job: BatchJob, engines: Mapping[str, str] | None = None) -> str:
    """Hash of everything besides the input that decides the outputs' content.

    ``engines``: model name -> the engine it ran on (from loaded models); without it, the
    engine that ``backend: auto`` would choose here (digest.backends.choose_backend).
    """
    from digest.backends import choose_backend

    models = []
    for spec in job.specs:
        entry = asdict(spec)
        for unused in ("description", "licence"):
            entry.pop(unused, None)
        if spec.is_local_path:
            entry.pop("source")  # the fingerprint identifies it; moving the folder is fine
        entry["commit"] = model_commit(spec)
        # The engine decides the output (CTranslate2 int8 differs from transformers fp32).
        chosen = (engines or {}).get(spec.name)
        if chosen is None and not entry["commit"].startswith(("unresolved:", "missing")):
            chosen = choose_backend(spec, job.runtime)  # a missing model matches nothing anyway
        entry["engine"] = chosen or "unknown"
        models.append(entry)
    options = asdict(job.options)
    glossary = options.get("glossary")
    if glossary and Path(glossary).is_file():
        options["glossary_sha256"] = hashlib.sha256(Path(glossary).read_bytes()).hexdigest()
    rt = job.runtime
    payload = {
        "digest": digest_version(),
        "kind": job.kind,
        "options": options,
        "runtime": {
            "device": rt.device,
            "dtype": rt.dtype,
            "quantize": rt.quantize,
            "backend": rt.backend,
        },
        "models": models,
    }
    blob = json.dumps(payload, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def item_key(content_sha256: str, fingerprint: str) -> str:
    return hashlib.sha256(f"{content_sha256}:{fingerprint}".encode()).hexdigest()[:32]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_path(out_dir: Path) -> Path:
    return out_dir / CACHE_NAME


def read_cache(out_dir: Path) -> dict[str, dict[str, Any]]:
    """rel -> its latest entry."""
    path = cache_path(out_dir)
    entries: dict[str, dict[str, Any]] = {}
    if not os.path.lexists(path):
        return entries
    with os.fdopen(open_no_link(path, os.O_RDONLY), "rb") as fh:
        lines = fh.read().decode("utf-8", errors="replace").splitlines()
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # torn line of a killed append
        if isinstance(entry, dict) and isinstance(entry.get("rel"), str):
            entries[entry["rel"]] = entry
    return entries


def _rel_outputs(outputs: tuple[Path, ...], out_dir: Path) -> list[str]:
    # Relative to --out, so "digests" and "./digests/" name the same cache.
    return [os.path.relpath(p, out_dir) for p in outputs]


def is_up_to_date(
    entry: Mapping[str, Any] | None, key: str, outputs: tuple[Path, ...], out_dir: Path
) -> bool:
    if not entry or not key or entry.get("key") != key:
        return False
    recorded = set(entry.get("outputs") or ())
    return set(_rel_outputs(outputs, out_dir)) <= recorded and all(p.is_file() for p in outputs)


class CacheFile:
    """Appends entries to the cache of one output folder; the file opens at the first entry."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._fd: int | None = None

    def append(self, entry: Mapping[str, Any]) -> None:
        """One write of one line (O_APPEND): a kill loses at most this line, and shards
        appending to the same file at once do not mix their lines."""
        path = cache_path(self.out_dir)
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        if self._fd is None:
            self._fd = open_no_link(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            write_all(self._fd, line)
        except OSError as exc:
            raise write_failure(path, exc) from None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@contextmanager
def cache_writer(out_dir: Path | None) -> Iterator[CacheFile | None]:
    """An appender on the cache file (None when outputs do not go to a folder)."""
    if out_dir is None:
        yield None
        return
    cache = CacheFile(out_dir)
    try:
        yield cache
    finally:
        cache.close()


def record(
    cache: CacheFile | None,
    out_dir: Path,
    *,
    rel: str,
    key: str,
    sha: str,
    outputs: tuple[Path, ...],
    models: tuple[ModelInfo, ...],
) -> None:
    """Append one entry for an item whose outputs are all in place (OutputError if not)."""
    if cache is None or not key:
        return
    entry = {
        "rel": rel,
        "key": key,
        "sha256": sha,
        "outputs": _rel_outputs(outputs, out_dir),
        "models": {m.role: m.commit for m in models},
        "at": round(time.time(), 3),
    }
    cache.append(entry)


def compact_cache(out_dir: Path) -> None:
    """Rewrite the cache with one line per item (reruns with --force append duplicates)."""
    path = cache_path(out_dir)
    if not path.is_file():
        return
    entries = read_cache(out_dir)
    text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries.values())
    atomic_write_text(path, text)
