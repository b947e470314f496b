"""Tests of digest.engines (a package, so file names may repeat)."""
