"""Checks across records: what one record's schema cannot say on its own.

``check_incidents`` takes every incident read (with the file it came from) and adds to the
problems and hints: ids unique and previous ids free, references that resolve, responses
after what they respond to and never in a circle, bases and actors that exist, a date that
is the place's local date, sources dated sensibly; and as hints, possible duplicates (the
same event recorded twice) that ``distinct_from`` silences, a claim that ``claimed_by`` does
not record, and a date that could not be checked for want of the place's clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from generator.dates import local_moment, long_date, month_end, month_start, unknown_clocks
from generator.errors import Problem
from generator.gazetteer import distance_km, location_parts
from generator.load import MAX_INCIDENT_BYTES, Document, Loc, Mark, format_loc, read_yaml
from generator.model import Actor, Base, DatasetInfo, Incident
from generator.text import NameIndex, country_parts, did_you_mean, name_key
from generator.wording import and_list


class Where:
    """The file an incident came from, and where its id is written. Its other line marks are
    read again only if a check across records finds a problem in it: valid data never needs
    them, and a problem with the id (a duplicate, a possible duplicate) needs only the id's."""

    def __init__(self, file: Path, path: str, id_mark: Mark | None = None) -> None:
        self.file = file
        self.path = path
        self.id_mark = id_mark

    @cached_property
    def doc(self) -> Document:
        return read_yaml(self.file, self.path, max_bytes=MAX_INCIDENT_BYTES)

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        if loc == ("id",) and not key and self.id_mark is not None:
            mark = self.id_mark
            return Problem(self.path, mark.line, mark.col, format_loc(loc), message, loc)
        return self.doc.problem(loc, message, key=key)


@dataclass
class _Context:
    """What checking one incident needs to know about the others."""

    bases: dict[str, Base]
    base_names: NameIndex
    actors: dict[str, Actor]
    actor_names: NameIndex
    ids: set[str]
    moved: dict[str, str]  # a previous id -> the id the record has now
    info: DatasetInfo
    as_of: dt.date
    countries: dict[str, str] = field(default_factory=dict)  # name_key -> as written

    def __post_init__(self) -> None:
        self.countries = {name_key(c): c for c in self.info.countries}

    def out_of_scope(self, country: str) -> str | None:
        """A message when ``country`` is not one the dataset covers. A border strike may
        name two ('Iraq and Syria'): each must be covered."""
        if all(name_key(p) in self.countries for p in country_parts(country)):
            return None
        return (
            f"'{country}' is not one of the countries this dataset covers "
            f"({', '.join(self.info.countries)}); check the spelling, or add it to countries "
            "in dataset.yaml"
        )


def check_incidents(
    incidents: list[tuple[Incident, Where]],
    bases: list[Base],
    actors: list[Actor],
    info: DatasetInfo,
    as_of: dt.date,
    problems: list[Problem],
    hints: list[Problem],
) -> None:
    first_file: dict[str, str] = {}
    for incident, doc in incidents:
        if incident.id in first_file:
            problems.append(
                doc.problem(
                    ("id",),
                    f"the id '{incident.id}' is already used by "
                    f"{first_file[incident.id]}; ids must be unique",
                )
            )
        first_file.setdefault(incident.id, doc.path)
    moved: dict[str, str] = {}
    for incident, doc in incidents:
        for n, old in enumerate(incident.previous_ids):
            if old in first_file:
                message = (
                    f"'{old}' is the id of {first_file[old]}; a previous id must not be in use"
                )
                problems.append(doc.problem(("previous_ids", n), message))
            elif old in moved and moved[old] != incident.id:
                message = f"'{old}' is already a previous id of '{moved[old]}'"
                problems.append(doc.problem(("previous_ids", n), message))
            moved.setdefault(old, incident.id)
    context = _Context(
        bases={b.id: b for b in bases},
        base_names=NameIndex((b.id, (b.name, *b.aliases)) for b in bases),
        actors={a.id: a for a in actors},
        actor_names=NameIndex((a.id, (a.name, *a.aliases)) for a in actors),
        ids=set(first_file),
        moved=moved,
        info=info,
        as_of=as_of,
    )
    for incident, doc in incidents:
        problems += _check_one(incident, doc, context)
        hints += _hints(incident, doc, context)
    problems += _check_responses(incidents)
    hints += possible_duplicates(incidents, context.bases, context.base_names)


