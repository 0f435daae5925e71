"""Incidents as the article tells them: mentions of one kind, place and date grouped, the
sentences about each attached, and tallies of attacks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.gazetteer import distance_km
from generator.model import Dataset
from generator.text import name_key
from generator.tools.draft.agents import US
from generator.tools.draft.clauses import (
    _ATTACK,
    _BACKGROUND,
    _BASE_NOUN,
    _CAUSE,
    _STRIKE,
    TALLY,
    Clause,
    Mention,
)
from generator.tools.draft.dates import When, dates_in
from generator.tools.draft.decisions import _CONFIRMED, _claims
from generator.tools.draft.lexicon import (
    NUMBER_WORDS,
    RECENT_DAYS,
    REGIONS,
    RELATIVE_DAYS,
    SAME_SITE_KM,
    pattern,
)
from generator.tools.draft.places import Gazetteer, Place, _countries, _same_place, gazetteer_for
from generator.tools.draft.sentences import Sentence, tokens

# The sentences of an incident that its fields are read from: its first ones (an incident
# told again and again in a long text need not be read again and again).
MAX_SENTENCES = 20


@dataclass
class Told:
    """An incident as the article tells it: its mentions and the sentences about it."""

    kind: str
    place: Place
    mentions: list[Mention]
    support: list[Sentence] = field(default_factory=list)
    aggregate: int | None = None  # a tally of attacks, not one incident
    placed_by: Sentence | None = None  # the sentence about it that gave its town (support_places)

    @property
    def when(self) -> When | None:
        dated = [m.when for m in self.mentions if m.when is not None]
        strong = [w for w in dated if not w.weak and w.day is not None]
        for group in (
            [w for w in strong if w.precision == "day" and not w.relative],
            [w for w in strong if w.precision == "day"],
            strong,
            [
                w
                for w in dated
                if w.weak and w.day is not None and w.cue.lower() not in RELATIVE_DAYS
            ],
            [w for w in dated if w.day is not None],
            [w for w in dated if w.day is None and not w.old],
            dated,
        ):
            if group:
                return group[0]
        return None

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    @property
    def sentences(self) -> list[Sentence]:
        seen: dict[int, Sentence] = {}
        for s in [m.sentence for m in self.mentions] + self.support:
            seen.setdefault(s.n, s)
        return [seen[n] for n in sorted(seen)][:MAX_SENTENCES]


def _same_day(a: When | None, b: When | None) -> bool:
    if a is not None and b is not None and a.old != b.old:
        return False
    if a is None or b is None or a.day is None or b.day is None:
        return True
    if a.weak and b.weak:
        return True
    if a.weak or b.weak:  # "CENTCOM said Thursday": that day or the days before, not June
        return abs((a.day - b.day).days) <= RECENT_DAYS + _slack(b if a.weak else a)
    if a.day == b.day:
        return True
    slack = max(_slack(a), _slack(b))
    return abs((a.day - b.day).days) <= slack


def _slack(when: When) -> int:
    return {"week": 6, "month": 30}.get(when.precision, 0)


def group(
    mentions: list[Mention], dataset: Dataset, published: dt.date | None = None
) -> list[Told]:
    """Mentions of one kind, place and date are one incident; then an unnamed site joins the
    named base it must be, and a strike that answers an attack takes its place and day.
    Undated mentions of a place are one incident with a dated one, unless that one is
    recalled or weeks older than the article (the news, undated, then "another attack … in
    October")."""
    told: list[Told] = []
    # each incident's date, worked out again only when it gains a mention (linear time)
    memo: dict[int, tuple[int, When | None]] = {}

    def when_of(t: Told) -> When | None:
        held = memo.get(id(t))
        if held is None or held[0] != len(t.mentions):
            held = memo[id(t)] = (len(t.mentions), t.when)
        return held[1]

    position: dict[int, int] = {}
    for m in mentions:
        if m.kind == "strike" and not m.place.country and not m.place.base:
            position[id(m)] = len(told)
            told.append(Told(m.kind, m.place, [m]))
            continue
        match = [
            t
            for t in told
            if t.kind == m.kind
            and _same_place(m.kind, t.place, m.place)
            and _same_day(when_of(t), m.when)
            and not m.again
            and not (t.first.again and not m.again)
            and not (m.when is not None and m.when.day is not None and _undated(when_of(t)))
            and not (when_of(t) is None and _older(t, m, published))
            and not _other_means(t, m)
        ]
        if match:
            loose = m.when is None or m.when.weak or m.when.day is None
            target = max(
                match,
                key=lambda t: (
                    loose and t.place.key == m.place.key,
                    loose and t.first.responds == m.responds,
                    position[id(t.first)],
                ),
            )
            target.mentions.append(m)
            mine, theirs = _countries(m.place.country), _countries(target.place.country)
            if (
                m.kind == "strike"
                and not target.place.base
                and m.place.location
                and (
                    not target.place.location
                    or (mine > theirs and target.place.location in theirs)
                    or (mine == theirs and len(m.place.location) > len(target.place.location))
                )
            ):  # a strike's place as fully as told: "Al-Mayadin and Saker Island"
                target.place = m.place
            elif m.place.location and not target.place.location and not target.place.base:
                target.place = m.place
        else:
            position[id(m)] = len(told)
            told.append(Told(m.kind, m.place, [m]))
    told = _sites_to_bases(told, dataset)
    told = _unnamed_to_named(told, dataset)
    told = _answers(told, dataset)
    _statement_days(told)
    return told


def _other_means(t: Told, m: Mention) -> bool:
    """A raid and an airstrike are two operations, even on one day in one country ("a
    helicopter raid near Qamishli … later, a precision airstrike")."""
    if m.kind != "strike":
        return False
    raids = any(x.raid for x in t.mentions)
    air = any(_AIR & set(x.weapons) for x in t.mentions)
    mine = bool(_AIR & set(m.weapons))
    return (raids and not air and mine and not m.raid) or (air and not raids and m.raid)


_AIR = {"airstrike", "drone"}


def _older(t: Told, m: Mention, published: dt.date | None) -> bool:
    """``m`` recalls an older incident than the undated ones of ``t``: it says so ("Earlier
    this year", "previously": ``past_time``) where they do not, or its day is weeks before
    the article."""
    if m.cue is not None and _PAST.search(m.cue) and not any(x.cue for x in t.mentions):
        return True
    return _weeks_before(m.when, published)


def _weeks_before(when: When | None, published: dt.date | None) -> bool:
    """A day told too long before the publication date to be its news (``RECENT_DAYS``)."""
    return (
        when is not None
        and when.day is not None
        and not when.weak
        and published is not None
        and (published - when.day).days > RECENT_DAYS
    )


def _undated(when: When | None) -> bool:
    """A date found that gives no day and is not relative ("in 2020")."""
    return when is not None and when.day is None and when.relative is False


def _statement_days(told: list[Told]) -> None:
    """A quoted "today" is the day of the statement, not of the article: when the quote also
    speaks of an incident the article dates ("in response to today's attack", told as
    Thursday's), that is its day."""
    for t in told:
        when = t.when
        if when is None or not when.weak or when.cue.lower() not in RELATIVE_DAYS:
            continue
        quoted = {m.sentence.n for m in t.mentions if m.when is not None and m.when.weak}
        for u in told:
            day = u.when
            if (
                u is t
                or u.aggregate
                or day is None
                or day.weak
                or day.day is None
                or day.precision != "day"
                or day.old
            ):
                continue
            if any(
                m.sentence.n in quoted and m.when is not None and m.when.weak for m in u.mentions
            ):
                cue = f'{when.cue}" in a statement about the attack of "{day.cue}'
                for m in t.mentions:
                    if m.when is not None and m.when.weak:
                        m.when = dataclasses.replace(
                            m.when, day=day.day, cue=cue, relative=day.relative
                        )
                break


def _sites_to_bases(told: list[Told], dataset: Dataset) -> list[Told]:
    """An attack on a site the data does not list joins the attack on a base it does, on the
    same day, within ``SAME_SITE_KM`` of it: one attack the article places twice."""
    gazetteer = gazetteer_for(dataset)
    bases = [t for t in told if t.kind == "attack" and t.place.base in dataset.base_by_id]

    def where(t: Told) -> tuple[float, float] | None:
        return gazetteer.where(t.place.base or "") if t.place.base else None

    def near(base: Told, site: Told) -> bool:
        here, there = where(site), where(base)
        return (
            here is not None
            and there is not None
            and _same_day(base.when, site.when)
            and distance_km(*here, *there) <= SAME_SITE_KM
        )

    def at_a_site(t: Told) -> bool:
        return t.kind == "attack" and (t.place.base or "").startswith("site:")

    return _join_the_one_base(told, bases, at_a_site, near)


def _unnamed_to_named(told: list[Told], dataset: Dataset) -> list[Told]:
    named = [t for t in told if t.kind == "attack" and t.place.base]
    return _join_the_one_base(
        told,
        named,
        lambda t: t.kind == "attack" and not t.place.base,
        lambda base, t: _fits(base, t, dataset),
    )


def _join_the_one_base(
    told: list[Told],
    bases: list[Told],
    joins: Callable[[Told], bool],
    fits: Callable[[Told, Told], bool],
) -> list[Told]:
    """Each incident that ``joins`` becomes part of the attack on a base of ``bases`` when
    that base is the only one it ``fits``."""
    out = []
    for t in told:
        if joins(t):
            fit = [b for b in bases if fits(b, t)]
            if len({b.place.base for b in fit}) == 1:
                fit[0].mentions += t.mentions
                fit[0].mentions.sort(key=lambda m: m.sentence.n)
                continue
        out.append(t)
    return out


def _fits(named: Told, unnamed: Told, dataset: Dataset) -> bool:
    base = gazetteer_for(dataset).about(named.place.base or "")
    if base.country != unnamed.place.country:
        return False
    if all(_on_the_road(m) for m in unnamed.mentions):
        return False  # a convoy hit on a road is not at the base named elsewhere
    if _all_recalled(named) and not _all_recalled(unnamed):
        return False  # "attacks on US targets, including the embassy": not today's site
    if _all_past(unnamed) and not _all_recalled(named):
        return False  # "in recent months, attacks have targeted US troops in Iraq": not today's
    region = name_key(unnamed.place.province or "") in REGIONS
    if (
        unnamed.place.province
        and not region
        and _area(unnamed.place.province) not in (_area(base.province or ""), _area(base.name))
        and _area(unnamed.place.province) not in (_area(a) for a in base.aliases)
    ):
        return False
    a, b = named.when, unnamed.when
    if a is None or b is None or a.day is None or b.day is None:
        return True
    return a.day == b.day


def _on_the_road(m: Mention) -> bool:
    """A mention of an attack on a convoy or a patrol, not on a base."""
    clause = m.sentence.text[m.clause.start : m.clause.end]
    return bool(_MOVING.search(clause)) and not _BASE_NOUN.search(clause)


_MOVING = re.compile(pattern("moving_nouns"), re.I)
_PAST = re.compile(pattern("past_time"), re.I)


def _area(name: str) -> str:
    """A place's name without the word for its kind: 'Anbar province' is 'anbar'."""
    words = name_key(name).split()
    return " ".join(w for w in words if w not in ("province", "governorate", "district")) or ""


def _all_past(t: Told) -> bool:
    """Every mention put in the past of the story by its wording ("in recent months")."""
    return all(m.cue is not None and _BACKGROUND.search(m.cue) for m in t.mentions)


def _all_recalled(t: Told) -> bool:
    """Every mention points back (a cue, a cause, a month or "since" date) and none gives a
    recent day: told as context."""
    for m in t.mentions:
        w = m.when
        old = w is not None and (w.old or w.precision == "month")
        if not (m.cue or m.cause or old) or (w is not None and w.day is not None and not old):
            return False
    return True


def _answers(told: list[Told], dataset: Dataset) -> list[Told]:
    """A strike without a place of its own that answers an attack ('US forces responded with
    artillery') is near the attacked base, on the day of the attack: the attack told in the
    same sentence or the two before. Any other strike without a place is about the strike
    told last, unless one is a raid and the other an airstrike."""
    out: list[Told] = []
    for t in told:
        if t.kind != "strike" or t.place.country or t.place.base:
            out.append(t)
            continue
        strikes = [s for s in out if s.kind == "strike"]
        if strikes and all(
            m.when is None and _STRIKES_TOLD.search(m.sentence.text[m.clause.start : m.clause.end])
            for m in t.mentions
        ):  # "the strikes", told before
            strikes[-1].support += [m.sentence for m in t.mentions]
            continue
        n = t.first.sentence.n
        attacks = [
            a
            for a in out
            if a.kind == "attack"
            and not a.aggregate
            and any(0 <= n - m.sentence.n <= 2 for m in a.mentions)
            and _same_day(a.when, t.when)
        ]
        if t.first.responds and attacks:
            attack = attacks[-1]
            place = attack.place
            name = gazetteer_for(dataset).name_of(place.base) if place.base else place.location
            where = Place(
                base=place.base,
                country=place.country,
                location=f"near {name}" if name else place.country,
            )
            when = t.when or attack.when
            for m in t.mentions:
                m.when = m.when or when
            same = [
                s
                for s in out
                if s.kind == "strike"
                and _same_place("strike", s.place, where)
                and _same_day(s.when, when)
            ]
            if same:
                same[-1].mentions += t.mentions
                continue
            t.place = where
            out.append(t)
            continue
        if (
            strikes
            and strikes[-1].place.country
            and (_other_means(strikes[-1], t.first) or _other_day(strikes[-1].when, t.when))
        ):
            # "a helicopter raid near Qamishli … Later, … an airstrike", "strikes on Tuesday
            # … The previous day, US forces bombed nine targets": a second operation, in the
            # country of the first
            t.place = Place(country=strikes[-1].place.country)
            out.append(t)
        elif strikes:
            strikes[-1].support += [m.sentence for m in t.mentions]
    return out


def _other_day(a: When | None, b: When | None) -> bool:
    """Two days given exactly, and not the same one."""
    exact = [w for w in (a, b) if w is not None and w.day is not None and w.precision == "day"]
    return len(exact) == 2 and not any(w.weak for w in exact) and exact[0].day != exact[1].day


_ANAPHOR = re.compile(pattern("anaphor"), re.I)
_HAPPENED = re.compile(pattern("happened_at"), re.I)
_STRIKES_TOLD = re.compile(pattern("strikes_told"), re.I)


def attach_support(told: list[Told], found: list[Sentence]) -> None:
    """A sentence without a place that speaks of 'the attack' or 'the strikes' is about the
    incident mentioned last, within the three sentences before."""
    last: dict[int, Told] = {}
    for t in told:
        for m in t.mentions:
            if m.sentence.n not in last or t.when is not None:
                last.setdefault(m.sentence.n, t)
    mentioned = {m.sentence.n for t in told for m in t.mentions}
    by_sentence: dict[int, list[Told]] = {}
    for t in told:
        for m in t.mentions:
            by_sentence.setdefault(m.sentence.n, []).append(t)
    by_n = {s.n: s for s in found}
    for sentence in found:
        if sentence.n in mentioned or sentence.heading:
            continue
        after = by_n.get(sentence.n + 1)
        if (
            after is not None
            and after.n in by_sentence
            and _ANAPHOR.match(after.text)
            and (_claims(sentence.text) or _CONFIRMED.search(sentence.text))
            and not all(_all_past(t) for t in by_sentence[after.n])
        ):  # "Two attacks today, both claimed by … The attacks focused on …"; not "It is the
            # latest in a string of attacks": that one is recalled, and the word is today's
            for t in by_sentence[after.n]:
                t.support.append(sentence)
            continue
        if not _ANAPHOR.search(sentence.text):
            continue
        wants = (
            "strike"
            if _STRIKE.search(sentence.text)
            and US.search(sentence.text)
            and not _ATTACK.search(sentence.text)
            else None
        )
        for back in range(1, 4):
            target = last.get(sentence.n - back)
            if target is not None and (wants is None or target.kind == wants):
                target.support.append(sentence)
                last[sentence.n] = target
                break


def act_days(told: list[Told], published: dt.date | None) -> None:
    """An incident dated only by the day it was said ("officials said on Friday") takes the
    day a sentence about it gives the act ("the rocket, launched late Saturday"), when that
    day is a relative one within ``RECENT_DAYS`` before and not that of another incident it
    answers or resembles ("attacks like the one on Sunday")."""
    for t in told:
        said = t.when
        if said is None or not said.weak or said.day is None or t.aggregate:
            continue
        acts = [
            w
            for s in t.support
            for w in dates_in(s.text, published)
            if w.relative
            and not w.weak
            and not w.old
            and w.day is not None
            and w.precision == "day"
            and 0 < (said.day - w.day).days <= RECENT_DAYS
            and not _CAUSE.search(s.text[max(0, w.start - 60) : w.start])
        ]
        if not acts:
            continue
        for m in t.mentions:
            if m.when is not None and m.when.weak:
                m.when = dataclasses.replace(acts[0], start=m.when.start, end=m.when.end)


def support_places(told: list[Told], gazetteer: Gazetteer) -> None:
    """An incident placed only by its country takes the one town of that country that a
    sentence about it says it happened at ("They said the deadly explosion occurred near the
    city of Manbij in northern Syria"): a draft's place is the most specific the article names."""
    for t in told:
        if t.place.base or t.place.location or not t.place.country or t.aggregate is not None:
            continue
        towns: dict[tuple[str | None, str | None], tuple[Place, Sentence]] = {}
        for s in t.support:
            at = _HAPPENED.search(s.text)
            if at is None:
                continue
            for p in gazetteer.places_in(s.text, tokens(s.text)):
                if p.location and p.country == t.place.country and p.start > at.start():
                    towns.setdefault(p.key, (p, s))
        if len(towns) == 1:
            ((place, sentence),) = towns.values()
            t.place, t.placed_by = place, sentence


def tallies_in(found: list[Sentence], published: dt.date | None) -> list[Told]:
    """Counts of attacks ('at least 19 attacks since October 17'): background, not incidents."""
    out = []
    for sentence in found:
        for m in TALLY.finditer(sentence.text):
            number = m.group("n") or ""
            count = int(number.replace(",", "")) if number[:1].isdigit() else None
            if count is None and m.groupdict().get("w"):
                count = NUMBER_WORDS.get(m.group("w").lower())
            nth = m.group("nth")
            if count is None and nth:
                count = int(re.sub(r"\D", "", nth))
            if count is None or (count < 3 and not nth):
                continue
            kind = "strike" if "strike" in m.group().lower() else "attack"
            dates = [d for d in dates_in(sentence.text, published) if d.start > m.start()]
            since = dates[0] if dates else None
            mention = Mention(
                sentence, kind, Place(), since, (), Clause(0, len(sentence.text), ""), cue="tally"
            )
            out.append(Told(kind, Place(), [mention], aggregate=count))
            break
    return out
