"""Keep the `--help` blocks in README.md equal to the real CLI output.

    python scripts/readme_help.py          # rewrite the blocks
    python scripts/readme_help.py --check  # exit 1 if README.md is stale (run by the tests)

A block is the fenced text between `<!-- help: summarize -->` and `<!-- /help -->`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- help: (?P<cmd>[a-z ]+) -->\n)(?P<body>.*?)(<!-- /help -->)", re.S)


def help_text(command: str) -> str:
    # Fixed width and no colour, so the text is the same on every terminal.
    env = {**os.environ, "COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    out = subprocess.run(
        [sys.executable, "-m", "digest", *command.split(), "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    lines = [line.rstrip() for line in out.splitlines()]
    return "\n".join(lines).strip("\n") + "\n"


def render(readme: str) -> str:
    def block(m: re.Match[str]) -> str:
        return f"{m.group(1)}```text\n{help_text(m.group('cmd'))}```\n{m.group(4)}"

    return BLOCK.sub(block, readme)


def main() -> int:
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in sys.argv:
        if fresh != current:
            print("README.md --help blocks are stale: run python scripts/readme_help.py")
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
