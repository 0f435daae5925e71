"""The features of an incident as told that decide whether the article reports it as news or
recalls it as background: its date against the publication date, the wording of its
sentences (tense, cues that point back, quantities, who speaks), where it stands in the
article, and the hand-written rule's own verdict. Each is a number, most 0 or 1; ``NAMES``
is their order in the model (``model/news.json``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.tools.draft.clauses import TALLY
from generator.tools.draft.decisions import (
    _REPORTED,
    _US_DID,
    _claims,
    _recalled,
    is_background,
    official_word,
)
from generator.tools.draft.lexicon import pattern
from generator.vocabularies import STATUSES

if TYPE_CHECKING:
    from generator.tools.draft.fields import Draft
    from generator.tools.draft.incidents import Told
    from generator.tools.draft.sentences import Sentence

NAMES = (
    "rule_background",  # the hand-written rule (decisions.is_background) says background
    "no_day",  # no day is known for it
    "days_before",  # days from it to the publication, 0-30, over 30
    "future",  # dated after the publication date
    "same_day",  # the publication's day
    "day_before",  # the day before the publication
    "month_only",  # known only to the month
    "week_only",  # known only to the week
    "relative_date",  # worked out from the publication ("on Friday")
    "old_date",  # "two years ago", "since 2019"
    "weak_date",  # a day something was said, not done
    "context_date",  # dated from the sentences before it
    "cue_share",  # share of its mentions with wording that recalls ("since", "recent")
    "cause_share",  # share pointing back ("after", "in response to")
    "recalled_share",  # share the rule takes for recalled
    "first_position",  # where it is first told, 0 (top) to 1 (end)
    "in_lead",  # told in the article's first three sentences
    "in_title",  # a mention in a headline or title line
    "title_place",  # the article's title names its base or town
    "mentions",  # how many clauses tell it (log)
    "sentences",  # how many sentences speak of it (log)
    "rank",  # the order of its first mention among the article's incidents (log)
    "incidents",  # how many incidents the article tells (log)
    "strike",  # a US strike, not an attack
    "named_base",  # at a base of the data
    "country_only",  # placed only by its country
    "official",  # an official source speaks in its sentences
    "claimed",  # a claim of responsibility
    "perfect",  # present or past perfect: "has been targeted", "had hit"
    "present",  # present tense of news: "says", "is investigating"
    "tally",  # a count of attacks in its sentences
    "plural_attacks",  # "attacks" in the plural in its first sentence
    "recent_word",  # "recent", "latest", "series of" in its sentences
    "again",  # "another attack", "for the second time"
    "counted",  # a count of three or more before attacks or strikes: "three separate air strikes"
    "undated_article",  # the article gives no publication date
)

_PERFECT = re.compile(pattern("perfect_tense"), re.I)
_PRESENT = re.compile(pattern("present_tense"), re.I)
_RECENT_WORD = re.compile(pattern("recent_words"), re.I)
_PLURAL = re.compile(r"\battacks\b|\bstrikes\b", re.I)
_COUNTED = re.compile(pattern("counted_events"), re.I)


def features(
    t: Told,
    d: Draft,
    published: dt.date | None,
    found: list[Sentence],
    rank: int,
    incidents: int,
    titled: frozenset[tuple[str | None, str | None]] = frozenset(),
) -> list[float]:
    """The values of ``NAMES`` for one incident as told; ``titled`` are the keys of the
    bases and towns the article's title names."""
    when = t.when
    days: int | None = None
    if published is not None and when is not None and when.day is not None:
        days = (published - when.day).days
    mentions = t.mentions
    n = len(mentions) or 1
    lead = [s.n for s in found if not s.heading][:3]
    first = min(m.sentence.n for m in mentions)
    said = t.sentences
    text = " ".join(s.text for s in said)
    head = mentions[0].sentence.text
    status = d.record.get("status")
    values = {
        "rule_background": is_background(t, published),
        "no_day": days is None,
        "days_before": 0 if days is None else min(max(days, 0), 31) / 31,
        "future": days is not None and days < 0,
        "same_day": days == 0,
        "day_before": days == 1,
        "month_only": when is not None and when.precision == "month",
        "week_only": when is not None and when.precision == "week",
        "relative_date": when is not None and when.relative,
        "old_date": when is not None and when.old,
        "weak_date": when is not None and when.weak,
        "context_date": sum(m.context_date for m in mentions) / n,
        "cue_share": sum(m.cue is not None for m in mentions) / n,
        "cause_share": sum(m.cause is not None for m in mentions) / n,
        "recalled_share": sum(_recalled(m, published) for m in mentions) / n,
        "first_position": first / max(len(found) - 1, 1),
        "in_lead": first in lead,
        "in_title": any(m.sentence.heading for m in mentions),
        "title_place": bool(t.place.base or t.place.location) and t.place.key in titled,
        "mentions": math.log1p(len(mentions)),
        "sentences": math.log1p(len(said)),
        "rank": math.log1p(rank),
        "incidents": math.log1p(incidents),
        "strike": t.kind == "strike",
        "named_base": bool(t.place.base) and not (t.place.base or "").startswith("site:"),
        "country_only": not t.place.base and not t.place.location,
        "official": status == "confirmed" or any(official_word(s.text) for s in said[:3]),
        "claimed": status == "claimed",
        "perfect": bool(_PERFECT.search(head)),
        "present": bool(_PRESENT.search(head)),
        "tally": bool(TALLY.search(text)),
        "plural_attacks": bool(_PLURAL.search(head)),
        "recent_word": bool(_RECENT_WORD.search(text)),
        "again": any(m.again for m in mentions),
        "counted": bool(_COUNTED.search(head)),
        "undated_article": published is None,
    }
    return [float(values[name]) for name in NAMES]


