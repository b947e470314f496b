"""Tests of digest.batch (a package, so file names may repeat)."""
