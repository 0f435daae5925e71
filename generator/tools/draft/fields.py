"""A draft's record fields, each with the sentence it came from."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from generator.dates import long_date, month_key
from generator.model import OUTCOMES, SIDES, Dataset
from generator.tools.draft.clauses import weapons_in
from generator.tools.draft.dates import When, local_time
from generator.tools.draft.decisions import _CONFIRMED, _claims, _official, _status, lead_status
from generator.tools.draft.incidents import Told
from generator.tools.draft.lexicon import (
    HURT,
    HURTING,
    NUMBER_WORDS,
    SIDE_WORDS,
    STRIKE_WEAPONS,
    WEEKDAYS,
    pattern,
)
from generator.tools.draft.places import Gazetteer, gazetteer_for
from generator.tools.draft.reading import Article
from generator.tools.draft.sentences import Sentence, tokens
from generator.vocabularies import KINDS, WEAPONS

BLAME_WORDS = pattern("blame_words")
QUANTITY = pattern("quantity")
SUSPECT_WORDS = pattern("suspect_words")


@dataclass
class Draft:
    """A proposed record (without id and summary) and the sentence each field came from."""

    record: dict[str, Any]
    evidence: dict[str, str]
    background: bool = False
    duplicate_of: str | None = None
    adds: dict[str, Any] = field(default_factory=dict)
    needs: list[str] = field(default_factory=list)  # what the person must supply
    aggregate: int | None = None  # a tally of attacks, mentioned as background
    article: str = ""

    @property
    def is_new(self) -> bool:
        return not self.background and self.duplicate_of is None

    @property
    def headline(self) -> str:
        kind = KINDS[self.record["kind"]].lower() if "kind" in self.record else "incident"
        if self.aggregate is not None:
            return f"background: a tally of {self.aggregate} {self.record['kind']}s"
        if self.duplicate_of:
            return f"already recorded as {self.duplicate_of}"
        return f"background {kind}" if self.background else f"new {kind}"


def fill(
    t: Told,
    article: Article,
    dataset: Dataset,
    actors: Gazetteer | None = None,
    lead: list[Sentence] | None = None,
) -> Draft:
    """The record fields of an incident as told, with the sentence each came from; ``lead``,
    the article's first sentences, may confirm what it reports first."""
    record: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    needs: list[str] = []
    first = t.first.sentence.text
    when = t.when
    if when is not None and when.day is not None:
        record["date"] = (
            when.day if when.precision != "month" else dt.date(when.day.year, when.day.month, 1)
        )
        if when.precision != "day":
            record["date_precision"] = when.precision
        evidence["date"] = _sentence_of(t, when)
        clock = local_time(evidence["date"]) if when.precision == "day" else None
        if clock:
            record["time"] = clock
            evidence["time"] = evidence["date"]
    elif when is not None and when.relative:
        needs.append(
            f'date: the article says only "{when.cue}"; give its publication date '
            "with --published YYYY-MM-DD"
        )
        evidence["date"] = _sentence_of(t, when)
    elif article.published is not None and not t.aggregate:
        record["date"] = article.published
        record["date_precision"] = "week"
        evidence["date"] = first
    else:
        needs.append(
            "date: the article gives no date for it"
            + (
                "; give its publication date with --published YYYY-MM-DD"
                if article.published is None
                else ""
            )
        )
    record["kind"] = t.kind
    evidence["kind"] = first
    place = t.place
    where = (  # the sentence that names the place: a mention's, or the one support_places read
        t.placed_by.text
        if t.placed_by is not None
        else next((m.sentence.text for m in t.mentions if m.place.key == place.key), first)
    )
    if place.base and place.base.startswith("site:"):  # a site the data does not list
        name = gazetteer_for(dataset).name_of(place.base)
        record["location"] = place.location if t.kind == "strike" and place.location else name
        record["country"] = place.country
        evidence["location"] = evidence["country"] = where
    elif place.base:
        record["base"] = place.base
        evidence["base"] = where
        if t.kind == "strike":
            record["location"] = place.location or "near " + gazetteer_for(dataset).name_of(
                place.base
            )
            record["country"] = place.country
    else:
        if place.location:
            record["location"] = place.location
            evidence["location"] = where
        elif t.kind == "strike" and place.country:
            record["location"] = place.country
        if place.country:
            record["country"] = place.country
            evidence["country"] = where
    weapons, weapon_from = _weapons(t)
    record["weapon"] = weapons[0] if len(weapons) == 1 else list(weapons)
    if weapon_from:
        evidence["weapon"] = weapon_from
    status, status_from = _status(t)
    led = lead_status(lead or []) if status == "reported" else None
    if led is not None:
        status, status_from = led
    official = _official(article)
    if status != "confirmed" and official:
        status, status_from = "confirmed", official
    record["status"] = status
    evidence["status"] = status_from or first
    if t.kind == "attack":
        _perpetrator(t, actors, record, evidence)
    _numbers(t, record, evidence)
    casualties, casualties_from = _casualties(t)
    if casualties:
        record["casualties"] = casualties
        evidence["casualties"] = casualties_from
    notes = _date_notes(t, record, article, needs)
    if notes:
        record["notes"] = notes
    source = {
        "publisher": article.publisher,
        "title": article.title,
        "published": article.published,
        "url": article.url,
    }
    for key in ("publisher", "title", "published"):
        if not source[key]:
            needs.append(f"sources: the article's {key} is not known; give --{key}")
    if any(source.values()):
        record["sources"] = [{k: v for k, v in source.items() if v}]
    return Draft(record, evidence, needs=needs, aggregate=t.aggregate, article=article.name)


