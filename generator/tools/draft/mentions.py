"""Mentions: the clauses of an article that report an attack on a place hosting US forces, or
a US strike, each dated from its own words or from the sentences just before it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time

from generator.tools.draft.clauses import _BACKGROUND, _BASE_NOUN, Mention, mentions_in
from generator.tools.draft.dates import When, dates_in
from generator.tools.draft.lexicon import pattern
from generator.tools.draft.places import Gazetteer
from generator.tools.draft.reading import DraftError
from generator.tools.draft.sentences import Sentence, tokens

DRAFT_SECONDS = 120  # the most an article may take to read (a 10,000-line one takes about 10)
_US_OWNED = re.compile(pattern("us_owned_strike"), re.I)
_REFUTED = re.compile(pattern("refuted"), re.I)
_REPORTS = re.compile(pattern("reports"), re.I)
_CAPTION = re.compile(pattern("caption"), re.I)
_CREDIT = re.compile(pattern("credit"))


def find_mentions(
    found: list[Sentence],
    gazetteer: Gazetteer,
    published: dt.date | None,
    deadline: float | None = None,
) -> list[Mention]:
    """Every clause that reports an attack on a place hosting US forces or a US strike.

    A mention without a date of its own, in a sentence without one, takes the date of the
    incident told in the sentences just before (news tells one day's events together);
    "that same day" takes it too. Past ``deadline`` (``time.monotonic()``) it gives up.
    """
    out: list[Mention] = []
    recent: list[tuple[int, list[Mention], list[When]]] = []  # the last sentences' dates
    owned = any(_US_OWNED.search(s.text) for s in found)
    credited = {s.n - 1 for s in found if _CREDIT.fullmatch(s.text)}
    for sentence in found:
        if deadline is not None and time.monotonic() > deadline:
            raise DraftError(
                f"the article took over {DRAFT_SECONDS} s to read, at sentence {sentence.n + 1} "
                f"of {len(found)}; give a shorter excerpt"
            )
        if _CAPTION.search(sentence.text) or sentence.n in credited:
            continue  # a photo's caption: the day the picture was taken
        dated = dates_in(sentence.text, published)
        context = _context(recent, sentence.n)
        offset = _from_context(sentence, dated, recent)
        here = mentions_in(sentence, gazetteer, published, out, owned, offset)
        own = [d for d in dated if d.day is not None or d.same]
        for m in here:
            if m.when is not None and m.when.same:
                m.when = _context(recent, sentence.n, window=5)
                m.context_date = True
            elif m.when is None and not own and not m.cause and context is not None:
                m.when = context
                m.context_date = True
                recalled = _BACKGROUND.search(context.cue)
                if recalled and not m.cue:
                    m.cue = recalled.group()
        out += here
        own = [d for d in own if not d.weak]  # the day something was said or posted
        if (here or own) and not sentence.heading:  # a dateline is not an incident's day
            recent = [*recent[-4:], (sentence.n, here, own if not here else [])]
    _name_unnamed_bases(out, found, gazetteer)
    return _not_refuted(out, found)


def _name_unnamed_bases(told: list[Mention], found: list[Sentence], gazetteer: Gazetteer) -> None:
    """An attack on "a base in Syria" whose next sentence names one base of that country ("the
    drone flew toward Mission Support Site Conoco") is an attack on that base."""
    by_n = {s.n: s for s in found}
    for m in told:
        if m.kind != "attack" or m.place.base or m.place.location or not m.place.country:
            continue
        if not _BASE_NOUN.search(m.sentence.text, m.clause.start, m.clause.end):
            continue
        after = by_n.get(m.sentence.n + 1)
        if after is None:
            continue
        named = {
            b.base
            for b in gazetteer.bases_in(after.text, tokens(after.text))
            if b.country == m.place.country and not (b.base or "").startswith("site:")
        }
        if len(named) == 1:
            m.place = dataclasses.replace(m.place, base=named.pop())


def _not_refuted(told: list[Mention], found: list[Sentence]) -> list[Mention]:
    """Without the reports the article refutes just after telling them ("Al-Hadath reported
    that the coalition shot down a drone … These reports are not true")."""
    refuted: set[int] = set()
    for n, sentence in enumerate(found):
        said = _REFUTED.search(sentence.text)
        if said:
            refuted |= {s.n for s in found[max(0, n - 2) : n] if _REPORTS.search(s.text)}
            if _REPORTS.search(sentence.text, 0, said.start()):
                refuted.add(sentence.n)  # "reports that … . Those reports are not true"
    return [m for m in told if m.sentence.n not in refuted]


def _from_context(
    sentence: Sentence, dated: list[When], recent: list[tuple[int, list[Mention], list[When]]]
) -> list[When]:
    """'The previous day' opening a sentence that gives no day of its own counts from the
    day of the incident told just before ("American forces on Tuesday carried out strikes …
    The previous day, US forces bombed nine targets"), not from the article's."""
    text = sentence.text
    if not any(d.offset and _OPENING.fullmatch(text[: d.start]) for d in dated):
        return dated
    if any(not d.offset and not d.weak and d.day is not None for d in dated):
        return dated
    context = _context(recent, sentence.n, window=5)
    if context is None or context.day is None:
        return dated
    return [
        dataclasses.replace(d, day=context.day - dt.timedelta(days=d.offset), offset=0)
        if d.offset and _OPENING.fullmatch(text[: d.start])
        else d
        for d in dated
    ]


_OPENING = re.compile(r"\W*(?:(?:and|but|then|on)\s+)?", re.I)


def _context(
    recent: list[tuple[int, list[Mention], list[When]]], n: int, window: int = 2
) -> When | None:
    """The date of the latest incident told in the two sentences before: a recent day, not
    one recalled from long ago nor a day something was said."""
    for at, mentions, own in reversed(recent):
        if n - at > window:
            break
        for when in [m.when for m in mentions if not m.cause] + own:
            if (
                when is not None
                and when.day is not None
                and when.precision != "month"
                and not when.old
                and not when.weak
            ):
                return when
        if any(
            w is None or not (w.old or w.precision == "month")
            for w in [m.when for m in mentions] + own
        ):
            return None  # the sentence just before told of something else, undated
    return None
