"""The structured article: the one data model every later stage reads.

All offsets are character offsets into ``Article.text`` (the cleaned text), so any
sentence, block or bullet can be traced back with ``article.text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["paragraph", "list_item", "quote", "heading", "title", "teaser"]


# Fields with this metadata are left out of JSON while None, so adding them changed no output.
OMIT_NONE = {"json_omit_none": True}


@dataclass(frozen=True)
class Sentence:
    id: str  # stable id such as "s3.2.1" (section, block, sentence)
    start: int
    end: int
    text: str
    # id of the earlier sentence this one repeats (same words after normalising), if any:
    # it is not summarised, picked as a bullet or translated a second time.
    duplicate_of: str | None = field(default=None, metadata=OMIT_NONE)


@dataclass(frozen=True)
class Block:
    id: str  # "b3.2"
    kind: BlockKind
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]
    # Inline Markdown (emphasis, links) as written in the source, when it differs from text.
    markup: str | None = None
    # id of the block this one repeats (exact or near duplicate), if any.
    duplicate_of: str | None = None
    list_marker: str | None = None  # "-", "•", "1." ... for list items


@dataclass(frozen=True)
class Section:
    id: str  # "sec3"
    heading: Block | None
    blocks: tuple[Block, ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        out: list[Sentence] = []
        for block in self.blocks:
            if block.duplicate_of is None:
                out.extend(s for s in block.sentences if s.duplicate_of is None)
        return tuple(out)


@dataclass(frozen=True)
class DroppedLine:
    line: int  # 1-based line number in the decoded source
    text: str
    reason: str


@dataclass(frozen=True)
class Article:
    source: str  # path, "-" for stdin, or a caller-given name
    format: Literal["txt", "md", "html"]
    encoding: str
    text: str  # the cleaned text all offsets point into
    title: Block
    teaser: Block | None
    sections: tuple[Section, ...]
    dropped: tuple[DroppedLine, ...] = ()
    date: str | None = None
    content_sha256: str = ""
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def title_derived(self) -> bool:
        """True when the source had no title line and the title is its first sentence."""
        return "title_derived" in self.metadata

    @property
    def blocks(self) -> tuple[Block, ...]:
        out: list[Block] = [self.title]
        if self.teaser is not None:
            out.append(self.teaser)
        for section in self.sections:
            if section.heading is not None:
                out.append(section.heading)
            out.extend(section.blocks)
        return tuple(out)

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """Body sentences (teaser + sections), duplicate blocks and sentences excluded."""
        out: list[Sentence] = []
        if self.teaser is not None:
            out.extend(s for s in self.teaser.sentences if s.duplicate_of is None)
        for section in self.sections:
            out.extend(section.sentences)
        return tuple(out)

    def sentence(self, sentence_id: str) -> Sentence:
        for block in self.blocks:
            for sent in block.sentences:
                if sent.id == sentence_id:
                    return sent
        raise KeyError(sentence_id)

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.sentences)
