"""models.yaml: the model table. Loaded once (by the CLI or the caller) and passed down."""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import ErrorDetails

from digest.errors import ConfigError

Role = Literal["summarizer", "translator"]
Backend = Literal["auto", "hf", "extractive", "ctranslate2", "fake"]
BACKENDS = ("auto", "hf", "extractive", "ctranslate2", "fake")
NEURAL_BACKENDS = ("auto", "hf", "ctranslate2")
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
    # auto: CTranslate2 on CPU, transformers on CUDA/MPS (digest.backends.choose_backend)
    backend: Backend = "auto"
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
    # The ctranslate2 engine only. The model is converted once from the Hugging Face files;
    # ct2_dir is where converted models are kept (default: $DIGEST_CT2_CACHE, else
    # digest-ct2/ next to the Hugging Face hub cache).
    ct2_compute_type: str = "int8"  # int8 | int8_float32 | float32 | int8_float16 | bfloat16 ...
    ct2_dir: str = ""
    # The ctranslate2 engine, summarizers only: score only the input's pieces plus this many
    # always-allowed pieces per decoding step instead of the whole output vocabulary
    # (see digest.backends.shortlist). 0 = the whole vocabulary. Ignored on transformers.
    vocab_shortlist: int = 0

    @property
    def needs_weights(self) -> bool:
        return self.backend in NEURAL_BACKENDS

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
            if (spec.source_lang, spec.target_lang) != (src, tgt):
                raise ConfigError(
                    f"model '{name_or_path}' in {self.path} works {spec.source_lang}->"
                    f"{spec.target_lang}, not {src}->{tgt}"
                )
            return spec
        path = Path(name_or_path).expanduser()
        if path.is_dir():
            return spec_from_directory(path, role, src, tgt)
        known = ", ".join(sorted(n for n, s in self.models.items() if s.role == role))
        raise ConfigError(
            f"'{name_or_path}' is neither a {role} in {self.path} ({known}) nor a model directory"
        )


_OPUS_NAME = re.compile(r"opus-mt-([a-z]{2,3})-([a-z]{2,3})$")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path} is not readable JSON: {exc}") from None
    return data if isinstance(data, dict) else {}


def directory_languages(path: Path, config: dict[str, Any]) -> tuple[str, str] | None:
    """(source, target) of a model directory, when its files say so; None when unknown.

    Marian tokenizers save ``source_lang``/``target_lang``; mBART/NLLB-style ones
    ``src_lang``/``tgt_lang`` (``de_DE``, ``deu_Latn``: the language part is kept); failing
    that, an OPUS-MT name (``opus-mt-de-en``) of the directory or of ``_name_or_path``.
    """
    tok_file = path / "tokenizer_config.json"
    tok = _read_json(tok_file) if tok_file.is_file() else {}
    for a, b in (("source_lang", "target_lang"), ("src_lang", "tgt_lang")):
        if isinstance(tok.get(a), str) and isinstance(tok.get(b), str):
            return _lang(tok[a]), _lang(tok[b])
    for name in (path.name, str(config.get("_name_or_path", ""))):
        m = _OPUS_NAME.search(name.lower())
        if m:
            return m.group(1), m.group(2)
    return None


def _lang(tag: str) -> str:
    """``de``, ``de_DE``, ``deu_Latn`` -> the language part, lower case."""
    code = re.split(r"[_-]", tag.strip())[0].lower()
    return {"deu": "de", "eng": "en", "fra": "fr"}.get(code, code)