NEARBY_KM = 5.0  # sites closer than this can be one place in reporting (Conoco, Green Village)
# Hints of a possible duplicate on one record, at most (the first found, in date order):
# enough to send a reviewer to look, and the check stays fast when a day holds hundreds of
# like records (an import of daily strike reports), where every pair would be a million
# hints.
MAX_DUPLICATE_HINTS = 3


def possible_duplicates(
    incidents: list[tuple[Incident, Where]], bases: dict[str, Base], base_names: NameIndex
) -> list[Problem]:
    """Pairs that may be one event recorded twice: the same kind, on the same or the next
    day, at the same site (by its id, or by a name or alias of it given as the location of
    an attack on a site without an id), sites within a few km, or resting on the same sole
    source. A
    hint, on the later record; ``distinct_from`` on either record says they are not (as
    do related and responds_to, or different days by different known means). At most
    MAX_DUPLICATE_HINTS on one record."""
    dated = sorted(
        ((_earliest_possible(i), i, doc) for i, doc in incidents if i.date_precision != "month"),
        key=lambda entry: entry[0],
    )
    out: list[Problem] = []
    hinted: Counter[str] = Counter()  # record id -> hints on it so far
    for n, (_, a, doc_a) in enumerate(dated):
        latest = _latest_possible(a) + dt.timedelta(days=1)
        for m in range(n + 1, len(dated)):
            earliest, b, doc_b = dated[m]
            if earliest > latest:
                break
            if a.kind != b.kind:
                continue
            later, other = (b, a) if (b.date, b.id) >= (a.date, a.id) else (a, b)
            if hinted[later.id] >= MAX_DUPLICATE_HINTS or _told_apart(a, b):
                continue
            why = _same_event(a, b, bases, base_names)
            if why:
                hinted[later.id] += 1
                doc = doc_b if later is b else doc_a
                out.append(
                    doc.problem(
                        ("id",),
                        f"may be the same event as '{other.id}' (both {why}, on "
                        f"{_day_pair(a.date, b.date)}); if it is, merge them into one record "
                        f"(previous_ids: [{other.id}] keeps the other's address); if it is "
                        f"not, add distinct_from: [{other.id}] to this record",
                    )
                )
    return out


def _told_apart(a: Incident, b: Incident) -> bool:
    """Records a contributor has said are two events: one names the other in distinct_from,
    related or responds_to; or on different days, by means both know and do not share
    (drones one day, rockets the next)."""
    linked = (*a.distinct_from, *a.related, *a.responds_to)
    if b.id in linked or a.id in (*b.distinct_from, *b.related, *b.responds_to):
        return True
    known_a, known_b = set(a.weapon) - {"unknown"}, set(b.weapon) - {"unknown"}
    return a.date != b.date and bool(known_a) and bool(known_b) and not known_a & known_b


def _same_event(a: Incident, b: Incident, bases: dict[str, Base], names: NameIndex) -> str:
    """Why two records of one kind, close in time, may be one event ('' if no reason)."""
    kind = "attacks" if a.is_attack else "US strikes"
    sites_a, sites_b = _sites(a, names), _sites(b, names)
    if a.is_attack and sites_a & sites_b:
        site = min(sites_a & sites_b)
        shared = bases[site].name if site in bases else site
        named = [i.location for i in (a, b) if i.base is None and i.location]
        return f"{kind} on {shared}" + (f", one given as '{named[0]}'" if named else "")
    if a.is_attack:
        for x in sites_a:
            for y in sites_b:
                km = _km_between(bases.get(x), bases.get(y))
                if km is not None and km <= NEARBY_KM:
                    return f"{kind} on sites {km:.0f} km apart"
    if a.is_strike and a.location and b.location and name_key(a.location) == name_key(b.location):
        return f"{kind} at {a.location}"
    regions = "region" in (a.location_precision, b.location_precision)  # a province's middle
    placed = None not in (a.lat, a.lon, b.lat, b.lon) and not regions
    if placed and distance_km(a.lat or 0, a.lon or 0, b.lat or 0, b.lon or 0) <= NEARBY_KM:
        return f"{kind} at places a few km apart"
    # One report of several attacks at named sites is several attacks; a site it does not
    # name may be one of them.
    sole_a = a.sources[0].url if len(a.sources) == 1 else None
    sole_b = b.sources[0].url if len(b.sources) == 1 else None
    unnamed = a.base is None or b.base is None
    if sole_a and sole_a == sole_b and unnamed:
        return f"{kind} resting on the same sole source, one at a site it does not name"
    return ""


