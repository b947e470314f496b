"""CTranslate2's transformers converter, adjusted for transformers 5.x T5/mT5 configs.

CTranslate2 4.x decides whether T5 decoder outputs are scaled by d_model**-0.5 from
`config.tie_word_embeddings`. transformers 5.x always sets that flag to True for T5/mT5
and keeps the real decision elsewhere: T5 in `config.scale_decoder_outputs`, mT5 never
scales. Left alone, the converted model's logits are scaled wrongly: greedy output still
matches (the arg-max is unchanged) but beam search scores, and so beam output, differ.
We set the flag to what transformers actually computes before the spec is built.
"""

from __future__ import annotations

from typing import Any

from ctranslate2.converters import TransformersConverter


def decoder_output_is_scaled(model: Any) -> bool:
    """Whether transformers multiplies T5 decoder outputs by d_model**-0.5 for this model."""
    config = model.config
    if config.model_type == "mt5":
        return False
    scale = getattr(config, "scale_decoder_outputs", None)
    return bool(config.tie_word_embeddings if scale is None else scale)


class DigestConverter(TransformersConverter):
    def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
        # CTranslate2 passes the flag only when it is True; transformers would then ask.
        kwargs["trust_remote_code"] = False
        model = super().load_model(model_class, model_name_or_path, **kwargs)
        if getattr(model.config, "model_type", "") in ("t5", "mt5"):
            # Only read by CTranslate2's T5 loader, after the weights are already loaded.
            model.config.tie_word_embeddings = decoder_output_is_scaled(model)
        return model

    def load_tokenizer(self, tokenizer_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
        kwargs["trust_remote_code"] = False
        return super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs)
