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

   * known abbreviations in three classes - *never final* (``Dr.``, ``z. B.``, ``bzw.``,
     ``ca.``, ``Nr.`` ...: no boundary), *usually final* (``usw.``, ``etc.``: boundary before
     a capital), *ambiguous* (``Mio.``, ``u. a.``, ``Jh.``, ``Str.``, initials ``K.``,
     vowel-less tokens like ``Tsd.``: boundary only before a typical sentence starter);
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
_CARDINAL_RE = re.compile(r"\d[\d.,:/\-]*")
_ROMAN_RE = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_DOTTED_ACRONYM_RE = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}")
_ENUMERATOR_RE = re.compile(r"\d{1,3}|[IVXivx]{1,4}|[^\W\d_]")

# How far to look back for the token before a period, and ahead for the next word.
_LOOKBACK = 80
_LOOKAHEAD = 64

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
# Vowel-less words that are not abbreviations and may well end a sentence.
_VOWELLESS_WORDS = _words("Pkw Lkw Kfz km kg cm mm ml dl qm qkm ct")
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
    "Vorerst Erstmals Zuerst Weiterhin Ferner Sowohl Entweder Weder Endlich"
)

_MONTHS = frozenset(month_names("de", abbreviations=True))  # "Januar", "Jänner", "Sept", ...

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
    first_in_sentence = len(tokens) == 1 and low == cur
    if first_in_sentence and _ENUMERATOR_RE.fullmatch(token):
        return _Verdict.JOIN  # "1. Die Tarife prüfen" as a list item or heading number

    abbr = _abbreviation(tokens, starts_at_sentence=low == cur)
    if abbr is _Abbr.NEVER_FINAL:
        return _Verdict.JOIN
    if abbr is _Abbr.USUALLY_FINAL:
        return _Verdict.JOIN if nxt.lower or nxt.digit else _Verdict.SPLIT
    if abbr is _Abbr.AMBIGUOUS:
        if _GROUPED_RE.fullmatch(nxt.token):
            return _Verdict.SPLIT  # "bis zum 6. Jan. 1.200 Gäste kamen": no year, a count
        return _starter_rule(nxt)
    if abbr is _Abbr.REFERENCE and nxt.digit:
        return _Verdict.JOIN

    if token[0].isdigit():
        if _SMALL_INT_RE.fullmatch(token) or _DAY_MONTH_RE.fullmatch(token):
            previous = tokens[-2] if len(tokens) >= 2 else ""
            # Inside an unclosed bracket "(71. Minute)", "(3. Liga)" the number is an ordinal.
            bracketed = _open_brackets(window) > 0
            return _ordinal_rule(nxt, previous, first_in_sentence, token, bracketed)
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
    if first_in_sentence or (day_or_month and prev.rstrip(".").lower() in _ORDINAL_CONTEXT):
        return _Verdict.JOIN  # "am 3. 2024"-like runs and list numbers keep the old reading
    return _Verdict.SPLIT


def _open_brackets(window: str) -> int:
    """Round/square brackets opened and not yet closed in *window*."""
    return window.count("(") + window.count("[") - window.count(")") - window.count("]")


class _NextWord:
    """What follows a candidate boundary: the next whitespace-separated token."""

    __slots__ = ("digit", "lower", "month", "opener", "starter", "token")

    def __init__(self, token: str) -> None:
        inner = token.lstrip(_OPENERS)
        self.token = inner
        self.opener = len(inner) < len(token)
        word_match = _WORD_RE.match(inner)
        word = word_match.group() if word_match else ""
        first = inner[:1]
        # camelCase like "iPhone" or "eBay" counts as capitalised, not as a continuation.
        self.lower = first.islower() and not any(ch.isupper() for ch in word[1:])
        self.digit = first.isdigit()
        self.starter = word in _STARTERS
        self.month = word in _MONTHS

    @classmethod
    def read(cls, text: str, after: int, end: int) -> _NextWord:
        gap = _WS_RE.match(text, after, end)
        begin = gap.end() if gap else after
        chunk = text[begin : min(end, begin + _LOOKAHEAD)].split(None, 1)
        return cls(chunk[0] if chunk else "")
