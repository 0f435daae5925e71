"""Decisions about an incident as told: its status (who said it) and whether the article
reports it as news or recalls it as background."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from generator.dates import month_end, month_key
from generator.tools.draft.lexicon import (
    RECENT_CAUSE,
    RECENT_DAYS,
    RECENT_RELATIVE,
    STATUS_WORDS,
    pattern,
)
from generator.tools.draft.reading import Article

if TYPE_CHECKING:
    from generator.tools.draft.clauses import Mention
    from generator.tools.draft.incidents import Told
    from generator.tools.draft.sentences import Sentence

NOT_CLAIMED = pattern("not_claimed")
NOT_CONFIRMED = pattern("not_confirmed")
NO_OFFICIAL_WORD = pattern("no_official_word")
OFFICIAL_PUBLISHER = pattern("official_publisher")
OFFICIAL_SITE = pattern("official_site")
PROJECTILES = pattern("projectiles")


_CONFIRMED = re.compile(STATUS_WORDS["confirmed"])


_CLAIMED = re.compile(STATUS_WORDS["claimed"], re.I)


_REPORTED = re.compile(STATUS_WORDS["reported"], re.I)


_NOT_CONFIRMED = re.compile(NOT_CONFIRMED, re.I)


_NOT_CLAIMED = re.compile(NOT_CLAIMED, re.I)


_NO_OFFICIAL_WORD = re.compile(NO_OFFICIAL_WORD, re.I)
_UNOFFICIAL_CITED = re.compile(pattern("unofficial_cited"))
_US_DID = re.compile(pattern("us_did"))
_ALLEGED = re.compile(pattern("alleged"), re.I)
_THE = re.compile(r"\bthe\s+$", re.I)
_ATTACK_NOUN_AFTER = re.compile(pattern("attack_noun_after"), re.I)
_THOSE_TOLD = re.compile(pattern("those_told"), re.I)


def _claims(text: str) -> bool:
    """The text says someone claimed it, and not that no one did."""
    return any(
        not _NOT_CLAIMED.search(text[max(0, m.start() - 40) : m.start()])
        for m in _CLAIMED.finditer(text)
    )


def official_word(text: str) -> bool:
    """An official source speaks in the text, and not to say it has no word."""
    for m in _CONFIRMED.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if (
            _NOT_CONFIRMED.search(text[m.end() : m.end() + 60])
            or _NO_OFFICIAL_WORD.search(before)
            or _UNOFFICIAL_CITED.search(before)
        ):
            continue
        return True
    return False


def lead_status(lead: list[Sentence]) -> tuple[str, str] | None:
    """Confirmed by the article's lead: an official source its first sentences cite speaks
    for the news they tell ("…, according to U.S. Central Command")."""
    for s in lead:
        if official_word(s.text):
            return "confirmed", s.text
    return None


def _status(t: Told) -> tuple[str, str | None]:
    confirmed = claimed = reported = None
    for s in t.sentences:
        text = s.text
        if official_word(text):
            confirmed = confirmed or text
        if _claims(text):
            claimed = claimed or text
        if _REPORTED.search(text):
            reported = reported or text
    if t.kind == "strike" and confirmed is None and claimed is None:
        for s in t.sentences:  # "the US carried out strikes", said as fact (or quoted)
            as_fact = _US_DID.search(s.text)
            if as_fact and not _REPORTED.search(s.text) and not _ALLEGED.search(s.text):
                confirmed = s.text
                break
    if confirmed:
        return "confirmed", confirmed
    if claimed:
        return "claimed", claimed
    return "reported", reported


def _official(article: Article) -> str | None:
    """'published by U.S. Central Command' when an official body published the article."""
    if article.publisher and re.search(OFFICIAL_PUBLISHER, article.publisher):
        return f"published by {article.publisher}"
    if article.url and re.match(OFFICIAL_SITE, article.url, re.I):
        return f"published at {article.url}"
    return None


def is_background(t: Told, published: dt.date | None) -> bool:
    """Recalled rather than reported: a tally, an incident well before the article, or one
    every mention of which points back to it ("since", "in response to last week's")."""
    if t.aggregate is not None:
        return True
    when = t.when
    if when is not None and when.old:
        return True
    if when is not None and when.precision == "month":
        return True  # news gives the day; a month alone is what an article recalls
    if published is not None and when is not None and when.day is not None:
        last = when.day
        if when.precision == "month":
            last = month_end(month_key(when.day))
        if (published - last).days > RECENT_DAYS:
            return True
        if when.relative and (published - last).days > RECENT_RELATIVE:
            return True
    told = [m for m in t.mentions if not _continues(m)] or t.mentions
    return all(_recalled(m, published) for m in told)


def _continues(m: Mention) -> bool:
    """'He said the drones struck the base', 'on the same day as the Conoco attack': more
    about an incident already told."""
    body = m.sentence.text[m.clause.start : m.place.start]
    if m.referred and (m.when is None or m.context_date):
        return True
    after = m.sentence.text[m.place.end : m.place.end + 30]
    if (m.when is None or m.context_date) and _THE.search(body) and _ATTACK_NOUN_AFTER.match(after):
        return True
    return m.when is None and bool(_THOSE_TOLD.search(body))


def _recalled(m: Mention, published: dt.date | None) -> bool:
    if m.sentence.heading or m.cue or (m.when is not None and m.when.old):
        return True
    if m.cause:
        day = m.when.day if m.when is not None else None
        if day is None or published is None:
            return True
        if m.inherited:  # "US forces struck on Monday militants who earlier had launched …"
            return (published - day).days > RECENT_DAYS
        return (published - day).days > RECENT_CAUSE
    return False
