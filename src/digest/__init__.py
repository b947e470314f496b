"""digest: bilingual (German/English) digests and translations of German news articles.

from digest import load_config, load_models, load_article, summarize
config = load_config()                      # models.yaml
models = load_models(config, summarizer="extractive", translator=None)
[result] = summarize(load_article("article.txt"), models, DigestOptions(to=()))
"""

from digest.article import article_from_text, load_article
from digest.backends.base import ModelInfo, RuntimeOptions
from digest.config import GenerationSettings, ModelsConfig, ModelSpec, load_config
from digest.document import Article, Block, DroppedLine, Section, Sentence
from digest.errors import (
    ConfigError,
    DigestError,
    InputError,
    ModelError,
    ModelNotAvailableError,
)
from digest.pipeline import Models, load_models, summarize, translate
from digest.results import (
    BiText,
    Bullet,
    DigestOptions,
    DigestResult,
    Flag,
    SectionSummary,
    TranslatedBlock,
    TranslatedSentence,
    TranslateOptions,
    TranslationResult,
)
from digest.writers import get_writer

__all__ = [
    "Article",
    "BiText",
    "Block",
    "Bullet",
    "ConfigError",
    "DigestError",
    "DigestOptions",
    "DigestResult",
    "DroppedLine",
    "Flag",
    "GenerationSettings",
    "InputError",
    "ModelError",
    "ModelInfo",
    "ModelNotAvailableError",
    "ModelSpec",
    "Models",
    "ModelsConfig",
    "RuntimeOptions",
    "Section",
    "SectionSummary",
    "Sentence",
    "TranslateOptions",
    "TranslatedBlock",
    "TranslatedSentence",
    "TranslationResult",
    "article_from_text",
    "get_writer",
    "load_article",
    "load_config",
    "load_models",
    "summarize",
    "translate",
]
