"""What one sentence tells: the attacks on places hosting US forces and the US strikes in
each of its clauses, with their places, dates and weapons (``mentions.find_mentions`` reads
the article's sentences through it)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.tools.draft.agents import (
    PASSIVE,
    attack_on_us,
    is_us_strike,
    others_act,
    us_strike_at_site,
)
from generator.tools.draft.dates import When, dates_in
from generator.tools.draft.lexicon import RELATIVE_DAYS, STRIKE_WEAPONS, WEAPON_WORDS, pattern
from generator.tools.draft.places import (
    Gazetteer,
    Place,
    _country_is_place,
    _strike_places,
    _unnamed_sites,
    one_attack_in_each,
)
from generator.tools.draft.sentences import Sentence, tokens

ATTACK_WORDS = pattern("attack_words")
BACKGROUND_CUES = pattern("background_cues")
BARE_PLURAL = pattern("bare_plural")
CAUSE_CUES = pattern("cause_cues")
HYPOTHETICAL = pattern("hypothetical")
PURPOSE = pattern("purpose")
SITE_NOUNS = pattern("site_nouns")
STRIKE_WORDS = pattern("strike_words")
TARGET_NOUN = pattern("target_noun")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    cue: str  # the word that opens it ("after", "while", …), '' for the first


_CLAUSE_BREAK = re.compile(pattern("clause_break"), re.I)


def clauses(text: str) -> list[Clause]:
    out = []
    start, cue = 0, ""
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > start:
            out.append(Clause(start, m.start(), cue))
        start = m.end()
        cue = text[m.end() : m.end() + 24].split(",")[0].lower()
    out.append(Clause(start, len(text), cue))
    return out


@dataclass
class Mention:
    """One report of an incident in one clause of one sentence."""

    sentence: Sentence
    kind: str
    place: Place
    when: When | None
    weapons: tuple[str, ...]
    clause: Clause
    cue: str | None = None  # background wording in its clause
    cause: str | None = None  # wording that points back ("after", "in response to")
    responds: bool = False  # a strike that answers an attack
    context_date: bool = False  # dated from the sentence before
    inherited: bool = False  # dated by its sentence's main event, not in its own clause
    again: bool = False  # "for the second time": another incident at the same place and day
    referred: bool = False  # the place is "the base" of a sentence before
    raid: bool = False  # a strike told as a raid on the ground ("a helicopter raid")


_ATTACK = re.compile(rf"\b(?:{ATTACK_WORDS})", re.I)


_TARGET_NOUN = re.compile(TARGET_NOUN, re.I)


_STRIKE = re.compile(rf"\b(?:{STRIKE_WORDS})", re.I)


_SITE = re.compile(SITE_NOUNS, re.I)
_US_CASUALTIES = re.compile(pattern("us_casualties"))
_COALITION_HIT = re.compile(pattern("coalition_targeted"), re.I)
_SINCE = re.compile(pattern("since_clause"), re.I)


_WEAPONS = [(w, re.compile(rf"(?<![\w-])(?:{p})(?![\w])", re.I)) for w, p in WEAPON_WORDS.items()]


_BACKGROUND = re.compile(BACKGROUND_CUES, re.I)


_TARGET_AFTER = re.compile(pattern("target_after"), re.I)


_ANSWERED = re.compile(pattern("answered"), re.I)


_WATCHING = re.compile(pattern("watching"), re.I)


_CAUSE = re.compile(CAUSE_CUES, re.I)


_RESPONSE = re.compile(pattern("response"), re.I)


def weapons_in(text: str) -> list[tuple[int, str]]:
    """The weapons the text names, by position; not the aircraft that only watch
    ("reconnaissance drones")."""
    found = []
    for weapon, rx in _WEAPONS:
        for m in rx.finditer(text):
            if not _WATCHING.search(text[max(0, m.start() - 20) : m.start()]):
                found.append((m.start(), weapon))
    return sorted(found)


_DEFINITE = re.compile(pattern("definite"), re.I)


_INDEFINITE = re.compile(pattern("indefinite"), re.I)


_HYPOTHETICAL = re.compile(HYPOTHETICAL, re.I)


_BARE_PLURAL = re.compile(BARE_PLURAL, re.I)


_COUNTED = re.compile(pattern("counted"), re.I)


_PURPOSE = re.compile(PURPOSE, re.I)


_RELATIVE = re.compile(pattern("relative"))


_AGAIN = re.compile(pattern("again"), re.I)


def mentions_in(
    sentence: Sentence,
    gazetteer: Gazetteer,
    published: dt.date | None,
    before: list[Mention],
    owned: bool = False,
    dated: list[When] | None = None,
) -> list[Mention]:
    text = sentence.text
    if not _ATTACK.search(text) and not _STRIKE.search(text):
        return []  # no wording of an attack or a strike: nothing below would find one
    words = tokens(text)
    named = gazetteer.bases_in(text, words)
    places = [
        p
        for p in gazetteer.places_in(text, words)
        if not any(b.start <= p.start < b.end for b in named) and not _speaks(text, p)
    ]
    bases = [b for b in named if not _speaks(text, b)]
    if not bases and not places and not _SITE.search(text):
        return []
    if (TALLY.search(text) or _MANY_HURT.search(text)) and not bases:
        return []  # "the 26th attack on US bases in Syria since October 19": a count
    dates = [  # "the second strike since President Trump took office last month": not its day
        d
        for d in (dated if dated is not None else dates_in(text, published))
        if not _SINCE.search(text, max(0, d.start - 60), d.start)
    ]
    parts = clauses(text)
    weapons = weapons_in(text)
    out: list[Mention] = []

    def clause_of(pos: int) -> Clause:
        return next((c for c in parts if c.start <= pos < c.end), parts[-1])

    def date_for(clause: Clause, pos: int) -> When | None:
        inside = [d for d in dates if clause.start <= d.start < clause.end]
        own = [d for d in inside if not d.offset]
        if any(d.same for d in own):
            return next(d for d in own if d.same)
        if own:
            return min(
                own,
                key=lambda d: (
                    d.weak,
                    d.old,
                    d.cue.lower() in RELATIVE_DAYS and d.weak,
                    d.relative,
                    abs(d.start - pos),
                ),
            )
        main = [
            d
            for d in dates
            if not d.offset and not d.weak and not _CAUSE.match(clause_of(d.start).cue)
        ]
        anchor = main[0] if main else None
        offset = [  # "one day after US forces attacked …": the clause "after" opens
            d
            for d in dates
            if d.offset
            and (clause.start <= d.start < clause.end or d.start < clause.start <= d.end + 1)
        ]
        if offset:
            day = anchor.day if anchor is not None else published
            if day is None:
                return When(None, "day", offset[0].cue, offset[0].start, offset[0].end, True)
            return When(
                day - dt.timedelta(days=offset[0].offset),
                "day",
                offset[0].cue,
                offset[0].start,
                offset[0].end,
                relative=True,
            )
        if anchor is not None:
            return anchor
        weak = [d for d in dates if d.weak and d.day is not None]
        return weak[0] if weak else None

    def weapons_for(clause: Clause, kind: str) -> tuple[str, ...]:
        aim = _PURPOSE.search(text, clause.start, clause.end)
        end = aim.start() if aim else clause.end
        inside = [w for pos, w in weapons if clause.start <= pos < end]
        if not inside and kind == "attack":
            inside = [
                w
                for pos, w in weapons
                if not _CAUSE.match(clause_of(pos).cue) or clause_of(pos) == clause
            ]
        if kind == "strike":  # not what it hit: "missile posts", "rocket launch sites"
            inside = [
                w
                for pos, w in weapons
                if clause.start <= pos < end
                and w in inside
                and w in STRIKE_WEAPONS
                and not _TARGET_AFTER.match(text, pos)
                and not _ANSWERED.search(text, clause.start, pos)
            ]
        else:
            inside = [w for w in inside if w != "airstrike"]
        return tuple(dict.fromkeys(inside))

    def cues(clause: Clause, pos: int) -> tuple[str | None, str | None]:
        body = text[clause.start : clause.end]
        cue = _BACKGROUND.search(body)
        cause = clause.cue if _CAUSE.match(clause.cue) else None
        if cause is None:
            m = _CAUSE.search(text[clause.start : pos])
            cause = m.group() if m else None
        # a relative clause ("…, to which the US responded") is part of the clause it hangs
        # from: what that one recalls ("days after the group targeted …"), it recalls too
        at = parts.index(clause)
        while cue is None and cause is None and at and _RELATIVE.match(parts[at].cue):
            at -= 1
            before = text[parts[at].start : parts[at].end]
            cue = _BACKGROUND.search(before)
            m = _CAUSE.match(parts[at].cue) or _CAUSE.search(before)
            cause = m.group() if m else None
        return (cue.group() if cue else None), cause

    def mention(
        kind: str, place: Place, clause: Clause, pos: int, responds: bool = False
    ) -> Mention:
        cue, cause = cues(clause, pos)
        if kind == "attack" and not place.base and cue is None:
            # one attack is at one place: "attacks on bases in Iraq and Syria" sums many up
            named = {  # places, not who acts: "an Iraqi armed group … a base in Syria"
                p.country
                for p in places
                if clause.start <= p.start < clause.end
                and (p.location or _country_is_place(text, p))
            }
            named -= {b.country for b in bases if clause.start <= b.start < clause.end}
            countries = sorted(c for c in named if c is not None and c in gazetteer.countries)
            if len(countries) >= 2 and not one_attack_in_each(text, clause, len(countries)):
                cue = "attacks in " + " and ".join(countries)
        if kind == "attack" and not place.base and cue is None:
            hits = [h for h in attack_hits if clause.start <= h.start() < clause.end]
            if hits and all(
                _BARE_PLURAL.search(text[max(0, h.start() - 30) : h.end()]) for h in hits
            ):
                cue = "attacks in general"
            elif _SEVERAL_SITES.search(text, clause.start, clause.end):
                cue = "attacks at several sites"  # "rocket attacks at two sites in Syria"
        again = bool(_AGAIN.search(text[clause.start : clause.end]))
        when = date_for(clause, pos)
        inherited = when is not None and not clause.start <= when.start < clause.end
        if inherited and cause and cue:
            # "struck … on Thursday … in retaliation for recent rocket attacks": those attacks
            # were not Thursday's, and the sentence does not say when they were
            when, inherited = None, False
        return Mention(
            sentence,
            kind,
            place,
            when,
            weapons_for(clause, kind),
            clause,
            cue,
            cause,
            responds,
            again=again,
            inherited=inherited,
        )

    def by_town(place: Place, clause: Clause) -> Place:
        """'A base … in Kirkuk' is the base by Kirkuk; troops or a convoy there are not."""
        if _BASE_NOUN.search(text, clause.start, clause.end):
            return gazetteer.base_by_town(place)
        return place

    denial = _DENIAL.search(text)  # what the sentence tells after it, it denies
    denied_from = denial.end() if denial else len(text) + 1
    series = _strike_just_told(before, sentence.n)
    strike_hits = [
        m
        for m in _STRIKE.finditer(text)
        if is_us_strike(text, m, parts, bases, owned, series)
        and not _HYPOTHETICAL.search(text[clause_of(m.start()).start : m.start()])
        and m.start() < denied_from
    ]
    nouns = {m.start() + m.group().lower().index("target") for m in _TARGET_NOUN.finditer(text)}
    attack_hits = [
        m
        for m in _ATTACK.finditer(text)
        if m.start() not in nouns
        and not any(s.start() <= m.start() < s.end() and not _exchange(s) for s in strike_hits)
    ]
    attack_hits = [
        h
        for h in attack_hits
        if not _HYPOTHETICAL.search(text[clause_of(h.start()).start : h.start()])
        and h.start() < denied_from
        and not _at_enemy(text, h, clause_of(h.start()))
    ]
    # attacks on the data's bases
    near_strike: list[Place] = []
    for n, base in enumerate(bases):
        clause = clause_of(base.start)
        in_clause = [h for h in attack_hits if clause.start <= h.start() < clause.end]
        strikes_here = [h for h in strike_hits if clause.start <= h.start() < clause.end]
        close = text[max(clause.start, base.start - 30) : base.start].lower()
        locator = _LOCATOR_BEFORE.search(close) or _LOCATOR_AFTER.match(text[base.end :])
        if locator and strikes_here and not in_clause:
            near_strike.append(base)
            continue
        if locator and any(
            0 <= base.start - b.end <= 60 and " and " not in text[b.end : base.start]
            for b in bases[:n]
        ):
            continue  # "Union III, near the embassy": where the base is, not a second target
        if not in_clause and not (attack_hits and not strike_hits):
            continue
        if _DESTINATION.search(text[max(clause.start, base.start - 60) : base.start].lower()):
            continue  # "evacuated the wounded to the Al Tanf base": where they were taken
        if _FLOWN_FROM.search(text[max(clause.start, base.start - 90) : base.start]):
            continue  # "an aircraft flying out of an American base … al-Tanf": whence it came
        if locator and _HELD_BY_OTHERS.search(text[clause.start : base.start]):
            continue  # "a position held by Iraqi Shia paramilitaries next to Balad air base"
        if _HOLDS_BEFORE.search(text[max(clause.start, base.start - 30) : base.start].lower()):
            continue  # "the Green Zone area that house the US embassy": what the area holds
        if _COUNTED.search(text[max(0, base.start - 50) : base.start]):
            continue  # "20 attacks on the Khirab al-Jir base": a count, listed as a tally
        body = text[clause.start : clause.end]
        if (base.base or "").startswith("site:") and (
            others_act(body) or others_act(text[: base.end])
        ):  # "a Turkish drone targeted a vehicle on Mount Sinjar", "the suspected Turkish
            continue  # aerial attack … targeting the forces guarding al-Hol camp": not US forces
        out.append(mention("attack", base, clause, base.start))
    # attacks on sites the reporting does not name, or names as "the base"
    named_clauses = {clause_of(b.start) for b in bases}
    for clause in parts:
        hits = [h for h in attack_hits if clause.start <= h.start() < clause.end]
        if clause in named_clauses and (hits or (attack_hits and not strike_hits)):
            named_in = {b.country for b in bases if clause_of(b.start) == clause}
            others = [p for p in places if p.country not in named_in]
            for place in _unnamed_sites(others, clause, text):
                ahead = text[max(clause.start, place.start - 40) : place.start]
                if _INDEFINITE.search(ahead):
                    out.append(mention("attack", by_town(place, clause), clause, place.start))
            continue
        if clause in named_clauses or not hits:
            continue
        body = text[clause.start : clause.end]
        struck_here = any(
            clause.start <= h.start() < clause.end and not _exchange(h) for h in strike_hits
        )
        if not (
            _SITE.search(body) or _US_CASUALTIES.search(body) or _COALITION_HIT.search(body)
        ) or (struck_here and not attack_on_us(body)):
            continue
        if others_act(body):
            continue  # "a Turkish army drone targeted their vehicle": not US forces attacked
        definite = _DEFINITE.search(body)
        if definite and not _INDEFINITE.search(body):
            referred = _referred_base(bases, before, sentence, definite.start() + clause.start)
            if referred is not None:
                told = mention("attack", referred, clause, definite.start() + clause.start)
                told.referred = True
                out.append(told)
                continue
            at = definite.end() + clause.start
            if not any(at <= p.start < at + 15 and p.location for p in places):
                continue  # "the base" told before; but "the American base in Makhmur" is there
        if not _US_PRESENT.search(text):
            continue
        first_hit = hits[0].start()
        passive = bool(PASSIVE.search(text[clause.start : first_hit])) or bool(
            _UNDERGONE.match(hits[0].group())
        )
        after_hit = [  # what was hit: not a dateline's town before the verb ("Baghdad: …")
            p
            for p in places
            if p.start > first_hit
            or passive
            or re.fullmatch(r"[\s,]*(?:\w+\s+)?in\s+", text[clause.start : p.start])
        ]
        after_hit = [  # not where the rockets came from ("launched from the town of Zummar")
            p
            for p in after_hit
            if not _ORIGIN.search(text[max(clause.start, p.start - 90) : p.start])
        ]
        sites = _unnamed_sites(after_hit, clause, text)
        for place in sites:
            out.append(mention("attack", by_town(place, clause), clause, place.start))
    # strikes by US forces
    seen: set[Clause] = set()
    for hit in strike_hits:
        clause = clause_of(hit.start())
        if clause in seen:
            continue
        seen.add(clause)
        where = [
            p
            for p in places
            if clause.start <= p.start < clause.end and (p.location or _country_is_place(text, p))
        ]
        where += [
            Place(
                base=b.base,
                country=b.country,
                start=b.start,
                end=b.end,
                location="near " + gazetteer.name_of(b.base or ""),
            )
            for b in near_strike
            if clause.start <= b.start < clause.end
        ]
        where += [  # "a US airstrike at Baghdad's international airport"
            Place(
                base=b.base,
                country=b.country,
                start=b.start,
                end=b.end,
                location=gazetteer.name_of(b.base or ""),
            )
            for b in bases
            if clause.start <= b.start < clause.end and us_strike_at_site(text, hit, b)
        ]
        if not where:  # the sentence's country: "In Syria, … the day after US strikes"
            where = [
                p
                for p in places
                if not p.location
                and _country_is_place(text, p)
                and not _CAUSE.match(clause_of(p.start).cue)
            ][:1]
        responds = bool(_RESPONSE.search(text[clause.start : clause.end])) and not _CAUSE.match(
            clause.cue
        )
        for place in _strike_places(where, text):
            told = mention("strike", place, clause, hit.start(), responds)
            told.raid = hit.group().lower().startswith("raid")
            out.append(told)
    return out


def _strike_just_told(before: list[Mention], n: int) -> bool:
    """A US strike told in one of the two sentences before sentence ``n`` (``before`` is in
    the article's order: only its last mentions are looked at)."""
    for b in reversed(before):
        if n - b.sentence.n > 2:
            return False
        if b.kind == "strike":
            return True
    return False


def _exchange(hit: re.Match[str]) -> bool:
    """An exchange of fire: US forces' strike and an attack on them as well."""
    return hit.group().lower().startswith("exchang")


def _speaks(text: str, base: Place) -> bool:
    """The base names who speaks, not what was attacked: "the U.S. embassy statement said",
    "commander of Nineveh Operations Command"."""
    return bool(
        _SPEAKER_AFTER.match(text[base.end : base.end + 40])
        or _SPEAKER_BEFORE.search(text[max(0, base.start - 40) : base.start])
    )


def _at_enemy(text: str, hit: re.Match[str], clause: Clause) -> bool:
    """The attack wording aims at US forces' enemy, not at them ("a joint operation targeting
    remnants of the ISIS terrorist group"): the enemy just after the verb, or after a word
    of aim later in its clause, and no US or coalition target after it."""
    if _ENEMY_OBJECT.match(text, hit.end()):
        return True
    rest = text[hit.end() : clause.end]
    aimed = _AIMED_AT_ENEMY.search(rest)
    return aimed is not None and not attack_on_us(rest[: aimed.start()])


def _referred_base(
    bases: list[Place], before: list[Mention], sentence: Sentence, pos: int
) -> Place | None:
    """The base 'the base' refers to: named before it in the sentence, or in the two
    sentences before."""
    earlier = [b for b in bases if b.start < pos]
    if earlier:
        return earlier[-1]
    for m in reversed(before):
        if sentence.n - m.sentence.n > 2:
            break
        if m.kind == "attack" and m.place.base:
            return Place(base=m.place.base, country=m.place.country, start=pos, end=pos)
    return None


TALLY = re.compile(pattern("tally"), re.I)
_MANY_HURT = re.compile(pattern("many_hurt"), re.I)
_LOCATOR_BEFORE = re.compile(pattern("locator_before"))  # on lower-cased text
_LOCATOR_AFTER = re.compile(pattern("locator_after"))
_US_PRESENT = re.compile(pattern("us_present"))
_ORIGIN = re.compile(pattern("launched_from"), re.I)
_HELD_BY_OTHERS = re.compile(pattern("held_by_others"))
_FLOWN_FROM = re.compile(pattern("flown_from"), re.I)
_BASE_NOUN = re.compile(pattern("base_nouns"), re.I)
_DENIAL = re.compile(pattern("denial"), re.I)
_DESTINATION = re.compile(pattern("destination"))  # on lower-cased text
_SPEAKER_AFTER = re.compile(pattern("speaker_after"))
_HOLDS_BEFORE = re.compile(pattern("holds_before"))  # on lower-cased text
_SPEAKER_BEFORE = re.compile(pattern("speaker_before"), re.I)
_UNDERGONE = re.compile(pattern("undergone"), re.I)
_SEVERAL_SITES = re.compile(pattern("several_sites"), re.I)
_ENEMY_OBJECT = re.compile(pattern("enemy_object"))
_AIMED_AT_ENEMY = re.compile(pattern("aimed_at") + pattern("enemy_object"))
