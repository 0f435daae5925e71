"""How records read on the site: titles, places and dates, the same in every locale."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter

from pydantic import BaseModel

from generator.changes import NOT_SET, FieldChange
from generator.dates import local_moment, long_date, month_label, short_date
from generator.history import Version
from generator.model import SIDES, Dataset, Incident, OfficialCount
from generator.parse import model_in
from generator.stats import KindCounts, Stats, TallyRow, unnamed_site
from generator.vocabularies import (
    ATTRIBUTIONS,
    DATE_PRECISIONS,
    KINDS,
    LOCATION_PRECISIONS,
    STATUSES,
    STRIKE_HEADLINES,
    TALLIED_MANY,
    TALLIED_ONE,
    WEAPONS,
    Vocabulary,
)


def plural(n: int, word: str) -> str:
    """'1 attack', '2,001 attacks'."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def strike_phrase(counts: KindCounts, *, noun: bool = True) -> str:
    """'7 US strikes in 4 records', or '3 US strikes' when each record is one strike ('7 in
    4 records' and '3' without the noun, under a heading that names it)."""
    strikes = plural(counts.strikes, "US strike") if noun else f"{counts.strikes:,}"
    if counts.strikes == counts.strike_records:
        return strikes
    return f"{strikes} in {plural(counts.strike_records, 'record')}"


def attacks_on_sites(stats: Stats, scope: str) -> str:
    """'17 attacks on 6 sites hosting US forces in Iraq and Syria', or, when some attacks
    were on sites the reporting does not name (not sites counted), '143 attacks on sites
    hosting US forces in Iraq, Syria and Jordan (139 on 15 named sites, 4 on sites the
    reporting does not name)'."""
    attacks, named = stats.total.attacks, stats.sites_attacked
    unnamed = stats.attacks_on_unnamed_sites
    if not unnamed:
        return (
            f"{plural(attacks, 'attack')} on {plural(named, 'site')} hosting US forces in {scope}"
        )
    where = "a site" if unnamed == 1 else "sites"
    return (
        f"{plural(attacks, 'attack')} on sites hosting US forces in {scope} "
        f"({attacks - unnamed:,} on {plural(named, 'named site')}, {unnamed:,} on {where} the "
        "reporting does not name)"
    )


def attacks_and_strikes(counts: KindCounts, *, on: str = " on bases hosting US forces") -> str:
    """'3 attacks on bases hosting US forces and 7 US strikes in 4 records'."""
    return f"{plural(counts.attacks, 'attack')}{on} and {strike_phrase(counts)}"


def incident_date(incident: Incident, *, short: bool = True) -> str:
    """The date as precisely as it is known: 'c. 5 Jan 2022' within a week, the month alone."""
    if incident.date_precision == "month":
        return month_label(incident.month, short=short)
    shown = short_date(incident.date) if short else long_date(incident.date)
    return f"c. {shown}" if incident.date_precision == "week" else shown


def data_note(dataset: Dataset, version: Version) -> str:
    """What a chart or a download is drawn from, both dates said: 'The data runs to 7 August
    2024; data version 3a9a9a7 of 6 December 2026' (the latest record's date, then the
    version of the files, which can be much later)."""
    if not dataset.incidents:
        return f"No incidents are recorded yet; {version.label}"
    return f"The data runs to {incident_date(dataset.incidents[-1], short=False)}; {version.label}"


def incident_time(incident: Incident, dataset: Dataset) -> str:
    """'04:30 local time', or on another clock '07:00 on the America/New_York clock
    (14:00 local time)'; '' without a time."""
    if incident.time is None:
        return ""
    if incident.time_zone is None:
        return f"{incident.time} local time"
    local = local_moment(
        incident.date, incident.time, incident.time_zone, incident_country(incident, dataset)
    )
    there = f" ({local:%H:%M} local time)" if local is not None else ""
    return f"{incident.time} on the {incident.time_zone} clock{there}"


