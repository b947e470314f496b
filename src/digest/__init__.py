"""digest: bilingual (German/English) digests and translations of German news articles.

import digest
d = digest.load(summarizer="extractive", to="de")
result = d.summarize("samples/stadtrat-radwege.txt")
print(digest.render(result, "md"))
"""

from digest.api import Digest, load
from digest.errors import DigestError
from digest.ingest import Article, load_article
from digest.results import DigestResult, TranslationResult
from digest.writers import render

__all__ = [
    "Article",
    "Digest",
    "DigestError",
    "DigestResult",
    "TranslationResult",
    "load",
    "load_article",
    "render",
]
