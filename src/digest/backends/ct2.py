"""CTranslate2 engine: the same Hugging Face model directory, converted once and cached.

The tokenizer is the model's own (transformers), so token counts, limits and decoding are
identical to the transformers engine; only the forward passes run in CTranslate2.
Generation settings map 1:1 onto CTranslate2's options (see ct2_options).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digest.backends.base import CT2UnavailableError, Score, TokenizedModel, token_budget_batches
from digest.backends.hf import NO_FP16_FAMILIES, load_failure
from digest.backends.resolve import ResolvedModel, hub_cache_dir, loaded_info, resolve_model
from digest.backends.shortlist import ct2_vocabulary, write_vmap
from digest.config import GenerationSettings, ModelSpec
from digest.errors import ConfigError, ModelError
from digest.options import Quantize, RuntimeOptions

ENV_CT2_CACHE = "DIGEST_CT2_CACHE"
# Weight formats the converter can store; other compute types convert from int8 at load.
_STORED = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16")
_FROM_DTYPE = {"fp32": "float32", "bf16": "bfloat16", "fp16": "float16"}


@dataclass(frozen=True)
class CT2Options:
    """CTranslate2's translate_batch arguments for one GenerationSettings."""

    beam_size: int
    max_decoding_length: int
    min_decoding_length: int
    no_repeat_ngram_size: int
    length_penalty: float
    repetition_penalty: float


def ct2_options(settings: GenerationSettings, forced_eos: bool) -> CT2Options:
    """Map settings so both engines produce the same number of content tokens.

    transformers counts the end token in max_new_tokens when the model forces it at the
    limit (Marian's forced_eos_token_id); CTranslate2 never forces it, so one fewer.
    """
    max_len = max(1, settings.max_new_tokens - (1 if forced_eos else 0))
    return CT2Options(
        beam_size=settings.num_beams,
        max_decoding_length=max_len,
        min_decoding_length=min(settings.min_new_tokens, max_len),
        no_repeat_ngram_size=settings.no_repeat_ngram_size,
        length_penalty=settings.length_penalty,
        repetition_penalty=settings.repetition_penalty,
    )


def ct2_cache_root(spec: ModelSpec) -> Path:
    if spec.ct2_dir:
        return Path(spec.ct2_dir).expanduser()
    env = os.environ.get(ENV_CT2_CACHE)
    if env:
        return Path(env).expanduser()
    # Next to the HF hub cache: copying $HF_HOME to an offline machine carries both.
    return hub_cache_dir().parent / "digest-ct2"


def stored_quantization(compute_type: str) -> str:
    return compute_type if compute_type in _STORED else "float32"


def converted_path(spec: ModelSpec, resolved: ResolvedModel, compute_type: str) -> Path:
    safe_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in spec.name)
    shortlist = f"-vmap{spec.vocab_shortlist}" if spec.vocab_shortlist else ""
    return (
        ct2_cache_root(spec)
        / f"{safe_name}-{resolved.commit[:24]}-{stored_quantization(compute_type)}{shortlist}"
    )


