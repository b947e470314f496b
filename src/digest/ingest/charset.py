"""Bytes in, text out: reading with a size cap, binary detection and encoding sniffing.

Order in :func:`decode_bytes`: byte-order mark -> binary signatures -> strict UTF-8 (valid
UTF-8 is always taken as UTF-8) -> declared HTML/XML charset -> the best of cp1252, cp850 and
Mac Roman by a German plausibility score. Line ends become ``\\n``. Every failure is an
:class:`InputError` with a one-line message.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import sys

from digest.errors import InputError


def too_large(name: str, size: int, max_bytes: int, *, more: bool = False) -> InputError:
    amount = f"more than {max_bytes:,}" if more else f"{size:,}"
    return InputError(f"{name} is too large ({amount} bytes; the limit is {max_bytes:,})")


def check_file(path: str, max_bytes: int) -> None:
    """Fail, unread, for a file that is missing, a folder, or over ``max_bytes`` by its size."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{path} is a symbolic link that points to itself (a loop)") from None
        raise InputError(f"{path} cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path} is a directory, not an article file")
    kind = not_regular(st.st_mode)
    if kind:  # opening a FIFO would wait for a writer forever
        raise InputError(
            f"{path} is {kind}, not a regular file: digest reads only files "
            "(pipe the text into '-' to read stdin)"
        )
    if st.st_size > max_bytes:
        raise too_large(path, st.st_size, max_bytes)


def read_file(path: str, max_bytes: int) -> bytes:
    """The file's bytes; a file over ``max_bytes`` fails from its size alone, unread."""
    check_file(path, max_bytes)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise too_large(path, len(data), max_bytes, more=True)
    return data


def not_regular(mode: int) -> str | None:
    """What a non-regular, non-folder file is, in words (None: a regular file or folder)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def read_stdin(max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of stdin: an endless pipe cannot exhaust memory."""
    stream = sys.stdin
    if stream is None:
        raise InputError("stdin is not available")
    if stream.isatty():  # reading would block on the terminal: never hang
        raise InputError("stdin is a terminal; pipe an article into it or pass a file")
    data = stream.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large("stdin", len(data), max_bytes, more=True)
    return data


_BOMS = (  # UTF-32 first: its LE mark starts with the UTF-16 LE mark
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# File signatures as byte patterns matched at offset 0 ("." is any byte).
_MAGIC = tuple(
    (re.compile(sig, re.S), kind)
    for sig, kind in (
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG"),
        (b"\xff\xd8\xff", "JPEG"),
        (b"GIF8[79]a", "GIF"),
        (b"PK\x03\x04", "ZIP/Office document"),
        (b"\x1f\x8b", "gzip"),
        (b"\xd0\xcf\x11\xe0", "MS Office document"),
        (b"\x7fELF", "executable"),
        (b"7z\xbc\xaf", "7z"),
        (b"\xfd7zXZ", "xz"),
        (b"BZh[1-9]1AY&SY", "bzip2"),
        (b"RIFF....(?:WEBP|WAVE|AVI )", "RIFF media (WebP/WAV/AVI)"),
        (b"....ftyp", "MP4/HEIC media"),
        (b"ID3", "MP3"),
        (b"OggS", "Ogg media"),
        (b"SQLite format 3", "SQLite database"),
        (rb"\{\\rtf", "RTF document; save it as .txt"),
    )
)
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.I)
_GERMAN_CHARS = frozenset("äöüÄÖÜß")
_GOOD_PUNCT = frozenset("„“”‚‘’–—…«»€°§·•")


def decode_bytes(
    data: bytes, *, name: str = "input", declared: str | None = None
) -> tuple[str, str]:
    """(text with ``\\n`` line ends, encoding name). Raises InputError for binary data.

    Order: byte-order mark -> binary signatures -> the charset ``declared`` by an HTTP
    Content-Type header, when the bytes bear it out -> strict UTF-8 (valid UTF-8 is always
    taken as UTF-8) -> declared HTML/XML charset -> the best of cp1252, cp850 and Mac Roman
    by a German plausibility score (umlauts and „“ in sensible places versus symbols inside
    words and control characters).
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return clean_text(_strict(data[len(bom) :], enc, name)), enc
    for magic, kind in _MAGIC:
        if magic.match(data):
            raise _binary(name, kind)
    header = _header_charset(data, declared)
    if header is not None:
        text, enc = header
    elif b"\x00" in data:
        enc16 = _utf16_without_bom(data)
        if enc16 is None:
            raise _binary(name, "NUL bytes")
        text, enc = _strict(data, enc16, name), enc16
    else:
        text, enc = _decode_8bit(data, name)
    _reject_control_chars(text, name)
    return clean_text(text), enc


def _header_charset(data: bytes, declared: str | None) -> tuple[str, str] | None:
    """Decode with a server's charset label unless the bytes contradict it.

    Headers are often wrong: a single-byte label on bytes that are valid multi-byte UTF-8
    (no real latin-1 text looks like that) or bytes that do not decode under the label are
    left to the sniffing that follows (page meta, then the German score).
    """
    if not declared:
        return None
    label = declared.strip().lower()
    label = "cp1252" if label in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii") else label
    try:
        enc = codecs.lookup(label).name
    except LookupError:
        return None
    if enc.startswith(("utf-16", "utf-32")) or b"\x00" in data:
        return None
    if enc != "utf-8" and not data.isascii():
        try:
            data.decode("utf-8")
            return None  # valid UTF-8 under a single-byte label: the label is wrong
        except UnicodeDecodeError:
            pass
    try:
        text = _cp1252_or_latin1(data) if enc == "cp1252" else data.decode(enc)
    except UnicodeDecodeError:
        return None
    return text, enc


def _binary(name: str, kind: str) -> InputError:
    return InputError(f"{name} looks like a binary file ({kind}), not a text article")


def _strict(data: bytes, enc: str, name: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        text = data.decode(enc, "replace")
        if text.count("\ufffd") > 3:  # a stray truncated byte is tolerable, garbage is not
            raise InputError(f"{name} is not valid {enc} text") from None
        return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: ASCII letters leave NULs in every other byte."""
    head = data[:4096]
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return None
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / max(1, len(odd))
    if nul_odd > 0.3 and nul_even < 0.05:
        return "utf-16-le"
    if nul_even > 0.3 and nul_odd < 0.05:
        return "utf-16-be"
    return None


