"""JSON: the whole typed result, structure and provenance included.

The format is described by digest/schemas/digest.schema.json (JSON Schema 2020-12).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from digest.writers.base import Result


def to_jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: to_jsonable(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if not (f.metadata.get("json_omit_none") and getattr(obj, f.name) is None)
        }
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    return obj


def to_json(result: Result) -> str:
    return json.dumps(to_jsonable(result), ensure_ascii=False, indent=2) + "\n"