def _sites(incident: Incident, names: NameIndex) -> set[str]:
    """The bases an attack hit, by id: its base and the sites also hit; for a site given
    without an id, the base its location names ('near Rmelan' is Rumalyn, by an alias)."""
    sites = {s for s in (incident.base, *incident.also_hit) if s}
    if incident.base is None and incident.location:
        found = (names.find(part) for part, _ in location_parts(incident.location))
        sites.update(base for base in found if base)
    return sites


def _km_between(a: Base | None, b: Base | None) -> float | None:
    if a is None or b is None or None in (a.lat, a.lon, b.lat, b.lon):
        return None
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _day_pair(a: dt.date, b: dt.date) -> str:
    first, second = sorted((a, b))
    return long_date(first) if first == second else f"{long_date(first)} and {long_date(second)}"


def _check_responses(incidents: list[tuple[Incident, Where]]) -> list[Problem]:
    """An incident can only respond to one that happened before it, and never in a circle."""
    out: list[Problem] = []
    by_id = {i.id: (i, doc) for i, doc in incidents}
    for incident, doc in incidents:
        for n, ref in enumerate(incident.responds_to):
            target = by_id.get(ref, (None, None))[0]
            if target is not None and _earliest_possible(target) > _latest_possible(incident):
                out.append(
                    doc.problem(
                        ("responds_to", n),
                        f"'{ref}' is dated {target.date}, "
                        f"after this incident ({incident.date}); an incident can "
                        "only respond to an earlier one",
                    )
                )
    # Depth first, without recursion (a chain of thousands of responses is data, not an
    # error): the stack holds the path from where the walk started, each node with the
    # references still to follow.
    done: set[str] = set()
    for root in sorted(by_id):
        if root in done:
            continue
        stack = [(root, iter(enumerate(by_id[root][0].responds_to)))]
        at = {root: 0}  # node on the path -> its place in it
        while stack:
            node, refs = stack[-1]
            step = next(refs, None)
            if step is None:
                stack.pop()
                del at[node]
                done.add(node)
                continue
            n, ref = step
            if ref not in by_id or ref == node or ref in done:  # unknown refs reported already
                continue
            if ref in at:
                path = [name for name, _ in stack]
                loop = " → ".join([*path[at[ref] : -1], node, ref])
                out.append(
                    by_id[node][1].problem(
                        ("responds_to", n), f"responses go round in a circle: {loop}"
                    )
                )
                continue
            at[ref] = len(stack)
            stack.append((ref, iter(enumerate(by_id[ref][0].responds_to))))
    return out


