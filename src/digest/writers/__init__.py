"""Results in, text out (Markdown, JSON, HTML, plain text); files written atomically."""

from digest.writers.base import ResultWriter, atomic_write_text
from digest.writers.registry import (
    FORMATS,
    expand_formats,
    get_writer,
    output_name,
    render,
    resolve_output,
)

__all__ = [
    "FORMATS",
    "ResultWriter",
    "atomic_write_text",
    "expand_formats",
    "get_writer",
    "output_name",
    "render",
    "resolve_output",
]
