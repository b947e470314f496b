"""Where a batch run executes: this process (local) or a pool of Ray actors (ray).

Both engines run the same plan (digest.batch) and write the same files; only the place the
models run differs. Ray is an optional extra and is imported only when the ray engine runs.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from digest.errors import ConfigError, EngineUnavailableError
from digest.options import EngineName, choice

RAY_HINT = (
    "{engine} ray needs Ray, which is not installed: pip install 'digest-news[ray]' "
    "(from a checkout: pip install '.[ray]')"
)


@dataclass(frozen=True)
class EngineOptions:
    """How to run a batch: the engine and, for Ray, the cluster and the replica pool."""

    name: EngineName = EngineName.LOCAL
    address: str | None = None  # Ray cluster; None: $RAY_ADDRESS, else a local instance
    replicas: int | None = None  # actors, each with its own models; None: what the cluster fits
    gpus_per_replica: float = 0.0  # 0: CPU replicas; 0.5: two replicas share a GPU

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", choice(EngineName, self.name, "engine"))
        if self.replicas is not None and self.replicas < 1:
            raise ConfigError("{replicas} must be at least 1")
        if self.gpus_per_replica < 0:
            raise ConfigError("{gpus_per_replica} must be 0 or more")
        if self.name == "local" and (
            self.address is not None or self.replicas is not None or self.gpus_per_replica
        ):
            raise ConfigError("{address}, {replicas} and {gpus_per_replica} need {engine} ray")


def ray_installed() -> bool:
    return importlib.util.find_spec("ray") is not None


def require_engine(options: EngineOptions) -> None:
    """Fail fast, before any work, when the chosen engine's package is missing."""
    if options.name == "ray" and not ray_installed():
        raise EngineUnavailableError(RAY_HINT)