def _check_one(incident: Incident, doc: Where, context: _Context) -> list[Problem]:
    out: list[Problem] = []

    def problem(loc: Loc, message: str) -> None:
        out.append(doc.problem(loc, message))

    path = Path(doc.path)
    if incident.id != path.stem:
        problem(("id",), id_not_file_name(incident.id, path))
    if path.parent.name != f"{incident.date.year:04d}":
        folder = (path.parent.parent / str(incident.date.year)).as_posix()
        problem(
            ("date",),
            f"the date is in {incident.date.year} but the file is in the folder "
            f"'{path.parent.name}'; move it to {folder}/",
        )
    if _earliest_possible(incident) > context.as_of:
        problem(
            ("date",),
            f"{incident.date_text} is in the future (today is {context.as_of}); check the year",
        )
    elif _latest_possible(incident) < context.info.earliest:
        problem(
            ("date",),
            f"{incident.date_text} is before {context.info.earliest}, the first "
            "day this dataset covers; check the year (the first day is 'earliest' in "
            "dataset.yaml)",
        )
    if incident.time is not None and incident.date_precision != "day":
        problem(
            ("time",),
            f"a time of day needs an exact day, but the date is known to the "
            f"{incident.date_precision} only; remove time or give the day",
        )

    if incident.is_attack and incident.base is None and incident.country is None:
        problem(
            ("base",),
            "an attack needs 'base': the id of the base attacked (see "
            "bases.yaml); for a site the reporting does not name, give 'country' instead "
            "(and 'location' if known)",
        )
    if incident.is_strike and incident.location is None:
        problem(("location",), "a strike needs 'location': the place struck, e.g. 'Al-Mayadin'")
    for fld, message in _STRIKE_ONLY.items():
        if getattr(incident, fld) is not None and not incident.is_strike:
            problem((fld,), message)
    if incident.base is not None and incident.base not in context.bases:
        problem(("base",), unknown_base(incident.base, context.base_names))
    if incident.country is not None and (outside := context.out_of_scope(incident.country)):
        problem(("country",), outside)

    for fld in ("responds_to", "related", "distinct_from"):
        for n, ref in enumerate(getattr(incident, fld)):
            if ref == incident.id:
                problem((fld, n), "an incident cannot refer to itself")
            elif ref in context.moved:
                problem((fld, n), f"'{ref}' is now '{context.moved[ref]}'; use the new id")
            elif ref not in context.ids:
                problem((fld, n), f"no incident has the id '{ref}'{did_you_mean(ref, context.ids)}")

    for n, actor in enumerate(incident.claimed_by):
        if actor not in context.actors:
            where = "actors.yaml lists none" if not context.actors else "see actors.yaml"
            problem(
                ("claimed_by", n),
                f"no actor has the id '{actor}'{did_you_mean(actor, context.actors)}; "
                f"claimed_by names groups by their actor id ({where})",
            )
    for n, base in enumerate(incident.also_hit):
        if not incident.is_attack:
            problem(("also_hit", n), "only an attack hits sites; remove 'also_hit'")
        elif base == incident.base:
            problem(("also_hit", n), f"'{base}' is the record's own base; list the others")
        elif base not in context.bases:
            problem(("also_hit", n), unknown_base(base, context.base_names))
    if incident.time_zone is not None and incident.time is None:
        problem(
            ("time_zone",),
            "says which clock 'time' is on, but no time is given; give time or remove time_zone",
        )
    elif message := _local_date_problem(incident, context):
        problem(("date",), message)
    if (incident.lat is None) != (incident.lon is None):
        problem(("lat" if incident.lat is None else "lon",), "give both lat and lon, or neither")
    if (
        incident.projectiles is not None
        and incident.intercepted is not None
        and incident.intercepted > incident.projectiles
    ):
        problem(
            ("intercepted",),
            f"{incident.intercepted} intercepted is more than the "
            f"{incident.projectiles} projectiles",
        )
    if incident.attribution is not None and incident.perpetrator is None:
        problem(
            ("attribution",), "says how the perpetrator is known, but 'perpetrator' is not given"
        )

    # A source may be dated a day before the incident: a statement from Washington about a
    # strike after midnight in Syria. Earlier than that, one of the dates is wrong.
    earliest = _earliest_possible(incident) - dt.timedelta(days=SOURCE_LEAD_DAYS)
    for n, source in enumerate(incident.sources):
        if source.published < earliest:
            problem(
                ("sources", n, "published"),
                f"{source.published} is more than a day before "
                f"the incident ({incident.date_text}); check both dates, or set "
                "date_precision if the day is uncertain",
            )
        elif source.published > context.as_of:
            problem(("sources", n, "published"), f"{source.published} is in the future")
    return out


SOURCE_LEAD_DAYS = 1  # how much earlier than the incident a source may be dated (time zones)


def _local_date_problem(incident: Incident, context: _Context) -> str:
    """A time given on another clock (time_zone) that falls on another day in the place:
    '16:00 America/New_York on 2 Feb 2024 is 00:00 on 3 Feb in Syria'."""
    if incident.time is None or incident.time_zone is None or incident.date_precision != "day":
        return ""
    country = _country(incident, context)
    local = local_moment(incident.date, incident.time, incident.time_zone, country)
    if local is None:
        return ""  # a hint says the date could not be checked (_clock_hint)
    if local.date() == incident.date:
        return ""
    return (
        f"{incident.time} {incident.time_zone} on {long_date(incident.date)} is "
        f"{local:%H:%M} on {long_date(local.date())} in {country}; a record's date is the "
        f"local date of the place: write date: {local.date().isoformat()} and time: "
        f'"{local:%H:%M}" (the local time) without time_zone, and say in notes what the '
        "source's clock said"
    )


def _country(incident: Incident, context: _Context) -> str | None:
    """The country the record gives, or its base's."""
    if incident.country:
        return incident.country
    base = context.bases.get(incident.base or "")
    return base.country if base else None


def _clock_hint(incident: Incident, context: _Context) -> str:
    """A time on another clock in a place whose own clock is not known here: its date
    could not be checked (_local_date_problem); '' when it could, or needs no check."""
    if incident.time is None or incident.time_zone is None or incident.date_precision != "day":
        return ""
    country = _country(incident, context)
    if country is None:
        return ""
    at = f"{incident.time} on the {incident.time_zone} clock"
    if unknown := unknown_clocks(country):
        whose = and_list(unknown)
        return (
            f"the local clock of {whose} is not known here, so the date could not be checked "
            f"against {at}; make sure date is the local date in {whose}, and add the "
            f"country's time zone to generator/gazetteer/clocks.yaml"
        )
    if local_moment(incident.date, incident.time, incident.time_zone, country) is None:
        return (
            f"{country} keep different clocks, so the date could not be checked against "
            f"{at}; make sure date is the local date where it happened"
        )
    return ""


