"""Tests of digest.checks, one file per module (a package, so file names may repeat)."""
