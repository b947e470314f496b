"""Tests of digest.writers (a package, so file names may repeat)."""
