"""The package layout the code promises: stage packages, a small root, no import cycles."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "digest"
STAGES = ("ingest", "text", "summarize", "translate", "checks", "backends", "engines", "batch")


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def runtime_imports(path: Path) -> set[str]:
    """digest.* modules imported when ``path`` is imported (not under TYPE_CHECKING, not lazily
    inside functions: those cannot form an import-time cycle)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if not isinstance(node, ast.FunctionDef | ast.ClassDef) else ():
            if isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
                if sub.module.startswith("digest"):
                    found.add(sub.module)
                    found.update(f"{sub.module}.{a.name}" for a in sub.names)
            elif isinstance(sub, ast.Import):
                found.update(a.name for a in sub.names if a.name.startswith("digest"))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = {t for t in runtime_imports(path) if t in modules and t != name}
        # Importing a.b.c runs a/__init__ and a/b/__init__ first.
        for t in list(targets):
            parts = t.split(".")
            targets.update(".".join(parts[:i]) for i in range(2, len(parts)))
        graph[name] = targets - {name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_between_modules() -> None:
    # A package importing its own submodules in __init__ is the usual re-export, not a cycle.
    graph = {
        m: {t for t in ts if not (m.count(".") < t.count(".") and t.startswith(m + "."))}
        for m, ts in import_graph().items()
    }
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_package_root_holds_the_public_api_only() -> None:
    root = sorted(p.name for p in SRC.glob("*.py"))
    assert len(root) <= 8, root


@pytest.mark.parametrize("package", [*STAGES, "writers", "cli"])
def test_each_stage_package_says_what_enters_and_leaves(package: str) -> None:
    doc = ast.get_docstring(ast.parse((SRC / package / "__init__.py").read_text("utf-8")))
    assert doc, f"digest.{package} has no docstring"
    assert len(doc.splitlines()[0]) <= 100


def test_no_module_shadows_the_standard_library() -> None:
    names = {p.stem for p in SRC.rglob("*.py")} | {p.name for p in SRC.rglob("*") if p.is_dir()}
    shadowing = sorted(names & set(sys.stdlib_module_names))
    assert not shadowing, shadowing


def test_library_code_names_options_not_cli_flags() -> None:
    """Outside cli/, errors name options as {templates}; the CLI turns them into --flags."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.parent.name == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").endswith("Error"):
                text = ast.unparse(node)
                if " --" in text or "'--" in text or '"--' in text:
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not offenders, offenders
