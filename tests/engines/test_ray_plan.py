"""Replica sizing and path pinning of the Ray engine: pure functions, no Ray instance."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.batch import BatchJob
from digest.engines import EngineOptions
from digest.engines.ray_engine import plan_replicas, portable_job
from digest.engines.ray_session import ClusterInfo
from digest.errors import ConfigError
from digest.options import DigestOptions, RuntimeOptions

CPU_NODE = ClusterInfo(local=False, cpus=8, gpus=0)
GPU_NODES = ClusterInfo(local=False, cpus=32, gpus=2)


def job(threads: int | None = None, out: str = "digests") -> BatchJob:
    return BatchJob(
        "digest",
        ("artikel",),
        Path(out),
        DigestOptions(),
        runtime=RuntimeOptions(threads=threads),
    )


def test_default_replicas_fill_the_cpus_but_not_more_than_the_chunks() -> None:
    assert plan_replicas(EngineOptions("ray"), job(), CPU_NODE, chunks=100).replicas == 8
    assert plan_replicas(EngineOptions("ray"), job(threads=3), CPU_NODE, chunks=100).replicas == 2
    assert plan_replicas(EngineOptions("ray"), job(), CPU_NODE, chunks=3).replicas == 3


def test_gpu_replicas_follow_the_gpus() -> None:
    half = plan_replicas(EngineOptions("ray", gpus_per_replica=0.5), job(), GPU_NODES, 100)
    assert (half.replicas, half.gpus, half.cpus) == (4, 0.5, 1.0)
    one = plan_replicas(EngineOptions("ray", replicas=2, gpus_per_replica=1), job(), GPU_NODES, 9)
    assert (one.replicas, one.gpus) == (2, 1)


@pytest.mark.parametrize(
    ("engine", "cluster", "message"),
    [
        (EngineOptions("ray", gpus_per_replica=1), CPU_NODE, "has no GPUs"),
        (EngineOptions("ray", replicas=3, gpus_per_replica=1), GPU_NODES, "need 3 GPUs"),
        (EngineOptions("ray", replicas=9), CPU_NODE, "need 9 CPUs; the Ray cluster has 8"),
    ],
)
def test_more_than_the_cluster_has_is_an_error_before_any_work(
    engine: EngineOptions, cluster: ClusterInfo, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        plan_replicas(engine, job(), cluster, chunks=100)


def test_paths_are_pinned_for_a_cluster_and_kept_for_a_local_instance(tmp_path: Path) -> None:
    local = portable_job(job(), remote=False)
    assert local.inputs == ("artikel",) and local.out == Path("digests")
    remote = portable_job(job(), remote=True)
    assert remote.inputs == (str(tmp_path / "artikel"),)  # the autouse fixture's cwd
    assert remote.out == tmp_path / "digests"