_STRIKE_ONLY = {
    "strikes": "only a strike record can stand for several strikes; write one record per "
    "attack, or remove 'strikes'",
    "target": "only a strike record has a target; for an attack the target is the base (say "
    "what was hit in damage), or remove 'target'",
    "targets": "only a strike record counts targets struck; for an attack, say what was hit "
    "in damage, or remove 'targets'",
}


def _hints(incident: Incident, doc: Where, context: _Context) -> list[Problem]:
    """What is allowed but worth a look: a perpetrator given as text where an actor fits,
    and a perpetrator known by a claim that claimed_by does not record."""
    out = [doc.problem(("attribution",), m) for m in _claim_hints(incident, context)]
    if message := _perpetrator_hint(incident, context):
        out.insert(0, doc.problem(("perpetrator",), message))
    if message := _clock_hint(incident, context):
        out.append(doc.problem(("time_zone",), message))
    return out


def _claim_hints(incident: Incident, context: _Context) -> list[str]:
    """attribution: claimed says the perpetrator claimed it: claimed_by should say so too
    (the actor pages, filters and downloads read the claim from there). Without actors
    there is nothing claimed_by could name."""
    perpetrator = incident.perpetrator
    if incident.attribution != "claimed" or perpetrator is None or not context.actors:
        return []
    if not incident.claimed_by:
        who = perpetrator if perpetrator in context.actors else "<actor id>"
        return [
            "says the perpetrator claimed it, but claimed_by does not say who claimed it; "
            f"add claimed_by: [{who}] (the actor ids of the groups whose claim a source of "
            "the record reports), or change attribution to attributed or suspected if no "
            "claim is reported"
        ]
    if perpetrator not in context.actors:
        return []  # a name as written; the perpetrator hint points to the actor
    if any(perpetrator in _umbrellas(c, context.actors) for c in incident.claimed_by):
        return []
    return [
        f"says '{perpetrator}' claimed it, but claimed_by names "
        f"{', '.join(incident.claimed_by)} only; if '{perpetrator}' claimed it, add it to "
        f"claimed_by; if the claim was another group's and officials hold '{perpetrator}' "
        "responsible, write attribution: attributed (or suspected)"
    ]


def _umbrellas(actor_id: str, actors: dict[str, Actor]) -> set[str]:
    """The actor and every group above it (parent, its parent…): a claim by a member
    group is a claim of its umbrella."""
    out: set[str] = set()
    while actor_id not in out:
        out.add(actor_id)
        parent = actors[actor_id].parent if actor_id in actors else None
        if parent is None:
            break
        actor_id = parent
    return out


def _perpetrator_hint(incident: Incident, context: _Context) -> str:
    """A perpetrator written as a name where an actor id fits ('' if none)."""
    name = incident.perpetrator
    if name is None or name in context.actors or not context.actors:
        return ""
    named = context.actor_names.find(name)
    if named:
        message = (
            f"'{name}' is a name of the actor '{named}'; write perpetrator: {named} to "
            "link the record to it"
        )
    else:
        close = context.actor_names.suggest(name, cutoff=0.5)
        if close is None:
            return ""
        message = (
            f"'{name}' is not an actor id; if it is '{close}' "
            f"({context.actors[close].name}), write perpetrator: {close}. Actors are "
            "listed in actors.yaml"
        )
    return message


def _latest_possible(incident: Incident) -> dt.date:
    if incident.date_precision == "month":
        return month_end(incident.month)
    if incident.date_precision == "week":
        return incident.date + dt.timedelta(days=7)
    return incident.date


def _earliest_possible(incident: Incident) -> dt.date:
    if incident.date_precision == "month":
        return month_start(incident.month)
    if incident.date_precision == "week":
        return incident.date - dt.timedelta(days=7)
    return incident.date


def unknown_base(value: str, names: NameIndex) -> str:
    """'unknown base …', with the base a name or a misspelling most likely means."""
    message = f"unknown base '{value}'"
    meant = names.find(value) or names.suggest(value)
    if meant:
        return message + f"; did you mean '{meant}'? Bases are listed in data/bases.yaml"
    return message + "; bases are listed in data/bases.yaml"


def id_not_file_name(given: str, path: Path) -> str:
    return (
        f"'{given}' does not match the file name '{path.name}'; rename the file to "
        f"{given}.yaml or change the id"
    )
