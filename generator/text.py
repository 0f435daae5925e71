"""Text that people type or paste: cleaning it, comparing names, and making slugs.

One home for these, because the importer, ``make new``, the validator's hints and the
article drafter all meet the same text: names spelt with other apostrophes, hyphens and
case ("Mar’a", "Mar'a"; "Ain al-Asad", "ain al asad"), and invisible characters copied out
of PDFs and web pages.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process

# Invisible characters that come from copying out of PDFs, web pages and spreadsheets:
# zero-width and direction marks, soft hyphens, byte-order marks and U+FFFC (the object
# replacement character, left where a picture or bullet was).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufffc]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘ʼ`´′"})
MAX_SLUG = 40


def printable(text: str) -> str:
    """Text with control characters shown as escapes ('\\n'): safe to print on one line,
    so a value can never start a line of its own in a log (where GitHub Actions reads a
    line that starts with '::' as a command)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def strip_invisible(text: str) -> str:
    """NFC, without invisible format and control characters (line breaks are kept)."""
    return _CONTROL.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFC", text)))


def clean(text: str) -> str:
    """Text as one line: NFC, no invisible characters, single spaces, none at the ends."""
    return " ".join(strip_invisible(text).split())


def name_key(name: str) -> str:
    """How names are compared: case, spaces, hyphens and apostrophe style are ignored.

    'Ain al-Asad', 'ain al asad' and 'AIN AL–ASAD' have the same key; so do "Mar’a" and
    "Mar'a".
    """
    text = clean(name).translate(_APOSTROPHES).casefold()
    return " ".join(re.sub(r"[-_\u2010-\u2015]", " ", text).split())


def country_parts(country: str) -> list[str]:
    """The countries a record's country names: 'Iraq and Syria' (a border strike) ->
    ['Iraq', 'Syria']; also split at ',', '/', '&' and '–'."""
    return [p for p in re.split(r"\s*(?:,|/|&|\band\b|–)\s*", country) if p]


def slug(text: str, limit: int = MAX_SLUG) -> str:
    """A URL-safe id part: 'Mar’a' -> 'mara', "Al-Qa'im" -> 'al-qaim',
    'Iraq–Syria border región' -> 'iraq-syria-border-region'.

    Accents are dropped, apostrophes join the letters around them, any other run of
    characters becomes one hyphen, and the result is cut at a word under ``limit``.
    """
    folded = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES)).replace("'", "")
    ascii_text = "".join(
        c if c.isascii() else ("" if unicodedata.combining(c) else " ") for c in folded
    ).lower()
    out = ""
    for word in re.findall(r"[a-z0-9]+", ascii_text):
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit and out:
            break
        out = candidate
    return out[:limit].strip("-")


def closest(value: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The choice most like ``value`` (a misspelling of it), or None: the one way every
    message finds what a contributor probably meant. Similarity is the share of characters
    in common, in order (rapidfuzz's ratio, in C: thousands of records with thousands of
    unknown references still take seconds); ties go to the first in sorted order."""
    found = process.extractOne(value, sorted(choices), scorer=fuzz.ratio, score_cutoff=cutoff * 100)
    return found[0] if found else None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """ "; did you mean 'x'?" for the closest choice, or '' when none is close."""
    meant = closest(str(value), choices)
    return f"; did you mean '{meant}'?" if meant else ""


@cache
def _prototypes() -> dict[str, str]:
    """Character -> the character that stands for every character that looks like it.

    Built from the confusables data that confusable-homoglyphs ships (Unicode's
    confusables.txt, for single characters): characters that look alike are joined into
    one class, and the class is written as its ASCII member if it has one, else as its
    lowest code point. Like TR39's skeleton, it serves only to compare names."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.setdefault(c, c) != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for char, glyphs in data.items():
        for glyph in glyphs:
            other = glyph.get("c", "")
            if len(char) == 1 and len(other) == 1:
                a, b = root(char), root(other)
                if a != b:
                    parent[max(a, b, key=_rank)] = min(a, b, key=_rank)
    return {c: root(c) for c in parent if root(c) != c}


def _rank(c: str) -> tuple[bool, int]:
    return (not c.isascii(), ord(c))


def skeleton(name: str) -> str:
    """What a name looks like, for telling whether two names can pass for each other: each
    character replaced by the one that stands for everything that looks like it, before
    and after case is folded, accents dropped, hyphens and spaces as in ``name_key``
    ('Grееn' with Cyrillic е, 'Ｇreen', 'Green' and 'GreeN' alike)."""
    prototypes = _prototypes()
    text = re.sub(r"[-_\u2010-\u2015]", " ", clean(name).translate(_APOSTROPHES))
    for step in (str, str.casefold):  # before and after case is folded: 'I' looks like 'l'
        text = unicodedata.normalize("NFKD", step(text))
        text = "".join(prototypes.get(c, c) for c in text if not unicodedata.combining(c))
    return " ".join(text.split())


class NameIndex:
    """Ids found by any of their names, compared by ``name_key``: the one table from names
    to base (or actor) ids that the validator, ``make new``, the importer and the drafter
    share. An id counts as one of its own names ('green-village' finds 'green-village')."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]] = ()) -> None:
        self.ids: list[str] = []
        self.by_key: dict[str, str] = {}
        for entry_id, names in entries:
            self.add(entry_id, names)

    def add(self, entry_id: str, names: Iterable[str]) -> list[tuple[str, str]]:
        """Index an entry; return the (name, other id) pairs whose name another id has."""
        self.ids.append(entry_id)
        clashes = []
        for name in (entry_id, *names):
            key = name_key(name)
            other = self.by_key.setdefault(key, entry_id)
            if other != entry_id:
                clashes.append((name, other))
        return clashes

    def find(self, name: str) -> str | None:
        """The id this name (or id, or alias) stands for, or None."""
        return self.by_key.get(name_key(name))

    def suggest(self, name: str, cutoff: float = 0.6) -> str | None:
        """The id whose name is closest to ``name`` (a misspelling), or None."""
        close = closest(name_key(name), self.by_key, cutoff=cutoff)
        return self.by_key[close] if close else None
