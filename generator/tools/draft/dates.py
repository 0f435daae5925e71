"""The dates a sentence gives, worked out from the publication date where they are relative."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from generator.tools.draft.lexicon import (
    DATE_PATTERNS,
    HOLIDAYS,
    MONTHS,
    NUMBER_WORDS,
    RELATIVE_DAYS,
    US_TIME_ZONES,
    WEEKDAYS,
    pattern,
)

POSTED_ON = pattern("posted_on")
SAID_ON = pattern("said_on")


@dataclass(frozen=True)
class When:
    """A date found in a sentence: the day (None when it needs the publication date), how
    exact it is, and the words it came from."""

    day: dt.date | None
    precision: str  # day | week | month
    cue: str
    start: int
    end: int
    relative: bool = False  # worked out from the publication date
    weak: bool = False  # "today" in a quoted statement: the statement's day is not known
    old: bool = False  # "two years ago", "last year": well before the article
    offset: int = 0  # "a day after": days before the date of the sentence's own event
    same: bool = False  # "that same day": the day of the incident told just before


_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(p, re.I if kind not in ("iso", "slash") else 0)) for kind, p in DATE_PATTERNS
]


_SAID_ON = re.compile(SAID_ON, re.I)
_SINCE_BEFORE = re.compile(pattern("since_before"), re.I)


_POSTED_ON = re.compile(POSTED_ON)


_TIME = re.compile(pattern("time"), re.I)


DAY_BEFORE = re.compile(pattern("day_before"), re.I)


LOCAL_HOURS = 3  # Iraq, Syria and Jordan: UTC+3 (no summer time since 2022; near enough)


def dates_in(text: str, published: dt.date | None) -> list[When]:
    """Every date the sentence gives, resolved against the publication date where relative."""
    return list(_dates_in(text, published))


@lru_cache(maxsize=4096)  # a sentence's dates are looked at by several stages
def _dates_in(text: str, published: dt.date | None) -> tuple[When, ...]:
    found: list[When] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return not any(s < m.end() and m.start() < e for s, e in taken)

    quoted = _quoted_spans(text)
    for kind, rx in _DATE_PATTERNS:
        for m in rx.finditer(text):
            if not free(m):
                continue
            when = _resolve(kind, m, text, published, quoted)
            said = text[max(0, m.start() - 60) : m.start()]
            if when is not None and (_SAID_ON.search(said) or _POSTED_ON.search(said)):
                when = dataclasses.replace(when, weak=True)
            if when is not None and _SINCE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                when = dataclasses.replace(when, old=True)
            if when is not None:
                found.append(when)
                taken.append((m.start(), m.end()))
    for m in DAY_BEFORE.finditer(text):
        found.append(When(None, "day", m.group(), m.start(), m.end(), relative=True, offset=1))
    return tuple(sorted(found, key=lambda w: w.start))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”?|\"[^\"]*\"?", text)]
    return spans


def _resolve(
    kind: str,
    m: re.Match[str],
    text: str,
    published: dt.date | None,
    quoted: list[tuple[int, int]],
) -> When | None:
    g = m.groupdict()
    cue = m.group().strip()
    start, end = m.start(), m.end()
    if kind in ("iso", "mdy", "dmy", "slash"):
        month = int(g.get("mm") or g.get("mm2") or 0) or MONTHS.get(
            (g.get("m") or "").lower().rstrip(".")
        )
        day_text = g.get("d") or g.get("d3")
        year_text = g.get("y") or g.get("y2")
        if not month or not day_text:
            return None
        month_may = g.get("m", "").lower().rstrip(".") == "may"
        if kind == "mdy" and month_may and not year_text and not re.match(r"May\s+\d", m.group()):
            return None  # "may 3" is not a date
        day_n = int(day_text)
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            try:
                day = dt.date(year, month, day_n)
            except ValueError:
                return None
            return _with_time_zone(When(day, "day", cue, start, end), text, end)
        if published is None:
            return When(None, "day", cue, start, end, relative=True)
        inferred = _infer_year(month, day_n, published)
        if inferred is None:
            return None
        return _with_time_zone(When(inferred, "day", cue, start, end), text, end)
    if kind == "holiday":
        month, day_n = HOLIDAYS[g["h"].lower()]
        if published is None:
            return When(None, "day", cue, start, end, relative=True)
        inferred = _infer_year(month, day_n, published)
        return None if inferred is None else When(inferred, "day", cue, start, end)
    if kind == "month":
        month = MONTHS.get(g["m"].lower().rstrip("."))
        if not month or (g["m"].lower() == "may" and not g.get("y")):
            return None
        if not g.get("y") and not re.search(
            r"\b(?:in|since|early|mid|late|end of|of|last)\s*[- ]?"
            rf"{re.escape(g['m'])}",
            text,
            re.I,
        ):
            return None
        if g.get("y"):
            first = dt.date(int(g["y"]), month, 1)
        elif published is None:
            return When(None, "month", cue, start, end, relative=True)
        else:
            year = published.year if month <= published.month else published.year - 1
            first = dt.date(year, month, 1)
        return When(first, "month", cue, start, end)
    if kind == "year":
        if published is not None and int(g.get("y") or g["y2"]) >= published.year:
            return None
        return When(None, "month", cue, start, end, old=True)
    if kind == "weekday":
        weekday = WEEKDAYS.index(g["w"].lower())
        if published is None:
            return When(None, "day", cue, start, end, relative=True)
        back = (published.weekday() - weekday) % 7
        if (g.get("mod") or "").lower() in ("last", "past") and back == 0:
            back = 7
        return _with_time_zone(
            When(published - dt.timedelta(days=back), "day", cue, start, end, relative=True),
            text,
            end,
        )
    if kind == "same":
        return When(None, "day", cue, start, end, relative=True, same=True)
    if kind == "relative":
        back = RELATIVE_DAYS[g["r"].lower()]
        weak = back == 0 and any(s <= start < e for s, e in quoted)
        if published is None:
            return When(None, "day", cue, start, end, relative=True, weak=weak)
        return When(
            published - dt.timedelta(days=back), "day", cue, start, end, relative=True, weak=weak
        )
    if kind == "week":
        phrase = g["r"].lower()
        if g.get("k"):
            count = NUMBER_WORDS.get(g["k"].lower()) or (int(g["k"]) if g["k"].isdigit() else 0)
            if not count:
                return None
            back, precision = count, "day"
        else:
            back = 7 if phrase in ("last week", "a week ago") else 0
            precision = "week"
        if published is None:
            return When(None, precision, cue, start, end, relative=True)
        return When(published - dt.timedelta(days=back), precision, cue, start, end, relative=True)
    if kind == "ago":
        return When(None, "month", cue, start, end, old=True)
    return None


def _infer_year(month: int, day_n: int, published: dt.date) -> dt.date | None:
    """A day and month without a year: the latest such day not after the publication."""
    for year in (published.year, published.year - 1):
        try:
            day = dt.date(year, month, day_n)
        except ValueError:
            continue
        if day <= published + dt.timedelta(days=1):
            return day
    return None


def _with_time_zone(when: When, text: str, after: int) -> When:
    """A time in US Eastern time moves the local date on when it is past midnight there."""
    window = text[max(0, when.start - 40) : after + 40]
    for m in _TIME.finditer(window):
        tz = (m.group("tz") or "").lower()
        if tz not in US_TIME_ZONES or (not m.group("ap") and not m.group("min")):
            continue
        hour = int(m.group("h")) % 12 + (12 if (m.group("ap") or "").lower().startswith("p") else 0)
        local = hour + LOCAL_HOURS - US_TIME_ZONES[tz]
        if local >= 24 and when.day is not None:
            return When(
                when.day + dt.timedelta(days=1),
                when.precision,
                when.cue,
                when.start,
                when.end,
                when.relative,
            )
    return when


def local_time(text: str) -> str | None:
    """'"04:30"' when the sentence gives a local time ('7:20 p.m. local time')."""
    for m in _TIME.finditer(text):
        tz = (m.group("tz") or "").lower()
        if tz not in ("local time", "baghdad time", "iraq time", "syria time"):
            continue
        if not m.group("ap") and not m.group("min"):
            continue
        hour = int(m.group("h")) % 12 + (12 if (m.group("ap") or "").lower().startswith("p") else 0)
        if (m.group("ap") or "").lower().startswith("a") and int(m.group("h")) == 12:
            hour = 0
        if not m.group("ap"):
            hour = int(m.group("h"))
        if hour < 24:
            return f"{hour:02d}:{int(m.group('min') or 0):02d}"
    return None
