"""--engine and the Ray options, shared by `digest summarize` and `digest translate`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated

import typer

from digest.batch import BatchJob, RunReport
from digest.engines import EngineOptions, require_engine
from digest.options import EngineName

EngineOpt = Annotated[
    EngineName,
    typer.Option(
        "--engine",
        help="local: this process. ray: a pool of Ray actors, each loading the models once "
        "(a local Ray instance, or the cluster given by --address).",
    ),
]
AddressOpt = Annotated[
    str | None,
    typer.Option(
        "--address",
        help="Ray cluster to join (host:6379, ray://host:10001 or auto). Default: $RAY_ADDRESS, "
        "else a new local Ray instance.",
        show_default=False,
    ),
]
ReplicasOpt = Annotated[
    int | None,
    typer.Option(
        "--replicas",
        help="Ray actors, each with its own copy of the models. Default: as many as the "
        "cluster's CPUs (or GPUs, with --gpus-per-replica) allow.",
        show_default=False,
    ),
]
GpusPerReplicaOpt = Annotated[
    float,
    typer.Option(
        "--gpus-per-replica",
        help="GPUs reserved per Ray actor: 1 = one GPU each, 0.5 = two share a GPU, 0 = CPU.",
    ),
]


def engine_options(
    engine: EngineName, address: str | None, replicas: int | None, gpus_per_replica: float
) -> EngineOptions:
    """Validate the engine options and check the engine is installed, before any work."""
    options = EngineOptions(engine, address, replicas, gpus_per_replica)  # ConfigError: exit 2
    require_engine(options)
    return options


def engine_runner(options: EngineOptions) -> Callable[[BatchJob], RunReport] | None:
    """What runs the job: None for the local engine (the default of run_batch)."""
    if options.name == "local":
        return None
    from digest.engines.ray_engine import run_ray  # Ray itself is imported only when it runs

    return functools.partial(run_ray, engine=options)
