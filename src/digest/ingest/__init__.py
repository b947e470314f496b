"""Bytes (a file, stdin or a fetched URL) in, an :class:`Article` out: charset, txt/md/html
parsing, metadata, boilerplate; URL fetching and feed items for the batch planner."""

from digest.ingest.article import article_from_text, load_article
from digest.ingest.document import Article, Block, DroppedLine, Section, Sentence

__all__ = [
    "Article",
    "Block",
    "DroppedLine",
    "Section",
    "Sentence",
    "article_from_text",
    "load_article",
]
