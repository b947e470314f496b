"""Generated German news articles for batch tests and benchmarks (no real news, no network).

Sentences are assembled from hand-written templates with varied places, numbers and people,
so every article is distinct, German enough for the language check, and deterministic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

_CITIES = (
    "Bremen", "Kassel", "Freiburg", "Rostock", "Augsburg", "Erfurt", "Münster", "Ulm",
    "Potsdam", "Regensburg", "Kiel", "Göttingen", "Trier", "Würzburg", "Lübeck", "Jena",
)  # fmt: skip
_PEOPLE = (
    "Bürgermeisterin Anja Krüger", "Stadtrat Jonas Weber", "Professorin Lea Hoffmann",
    "Landrat Peter Schulze", "Vereinschefin Maria Lehmann", "Direktor Tobias Wagner",
)  # fmt: skip
_TOPICS = (
    ("Radwege", "Verkehr", "neue Radwege"),
    ("Schwimmbad", "Freizeit", "die Sanierung des Hallenbades"),
    ("Klinik", "Gesundheit", "den Ausbau der Notaufnahme"),
    ("Stadtbahn", "Verkehr", "die Verlängerung der Stadtbahn"),
    ("Schulen", "Bildung", "neue Ganztagsschulen"),
    ("Wohnungen", "Wohnen", "günstige Wohnungen am Stadtrand"),
)  # fmt: skip
_TITLES = (
    "{city} plant {plan}",
    "Streit um {plan} in {city}",
    "{city}: Mehr Geld für {plan}",
)
_SENTENCES = (
    "Der Stadtrat von {city} hat am Montag über {plan} beraten.",
    "Die Kosten werden auf {money} Millionen Euro geschätzt, sagte {person}.",
    "Nach Angaben der Verwaltung sind rund {count} Menschen direkt betroffen.",
    "Die Arbeiten sollen im {month} beginnen und etwa {months} Monate dauern.",
    "Kritiker bemängeln, dass die Bürger zu spät informiert worden seien.",
    "Die Opposition fordert eine genaue Prüfung der Zahlen vor der Abstimmung.",
    "Ein Gutachten aus dem vergangenen Jahr hatte erhebliche Mängel festgestellt.",
    "Der Bund übernimmt nach ersten Berechnungen etwa {share} Prozent der Kosten.",
    "Anwohner äußerten sich bei einer Versammlung überwiegend zustimmend.",
    "Die Entscheidung über {plan} fällt voraussichtlich in der nächsten Sitzung.",
    "{person} sprach von einem wichtigen Schritt für die ganze Region.",
    "Bereits im Frühjahr waren mehr als {count} Unterschriften gesammelt worden.",
    "Ob der Zeitplan eingehalten werden kann, ist nach Einschätzung von Fachleuten offen.",
    "Die Verwaltung will die Pläne in den kommenden Wochen öffentlich vorstellen.",
)  # fmt: skip
_HEADINGS = ("Hintergrund", "Kritik an den Plänen", "Wie es weitergeht", "Die Kosten")
_MONTHS = ("März", "April", "Mai", "Juni", "September", "Oktober")


@dataclass(frozen=True)
class SyntheticArticle:
    name: str  # relative path, with the suffix of its format
    text: str


def _fill(rng: random.Random, template: str, city: str, plan: str) -> str:
    return template.format(
        city=city,
        plan=plan,
        person=rng.choice(_PEOPLE),
        money=f"{rng.randint(1, 40)},{rng.randint(1, 9)}",
        count=f"{rng.randint(2, 30)}.{rng.randint(100, 999)}",
        month=rng.choice(_MONTHS),
        months=rng.randint(3, 30),
        share=rng.randint(10, 70),
    )


def article(index: int, *, sections: int = 2, seed: int = 0) -> SyntheticArticle:
    """Article number ``index``: title, teaser and ``sections`` sections with headings."""
    rng = random.Random(seed * 1_000_003 + index)
    city = _CITIES[index % len(_CITIES)]
    topic, desk, plan = _TOPICS[(index // len(_CITIES)) % len(_TOPICS)]
    title = rng.choice(_TITLES).format(city=city, plan=plan).replace(" die ", " ")
    teaser = _fill(rng, _SENTENCES[0], city, plan) + " " + _fill(rng, _SENTENCES[1], city, plan)
    body: list[tuple[str, list[str]]] = []
    for s in range(sections):
        paragraphs = []
        for _ in range(2):
            picked = rng.sample(_SENTENCES[2:], 3)
            paragraphs.append(" ".join(_fill(rng, t, city, plan) for t in picked))
        body.append((_HEADINGS[(index + s) % len(_HEADINGS)], paragraphs))
    fmt = ("txt", "txt", "md", "html")[index % 4]
    name = f"{desk.lower()}/{index // 50:02d}/{topic.lower()}-{index:04d}.{fmt}"
    if fmt == "md":
        parts = [f"# {title}", teaser] + [f"## {h}\n\n" + "\n\n".join(ps) for h, ps in body]
        return SyntheticArticle(name, "\n\n".join(parts) + "\n")
    if fmt == "html":
        secs = "".join(f"<h2>{h}</h2>" + "".join(f"<p>{p}</p>" for p in ps) for h, ps in body)
        html = (
            f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{title}</title>'
            f"</head><body><article><h1>{title}</h1><p><strong>{teaser}</strong></p>{secs}"
            "</article></body></html>\n"
        )
        return SyntheticArticle(name, html)
    parts = [title, teaser] + [f"{h}\n\n" + "\n\n".join(ps) for h, ps in body]
    return SyntheticArticle(name, "\n\n".join(parts) + "\n")


def write_articles(folder: Path, n: int, *, sections: int = 2, seed: int = 0) -> list[Path]:
    """Write ``n`` articles under ``folder`` (in desk/batch subfolders); returns their paths."""
    paths = []
    for i in range(n):
        art = article(i, sections=sections, seed=seed)
        path = folder / art.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(art.text, encoding="utf-8")
        paths.append(path)
    return paths
