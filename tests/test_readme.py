"""README.md shows the real `--help` output of the commands it documents."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_help_blocks_match_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_help.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_test_command_is_the_one_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -e ".[dev]" && python -m pytest -q' in readme
    assert "python -m pytest -q" in ci
