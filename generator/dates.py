"""Days and months: the one place for month arithmetic and for how dates read, in every locale.

A month is written as its key, ``'YYYY-MM'``. Dates read the same whatever the machine's
locale: ``'5 January 2022'``, ``'5 Jan 2022'``, ``'January 2022'``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache
from importlib import resources

import yaml

from generator.text import country_parts, name_key

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_key(day: dt.date) -> str:
    """2022-08-15 -> '2022-08'."""
    return f"{day.year:04d}-{day.month:02d}"


def month_start(key: str) -> dt.date:
    """'2022-08' -> 2022-08-01."""
    year, month = map(int, key.split("-"))
    return dt.date(year, month, 1)


def month_end(key: str) -> dt.date:
    """'2022-08' -> 2022-08-31: the last day of the month."""
    return next_month(month_start(key)) - dt.timedelta(days=1)


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_range(first: str, last: str) -> tuple[str, ...]:
    """Every month from first to last inclusive, as 'YYYY-MM' keys."""
    out = []
    day = month_start(first)
    while (key := month_key(day)) <= last:
        out.append(key)
        day = next_month(day)
    return tuple(out)


def month_label(key: str, *, short: bool = False) -> str:
    """'2022-08' -> 'August 2022' (or 'Aug 2022')."""
    year, month = key.split("-")
    name = MONTH_NAMES[int(month) - 1]
    return f"{name[:3] if short else name} {year}"


def long_date(value: dt.date) -> str:
    """2022-01-05 -> '5 January 2022'."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def short_date(value: dt.date) -> str:
    """2022-01-05 -> '5 Jan 2022'."""
    return f"{value.day} {MONTH_NAMES[value.month - 1][:3]} {value.year}"


def date_span(first: dt.date, last: dt.date) -> str:
    """'5 January 2022', '15–24 August 2022', '28 June – 3 July 2021', or both dates in full."""
    if first == last:
        return long_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{long_date(last)}"
    if first.year == last.year:
        return f"{first.day} {MONTH_NAMES[first.month - 1]} – {long_date(last)}"
    return f"{long_date(first)} – {long_date(last)}"


def midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


@cache
def country_clocks() -> dict[str, str]:
    """The clock of each country a dataset can cover, by its name's key: a record's date is
    the local date there (generator/gazetteer/clocks.yaml, one comment an entry)."""
    text = (resources.files("generator.gazetteer") / "clocks.yaml").read_text("utf-8")
    clocks: dict[str, str] = yaml.safe_load(text)
    return {name_key(country): zone for country, zone in clocks.items()}


def unknown_clocks(country: str) -> list[str]:
    """The countries ``country`` names ('Iraq and Kuwait') whose clock is not known here."""
    return [c for c in country_parts(country) if name_key(c) not in country_clocks()]


def local_moment(day: dt.date, time: str, clock: str, country: str | None) -> dt.datetime | None:
    """``time`` ("HH:MM") on ``day`` by the IANA ``clock``, as the local time of
    ``country``, or of every country it names ('Iraq and Syria'). None when a country's
    clock is not known here (``unknown_clocks``), or the countries it names keep different
    hours at that moment."""
    parts = country_parts(country or "")
    zones = [z for c in parts if (z := country_clocks().get(name_key(c)))]
    if not zones or len(zones) < len(parts):
        return None
    hours, minutes = map(int, time.split(":"))
    moment = dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=zoneinfo.ZoneInfo(clock))
    local = [moment.astimezone(zoneinfo.ZoneInfo(z)) for z in zones]
    if len({m.replace(tzinfo=None) for m in local}) > 1:
        return None
    return local[0]
