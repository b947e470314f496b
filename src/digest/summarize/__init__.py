"""Articles and models in, a :class:`DigestResult` each out: summarizer strategies, assembly."""

from digest.summarize.assemble import MAX_BULLETS, MIN_BULLETS, summarize

__all__ = ["MAX_BULLETS", "MIN_BULLETS", "summarize"]
