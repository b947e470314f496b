"""Keep the `--help` blocks in docs/cli.md equal to the real CLI output.

    python scripts/cli_help.py          # rewrite the blocks
    python scripts/cli_help.py --check  # exit 1 if docs/cli.md is stale (run by the tests)

A block is the fenced text between `<!-- help: summarize -->` and `<!-- /help -->`. Every
command of the CLI must have one: a new command fails the check until its block is added.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

CLI_DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
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


def cli_commands() -> list[str]:
    """Every runnable command ("summarize", "models pull", ...), groups left out."""
    import typer

    from digest.cli import app

    found: list[str] = []

    def walk(cmd: Any, prefix: tuple[str, ...]) -> None:
        # Duck-typed: typer ships its own click, so click.Group is not the class to test.
        subcommands = getattr(cmd, "commands", None)
        if subcommands:
            for name, sub in sorted(subcommands.items()):
                walk(sub, (*prefix, name))
        else:
            found.append(" ".join(prefix))

    walk(typer.main.get_command(app), ())
    return found


def render(doc: str) -> str:
    def block(m: re.Match[str]) -> str:
        return f"{m.group(1)}```text\n{help_text(m.group('cmd'))}```\n{m.group(4)}"

    return BLOCK.sub(block, doc)


def main() -> int:
    current = CLI_DOC.read_text(encoding="utf-8")
    documented = {m.group("cmd") for m in BLOCK.finditer(current)}
    missing = [c for c in cli_commands() if c not in documented]
    if missing:
        names = ", ".join(missing)
        print(f"docs/cli.md has no help block for: {names}; add a section with")
        print("<!-- help: COMMAND -->\n<!-- /help -->\nand run python scripts/cli_help.py")
        return 1
    fresh = render(current)
    if "--check" in sys.argv:
        if fresh != current:
            print("docs/cli.md --help blocks are stale: run python scripts/cli_help.py")
            return 1
        return 0
    CLI_DOC.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
