"""What a change does to the data, said in the data's own terms: records added, removed and
changed field by field, bases, actors and the dataset's settings likewise, and the counts
before and after (from ``Stats``, the same rules as the site).

Every field of every entry is compared (the models' dumps, not a list of fields), so a
field added to the model later is compared too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from pydantic import BaseModel

from generator.changes import FieldChange, field_changes
from generator.model import Dataset, Incident, sort_key
from generator.stats import Stats
from generator.wording import incident_title


@dataclass(frozen=True)
class Entry:
    """One added, removed or changed record, base, actor or setting."""

    id: str
    title: str
    date: str = ""
    path: str = ""
    old_ids: tuple[str, ...] = ()  # a record's former ids that were not records here
    old_path: str = ""  # set when the file moved
    changes: tuple[FieldChange, ...] = ()
    renamed_by_content: bool = False  # an id changed with nothing else, without previous_ids
    address_to: str = ""  # a removed record whose address now leads to this record
    address_title: str = ""


@dataclass(frozen=True)
class CountChange:
    label: str  # "Green Village, 2022-08"
    old: int
    new: int

    @property
    def delta(self) -> str:
        return f"{self.new - self.old:+d}"


@dataclass(frozen=True)
class DataChanges:
    """The records, named lists and settings of one data folder, compared."""

    added: tuple[Entry, ...] = ()
    removed: tuple[Entry, ...] = ()
    changed: tuple[Entry, ...] = ()
    bases: tuple[tuple[str, tuple[Entry, ...]], ...] = ()  # (added|removed|changed, entries)
    actors: tuple[tuple[str, tuple[Entry, ...]], ...] = ()
    settings: tuple[FieldChange, ...] = ()  # dataset.yaml
    attacks: tuple[CountChange, ...] = ()  # by base and month, only cells that changed
    strikes: tuple[CountChange, ...] = ()  # by month, only months that changed
    totals: tuple[CountChange, ...] = ()

    @property
    def empty(self) -> bool:
        lists = (*self.bases, *self.actors)
        return not (self.added or self.removed or self.changed or self.settings) and not any(
            entries for _, entries in lists
        )

    @property
    def headline(self) -> str:
        """'Incidents: 1 added, 1 changed. Bases: 1 changed. Dataset settings: 1 changed.'"""
        parts = []
        groups = (("added", self.added), ("removed", self.removed), ("changed", self.changed))
        for what, pairs in (("Incidents", groups), ("Bases", self.bases), ("Actors", self.actors)):
            counts = [f"{len(entries)} {verb}" for verb, entries in pairs if entries]
            if counts:
                parts.append(f"{what}: {', '.join(counts)}.")
        if self.settings:
            n = len(self.settings)
            parts.append(f"Dataset settings: {n} field{'s' if n != 1 else ''} changed.")
        return " ".join(parts)


def compare(a: Dataset, b: Dataset) -> DataChanges:
    """Records matched by id. A file that moved keeps its id and is reported as moved; one
    whose id changed and whose content did not is renamed. A record that names in
    ``previous_ids`` an id that was a record removed in the same change takes over that
    record's address: the removed record is shown as removed, with the record its address
    now leads to and both records' fields side by side, whatever the reason (a corrected id,
    a merge of duplicates, or an address taken over by an unrelated record)."""
    gone = {i: a.incident_by_id[i] for i in sorted(set(a.incident_by_id) - set(b.incident_by_id))}
    came = {i: b.incident_by_id[i] for i in sorted(set(b.incident_by_id) - set(a.incident_by_id))}
    removed: list[Entry] = []
    for new_id, incident in sorted(b.incident_by_id.items()):
        for old_id in incident.previous_ids:
            if old_id in gone:
                old = gone.pop(old_id)
                entry = _entry(a, old, changes=tuple(_record_changes(old, incident)))
                removed.append(
                    replace(entry, address_to=new_id, address_title=incident_title(incident, b))
                )
    changed: list[Entry] = []
    for old_id, new_id in _same_content(gone, came):
        entry = _changed(a, b, gone[old_id], came[new_id], (old_id,))
        changed.append(replace(entry, renamed_by_content=True))
        del gone[old_id], came[new_id]
    for i in sorted(set(a.incident_by_id) & set(b.incident_by_id)):
        entry = _changed(a, b, a.incident_by_id[i], b.incident_by_id[i])
        if entry.changes or entry.old_path:
            changed.append(entry)
    removed += [_entry(a, i) for i in gone.values()]
    return DataChanges(
        added=tuple(_entry(b, i) for i in sorted(came.values(), key=sort_key)),
        removed=tuple(sorted(removed, key=lambda e: (e.date, e.id))),
        changed=tuple(sorted(changed, key=lambda e: (e.date, e.id))),
        bases=_named(a.base_by_id, b.base_by_id),
        actors=_named(a.actor_by_id, b.actor_by_id),
        settings=tuple(field_changes(a.info, b.info)),
        **_counts(Stats(a), Stats(b)),
    )


def _named(
    old: Mapping[str, BaseModel], new: Mapping[str, BaseModel]
) -> tuple[tuple[str, tuple[Entry, ...]], ...]:
    """Entries of a named list (bases, actors) added, removed and changed, by id."""

    def entry(item: BaseModel, changes: Iterable[FieldChange] = ()) -> Entry:
        return Entry(
            id=str(getattr(item, "id", "")),
            title=str(getattr(item, "name", "")),
            changes=tuple(changes),
        )

    return (
        ("added", tuple(entry(new[i]) for i in sorted(set(new) - set(old)))),
        ("removed", tuple(entry(old[i]) for i in sorted(set(old) - set(new)))),
        (
            "changed",
            tuple(
                entry(new[i], field_changes(old[i], new[i]))
                for i in sorted(set(old) & set(new))
                if old[i] != new[i]
            ),
        ),
    )


def _same_content(gone: dict[str, Incident], came: dict[str, Incident]) -> list[tuple[str, str]]:
    """Pairs (old id, new id) of records identical apart from the id."""
    by_content: dict[str, list[str]] = {}
    for i, incident in came.items():
        by_content.setdefault(_content(incident), []).append(i)
    pairs = []
    for i, incident in gone.items():
        matches = by_content.get(_content(incident))
        if matches:
            pairs.append((i, matches.pop(0)))
    return pairs


def _content(incident: Incident) -> str:
    return incident.model_copy(update={"id": "", "previous_ids": []}).model_dump_json()


def _entry(
    dataset: Dataset,
    incident: Incident,
    *,
    old_ids: tuple[str, ...] = (),
    old_path: str = "",
    changes: tuple[FieldChange, ...] = (),
) -> Entry:
    return Entry(
        id=incident.id,
        title=incident_title(incident, dataset),
        date=incident.date.isoformat(),
        path=dataset.files.get(incident.id, ""),
        old_ids=old_ids,
        old_path=old_path,
        changes=changes,
    )


def _changed(
    a: Dataset, b: Dataset, old: Incident, new: Incident, old_ids: tuple[str, ...] = ()
) -> Entry:
    old_path, new_path = a.files.get(old.id, ""), b.files.get(new.id, "")
    changes = _record_changes(old, new) if old_ids else field_changes(old, new)
    return _entry(
        b,
        new,
        old_ids=old_ids,
        old_path=old_path if old_path != new_path else "",
        changes=tuple(changes),
    )


def _record_changes(old: Incident, new: Incident) -> list[FieldChange]:
    """Two records' fields side by side, but their ids (shown apart)."""
    return [c for c in field_changes(old, new) if c.field not in ("id", "previous_ids")]


