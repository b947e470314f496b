"""Connect to Ray for one run: join a cluster, or start a small local instance and stop it."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from digest.engines import RAY_HINT
from digest.errors import EngineUnavailableError

# Our work items and outcomes are a few KB each: a small store keeps /dev/shm free on laptops.
LOCAL_OBJECT_STORE_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class ClusterInfo:
    local: bool  # started by this run (on this machine)
    cpus: float
    gpus: float


def import_ray() -> ModuleType:
    try:
        import ray
        import ray.data
    except ImportError:
        raise EngineUnavailableError(RAY_HINT) from None
    return ray


def _quiet_data_context(ray: ModuleType, debug: bool) -> None:
    ctx = ray.data.DataContext.get_current()
    # We report per-file progress ourselves; Ray Data's bars would interleave with it.
    ctx.enable_progress_bars = debug
    ctx.print_on_execution_start = debug
    ctx.log_internal_stack_trace = debug


@contextmanager
def ray_session(address: str | None, *, cpus: int, debug: bool = False) -> Iterator[ClusterInfo]:
    """Ray for the length of a run.

    Already connected (a caller or a test did ray.init): use that. Else join ``address`` (or
    $RAY_ADDRESS, which `ray job submit` sets) or start a local instance with ``cpus`` CPUs,
    no dashboard and a small object store, and shut it down afterwards.
    """
    ray = import_ray()
    started = False
    level = logging.INFO if debug else logging.ERROR
    saved = {n: logging.getLogger(n).level for n in ("ray", "ray.data")}
    if not ray.is_initialized():
        joining = address is not None or bool(os.environ.get("RAY_ADDRESS"))
        kwargs: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": debug,  # replicas' model-loading chatter stays in Ray's log files
            "logging_level": level,
        }
        if not joining:
            kwargs.update(
                num_cpus=cpus,
                object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                # Ray runs workers at nice 15; our replicas are the job itself, and on a busy
                # machine they would otherwise starve behind everything else.
                _system_config={"worker_niceness": 0},
            )
        try:
            ray.init(address=address, **kwargs)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = address or os.environ.get("RAY_ADDRESS") or "a local Ray instance"
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EngineUnavailableError(f"cannot start or reach Ray ({where}): {first}") from None
        started = True
    for name in saved:
        logging.getLogger(name).setLevel(level)
    _quiet_data_context(ray, debug)
    try:
        resources = ray.cluster_resources()
        yield ClusterInfo(
            local=started and address is None and not os.environ.get("RAY_ADDRESS"),
            cpus=float(resources.get("CPU", 0.0)),
            gpus=float(resources.get("GPU", 0.0)),
        )
    finally:
        for name, value in saved.items():
            logging.getLogger(name).setLevel(value)
        if started:
            ray.shutdown()
