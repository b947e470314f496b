"""Text rules for German news: what is not article text, and what is not German.

* ``classify_line`` - boilerplate lines (below); ``is_comments_header`` - the "Kommentare"
  line that ends an article; ``parse_date`` / ``byline_author`` - metadata from such lines.
* ``duplicates`` - exact and near-duplicate paragraphs; ``repeated_sentences`` - a sentence
  repeated in another place.
* ``check_german`` - a cheap stop-word language check.

``classify_line`` looks at one standalone line (already stripped) and returns a short reason
code when the line is page furniture rather than article text, or ``None``. The caller keeps
every dropped line as a ``DroppedLine`` so nothing disappears silently.

Reason codes:

==================  ==========================================================================
promo               "Mehr lesen", "➤ Mehr lesen: ...", "Lesen Sie auch", "Mehr zum Thema",
                    "Jetzt abonnieren", "Newsletter", arrow-led teaser links
advertisement       "Anzeige", "Werbung", "Sponsored"
social_share        "Teilen", "Auf Facebook teilen", "Facebook Twitter WhatsApp E-Mail"
navigation          "Zur Startseite", "Nach oben", "Seite 2 von 3", breadcrumbs
photo_credit        "Foto: dpa/...", "Bild: ...", "© ...", "Quelle: dpa" (standalone, short)
photo_caption       a short caption line ending in "Foto: ..." / "Bild: ..."
agency_slug         ALL-CAPS-HYPHEN-WORDS such as BERLIN-VERKEHR-RADWEGE
agency_credit       "(dpa)", "dpa/lnw", "Mit Material von dpa und AFP"
cookie_banner       cookie consent text and its buttons
byline              "Von Lena Hartwig", "Autor: ...", "Ein Kommentar von ..."
dateline            a line that is only a date, e.g. "Dienstag, 12. Mai 2026, 14:30 Uhr"
reading_time        "Lesezeit: 4 Minuten"
separator           "***", "---", "* * *"
comments_trailer    set by the caller for a "Kommentare" line and everything after it
related_links       set by the caller for the short headline lines directly under a bare
                    "Mehr zum Thema" / "Lesen Sie auch" line (``run_header``); under a bare
                    "Newsletter" line such lines are ``promo``
==================  ==========================================================================

The rules only match whole short lines: a real sentence that happens to start with
"Lesen Sie auch ..." and ends with a full stop is kept.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass

from digest.checks.quantities import month_names
from digest.errors import InputError


def wordset(words: str) -> frozenset[str]:
    """A frozenset from a space-separated word list (keeps long lists readable)."""
    return frozenset(words.split())


_MONTHS = {name.lower(): n for name, n in month_names("de").items()}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

# Leading glyphs that mark a teaser link ("➤ Neue Buslinien ab Dezember"). "»" and ">" are not
# here: they are a German quotation mark and a Markdown quote.
_ARROWS = "➤►▶⇒→👉⟶➔➜"
_LEADING_JUNK = re.compile(rf"^[\s{_ARROWS}•·▪|+\-–—*]+")

_PROMO = re.compile(
    r"^(?:mehr\s+lesen|weiterlesen|weiter\s+lesen|zum\s+weiterlesen"
    r"|lesen\s+sie\s+(?:auch|mehr|hier|dazu|außerdem|weiter)"
    r"|mehr\s+(?:zum\s+thema|dazu|zu\s+diesem\s+thema|aus\s+de[rm]\s+ressort)"
    r"|(?:auch|ebenfalls)\s+interessant|das\s+könnte\s+sie\s+(?:auch\s+)?interessieren"
    r"|empfehlungen?\s+der\s+redaktion|weitere\s+(?:artikel|nachrichten|meldungen|beiträge)"
    r"|zum\s+thema|(?:jetzt|hier)\s+(?:abonnieren|anmelden|registrieren|weiterlesen|lesen"
    r"|testen|kostenlos\s+\w+|mehr\s+erfahren)"
    r"|abonnieren\s+sie|newsletter|zum\s+newsletter|hier\s+geht(?:'|’)?s\s+zum"
    r"|hier\s+geht\s+es\s+zum|artikel\s+anhören|audio\s+anhören)"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
_ADVERT = re.compile(
    r"^(?:anzeige|werbung|sponsored(?:\s+content)?|advertisement|gesponsert|advertorial"
    r"|bezahlte\s+partnerschaft)$",
    re.IGNORECASE,
)
_SHARE_TRIGGERS = wordset(
    "teilen teile twittern tweet facebook twitter x whatsapp telegram linkedin xing pinterest "
    "threads bluesky mastodon messenger reddit flipboard"
)
_SHARE_WORDS = _SHARE_TRIGGERS | wordset(
    "artikel beitrag seite jetzt auf per via e-mail email mail drucken kopieren link merken "
    "kommentieren feedback instagram youtube tiktok"
)
_NAV_LINES = re.compile(
    r"^(?:zur\s+startseite|startseite|zurück(?:\s+zur\s+übersicht)?|nach\s+oben"
    r"|zum\s+seitenanfang|seitenanfang|zur\s+übersicht|alle\s+artikel|mehr\s+artikel"
    r"|vorherige\s+seite|nächste\s+seite|zum\s+inhalt\s+springen|inhalt\s+überspringen"
    r"|menü|suche|login|anmelden|abmelden|impressum|datenschutz(?:erklärung)?|kontakt|agb"
    r"|seite\s+\d+\s+(?:von|/)\s+\d+|drucken|merken|schließen)$",
    re.IGNORECASE,
)
_BREADCRUMB_SEP = re.compile(r"\s+(?:›|»|>|/|\||→|»)\s+")
_PHOTO_CREDIT = re.compile(
    r"^\(?(?:fotos?|bild(?:er)?|archivfoto|archivbild|symbolfoto|symbolbild|titelbild|titelfoto"
    r"|grafik|illustration|video|quelle|bildquelle|bildrechte|fotograf(?:in)?|copyright)"
    r"\s*[:/]\s*\S.*$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^\(?(?:©|\(c\)|copyright\b)", re.IGNORECASE)
# The credit after "Foto:" must look like a name or agency, so "Das Bild: ein Chaos" stays.
_CAPTION_CREDIT = re.compile(
    r"(?:^|\s)\(?(?:fotos?|bild)\s*:\s*(?:(?-i:[A-ZÄÖÜ])|dpa|afp|imago|picture)[^.:!?]{0,60}\)?$",
    re.IGNORECASE,
)
_AGENCY_SLUG = re.compile(r"^[A-ZÄÖÜ0-9]{2,}(?:-[A-ZÄÖÜ0-9]{2,})+$")
_AGENCIES = r"(?:dpa|afp|ap|reuters|rtr|epd|kna|sid|dts|ddp|apa|sda|red|kna|dpa-afx|ots|lnw|lby)"
_AGENCY_CREDIT = re.compile(
    rf"^\(?{_AGENCIES}(?:\s*[/,]\s*(?:{_AGENCIES}|[a-z]{{2,4}}))*\)?\.?$"
    r"|^\(?mit\s+material\s+(?:von|der|des)\b.{0,80}$",
    re.IGNORECASE,
)
_COOKIE_WORDS = re.compile(r"akzeptier|zustimm|einwillig|datenschutz|einstellungen|ablehnen", re.I)
_COOKIE_BUTTON = re.compile(
    r"^(?:alle\s+)?(?:akzeptieren|ablehnen|zustimmen)(?:\s+und\s+weiter)?$", re.I
)
_COMMENTS_HEADER = re.compile(
    r"^(?:\d+\s+)?(?:kommentare|leserkommentare|leserbriefe|reaktionen)(?:\s*\(\d+\))?:?$"
    r"|^(?:kommentar\s+schreiben|kommentare\s+(?:anzeigen|lesen|einblenden)"
    r"|diskutieren\s+sie\s+mit|diskussion\s*\(\d+\)|jetzt\s+kommentieren)\b.{0,40}$",
    re.IGNORECASE,
)
# Names must start upper-case even inside IGNORECASE patterns, hence the scoped (?-i:...).
_NAME = r"(?-i:[A-ZÄÖÜ])[\w.'’\-]*"
_BYLINE = re.compile(
    rf"^(?:(?:ein\s+(?:kommentar|gastbeitrag|interview|essay|bericht)\s+)?von"
    r"(?:\s+(?:unserer|unserem|unseren)\s+\w+)?"
    rf"\s+{_NAME}(?:\s+(?:und|von|van|de|der|zu|{_NAME}))*"
    r"|(?:autor(?:in)?|text|recherche|redaktion)\s*:\s*\S.*)"
    r"(?:\s*[,·|•–—]\s*.*)?$",
    re.IGNORECASE,
)
_WEEKDAY = r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)"
_DATE_CORE = (
    rf"(?:\d{{1,2}}\.\s*(?:{_MONTH_ALT})\s+\d{{4}}|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
_DATELINE = re.compile(
    r"^(?:(?:veröffentlicht|aktualisiert|erstellt|zuletzt\s+aktualisiert|stand|datum)"
    r"(?:\s+am)?\s*:?\s*)?"
    r"(?:(?-i:[A-ZÄÖÜ])[\w\-]+(?:\s+(?-i:[A-ZÄÖÜ])[\w\-]+)?\s*,\s*)?"  # place: "Berlin, "
    rf"(?:{_WEEKDAY}\s*,?\s*(?:den\s+)?)?{_DATE_CORE}"
    r"(?:\s*(?:,|um|-|–|\|)?\s*\d{1,2}[:.]\d{2}(?:\s*uhr)?)?\.?$",
    re.IGNORECASE,
)
_READING_TIME = re.compile(
    r"^(?:lesezeit|lesedauer)\s*:?\s*(?:ca\.\s*)?\d+\s*(?:min\.?|minuten?)$", re.I
)
_SEPARATOR = re.compile(r"^[\s*\-_=~#·•.+]{3,}$")
SENTENCE_END = re.compile(r"[.!?…]['\"“”«»)]*$")


def _words(line: str) -> int:
    return len(line.split())


def is_comments_header(line: str) -> bool:
    """A "Kommentare" heading: it and everything after it is reader comments, not article."""
    return bool(_COMMENTS_HEADER.match(line.strip()))


def classify_line(line: str) -> str | None:
    """Reason code if this standalone line is boilerplate, else ``None``."""
    s = line.strip()
    if not s:
        return None
    if _SEPARATOR.match(s) and not any(ch.isalnum() for ch in s):
        return "separator"
    n_words = _words(s)
    if n_words > 60:
        return None
    lowered = s.lower()
    if "cookie" in lowered and _COOKIE_WORDS.search(s):
        return "cookie_banner"
    if n_words > 40:
        return None
    if _AGENCY_SLUG.match(s):
        return "agency_slug"
    if _COPYRIGHT.match(s) and n_words <= 15:
        return "photo_credit"
    if _PHOTO_CREDIT.match(s) and n_words <= 12:
        return "photo_credit"
    if n_words <= 40 and _CAPTION_CREDIT.search(s) and n_words >= 3:
        return "photo_caption"
    core = _LEADING_JUNK.sub("", s).strip()
    core_l = core.lower().rstrip(":.!")
    if _ADVERT.match(core_l.strip("–—-[]() ")):
        return "advertisement"
    if _COOKIE_BUTTON.match(core_l):
        return "cookie_banner"
    if n_words <= 20:
        m = _PROMO.match(core)
        # Promo only when the phrase is followed by a separator or the line is not a sentence:
        # "Lesen Sie auch: ..." is promo, "Lesen Sie auch die Hinweise der Polizei." is text.
        if m and (
            not m.group("rest").strip()
            or re.match(r"^\s*[:\-–—»›→|(]", m.group("rest"))
            or not SENTENCE_END.search(s)
        ):
            return "promo"
        if s[0] in _ARROWS and n_words <= 15:
            return "promo"
    tokens = [t.strip(".,:;|·•") for t in lowered.replace("|", " ").split()]
    tokens = [t for t in tokens if t]
    if tokens and n_words <= 10:
        if all(t in _SHARE_WORDS for t in tokens) and any(t in _SHARE_TRIGGERS for t in tokens):
            return "social_share"
        if re.match(r"^(?:artikel|beitrag|seite)?\s*(?:jetzt\s+)?teilen\b", core_l) and (
            not SENTENCE_END.search(s)
        ):
            return "social_share"
    if _NAV_LINES.match(core_l):
        return "navigation"
    if _is_breadcrumb(s):
        return "navigation"
    if _AGENCY_CREDIT.match(s):
        return "agency_credit"
    if _READING_TIME.match(s):
        return "reading_time"
    if n_words <= 16 and _DATELINE.match(s):
        return "dateline"
    if n_words <= 16 and _BYLINE.match(s) and not SENTENCE_END.search(s.rstrip(")")):
        return "byline"
    return None


_RELATED_HEADER = re.compile(
    r"^(?:lesen\s+sie|mehr\s+zu|mehr\s+aus|zum\s+thema|auch\s+interessant|ebenfalls"
    r"|das\s+könnte|empfehlung|weitere)",
    re.IGNORECASE,
)


def run_header(line: str) -> str | None:
    """Reason for the short lines listed under a bare promo header, else ``None``.

    "Mehr zum Thema" or "Lesen Sie auch" alone on a line introduce a list of headlines
    (``related_links``); a bare "Newsletter" introduces its sign-up pitch (``promo``).
    """
    core = _LEADING_JUNK.sub("", line.strip().lstrip("#")).strip()
    m = _PROMO.match(core)
    if not m or m.group("rest").strip(" :.–—-»›→|"):
        return None
    return "related_links" if _RELATED_HEADER.match(core) else "promo"


def run_member(line: str) -> bool:
    """A line that can belong to such a list: short, and not a sentence ending in a period."""
    s = line.strip()
    return 0 < _words(s) <= 15 and not re.search(r"\.['\"“”«»)]*$", s)


def _is_breadcrumb(line: str) -> bool:
    if "«" in line or SENTENCE_END.search(line):
        return False
    parts = _BREADCRUMB_SEP.split(line)
    return len(parts) >= 3 and all(0 < _words(p) <= 4 for p in parts) and _words(line) <= 14


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD`` (German or ISO notation), else None."""
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(rf"(\d{{1,2}})\.\s*({_MONTH_ALT})\s+(\d{{4}})", text, re.IGNORECASE)
    if m:
        return _iso(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = re.search(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b", text)
    if m:
        year = int(m.group(3))
        if year < 100:
            year += 2000
        return _iso(year, int(m.group(2)), int(m.group(1)))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def byline_author(line: str) -> str | None:
    """The name part of a byline ("Von Lena Hartwig · 12. Mai 2026" -> "Lena Hartwig")."""
    s = line.strip()
    m = re.match(r"^(?:autor(?:in)?|text|recherche|redaktion)\s*:\s*(.+)$", s, re.IGNORECASE)
    if m:
        return re.split(r"\s*[,·|•–—]\s*", m.group(1))[0].strip() or None
    m = re.match(
        rf"^(?:ein\s+\w+\s+)?von(?:\s+(?:unserer|unserem|unseren)\s+\w+)?\s+"
        rf"({_NAME}(?:\s+(?:und|von|van|de|der|zu|{_NAME}))*)",
        s,
        re.IGNORECASE,
    )
    return m.group(1).strip() if m else None


# -- duplicate paragraphs -------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def duplicates(items: list[tuple[str, str, bool]]) -> dict[str, str]:
    """{duplicate id: original id} over (id, text, is_teaser) in reading order."""
    out: dict[str, str] = {}
    norms = [_norm(t) for _, t, _ in items]
    tokens = [n.split() for n in norms]
    first: dict[str, str] = {}
    for (bid, _, _), n, tk in zip(items, norms, tokens, strict=True):
        if len(tk) >= 3:
            if n in first:
                out[bid] = first[n]
            else:
                first[n] = bid
    # Near duplicates by 3-word-shingle Jaccard >= 0.85, with prefix filtering so that a long
    # document is not compared pair by pair: two sets that similar must share a "rare" shingle.
    shingles = [
        frozenset(" ".join(tk[i : i + 3]) for i in range(len(tk) - 2)) if len(tk) >= 8 else None
        for tk in tokens
    ]
    df: dict[str, int] = {}
    for sh in shingles:
        for s in sh or ():
            df[s] = df.get(s, 0) + 1
    index: dict[str, list[int]] = {}
    for i, sh in enumerate(shingles):
        if sh is None or items[i][0] in out:
            continue
        ordered = sorted(sh, key=lambda s: (df[s], s))
        prefix = ordered[: len(ordered) - math.ceil(0.85 * len(ordered) - 1e-9) + 1]
        match = None
        for j in sorted({j for s in prefix for j in index.get(s, ())}):
            other = shingles[j]
            assert other is not None
            inter = len(sh & other)
            if inter / (len(sh) + len(other) - inter) >= 0.85:
                match = j
                break
        if match is not None:
            out[items[i][0]] = items[match][0]
            continue
        for s in prefix:
            index.setdefault(s, []).append(i)
    # A block of 8+ words repeated inside another one (a pull quote, a summary box) is
    # redundant too. A block that contains it has all its shingles, so only the blocks
    # holding its rarest shingle are candidates: not every pair of a long document.
    holders: dict[str, list[int]] = {}
    for j, sh in enumerate(shingles):
        for s in sh or ():
            holders.setdefault(s, []).append(j)
    padded = [f" {n} " for n in norms]
    for i, (bid, _, is_teaser) in enumerate(items):
        sh = shingles[i]
        if bid in out or is_teaser or sh is None:
            continue
        rarest = min(sh, key=lambda s: (df[s], s))
        for j in holders[rarest]:  # ascending: the first container in reading order wins
            other_id = items[j][0]
            if (
                j != i
                and other_id not in out
                and len(tokens[j]) > len(tokens[i])
                and padded[i] in padded[j]
            ):
                out[bid] = other_id
                break
    return out


def repeated_sentences(items: list[tuple[str, str]]) -> dict[str, str]:
    """{repeat id: first id} over (sentence id, text) in reading order.

    Sentences are compared by their lower-cased words (punctuation, quotes and spacing
    ignored), through a hash table: linear in the number of sentences. Sentences of fewer
    than four words ("Das ist alles.") may repeat on purpose and are left alone.
    """
    first: dict[str, str] = {}
    out: dict[str, str] = {}
    for sid, text in items:
        key = _norm(text)
        if key.count(" ") < 3:
            continue
        if key in first:
            out[sid] = first[key]
        else:
            first[key] = sid
    return out


# -- language ---------------------------------------------------------------------------------


# Function words that are frequent in German and (nearly) absent from the other languages;
# "die", "in", "an", "so", "war", "will", "des", "es" ... are left out because they are words
# elsewhere too.
_DE_WORDS = wordset(
    "der das und ist nicht ein eine einen einem einer eines zu den dem von mit sich auf für im "
    "auch werden wird wurde wurden hat haben hatte sind waren dass sie er wir ich nach bei aus "
    "zum zur noch wie über oder aber vor bis durch nur mehr kann können muss soll sollen wenn "
    "sein seine ihre ihr diese dieser dieses schon sei doch gegen unter zwischen seit ohne sehr "
    "jetzt dann weil denn damit immer beim vom ins habe keine kein worden gibt nun bereits"
)
_OTHER_WORDS = {
    "English": wordset(
        "the and of to is that it for with on are be by this have from or but not which they "
        "he she we you has had been were their its would can at there what about more also "
        "than into who after said"
    ),
    "French": wordset(
        "le la les et des du un une est que qui pour dans pas sur au aux avec ce cette il elle "
        "nous vous sont ont par plus mais ou se ne son sa ses été être"
    ),
    "Spanish": wordset(
        "el la los las y que en un una es por con para del se no su al lo como más pero sus ya "
        "este porque esta entre cuando muy sin sobre también"
    ),
    "Italian": wordset(
        "il di che e la per un non sono della del con una gli le si nel alla da ha anche più ma "
        "questo come"
    ),
    "Dutch": wordset(
        "de het een en van is dat op te zijn voor met niet aan er maar ook als bij door om "
        "wordt naar worden uit heeft nog wel deze kan"
    ),
}


# Letters and letter groups that are common in German words and rare in English, French,
# Spanish, Italian and Dutch ones: the evidence a short headline-like text has when it holds
# no function words ("Bahnstreik legt Fernverkehr bundesweit lahm.").
_GERMAN_MARK = re.compile(r"[äöüß]|tz|pf|ck|sch|chs|cht|ei(?!j)|ung(?:en)?$|keit|heit|lich")
# Below this many words the stop-word ratio says little; the short-text rule decides.
SHORT_TEXT_WORDS = 40


@dataclass(frozen=True)
class LanguageGuess:
    """Counts behind the German check; ``german`` is the verdict."""

    words: int
    german_words: int  # German function words
    other_lang: str
    other_words: int  # function words of the likeliest other language
    marks: int  # words with German letter groups (ä ö ü ß, sch, tz, ck, -ung, -keit ...)

    @property
    def german(self) -> bool:
        if self.words >= SHORT_TEXT_WORDS:
            de, other = self.german_words / self.words, self.other_words / self.words
            return not (de < 0.05 or (de < 0.15 and other > de))
        # A German spelling is weaker evidence than a function word: it counts half.
        if self.other_words > self.german_words + self.marks / 2:
            return False
        return self.german_words > 0 or self.marks > 0

    def reason(self) -> str:
        """Why the text is not German, in the terms the verdict used."""
        if self.words >= SHORT_TEXT_WORDS:
            de, other = self.german_words / self.words, self.other_words / self.words
            closer = f"; {self.other_lang} {other:.2f}" if other > de else ""
            return f"German stop-word ratio {de:.2f}{closer}"
        if self.other_words > self.german_words + self.marks / 2:
            return (
                f"{self.other_words} {self.other_lang} function words against "
                f"{self.german_words} German ones and {self.marks} German spellings "
                f"in {self.words} words"
            )
        return f"no German function words or German spellings in its {self.words} words"


def guess_language(text: str) -> LanguageGuess:
    # Counted per distinct word: a long text repeats most of its words.
    counts = Counter(re.findall(r"[^\W\d_]+", text.lower()))

    def hits(words: frozenset[str]) -> int:
        return sum(n for w, n in counts.items() if w in words)

    lang, other = max(((lang, hits(s)) for lang, s in _OTHER_WORDS.items()), key=lambda kv: kv[1])
    return LanguageGuess(
        words=sum(counts.values()),
        german_words=hits(_DE_WORDS),
        other_lang=lang,
        other_words=other,
        marks=sum(n for w, n in counts.items() if _GERMAN_MARK.search(w)),
    )


def check_german(text: str, name: str) -> None:
    guess = guess_language(text)
    if not guess.german:
        raise InputError(f"{name} does not look like German text ({guess.reason()})")