def spec_from_directory(path: Path, role: Role, src: str = "de", tgt: str = "en") -> ModelSpec:
    """A spec for a bare model directory given on the command line.

    Its languages must be known and match: a translator directory whose files do not name
    its language pair is refused (a models.yaml entry states them instead); a summarizer
    directory is refused only when its files name another language.
    """
    cfg_file = path / "config.json"
    if not cfg_file.is_file():
        raise ConfigError(f"{path} is not a model directory (no config.json)")
    config = _read_json(cfg_file)
    model_type = str(config.get("model_type", ""))
    family = model_type if model_type in SUPPORTED_FAMILIES else "other"
    tgt = tgt if role == "translator" else src
    langs = directory_languages(path, config)
    if langs is None and role == "translator":
        raise ConfigError(
            f"{path}: cannot tell which languages this model translates (its "
            "tokenizer_config.json names none): add a models.yaml entry for it with "
            f"source_lang: {src} and target_lang: {tgt}, and pass that name"
        )
    if langs is not None and langs != (src, tgt):
        what = "translates" if role == "translator" else "summarizes"
        raise ConfigError(f"{path} {what} {langs[0]}->{langs[1]}, not {src}->{tgt}")
    generation = GenerationSettings(max_new_tokens=256 if role == "translator" else 128)
    return ModelSpec(
        name=path.name,
        role=role,
        source=str(path.resolve()),
        revision="local",
        family=family,
        source_lang=src,
        target_lang=tgt,
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


# The schema of models.yaml, checked in full when the file is read: types (strict, so
# `num_beams: four` or `4.5` is refused rather than coerced), ranges, and unknown keys at
# every level. Defaults live in the dataclasses above; these models only validate.
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _GenerationEntry(_Strict):
    num_beams: int = Field(4, ge=1, le=64)
    max_new_tokens: int = Field(256, ge=1, le=8192)
    min_new_tokens: int = Field(0, ge=0)
    no_repeat_ngram_size: int = Field(0, ge=0)
    length_penalty: float = 1.0
    repetition_penalty: float = Field(1.0, gt=0)


LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


class _ModelEntry(_Strict):
    role: Literal["summarizer", "translator"]
    backend: Literal["auto", "hf", "extractive", "ctranslate2", "fake"] = "auto"
    source: str = ""
    revision: str = "main"
    family: Literal["marian", "t5", "mt5", "bart", "mbart", "pegasus", "other"] = "other"
    source_lang: LangCode = "de"
    target_lang: LangCode = "de"
    max_input_tokens: int = Field(512, ge=8, le=1_000_000)
    prefix: str = ""
    licence: str = "unknown"
    description: str = ""
    batch_tokens: int = Field(4096, ge=1)
    max_batch_size: int = Field(64, ge=1)
    generation: _GenerationEntry | None = None
    ct2_compute_type: str = "int8"
    ct2_dir: str = ""
    vocab_shortlist: int = Field(0, ge=0)


class _Defaults(_Strict):
    summarizer: str = "extractive"
    translators: dict[LangCode, str] | None = None


class _ModelsFile(_Strict):
    version: Literal[1] = 1  # the format of this file; absent means 1
    defaults: _Defaults | None = None
    models: dict[str, _ModelEntry]


def _model_keys(model: type[BaseModel]) -> list[str]:
    return sorted(model.model_fields)


def _schema_of(loc: tuple[int | str, ...]) -> type[BaseModel]:
    """The schema model whose keys an error location points into."""
    model: type[BaseModel] = _ModelsFile
    steps = list(loc[:-1])
    while steps:
        key = steps.pop(0)
        if model is _ModelsFile and key == "models" and steps:
            steps.pop(0)  # the entry's name
            model = _ModelEntry
        elif model is _ModelEntry and key == "generation":
            model = _GenerationEntry
        elif model is _ModelsFile and key == "defaults":
            model = _Defaults
        else:
            break
    return model


def _error_line(where: str, err: ErrorDetails, count: int) -> str:
    """One pydantic error as 'FILE: key.path: problem (value)'; the first of ``count``."""
    loc = tuple(err["loc"])
    key = ".".join(str(p) for p in loc) or "(top level)"
    more = f" (and {count - 1} more problem(s))" if count > 1 else ""
    if err["type"] == "extra_forbidden":
        known = _model_keys(_schema_of(loc))
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"{where}: unknown key '{key}' ({hint}known here: {', '.join(known)}){more}"
    if err["type"] == "missing":
        return f"{where}: '{key}' is missing{more}"
    if err["type"] in ("model_type", "model_attributes_type", "dict_type"):
        return f"{where}: {key}: must be a mapping (key: value lines), got {err['input']!r}{more}"
    msg = err["msg"].removeprefix("Value error, ")
    msg = msg[:1].lower() + msg[1:]
    return f"{where}: {key}: {msg}, got {err['input']!r}{more}"


def parse_config(raw: Any, cfg_path: Path) -> ModelsConfig:
    where = str(cfg_path)
    if not isinstance(raw, dict) or "models" not in raw:
        raise ConfigError(f"{where}: expected a mapping with a 'models:' table")
    try:
        parsed = _ModelsFile.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        raise ConfigError(_error_line(where, errors[0], len(errors))) from None
    base = cfg_path.resolve().parent
    models: dict[str, ModelSpec] = {}
    for name, entry in parsed.models.items():
        models[name] = _build_spec(name, entry, base, where)
    defaults = parsed.defaults or _Defaults()
    translators = dict(defaults.translators or {})
    refs = [("defaults.summarizer", defaults.summarizer, "summarizer")]
    refs += [(f"defaults.translators.{lang}", n, "translator") for lang, n in translators.items()]
    for key, ref, role in refs:
        if ref not in models:
            raise ConfigError(f"{where}: {key}: model '{ref}' is not defined under 'models'")
        if models[ref].role != role:
            raise ConfigError(f"{where}: {key}: '{ref}' is a {models[ref].role}, not a {role}")
    for lang, ref in translators.items():
        if models[ref].target_lang != lang:
            raise ConfigError(
                f"{where}: defaults.translators.{lang}: '{ref}' translates into "
                f"'{models[ref].target_lang}', not '{lang}'"
            )
    return ModelsConfig(where, models, defaults.summarizer, translators)


def _build_spec(name: str, entry: _ModelEntry, base: Path, where: str) -> ModelSpec:
    fields_set = entry.model_dump(exclude_unset=True, exclude={"generation"})
    gen = entry.generation.model_dump(exclude_unset=True) if entry.generation else {}
    spec = ModelSpec(name=name, generation=GenerationSettings(**gen), **fields_set)
    key = f"models.{name}"
    if spec.backend != "extractive" and not spec.source:
        raise ConfigError(f"{where}: {key}: needs a 'source' (Hub id or directory)")
    if spec.family in ("t5", "mt5") and spec.role == "summarizer" and spec.max_input_tokens < 16:
        raise ConfigError(f"{where}: {key}.max_input_tokens: too small for a t5 summarizer")
    if spec.generation.min_new_tokens > spec.generation.max_new_tokens:
        raise ConfigError(
            f"{where}: {key}.generation: min_new_tokens {spec.generation.min_new_tokens} "
            f"is above max_new_tokens {spec.generation.max_new_tokens}"
        )
    if spec.role == "summarizer" and spec.source_lang != spec.target_lang:
        raise ConfigError(
            f"{where}: {key}: a summarizer writes in its input's language "
            f"(source_lang {spec.source_lang}, target_lang {spec.target_lang})"
        )
    if spec.vocab_shortlist:
        _check_shortlist(spec, where)
    if spec.source and spec.source.startswith(("./", "../")):
        spec = replace(spec, source=str((base / spec.source).resolve()))
    return spec


def _check_shortlist(spec: ModelSpec, where: str) -> None:
    key = f"{where}: models.{spec.name}.vocab_shortlist"
    if spec.vocab_shortlist < 256:
        raise ConfigError(f"{key}: must be 0 (off) or at least 256, got {spec.vocab_shortlist}")
    if spec.backend not in ("auto", "ctranslate2"):
        raise ConfigError(f"{key}: vocab_shortlist needs backend: auto or ctranslate2")
    if spec.role != "summarizer" or spec.source_lang != spec.target_lang:
        # The shortlist lets input pieces through as output pieces: only right when the
        # output is in the input's language.
        raise ConfigError(f"{key}: vocab_shortlist is for same-language summarizers")
