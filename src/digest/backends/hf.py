"""transformers seq2seq engine: AutoTokenizer + AutoModelForSeq2SeqLM + generate.

transformers 5.x has no summarization/translation pipelines, so batching, sorting and
length control live here.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest.backends.base import Score, TokenizedModel, token_budget_batches
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


class TransformersModel(TokenizedModel):
    """One loaded model; reuse it for every article of a run."""

    def __init__(self, spec: ModelSpec, runtime: RuntimeOptions = RuntimeOptions()) -> None:
        if runtime.quantize == "int8":
            # torch's dynamic int8 (torch.ao) is deprecated; int8 is CTranslate2's.
            raise ConfigError(
                "{quantize} int8 runs on the ctranslate2 engine: use {backend} auto or ctranslate2"
            )
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
        self.model: Any = model.to(device)
        self.device = device
        self.spec = spec
        self.max_input_tokens = spec.max_input_tokens
        self.generation = spec.generation
        # vocab_shortlist is a CTranslate2 option: transformers scores the whole vocabulary.
        self.info = loaded_info(
            spec, resolved, backend="hf", device=device, dtype=dtype, vocab_shortlist=0
        )

    def _generate(
        self, ids: list[list[int]], settings: GenerationSettings, *, scored: bool
    ) -> tuple[list[list[int]], list[Score]]:
        """Token ids per input (no start token, cut before the end token) and scores."""
        import torch

        eos = self.model.generation_config.eos_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos])
        # Padding is never a real output (opus-mt bans it too); banning it in both engines
        # keeps them equal when the start token is the pad (Marian, T5).
        pad = self.tokenizer.pad_token_id
        suppress = [pad] if pad is not None and pad not in eos_ids else None
        outputs: list[list[int]] = [[] for _ in ids]
        scores: list[Score] = [(None, 0)] * len(ids)
        with torch.inference_mode():
            for batch in token_budget_batches(
                [len(x) for x in ids], self.spec.batch_tokens, self.spec.max_batch_size
            ):
                enc = self.tokenizer.pad(
                    {"input_ids": [ids[i] for i in batch]}, return_tensors="pt"
                ).to(self.device)
                tracker = ScoreTracker(self.model, settings.num_beams, eos_ids) if scored else None
                try:
                    generated = self._model_generate(enc, settings, suppress, tracker)
                finally:
                    if tracker is not None:
                        tracker.close()
                for i, row in zip(batch, generated.tolist(), strict=True):
                    outputs[i] = _content(row[1:], eos_ids)  # row[0] is the decoder start
                    if tracker is not None:
                        k = len(outputs[i]) + 1  # start token and content
                        scores[i] = tracker.mean(batch.index(i), row[: k + 1])
        return outputs, scores

    def _model_generate(
        self,
        enc: Any,
        settings: GenerationSettings,
        suppress: list[int] | None,
        tracker: ScoreTracker | None,
    ) -> Any:
        return self.model.generate(
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
            logits_processor=[tracker] if tracker is not None else None,
        )


class ScoreTracker:
    """Scores generated tokens with the model's own probabilities during generate.

    A forward hook keeps each decoding step's log-softmax (before any logits processor:
    penalties, forced tokens and banned n-grams do not change the recorded value); a logits
    processor called right after it sees which prefix each row holds, so the token a row
    chose at the previous step is scored at the next one. Finished hypotheses are scored by
    their end token's probability, kept per prefix. No extra pass over the model.
    """

    def __init__(self, model: Any, num_beams: int, eos_ids: set[int]) -> None:
        self.num_beams = max(1, num_beams)
        self.eos_ids = sorted(eos_ids)
        self.latest: Any = None  # log-probs of the step being decoded (rows x vocab)
        self.cum: dict[tuple[int, ...], tuple[float, int]] = {}  # (item, *prefix) -> sum, n
        self.eos_lp: dict[tuple[int, ...], float] = {}
        self.rows: dict[tuple[int, ...], int] = {}  # prefixes of the last step -> row
        self.last: Any = None  # that step's log-probs
        self._hook = model.register_forward_hook(self._on_forward)

    def _on_forward(self, module: Any, args: Any, output: Any) -> None:
        import torch

        self.latest = torch.log_softmax(output.logits[:, -1, :].float(), dim=-1)

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        rows = input_ids.tolist()
        keys = [(r // self.num_beams, *row) for r, row in enumerate(rows)]
        for key in keys:
            if key in self.cum:
                continue
            parent = key[:-1]
            total, n = self.cum.get(parent, (0.0, 0))
            if parent in self.rows:
                total += float(self.last[self.rows[parent], key[-1]])
                n += 1
            self.cum[key] = (total, n)
        eos = self.latest[:, self.eos_ids].max(dim=-1).values.tolist() if self.eos_ids else []
        for r, key in enumerate(keys):
            if eos:
                self.eos_lp[key] = eos[r]
        self.rows = {key: r for r, key in enumerate(keys)}
        self.last = self.latest
        return scores

    def mean(self, item: int, sequence: Sequence[int]) -> tuple[float | None, int]:
        """Mean log-probability of a generated sequence (start token first, end token last
        if one was generated) and the number of tokens it is over."""
        prefix = (item, *sequence[:-1])
        if prefix not in self.cum or len(sequence) < 2:
            return None, 0
        total, n = self.cum[prefix]
        token = sequence[-1]
        if token in self.eos_ids and prefix in self.eos_lp:
            total += self.eos_lp[prefix]
        elif prefix in self.rows:
            total += float(self.last[self.rows[prefix], token])
        else:
            return None, 0
        return total / (n + 1), n + 1

    def close(self) -> None:
        self._hook.remove()


def _content(row: list[int], eos_ids: set[int]) -> list[int]:
    for k, token in enumerate(row):
        if token in eos_ids:
            return row[:k]
    return row
