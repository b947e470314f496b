"""Generated text and its source in, flags out: facts, numbers, dates, translation checks."""
