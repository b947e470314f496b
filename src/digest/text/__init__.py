"""Plain text in, spans out: sentences with offsets, token-budget chunks, inline Markdown."""
