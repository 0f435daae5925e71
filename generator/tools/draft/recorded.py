"""The data: whether a draft is already recorded, what the article adds, and which recorded
attacks a strike answered."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from generator.dates import month_key
from generator.model import Dataset, Incident, sort_key
from generator.text import name_key
from generator.tools.draft.dates import dates_in
from generator.tools.draft.fields import Draft
from generator.tools.draft.incidents import Told
from generator.tools.draft.lexicon import pattern
from generator.tools.draft.places import gazetteer_for, same_place
from generator.tools.draft.sentences import tokens
from generator.vocabularies import STATUSES

# What a strike answered is named after these words ("in response to the attack on …").
_ANSWERS = re.compile(pattern("answers"), re.I)
_WEEK = re.compile(pattern("week_words"), re.I)


def compare(draft: Draft, dataset: Dataset) -> None:
    """Mark a draft that is already recorded, with what the article adds to that record."""
    if draft.aggregate is not None:
        return
    record = draft.record
    found = [i for i in dataset.incidents if recorded_as(record, i, dataset)]
    if not found:
        return
    day = record.get("date")
    incident = min(
        found,
        key=lambda i: (abs((i.date - day).days) if isinstance(day, dt.date) else 0, sort_key(i)),
    )
    draft.duplicate_of = incident.id
    draft.adds = additions(record, incident)


def recorded_as(record: dict[str, Any], incident: Incident, dataset: Dataset) -> bool:
    """Whether a drafted record is this incident: same kind and place, and a date within
    the precision of either."""
    if incident.kind != record.get("kind"):
        return False
    day = record.get("date")
    if not isinstance(day, dt.date):
        return False
    slack = max(
        {"week": 6, "month": 30}.get(record.get("date_precision", "day"), 0),
        {"week": 6, "month": 30}.get(incident.date_precision, 0),
    )
    if incident.date_precision == "month" or record.get("date_precision") == "month":
        if month_key(incident.date) != month_key(day):
            return False
    elif abs((incident.date - day).days) > slack:
        return False
    return same_place(record, incident.model_dump(), dataset)


def additions(record: dict[str, Any], incident: Incident) -> dict[str, Any]:
    """What the draft knows that the record does not: a source, numbers, a higher status,
    weapons, a perpetrator, casualties."""
    adds: dict[str, Any] = {}
    source = record.get("sources", [{}])[0]
    known = any(
        (source.get("url") and s.url == source.get("url"))
        or (
            name_key(s.publisher) == name_key(source.get("publisher") or "")
            and name_key(s.title) == name_key(source.get("title") or "")
        )
        for s in incident.sources
    )
    if not known and source:
        adds["sources"] = [source]
    for key in ("projectiles", "intercepted", "strikes", "targets", "perpetrator"):
        if record.get(key) is not None and getattr(incident, key) is None:
            adds[key] = record[key]
    if STATUSES.index(record["status"]) > STATUSES.index(incident.status):
        adds["status"] = record["status"]
    weapons = record.get("weapon")
    drafted = [weapons] if isinstance(weapons, str) else list(weapons or [])
    new = [w for w in drafted if w != "unknown" and w not in incident.weapon]
    if new:
        adds["weapon"] = new[0] if len(new) == 1 else new
    if record.get("casualties"):
        have = incident.casualties.by_side() if incident.casualties else {}
        extra = {side: v for side, v in record["casualties"].items() if side not in have}
        if extra:
            adds["casualties"] = extra
    return adds


def responds_to(
    t: Told,
    record: dict[str, Any],
    told: list[Told],
    drafts: list[Draft],
    dataset: Dataset,
    published: dt.date | None,
) -> list[str]:
    """The recorded attacks a strike answered, as the article says: the attack it was told
    with ('responded with artillery'), or those its cause names ('in response to the attacks
    of August 15', 'retaliation for last week's attack on al-Tanf')."""
    if t.kind != "strike":
        return []
    ids: list[str] = []
    day = record.get("date")
    for sentence in t.sentences:
        text = sentence.text
        for cause in _ANSWERS.finditer(text):
            tail = text[cause.start() : cause.start() + 160]
            named = {p.base for p in gazetteer_for(dataset).bases_in(tail, tokens(tail))}
            days = {d.day for d in dates_in(tail, published) if d.day is not None}
            for incident in dataset.incidents:
                if incident.kind != "attack" or (isinstance(day, dt.date) and incident.date > day):
                    continue
                if named and incident.base not in named:
                    continue
                if (
                    days
                    and incident.date not in days
                    and not any(
                        abs((incident.date - d).days) <= 6 for d in days if _week_words(tail)
                    )
                ):
                    continue
                if not named and not days:
                    continue
                if incident.id not in ids:
                    ids.append(incident.id)
    if t.first.responds:
        attacks = [
            (a, d)
            for a, d in zip(told, drafts, strict=True)
            if a.kind == "attack" and a.first.sentence.n <= t.first.sentence.n and d.duplicate_of
        ]
        for a, d in attacks[-1:]:
            answered = a.place.base == t.place.base or not ids
            if d.duplicate_of and answered and d.duplicate_of not in ids:
                ids.append(d.duplicate_of)
    return ids


def _week_words(text: str) -> bool:
    return bool(_WEEK.search(text))
