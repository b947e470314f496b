"""One error hierarchy; the CLI maps each class to a one-line message and an exit code.

The library names options as the Python API spells them (``bullets``); a message template
marks them as ``{bullets}`` and the CLI shows its flag (``--bullets``) instead.
"""

from __future__ import annotations

import re

OPTION_NAMES = frozenset(
    [
        "summarizer",
        "translator",
        "to",
        "bullets",
        "length",
        "models",
        "device",
        "dtype",
        "offline",
        "threads",
        "quantize",
        "backend",
        "section_summaries",
        "section_words",
        "out",
        "format",
        "report",
        "force",
        "shard",
        "progress",
        "engine",
        "address",
        "replicas",
        "gpus_per_replica",
        "glossary",
        "quiet",
        "max_items",
        "since",
        "refetch",
        "fetch_timeout",
        "per_host",
        "fetch_keep_days",
    ]
)
_OPTION = re.compile(r"\{([a-z_]+)\}")


def render_options(template: str, *, as_flags: bool) -> str:
    """``{name}`` -> ``name`` (library) or ``--name`` (CLI), for known option names only."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in OPTION_NAMES:
            return m.group(0)
        return "--" + name.replace("_", "-") if as_flags else name

    return _OPTION.sub(sub, template)


class DigestError(Exception):
    """Base class: ``str(err)`` is the one-line message shown to users."""

    exit_code = 2
    reported = False  # set once a run report (--report) carries this error

    def cli_message(self) -> str:
        """The message as the command line shows it (options as flags)."""
        return str(self)


class InputError(DigestError):
    """The article itself is unusable (empty, binary, undecodable, too large, not German...)."""


class OptionsError(DigestError):
    """A message that may name options as ``{option}`` (flags on the command line)."""

    def __init__(self, template: str) -> None:
        self.template = template
        super().__init__(render_options(template, as_flags=False))

    def cli_message(self) -> str:
        return render_options(self.template, as_flags=True)


class ConfigError(OptionsError):
    """models.yaml or an option is invalid. The message may name options as ``{option}``."""


class ModelNotAvailableError(DigestError):
    """A neural model is neither a local directory nor in the cache, and we may not download."""

    def __init__(self, model_name: str, model_id: str, role: str, reason: str = "") -> None:
        self.model_name = model_name
        self.model_id = model_id
        self.role = role
        why = f" ({reason})" if reason else ""
        self.template = (
            f"model '{model_name}' ({model_id}) is not available offline{why}: run "
            f"'digest models pull {model_name}' on a machine with Hub access "
            "(it fills the HF_HOME cache), "
            f"or point models.yaml or {{{role}}} at a local model directory"
        )
        super().__init__(render_options(self.template, as_flags=False))

    def cli_message(self) -> str:
        return render_options(self.template, as_flags=True)


class OutputError(OptionsError):
    """An output, the cache, the lock or the report cannot be written (read-only or full
    disk, a file where a folder should be, a link digest will not follow)."""


class ModelError(DigestError):
    """A model loaded but failed while running."""


class EngineUnavailableError(ConfigError):
    """An optional run engine (e.g. Ray) is not installed or cannot be reached."""


class EngineError(DigestError):
    """The run engine failed as a whole (a Ray replica could not load its models, lost workers).

    Carries the exit code of the error it stands for (a replica's model error stays 2).
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        self.template = message  # may carry a replica's {option} template
        super().__init__(render_options(message, as_flags=False))
        self.exit_code = exit_code

    def cli_message(self) -> str:
        return render_options(self.template, as_flags=True)


class BatchFailedError(DigestError):
    """Some files of a batch run failed; the others were written."""

    exit_code = 1
