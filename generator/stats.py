"""Aggregate the checked dataset: every number on the site comes from here, so the charts,
their data tables, the headline figures, the downloads and ``make diff`` cannot disagree.

The counting rules, each in one place:

- an **attack** counts once, at its site, in the month of its date (a month-only date in its
  month), under each of its weapons in a breakdown by weapon and once in every total;
- a **US strike** record counts ``counted_strikes`` strikes (``strikes: 85`` is 85 strikes);
  ``KindCounts`` holds the incidents, attacks, strike records and strikes of any group;
- **casualties** are added up side by side, as ranges: "at least 47" stays "at least";
- **recent activity** is counted in days up to the latest incident's date, from records
  dated to the day or the week (a month-only date cannot be placed in a 30-day window);
- an incident's **position** on the map: an attack at its base, a strike at its own
  coordinates, else at the place its ``location`` names in the gazetteer, else beside the
  base it names;
- an **episode** is a chain of incidents joined by ``responds_to``, in either direction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from generator import gazetteer
from generator.dates import month_label, month_range
from generator.fields import NONE, UNNAMED_PREFIX, Tally
from generator.model import SIDES, Actor, Base, Dataset, Incident, OfficialCount
from generator.text import slug


@dataclass(frozen=True)
class AttackSite:
    """Where attacks are counted: a base of bases.yaml, or an unnamed site in a country
    (an attack the reporting places in a country without naming the site)."""

    id: str  # the base id, or 'unnamed-<country>'
    name: str
    country: str
    base: Base | None = None

    @property
    def url(self) -> str:
        return f"bases/{self.id}/"

    @property
    def unnamed(self) -> bool:
        return self.base is None


def unnamed_site(country: str) -> AttackSite:
    return AttackSite(f"{UNNAMED_PREFIX}{slug(country)}", f"Unnamed site in {country}", country)


@dataclass
class PlaceStrikes:
    """The US strikes at one place in one month."""

    location: str
    country: str
    records: int = 0
    strikes: int = 0


def total(values: Iterable[Tally | None]) -> Tally | None:
    """The sum of the numbers given (None: none given), as a range."""
    given = [v for v in values if v is not None]
    if not given:
        return None
    out = given[0]
    for v in given[1:]:
        out = out + v
    return out


@dataclass(frozen=True)
class KindCounts:
    """How many incidents of each kind a group holds, by the counting rules: every number
    and every phrase that counts attacks or strikes comes from one of these."""

    incidents: int
    attacks: int
    strike_records: int
    strikes: int  # US strikes: a record with ``strikes: 85`` counts 85

    @classmethod
    def of(cls, incidents: Iterable[Incident]) -> KindCounts:
        records = attacks = strike_records = strikes = 0
        for i in incidents:
            records += 1
            attacks += i.is_attack
            strike_records += i.is_strike
            strikes += i.counted_strikes
        return cls(records, attacks, strike_records, strikes)


@dataclass(frozen=True)
class CasualtyTotal:
    """The casualties of one side among some incidents: killed and injured added up, and
    how many of the incidents give a number."""

    side: str
    killed: Tally | None
    injured: Tally | None
    incidents: int  # incidents that give a number for this side

    @property
    def label(self) -> str:
        return SIDES[self.side]


@dataclass(frozen=True)
class Window:
    """Attacks and US strikes in the ``days`` up to ``end``, and in as many days before."""

    days: int
    end: dt.date
    attacks: int
    strikes: int
    attacks_before: int
    strikes_before: int

    @property
    def start(self) -> dt.date:
        return self.end - dt.timedelta(days=self.days - 1)


@dataclass(frozen=True)
class TallyRow:
    """An official count beside the dataset's own count of the same thing up to that day."""

    official: OfficialCount
    recorded: int  # attacks recorded (or US casualties, at their lowest) up to as_of
    official_since: int | None  # the official count's rise since the previous count of it
    recorded_since: int | None  # the records' rise over the same days

    @property
    def share(self) -> float | None:
        """How much of the official count the records hold (None: the count is 0)."""
        return self.recorded / self.official.count if self.official.count else None

    @property
    def share_since(self) -> float | None:
        if not self.official_since or self.recorded_since is None:
            return None
        return self.recorded_since / self.official_since


@dataclass(frozen=True)
class Position:
    """Where the map places an incident: its own coordinates, or its base's."""

    lat: float
    lon: float
    at_base: bool  # no coordinates of its own: placed at its base
    precision: str | None  # vocabularies.LOCATION_PRECISIONS, as the record or the base says
    place: str | None = None  # the gazetteer's place its location names, when placed there


