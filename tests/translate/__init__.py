"""Tests of digest.translate, one file per module (a package, so file names may repeat)."""
