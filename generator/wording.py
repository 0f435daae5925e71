"""How records read on the site: titles, places and dates, the same in every locale."""

from __future__ import annotations

from generator.dates import long_date, month_label, short_date
from generator.model import STRIKE_HEADLINES, WEAPONS, Dataset, Incident


def incident_date(incident: Incident, *, short: bool = True) -> str:
    """The date as precisely as it is known: 'c. 5 Jan 2022' within a week, the month alone."""
    if incident.date_precision == "month":
        return month_label(incident.month, short=short)
    shown = short_date(incident.date) if short else long_date(incident.date)
    return f"c. {shown}" if incident.date_precision == "week" else shown


def incident_title(incident: Incident, dataset: Dataset) -> str:
    if incident.title:
        return incident.title
    if incident.kind == "attack":
        base = dataset.base_by_id[incident.base or ""].name
        what = "Attack" if incident.weapon == "unknown" else f"{WEAPONS[incident.weapon]} attack"
        return f"{what} on {base}"
    return f"{STRIKE_HEADLINES.get(incident.weapon, 'US strike')} — {incident.location}"


def incident_place(incident: Incident, dataset: Dataset) -> str:
    """Where, in a few words: the base for attacks, the location for strikes."""
    if incident.kind == "attack" and incident.base:
        return dataset.base_by_id[incident.base].name
    return incident.location or ""


def incident_country(incident: Incident, dataset: Dataset) -> str | None:
    if incident.country:
        return incident.country
    if incident.base:
        return dataset.base_by_id[incident.base].country
    return None


def incident_url(incident_id: str) -> str:
    """The permanent, site-root-relative address of an incident's page."""
    return f"incidents/{incident_id}/"
