"""Invariants of the news evaluation set: eval/news/<split>/*.txt vs. references.jsonl."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from digest.text.sentences import split_sentences

NEWS = Path(__file__).resolve().parents[1] / "eval" / "news"


def problems(news: Path) -> list[str]:
    """Each broken invariant of the set under ``news``, one line each; empty when sound."""
    found: list[str] = []
    lines = (news / "references.jsonl").read_bytes().decode("utf-8").splitlines()
    refs = [json.loads(line) for line in lines if line.strip()]
    ids = [r["id"] for r in refs]
    found += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    files = {f"{p.parent.name}/{p.stem}" for p in news.glob("*/*.txt")}
    found += [f"no file for {i}" for i in sorted(set(ids) - files)]
    found += [f"no reference for {f}" for f in sorted(files - set(ids))]
    for path in sorted(news.glob("*/*.txt")):
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            found.append(f"not UTF-8: {path.name}")
            continue
        head = text.split("\n", 2)
        # Title line, then a blank line before the first paragraph.
        if len(head) < 3 or not head[0].strip() or head[1].strip():
            found.append(f"no title line + blank line: {path.name}")
    for r in refs:
        teaser = len(split_sentences(r["teaser"]))
        if not 1 <= teaser <= 2:
            found.append(f"{r['id']}: teaser has {teaser} sentences")
        bullets = r["bullets"]
        if not 3 <= len(bullets) <= 5 or not all(isinstance(b, str) and b.strip() for b in bullets):
            found.append(f"{r['id']}: needs 3-5 non-empty bullets, has {len(bullets)}")
    return found


def test_every_split_is_consistent() -> None:
    splits = {p.name for p in NEWS.iterdir() if p.is_dir()}
    assert {"tune", "heldout", "heldout2", "heldout3", "heldout4"} <= splits
    assert problems(NEWS) == []


def test_the_held_out_splits_have_their_articles() -> None:
    assert len(list((NEWS / "heldout2").glob("*.txt"))) >= 30
    assert len(list((NEWS / "heldout3").glob("*.txt"))) >= 30
    assert len(list((NEWS / "heldout4").glob("*.txt"))) >= 30


def test_the_checks_catch_a_missing_file_a_duplicate_and_bad_references(tmp_path: Path) -> None:
    copy = tmp_path / "news"
    shutil.copytree(NEWS, copy)
    first = sorted((copy / "heldout2").glob("*.txt"))[0]
    first.unlink()
    refs = (copy / "references.jsonl").read_text(encoding="utf-8").splitlines()
    bad = json.loads(refs[0])
    bad["teaser"] = "Ein Satz. Noch einer. Und ein dritter."
    bad["bullets"] = ["Nur einer."]
    (copy / "references.jsonl").write_text(
        "\n".join([json.dumps(bad), *refs[1:], refs[1]]) + "\n", encoding="utf-8"
    )
    (copy / "tune" / "zz-latin1.txt").write_bytes("Titel\n\nGrüße".encode("cp1252"))
    found = problems(copy)
    assert f"no file for heldout2/{first.stem}" in found
    assert "duplicate id " + json.loads(refs[1])["id"] in found
    assert f"{bad['id']}: teaser has 3 sentences" in found
    assert f"{bad['id']}: needs 3-5 non-empty bullets, has 1" in found
    assert "not UTF-8: zz-latin1.txt" in found
    assert "no reference for tune/zz-latin1" in found