def _sentence_of(t: Told, when: When) -> str:
    """The sentence that gives the date: its mention's, or, for a day taken from a sentence
    about the incident ("the rocket, launched late Saturday": ``act_days``), that one."""
    for m in t.mentions:
        if m.when is when:
            if when.cue in m.sentence.text:
                return m.sentence.text
            told = next((s.text for s in t.support if when.cue and when.cue in s.text), None)
            return told or m.sentence.text
    return t.first.sentence.text


def _weapons(t: Told) -> tuple[tuple[str, ...], str | None]:
    found: dict[str, str] = {}
    for m in t.mentions:
        for w in m.weapons:
            found.setdefault(w, m.sentence.text)
    if not found:
        for s in t.support:
            for _, w in weapons_in(s.text):
                if t.kind == "attack" or (w in STRIKE_WEAPONS and w != "missile"):
                    found.setdefault(w, s.text)
    if t.kind == "strike" and len(found) > 1:
        found.pop("airstrike", None) if "artillery" in found else None
    if not found:
        # a strike told only as "an attack" by US forces says nothing of aircraft
        body = [m for m in t.mentions if not m.sentence.heading] or t.mentions
        clauses = " ".join(m.sentence.text[m.clause.start : m.clause.end] for m in body)
        told_as_attack = not _TOLD_AS_STRIKE.search(clauses)
        aircraft = t.kind == "strike" and not t.first.responds and not told_as_attack
        return ("airstrike" if aircraft else "unknown",), None
    if "unknown" in found and len(found) > 1:
        del found["unknown"]
    ordered = tuple(w for w in WEAPONS if w in found)
    return ordered, found[ordered[0]]


def _perpetrator(
    t: Told, actors: Gazetteer | None, record: dict[str, Any], evidence: dict[str, str]
) -> None:
    if actors is None:
        return
    for s in t.sentences:
        found = actors.bases_in(s.text, tokens(s.text))
        if not found:
            continue
        actor = found[0].base
        if _claims(s.text):
            how = "claimed"
        elif re.search(SUSPECT_WORDS, s.text, re.I):
            how = "suspected"
        elif re.search(BLAME_WORDS, s.text, re.I) or _CONFIRMED.search(s.text):
            how = "attributed"
        else:
            continue
        record["perpetrator"] = actor
        record["attribution"] = how
        evidence["perpetrator"] = s.text
        return


def _count(text: str) -> int | None:
    text = text.lower().replace(",", "")
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


_PROJECTILES = re.compile(pattern("projectile_count"), re.I)


_INTERCEPTED = re.compile(pattern("intercepted"), re.I)


_TARGETS = re.compile(pattern("targets"), re.I)


_STRIKE_COUNT = re.compile(pattern("strike_count"), re.I)


def _numbers(t: Told, record: dict[str, Any], evidence: dict[str, str]) -> None:
    for s in t.sentences:
        text = s.text
        if t.kind == "attack" and "projectiles" not in record:
            for m in _PROJECTILES.finditer(text):
                n = _count(m.group("n"))
                plural = m.group().rstrip().lower().endswith("s")
                if (
                    n is not None
                    and n < 1000
                    and not (n == 1 and plural)  # "a barrage of rockets" counts none
                    and not re.match(r"\s*(?:of|percent|%)", text[m.end() :])
                ):
                    record["projectiles"] = n
                    evidence["projectiles"] = text
                    break
        if t.kind == "attack" and "intercepted" not in record:
            seen = _INTERCEPTED.search(text)
            if seen is not None:
                n = _count(seen.group("n") or seen.group("n2") or "")
                if n is not None:
                    record["intercepted"] = n
                    evidence["intercepted"] = text
        if t.kind == "strike":
            for m in _TARGETS.finditer(text):
                n = _count(m.group("n"))
                if n is not None and n >= 1:
                    record["targets"] = n
                    evidence["targets"] = text
            counted = _STRIKE_COUNT.search(text)
            if counted is not None and "strikes" not in record:
                n = _count(counted.group("n"))
                if n is not None and 2 <= n <= 100:
                    record["strikes"] = n
                    evidence["strikes"] = text
    if "intercepted" in record and record.get("projectiles", 0) < record["intercepted"]:
        record["projectiles"] = record["intercepted"]
        evidence["projectiles"] = evidence["intercepted"]