# --- status: who says it happened ------------------------------------------------------------

STATUS_NAMES = (
    "rule_confirmed",  # the hand-written rules (decisions._status and the lead) say confirmed
    "rule_claimed",  # ... say claimed
    "official_first",  # an official source speaks in the sentence that first tells it
    "official_any",  # ... in any of its sentences
    "official_lead",  # ... in the article's first sentences
    "official_publisher",  # an official body published the article (.mil, .gov, CENTCOM)
    "official_article",  # an official source speaks anywhere in the article
    "claim_first",  # a claim of responsibility in its first sentence
    "claim_any",  # ... in any of its sentences
    "claim_article",  # ... anywhere in the article
    "reported_first",  # media, monitors or "sources" cited in its first sentence
    "reported_any",  # ... in any of its sentences
    "us_did",  # a US strike told as fact ("US forces conducted strikes")
    "strike",  # a US strike, not an attack
    "named_base",  # at a base of the data
    "lead_news",  # told in the article's first three sentences
)


@dataclass(frozen=True)
class Voices:
    """Who speaks in the article as a whole, read once for all its incidents: the first
    sentence of its lead and of the whole article in which an official source speaks, the
    first in which someone claims it, and whether an official body published it."""

    lead: frozenset[int]  # the numbers of the lead's sentences
    official_lead: str | None
    official: str | None
    claim: str | None
    official_publisher: bool


def voices(found: list[Sentence], official_publisher: bool) -> Voices:
    lead = [s for s in found if not s.heading][:3]
    return Voices(
        lead=frozenset(s.n for s in lead),
        official_lead=next((s.text for s in lead if official_word(s.text)), None),
        official=next((s.text for s in found if official_word(s.text)), None),
        claim=next((s.text for s in found if _claims(s.text)), None),
        official_publisher=official_publisher,
    )


def status_features(t: Told, d: Draft, article: Voices) -> tuple[list[float], dict[str, str]]:
    """The values of ``STATUS_NAMES`` for one incident as told, and the sentence that would
    be each status's evidence."""
    said = t.sentences
    first = t.first.sentence.text
    official = next((s.text for s in said if official_word(s.text)), None)
    claim = next((s.text for s in said if _claims(s.text)), None)
    reported = next((s.text for s in said if _REPORTED.search(s.text)), None)
    status = d.record.get("status")
    values = {
        "rule_confirmed": status == "confirmed",
        "rule_claimed": status == "claimed",
        "official_first": official_word(first),
        "official_any": official is not None,
        "official_lead": article.official_lead is not None,
        "official_publisher": article.official_publisher,
        "official_article": article.official is not None,
        "claim_first": _claims(first),
        "claim_any": claim is not None,
        "claim_article": article.claim is not None,
        "reported_first": bool(_REPORTED.search(first)),
        "reported_any": reported is not None,
        "us_did": t.kind == "strike" and any(_US_DID.search(s.text) for s in said),
        "strike": t.kind == "strike",
        "named_base": bool(t.place.base) and not (t.place.base or "").startswith("site:"),
        "lead_news": min(m.sentence.n for m in t.mentions) in article.lead,
    }
    rule = d.evidence.get("status", first)
    evidence = STATUSES.words(
        confirmed=(rule if status == "confirmed" else None)
        or official
        or article.official_lead
        or article.official
        or first,
        claimed=claim or article.claim or first,
        reported=reported or first,
    )
    return [float(values[name]) for name in STATUS_NAMES], evidence
