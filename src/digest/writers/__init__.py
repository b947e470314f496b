from digest.writers.base import (
    ResultWriter,
    atomic_write_text,
    get_writer,
    output_name,
    resolve_output,
)

__all__ = ["ResultWriter", "atomic_write_text", "get_writer", "output_name", "resolve_output"]
