"""The Ray engine: plan on the driver, run the chunks on a pool of Ray actors, report.

Same plan, same chunks, same process_items as the local engine (digest.engines.local): only
where the models run differs, so outputs, cache entries, the report and exit codes match.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from digest.backends.base import ModelInfo
from digest.batch import BatchJob, FileOutcome, RunReport, WorkItem, finish_report
from digest.batch.process import process_items
from digest.batch.progress import RunProgress, make_progress
from digest.batch.stopping import shielded, stop_signals
from digest.engines import EngineOptions, require_engine
from digest.engines.local import all_outcomes, chunks, planned
from digest.engines.ray_replica import (
    ChunkResult,
    DigestReplica,
    ReplicaSpec,
    decode_result,
    encode_chunk,
)
from digest.engines.ray_session import ClusterInfo, import_ray, ray_session
from digest.errors import ConfigError, EngineError

# Forwarded to replicas so they resolve models the way the driver does.
FORWARDED_ENV = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY")
LOCAL_ONLY_ENV = ("HF_HOME", "HF_HUB_CACHE")  # paths on this machine: only for a local instance


@dataclasses.dataclass(frozen=True)
class ReplicaPlan:
    replicas: int
    cpus: float  # per replica
    gpus: float  # per replica


def joins_cluster(engine: EngineOptions) -> bool:
    return engine.address is not None or bool(os.environ.get("RAY_ADDRESS"))


def portable_job(job: BatchJob, *, remote: bool) -> BatchJob:
    """On a cluster, pin the inputs and --out as absolute paths (a replica's working folder
    is not ours). Models travel resolved in the job (ModelSpecs with absolute local paths)."""
    if not remote:
        return job
    inputs = tuple(s if s == "-" else str(Path(s).expanduser().resolve()) for s in job.inputs)
    out = job.out.expanduser().resolve() if job.out is not None else None
    return dataclasses.replace(job, inputs=inputs, out=out)


def check_items(items: Sequence[WorkItem]) -> None:
    for item in items:
        if item.source == "-":
            raise ConfigError("{engine} ray reads files: '-' (stdin) needs {engine} local")
        if not item.outputs:
            raise ConfigError("{engine} ray writes files: give {out} FOLDER")


def plan_replicas(
    engine: EngineOptions, job: BatchJob, cluster: ClusterInfo, chunks: int
) -> ReplicaPlan:
    cpus = float(job.runtime.threads or 1)
    gpus = engine.gpus_per_replica
    if gpus > 0:
        if cluster.gpus <= 0:
            raise ConfigError("{gpus_per_replica}: the Ray cluster has no GPUs")
        fit = math.floor(cluster.gpus / gpus + 1e-9)
        need, have, what = (engine.replicas or 1) * gpus, cluster.gpus, "GPUs"
    else:
        fit = math.floor(cluster.cpus / cpus + 1e-9)
        need, have, what = (engine.replicas or 1) * cpus, cluster.cpus, "CPUs"
    if need > have + 1e-9:
        raise ConfigError(
            f"{{replicas}} {engine.replicas or 1} need {need:g} {what}; "
            f"the Ray cluster has {have:g}"
        )
    wanted = engine.replicas or max(1, fit)
    # A replica without a chunk would load the models for nothing.
    return ReplicaPlan(max(1, min(wanted, chunks)), cpus, gpus)


def describe(plan: ReplicaPlan, cluster: ClusterInfo) -> str:
    where = "a local Ray instance" if cluster.local else "the Ray cluster"
    each = f"{plan.gpus:g} GPU" if plan.gpus else f"{plan.cpus:g} CPU"
    return (
        f"ray: {plan.replicas} replica(s), {each} each, on {where} "
        f"({cluster.cpus:g} CPUs, {cluster.gpus:g} GPUs)"
    )


def local_cpus(engine: EngineOptions, job: BatchJob) -> int:
    """CPUs of a local instance: the machine's, or more when --replicas asks for more."""
    per = job.runtime.threads or 1
    return max(os.cpu_count() or 1, (engine.replicas or 1) * per)