def _quantity(q: str | None, n: str) -> Any:
    word = n.lower()
    if word in ("several", "multiple"):
        return {"min": 2}
    if word in ("a number of", "a small number of", "a handful of"):
        return {"min": 1}
    if word == "dozens of":
        return {"min": 24}
    count = _count(n)
    if count is None:
        return None
    q = (q or "").strip().lower()
    if q == "at least":
        return {"min": count}
    if q in ("more than", "over"):
        return {"min": count + 1}
    if q == "up to":
        return {"max": count}
    return count


_SIDES = {side: re.compile(pattern, re.I) for side, pattern in SIDE_WORDS.items()}


_NONE_HURT = re.compile(pattern("none_hurt"), re.I)


# Any word of an outcome: between a count and its outcome there is none, nor another count.
_OUTCOME_WORDS = "|".join([*HURT.values(), *HURTING.values()])
# Casualties of each side and outcome: "three US soldiers were wounded" (before) and
# "wounding three US soldiers" (after).
_HURT_RX = {
    (side, outcome): (
        re.compile(
            rf"{QUANTITY}\s+(?:[\w-]+\s+){{0,3}}?(?:{side_rx.pattern})\b"
            rf"(?:(?!\d|{_OUTCOME_WORDS})[\w\s,-]){{0,40}}?"
            rf"\b(?:were|was|are|is|have been|had been)?\s*"
            rf"(?:\w+\s+){{0,2}}?(?:{hurt})\b",
            re.I,
        ),
        re.compile(
            rf"\b(?:{HURTING[outcome]})\s+{QUANTITY}\s+"
            rf"(?:[\w-]+\s+){{0,2}}?(?:{side_rx.pattern})\b",
            re.I,
        ),
    )
    for side, side_rx in _SIDES.items()
    for outcome, hurt in HURT.items()
}
# Any word of an outcome: a sentence without one names no casualty.
_TOLD_AS_STRIKE = re.compile(pattern("told_as_strike"), re.I)
_ANY_HURT = re.compile("|".join([*HURT.values(), *HURTING.values()]), re.I)
# The other outcome of the same side, its people not named again: "and 25 injured".
_AND_MORE = re.compile(
    rf",?\s+and\s+{QUANTITY}\s+(?:others?\s+|more\s+)?(?:were\s+|have been\s+)?"
    rf"(?P<o>{'|'.join(HURT.values())})\b",
    re.I,
)
_NONE_KILLED = re.compile(pattern("none_killed"), re.I)
_NONE_INJURED = re.compile(pattern("none_injured"), re.I)
_NONE_OF = {side: re.compile(rf"no (?:{p.pattern})", re.I) for side, p in _SIDES.items()}


def _casualties(t: Told) -> tuple[dict[str, Any], str]:
    out: dict[str, dict[str, Any]] = {}
    source = ""
    for s in t.sentences:
        text = s.text
        sides = (
            {side for side, rx in _SIDES.items() if rx.search(text)}
            if _ANY_HURT.search(text)
            else set()
        )
        for (side, outcome), found in _HURT_RX.items():
            if side not in sides:
                continue
            for rx in found:
                m = rx.search(text)
                if m is None:
                    continue
                value = _quantity(m.group("q"), m.group("n"))
                if value is not None and outcome not in out.get(side, {}):
                    out.setdefault(side, {})[outcome] = value
                    source = source or text
                more = _AND_MORE.match(text, m.end())  # "... were killed and 25 injured"
                if more is not None:
                    other = next(
                        o for o, words in HURT.items() if re.fullmatch(words, more["o"], re.I)
                    )
                    also = _quantity(more["q"], more["n"])
                    if also is not None and other not in out.get(side, {}):
                        out.setdefault(side, {})[other] = also
        none = _NONE_HURT.search(text)
        if none and not out:
            said = text[none.start() : none.end() + 40]
            outcomes = [
                o
                for o, rx in (("killed", _NONE_KILLED), ("injured", _NONE_INJURED))
                if rx.search(said)
            ] or list(OUTCOMES)
            whose = [side for side, rx in _NONE_OF.items() if rx.search(said)]
            for side in whose or ["unknown"]:
                out.setdefault(side, dict.fromkeys(outcomes, 0))
            source = text
    return ({side: out[side] for side in SIDES if side in out}, source)


def _date_notes(t: Told, record: dict[str, Any], article: Article, needs: list[str]) -> str:
    when = t.when
    published = article.published
    day = record.get("date")
    if when is not None and day is not None and when.relative and published is not None:
        shown = long_date(day) if record.get("date_precision") != "month" else month_key(day)
        base = (
            f'Dated from "{when.cue}" in the article, published on '
            f"{WEEKDAYS[published.weekday()].title()} {long_date(published)}: "
            f"{WEEKDAYS[day.weekday()].title()} {shown}."
        )
        if record.get("date_precision") == "week":
            base = base[:-1] + ", to within a week."
        return base
    if when is not None and day is not None:
        return f'Dated from "{when.cue}" in the article.'
    if day is not None:
        return (
            "The article gives no day: dated to within a week of its publication, "
            f"{long_date(day)}."
        )
    return ""
