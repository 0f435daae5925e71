"""Field-by-field comparison of two versions of a record: which fields changed, from what to
what, and for a long text each passage that changed with the words around it.

Shared by the review (``tools/review/changes.py``, two versions of the data) and the corrections
log (``history.py``, every version of each record in git's history), so that both find a
change the same way; the log says it in the site's words (``wording.as_read``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel

NOT_SET = "(not set)"
SHORT = 80  # a longer text is shown as each passage that changed, with words around it
CONTEXT_WORDS = 5


@dataclass(frozen=True)
class FieldChange:
    """A field's old and new value; for long text, each passage that changed.

    As compared, the field is named as in the record file and each value is as written
    there, for contributors (the review); ``wording.as_read`` gives the same change in the
    site's words, for readers (the corrections log), with the field's ``label``."""

    field: str  # as in the record file: 'status', 'casualties.us.killed', 'sources[1].url'
    old: str
    new: str
    passages: tuple[tuple[str, str], ...] = ()
    label: str = ""  # the field's name for readers ('Casualties: US forces, killed'), if given

    @property
    def text(self) -> str:
        """As one line of plain text: 'status: reported → confirmed' (by its label, if it
        has one: 'Status: Reported → Confirmed'); a long text by each passage that changed."""
        pairs = self.passages or ((self.old, self.new),)
        return f"{self.label or self.field}: " + "; ".join(f"{old} → {new}" for old, new in pairs)


def field_changes(old: BaseModel, new: BaseModel) -> list[FieldChange]:
    """Field by field, in the model's field order; lists of records (sources) entry by entry."""
    a, b = old.model_dump(mode="json"), new.model_dump(mode="json")
    out: list[FieldChange] = []
    for key in _ordered_keys(a, b):
        if a.get(key) == b.get(key):
            continue
        if _is_records(a.get(key)) or _is_records(b.get(key)):
            out += _entries_changes(key, a.get(key) or [], b.get(key) or [])
        else:
            out += _flat_changes(flat(a.get(key), key), flat(b.get(key), key))
    return out


def _is_records(value: object) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _flat_changes(a: dict[str, str], b: dict[str, str]) -> list[FieldChange]:
    return [
        change(key, a.get(key), b.get(key))
        for key in _ordered_keys(a, b)
        if a.get(key) != b.get(key)
    ]


def _entries_changes(key: str, a: list[object], b: list[object]) -> list[FieldChange]:
    """Entries matched in order: one changed in place is shown field by field, one added or
    removed as a single line ('sources[1]: (not set) → CENTCOM, Statement, 2022-08-25')."""
    out: list[FieldChange] = []
    matcher = difflib.SequenceMatcher(
        None, [_entry_text(x) for x in a], [_entry_text(x) for x in b], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # Same number on both sides: changed in place. Else too unsure to pair them up.
        pairs = i2 - i1 if tag == "replace" and i2 - i1 == j2 - j1 else 0
        for n in range(pairs):
            where = f"{key}[{j1 + n}]"
            out += _flat_changes(flat(a[i1 + n], where), flat(b[j1 + n], where))
        for n in range(i1 + pairs, i2):
            out.append(change(f"{key}[{n}]", _entry_text(a[n]), None))
        for n in range(j1 + pairs, j2):
            out.append(change(f"{key}[{n}]", None, _entry_text(b[n])))
    return out


def _entry_text(value: object) -> str:
    return ", ".join(flat(value).values())


def _ordered_keys(a: Mapping[str, object], b: Mapping[str, object]) -> list[str]:
    keys = list(a)
    for key in b:
        if key not in a:
            keys.append(key)
    return keys


def flat(value: object, prefix: str = "") -> dict[str, str]:
    """{'casualties': {'killed': 0}} -> {'casualties.killed': '0'}; lists of records by index,
    lists of words joined; empty values left out (shown as not set)."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flat(item, f"{prefix}.{key}" if prefix else key))
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        for n, item in enumerate(value):
            out.update(flat(item, f"{prefix}[{n}]"))
    elif isinstance(value, list):
        if value:
            out[prefix] = ", ".join(str(v) for v in value)
    elif value is not None:
        out[prefix] = " ".join(str(value).split()) if isinstance(value, str) else _scalar(value)
    return out


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def change(key: str, old: str | None, new: str | None) -> FieldChange:
    """A field's change. A value added or removed is shown whole, however long; a long text
    that changed, as every passage that changed, each with the words around it."""
    if old is None or new is None:
        return FieldChange(
            key, old if old is not None else NOT_SET, new if new is not None else NOT_SET
        )
    if len(old) <= SHORT and len(new) <= SHORT:
        return FieldChange(key, old, new)
    return FieldChange(key, old, new, passages(old, new))


def passages(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """Each changed passage of a long text, old and new, with CONTEXT_WORDS around it;
    passages that touch are merged. Every change is shown: none is left out."""
    a, b = old.split(" "), new.split(" ")
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    windows: list[list[int]] = []  # [a from, a to, b from, b to]
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        lo_a, lo_b = max(0, i1 - CONTEXT_WORDS), max(0, j1 - CONTEXT_WORDS)
        if windows and lo_a <= windows[-1][1]:
            windows[-1][1], windows[-1][3] = i2 + CONTEXT_WORDS, j2 + CONTEXT_WORDS
        else:
            windows.append([lo_a, i2 + CONTEXT_WORDS, lo_b, j2 + CONTEXT_WORDS])
    return tuple((_excerpt(a, w[0], w[1]), _excerpt(b, w[2], w[3])) for w in windows)


def _excerpt(words: list[str], lo: int, hi: int) -> str:
    hi = min(hi, len(words))
    text = " ".join(words[lo:hi]) or NOT_SET
    return ("… " if lo > 0 else "") + text + (" …" if hi < len(words) else "")
