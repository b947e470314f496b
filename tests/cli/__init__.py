"""Tests of digest.cli (a package, so file names may repeat)."""
