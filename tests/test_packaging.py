"""The distribution name, `digest --version`, and install lines that install this project."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from digest.cli import app
from digest.results import DISTRIBUTION

ROOT = Path(__file__).resolve().parents[1]


def test_distribution_is_not_the_unrelated_digest_on_the_package_index() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION == "digest-news"
    assert project["scripts"] == {"digest": "digest.cli:main"}  # the command stays `digest`


def test_docs_install_the_distribution_by_its_name() -> None:
    texts = [ROOT / "README.md", ROOT / "models.yaml", *sorted((ROOT / "docs").glob("*"))]
    texts += sorted((ROOT / "src").rglob("*.py"))
    wrong = []
    for path in texts:
        text = path.read_text(encoding="utf-8")
        # `pip install digest`, "digest[ray]", "digest @ git+...": the other project.
        for m in re.finditer(r"""pip install ['"]?digest(?![-\w])|['"]digest(\[| @)""", text):
            wrong.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert wrong == []
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    assert 'version("digest")' not in src


def test_version_option() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"digest \S+ \(digest-news\)\n", result.stdout)
