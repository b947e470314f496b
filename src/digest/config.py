"""models.yaml: the model table. Loaded once (by the CLI or the caller) and passed down."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from digest.errors import ConfigError

Role = Literal["summarizer", "translator"]
Backend = Literal["hf", "extractive", "ctranslate2", "fake"]
BACKENDS = ("hf", "extractive", "ctranslate2", "fake")
ENV_MODELS = "DIGEST_MODELS"
SUPPORTED_FAMILIES = ("marian", "t5", "mt5", "bart", "mbart", "pegasus", "other")


@dataclass(frozen=True)
class GenerationSettings:
    num_beams: int = 4
    max_new_tokens: int = 256
    min_new_tokens: int = 0
    no_repeat_ngram_size: int = 0
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0

    def stronger(self) -> GenerationSettings:
        """Settings for a retry after a degenerate output (repetition loop, copy-through)."""
        return replace(
            self,
            num_beams=max(self.num_beams, 5),
            no_repeat_ngram_size=self.no_repeat_ngram_size or 3,
            repetition_penalty=max(self.repetition_penalty, 1.3),
        )


@dataclass(frozen=True)
class ModelSpec:
    name: str
    role: Role
    backend: Backend = "hf"
    source: str = ""  # Hugging Face id or local directory (relative to models.yaml)
    revision: str = "main"
    family: str = "other"
    source_lang: str = "de"
    target_lang: str = "de"
    max_input_tokens: int = 512
    prefix: str = ""
    licence: str = "unknown"
    description: str = ""
    batch_tokens: int = 4096  # padded source tokens per generate call
    max_batch_size: int = 64
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    # backend: ctranslate2 only. The model is converted once from the Hugging Face files;
    # ct2_dir is where converted models are kept (default: $DIGEST_CT2_CACHE, else
    # digest-ct2/ next to the Hugging Face hub cache).
    ct2_compute_type: str = "int8"  # int8 | int8_float32 | float32 | int8_float16 | bfloat16 ...
    ct2_dir: str = ""
    # backend: ctranslate2, summarizers only: score only the input's pieces plus this many
    # always-allowed pieces per decoding step instead of the whole output vocabulary
    # (see digest.backends.shortlist). 0 = the whole vocabulary.
    vocab_shortlist: int = 0

    @property
    def needs_weights(self) -> bool:
        return self.backend in ("hf", "ctranslate2")

    @property
    def is_local_path(self) -> bool:
        return self.source.startswith(("/", "./", "../", "~")) or Path(self.source).is_dir()


@dataclass(frozen=True)
class ModelsConfig:
    path: str
    models: dict[str, ModelSpec]
    default_summarizer: str
    default_translators: dict[str, str]  # target language -> model name

    def get(self, name: str) -> ModelSpec:
        try:
            return self.models[name]
        except KeyError:
            known = ", ".join(sorted(self.models))
            raise ConfigError(f"unknown model '{name}' (models.yaml has: {known})") from None

    def summarizer(self, name_or_path: str | None = None) -> ModelSpec:
        return self._pick(name_or_path or self.default_summarizer, "summarizer", "de", "de")

    def translator(self, target_lang: str, name_or_path: str | None = None) -> ModelSpec:
        name = name_or_path or self.default_translators.get(target_lang)
        if name is None:
            langs = ", ".join(sorted(self.default_translators)) or "none"
            raise ConfigError(
                f"no translator for de->{target_lang} in {self.path} (configured targets: {langs})"
            )
        return self._pick(name, "translator", "de", target_lang)

    def _pick(self, name_or_path: str, role: Role, src: str, tgt: str) -> ModelSpec:
        if name_or_path in self.models:
            spec = self.models[name_or_path]
            if spec.role != role:
                raise ConfigError(f"model '{name_or_path}' is a {spec.role}, not a {role}")
            return spec
        path = Path(name_or_path).expanduser()
        if path.is_dir():
            return spec_from_directory(path, role, src, tgt)
        known = ", ".join(sorted(n for n, s in self.models.items() if s.role == role))
        raise ConfigError(
            f"'{name_or_path}' is neither a {role} in {self.path} ({known}) nor a model directory"
        )


def spec_from_directory(path: Path, role: Role, src: str = "de", tgt: str = "en") -> ModelSpec:
    """A spec for a bare model directory given on the command line."""
    cfg_file = path / "config.json"
    if not cfg_file.is_file():
        raise ConfigError(f"{path} is not a model directory (no config.json)")
    try:
        model_type = str(json.loads(cfg_file.read_text(encoding="utf-8")).get("model_type", ""))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{cfg_file} is not readable JSON: {exc}") from None
    family = model_type if model_type in SUPPORTED_FAMILIES else "other"
    generation = GenerationSettings(max_new_tokens=256 if role == "translator" else 128)
    return ModelSpec(
        name=path.name,
        role=role,
        source=str(path.resolve()),
        revision="local",
        family=family,
        source_lang=src,
        target_lang=tgt if role == "translator" else src,
        generation=generation,
    )


def default_config_path() -> Path:
    """--models > $DIGEST_MODELS > ./models.yaml > the copy shipped with the package."""
    env = os.environ.get(ENV_MODELS)
    if env:
        return Path(env)
    cwd = Path.cwd() / "models.yaml"
    if cwd.is_file():
        return cwd
    here = Path(__file__).resolve().parent
    for candidate in (here / "models.yaml", here.parents[1] / "models.yaml"):
        if candidate.is_file():
            return candidate
    raise ConfigError("no models.yaml found: pass {models} FILE or set DIGEST_MODELS")


_GEN_KEYS = {f.name for f in fields(GenerationSettings)}
_SPEC_KEYS = {f.name for f in fields(ModelSpec)} - {"name", "generation"}


def load_config(path: str | os.PathLike[str] | None = None) -> ModelsConfig:
    cfg_path = Path(path) if path is not None else default_config_path()
    try:
        raw = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"models file not found: {cfg_path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {cfg_path}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{cfg_path}{where}: invalid YAML") from None
    return parse_config(raw, cfg_path)


def parse_config(raw: Any, cfg_path: Path) -> ModelsConfig:
    where = str(cfg_path)
    if not isinstance(raw, dict) or not isinstance(raw.get("models"), dict):
        raise ConfigError(f"{where}: expected a mapping with a 'models:' table")
    base = cfg_path.resolve().parent
    models: dict[str, ModelSpec] = {}
    for name, entry in raw["models"].items():
        models[str(name)] = _parse_spec(str(name), entry, base, where)
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ConfigError(f"{where}: 'defaults' must be a mapping")
    summarizer = str(defaults.get("summarizer", "extractive"))
    translators_raw = defaults.get("translators") or {}
    if not isinstance(translators_raw, dict):
        raise ConfigError(f"{where}: 'defaults.translators' must map a language to a model")
    translators = {str(k): str(v) for k, v in translators_raw.items()}
    for ref in [summarizer, *translators.values()]:
        if ref not in models:
            raise ConfigError(f"{where}: default model '{ref}' is not defined under 'models'")
    return ModelsConfig(where, models, summarizer, translators)


def _parse_spec(name: str, entry: Any, base: Path, where: str) -> ModelSpec:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: model '{name}' must be a mapping")
    unknown = set(entry) - _SPEC_KEYS - {"generation"}
    if unknown:
        raise ConfigError(f"{where}: model '{name}' has unknown keys: {', '.join(sorted(unknown))}")
    gen_raw = entry.get("generation") or {}
    if not isinstance(gen_raw, dict) or set(gen_raw) - _GEN_KEYS:
        bad = ", ".join(sorted(set(gen_raw) - _GEN_KEYS)) if isinstance(gen_raw, dict) else ""
        raise ConfigError(f"{where}: model '{name}' has invalid generation settings {bad}".rstrip())
    try:
        generation = GenerationSettings(**gen_raw)
        spec = ModelSpec(name=name, generation=generation, **entry_without(entry, "generation"))
    except TypeError as exc:
        raise ConfigError(f"{where}: model '{name}': {exc}") from None
    if spec.role not in ("summarizer", "translator"):
        raise ConfigError(f"{where}: model '{name}' has role '{spec.role}'")
    if spec.backend not in BACKENDS:
        raise ConfigError(f"{where}: model '{name}' has unknown backend '{spec.backend}'")
    if spec.backend != "extractive" and not spec.source:
        raise ConfigError(f"{where}: model '{name}' needs a 'source' (Hub id or directory)")
    if spec.family in ("t5", "mt5") and spec.role == "summarizer" and spec.max_input_tokens < 16:
        raise ConfigError(f"{where}: model '{name}' max_input_tokens is too small")
    if spec.max_input_tokens < 8 or generation.max_new_tokens < 1 or generation.num_beams < 1:
        raise ConfigError(f"{where}: model '{name}' has non-positive limits")
    if spec.vocab_shortlist:
        _check_shortlist(spec, where)
    if spec.source and spec.source.startswith(("./", "../")):
        spec = replace(spec, source=str((base / spec.source).resolve()))
    return spec


def _check_shortlist(spec: ModelSpec, where: str) -> None:
    if not isinstance(spec.vocab_shortlist, int) or spec.vocab_shortlist < 256:
        raise ConfigError(
            f"{where}: model '{spec.name}' vocab_shortlist must be 0 (off) or at least 256"
        )
    if spec.backend != "ctranslate2":
        raise ConfigError(
            f"{where}: model '{spec.name}' vocab_shortlist needs backend: ctranslate2"
        )
    if spec.role != "summarizer" or spec.source_lang != spec.target_lang:
        # The shortlist lets input pieces through as output pieces: only right when the
        # output is in the input's language.
        raise ConfigError(
            f"{where}: model '{spec.name}' vocab_shortlist is for same-language summarizers"
        )


def entry_without(entry: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k not in keys}
