"""One error hierarchy; the CLI maps each class to a one-line message and an exit code."""

from __future__ import annotations


class DigestError(Exception):
    """Base class: ``str(err)`` is the one-line message shown to users."""

    exit_code = 2


class InputError(DigestError):
    """The article itself is unusable (empty, binary, undecodable, too large, not German...)."""


class ConfigError(DigestError):
    """models.yaml or an option is invalid."""


class ModelNotAvailableError(DigestError):
    """A neural model is neither a local directory nor in the cache, and we may not download."""

    def __init__(self, model_name: str, model_id: str, role: str, reason: str = "") -> None:
        self.model_name = model_name
        self.model_id = model_id
        self.role = role
        flag = "--translator" if role == "translator" else "--summarizer"
        why = f" ({reason})" if reason else ""
        super().__init__(
            f"model '{model_name}' ({model_id}) is not available offline{why}: run "
            f"'digest models pull {model_name}' on a machine with Hub access "
            "(it fills the HF_HOME cache), "
            f"or point models.yaml or {flag} at a local model directory"
        )


class ModelError(DigestError):
    """A model loaded but failed while running."""


class EngineUnavailableError(ConfigError):
    """An optional run engine (e.g. Ray) is not installed or cannot be reached."""


class EngineError(DigestError):
    """The run engine failed as a whole (a Ray replica could not load its models, lost workers).

    Carries the exit code of the error it stands for (a replica's model error stays 2).
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class BatchFailedError(DigestError):
    """Some files of a batch run failed; the others were written."""

    exit_code = 1
