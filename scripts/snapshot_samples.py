"""Write every sample's digest JSON (timings and creation time removed) and `inspect` JSON to a
folder, so that two checkouts can be compared byte for byte after a refactoring.

    python scripts/snapshot_samples.py /tmp/before      # on the old checkout
    python scripts/snapshot_samples.py /tmp/after       # on the new one
    diff -r /tmp/before /tmp/after && echo identical

It runs the CLI (German-only extractive digests: no model weights needed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def cli(*args: str) -> str:
    cmd = [sys.executable, "-m", "digest", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the snapshot (created)")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for sample in sorted(SAMPLES.iterdir()):
        args = ["--summarizer", "extractive", "--to", "de", "--offline", "--format", "json"]
        digest = json.loads(cli("summarize", str(sample), *args))
        digest["meta"].pop("timings", None)
        digest["meta"].pop("created", None)
        text = json.dumps(digest, sort_keys=True, indent=1, ensure_ascii=False)
        (out / f"{sample.name}.digest.json").write_text(text + "\n", encoding="utf-8")
        inspected = cli("inspect", str(sample), "--format", "json")
        (out / f"{sample.name}.inspect.json").write_text(inspected, encoding="utf-8")
        print(f"{sample.name}: ok")


if __name__ == "__main__":
    main()
