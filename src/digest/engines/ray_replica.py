"""The Ray actor: loads the job's models once, then runs planned chunks through the pipeline.

Ray Data constructs one DigestReplica per replica and calls it with batches of rows; each row
is one chunk of work items, exactly as the local engine would pass it to process_items, so
both engines batch the same articles together and produce the same outputs. Rows and results
are pickled frozen dataclasses (plain values), never live models.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from typing import Any

from digest.backends.base import ModelInfo
from digest.batch import BatchJob, FileOutcome, WorkItem, load_job_models, process_items
from digest.errors import DigestError
from digest.models import Models


@dataclass(frozen=True)
class ReplicaSpec:
    """What a replica needs to load its models: the job (models.yaml path, names, runtime)."""

    job: BatchJob
    cwd: str | None = None  # the driver's folder, for relative paths (local instance only)


@dataclass(frozen=True)
class ChunkResult:
    """One chunk's outcomes, or why the replica could not run it at all."""

    index: int
    outcomes: tuple[FileOutcome, ...] = ()
    models: tuple[ModelInfo, ...] = ()
    error: str | None = None  # the replica failed to load its models: the run stops
    exit_code: int = 0
    load_seconds: dict[str, float] = field(default_factory=dict)


def encode_chunk(items: tuple[WorkItem, ...]) -> bytes:
    return pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)


def decode_result(payload: bytes) -> ChunkResult:
    result = pickle.loads(payload)
    if not isinstance(result, ChunkResult):
        raise TypeError(f"unexpected replica result: {type(result).__name__}")
    return result


class DigestReplica:
    """Callable class for ``Dataset.map_batches`` (batch_format="pyarrow")."""

    def __init__(self, spec: ReplicaSpec) -> None:
        if spec.cwd and os.path.isdir(spec.cwd):
            os.chdir(spec.cwd)  # relative inputs/outputs mean the same as on the driver
        self.job = spec.job
        self.models: Models | None = None
        self.error: DigestError | None = None
        try:
            self.models = load_job_models(spec.job)
        except DigestError as exc:
            # Raised exceptions reach the driver as multi-line Ray tracebacks (and some of ours
            # do not unpickle); a result row keeps the one-line message and its exit code.
            self.error = exc

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        indexes = batch.column("index").to_pylist()
        payloads = batch.column("payload").to_pylist()
        results = [self._run(int(i), p) for i, p in zip(indexes, payloads, strict=True)]
        return pa.table(
            {
                "index": pa.array(indexes, type=pa.int64()),
                "payload": pa.array(
                    [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in results],
                    type=pa.binary(),
                ),
            }
        )

    def _run(self, index: int, payload: bytes) -> ChunkResult:
        if self.models is None:
            err = self.error or DigestError("models were not loaded")
            # The template, not str(): the driver's CLI renders options as its flags.
            text = getattr(err, "template", str(err))
            message = (text.strip().splitlines() or [type(err).__name__])[0]
            return ChunkResult(index, error=message, exit_code=err.exit_code)
        items: tuple[WorkItem, ...] = pickle.loads(payload)
        outcomes = process_items(items, self.models, self.job)
        return ChunkResult(
            index, tuple(outcomes), self.models.infos, load_seconds=dict(self.models.load_seconds)
        )
