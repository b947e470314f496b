"""Every user choice, declared once: Enums for closed sets, frozen option records for runs.

The CLI builds its Typer options from these Enums (so ``--help`` lists the values and Typer
rejects others); the Python API takes the same Enums or their string values. Results echo
the option records they were made with.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, TypeVar

from digest.errors import ConfigError


class Device(StrEnum):
    AUTO = "auto"  # CUDA, then MPS, then CPU
    CPU = "cpu"
    CUDA = "cuda"
    MPS = "mps"


class DType(StrEnum):
    AUTO = "auto"  # fp32 on CPU, bf16 on CUDA (T5/mT5 never fp16)
    FP32 = "fp32"
    BF16 = "bf16"
    FP16 = "fp16"


class Quantize(StrEnum):
    NONE = "none"
    INT8 = "int8"


class Backend(StrEnum):
    """Which engine runs a neural model (models.yaml's ``backend:``, or the run's override)."""

    AUTO = "auto"  # CTranslate2 (int8) on CPU, transformers on CUDA/MPS
    HF = "hf"  # transformers
    CTRANSLATE2 = "ctranslate2"


class SectionSummaries(StrEnum):
    """How section summaries are made when the summarizer is a neural model."""

    AUTO = "auto"  # abstractive for sections over section_words words, extractive otherwise
    ABSTRACTIVE = "abstractive"
    EXTRACTIVE = "extractive"


class ProgressMode(StrEnum):
    AUTO = "auto"  # a bar on a terminal, log lines otherwise
    BAR = "bar"
    LOG = "log"
    NONE = "none"


class EngineName(StrEnum):
    LOCAL = "local"
    RAY = "ray"


class OutputFormat(StrEnum):
    MD = "md"
    JSON = "json"
    HTML = "html"
    TXT = "txt"
    ALL = "all"


class DigestLanguages(StrEnum):
    """What a digest is written in: German and English, or German only."""

    EN = "en"
    DE = "de"


@dataclass(frozen=True)
class RuntimeOptions:
    """How models run on this machine (not what they are: that is ModelSpec)."""

    device: Device = Device.AUTO
    dtype: DType = DType.AUTO
    offline: bool = False  # never touch the network (also implied by HF_HUB_OFFLINE=1)
    threads: int | None = None  # CPU threads (torch intra-op; CTranslate2 workers); None = default
    quantize: Quantize = Quantize.NONE  # int8: CTranslate2's int8 (not on transformers)
    show_progress: bool = True  # download and conversion progress, engine notices
    backend: Backend = Backend.AUTO  # auto: as models.yaml says; hf/ctranslate2 pin every model

    def __post_init__(self) -> None:
        # Plain strings from callers become Enums here, once; a wrong value is a ConfigError.
        for name, enum in (
            ("device", Device),
            ("dtype", DType),
            ("quantize", Quantize),
            ("backend", Backend),
        ):
            object.__setattr__(self, name, choice(enum, str(getattr(self, name)), name))
        if self.threads is not None and self.threads < 1:
            raise ConfigError("{threads} must be at least 1")


@dataclass(frozen=True)
class DigestOptions:
    summarizer: str = "default"  # as requested (entry, directory, "default"); meta.models: what ran
    translator: str = "default"
    to: tuple[str, ...] = ("en",)  # () = German only
    bullets: int = 5
    length: int = 3
    length_unit: Literal["sentences", "words"] = "sentences"
    # With a neural summarizer: sections over section_words words are summarised by the
    # model, shorter ones by their key sentences (extractive, exact provenance).
    section_summaries: SectionSummaries = SectionSummaries.AUTO
    section_words: int = 150

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "section_summaries",
            choice(SectionSummaries, str(self.section_summaries), "section_summaries"),
        )
        if self.section_words < 1:
            raise ConfigError("{section_words} must be at least 1")


@dataclass(frozen=True)
class TranslateOptions:
    translator: str = "default"
    to: str = "en"
    glossary: str | None = None


KEEP_DAYS = 30  # the fetch cache's default (--fetch-keep-days)
MAX_KEEP_DAYS = 3650  # a fetch cache kept ten years is as good as never pruned


@dataclass(frozen=True)
class FetchOptions:
    """How URL and feed inputs are fetched (see digest.ingest.fetch); decided once per run."""

    timeout: float = 20.0  # seconds: connect, each read, and the whole response
    max_bytes: int = 5_000_000  # the loader's file limit: larger pages stop mid-stream
    max_redirects: int = 5
    per_host: int = 2  # requests in flight per host
    delay: float = 0.25  # seconds between request starts on one host
    refetch: bool = False  # ignore the fetch cache (pages are fetched again)
    max_items: int | None = None  # per feed, newest first
    since: float | None = None  # per feed: items published at or after this UNIX time
    cache_dir: str | None = None  # None: next to --out's cache, else the user cache folder
    keep_days: int = KEEP_DAYS  # pages unused this many days leave the cache; 0: never

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ConfigError("{fetch_timeout} must be more than 0 seconds")
        if self.per_host < 1:
            raise ConfigError("{per_host} must be at least 1")
        if self.max_items is not None and self.max_items < 1:
            raise ConfigError("{max_items} must be at least 1")
        if not 0 <= self.keep_days <= MAX_KEEP_DAYS:
            raise ConfigError(
                f"{{fetch_keep_days}} must be 0 to {MAX_KEEP_DAYS} days (0: never prune)"
            )
        if self.delay < 0 or self.max_bytes < 1 or self.max_redirects < 0:
            raise ConfigError("fetch delay, size cap and redirect cap must not be negative")


E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], value: str, option: str) -> E:
    """``value`` as a member of ``enum``; one-line ConfigError naming the option otherwise."""
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise ConfigError(f"{{{option}}} must be one of {allowed}, not {value!r}") from None