def and_list(words: list[str]) -> str:
    """['a'] -> 'a'; ['a', 'b'] -> 'a and b'; ['a', 'b', 'c'] -> 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def weapons_label(incident: Incident) -> str:
    """'Rocket', 'Missile and rocket': every weapon of the record, as the site names them."""
    labels = [WEAPONS[w] for w in incident.weapons]
    return and_list([labels[0], *(label.lower() for label in labels[1:])])


def incident_title(incident: Incident, dataset: Dataset) -> str:
    if incident.title:
        return incident.title
    if incident.is_attack:
        what = "Attack" if incident.weapons == ("unknown",) else f"{weapons_label(incident)} attack"
        if incident.base is not None:
            return f"{what} on {dataset.base_by_id[incident.base].name}"
        where = (
            f"{incident.location}, {incident.country}"
            if incident.location
            else (f"a site in {incident.country}")
        )
        return f"{what} on {where}" if not incident.location else f"{what} at {where}"
    headline = STRIKE_HEADLINES.get(incident.weapons[0], "US strike")
    return f"{headline} — {incident.location}"


def incident_place(incident: Incident, dataset: Dataset) -> str:
    """Where, in a few words: the site for attacks, the location for strikes."""
    if incident.is_attack and incident.base:
        return dataset.base_by_id[incident.base].name
    if incident.is_attack:
        return unnamed_site(incident.country or "").name
    return incident.location or ""


def place_or_title(incident: Incident, dataset: Dataset) -> str:
    """Its place, or its title when no place is recorded: what a short label names."""
    return incident_place(incident, dataset) or incident_title(incident, dataset)


def incident_country(incident: Incident, dataset: Dataset) -> str | None:
    if incident.country:
        return incident.country
    if incident.base:
        return dataset.base_by_id[incident.base].country
    return None


def incident_url(incident_id: str) -> str:
    """The permanent, site-root-relative address of an incident's page."""
    return f"incidents/{incident_id}/"


def page_titles(dataset: Dataset) -> dict[str, str]:
    """Incident id -> the title of its page: its title and date ('Rocket attack on Green
    Village, 24 Aug 2022'), so that tabs, bookmarks and shares tell incidents apart. Two
    alike on the same day add their local time, or else their id."""
    titled = {i.id: f"{incident_title(i, dataset)}, {incident_date(i)}" for i in dataset.incidents}
    clash = Counter(titled.values())
    for i in dataset.incidents:
        if clash[titled[i.id]] > 1:
            titled[i.id] += f", {i.time}" if i.time else f" ({i.id})"
    again = Counter(titled.values())
    return {k: v if again[v] == 1 else f"{v} ({k})" for k, v in titled.items()}


def casualties_brief(incident: Incident) -> str:
    """'US forces: 3 killed, at least 47 injured; Militants: 2 killed', or ''."""
    if incident.casualties is None:
        return ""
    parts = []
    for side, numbers in incident.casualties.by_side().items():
        if given := numbers.given():
            parts.append(f"{SIDES[side]}: {', '.join(f'{v.text} {o}' for o, v in given.items())}")
    return "; ".join(parts)


def casualty_count(incident: Incident) -> int:
    """The casualties a record gives, all sides, at their lowest: for sorting a table. -1
    when it gives no number at all, so that not stated sorts apart from none (0)."""
    sides = incident.casualties.by_side().values() if incident.casualties else ()
    given = [v.low for n in sides for v in n.given().values()]
    return sum(given) if given else -1


# Words a tag spells in capitals.
_ACRONYMS = {
    "us": "US",
    "uk": "UK",
    "un": "UN",
    "isis": "ISIS",
    "pmf": "PMF",
    "uav": "UAV",
    "iraq": "Iraq",
    "syria": "Syria",
    "iran": "Iran",
    "gaza": "Gaza",
}


# Words that make a compound adjective with the word before them: its hyphen is kept
# ('iran-backed-groups' -> 'Iran-backed groups', 'us-led-coalition' -> 'US-led coalition').
_COMPOUNDED = {
    "backed",
    "led",
    "based",
    "linked",
    "aligned",
    "affiliated",
    "supported",
    "made",
    "owned",
    "run",
}


def official_count(count: OfficialCount) -> str:
    """'at least 160 attacks from 17 October 2023 to 11 February 2024'."""
    number = f"{'at least ' if count.at_least else ''}{count.count:,}"
    noun = (TALLIED_ONE if count.count == 1 else TALLIED_MANY)[count.of]
    span = f"from {long_date(count.since)} to" if count.since else "by"
    return f"{number} {noun} {span} {long_date(count.as_of)}"