def convert_model(
    hf_dir: Path,
    out_dir: Path,
    quantization: str,
    *,
    name: str,
    progress: bool,
    shortlist: int = 0,
    tokenizer: Any = None,
) -> Path:
    """Convert a transformers model directory once; atomic (temp folder + rename).

    With `shortlist`, the folder also gets the vocabulary map built from `tokenizer`.
    """
    if (out_dir / "model.bin").is_file():
        return out_dir
    from digest.backends.ct2_convert import DigestConverter

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    if progress:
        print(
            f"converting model '{name}' to CTranslate2 ({quantization}) -> {out_dir} "
            "(once; later runs reuse it)",
            file=sys.stderr,
        )
    t0 = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        DigestConverter(str(hf_dir), trust_remote_code=False).convert(
            str(tmp), quantization=quantization, force=True
        )
        if shortlist:
            write_vmap(tmp, tokenizer, shortlist)
        try:
            tmp.rename(out_dir)
        except OSError:
            if not (out_dir / "model.bin").is_file():  # not another process winning the race
                raise
    except Exception as exc:
        why = load_failure(exc, hf_dir)
        raise CT2UnavailableError(
            f"model '{name}': conversion to CTranslate2 failed: {why}"
        ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        print(f"converted '{name}' in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return out_dir


def _pick_ct2_device(preference: str) -> str:
    import ctranslate2

    has_cuda = ctranslate2.get_cuda_device_count() > 0
    if preference == "auto":
        return "cuda" if has_cuda else "cpu"
    if preference == "cuda" and not has_cuda:
        raise ConfigError("{device} cuda requested but CTranslate2 sees no CUDA device")
    if preference == "mps":
        raise ConfigError("the ctranslate2 backend has no MPS support: use {device} cpu")
    return preference


def _compute_type(spec: ModelSpec, runtime: RuntimeOptions, device: str) -> str:
    import ctranslate2

    wanted = spec.ct2_compute_type
    if runtime.dtype != "auto":
        if runtime.dtype == "fp16" and spec.family in NO_FP16_FAMILIES:
            raise ConfigError(f"fp16 is unsafe for {spec.family} models: use bf16 or fp32")
        wanted = _FROM_DTYPE[runtime.dtype]
    if runtime.quantize == Quantize.INT8:
        wanted = "int8"  # the engine's own int8 (with float activations on a GPU, below)
    if wanted == "int8" and device == "cuda":
        wanted = "int8_bfloat16" if spec.family in NO_FP16_FAMILIES else "int8_float16"
    supported = ctranslate2.get_supported_compute_types(device)
    if wanted not in supported and wanted not in ("auto", "default"):
        raise ConfigError(
            f"model '{spec.name}': CTranslate2 compute type {wanted} is not supported on "
            f"{device} (supported: {', '.join(sorted(supported))})"
        )
    return wanted


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class CTranslate2Model(TokenizedModel):
    """One CTranslate2 translator plus the model's transformers tokenizer."""

    def __init__(self, spec: ModelSpec, runtime: RuntimeOptions = RuntimeOptions()) -> None:
        resolved = resolve_model(spec, offline=runtime.offline, progress=runtime.show_progress)
        try:
            import ctranslate2
        except ImportError as exc:
            raise CT2UnavailableError(f"CTranslate2 cannot be imported ({exc})") from None
        from transformers import AutoTokenizer

        device = _pick_ct2_device(runtime.device)
        compute_type = _compute_type(spec, runtime, device)
        path = converted_path(spec, resolved, compute_type)
        try:
            self.tokenizer: Any = AutoTokenizer.from_pretrained(
                resolved.path, local_files_only=True, trust_remote_code=False
            )
        except (OSError, ValueError) as exc:
            why = load_failure(exc, resolved.path)
            raise ModelError(
                f"model '{spec.name}' at {resolved.path} failed to load: {why}"
            ) from exc
        convert_model(
            resolved.path,
            path,
            stored_quantization(compute_type),
            name=spec.name,
            progress=runtime.show_progress,
            shortlist=spec.vocab_shortlist,
            tokenizer=self.tokenizer,
        )
        try:
            self.workers = cpu_workers(device, runtime.threads or _cpu_count())
            self.translator: Any = ctranslate2.Translator(
                str(path),
                device=device,
                compute_type=compute_type,
                # On CPU: one single-threaded worker per core, each decoding its own batch.
                # Small models' matrices split poorly across cores; whole batches in
                # parallel gave 1.18-1.26x the throughput of one 2-thread worker here.
                inter_threads=self.workers,
                intra_threads=1 if device == "cpu" else (runtime.threads or 0),
            )
        except (OSError, ValueError, RuntimeError) as exc:
            why = load_failure(exc, path)
            raise ModelError(f"model '{spec.name}' at {path} failed to load: {why}") from exc
        self.forced_eos = _forces_eos(resolved.path)
        pad = self.tokenizer.pad_token
        # Padding is never a real output: banned here as in TransformersModel (converted Marian
        # models have no <pad> in their vocabulary at all).
        banned = pad is not None and pad != self.tokenizer.eos_token and _in_vocab(path, pad)
        self._suppress = [[pad]] if banned else None
        self.spec = spec
        self.ct2_path = path
        self.max_input_tokens = spec.max_input_tokens
        self.generation = spec.generation
        self.info = loaded_info(
            spec,
            resolved,
            backend="ctranslate2",
            device=device,
            dtype=compute_type,
            quantize="int8" if compute_type.startswith("int8") else "none",
        )

    def _generate(
        self, ids: list[list[int]], settings: GenerationSettings, *, scored: bool
    ) -> tuple[list[list[int]], list[Score]]:
        """Token ids per input, without start and end tokens (as TransformersModel), and scores."""
        opts = ct2_options(settings, self.forced_eos)
        outputs: list[list[int]] = [[] for _ in ids]
        scores: list[Score] = [(None, 0)] * len(ids)
        # The transformers engine's batches (sorted by length, token budget), split further
        # so that every worker has one; queued at once, longest first, collected in order.
        lengths = [len(x) for x in ids]
        batches = spread_batches(
            list(token_budget_batches(lengths, self.spec.batch_tokens, self.spec.max_batch_size)),
            self.workers,
            lengths,
        )
        pending = []
        for batch in sorted(batches, key=lambda b: -len(b) * max(lengths[i] for i in b)):
            source = [self.tokenizer.convert_ids_to_tokens(ids[i]) for i in batch]
            futures = self.translator.translate_batch(
                source,
                beam_size=opts.beam_size,
                max_decoding_length=opts.max_decoding_length,
                min_decoding_length=opts.min_decoding_length,
                no_repeat_ngram_size=opts.no_repeat_ngram_size,
                length_penalty=opts.length_penalty,
                repetition_penalty=opts.repetition_penalty,
                # With scores: the end token tells how many tokens the score is over.
                return_end_token=scored,
                return_scores=scored,
                max_batch_size=0,
                suppress_sequences=self._suppress,
                use_vmap=self.spec.vocab_shortlist > 0,
                asynchronous=True,
            )
            pending.append((batch, futures))
        for batch, futures in pending:
            for i, future in zip(batch, futures, strict=True):
                result = future.result()
                tokens = result.hypotheses[0]
                if scored:
                    # The score is the sum of log-probabilities / length**length_penalty.
                    n = len(tokens)
                    if n:
                        total = result.scores[0] * n**opts.length_penalty
                        scores[i] = (total / n, n)
                    if tokens and tokens[-1] == self.tokenizer.eos_token:
                        tokens = tokens[:-1]
                outputs[i] = list(self.tokenizer.convert_tokens_to_ids(tokens))
        return outputs, scores


def cpu_workers(device: str, threads: int) -> int:
    """Parallel CTranslate2 workers: one per thread on CPU, one on a GPU."""
    return max(1, threads) if device == "cpu" else 1


def spread_batches(
    batches: list[list[int]], workers: int, lengths: Sequence[int] | None = None
) -> list[list[int]]:
    """Split batches so that parallel workers finish together.

    First every worker gets a batch (halving down to single items if need be); then the
    costliest batches (items x longest input) are halved, but not below 4 items, until there
    are at least three per worker and their number is a multiple of the workers. Queued
    costliest first, that leaves one small batch of imbalance at the end instead of a
    whole large one. Membership stays sorted by length.
    """
    out = [list(b) for b in batches]
    if workers <= 1:
        return out

    def cost(b: list[int]) -> int:
        return len(b) * max((lengths[i] for i in b), default=1) if lengths else len(b)

    def halve(min_items: int) -> bool:
        splittable = [j for j in range(len(out)) if len(out[j]) >= min_items]
        if not splittable:
            return False
        k = max(splittable, key=lambda j: cost(out[j]))
        half = (len(out[k]) + 1) // 2
        out[k : k + 1] = [out[k][:half], out[k][half:]]
        return True

    while len(out) < workers and halve(2):
        pass
    while (len(out) < 3 * workers or len(out) % workers) and halve(8):
        pass
    return out


def _forces_eos(model_dir: Path) -> bool:
    for name in ("generation_config.json", "config.json"):
        file = model_dir / name
        if file.is_file():
            try:
                value = json.loads(file.read_text(encoding="utf-8")).get("forced_eos_token_id")
            except (OSError, ValueError):
                continue
            if value is not None:
                return True
    return False


def _in_vocab(ct2_dir: Path, token: str) -> bool:
    try:
        return token in ct2_vocabulary(ct2_dir)
    except FileNotFoundError:
        return False
