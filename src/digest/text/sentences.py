"""German sentence segmentation with exact character offsets.

``split_sentences(text)`` returns ``(start, end)`` spans into *text*.  Spans are in order,
never overlap, carry no leading or trailing whitespace, and together cover every
non-whitespace character of the input.

How it works
------------
1. **Units.**  The text is cut into units of lines.  A blank line (or a paragraph/form-feed
   separator) always ends a unit.  A Markdown heading line (``# ...``) or a rule line
   (``---``) is a unit of its own.  A line starting with a bullet (``-``, ``*``, ``•`` ...)
   starts a new unit; a numbered/lettered marker (``1.``, ``2)``, ``a)``) or an en dash does
   so only where a list is plausible (after a line ending in ``.:!?;``, inside a list, or when
   the next line is a list item too), so that a wrapped line like ``am\\n13. September`` stays
   one sentence.  Any other single line break is ordinary whitespace.  The end of a unit is
   always a sentence end, which is how headings and list items without final punctuation
   become sentences.
2. **Candidates.**  Inside a unit, a run of ``. ! ? …`` plus any closing quotes/brackets
   directly after it (``.“``, ``?«``, ``.)``) is a candidate boundary when whitespace follows.
   Dots inside tokens (``1.200``, ``12.30``, ``www.example.de``, ``a.b@c.de``) are never
   candidates, and the closing quote stays with its sentence.
3. **Decisions.**  ``?``/``!`` end a sentence unless a lowercase word follows
   (``„Wo?“ fragte er``).  An ellipsis ends one before a capitalised word, but not before a
   lowercase word or a number, and never inside brackets (``[…]``).  A single period is
   judged by the token before it and the word after it:

   * known abbreviations in four classes - *never final* (``Dr.``, ``z. B.``, ``bzw.``,
     ``ca.``, ``Nr.`` ...: no boundary), *usually final* (``usw.``, ``etc.``: boundary before
     a capital), *ambiguous* (``Mio.``, ``u. a.``, ``Jh.``, ``Str.``, ``Jan.``, ``Fr.``,
     initials ``K.``, vowel-less tokens like ``Tsd.``: boundary before a typical sentence
     starter or a new clause, see below), *reference* (``Art. 5``, ``Abb. 3``: no boundary
     before the number they point to; not before a decimal ``3,5``, and ``Fax.`` only
     before a phone number ``0351 ...``, so ``per Fax. 3,5 Stunden ...`` is a boundary);
   * a count ``Tsd.``/``Mio.``/``Mrd.`` is followed in its sentence by what it counts (a
     plural noun, ``Euro``, ``Tonnen``) or a year (``von 1,2 Mio. 2019 auf``): before any
     other figure (``1,2 Mrd. 2. Liga: ...``) or a singular feminine noun followed by a name
     or number (``2,5 Mio. Version 2.1.3 ...``; ``-ung``, ``-heit``, ``-ion`` ...) it ends;
   * after a month abbreviation only a year may follow in the sentence (``6. Jan. 2025``),
     no ordinal (``bis zum 6. Jan. 3. Liga: ...``); a weekday closing a range (``Mo. bis
     Fr.``) is no "Frau" and ends before a capitalised word other than a time of day
     (``Do. Nachmittag``); ``usw.``/``etc.``/``o. ä.`` end before a figure when their clause
     has its verb (``Erlaubt sind Fahrräder, Roller o. ä. 14 davon ...``), not in a list
     without one (``Miete, Strom usw. 300 Euro``);
   * numbers, see below;
   * any other word: boundary unless a lowercase word follows.

Sentence ending in a number (documented rule)
---------------------------------------------
``<number>. <next>`` is read as an **ordinal or date** (no boundary) when *next* is lowercase,
a number (``3. 10. 2025``) or a month name.  It is a **boundary** when *next* is a typical
sentence starter - a closed-class capitalised word such as ``Die``, ``Er``, ``Dann``,
``Doch``, ``Im`` (list ``_STARTERS``) - or opens with a quote or bracket
(``bei 5. Dann ...``, ``lag bei 5. „Das ...``).  For any other capitalised *next* word the
word *before* the number decides: after an article, a preposition-article contraction, a
possessive, ``als``/``in``/``und``/``bis``, a comma, a further ordinal, or at the start of a
sentence the number is an ordinal (``der 2. Besuch``, ``1. FC Köln``, ``im 20. Jahrhundert``,
``Mitte des 19. Jhs.``) - and so it is inside an unclosed bracket (``(71. Minute)``,
``(3. Liga)``); otherwise it is a cardinal closing the sentence (``lag bei 5. Experten ...``).
Before another number it is part of a date only when the pair can be one (``am 1. 2. 2024``,
``3. 10.``: day or month, then ``<n>.`` or a year); before a figure that cannot continue a
date (``beträgt 204. 4.090 Personen ...``, ``auf 17. 12 Schulen ...``) it ends the sentence.
Numbers that cannot be ordinals - four or more digits
(years), decimals ``3,5``, grouped ``1.200``, ratios ``3:1`` - end the sentence before any
capitalised word.  The same starter test governs Roman numerals and single-letter initials.

A second finite verb (documented rule)
--------------------------------------
Where the rules above keep ``<abbreviation or ordinal>. <Capitalised>`` together (``1,5
Mio. Menschen``, ``am 15. Spieltag``, ``bis Fr. Müller``), one more test may split: a German
main clause has one finite verb, in second place.  The period ends the sentence when its
clause (back to a comma, colon, conjunction or opening bracket) already has a finite verb
and one follows the next one or two capitalised words: ``Die Stadt zählt rund 1,5 Mio. |
Experten sind alarmiert.``, ``Die Frist endet am 15. | Gefördert werden ...``, ``bis zum 6.
Jan. | Leverkusen folgt ...``, ``... Mo. bis Fr. | Eingeführt wurde ...``.  Without a verb
in front the count or ordinal opens its own clause (``1,5 Mio. Menschen sind betroffen``,
``Am 15. Spieltag hat ...``).  Verbs are recognised by form and place, not from a
dictionary: auxiliaries, modals and frequent strong past forms (``sind``, ``wurde``,
``lag``), a present tense in -t (``folgt``), a past in -te (``sagte``) or a plural in -en
(``kosten``) where no infinitive or adjective can stand (``will ... haben``, ``einen
Zuschuss``), and the word after an article and noun opening the clause (``Die
Spendenaktion ergab``).  Participles (``gepflanzt``; ``verletzt``, ``erhalten`` after
haben, sein, bleiben, gehen, kommen), particles (``bereit``, ``fest``) and adverbs
(``weltweit``, ``sofort``) do not count.  A month after an ordinal is always a date.

Everything is linear-time: the only regexes run over bounded windows or are free of nested
quantifiers, so pathological input (long runs of dots, no punctuation at all) cannot hang.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum

from digest.checks.quantities import month_names

__all__ = ["sentences", "split_sentences"]

Span = tuple[int, int]
TieBreaker = Callable[[int], bool]


class _Verdict(Enum):
    SPLIT = "split"
    JOIN = "join"
    # No rule is confident (e.g. "word. Capitalised" could hide an unknown abbreviation);
    # the default is to split, a tie breaker may decide otherwise.
    UNSURE = "unsure"


class _Abbr(Enum):
    NEVER_FINAL = "never-final"  # Dr., z. B., bzw.: a sentence cannot end here
    USUALLY_FINAL = "usually-final"  # usw., etc.: they close enumerations
    AMBIGUOUS = "ambiguous"  # Mio., u. a., Jh.: split only before a sentence starter
    REFERENCE = "reference"  # Art. 5, Tab. 3: an abbreviation only when a number follows


# --- character classes ------------------------------------------------------------------

_OPENERS = "„‚\"'»«›‹“‘([{"
_CLOSERS = "\"'“”»«›‹’‘)]}"
_OPEN_BRACKETS = "([{"
_CLOSE_BRACKETS = ")]}"
# Line ends that always close a unit, like a blank line would.
_HARD_BREAKS = "\x0c\x1c\x1d\x1e\u2029"
_LINE_END_PUNCT = ".:!?;…"
_TRAILING = ".,;:!?…" + _CLOSERS
_VOWELS = frozenset("aeiouyäöüAEIOUYÄÖÜéèáàóò")

# --- regexes (all anchored or without nested quantifiers: no catastrophic backtracking) ---

_TERMINAL_RE = re.compile(r"[.!?…‽⁇⁈⁉]+")
_WS_RE = re.compile(r"\s+")
_ALNUM_RE = re.compile(r"[^\W_]")
_WORD_RE = re.compile(r"[^\W\d_]+")
_HEADING_RE = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_RULE_LINE_RE = re.compile(r"[ \t]{0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*")
_MARKER_RE = re.compile(
    r"[ \t]{0,8}(?P<sym>[-*+•·▪‣◦➤►■□●○]|[–—]|\d{1,3}[.)]|\(\d{1,3}\)|[a-zA-Z]\)|\([a-zA-Z]\))"
    r"(?:[ \t]|$)"
)
_SMALL_INT_RE = re.compile(r"\d{1,3}")
_DAY_MONTH_RE = re.compile(r"\d{1,2}\.\d{1,2}")
_GROUPED_RE = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+,\d+")
_DATE_PART_RE = re.compile(r"\d{1,2}\.[“”\"»«)]*")
_YEAR_RE = re.compile(r"\d{4}[.,;:)]*|\d{2}[.,;:)]*")
_DECIMAL_RE = re.compile(r"\d+,\d")
_ORDINAL_TOKEN_RE = re.compile(r"\d{1,3}\.")
_CARDINAL_RE = re.compile(r"\d[\d.,:/\-]*")
_ROMAN_RE = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_DOTTED_ACRONYM_RE = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}")
_ENUMERATOR_RE = re.compile(r"\d{1,3}|[IVXivx]{1,4}|[^\W\d_]")

# How far to look back for the token before a period, and ahead for the next word.
_LOOKBACK = 200
_LOOKAHEAD = 160
_REST = 7  # tokens read after the next one

# --- word lists -------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviation keys are written as the token appears without its final dot; multi-part ones
# are joined without spaces ("z. B." -> "z.B").  Lowercase keys also match when capitalised
# at the start of a sentence.
_NEVER_FINAL = _words(
    # titles and forms of address
    "Dr Prof Hr Hrn Frl Dres Mr Mrs Ms St Hl Dipl Dipl.-Ing Ing Mag Univ Priv Doz "
    "med rer nat phil jur oec habil Präs Vors Abg Stv stv Gebr Fa "
    # references and numbering that a number or name always follows
    "Nr Abs Tel "
    # adverbial and prepositional abbreviations
    "vgl ca bzw ggf ggfs evtl inkl exkl zzgl bspw bzgl sog insb insbes einschl geb gem lt "
    "ggü gegr verh dt ehem allg urspr zw mind max Bsp "
    # multi-part
    "z.B d.h u.U v.a i.d.R z.T z.Zt o.g m.E u.E i.A i.V i.S i.S.v i.V.m z.Hd"
)
# "o. ä." / "u. ä." close an enumeration like "usw." does.
_USUALLY_FINAL = _words("usw etc usf u.v.m u.a.m ff o.ä o.Ä u.ä u.Ä")
_AMBIGUOUS = _words(
    "Mio Mrd Tsd Jh Jhs Jhd Jhdt Chr v.Chr n.Chr u.a s.o s.u e.V a.M a.D "
    "i.R Str Hbf Bhf Co Inc Ltd Corp Jr Sr MwSt Std Min Sek Hrsg Aufl Anm Abt Nachf Verf "
    "Ztg Ausg Bez BGBl Jan Feb Mär Apr Jun Jul Aug Sep Sept Okt Nov Dez Mo Di Mi Do Fr Sa So"
)
# Also ordinary words ("Art", "Fax", "Tab"): abbreviations only when a number follows.
_REFERENCE = _words("Art Bd Kap Ziff Tab Abb Fn Rn Tz Vol Jg Kl Gr Pos Bl Fax")
# Fax numbers are phone numbers: "Fax." is an abbreviation only before one.
_PHONE_REFERENCES = _words("Fax Telefax")
# Vowel-less words that are not abbreviations and may well end a sentence.
_VOWELLESS_WORDS = _words("Pkw Lkw Kfz km kg cm mm ml dl qm qkm ct")
# Counts of thousands, millions, billions: a number precedes them and what follows in the
# same sentence is what is counted (a plural noun, a currency or a unit) or a year.
_QUANTITIES = _words("Tsd Mio Mrd")
_UNITS = _words(
    "Euro Cent Dollar US-Dollar Franken Pfund Yen Yuan Rubel Kronen Mark Tonnen Liter "
    "Hektoliter Barrel Meter Kilometer Quadratmeter Quadratkilometer Kubikmeter Hektar "
    "Kilowattstunden Megawattstunden Gigawattstunden Terawattstunden Mal Prozent"
)
# Endings of feminine nouns in the singular ("Version", "Förderung", "Mehrheit"): such a
# noun is not the plural or unit a count in millions is followed by.
_SINGULAR_FEMININE = ("ung", "heit", "keit", "schaft", "tät", "ion", "ik", "enz", "anz", "ie")
_ABBREVIATIONS: dict[str, _Abbr] = {
    **dict.fromkeys(_REFERENCE, _Abbr.REFERENCE),
    **dict.fromkeys(_AMBIGUOUS, _Abbr.AMBIGUOUS),
    **dict.fromkeys(_USUALLY_FINAL, _Abbr.USUALLY_FINAL),
    **dict.fromkeys(_NEVER_FINAL, _Abbr.NEVER_FINAL),
}

# Capitalised closed-class words that typically open a German sentence.  Deliberately no
# nouns: an ordinal or an abbreviation like "Mio." is normally followed by a noun.
_STARTERS = _words(
    # articles, determiners, quantifiers
    "Der Die Das Den Dem Des Ein Eine Einen Einem Einer Eines Kein Keine Keinen Keinem "
    "Keiner Dieser Diese Dieses Diesem Diesen Jeder Jede Jedes Jeden Jedem Alle Viele "
    "Manche Einige Beide Mehrere Solche Welche Welcher Welches "
    # pronouns and possessives
    "Ich Du Er Sie Es Wir Ihr Man Mein Meine Sein Seine Seinen Seinem Seiner Ihre Ihren "
    "Ihrem Ihrer Unser Unsere Unseren Unserem Dies Dass Jemand Niemand Nichts Alles Etwas "
    "Deren Dessen "
    # question words
    "Wer Was Wo Wie Wann Warum Weshalb Wieso Wohin Woher "
    # conjunctions and sentence adverbs
    "Und Oder Aber Doch Denn Sondern Dann Danach Davor Damit Dabei Dafür Dagegen Daher "
    "Darum Deshalb Deswegen Dennoch Trotzdem Jedoch Allerdings Auch Außerdem Zudem Zugleich "
    "Ebenso Ebenfalls So Nun Jetzt Heute Gestern Bereits Schon Noch Nur Erst Zunächst "
    "Anschließend Später Schließlich Letztlich Zuletzt Zuvor Bisher Bislang Inzwischen "
    "Mittlerweile Immerhin Zwar Vielmehr Stattdessen Hier Dort Da Dazu Darüber Daraufhin "
    "Demnach Demzufolge Laut Obwohl Weil Wenn Als Ob Während Nachdem Bevor Seitdem Sobald "
    "Solange Falls Sofern Insgesamt Eigentlich Natürlich Offenbar Vermutlich "
    "Wahrscheinlich Tatsächlich Gleichzeitig Besonders Ja Nein Nicht Kaum Fast Genau "
    "Hinzu Somit Also Folglich Sonst Übrigens Damals Künftig Bald Dadurch Deutlich Vor "
    "Nach Im Am Um Zum Zur Vom Beim Ins In An Auf Aus Bei Mit Von Für Über Unter Gegen "
    "Ohne Durch Trotz Wegen Seit Bis Ab Zwischen Neben Hinter Vielleicht Leider Hoffentlich "
    "Möglicherweise Jedenfalls Gerade Wieder Oft Meist Manchmal Immer Nie Niemals Überall "
    "Vorerst Erstmals Zuerst Weiterhin Ferner Sowohl Entweder Weder Endlich Dahinter "
    "Daneben Darauf Daraus Darin Darunter Dazwischen Hierbei Hierfür Hierzu Rund Etwa "
    "Nahezu Mindestens Höchstens Maximal Mehr Weniger Vieles Manches Einiges Beides"
)

_MONTHS = frozenset(month_names("de", abbreviations=True))  # "Januar", "Jänner", "Sept", ...
_WEEKDAYS = _words("Mo Di Mi Do Fr Sa So")
# What may follow a weekday in its sentence: a time of day ("Do. Nachmittag").
_DAYTIMES = _words("Morgen Vormittag Mittag Nachmittag Abend Nacht Früh")

# Words after which "<number>." is read as an ordinal ("der 2.", "zum 5.", "als 3.").
_ORDINAL_CONTEXT = _words(
    "der die das des dem den ein eine einer eines einem einen am im zum zur vom beim ins ans "
    "aufs jeder jede jedes jedem jeden kein keine keiner keines keinem keinen dieser diese "
    "dieses diesem diesen jener jene jenes jenem jenen sein seine seiner seines seinem "
    "seinen ihr ihre ihrer ihres ihrem ihren mein meine meiner meines meinem meinen unser "
    "unsere unserer unseres unserem unseren euer eure dein deine deren dessen als welche "
    "welcher welches welchem welchen und oder sowie bis bzw in insgesamt bereits schon erst "
    "nun nunmehr mittlerweile inzwischen bislang jeweils – - /"
)

# Finite verb forms that are nothing else (no noun, adjective or participle): auxiliaries,
# copula, modals and frequent strong past forms.  Werden, the modals and lassen take a bare
# infinitive at the clause end, so after them a word in -en may be that infinitive ("Die
# Stadt will 4 Mio. Bäume pflanzen lassen").
_MODALS = _words(
    "wird werden wurde wurden würde würden werde kann können konnte konnten könnte könnten "
    "soll sollen sollte sollten muss müssen musste mussten müsste müssten darf dürfen "
    "durfte durften dürfte dürften will wollen wollte wollten mag möchte möchten lässt "
    "lassen ließ ließen"
)
# Verbs that take a participle: haben and sein ("hat ... erhalten"), bleiben ("blieb
# erhalten"), gehen and kommen ("ging verloren", "kam verletzt vom Feld").
_PARTICIPLE_VERBS = _words(
    "ist sind war waren sei seien wäre wären bin bist hat haben hatte hatten hätte hätten "
    "habe bleibt bleiben blieb blieben geht gehen ging gingen kommt kommen kam kamen"
)
_FINITE = (
    _MODALS
    | _PARTICIPLE_VERBS
    | _words(
        "gibt gab gaben lag lagen stand "
        "standen fiel fielen stieg stiegen sank sanken betrug betrugen hielt hielten lief "
        "liefen nahm nahmen traf trafen zog zogen fand fanden sah sahen bekam bekamen erhielt "
        "erhielten sprach sprachen heißt wies wiesen rief riefen schrieb schrieben schien "
        "schienen fuhr fuhren trug trugen schlug schlugen wuchs wuchsen bot boten bat baten "
        "saß saßen"
    )
)
# Finite forms that double as infinitives ("Die Stadt will 4 Mio. Einwohner haben und ...").
_INFINITIVE_LIKE = _words("werden haben können sollen müssen dürfen wollen lassen bleiben")
# Lowercase words ending in -t that are no finite verbs: particles, adverbs, adjectives.
_NOT_FINITE_T = _words(
    "nicht mit seit jetzt bereits insgesamt zuletzt laut statt samt direkt konkret damit "
    "somit womit bereit fest fort acht recht leicht gut halt oft nett spät tot rot alt kalt "
    "breit komplett exakt absolut perfekt privat gesamt wert echt schlecht dicht "
    "bekannt bunt hart sanft zart weit sofort dort derart vielleicht satt glatt platt "
    "prompt fit kaputt nackt strikt korrekt robust intakt wett zurecht"
)
# Lowercase words in -en that are no finite verbs: adverbs, particles, adjectives and the
# determiners that open a second object ("gibt 3 Mio. Menschen einen Zuschuss").
_NOT_FINITE_EN = _words(
    "morgen übermorgen oben unten innen außen eben zusammen entgegen wegen gegen neben "
    "binnen zwischen offen eigen selten trocken vorhanden zufrieden daneben dagegen "
    "hingegen betroffen entschlossen verschlossen erschrocken verborgen benommen verlassen "
    "verschieden bescheiden erfahren verbunden verlegen einen keinen "
    "seinen ihren unseren euren meinen deinen diesen jenen welchen manchen allen beiden "
    "vielen wenigen einigen anderen weiteren den denen solchen sämtlichen jeden"
)
# What follows a figure in the first part of a clause: "14 davon liegen ...".
_COUNT_PARTS = _words("davon darunter weitere weiteren")
# Articles and determiners that open a clause's first part ("Die Spendenaktion ergab").
_ARTICLES = _words(
    "der die das den dem des ein eine einen einem einer eines dieser diese dieses diesem "
    "diesen jeder jede jedes kein keine mein meine sein seine ihr ihre unser unsere"
)
# Prepositions and particles that may follow the noun of a first part.
_PARTICLES = _words(
    "pro je per via samt inklusive exklusive plus minus mal anstatt außer gemäß entlang "
    "dank infolge mittels seitens anhand aufgrund angesichts anlässlich hinsichtlich "
    "bezüglich zwecks innerhalb außerhalb oberhalb unterhalb abseits jenseits zufolge "
    "gegenüber zuliebe selbst allein wiederum indes nämlich etwa beispielsweise"
)
# Titles before a name: "Prof. Dr. med. Anna Roth sagte" opens a clause like "Anna Roth".
_TITLES = _words("Dr Prof Dipl Ing med rer nat phil jur habil")
# Personal pronouns: a verb form right after one is finite ("für sie gelten").
_PRONOUNS = _words("er sie es wir ihr man")
# Separable verb prefixes: "ein-ge-führt", "an-ge-kündigt" are participles.
_SEPARABLE = tuple(
    _words(
        "ab an auf aus bei dar durch ein fest fort frei her hin los mit nach nieder teil um "
        "vor weg weiter wieder zu zurück zusammen über unter"
    )
)
# Inseparable prefixes: "behebt" and "bestellt" may be finite or a participle.
_INSEPARABLE = tuple(_words("be ver er ent zer emp miss über unter hinter wider voll"))
# Words that coordinate or open a clause of their own: a finite verb before them belongs
# to another clause.
_CLAUSE_JOINERS = _words("und oder aber doch denn sondern sowie – — - /")


# --- public API ---------------------------------------------------------------------------


def split_sentences(text: str) -> list[Span]:
    """Return the sentences of German *text* as ``(start, end)`` character spans."""
    return _segment(text, None)


def sentences(text: str) -> list[str]:
    """Return the sentences of German *text* as strings (see :func:`split_sentences`)."""
    return [text[start:end] for start, end in split_sentences(text)]


# --- implementation -------------------------------------------------------------------


def _segment(text: str, tie_breaker: TieBreaker | None) -> list[Span]:
    """Segment *text*; *tie_breaker(offset)* settles boundaries no rule is sure about.

    The tie breaker gets the offset where the sentence would end (after closing quotes) and
    answers whether to split there.  ``None`` means: split.  It exists so that another
    segmenter (e.g. pysbd) can be measured as a fallback for the uncertain cases.
    """
    spans: list[Span] = []
    for start, end in _units(text):
        _split_unit(text, start, end, tie_breaker, spans)
    return spans


def _units(text: str) -> list[Span]:
    """Cut *text* into units of lines; no sentence crosses a unit border."""
    lines: list[tuple[int, int, bool]] = []  # (start, end of content, ends with hard break)
    pos = 0
    for raw in text.splitlines(keepends=True):
        if raw.endswith("\r\n"):
            content_len = len(raw) - 2
        elif raw and raw[-1] in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
            content_len = len(raw) - 1
        else:
            content_len = len(raw)
        hard = content_len < len(raw) and raw[-1] in _HARD_BREAKS
        lines.append((pos, pos + content_len, hard))
        pos += len(raw)

    units: list[Span] = []
    unit_start = -1
    unit_end = -1
    in_item = False
    prev_content = ""

    def flush() -> None:
        nonlocal unit_start
        if unit_start >= 0:
            units.append((unit_start, unit_end))
        unit_start = -1

    for index, (start, end, hard) in enumerate(lines):
        content = text[start:end]
        if not content.strip():
            flush()
            continue
        if _HEADING_RE.match(content) or _RULE_LINE_RE.fullmatch(content):
            flush()
            units.append((start, end))
            continue
        marker = _MARKER_RE.match(content)
        if unit_start < 0:
            unit_start = start
            in_item = marker is not None
        elif marker is not None and _starts_item(
            marker.group("sym"), prev_content, in_item, _next_is_marker(text, lines, index)
        ):
            flush()
            unit_start = start
            in_item = True
        unit_end = end
        prev_content = content
        if hard:
            flush()
    flush()
    return units


def _next_is_marker(text: str, lines: list[tuple[int, int, bool]], index: int) -> bool:
    if index + 1 >= len(lines):
        return False
    start, end, _ = lines[index + 1]
    return _MARKER_RE.match(text, start, end) is not None


def _starts_item(symbol: str, prev_content: str, in_item: bool, next_is_marker: bool) -> bool:
    """Decide whether a line with a list marker starts a new unit."""
    if symbol in "-*+•·▪‣◦➤►■□●○":
        return True
    # Numbers, letters and dashes also occur at the start of a wrapped line
    # ("am\n13. September", "sagte er\n– wie erwartet –"): require list-like context.
    if in_item or next_is_marker:
        return True
    prev = prev_content.rstrip().rstrip(_CLOSERS)
    return bool(prev) and prev[-1] in _LINE_END_PUNCT


def _split_unit(
    text: str, start: int, end: int, tie_breaker: TieBreaker | None, spans: list[Span]
) -> None:
    start, end = _strip(text, start, end)
    if start >= end:
        return
    cur = start  # start of the sentence being built
    first_alnum = _first_alnum(text, cur, end)
    for match in _TERMINAL_RE.finditer(text, start, end):
        punct_start, punct_end = match.span()
        after = punct_end
        while after < end and text[after] in _CLOSERS:
            after += 1
        if after >= end:
            break  # the unit end closes the sentence anyway
        if not text[after].isspace():
            continue  # "1.200", "www.example.de", "„Ja“, sagte er"
        if first_alnum >= punct_start:
            continue  # nothing to end yet: "… und dann", "„?“"
        verdict = _decide(text, cur, punct_start, punct_end, after, end)
        if verdict is _Verdict.JOIN:
            continue
        if verdict is _Verdict.UNSURE and tie_breaker is not None and not tie_breaker(after):
            continue
        span = _strip(text, cur, after)
        if span[0] < span[1]:
            spans.append(span)
        cur = after
        first_alnum = _first_alnum(text, cur, end)
    span = _strip(text, cur, end)
    if span[0] < span[1]:
        spans.append(span)


def _first_alnum(text: str, start: int, end: int) -> int:
    found = _ALNUM_RE.search(text, start, end)
    return found.start() if found else end


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _decide(
    text: str, cur: int, punct_start: int, punct_end: int, after: int, end: int
) -> _Verdict:
    """Judge the candidate boundary ``text[punct_start:after]`` (punctuation + closers)."""
    punct = text[punct_start:punct_end]
    closers = text[punct_end:after]
    before = text[punct_start - 1] if punct_start > cur else ""

    # "(!)", "(?)", "[…]": a remark inside the sentence, not an ending.
    if before and before in _OPEN_BRACKETS and closers and closers[0] in _CLOSE_BRACKETS:
        return _Verdict.JOIN

    nxt = _NextWord.read(text, after, end)

    if any(ch in punct for ch in "!?‽⁇⁈⁉"):
        return _Verdict.JOIN if nxt.lower and not nxt.opener else _Verdict.SPLIT
    if "…" in punct or len(punct) > 1:
        # An ellipsis is often a pause inside the sentence ("Und dann … Stille."): it ends
        # the sentence after a closing quote or before a typical sentence opener.
        if nxt.lower or nxt.digit:
            return _Verdict.JOIN
        return _Verdict.SPLIT if closers or nxt.opener or nxt.starter else _Verdict.JOIN
    if closers:
        # "zufrieden.“ Danach": the period sits inside the quote, which is now closed.
        return _Verdict.JOIN if nxt.lower and not nxt.opener else _Verdict.SPLIT
    if not before or before.isspace() or before in _CLOSERS:
        # A free-standing period or one after a closed quote/bracket ("Kundschaft“.").
        return _Verdict.JOIN if nxt.lower and not nxt.opener else _Verdict.SPLIT
    return _decide_period(text, cur, punct_start, nxt)


def _decide_period(text: str, cur: int, dot: int, nxt: _NextWord) -> _Verdict:
    """Judge a single period attached to the token before it."""
    low = max(cur, dot - _LOOKBACK)
    window = text[low:dot]
    tokens = window.split()
    if low > cur and tokens and not text[low - 1].isspace():
        tokens = tokens[1:]  # the window cut a token in half
    if not tokens:
        return _Verdict.SPLIT
    token = tokens[-1].lstrip(_OPENERS)
    if not token:
        return _Verdict.SPLIT
    at_start = low == cur  # the window reaches back to the start of the sentence
    first_in_sentence = len(tokens) == 1 and at_start
    if first_in_sentence and _ENUMERATOR_RE.fullmatch(token):
        return _Verdict.JOIN  # "1. Die Tarife prüfen" as a list item or heading number

    abbr = _abbreviation(tokens, starts_at_sentence=at_start)
    if abbr is _Abbr.NEVER_FINAL:
        return _Verdict.JOIN
    if abbr is _Abbr.USUALLY_FINAL:
        if nxt.digit:
            # "Erlaubt sind Fahrräder, Roller o. ä. 14 davon ...": the enumeration closes a
            # clause with its verb, so a figure opens the next; in a list without a verb
            # ("Miete, Strom usw. 300 Euro") it goes on.
            return _Verdict.SPLIT if _clause_verbs(tokens[:-1], at_start) else _Verdict.JOIN
        return _Verdict.JOIN if nxt.lower else _Verdict.SPLIT
    if abbr is _Abbr.AMBIGUOUS:
        return _ambiguous_rule(token, tokens, low == cur, nxt)
    if abbr is _Abbr.REFERENCE and _reference_follows(token, nxt.token):
        return _Verdict.JOIN

    if token[0].isdigit():
        if _SMALL_INT_RE.fullmatch(token) or _DAY_MONTH_RE.fullmatch(token):
            previous = tokens[-2] if len(tokens) >= 2 else ""
            # Inside an unclosed bracket "(71. Minute)", "(3. Liga)" the number is an ordinal.
            bracketed = _open_brackets(window) > 0
            verdict = _ordinal_rule(nxt, previous, first_in_sentence, token, bracketed)
            ordinal = first_in_sentence or bracketed or nxt.month  # "am 15. Mai" stays
            if verdict is _Verdict.JOIN and not ordinal:
                # "Die Frist endet am 15. Gefördert werden ...": a second clause.
                return _Verdict.SPLIT if _new_clause(tokens[:-1], at_start, nxt) else verdict
            return verdict
        if _CARDINAL_RE.fullmatch(token):
            return _Verdict.JOIN if nxt.lower else _Verdict.SPLIT
    if len(token) >= 2 and _ROMAN_RE.fullmatch(token):
        return _starter_rule(nxt)  # "Ludwig XIV. war", "der II. Weltkrieg"
    if len(token) == 1 and token.isalpha():
        return _starter_rule(nxt)  # initials "Helmut K. Schmidt", "S. 12"

    if nxt.opener:
        return _Verdict.SPLIT  # "… pünktlich. (dpa)", "… gesagt. „Wir …"
    if nxt.lower:
        return _Verdict.JOIN
    return _Verdict.UNSURE


def _abbreviation(tokens: list[str], starts_at_sentence: bool) -> _Abbr | None:
    """Classify the token(s) before a period as an abbreviation, or ``None``.

    *starts_at_sentence* says whether ``tokens`` begins at the start of the sentence.
    """
    # Multi-part forms written with spaces: "z. B.", "i. d. R.", "v. Chr.".
    for parts in (3, 2):
        if len(tokens) < parts:
            continue
        head = tokens[-parts:-1]
        if all(t.endswith(".") and 2 <= len(t.lstrip(_OPENERS)) <= 4 for t in head):
            initial = starts_at_sentence and len(tokens) == parts
            key = "".join(tokens[-parts:]).lstrip(_OPENERS)
            found = _lookup(key, initial or tokens[-parts][0] in _OPENERS)
            if found is not None:
                return found
    raw = tokens[-1]
    token = raw.lstrip(_OPENERS)
    initial = (starts_at_sentence and len(tokens) == 1) or len(token) < len(raw)
    found = _lookup(token, initial)
    if found is None and "-" in token:
        # Hyphenated titles and compounds: "Univ.-Prof.", "Min.-Präs.".
        token = token.rsplit("-", 1)[1]
        found = _lookup(token, False)
    if found is not None:
        return found
    letters = token.isalpha()
    if letters and token.lower().endswith("str") and len(token) > 4:
        return _Abbr.AMBIGUOUS  # street names: "Hauptstr.", "Goethestr."
    if (
        letters
        and 2 <= len(token) <= 5
        and (token.islower() or token.istitle())  # not mixed case like "GmbH", "KfW"
        and _VOWELS.isdisjoint(token)
        and token not in _VOWELLESS_WORDS
    ):
        return _Abbr.AMBIGUOUS  # no vowel, so no German word: "Tsd.", "bzgl.", "Std."
    if len(token) <= 12 and _DOTTED_ACRONYM_RE.fullmatch(token):
        return _Abbr.AMBIGUOUS  # "U.S.A.", "z.B." variants not listed
    return None


def _lookup(key: str, initial: bool) -> _Abbr | None:
    found = _ABBREVIATIONS.get(key)
    if found is None and initial and key[:1].isupper():
        # A lowercase abbreviation is capitalised only where a sentence or a bracketed
        # remark starts ("Vgl. dazu", "Z. B."); elsewhere "Max." is a name, not "max.".
        found = _ABBREVIATIONS.get(key[0].lower() + key[1:])
    return found


def _ambiguous_rule(token: str, tokens: list[str], at_start: bool, nxt: _NextWord) -> _Verdict:
    """An ambiguous abbreviation (``Mio.``, ``Jan.``, ``Fr.``, ``u. a.``): a boundary before
    a sentence starter, a count that is no year, or a new clause."""
    if _GROUPED_RE.fullmatch(nxt.token):
        return _Verdict.SPLIT  # "bis zum 6. Jan. 1.200 Gäste kamen": no year, a count
    if token in _QUANTITIES:
        verdict = _quantity_rule(nxt)
        if verdict is not None:
            return verdict
    elif token in _MONTHS and _ORDINAL_TOKEN_RE.fullmatch(nxt.token):
        return _Verdict.SPLIT  # "bis zum 6. Jan. 3. Liga: ...": a year could follow, no day
    elif (
        token in _WEEKDAYS
        and _weekday_range(tokens)
        and not (nxt.lower or nxt.digit or nxt.word in _DAYTIMES)
    ):
        # "Mo. bis Fr." names days, not "Fr. Müller": a capitalised word other than a time
        # of day ("Do. Nachmittag") opens a new sentence.
        return _Verdict.SPLIT
    verdict = _starter_rule(nxt)
    if verdict is _Verdict.JOIN and _new_clause(tokens[:-1], at_start, nxt):
        return _Verdict.SPLIT  # "Die Stadt zählt 1,5 Mio. Experten sind alarmiert."
    return verdict


def _quantity_rule(nxt: _NextWord) -> _Verdict | None:
    """``3 Mio. <next>``: what follows a count is counted (``Mio. Euro``, ``Mio. Menschen``)
    or a year (``von 1,2 Mio. 2019 auf ...``); anything else opens a new sentence."""
    if nxt.digit:
        figure = nxt.token.rstrip(_TRAILING)
        if (len(figure) == 4 and figure.isdigit()) or not _CARDINAL_RE.fullmatch(figure):
            return None  # a year, or a compound ("3 Mio. 2-Zimmer-Wohnungen")
        return _Verdict.SPLIT  # "1,2 Mrd. 2. Liga: ...", "4 Mio. 2,5 davon ..."
    if nxt.word in _UNITS:
        return _Verdict.JOIN  # "4 Mio. Euro erhalten und ...": never a new sentence
    if nxt.lower or nxt.opener:
        return None
    following = nxt.following[:1]
    if nxt.word.endswith(_SINGULAR_FEMININE) and (following.isupper() or following.isdigit()):
        # "beträgt 2,5 Mio. Version 2.1.3 behebt ...": a singular feminine noun is not
        # counted in millions; followed by a number or a name it opens a new sentence.
        return _Verdict.SPLIT
    return None


def _weekday_range(tokens: list[str]) -> bool:
    """``Mo. bis Fr.``, ``Di. und Do.``: the weekday closes a range or pair of weekdays."""
    if len(tokens) < 3 or tokens[-2] not in ("bis", "und", "oder", "–", "-"):
        return False
    first = tokens[-3].lstrip(_OPENERS)
    return first.endswith(".") and first[:-1] in _WEEKDAYS


def _reference_follows(token: str, nxt: str) -> bool:
    """Whether *nxt* is what the reference abbreviation *token* points to: a fax number
    (``Fax. 0351 ...``) or a numbered part (``Art. 5``, ``Abs. 2a``), not a quantity
    (``per Fax. 3,5 Stunden ...``)."""
    if token in _PHONE_REFERENCES:
        return nxt[:1] in "0+("
    return nxt[:1].isdigit() and _DECIMAL_RE.match(nxt) is None


def _new_clause(prefix: list[str], at_start: bool, nxt: _NextWord) -> bool:
    """Whether the capitalised word or number *nxt* opens a new main clause.

    German main clauses have one finite verb, in second place.  The period ends a sentence
    when its clause already has a finite verb (``Die Stadt zählt rund 1,5 Mio.``) and one
    follows the first part of a new clause: *nxt* and a few more capitalised words,
    figures, titles or bracketed remarks (``Experten sind``, ``Neue Stellen sind``,
    ``Trainerin Sara Yilmaz ist``, ``Version 2.1.3 behebt``, ``Schulze (SPD) sagte``,
    ``14 davon liegen``).
    Without a verb in front the count or ordinal is the first part of its own clause
    (``1,5 Mio. Menschen sind ...``, ``Am 15. Spieltag hat ...``).
    """
    if nxt.lower or nxt.opener or not (nxt.bare or _title(nxt.token)):
        return False
    words = nxt.rest
    verb = 0
    while verb < min(_REST - 2, len(words)) and (
        _first_part(words[verb]) or (nxt.digit and words[verb] in _COUNT_PARTS)
    ):
        verb += 1
    if verb >= len(words):
        return False
    before = _clause_verbs(prefix, at_start)
    if before is None:
        return False
    following = words[verb + 1] if verb + 1 < len(words) else ""
    return _finite(words[verb], following, before, verb > 0)


def _first_part(token: str) -> bool:
    """A token that continues the first part of a clause: a capitalised word, a figure, a
    title, a Roman numeral or a bracketed remark (``Sara``, ``2.1.3``, ``med.``, ``XIV.``,
    ``(SPD)``)."""
    if token[:1] in _OPEN_BRACKETS:
        return token[-1:] in _CLOSE_BRACKETS
    if token.endswith(".") and (_title(token) or _ROMAN_RE.fullmatch(token[:-1])):
        return len(token) > 2
    return _noun(token) or (token[:1].isdigit() and token[-1:].isalnum())


def _title(token: str) -> bool:
    """``Dr.``, ``med.``, also hyphenated ``Univ.-Prof.``."""
    return token.endswith(".") and token[:-1].rsplit("-", 1)[-1].rstrip(".") in _TITLES


def _finite(token: str, following: str, before: str, long_first: bool) -> bool:
    """Whether *token* (then *following*, ``""`` at the end) is a finite verb after a
    clause whose verb is *before* (see :func:`_clause_verbs`), behind a first part of more
    than one word if *long_first*.

    Listed forms count (``sind``, ``wurde``, ``kamen``) - except werden or a modal's
    infinitive at the clause end (``will 4 Mio. Einwohner haben und ...``).  By their form:
    a present tense in -t (``folgt``) or a past in -te (``sagte:``) with more of their
    clause after them, if only a comma or colon (``Offen ist, ob``); a plural in -en
    (``kommen``) also at the end.  Participles in ge- never count (``gepflanzt``,
    ``sichergestellt``; they also stand alone: ``gemessen an``).  Forms that may be
    participles - inseparable prefix or -iert: ``verletzt``, ``erhalten``, ``informiert``
    - count only where none can stand: not after haben, sein, bleiben, gehen or kommen
    (``ging verloren``), and in -t only after a first part of more words (``Bürgermeister
    Jan Becker verteidigt``, not ``verließen in der 80. Minute enttäuscht das Stadion``).
    An -en form after werden or a modal at the clause end is the infinitive (``pflanzen
    lassen``), and an -en or -te form before a noun a determiner or adjective (``einen
    Zuschuss``, ``neuen Mut``, ``letzte Woche``).
    """
    word = token.rstrip(_TRAILING)
    final = bool(token[len(word) :].strip(",:;")) or not following  # ". ! ?" or the end
    clause_end = final or word != token or following in _CLAUSE_JOINERS
    bare_next = following.rstrip(_TRAILING)
    # "pflanzen lassen", "haben und": where werden or a modal wants its infinitive.
    infinitive = clause_end or (
        bare_next.islower() and bare_next.endswith("en") and bare_next not in _NOT_FINITE_EN
    )
    if word in _FINITE:
        return not (before == "modal" and infinitive and word in _INFINITIVE_LIKE)
    # "ge" before the ending: a participle ("gepflanzt", "sichergestellt"), not "liegen".
    if not word.isalpha() or not word.islower() or "ge" in word[:-3]:
        return False
    maybe_participle = word.startswith(_INSEPARABLE) or word.endswith("iert")
    if maybe_participle and (before != "verb" or (word.endswith("t") and not long_first)):
        return False
    # After the end of the sentence the next word belongs to the next one.
    noun_next = not final and _noun(bare_next) and bare_next not in _STARTERS
    if len(word) >= 5 and word.endswith(("en", "ern", "eln")):
        # A plural: not an infinitive after werden, a modal, gehen ("gingen baden."), nor
        # a determiner or adjective before a noun.
        if before != "verb" and infinitive:
            return False
        return not noun_next and word not in _NOT_FINITE_EN
    if final:
        return False  # "bereit.", "versteckt.": a particle or participle closes a clause
    if _finite_t(word):
        return True
    return len(word) >= 5 and word.endswith("te") and not word.endswith("ste") and not noun_next


def _finite_t(word: str) -> bool:
    """``zählt``, ``beträgt``, ``läuft``: lowercase, in -t, no participle in ge-."""
    if len(word) < 3 or not word.isalpha() or not word.islower() or word[-1] != "t":
        return False
    if word.endswith("st") and not word.endswith("sst"):
        return False  # "erst", "meist", "zunächst"
    if word in _NOT_FINITE_T or word.endswith(("weit", "zeit")):
        return False
    return not _ge_participle(word)


def _ge_participle(word: str) -> bool:
    if word.startswith("ge"):
        return True
    return any(word.startswith(prefix + "ge") for prefix in _SEPARABLE)


def _clause_verbs(prefix: list[str], at_start: bool) -> str | None:
    """The finite verb(s) of the clause ending with *prefix* (back to a comma, colon,
    conjunction or opening bracket/quote; *at_start*: *prefix* begins with its sentence):
    ``"modal"`` when one takes an infinitive (werden, a modal, lassen), ``"participle"``
    when one takes a participle (haben, sein, bleiben, gehen, kommen), ``"verb"`` for
    another verb, ``None`` for none.  Commas inside an enumeration (``Äpfel, Birnen u.
    a.``) do not end the clause."""
    found: str | None = None
    last = len(prefix) - 1
    start = 0
    for index in range(last, -1, -1):
        raw = prefix[index]
        # "Mo. und Fr.", "6. und 7.": a conjunction joining two single items, not clauses.
        joiner = raw in _CLAUSE_JOINERS and index < last
        if joiner or (raw.rstrip(_CLOSERS)[-1:] in ",;:" and not _enumeration(prefix, index)):
            start, at_start = index + 1, True
            break
        word = raw.strip(_OPENERS + _CLOSERS + ".")
        if word in _MODALS:
            return "modal"
        if word in _PARTICIPLE_VERBS:
            found = "participle"
        elif word in _FINITE or (index > 0 and _verb_after(word, prefix[index - 1])):
            found = found or "verb"
        if raw[:1] in _OPENERS:
            start, at_start = index, True
            break
    if found is None and at_start and _second_place_verb(prefix[start:]):
        found = "verb"
    return found


def _second_place_verb(clause: list[str]) -> bool:
    """``Die Spendenaktion ergab ...``: after an article and a noun opening the clause, a
    lowercase word is the finite verb, unless a preposition, conjunction or particle
    (``Die Kosten pro Jahr``, ``Die Stadt selbst``, ``Der Bau des ...``)."""
    if len(clause) < 3:
        return False
    article, noun, word = clause[0].lstrip(_OPENERS).lower(), clause[1], clause[2]
    if article not in _ARTICLES or not _noun(noun) or not (word.isalpha() and word.islower()):
        return False
    return (
        word.capitalize() not in _STARTERS
        and word not in _ORDINAL_CONTEXT
        and word not in _NOT_FINITE_T
        and word not in _NOT_FINITE_EN
        and word not in _PARTICLES
    )


def _enumeration(prefix: list[str], index: int) -> bool:
    """Whether the comma ending ``prefix[index]`` separates nouns of a list: ``Äpfel,
    Birnen u. a.``, ``Regale, Tische usw.``, ``Bund, Länder und Kommunen``."""
    if index + 1 >= len(prefix) or not prefix[index].endswith(","):
        return False
    item, after = prefix[index][:-1], prefix[index + 1]
    if not (_noun(item) and _noun(after.rstrip(","))):
        return False
    if after.endswith(",") or index + 2 == len(prefix):
        return True  # "Stühle, Tische, Regale usw.": more items, or the abbreviation
    return prefix[index + 2] in ("und", "oder", "sowie", "u.", "o.")


def _noun(token: str) -> bool:
    """A capitalised word, also hyphenated (``E-Scooter``, ``Hans-Peter``)."""
    return token[:1].isupper() and token.replace("-", "").isalpha()


def _verb_after(word: str, before: str) -> bool:
    """Whether *word* is the finite verb after the subject or first part *before*:
    ``Die Sperrung gilt``, ``Heute zählt``, ``Der Konzern meldete``, ``Die Kosten
    liegen``, ``für sie gelten``.  Forms in -te/-en are adjectives after an article or
    preposition (``die ersten``, ``Im letzten``), so they count only after a noun, name or
    pronoun; forms in -t only not after an article or preposition (``ab sofort``)."""
    if not word.isalpha() or not word.islower():
        return False
    before = before.strip(_OPENERS + _CLOSERS)
    if not before.isalpha():
        return False
    pronoun = before.lower() in _PRONOUNS
    if _finite_t(word):
        return pronoun or (before[:1].isupper() and before.lower() not in _ORDINAL_CONTEXT)
    if not word.endswith(("te", "en")) or word in _NOT_FINITE_EN:
        return False
    if pronoun:
        return True  # no participle either: it would need an auxiliary ("sie gelten")
    return before[:1].isupper() and before not in _STARTERS and not _ge_participle(word)


def _starter_rule(nxt: _NextWord) -> _Verdict:
    """Boundary only before a typical sentence opener (for ambiguous abbreviations etc.)."""
    if nxt.lower or nxt.digit:
        return _Verdict.JOIN
    if nxt.opener or nxt.starter:
        return _Verdict.SPLIT
    return _Verdict.JOIN


def _ordinal_rule(
    nxt: _NextWord, previous: str, first_in_sentence: bool, token: str, bracketed: bool
) -> _Verdict:
    """Ordinal/date versus a cardinal that ends the sentence (see module docstring)."""
    prev = previous.lstrip(_OPENERS)
    date_run = prev.endswith(".") and prev[:-1].isdigit()  # "1. 2." or "3. 10."
    if nxt.digit:
        return _number_after_number(nxt, token, prev, date_run, first_in_sentence)
    if nxt.lower or nxt.month:
        return _Verdict.JOIN
    if nxt.opener or nxt.starter:
        return _Verdict.SPLIT
    if first_in_sentence or bracketed:
        return _Verdict.JOIN
    if prev.endswith(","):
        return _Verdict.JOIN  # "Sonntag, 13. Juni"
    if date_run:
        return _Verdict.JOIN  # a date run: "3. 10."
    if prev.rstrip(".").lower() in _ORDINAL_CONTEXT:
        return _Verdict.JOIN
    return _Verdict.UNSURE


def _number_after_number(
    nxt: _NextWord, token: str, prev: str, date_run: bool, first_in_sentence: bool
) -> _Verdict:
    """``<n>. <number>``: a date ("am 1. 2. 2024") or a count closing the sentence before
    one that opens with a figure ("beträgt 204. 4.090 Personen sind genesen")."""
    if _DAY_MONTH_RE.fullmatch(token):
        return _Verdict.JOIN  # "1.2. 2024": the year of a written-together date
    day_or_month = int(token) <= 31
    if day_or_month and _DATE_PART_RE.fullmatch(nxt.token):
        return _Verdict.JOIN  # "1. 2." day and month, or an ordinal run "1. 2. Liga"
    if date_run and int(token) <= 12 and _YEAR_RE.fullmatch(nxt.token):
        return _Verdict.JOIN  # "1. 2. 2024": the month before the year
    if first_in_sentence:
        return _Verdict.JOIN  # a list number
    if _GROUPED_RE.fullmatch(nxt.token.rstrip(_TRAILING)):
        return _Verdict.SPLIT  # "am 3. 1,5 Stunden später ...": no date part, a quantity
    if day_or_month and prev.rstrip(".").lower() in _ORDINAL_CONTEXT:
        return _Verdict.JOIN  # "am 3. 2024"-like runs keep the old reading
    return _Verdict.SPLIT


def _open_brackets(window: str) -> int:
    """Round/square brackets opened and not yet closed in *window*."""
    return window.count("(") + window.count("[") - window.count(")") - window.count("]")


class _NextWord:
    """What follows a candidate boundary: the next whitespace-separated token, and the
    few tokens after it (*rest*) for the clause test."""

    __slots__ = (
        "bare",
        "digit",
        "following",
        "lower",
        "month",
        "opener",
        "rest",
        "starter",
        "token",
        "word",
    )

    def __init__(self, token: str, rest: tuple[str, ...] = ()) -> None:
        inner = token.lstrip(_OPENERS)
        self.token = inner
        self.opener = len(inner) < len(token)
        word_match = _WORD_RE.match(inner)
        word = word_match.group() if word_match else ""
        self.word = word
        first = inner[:1]
        # camelCase like "iPhone" or "eBay" counts as capitalised, not as a continuation.
        self.lower = first.islower() and not any(ch.isupper() for ch in word[1:])
        self.digit = first.isdigit()
        self.starter = word in _STARTERS
        self.month = word in _MONTHS
        # No punctuation after the token ("Experten sind", not "Experten," / "Euro.").
        self.bare = inner[-1:].isalnum()
        self.rest = rest
        self.following = rest[0].lstrip(_OPENERS) if rest else ""

    @classmethod
    def read(cls, text: str, after: int, end: int) -> _NextWord:
        gap = _WS_RE.match(text, after, end)
        begin = gap.end() if gap else after
        stop = min(end, begin + _LOOKAHEAD)
        pieces = text[begin:stop].split(None, _REST + 1)
        cut = stop < end and not text[stop].isspace()
        if cut and len(pieces) > 1 and len(pieces[-1].split(None, 1)) == 1:
            pieces[-1] = ""  # the window cut the last token: keep its place, not its text
        if len(pieces) > _REST + 1 and pieces[-1]:
            pieces[-1] = pieces[-1].split(None, 1)[0]  # only a sign that more follows
        return cls(pieces[0] if pieces else "", tuple(pieces[1:]))
