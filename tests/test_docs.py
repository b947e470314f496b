"""README.md and docs/ say only what a reader can check: real commands, links, runnable code."""

from __future__ import annotations

import ast
import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from digest.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
ALL_DOCS = [README, *DOCS]
README_LIMIT = 12 * 1024

FENCE = re.compile(r"^```(?P<lang>[a-z]*)\n(?P<body>.*?)^```\n", re.S | re.M)
LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(?P<text>.+?) *$", re.M)
INLINE_CODE = re.compile(r"`[^`\n]+`")


def _prose(text: str) -> str:
    """The text without fenced blocks, whose '#' lines and brackets are not Markdown."""
    return FENCE.sub("", text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for m in HEADING.finditer(_prose(path.read_text(encoding="utf-8"))):
        slug = _slug(m.group("text"))
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def _load_cli_help() -> Any:
    spec = importlib.util.spec_from_file_location("cli_help", ROOT / "scripts" / "cli_help.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- size and links -------------------------------------------------------------------------


def test_readme_is_at_most_12_kb() -> None:
    size = len(README.read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes; move detail into docs/"


def test_docs_exist_for_every_readme_topic() -> None:
    prose = _prose(README.read_text(encoding="utf-8"))
    linked = {m.group("target").split("#")[0] for m in LINK.finditer(prose)}
    for doc in DOCS:
        assert f"docs/{doc.name}" in linked, f"README.md does not link docs/{doc.name}"


def _broken_links(doc: Path, root: Path) -> list[str]:
    broken = []
    for m in LINK.finditer(INLINE_CODE.sub("", _prose(doc.read_text(encoding="utf-8")))):
        target = m.group("target")
        if re.match(r"[a-z]+:", target):  # https:, mailto: ...: not a file of this repository
            continue
        file_part, _, anchor = target.partition("#")
        path = (doc.parent / file_part).resolve() if file_part else doc
        if not path.exists() or not path.is_relative_to(root):
            broken.append(f"{target}: no such file in the repository")
        elif anchor and (path.suffix != ".md" or anchor not in _anchors(path)):
            broken.append(f"{target}: no heading with anchor #{anchor}")
    return broken


@pytest.mark.parametrize("doc", ALL_DOCS, ids=lambda p: p.name)
def test_relative_links_resolve(doc: Path) -> None:
    broken = _broken_links(doc, ROOT)
    assert not broken, f"{doc.name}: " + "; ".join(broken)


def test_link_check_finds_missing_files_anchors_and_paths_outside(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "a.md").write_text("# A\n\n## Some part (`x`)\n", encoding="utf-8")
    (tmp_path / "outside.md").write_text("# Out\n", encoding="utf-8")
    page = repo / "README.md"
    page.write_text(
        "[ok](docs/a.md#some-part-x) [web](https://example.org) `[code](nope.md)`\n"
        "[gone](docs/b.md) [anchor](docs/a.md#other) [out](../outside.md) [self](#nothing)\n"
        "```text\n[fenced](nope.md)\n```\n",
        encoding="utf-8",
    )
    broken = _broken_links(page, repo)
    assert [b.split(":")[0] for b in broken] == [
        "docs/b.md",
        "docs/a.md#other",
        "../outside.md",
        "#nothing",
    ]


def _resolves(dotted: str) -> bool:
    """A module, or a name in one (`digest.load`)."""
    module, _, name = dotted.rpartition(".")
    if importlib.util.find_spec(dotted) is not None:
        return True
    return hasattr(importlib.import_module(module), name)


def test_named_files_and_modules_exist() -> None:
    """Paths (`src/...`, `tests/...`, `scripts/...`) and modules (`digest.x.y`) in the text."""
    missing = []
    for doc in ALL_DOCS:
        text = doc.read_text(encoding="utf-8")
        for path in re.findall(r"(?<![\w/.])((?:src|tests|scripts|samples|eval)/[\w./-]*\w)", text):
            if not (ROOT / path).exists():
                missing.append(f"{doc.name}: {path}")
        for code in INLINE_CODE.findall(text):
            m = re.fullmatch(r"`(digest(?:\.[a-z_]+)+)`", code)
            if m and not _resolves(m.group(1)):
                missing.append(f"{doc.name}: module {m.group(1)}")
    assert not missing, "\n".join(missing)


def test_no_doc_points_outside_the_repository() -> None:
    for doc in ALL_DOCS:
        text = doc.read_text(encoding="utf-8")
        for needle in ("/work/", "FACTS.md", "issue's anchors"):
            assert needle not in text, f"{doc.name} mentions {needle!r}"


# --- commands ------------------------------------------------------------------------------


def _command_lines(text: str) -> list[str]:
    """`digest ...` invocations: in bash blocks, `$ ` lines of text blocks, and inline code."""
    lines: list[str] = []
    for m in FENCE.finditer(text):
        body = m.group("body").replace("\\\n", " ")
        for line in body.splitlines():
            if m.group("lang") == "bash":
                lines.append(line)
            elif line.startswith("$ "):
                lines.append(line[2:])
    for code in INLINE_CODE.findall(_prose(text)):
        if code.startswith("`digest "):
            lines.append(code.strip("`").replace("[", " ").replace("]", " "))
    calls = []
    for line in lines:
        for part in re.split(r"&&|\|\||;|\|", line):
            words = part.split()
            if "digest" in words:
                start = words.index("digest")
                if start == 0 or words[start - 1] == "--":  # `ray job submit -- digest ...`
                    calls.append(" ".join(words[start:]))
    return calls


def _check_call(line: str) -> str | None:
    """None when the command and every option exist, else what is wrong."""
    words = shlex.split(line, comments=True)[1:]
    cmd: Any = typer.main.get_command(app)
    path = ["digest"]
    while getattr(cmd, "commands", None):
        if not words or words[0] not in cmd.commands:
            return f"{line!r}: '{' '.join(path)}' has no command {words[:1]}"
        path.append(words[0])
        cmd = cmd.commands[words.pop(0)]
    known = {"--help"} | {opt for p in cmd.params for opt in (*p.opts, *p.secondary_opts)}
    for word in words:
        if word.startswith(">") or word.startswith("2>"):
            break  # shell redirection: the rest is not digest's
        option = word.split("=")[0]
        if option.startswith("-") and option != "-" and option not in known:
            return f"{line!r}: '{' '.join(path)}' has no option {option}"
    return None


def test_every_documented_command_line_is_valid() -> None:
    problems = []
    count = 0
    for doc in ALL_DOCS:
        for call in _command_lines(doc.read_text(encoding="utf-8")):
            count += 1
            problem = _check_call(call)
            if problem:
                problems.append(f"{doc.name}: {problem}")
    assert not problems, "\n".join(problems)
    assert count > 20  # the parser found the commands (README alone shows a dozen)


def test_command_check_rejects_unknown_commands_and_options() -> None:
    assert _check_call("digest summarize a.txt --to de --offline") is None
    assert _check_call("digest models pull opus-mt-de-en") is None
    assert "no command" in (_check_call("digest summarise a.txt") or "")
    assert "no command" in (_check_call("digest models") or "")
    assert "no option --languages" in (_check_call("digest translate a.md --languages en") or "")


def test_readme_command_table_lists_every_command() -> None:
    commands = README.read_text(encoding="utf-8").split("## Commands")[1].split("\n## ")[0]
    rows = re.findall(r"^\| `digest ([^`]+)`", commands, re.M)
    for command in _load_cli_help().cli_commands():
        assert any(row.startswith(command) for row in rows), f"README: no row for {command}"


# --- help blocks (docs/cli.md) --------------------------------------------------------------


def test_cli_help_blocks_match_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_help.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cli_help_check_fails_for_a_command_without_a_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_help = _load_cli_help()
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    start = doc.index("<!-- help: schema -->")
    stale = tmp_path / "cli.md"
    stale.write_text(doc[:start] + doc[doc.index("<!-- /help -->", start) + 14 :], "utf-8")
    cli_help.CLI_DOC = stale
    monkeypatch.setattr(sys, "argv", ["cli_help.py", "--check"])
    assert cli_help.main() == 1
    assert "no help block for: schema" in capsys.readouterr().out


# --- test command and code -----------------------------------------------------------------


def test_readme_test_command_is_the_one_ci_runs() -> None:
    readme = README.read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -e ".[dev]" && python -m pytest -q' in readme
    assert "python -m pytest -q" in ci


def _python_blocks(text: str, tested_only: bool) -> list[str]:
    blocks = []
    for m in FENCE.finditer(text):
        if m.group("lang") != "python":
            continue
        if tested_only and not text[: m.start()].rstrip().endswith("<!-- tested -->"):
            continue
        blocks.append(m.group("body"))
    return blocks


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_readme_python_snippet_runs() -> None:
    [snippet] = _python_blocks(README.read_text(encoding="utf-8"), tested_only=False)
    lines = snippet.splitlines()
    # The lines after render() need names the reader supplies (paths) or a downloaded model.
    upto = next(i for i, line in enumerate(lines) if line.startswith("print(digest.render"))
    proc = _run("\n".join(lines[: upto + 1]), ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Stadtrat beschließt Ausbau des Radwegenetzes")


TESTED = [
    pytest.param(block, id=f"{doc.name}-{i}")
    for doc in DOCS
    for i, block in enumerate(_python_blocks(doc.read_text(encoding="utf-8"), tested_only=True))
]


def test_docs_have_tested_python_blocks() -> None:
    assert len(TESTED) >= 3


@pytest.mark.parametrize("code", TESTED)
def test_tested_python_block_runs(code: str, tmp_path: Path) -> None:
    (tmp_path / "samples").symlink_to(ROOT / "samples")  # outputs land in tmp_path
    proc = _run(code, tmp_path)
    assert proc.returncode == 0, proc.stderr


# --- architecture table (docs/development.md) -----------------------------------------------


def _imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_architecture_table_order_matches_the_imports() -> None:
    doc = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    section = doc.split("## Architecture")[1]
    order = re.findall(r"^\| `([a-z]+)/` \|", section, re.M)
    src = ROOT / "src" / "digest"
    packages = {p.parent.name for p in src.glob("*/__init__.py")}
    assert set(order) == packages - {"schemas", "devtools"}  # support code, not stages
    upward = []
    for rank, package in enumerate(order):
        for path in sorted((src / package).glob("*.py")):
            for module in _imported_modules(path):
                parts = module.split(".")
                if parts[0] == "digest" and len(parts) > 1 and parts[1] in order[rank + 1 :]:
                    upward.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not upward, "\n".join(upward)
