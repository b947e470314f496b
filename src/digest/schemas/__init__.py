"""The JSON Schema of digest's JSON output, shipped inside the package."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

SCHEMA_FILE = "digest.schema.json"


def schema_path() -> Path:
    """Where the schema file lies (inside the installed package)."""
    return Path(str(resources.files(__package__).joinpath(SCHEMA_FILE)))


def load_schema() -> dict[str, Any]:
    """The schema for both kinds of output: digest and translation (told apart by `kind`)."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