def _replica_env(remote: bool) -> dict[str, str]:
    names = FORWARDED_ENV if remote else FORWARDED_ENV + LOCAL_ONLY_ENV
    return {n: os.environ[n] for n in names if os.environ.get(n)}


def run_ray(
    job: BatchJob, engine: EngineOptions, *, progress: RunProgress | None = None
) -> RunReport:
    """Run a whole job on Ray. Config errors raise before Ray starts (exit 2); a replica that
    cannot load its models stops the run with that model's one-line error."""
    require_engine(engine)
    started = time.time()
    remote = joins_cluster(engine)
    job = portable_job(job, remote=remote)
    with planned(job) as items:  # the output folder stays locked for the whole run
        return _run_items(job, engine, items, started, remote=remote, progress=progress)


def _run_items(
    job: BatchJob,
    engine: EngineOptions,
    items: list[WorkItem],
    started: float,
    *,
    remote: bool,
    progress: RunProgress | None,
) -> RunReport:
    check_items(items)
    todo = [i for i in items if not i.skip]
    # Inputs known to fail (missing, too large) fail here: no replica loads models for them.
    known_failed = [i for i in todo if i.error]
    work = [i for i in todo if not i.error]
    prog = progress or make_progress(job, len(items))
    done: dict[tuple[str, str], FileOutcome] = {}
    models: tuple[ModelInfo, ...] | None = None
    interrupted = False
    failure: EngineError | None = None
    debug = bool(os.environ.get("DIGEST_DEBUG"))

    def on_done(outcome: FileOutcome) -> None:
        done[(outcome.source, outcome.rel)] = outcome
        prog.update(outcome)

    with stop_signals():
        try:
            if not work:
                prog.start(len(todo), len(items) - len(todo))
                process_items(known_failed, None, job, on_done=on_done)
            else:
                batches = [tuple(c) for c in chunks(work, job.chunk_size)]
                with ray_session(engine.address, cpus=local_cpus(engine, job), debug=debug) as cl:
                    plan = plan_replicas(engine, job, cl, len(batches))
                    if not job.quiet:
                        print(describe(plan, cl), file=sys.stderr)
                    # Started once Ray is up, so the rate and ETA are about the work itself.
                    prog.start(len(todo), len(items) - len(todo))
                    process_items(known_failed, None, job, on_done=on_done)
                    spec = ReplicaSpec(job, cwd=None if remote else os.getcwd())
                    for result in _results(batches, spec, plan, _replica_env(remote)):
                        if result.error is not None:
                            failure = EngineError(result.error, result.exit_code)
                            break
                        models = models or result.models
                        for outcome in result.outcomes:
                            on_done(outcome)
        except KeyboardInterrupt:
            interrupted = True
        except EngineError as exc:
            failure = exc
        finally:
            prog.close()
        with shielded():  # a second Ctrl-C must not cut the report in half
            report = finish_report(
                job,
                all_outcomes(items, done),
                models,
                started=started,
                interrupted=interrupted,
                error=failure,
            )
    if failure is not None:
        raise failure  # the report of what finished is written; outputs and cache stay
    return report


def _results(
    batches: list[tuple[WorkItem, ...]], spec: ReplicaSpec, plan: ReplicaPlan, env: dict[str, str]
) -> Iterator[ChunkResult]:
    """Stream ChunkResults back as replicas finish them (in any order)."""
    ray = import_ray()
    rows = [{"index": n, "payload": encode_chunk(b)} for n, b in enumerate(batches)]
    ds = ray.data.from_items(rows, override_num_blocks=len(rows))
    mapped = ds.map_batches(
        DigestReplica,
        fn_constructor_args=(spec,),
        batch_size=1,  # one planned chunk per call: the local engine's batching, exactly
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=plan.replicas),
        num_cpus=plan.cpus,
        num_gpus=plan.gpus or None,
        runtime_env={"env_vars": env} if env else None,
    )
    try:
        for row in mapped.iter_rows():
            yield decode_result(row["payload"])
    except ray.exceptions.RayError as exc:
        text = str(exc).strip().splitlines()
        raise EngineError(
            f"the Ray run failed: {text[-1] if text else type(exc).__name__}"
        ) from None
