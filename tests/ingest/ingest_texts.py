"""German test articles (invented) and checks shared by the tests of digest.ingest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digest.errors import InputError
from digest.ingest.article import load_article
from digest.ingest.document import Article

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


# Invented article (plain text) with one line of every boilerplate kind the rules know.
BIBLIOTHEK = """\
Bibliothek Sonnfeld öffnet künftig auch am Sonntag

SONNFELD-KULTUR-BIBLIOTHEK

Von Jana Beck · 4. März 2025

Die Stadtbibliothek Sonnfeld wird ab März auch sonntags geöffnet sein. Der Kulturausschuss \
hat dem Modellversuch am Mittwoch einstimmig zugestimmt.

Foto: Stadt Sonnfeld/Jana Beck

Bisher war die Bibliothek nur von Dienstag bis Samstag geöffnet. Viele Familien hätten sich \
längere Öffnungszeiten gewünscht, sagte Bibliotheksleiterin Marion Falk. „Gerade am Wochenende \
haben Eltern und Kinder Zeit zum Lesen“, betonte sie.

Was sich ändert

Am Sonntag soll die Bibliothek von 11 bis 17 Uhr öffnen. Dafür wird kein zusätzliches Personal \
eingestellt, stattdessen helfen Ehrenamtliche bei der Ausleihe. Die Rückgabe funktioniert über \
einen Automaten im Foyer.

• Öffnung am Sonntag von 11 bis 17 Uhr
• Ausleihe mit dem neuen Selbstbedienungsterminal
• Lesecafé mit Kuchen aus der Schulküche

➤ Mehr lesen: Neue Spielplätze für die Innenstadt

Lesen Sie auch: Warum das Hallenbad im Sommer schließt

Anzeige

Teilen

Newsletter

Zur Startseite

Jetzt abonnieren

Quelle: dpa

Kritik aus dem Personalrat

Der Personalrat sieht den Versuch skeptisch. Ehrenamtliche dürften keine regulären Stellen \
ersetzen, heißt es in einer Stellungnahme. Die Stadt verweist darauf, dass alle Beschäftigten \
weiterhin an Werktagen arbeiten.

© Stadtbibliothek Sonnfeld

Kommentare

Leseratte77: Endlich! Darauf warten wir seit Jahren.
Bücherwurm: Und wer bezahlt die Heizung am Sonntag?
"""


RADSTATION_MD = """\
# Neue Radstation am Bahnhof Kleinfeld

Ab Herbst können Pendlerinnen und Pendler ihre Fahrräder am Bahnhof Kleinfeld **sicher** abstellen.

## Platz für 400 Räder

