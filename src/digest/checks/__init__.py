"""Generated text and its source in, flags out: facts, numbers and dates (with the one month
table), translation self-checks, and the one repetition-loop detector."""