@dataclass(frozen=True)
class Episode:
    """Attacks and strikes joined by ``responds_to``: a chain of attack and response."""

    id: str  # 'episode-<first date>', for links: stays put when later episodes are added
    number: int  # 1 is the earliest
    incidents: tuple[Incident, ...]  # by date

    @property
    def first(self) -> dt.date:
        return self.incidents[0].date

    @property
    def last(self) -> dt.date:
        return self.incidents[-1].date

    @property
    def count(self) -> KindCounts:
        return KindCounts.of(self.incidents)


@dataclass(frozen=True)
class Stats:
    dataset: Dataset

    @cached_property
    def attacks(self) -> tuple[Incident, ...]:
        return self.attacks_in(self.dataset.incidents)

    @cached_property
    def strike_records(self) -> tuple[Incident, ...]:
        return self.strike_records_in(self.dataset.incidents)

    @staticmethod
    def attacks_in(incidents: Iterable[Incident]) -> tuple[Incident, ...]:
        return tuple(i for i in incidents if i.is_attack)

    @staticmethod
    def strike_records_in(incidents: Iterable[Incident]) -> tuple[Incident, ...]:
        return tuple(i for i in incidents if i.is_strike)

    @staticmethod
    def count(incidents: Iterable[Incident]) -> KindCounts:
        """Incidents, attacks, strike records and US strikes among these incidents."""
        return KindCounts.of(incidents)

    @cached_property
    def total(self) -> KindCounts:
        return self.count(self.dataset.incidents)

    # --- where: sites ------------------------------------------------------------------------

    @cached_property
    def _base_sites(self) -> dict[str, AttackSite]:
        return {b.id: AttackSite(b.id, b.name, b.country, b) for b in self.dataset.bases}

    def site_of(self, incident: Incident) -> AttackSite | None:
        """The site an attack is counted at (a strike: the base it names, if any)."""
        if incident.base is not None:
            return self._base_sites[incident.base]
        if incident.is_attack and incident.country is not None:
            return unnamed_site(incident.country)
        return None

    @cached_property
    def sites(self) -> tuple[AttackSite, ...]:
        """Every base, then every unnamed site with an attack, each by id."""
        unnamed = {s.id: s for i in self.attacks if (s := self.site_of(i)) and s.unnamed}
        return (*self._base_sites.values(), *(unnamed[k] for k in sorted(unnamed)))

    @cached_property
    def site_by_id(self) -> dict[str, AttackSite]:
        return {s.id: s for s in self.sites}

    @cached_property
    def by_site(self) -> dict[str, tuple[Incident, ...]]:
        """Site id -> incidents at it: attacks on it and strikes near it."""
        out: dict[str, list[Incident]] = {s.id: [] for s in self.sites}
        for incident in self.dataset.incidents:
            if (site := self.site_of(incident)) is not None:
                out[site.id].append(incident)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def attacks_per_site(self) -> Counter[str]:
        return Counter(s.id for i in self.attacks if (s := self.site_of(i)))

    @property
    def sites_listed(self) -> int:
        """Bases and unnamed sites, each with a page."""
        return len(self.sites)

    @property
    def sites_attacked(self) -> int:
        """Named sites (bases) with at least one attack. An unnamed site in a country is no
        place and may stand for several, so attacks on one are counted apart
        (``attacks_on_unnamed_sites``); wording.attacks_on_sites says both."""
        return sum(1 for s in self.sites_ranked if not s.unnamed)

    @property
    def attacks_on_unnamed_sites(self) -> int:
        """Attacks the reporting places in a country without naming the site."""
        return sum(n for k, n in self.attacks_per_site.items() if self.site_by_id[k].unnamed)

    @cached_property
    def sites_ranked(self) -> tuple[AttackSite, ...]:
        """Sites with at least one attack, most attacked first (ties by name)."""
        attacked = [s for s in self.sites if self.attacks_per_site[s.id]]
        return tuple(sorted(attacked, key=lambda s: (-self.attacks_per_site[s.id], s.name)))

    @cached_property
    def strikes_near_site(self) -> Counter[str]:
        """Site id -> US strikes that name its base."""
        out: Counter[str] = Counter()
        for i in self.strike_records:
            if i.base:
                out[i.base] += i.counted_strikes
        return out

    @cached_property
    def also_hit(self) -> dict[str, tuple[Incident, ...]]:
        """Site id -> attacks counted at another site that also hit it (one barrage)."""
        out: dict[str, list[Incident]] = {}
        for i in self.attacks:
            for site in i.also_hit:
                out.setdefault(site, []).append(i)
        return {k: tuple(v) for k, v in out.items()}

    def count_at(self, site_id: str) -> KindCounts:
        """The attacks on a site and the US strikes near it."""
        return self.count(self.by_site.get(site_id, ()))

    def attacks_at(self, site_id: str) -> tuple[Incident, ...]:
        """The attacks on a site, by date."""
        return self.attacks_in(self.by_site.get(site_id, ()))

    # --- when: months ------------------------------------------------------------------------

    @cached_property
    def months(self) -> tuple[str, ...]:
        """Every month from the first incident to the last, empty months included."""
        incidents = self.dataset.incidents
        if not incidents:
            return ()
        return month_range(min(i.month for i in incidents), max(i.month for i in incidents))

    @cached_property
    def active_months(self) -> tuple[str, ...]:
        """Months with at least one incident (each has a page)."""
        return tuple(sorted(self.by_month))

    @cached_property
    def by_month(self) -> dict[str, tuple[Incident, ...]]:
        out: dict[str, list[Incident]] = {}
        for incident in self.dataset.incidents:
            out.setdefault(incident.month, []).append(incident)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def attack_counts(self) -> Counter[tuple[str, str]]:
        """(site id, month) -> number of attacks."""
        return Counter((s.id, i.month) for i in self.attacks if (s := self.site_of(i)))

    @cached_property
    def attack_status_counts(self) -> Counter[tuple[str, str, str]]:
        """(site id, month, status) -> number of attacks."""
        return Counter((s.id, i.month, i.status) for i in self.attacks if (s := self.site_of(i)))

    @cached_property
    def status_per_month(self) -> Counter[tuple[str, str]]:
        """(month, status) -> number of attacks."""
        return Counter((i.month, i.status) for i in self.attacks)

    @cached_property
    def attacks_per_month(self) -> Counter[str]:
        return Counter(i.month for i in self.attacks)

    @cached_property
    def strikes_per_month(self) -> Counter[str]:
        """Month -> US strikes: a record with ``strikes: 4`` counts four."""
        out: Counter[str] = Counter()
        for i in self.strike_records:
            out[i.month] += i.counted_strikes
        return out

    def count_in(self, month: str) -> KindCounts:
        return self.count(self.by_month.get(month, ()))

    def sites_attacked_in(self, month: str) -> int:
        """Named sites attacked in a month (as ``sites_attacked``)."""
        return sum(1 for s, _ in self.month_site_counts(month) if not s.unnamed)

    def month_site_counts(self, month: str) -> list[tuple[AttackSite, int]]:
        """Attacks in one month by site, most first."""
        rows = [(s, self.attack_counts[(s.id, month)]) for s in self.sites]
        return sorted(((s, n) for s, n in rows if n), key=lambda r: (-r[1], r[0].name))

    @cached_property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.by_year))

    @cached_property
    def by_year(self) -> dict[int, tuple[Incident, ...]]:
        out: dict[int, list[Incident]] = {}
        for incident in self.dataset.incidents:
            out.setdefault(incident.date.year, []).append(incident)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def count_by_year(self) -> dict[int, KindCounts]:
        return {y: self.count(v) for y, v in self.by_year.items()}

    @property
    def period(self) -> str:
        if not self.months:
            return "no incidents yet"
        first, last = month_label(self.months[0]), month_label(self.months[-1])
        return first if first == last else f"{first} – {last}"

    # --- strikes -------------------------------------------------------------------------------

    def strikes_by_place(self, month: str) -> list[PlaceStrikes]:
        """US strikes in one month by place (location and country), most strikes first."""
        places: dict[tuple[str, str], PlaceStrikes] = {}
        for i in self.by_month.get(month, ()):
            if not i.is_strike:
                continue
            base = self.dataset.base_by_id.get(i.base or "")
            country = i.country or (base.country if base else "")
            key = (i.location or "", country)
            place = places.setdefault(key, PlaceStrikes(*key))
            place.records += 1
            place.strikes += i.counted_strikes
        return sorted(places.values(), key=lambda p: (-p.strikes, p.location, p.country))

    # --- the latest: how recent, how many lately ------------------------------------------------

    def latest(self, kind: str) -> Incident | None:
        """The latest attack or strike (by date, as the records are ordered)."""
        return next((i for i in reversed(self.dataset.incidents) if i.kind == kind), None)

    @cached_property
    def as_of(self) -> dt.date | None:
        """The date of the latest incident: where the recent windows end."""
        return max((i.date for i in self.dataset.incidents), default=None)

    @cached_property
    def month_only(self) -> int:
        """Records dated only to the month: left out of the day windows."""
        return sum(1 for i in self.dataset.incidents if i.date_precision == "month")

    def window(self, days: int) -> Window | None:
        """Attacks and strikes in the last ``days`` days up to the latest incident, and in the
        ``days`` before those."""
        if self.as_of is None:
            return None
        end = self.as_of
        now = end - dt.timedelta(days=days)
        before = now - dt.timedelta(days=days)
        dated = [i for i in self.dataset.incidents if i.date_precision != "month"]
        recent = self.count(i for i in dated if now < i.date <= end)
        earlier = self.count(i for i in dated if before < i.date <= now)
        return Window(
            days,
            end,
            attacks=recent.attacks,
            strikes=recent.strikes,
            attacks_before=earlier.attacks,
            strikes_before=earlier.strikes,
        )

    # --- where on the map --------------------------------------------------------------------

    def position(self, incident: Incident) -> Position | None:
        """Where the map places an incident: an attack at its base (where it is counted),
        a strike or an attack on an unnamed site at its own coordinates; without those, at
        the place its location names in the gazetteer (its most specific part: 'Mashtal,
        eastern Baghdad' at Mashtal), else at the base it names. None when none is known."""
        base = self.dataset.base_by_id.get(incident.base or "")
        at_base = (
            Position(base.lat, base.lon, True, base.location_precision)
            if base is not None and base.lat is not None and base.lon is not None
            else None
        )
        if incident.is_attack and at_base is not None:
            return at_base
        if incident.lat is not None and incident.lon is not None:
            return Position(incident.lat, incident.lon, False, incident.location_precision)
        if incident.location:
            country = incident.country or (base.country if base is not None else None)
            named = gazetteer.load().resolve(incident.location, country)
            if named is not None:
                return Position(named.lat, named.lon, False, named.precision, named.name)
        return at_base

    @cached_property
    def unplaced(self) -> tuple[Incident, ...]:
        """Incidents the map cannot show: no coordinates, and no base that has them."""
        return tuple(i for i in self.dataset.incidents if self.position(i) is None)

    # --- chains of attack and response -------------------------------------------------------

    @cached_property
    def episodes(self) -> tuple[Episode, ...]:
        """Every chain of two or more incidents joined by ``responds_to``, earliest first."""
        dataset = self.dataset
        linked: dict[str, set[str]] = {}
        for i in dataset.incidents:
            for ref in i.responds_to:
                linked.setdefault(i.id, set()).add(ref)
                linked.setdefault(ref, set()).add(i.id)
        order = {i.id: n for n, i in enumerate(dataset.incidents)}
        seen: set[str] = set()
        chains: list[list[str]] = []
        for i in dataset.incidents:
            if i.id in seen or i.id not in linked:
                continue
            chain, todo = [], [i.id]
            while todo:
                if (node := todo.pop()) not in seen:
                    seen.add(node)
                    chain.append(node)
                    todo.extend(linked[node])
            chains.append(sorted(chain, key=order.__getitem__))
        out: list[Episode] = []
        ids: Counter[str] = Counter()
        for number, chain in enumerate(chains, 1):
            incidents = tuple(dataset.incident_by_id[k] for k in chain)
            base = f"episode-{incidents[0].date.isoformat()}"
            ids[base] += 1
            out.append(
                Episode(base if ids[base] == 1 else f"{base}-{ids[base]}", number, incidents)
            )
        return tuple(out)

    def episode_of(self, incident: Incident) -> Episode | None:
        return self._episode_by_incident.get(incident.id)

    @cached_property
    def _episode_by_incident(self) -> dict[str, Episode]:
        return {i.id: e for e in self.episodes for i in e.incidents}

    # --- weapons and tags ----------------------------------------------------------------------

    @cached_property
    def weapon_counts(self) -> Counter[str]:
        """Weapon -> incidents that used it: an incident counts once under each weapon."""
        return Counter(w for i in self.dataset.incidents for w in i.weapons)

    @cached_property
    def tags(self) -> Counter[str]:
        return Counter(t for i in self.dataset.incidents for t in i.tags)

    # --- casualties ----------------------------------------------------------------------------

    @staticmethod
    def casualties(incidents: Iterable[Incident], side: str) -> CasualtyTotal:
        """One side's killed and injured among these incidents, added up as ranges."""
        given = [
            c.by_side()[side]
            for i in incidents
            if (c := i.casualties) is not None and side in c.by_side()
        ]
        return CasualtyTotal(
            side, total(g.killed for g in given), total(g.injured for g in given), len(given)
        )

    @cached_property
    def us_casualties(self) -> CasualtyTotal:
        return self.casualties(self.dataset.incidents, "us")

    # --- official counts beside ours -----------------------------------------------------------

    def recorded(self, of: str, until: dt.date, since: dt.date | None = None) -> int:
        """What the records count of ``of`` (a TALLIED value) from ``since`` up to ``until``:
        attacks, or US personnel injured or killed at their lowest ('at least 4' is 4)."""
        days = [
            i
            for i in self.dataset.incidents
            if i.date_precision != "month"
            and i.date <= until
            and (since is None or i.date >= since)
        ]
        return self.tallied(of, days)

    def tallied(self, of: str, incidents: Iterable[Incident]) -> int:
        """What these incidents count of ``of``, the way an official count counts it:
        attacks, or US personnel injured or killed at their lowest ('at least 4' is 4)."""
        if of == "attacks":
            return self.count(incidents).attacks
        outcome = {"us-injured": "injured", "us-killed": "killed"}[of]
        found = getattr(self.casualties(incidents, "us"), outcome)
        return found.low if found is not None else 0

    @cached_property
    def tallies(self) -> tuple[TallyRow, ...]:
        """Every official count of dataset.yaml, by what it counts and then by day, each with
        the records' count up to its day and, after the first, the rise of both since the
        one before."""
        rows: list[TallyRow] = []
        ordered = sorted(self.dataset.info.tallies, key=lambda t: (t.of, t.as_of, t.count))
        previous: OfficialCount | None = None
        for t in ordered:
            recorded = self.recorded(t.of, t.as_of, t.since)
            if previous is not None and previous.of == t.of and previous.since == t.since:
                before = self.recorded(t.of, previous.as_of, t.since)
                rows.append(TallyRow(t, recorded, t.count - previous.count, recorded - before))
            else:
                rows.append(TallyRow(t, recorded, None, None))
            previous = t
        return tuple(rows)

    def recorded_by_day(
        self, of: str, since: dt.date, until: dt.date
    ) -> tuple[tuple[dt.date, int], ...]:
        """The records' running count of ``of`` from ``since``, after each day up to
        ``until`` that changes it (``recorded``'s rule, day by day)."""
        days: dict[dt.date, list[Incident]] = {}
        for i in self.dataset.incidents:
            if i.date_precision != "month" and since <= i.date <= until:
                days.setdefault(i.date, []).append(i)
        out, running = [], 0
        for day in sorted(days):
            running += self.tallied(of, days[day])
            out.append((day, running))
        return tuple(out)

    def latest_tally(self, of: str) -> TallyRow | None:
        """The most recent official count of ``of`` beside the records' count, if the
        dataset gives one."""
        found = [r for r in self.tallies if r.official.of == of]
        return max(found, key=lambda r: (r.official.as_of, r.official.count), default=None)

    def us_casualties_at(self, site_id: str) -> CasualtyTotal:
        return self.casualties(self.by_site.get(site_id, ()), "us")

    # --- actors --------------------------------------------------------------------------------

    def actor_family(self, actor: Actor) -> tuple[Actor, ...]:
        """The actor and the groups under it, at any depth (its members' members too)."""
        out, todo = [actor], [actor]
        while todo:
            for member in self.dataset.members.get(todo.pop().id, ()):
                out.append(member)
                todo.append(member)
        return tuple(out)

    def by_actor(self, actor: Actor) -> tuple[Incident, ...]:
        """Incidents whose perpetrator is the actor or a group under it."""
        ids = {a.id for a in self.actor_family(actor)}
        return tuple(i for i in self.dataset.incidents if i.perpetrator in ids)

    def claimed_by(self, actor: Actor) -> tuple[Incident, ...]:
        """Incidents that the actor (or a group under it) claimed, whoever is blamed."""
        ids = {a.id for a in self.actor_family(actor)}
        return tuple(i for i in self.dataset.incidents if ids.intersection(i.claimed_by))

    def attacks_by_attribution(self, actor: Actor) -> dict[str | None, int]:
        """The attacks held against an actor (its member groups' included), by how that is
        known (``attribution``; None: not stated)."""
        return dict(Counter(i.attribution for i in self.attacks_in(self.by_actor(actor))))

    def actor_attacks_per_month(self, actor: Actor) -> Counter[tuple[str, str | None]]:
        """(month, attribution) -> the attacks held against an actor."""
        return Counter((i.month, i.attribution) for i in self.attacks_in(self.by_actor(actor)))


__all__ = [
    "NONE",
    "AttackSite",
    "CasualtyTotal",
    "Episode",
    "KindCounts",
    "PlaceStrikes",
    "Position",
    "Stats",
    "TallyRow",
    "Window",
    "total",
    "unnamed_site",
]
