"""Feeds: RSS and Atom items resolved, deduplicated, newest first; --since and --max-items."""

from __future__ import annotations

from datetime import UTC, datetime

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
