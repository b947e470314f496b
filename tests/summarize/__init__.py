"""Tests of digest.summarize (a package, so file names may repeat)."""
