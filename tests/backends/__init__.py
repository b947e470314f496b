"""Tests of digest.backends (a package, so file names may repeat)."""
