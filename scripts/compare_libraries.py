#!/usr/bin/env python3
"""digest's own language check, German stemmer and charset sniffing against maintained
libraries (lingua-language-detector, snowballstemmer, charset-normalizer), on our own data.

Tables printed:

1. **Language** - is this German? ``digest.ingest.boilerplate.guess_language`` against
   lingua (German, English, French, Spanish, Italian, Dutch only; built on first use) on
   the one-sentence texts of ``tests/data/language_short.jsonl``, the paragraphs of the
   articles in ``samples/`` (all German) and the blocks of a mixed German/English/French
   page. Accuracy, time per text, start-up time and the memory lingua adds.
2. **Stemmer** - ``digest.summarize.extractive.stem`` against Snowball German on word
   families written for this script: pairs of one family must share a stem (recall), pairs
   of different families must not (precision over the pairs that share one).
3. **Charset** - ``digest.ingest.charset.decode_bytes`` against charset-normalizer on the
   samples and short articles encoded as UTF-8 (with and without BOM), UTF-16, cp1252,
   latin-1, cp850 and Mac Roman: share of files decoded to exactly the original text.

A library that is not installed is reported as such. Run:
``python scripts/compare_libraries.py``
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import digest  # noqa: F401
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(ROOT / "src"))

from digest.errors import InputError  # noqa: E402
from digest.ingest.article import load_article  # noqa: E402
from digest.ingest.boilerplate import guess_language  # noqa: E402
from digest.ingest.charset import decode_bytes  # noqa: E402
from digest.summarize.extractive import stem  # noqa: E402

# --- data ---------------------------------------------------------------------------------

MIXED_BLOCKS = [
    ("de", "Die Reederei stellt am Montag ihre neue Elektrofähre in Dienst."),
    ("de", "Die Überfahrt dauert wie bisher etwa 50 Minuten, die Preise bleiben stabil."),
    ("de", "Fahrgäste können ihre Tickets künftig auch am Automaten im Hafen kaufen."),
    ("en", "The shipping company is putting its new electric ferry into service on Monday."),
    ("en", "The crossing still takes about 50 minutes and prices stay the same."),
    ("en", "Passengers will also be able to buy tickets from a machine at the harbour."),
    ("fr", "La compagnie met en service sa nouvelle navette électrique lundi."),
    ("fr", "La traversée dure toujours environ 50 minutes et les prix restent stables."),
    ("nl", "De rederij neemt maandag haar nieuwe elektrische veerboot in gebruik."),
    ("nl", "De overtocht duurt nog steeds ongeveer 50 minuten."),
]

# Word families of German news: forms of one family should share a stem, different
# families should not.
FAMILIES = """
Stadt Städte Stadt Städten
Haus Hauses Häuser Häusern
Preis Preise Preises Preisen
Bürger Bürgers Bürgerinnen Bürgern
Regel Regeln
Million Millionen
Konzern Konzerne Konzerns Konzernen
Ergebnis Ergebnisse Ergebnissen Ergebnisses
Schule Schulen
Kind Kinder Kindern Kindes
Gemeinde Gemeinden
Brücke Brücken
Wohnung Wohnungen
Fluss Flusses Flüsse
Zug Züge Zügen Zuges
Land Länder Ländern Landes
Regierung Regierungen
Minister Ministers Ministerin Ministerinnen
Unternehmen Unternehmens
Kosten
Arbeit Arbeiten
Mitarbeiter Mitarbeiterin Mitarbeitern Mitarbeiterinnen
Entscheidung Entscheidungen
Vertrag Verträge Verträgen Vertrags
Gericht Gerichte Gerichts Gerichten
Frau Frauen
Jahr Jahre Jahren Jahres
Polizei
Politik Politiker Politikerin
Stunde Stunden
neu neue neuen neuer neues
hoch hohe hohen hoher
klein kleine kleinen kleiner
stark starke starken
öffentlich öffentliche öffentlichen
Berlin Berliner
Bahn Bahnen
Wahl Wahlen
Rat Räte Rates
Strom
Streik Streiks
Auto Autos
Plan Pläne Plänen Plans
"""

# Written after digest's "-erin" rule was added (it came from the families above), so
# neither stemmer was tuned on these.
HELD_OUT_FAMILIES = """
Lehrer Lehrerin Lehrern Lehrers Lehrerinnen
Ärztin Arzt Ärzte Ärzten
Kanzler Kanzlerin Kanzlers
Feuerwehr Feuerwehren
Straße Straßen
Krankenhaus Krankenhäuser Krankenhauses
Spieler Spielerin Spielern Spielers
Verein Vereine Vereins Vereinen
Gesetz Gesetze Gesetzes Gesetzen
Bund Bundes
Schüler Schülerin Schülerinnen Schülern
Touristen Tourist Touristin
Anwohner Anwohnerin Anwohnern
Euro Euros
"""

SHORT_ARTICLES = [
    "Brücke wird gesperrt\n\nDie Brücke über die Saale wird ab Montag für drei Wochen gesperrt."
    " Umleitungen über Öhringen sind ausgeschildert.\n",
    "Neue Öffnungszeiten\n\nDas Bürgerbüro öffnet künftig schon um 7.30 Uhr. „Wir reagieren auf"
    " die Wünsche der Pendler“, sagte die Bürgermeisterin.\n",
    "Mieten steigen\n\nIn Würzburg stiegen die Mieten um 4,5 Prozent – stärker als im Vorjahr.\n",
    "Straßenfest am Wochenende\n\nAm Samstag feiert die Südstadt ihr großes Straßenfest.\n",
]

# --- language -----------------------------------------------------------------------------

LINGUA_LANGUAGES = ("GERMAN", "ENGLISH", "FRENCH", "SPANISH", "ITALIAN", "DUTCH")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def language_table() -> None:
    short = [
        (row["lang"], row["text"])
        for row in map(json.loads, (ROOT / "tests/data/language_short.jsonl").open())
    ]
    paragraphs: list[tuple[str, str]] = []
    for path in sorted((ROOT / "samples").iterdir()):
        article = load_article(path)
        paragraphs += [("de", b.text) for b in article.blocks if len(b.text.split()) >= 6]
    sets = {"one sentence": short, "sample paragraphs": paragraphs, "mixed page": MIXED_BLOCKS}

    systems: list[tuple[str, Callable[[str], bool], float, float]] = [
        ("digest (function words + German spellings)", lambda t: guess_language(t).german, 0, 0)
    ]
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        print("lingua-language-detector is not installed: only digest's check is measured")
    else:
        before = _rss_mb()
        started = time.perf_counter()
        detector = LanguageDetectorBuilder.from_languages(
            *(getattr(Language, name) for name in LINGUA_LANGUAGES)
        ).build()
        detector.detect_language_of("Die Stadt baut eine Brücke.")  # models load lazily
        startup = time.perf_counter() - started
        german = Language.GERMAN
        systems.append(
            (
                f"lingua {len(LINGUA_LANGUAGES)} languages",
                lambda t: detector.detect_language_of(t) == german,
                startup,
                _rss_mb() - before,
            )
        )
    print("\n== Language: is it German?")
    header = "  " + f"{'system':<44}" + "".join(f"{k:>20}" for k in sets)
    print(header + f"{'ms/text':>9}{'start s':>9}{'+RSS MB':>9}")
    for name, is_german, startup, rss in systems:
        cells = []
        timed = 0.0
        count = 0
        for rows in sets.values():
            started = time.perf_counter()
            right = sum(is_german(text) == (lang == "de") for lang, text in rows)
            timed += time.perf_counter() - started
            count += len(rows)
            cells.append(f"{right:>3}/{len(rows):<3} {right / len(rows):6.1%}")
        ms = 1000 * timed / max(1, count)
        print(f"  {name:<44}" + "".join(f"{c:>20}" for c in cells) + f"{ms:9.3f}", end="")
        print(f"{startup:9.2f}{rss:9.0f}")


# --- stemmer ------------------------------------------------------------------------------


def stemmer_table() -> None:
    stemmer_rows("word families", FAMILIES)
    stemmer_rows("held-out word families", HELD_OUT_FAMILIES)


def stemmer_rows(label: str, text: str) -> None:
    families = [line.split() for line in text.strip().splitlines()]
    words = [(k, w) for k, fam in enumerate(families) for w in dict.fromkeys(fam)]
    # Uncached, so both are timed doing the work (digest caches stems at run time).
    systems: list[tuple[str, Callable[[str], str]]] = [("digest stem (light)", stem.__wrapped__)]
    try:
        import snowballstemmer
    except ImportError:
        print("snowballstemmer is not installed: only digest's stemmer is measured")
    else:
        snowball = snowballstemmer.stemmer("german")
        systems.append(("Snowball German", lambda w: snowball.stemWord(w.lower())))
    print(f"\n== Stemmer: {len(families)} {label}, {len(words)} forms")
    print(f"  {'system':<24}{'same family':>14}{'precision':>11}{'recall':>8}{'us/word':>9}")
    for name, fn in systems:
        stems = {w: fn(w) for _, w in words}
        tp = fp = fn_ = 0
        for (ka, a), (kb, b) in combinations(words, 2):
            same = stems[a] == stems[b]
            tp += same and ka == kb
            fp += same and ka != kb
            fn_ += (not same) and ka == kb
        fams = sum(len({stems[w] for w in dict.fromkeys(f)}) == 1 for f in families)
        started = time.perf_counter()
        for _ in range(200):
            for _, w in words:
                fn(w)
        us = 1e6 * (time.perf_counter() - started) / (200 * len(words))
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn_)
        print(f"  {name:<24}{fams:>7}/{len(families):<6}{precision:>11.3f}{recall:>8.3f}{us:9.2f}")


# --- charset ------------------------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "cp850", "mac_roman")


def _ours(data: bytes) -> str | None:
    try:
        return decode_bytes(data, name="x")[0]
    except InputError:
        return None


def _normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best).lstrip("\ufeff").replace("\r\n", "\n")


def charset_table() -> None:
    texts: list[tuple[str, str]] = []
    for path in sorted((ROOT / "samples").iterdir()):
        if path.suffix == ".txt" or path.suffix == ".md":
            texts.append((path.name, decode_bytes(path.read_bytes())[0]))
    texts += [(f"short-{k}", t) for k, t in enumerate(SHORT_ARTICLES, 1)]
    systems: list[tuple[str, Callable[[bytes], str | None]]] = [("digest decode_bytes", _ours)]
    try:
        import charset_normalizer  # noqa: F401
    except ImportError:
        print("charset-normalizer is not installed: only digest's sniffing is measured")
    else:
        systems.append(("charset-normalizer", _normalizer))
    print(f"\n== Charset: {len(texts)} texts x encodings, exact text back")
    print(f"  {'system':<22}" + "".join(f"{e:>11}" for e in ENCODINGS) + f"{'all':>9}{'ms':>8}")
    for name, decode in systems:
        cells, total, right_all, seconds = [], 0, 0, 0.0
        for enc in ENCODINGS:
            right = n = 0
            for _, text in texts:
                latin = text.translate(str.maketrans("„“”‚‘’–…€", '""""\'\'-.E'))
                source = latin if enc in ("latin-1", "cp850", "mac_roman") else text
                try:
                    data = source.encode(enc)
                except UnicodeEncodeError:
                    continue
                started = time.perf_counter()
                got = decode(data)
                seconds += time.perf_counter() - started
                right += got == source
                n += 1
            cells.append(f"{right}/{n}")
            total += n
            right_all += right
        ms = 1000 * seconds / max(1, total)
        print(f"  {name:<22}" + "".join(f"{c:>11}" for c in cells), end="")
        print(f"{right_all / max(1, total):>9.1%}{ms:8.2f}")


def main() -> int:
    language_table()
    stemmer_table()
    charset_table()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