def _counts(a: Stats, b: Stats) -> dict[str, tuple[CountChange, ...]]:
    names = {**{x.id: x.name for x in a.sites}, **{x.id: x.name for x in b.sites}}
    cells = set(a.attack_counts) | set(b.attack_counts)
    attacks = [
        CountChange(f"{names.get(base, base)}, {month}", a.attack_counts[k], b.attack_counts[k])
        for k in sorted(cells, key=lambda k: (names.get(k[0], k[0]), k[1]))
        for base, month in [k]
        if a.attack_counts[k] != b.attack_counts[k]
    ]
    months = sorted(set(a.strikes_per_month) | set(b.strikes_per_month))
    strikes = [
        CountChange(m, a.strikes_per_month[m], b.strikes_per_month[m])
        for m in months
        if a.strikes_per_month[m] != b.strikes_per_month[m]
    ]
    totals = [
        CountChange("Incidents", a.total.incidents, b.total.incidents),
        CountChange("Attacks on bases", a.total.attacks, b.total.attacks),
        CountChange("US strikes", a.total.strikes, b.total.strikes),
        CountChange("Sites attacked", a.sites_attacked, b.sites_attacked),
        CountChange("Months with an attack", len(a.attacks_per_month), len(b.attacks_per_month)),
    ]
    return {"attacks": tuple(attacks), "strikes": tuple(strikes), "totals": tuple(totals)}


__all__ = ["CountChange", "DataChanges", "Entry", "FieldChange", "compare"]