Die Station bietet *überdachte* Stellplätze und eine kleine Werkstatt. Mehr steht auf der \
[Internetseite der Stadt](https://example.org/radstation). Die Stadt rechnet mit hoher Nachfrage.

1. Stellplätze für 400 Fahrräder
2. Ladepunkte für E-Bikes
3. Schließfächer für Helme

> Wir wollen, dass das Rad die erste Wahl für den Weg zum Zug wird.
> So sagte es der Bürgermeister bei der Vorstellung.

Anzeige

Die Bauarbeiten beginnen im Mai und sollen bis September abgeschlossen sein. Während der \
Arbeiten bleibt der Bahnhofsvorplatz für Autos gesperrt.
"""


# The arrow is not in cp1252.
BIBLIOTHEK_8BIT = BIBLIOTHEK.replace("➤ Mehr lesen", "Mehr lesen")


POKAL_HTML = """\
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>Heimsieg für Grünwald | Kreisblatt</title>
<meta property="og:title" content="Heimsieg für Grünwald">
<meta name="date" content="2025-10-05">
</head>
<body>
<div id="cookie-hinweis" class="cookie-consent"><p>Wir nutzen Cookies. Bitte stimmen Sie der \
Verarbeitung zu oder passen Sie die Einstellungen an.</p><button>Alle akzeptieren</button></div>
<header><nav><ul><li><a href="/">Startseite</a></li><li><a href="/sport">Sport</a></li></ul>\
</nav></header>
<main>
<article>
<h1>Grünwald gewinnt das Derby gegen Talheim</h1>
<p class="teaser">Der TSV Grünwald hat das Derby gegen den FC Talheim mit 3:1 gewonnen. Vor \
2.000 Zuschauern drehte die Mannschaft einen frühen Rückstand.</p>
<figure><img src="a.jpg" alt=""><figcaption>Jubel nach dem Schlusspfiff. Foto: Kreisblatt/Tom \
Hahn</figcaption></figure>
<h2>Ein schwieriger Beginn</h2>
<p>Schon nach zehn Minuten lag Grünwald zurück. Ein Abwehrfehler ermöglichte den Talheimern \
die frühe Führung. Danach übernahm der Gastgeber aber die Kontrolle über das Spiel und \
erspielte sich zahlreiche Chancen.</p>
<p>Kurz vor der Pause glich Kapitän Erik Sommer mit einem Kopfball aus. Das Spiel war nun \
<em>völlig offen</em>, und beide Mannschaften suchten den Weg nach vorn.</p>
<p>Anzeige</p>
<h2>Die Tore im Überblick</h2>
<ul><li>10. Minute: 0:1 durch Paul Weiß</li><li>44. Minute: 1:1 durch Erik Sommer</li>\
<li>71. Minute: 2:1 durch Lukas Brandt</li><li>88. Minute: 3:1 durch Erik Sommer</li></ul>
<blockquote><p>„Die Mannschaft hat Moral gezeigt, darauf bin ich stolz.“</p></blockquote>
<p>Trainer Jens Köhler lobte nach dem Spiel vor allem die Geduld seiner Spieler. Das nächste \
Spiel bestreitet Grünwald am kommenden Samstag in Oberau.</p>
</article>
<aside class="related"><h3>Mehr Sport</h3><ul><li><a href="/a">Handball: Talheim verliert \
knapp in der Nachspielzeit</a></li></ul></aside>
<section class="comments"><h3>Kommentare (1)</h3><p>Starkes Spiel, weiter so Jungs und \
Mädels!</p></section>
</main>
<footer><p>© 2025 Kreisblatt Verlag</p><a href="/impressum">Impressum</a></footer>
</body>
</html>
"""


ENGLISH = (
    "The city council approved the new cycling lanes on Thursday evening. The project will "
    "cost about three million euros and is expected to be finished by the end of next year, "
    "according to the mayor, who said that it was an important step for the city."
)


FRENCH = (
    "Le conseil municipal a approuvé jeudi soir la construction de nouvelles pistes cyclables. "
    "Le projet coûtera environ trois millions d'euros et devrait être terminé à la fin de "
    "l'année prochaine, selon le maire qui a parlé d'une étape importante pour la ville."
)


LONG_PARAGRAPH = (
    "Der Gemeinderat von Talheim hat am Dienstagabend nach einer langen und teilweise hitzigen "
    "Debatte beschlossen, die alte Turnhalle der Grundschule abzureißen und an ihrer Stelle "
    "eine moderne Mehrzweckhalle zu errichten, die neben dem Schulsport auch den örtlichen "
    "Vereinen, der Musikschule und der Volkshochschule zur Verfügung stehen soll, wobei die "
    "Kosten nach ersten Schätzungen bei rund sechs Millionen Euro liegen und zu einem großen "
    "Teil vom Land getragen werden sollen."
)


def assert_offsets(article: Article) -> None:
    """Every block and sentence is an exact slice of Article.text, in order, ids as documented."""
    text = article.text
    previous_end = -1
    for block in article.blocks:
        assert text[block.start : block.end] == block.text, block.id
        assert "\n" not in block.text
        if block.text:
            assert block.start > previous_end, block.id
            previous_end = block.end
        for n, sent in enumerate(block.sentences, 1):
            assert text[sent.start : sent.end] == sent.text, sent.id
            assert sent.id == f"{block.id}.{n}"
            assert block.start <= sent.start < sent.end <= block.end
        if block.kind in ("title", "heading") and block.text:
            assert len(block.sentences) == 1
    for n, section in enumerate(article.sections, 1):
        assert section.id == f"sec{n}"
        if section.heading is not None:
            assert section.heading.id == f"h{n}"
        for k, block in enumerate(section.blocks, 1):
            assert block.id == f"b{n}.{k}"
    assert article.title.id == "t"
    if article.teaser is not None:
        assert article.teaser.id == "lead"
    nonempty = [b.text for b in article.blocks if b.text]
    assert text == "\n\n".join(nonempty)


def norm(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def assert_nothing_lost(article: Article, source: str) -> None:
    """Each source line is in the cleaned text or among the dropped lines (normalised)."""
    kept = norm(article.text)
    dropped = norm(" ".join(d.text for d in article.dropped))
    for line in source.splitlines():
        line = re.sub(r"\]\([^)]*\)", "]", line)  # Markdown link targets are not text
        line = re.sub(r"^\s*(?:[•\-*–·▪+>#]+|\d{1,3}[.)])\s+", "", line)  # markers are not text
        key = norm(line)
        assert key in kept or key in dropped, line


def load_text(tmp_path: Path, name: str, content: bytes) -> Article:
    path = tmp_path / name
    path.write_bytes(content)
    return load_article(path)


def body_texts(article: Article) -> list[str]:
    return [b.text for s in article.sections for b in s.blocks]


def input_error(match: str) -> pytest.RaisesExc[InputError]:
    return pytest.raises(InputError, match=match)


UMLAUT_PROBE = "„Gerade am Wochenende haben Eltern und Kinder Zeit zum Lesen“"


def sample_files() -> list[Path]:
    suffixes = {".txt", ".md", ".markdown", ".html", ".htm"}
    return sorted(
        p for p in SAMPLES.glob("*") if p.suffix in suffixes and p.name.lower() != "readme.md"
    )
