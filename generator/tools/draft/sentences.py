"""An article's sentences, with their paragraphs and headings, and a sentence's words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generator.text import clean, name_key, strip_invisible


@dataclass(frozen=True)
class Sentence:
    n: int  # its place in the article
    paragraph: int
    text: str
    heading: bool = False  # a headline or title line: it names, it does not report


_ABBREVIATIONS = (
    r"(?:U\.S|U\.K|U\.N|Mr|Mrs|Ms|Dr|Gen|Col|Lt|Maj|Sgt|Capt|Brig|Adm|Sen|Rep|Gov|St|No|Jan|Feb"
    r"|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|a\.m|p\.m|e\.g|i\.e|vs|Inc|Co|Ltd|Jr|approx"
    r"|[A-Z]|(?:[A-Z]\.)+[A-Z])"  # an initial ("George W. Bush"), initials ("H.W.")
)


_BOUNDARY = re.compile(r"(?<=[.!?])([\"”’)\]]*)\s+(?=[\"“‘(\[]?[A-Z0-9])")


_ABBREVIATED = re.compile(rf"(?:^|[\s(])({_ABBREVIATIONS})\.$")


# An end mark glued to the next sentence, as pages scraped without their spacing give them
# ("… in eastern Syria.It was previously detailed …"): after a word, before a capitalised one.
_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])([”’]?)(?=[\"“]?[A-Z][a-z])")


def _split(paragraph: str) -> list[str]:
    """A paragraph's sentences: at an end mark before a capital, unless it ends 'U.S.' or
    'Col.'."""
    out, start = [], 0
    marks = [*_BOUNDARY.finditer(paragraph), *_GLUED.finditer(paragraph)]
    for m in sorted(marks, key=lambda m: m.start()):
        if m.start() < start or _ABBREVIATED.search(paragraph[start : m.start()]):
            continue
        end = m.start() + len(m.group(1))
        out.append(paragraph[start:end])
        start = m.end()
    out.append(paragraph[start:])
    return out


# Every other way of ending a line (CR, VT, FF, NEL, U+2028, U+2029) ends one here too.
_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def sentences(text: str) -> list[Sentence]:
    """The article's sentences, in order, each with its paragraph.

    A line is a paragraph, unless the text is wrapped (most lines long and without an end
    mark), when blank lines separate paragraphs.
    """
    text = _LINE_BREAKS.sub("\n", strip_invisible(text.replace("\r\n", "\n")))
    lines = [line.strip() for line in text.split("\n")]
    full = [line for line in lines if line]
    wrapped = (
        len(full) >= 5
        and sum(50 <= len(line) <= 100 and not re.search(r"[.!?:\"”’)]$", line) for line in full)
        >= len(full) / 2
    )
    if wrapped:
        paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    else:
        paragraphs = full
    out: list[Sentence] = []
    paragraphs = [p for p in paragraphs if p]
    for p, paragraph in enumerate(paragraphs):
        last = p == len(paragraphs) - 1
        heading = _is_heading(paragraph) or (
            not last and len(paragraph) < 160 and not re.search(r"[.!?:\"”’)]$", paragraph)
        )
        for piece in _split(paragraph):
            piece = clean(piece or "")
            if len(piece) >= 3:
                out.append(Sentence(len(out), p, piece, heading))
    return out


def _is_heading(line: str) -> bool:
    """A headline: no end mark, and most words capitalised (or short)."""
    if re.search(r"[.!?\"”:]$", line):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    if not words:
        return True
    capitals = sum(w[0].isupper() for w in words)
    return capitals >= 0.7 * len(words) or len(line.split()) <= 4


@dataclass(frozen=True)
class Token:
    key: str
    start: int
    end: int
    capital: bool


_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:['’][^\W_]+)*")


def tokens(text: str) -> list[Token]:
    """Words, compared as ``name_key`` compares names: 'U.S.' is 'us', "Kirkuk’s" 'kirkuk'."""
    return list(_tokens(text))


@lru_cache(maxsize=4096)  # a sentence's words are looked at by several stages
def _tokens(text: str) -> tuple[Token, ...]:
    return tuple(
        Token(_word_key(m.group()), m.start(), m.end(), m.group()[:1].isupper())
        for m in _WORD.finditer(text)
    )


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    key = name_key(word.replace(".", "") if "." in word else word)
    return re.sub(r"'s$", "", key)
