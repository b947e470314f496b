"""Markdown inline markup (emphasis, links, code spans, escapes) reduced to plain text."""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_MD_INLINE = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"<br\s*/?>", re.I), " "),
    (re.compile(r"</?(?:span|em|strong|b|i|u|a|sup|sub|mark|small)\b[^>]*>", re.I), ""),
)


def md_inline(s: str) -> str:
    """Plain text of one Markdown block: emphasis, links, code spans and escapes removed."""
    # Escaped characters are parked in the private-use area so no rule treats them as markup.
    out = _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), s)
    for rx, rep in _MD_INLINE:
        out = rx.sub(rep, out)
    out = re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - 0xE000), out)
    return " ".join(out.split())
