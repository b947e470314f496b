from digest.writers.base import (
    FORMATS,
    ResultWriter,
    atomic_write_text,
    expand_formats,
    get_writer,
    output_name,
    resolve_output,
)

__all__ = [
    "FORMATS",
    "ResultWriter",
    "atomic_write_text",
    "expand_formats",
    "get_writer",
    "output_name",
    "resolve_output",
]