def _decode_8bit(data: bytes, name: str) -> tuple[str, str]:
    if data.isascii():
        return data.decode("ascii"), "ascii"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few stray single-byte characters: keep the UTF-8, repair the rest.
    valid = len(_UTF8_SEQ.findall(data))
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if valid and valid * 2 >= high - valid * 2:
        return _utf8_with_cp1252(data), "utf-8 (repaired cp1252 bytes)"
    head = data[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if declared:
        enc = declared.group(1).decode("ascii").lower()
        enc = "cp1252" if enc in ("iso-8859-1", "latin-1", "latin1", "us-ascii") else enc
        # A UTF-16/32 label on bytes without a BOM is wrong (browsers ignore it too).
        try:
            if codecs.lookup(enc).name.startswith(("utf-16", "utf-32")):
                raise LookupError(enc)
            return data.decode(enc), codecs.lookup(enc).name
        except (LookupError, UnicodeDecodeError):
            pass
    sample = data[:200_000]  # the score is a per-character loop: judge a sample
    scores = {enc: _german_score(_decode_single(sample, enc)) for enc in _SINGLE_BYTE}
    enc = max(_SINGLE_BYTE, key=lambda e: scores[e])  # ties go to cp1252, the first
    if scores[enc] < 0:
        raise InputError(
            f"{name} could not be decoded: it is not UTF-8, and as cp1252/latin-1 it is not "
            "plausible text"
        )
    return _decode_single(data, enc), enc


_SINGLE_BYTE = ("cp1252", "cp850", "mac-roman")
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _decode_single(data: bytes, enc: str) -> str:
    return _cp1252_or_latin1(data) if enc == "cp1252" else data.decode(enc)


def _cp1252_or_latin1(data: bytes) -> str:
    # cp1252 leaves five bytes undefined; as latin-1 they become C1 controls the scorer punishes.
    return data.decode("latin-1").translate(_CP1252_TABLE)


_CP1252_TABLE = {
    i: bytes([i]).decode("cp1252")
    for i in range(0x80, 0xA0)
    if i not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def _german_score(text: str) -> float:
    score = 0.0
    n = len(text)
    for i, ch in enumerate(text):
        if ch.isascii():
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if ch in _GERMAN_CHARS:
            # "äWir" is a cp1252 „ misread as cp850 ä: lower-case umlaut before a capital.
            score += 2.0 if not (ch.islower() and nxt.isupper()) else -1.0
        elif ch == "\ufffd" or 0x80 <= ord(ch) <= 0x9F:
            score -= 3.0
        elif ch in _GOOD_PUNCT:
            score += 0.5
        elif ch.isalpha():
            score -= 0.5 if (ch.islower() and nxt.isupper()) else 0.0
        elif prev.isalpha() and nxt.isalpha():
            score -= 1.5  # a symbol inside a word is the mark of a wrong code page
    return score


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # not \t \n \v \f \r


def _reject_control_chars(text: str, name: str) -> None:
    bad = len(_CONTROL.findall(text))
    if bad > 3 and bad > 0.01 * len(text):
        raise _binary(name, "control characters")


# Terminal escape sequences go whole (an ESC alone would leave "[31m" behind): OSC and other
# string commands up to their terminator, CSI with its parameters, two-byte escapes; then
# every other control character except tab and newline. Quantifiers are bounded: linear.
_ESCAPE_OR_CONTROL = re.compile(
    r"\x1b[\]P^_X][^\x07\x1b\n]{0,4096}(?:\x07|\x1b\\)"
    r"|(?:\x1b\[|\x9b)[0-?]{0,64}[ -/]{0,8}[@-~]?"
    r"|\x1b[ -/]{0,8}[0-~]?"
    r"|[\x00-\x08\x0e-\x1f\x7f-\x9f]"
)
_PAGE_BREAKS = str.maketrans("\x0b\x0c", "  ")  # vertical tab, form feed: whitespace


def strip_controls(text: str) -> str:
    """Text without terminal escape sequences and control characters (tab and newline stay)."""
    if _ESCAPE_OR_CONTROL.search(text) is not None:
        text = _ESCAPE_OR_CONTROL.sub("", text)
    return text.translate(_PAGE_BREAKS)


def clean_text(text: str) -> str:
    """Decoded text as every stage expects it: ``\\n`` line ends, no control characters."""
    return strip_controls(normalise_newlines(text))


def normalise_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # str.replace: fast on megabytes
    if "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = re.sub("[\u2028\u2029\x85]", "\n", text)
    return text


def _utf8_with_cp1252(data: bytes) -> str:
    """UTF-8 where it is valid, cp1252 for the stray bytes in between (one linear pass)."""
    out: list[str] = []
    for m in _UTF8_OR_BYTE.finditer(data):
        piece = m.group()
        try:
            out.append(piece.decode("utf-8"))
        except UnicodeDecodeError:  # a stray byte, or a sequence the loose pattern let in
            out.append(_cp1252_or_latin1(piece))
    return "".join(out)


_UTF8_OR_BYTE = re.compile(
    rb"[\x00-\x7f]+|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3}|[\x80-\xff]"
)