def share_recorded(row: TallyRow) -> str:
    """'recorded here over the same days: 98 (61 %)'."""
    share = f" ({row.share:.0%})" if row.share is not None else ""
    return f"recorded here over the same days: {row.recorded:,}{share}"


def tag_label(tag: str) -> str:
    """'us-retaliation' -> 'US retaliation'; 'tower-22' -> 'Tower 22'; 'iran-backed-groups'
    -> 'Iran-backed groups'."""
    words: list[str] = []
    for w in tag.split("-"):
        if w in _COMPOUNDED and words:
            words[-1] += f"-{w}"
        else:
            words.append(_ACRONYMS.get(w, w))
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


# --- a record's changes, as readers read them (the corrections log) ------------------------

# The fields whose values are a vocabulary's, each named by its field.
_VOCABULARIES: dict[str, Vocabulary] = {
    v.field: v
    for v in (KINDS, WEAPONS, STATUSES, DATE_PRECISIONS, ATTRIBUTIONS, LOCATION_PRECISIONS)
}
_PART = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")
_MONTH = re.compile(r"\d{4}-\d{2}")


def field_label(field: str) -> str:
    """A record's field (as ``changes.field_changes`` names it) as readers know it, from the
    titles the model gives its fields: 'status' -> 'Status', 'casualties.us.killed' ->
    'Casualties: US forces, killed', 'sources[1].url' -> 'Source 2: address'."""
    model: type[BaseModel] | None = Incident
    words: list[str] = []
    for name, index in _PART.findall(field):
        info = model.model_fields.get(name) if model is not None else None
        model = model_in(info.annotation) if info is not None else None
        if index and model is not None:  # an entry of a list of records: 'Source 2'
            word = f"{model.model_config.get('title') or model.__name__} {int(index) + 1}"
        else:
            word = info.title if info is not None and info.title else name.replace("_", " ")
        words.append(
            word if not words or word.split()[0].isupper() else word[:1].lower() + word[1:]
        )
    return words[0] + (": " + ", ".join(words[1:]) if len(words) > 1 else "")


def as_read(change: FieldChange, dataset: Dataset) -> FieldChange:
    """A change to a record in the site's words: the field by its label (``field_label``),
    and values as record pages show them: a vocabulary's label for its value
    ('Officially confirmed'), an actor's or a base's name for its id, a tag's label, a date
    in words, 'not recorded' for a value not set ('not stated' for a number of casualties,
    whose absence means the sources do not state it). Long texts keep their passages as
    written."""
    first = _PART.findall(change.field)[0][0]
    last = _PART.findall(change.field)[-1][0]

    def read(value: str) -> str:
        if value == NOT_SET:
            return "not stated" if first == "casualties" else "not recorded"
        if change.field == first:  # a field of the record itself, not of a source or a side
            return _value_as_read(first, value, dataset)
        if last == "published":
            return _day_as_read(value)
        return value

    if change.passages:
        return dataclasses.replace(change, label=field_label(change.field))
    return dataclasses.replace(
        change, label=field_label(change.field), old=read(change.old), new=read(change.new)
    )


def _value_as_read(field: str, value: str, dataset: Dataset) -> str:
    parts = value.split(", ")  # lists are joined so; a text with commas stays as it is
    vocabulary = _VOCABULARIES.get(field)
    if vocabulary is not None:
        return ", ".join(vocabulary.labels.get(v, v) for v in parts)
    if field in ("perpetrator", "claimed_by"):
        return ", ".join(a.name if (a := dataset.actor_by_id.get(v)) else v for v in parts)
    if field in ("base", "also_hit"):
        return ", ".join(b.name if (b := dataset.base_by_id.get(v)) else v for v in parts)
    if field == "tags":
        return ", ".join(tag_label(v) for v in parts)
    if field == "date":
        return _day_as_read(value)
    return value


def _day_as_read(value: str) -> str:
    """'2024-01-28' -> '28 January 2024', '2024-01' -> 'January 2024'; else as it is."""
    try:
        return long_date(dt.date.fromisoformat(value))
    except ValueError:
        return month_label(value) if _MONTH.fullmatch(value) else value
