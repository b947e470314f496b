"""Tests of digest.text, one file per module (a package, so file names may repeat)."""
