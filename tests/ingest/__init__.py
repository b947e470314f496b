"""Tests of digest.ingest, one file per module (a package, so file names may repeat)."""
