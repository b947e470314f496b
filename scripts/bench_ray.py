"""Time `digest summarize` with --engine local vs --engine ray over generated German articles.

    python scripts/bench_ray.py                      # 25 and 200 articles, tiny random models
    python scripts/bench_ray.py --sizes 10,50,200 --model opus --replicas 2

Each run is a fresh `digest` process, as a user would start it: the ray figure includes
starting a local Ray instance, the actors and their model loads. The models are random-weight
(no Hub access here): `tiny` shows the fixed costs, `opus` has opus-mt-de-en's shape and a
realistic cost per sentence. Prints one row per size, whether the JSON outputs of both engines
match (timing fields aside), and the crossover from a straight-line fit t = a + b * articles.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOWNS = ["Aachen", "Bamberg", "Celle", "Dessau", "Erfurt", "Fulda", "Görlitz", "Husum"]
SUBJECTS = [
    ("Busse fahren künftig im Zehnminutentakt", "der neue Fahrplan", "Fahrgäste"),
    ("Bibliothek öffnet auch sonntags", "die Stadtbibliothek", "Studierende"),
    ("Neues Baugebiet am Flussufer", "das Baugebiet", "junge Familien"),
    ("Freibad wird saniert", "das Freibad", "Schwimmvereine"),
]


def article(i: int) -> str:
    rnd = random.Random(1000 + i)
    town = rnd.choice(TOWNS)
    title, thing, group = rnd.choice(SUBJECTS)
    euros, year, share = rnd.randint(1, 30), rnd.randint(2026, 2030), rnd.randint(10, 60)
    return (
        f"{title} in {town}\n\n"
        f"In {town} soll {thing} ab {year} für mehr Menschen da sein. Das hat der Stadtrat am "
        f"Dienstag beschlossen. Die Stadt rechnet mit Kosten von {euros} Millionen Euro.\n\n"
        "Was sich ändert\n\n"
        f"Nach Angaben der Verwaltung profitieren vor allem {group}. Rund {share} Prozent der "
        "Befragten hatten sich in einer Umfrage dafür ausgesprochen. Kritiker warnen dagegen vor "
        "steigenden Gebühren.\n\n"
        "Der Oberbürgermeister sprach von einem wichtigen Schritt. Die Arbeiten sollen im "
        "Herbst beginnen und bis zum Jahresende abgeschlossen sein.\n"
    )


def build_models(base: Path, size: str) -> Path:
    from digest.devtools.random_models import OPUS_MT_DE_EN, TINY, build_marian

    texts = [article(i) for i in range(50)] + ["The council approved the plan on Tuesday."]
    marian = build_marian(base / f"marian-{size}", texts, OPUS_MT_DE_EN if size == "opus" else TINY)
    yaml = base / "models.yaml"
    yaml.write_text(
        "version: 1\n"
        "defaults:\n  summarizer: extractive\n  translators:\n    en: bench-marian\n"
        "models:\n"
        "  extractive:\n    role: summarizer\n    backend: extractive\n"
        f"  bench-marian:\n    role: translator\n    source: {marian}\n    family: marian\n"
        "    target_lang: en\n    max_input_tokens: 256\n"
        "    generation: {num_beams: 2, max_new_tokens: 24}\n",
        encoding="utf-8",
    )
    return yaml


def run(args: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "digest", *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"digest {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return seconds


def masked(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*.json")):
        text = re.sub(r'"timings": \{[^{}]*\}', "", path.read_text(encoding="utf-8"))
        out[path.relative_to(folder).as_posix()] = re.sub(r'"created": "[^"]*"', "", text)
    return out


def fit(xs: list[int], ys: list[float]) -> tuple[float, float]:
    """Least squares a + b * x (exact through two points)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    return my - b * mx, b


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="25,200", help="article counts, comma-separated")
    ap.add_argument("--model", choices=("tiny", "opus"), default="tiny")
    ap.add_argument("--replicas", type=int, default=None, help="default: one per CPU")
    ap.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch threads for both engines (default: each"
        " engine's own: torch's choice locally, one per replica on Ray)",
    )
    ns = ap.parse_args()
    sizes = sorted({int(s) for s in ns.sizes.split(",")})
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
        base = Path(tmp)
        yaml = build_models(base, ns.model)
        common = ["--models", str(yaml), "--summarizer", "extractive", "--format", "json"]
        common += ["--offline", "--quiet"] + (["--threads", str(ns.threads)] if ns.threads else [])
        ray_opts = ["--engine", "ray"] + (["--replicas", str(ns.replicas)] if ns.replicas else [])
        rows = []
        for n in sizes:
            arts = base / f"articles-{n}"
            arts.mkdir()
            for i in range(n):
                (arts / f"artikel-{i:04d}.txt").write_text(article(i), encoding="utf-8")
            t_local = run(["summarize", str(arts), "--out", str(base / f"local-{n}"), *common])
            t_ray = run(
                ["summarize", str(arts), "--out", str(base / f"ray-{n}"), *common, *ray_opts]
            )
            same = masked(base / f"local-{n}") == masked(base / f"ray-{n}")
            rows.append((n, t_local, t_ray, same))
            print(f"... {n} articles: local {t_local:.1f} s, ray {t_ray:.1f} s", flush=True)
    load = os.getloadavg()[0]
    threads = ns.threads or "default"
    print(
        f"model: {ns.model}, cpus: {os.cpu_count()}, threads: {threads}, load average: {load:.1f}"
    )
    print(f"{'articles':>8} | {'local s':>8} | {'ray s':>8} | {'ray/local':>9} | same JSON")
    print(f"{'-' * 8}-+-{'-' * 8}-+-{'-' * 8}-+-{'-' * 9}-+-{'-' * 9}")
    for n, tl, tr, same in rows:
        print(f"{n:>8} | {tl:>8.1f} | {tr:>8.1f} | {tr / tl:>9.2f} | {'yes' if same else 'NO'}")
    if len(rows) >= 2:
        xs = [r[0] for r in rows]
        a_l, b_l = fit(xs, [r[1] for r in rows])
        a_r, b_r = fit(xs, [r[2] for r in rows])
        print(f"local: {a_l:.1f} s + {b_l * 1000:.0f} ms/article; "
              f"ray: {a_r:.1f} s + {b_r * 1000:.0f} ms/article")  # fmt: skip
        if b_r < b_l and a_r > a_l:
            print(f"crossover: ray is faster above ~{(a_r - a_l) / (b_l - b_r):.0f} articles")
        elif b_r < b_l:
            print("crossover: none, ray was faster at every size (local's fixed cost is higher)")
        else:
            print("crossover: none on this machine (ray's per-article cost is not lower)")
    if not all(r[3] for r in rows):
        sys.exit("JSON outputs differ between the engines")


if __name__ == "__main__":
    main()
