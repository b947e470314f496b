"""Articles and a translator in, :class:`TranslationResult` out: units, markup, glossary."""

from digest.translate.article import translate

__all__ = ["translate"]
