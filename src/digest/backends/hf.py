"""transformers seq2seq engine: AutoTokenizer + AutoModelForSeq2SeqLM + generate.

transformers 5.x has no summarization/translation pipelines, so batching, sorting and
length control live here.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest.backends.base import TokenizedEngine
from digest.backends.resolve import loaded_info, offline_requested, resolve_model
from digest.config import GenerationSettings, ModelSpec
from digest.errors import ConfigError, ModelError
from digest.options import RuntimeOptions

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

# T5/mT5 activations overflow in fp16 (NaN/inf); bf16 keeps fp32's range.
NO_FP16_FAMILIES = frozenset({"t5", "mt5", "other"})


def pick_device(preference: str) -> str:
    import torch

    if preference == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return "mps"
        return "cpu"
    if preference == "cuda" and not torch.cuda.is_available():
        raise ConfigError("{device} cuda requested but CUDA is not available")
    if preference == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise ConfigError("{device} mps requested but MPS is not available")
    return preference


def pick_dtype(family: str, device: str, preference: str) -> str:
    """fp32 on CPU; bf16 on CUDA for T5-like models; fp16 allowed for Marian."""
    if preference == "fp16" and family in NO_FP16_FAMILIES:
        raise ConfigError(f"fp16 is unsafe for {family} models (overflow to NaN): use bf16 or fp32")
    if preference != "auto":
        return preference
    if device == "cuda":
        import torch

        if torch.cuda.is_bf16_supported():
            return "bf16"
        return "fp32" if family in NO_FP16_FAMILIES else "fp16"
    if device == "mps" and family not in NO_FP16_FAMILIES:
        return "fp16"
    return "fp32"


def _torch_dtype(name: str) -> torch.dtype:
    import torch

    return {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[name]


def load_failure(exc: BaseException, model_dir: Path) -> str:
    """Why a model folder did not load, in one line (torch's pickle refusal runs to ten)."""
    if isinstance(exc, pickle.UnpicklingError):
        pickles = sorted(p.name for p in model_dir.glob("*.bin")) or ["its .bin weights"]
        return (
            f"{', '.join(pickles)} holds more than plain tensors, so torch refuses to unpickle "
            "it (weights_only); use the model's model.safetensors, or convert the file to "
            "safetensors where you trust it"
        )
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    if len(text) > _MAX_REASON:
        text = text[: _MAX_REASON - 3].rstrip() + "..."
    return text or type(exc).__name__


_MAX_REASON = 300  # characters of a loader's message kept in the one-line error


class HFSeq2Seq(TokenizedEngine):
    """One loaded model; reuse it for every article of a run."""

    def __init__(self, spec: ModelSpec, runtime: RuntimeOptions = RuntimeOptions()) -> None:
        if spec.vocab_shortlist:  # models.yaml refuses it too; this guards the library API
            raise ConfigError(f"model '{spec.name}' vocab_shortlist needs backend: ctranslate2")
        resolved = resolve_model(
            spec, offline=runtime.offline, progress=runtime.show_progress
        )  # before importing torch: the offline error must be fast
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        if runtime.threads:
            torch.set_num_threads(runtime.threads)
        device = pick_device(runtime.device)
        dtype = pick_dtype(spec.family, device, runtime.dtype)
        local_only = resolved.origin != "download" or offline_requested(runtime.offline)
        try:
            # trust_remote_code=False: never run a model's own code, never ask on a terminal.
            self.tokenizer: Any = AutoTokenizer.from_pretrained(
                resolved.path, local_files_only=local_only, trust_remote_code=False
            )
            model: Any = AutoModelForSeq2SeqLM.from_pretrained(
                resolved.path,
                dtype=_torch_dtype(dtype),
                local_files_only=local_only,
                trust_remote_code=False,
            )
        except (OSError, ValueError, pickle.UnpicklingError) as exc:
            raise ModelError(
                f"model '{spec.name}' at {resolved.path} failed to load: "
                f"{load_failure(exc, resolved.path)}"
            ) from exc
        model.eval()
        quantize = "none"
        if runtime.quantize == "int8":
            if device != "cpu":
                raise ConfigError("{quantize} int8 is a CPU option; use bf16/fp16 on a GPU")
            model = _quantize_int8(model)
            quantize = "int8"
        self.model: Any = model.to(device)
        self.device = device
        self.spec = spec
        self.max_input_tokens = spec.max_input_tokens
        self.generation = spec.generation
        self.info = loaded_info(
            spec, resolved, backend="hf", device=device, dtype=dtype, quantize=quantize
        )

    def _generate_ids(self, ids: list[list[int]], settings: GenerationSettings) -> list[list[int]]:
        """Token ids per input (no start token, cut before the end token)."""
        import torch

        eos = self.model.generation_config.eos_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos])
        # Padding is never a real output (opus-mt bans it too); banning it in both engines
        # keeps them equal when the start token is the pad (Marian, T5).
        pad = self.tokenizer.pad_token_id
        suppress = [pad] if pad is not None and pad not in eos_ids else None
        outputs: list[list[int]] = [[] for _ in ids]
        with torch.inference_mode():
            for batch in token_budget_batches(
                [len(x) for x in ids], self.spec.batch_tokens, self.spec.max_batch_size
            ):
                enc = self.tokenizer.pad(
                    {"input_ids": [ids[i] for i in batch]}, return_tensors="pt"
                ).to(self.device)
                generated = self.model.generate(
                    **enc,
                    num_beams=settings.num_beams,
                    max_new_tokens=settings.max_new_tokens,
                    min_new_tokens=settings.min_new_tokens or None,
                    max_length=None,  # the checkpoint's max_length would fight max_new_tokens
                    no_repeat_ngram_size=settings.no_repeat_ngram_size or None,
                    length_penalty=settings.length_penalty,
                    repetition_penalty=settings.repetition_penalty,
                    early_stopping=True if settings.num_beams > 1 else None,
                    do_sample=False,
                    suppress_tokens=suppress,
                )
                for i, row in zip(batch, generated.tolist(), strict=True):
                    outputs[i] = _content(row[1:], eos_ids)  # row[0] is the decoder start
        return outputs


def _content(row: list[int], eos_ids: set[int]) -> list[int]:
    for k, token in enumerate(row):
        if token in eos_ids:
            return row[:k]
    return row


def token_budget_batches(
    lengths: Sequence[int], budget: int, max_batch: int
) -> Iterator[list[int]]:
    """Indices sorted by length, grouped so that padded size (n * longest) stays in budget.

    Sorting keeps padding small; each batch is at least one item even over budget.
    """
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batch: list[int] = []
    longest = 0
    for i in order:
        new_longest = max(longest, lengths[i])
        if batch and (new_longest * (len(batch) + 1) > budget or len(batch) >= max_batch):
            yield batch
            batch, new_longest = [], lengths[i]
        batch.append(i)
        longest = new_longest
    if batch:
        yield batch


def _quantize_int8(model: Any) -> Any:
    import torch

    # Dynamic int8 on Linear layers: ~2x on CPU. lm_head is kept in fp32 to protect quality.
    lm_head = getattr(model, "lm_head", None)
    quantized = torch.ao.quantization.quantize_dynamic(
        model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
    )  # in place: a copy would double peak memory
    if lm_head is not None:
        quantized.lm_head = lm_head
    return quantized
