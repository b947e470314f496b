"""The example workflows in docs/ stay valid GitHub Actions workflows that keep caches.

Each file is checked against the GitHub workflow JSON schema that check-jsonschema ships
(no network), plus the rules the schema cannot know about caches and setup-python.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

DOCS = Path(__file__).resolve().parents[1] / "docs"
WORKFLOW = DOCS / "ci-example.yml"
WORKFLOWS = sorted(DOCS.glob("*.yml"))  # every example workflow in the docs


def steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for job in doc["jobs"].values() for s in job["steps"]]


def cache_problems(doc: dict[str, Any]) -> list[str]:
    """What makes caches vanish when a job fails or is cancelled, or the setup fail."""
    problems = []
    saved: set[str] = set()
    for step in steps(doc):
        uses = str(step.get("uses", ""))
        action = uses.split("@")[0]
        if action == "actions/cache":
            problems.append("actions/cache saves only on success: use cache/restore + cache/save")
        if action == "actions/cache/save":
            if "always()" not in str(step.get("if", "")):
                problems.append(f"cache save of {step['with']['path']} needs if: always()")
            saved.add(str(step["with"]["path"]))
        if action == "actions/setup-python" and "cache" in (step.get("with") or {}):
            problems.append("setup-python cache: pip needs a requirements file")
    restored = {
        str(s["with"]["path"])
        for s in steps(doc)
        if str(s.get("uses", "")).startswith("actions/cache/restore@")
    }
    problems += [f"{path} is restored but never saved" for path in sorted(restored - saved)]
    return problems


def schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "check_jsonschema", "--builtin-schema",
           "vendor.github-workflows", str(path)]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_ci_example_matches_the_github_workflow_schema(workflow: Path) -> None:
    result = schema_check(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:", 1)
    broken.write_text(text, encoding="utf-8")
    assert schema_check(broken).returncode != 0


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_ci_example_keeps_caches_of_failed_and_cancelled_jobs(workflow: Path) -> None:
    assert WORKFLOW in WORKFLOWS
    doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert cache_problems(doc) == []


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("actions/cache/restore@v4", "actions/cache@v4", "saves only on success"),
        ("if: always()\n        uses: actions/cache/save", "uses: actions/cache/save", "always()"),
        ('python-version: "3.11"\n', 'python-version: "3.11"\n          cache: pip\n', "pip"),
    ],
)
def test_cache_rules_catch_each_mistake(old: str, new: str, problem: str) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text
    doc = yaml.safe_load(text.replace(old, new, 1))
    assert any(problem in p for p in cache_problems(doc))
