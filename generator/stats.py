"""Aggregate the checked dataset: counts of attacks by base and month, and headline figures.

Every number on the site comes from here, so the charts, their data tables and the
headline figures cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from generator.dates import month_label, month_range
from generator.model import Base, Dataset, Incident


@dataclass
class PlaceStrikes:
    """The US strikes at one place in one month."""

    location: str
    country: str
    records: int = 0
    strikes: int = 0


@dataclass(frozen=True)
class Stats:
    dataset: Dataset

    @cached_property
    def attacks(self) -> tuple[Incident, ...]:
        return tuple(i for i in self.dataset.incidents if i.kind == "attack")

    @cached_property
    def strikes(self) -> tuple[Incident, ...]:
        return tuple(i for i in self.dataset.incidents if i.kind == "strike")

    @cached_property
    def months(self) -> tuple[str, ...]:
        """Every month from the first incident to the last, empty months included."""
        incidents = self.dataset.incidents
        if not incidents:
            return ()
        return month_range(incidents[0].month, incidents[-1].month)

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
    def by_base(self) -> dict[str, tuple[Incident, ...]]:
        """Base id -> incidents naming it: attacks on it and strikes near it."""
        out: dict[str, list[Incident]] = {b.id: [] for b in self.dataset.bases}
        for incident in self.dataset.incidents:
            if incident.base is not None:
                out[incident.base].append(incident)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def attack_counts(self) -> Counter[tuple[str, str]]:
        """(base id, month) -> number of attacks."""
        return Counter((i.base or "", i.month) for i in self.attacks)

    @cached_property
    def attack_status_counts(self) -> Counter[tuple[str, str, str]]:
        """(base id, month, status) -> number of attacks."""
        return Counter((i.base or "", i.month, i.status) for i in self.attacks)

    @cached_property
    def status_per_month(self) -> Counter[tuple[str, str]]:
        """(month, status) -> number of attacks."""
        return Counter((i.month, i.status) for i in self.attacks)

    @cached_property
    def strikes_near_base(self) -> Counter[str]:
        return Counter(i.base for i in self.strikes if i.base)

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
    def tags(self) -> Counter[str]:
        return Counter(t for i in self.dataset.incidents for t in i.tags)

    @cached_property
    def attacks_per_base(self) -> Counter[str]:
        return Counter(i.base or "" for i in self.attacks)

    @cached_property
    def attacks_per_month(self) -> Counter[str]:
        return Counter(i.month for i in self.attacks)

    @cached_property
    def strikes_per_month(self) -> Counter[str]:
        """Month -> US strikes: a record with ``strikes: 4`` counts four."""
        out: Counter[str] = Counter()
        for i in self.strikes:
            out[i.month] += i.strike_count
        return out

    @cached_property
    def strike_total(self) -> int:
        return sum(i.strike_count for i in self.strikes)

    @staticmethod
    def strike_count(incidents: Iterable[Incident]) -> int:
        """US strikes among these incidents (records standing for several count that many)."""
        return sum(i.strike_count for i in incidents)

    def strikes_by_place(self, month: str) -> list[PlaceStrikes]:
        """US strikes in one month by place (location and country), most strikes first."""
        places: dict[tuple[str, str], PlaceStrikes] = {}
        for i in self.by_month.get(month, ()):
            if i.kind != "strike":
                continue
            base = self.dataset.base_by_id.get(i.base or "")
            country = i.country or (base.country if base else "")
            key = (i.location or "", country)
            place = places.setdefault(key, PlaceStrikes(*key))
            place.records += 1
            place.strikes += i.strike_count
        return sorted(places.values(), key=lambda p: (-p.strikes, p.location, p.country))

    @cached_property
    def bases_ranked(self) -> tuple[Base, ...]:
        """Bases with at least one attack, most attacked first (ties by name)."""
        attacked = [b for b in self.dataset.bases if self.attacks_per_base[b.id]]
        return tuple(sorted(attacked, key=lambda b: (-self.attacks_per_base[b.id], b.name)))

    def month_base_counts(self, month: str) -> list[tuple[Base, int]]:
        """Attacks in one month by base, most first."""
        rows = [(b, self.attack_counts[(b.id, month)]) for b in self.dataset.bases]
        return sorted(((b, n) for b, n in rows if n), key=lambda r: (-r[1], r[0].name))

    @property
    def period(self) -> str:
        if not self.months:
            return "no incidents yet"
        first, last = month_label(self.months[0]), month_label(self.months[-1])
        return first if first == last else f"{first} – {last}"
