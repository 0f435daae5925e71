"""Who acts in a sentence: whether strike wording tells a strike by US forces, and whether an
attack is on US or coalition forces."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.tools.draft.lexicon import pattern

if TYPE_CHECKING:
    from generator.tools.draft.clauses import Clause
    from generator.tools.draft.places import Place

US = re.compile(pattern("us_agent"))  # who stands for US forces (case matters)
OTHER = re.compile(pattern("other_agents"))  # others whose strikes are not US strikes
_NOT_US = re.compile(pattern("actors_not_us"))
_US_OPERATION = re.compile(pattern("us_operations"))  # "… carried out an attack on …"
PASSIVE = re.compile(pattern("passive"), re.I)  # "was targeted": the object comes before
_STRIKE_ONLY_US = re.compile(pattern("strike_only_us"), re.I)
_STRIKE_VERB = re.compile(pattern("strike_verbs"), re.I)
_US_SUBJECT = re.compile(pattern("us_subject"), re.I)
_ATTACKER_STRIKE = re.compile(pattern("attacker_strike"), re.I)
_ON_BASE = re.compile(pattern("on_base"))
_BY_WITH = re.compile(pattern("by_with"))
_US_JUST_BEFORE = re.compile(pattern("us_just_before"))
_JUST_TOLD = re.compile(pattern("just_told"), re.I)
_ATTACK_ON_US = re.compile(pattern("attack_on_us"))
_US_SAYS = re.compile(pattern("us_says"))
_BY_GERUND = re.compile(pattern("by_gerund"), re.I)
_US_SUBJECT_START = re.compile(pattern("us_subject_start"))
_IN_SERIES = re.compile(pattern("strike_in_series"), re.I)


def is_us_strike(
    text: str,
    m: re.Match[str],
    parts: list[Clause],
    bases: list[Place],
    owned: bool = False,
    series: bool = False,
) -> bool:
    """Whether strike wording here is a strike by US forces: a US agent before it, a word
    only US forces' actions take, an article that says its strike was theirs (``owned``),
    or one more of the US strikes told just before (``series``: "An earlier strike on
    September 16 … targeted an IS training camp"); not rockets striking, nor 'the second
    strike on' a base."""
    word = m.group().lower()
    if (
        (owned or (series and _IN_SERIES.search(text, 0, m.start())))
        and word in ("strike", "strikes")
        and not OTHER.search(text)
        and not attack_on_us(text)
        and not bases
    ):
        return True
    attacker = _ATTACKER_STRIKE.search(text[max(0, m.start() - 25) : m.end() + 1])
    if attacker and not US.search(text[max(0, m.start() - 12) : m.start()]):
        # "a drone strike … killed a militant, the U.S. military said": a US drone's
        return attacker.group().lower().startswith("drone") and _told_by_us(text, bases)
    if any(_aimed_at(text, m, b) and not us_strike_at_site(text, m, b) for b in bases):
        return False  # "the second strike on the Tower 22 base": an attack on it
    if _STRIKE_ONLY_US.fullmatch(word):
        return True
    after = text[m.end() :]
    passive = PASSIVE.search(text, max(0, m.start() - 20), m.start())
    by_with = _BY_WITH.match(after)
    if passive and (by_with or word == "struck"):
        return False  # "a convoy … was struck by an IED", "the base had been struck in a …"
    if by_with and word in ("struck", "hit", "targeted", "attacked") and not US.search(after[:30]):
        return False  # a headline without "was": "Supply convoy for US-led forces struck by IED"
    clause = next((c for c in parts if c.start <= m.start() < c.end), parts[-1])
    if _STRIKE_VERB.fullmatch(word):  # not "US troops hit by a drone"
        subject = _US_SUBJECT.search(text[max(0, m.start() - 60) : m.start()])
        if subject is None and _BY_GERUND.search(text[max(0, m.start() - 4) : m.start()]):
            # "U.S. forces responded to the attacks … by targeting positions in al-Mayadin"
            subject = _US_SUBJECT_START.match(text, clause.start)
        return bool(subject) and not _BY_WITH.match(after)
    body = text[clause.start : clause.end]
    if others_act(body):
        return False
    if _US_OPERATION.fullmatch(word):  # "US special forces carried out an attack on …"
        us = [u.end() for u in US.finditer(text, max(0, m.start() - 80), m.start())]
        return bool(us) and not _NOT_US.search(text, us[-1], m.start())
    before = text[max(0, clause.start - 80) : m.start()]
    if word.startswith("killed"):
        return bool(US.search(before[-60:]))
    if word.startswith("raid"):  # "US forces raided", not "militants raided a position"
        return bool(US.search(body)) and not OTHER.search(body)
    if word in ("strike", "strikes", "struck", "bomb", "bombs", "bombed", "bombing"):
        if US.search(before[-70:]) or _US_JUST_BEFORE.search(before):
            return True
        return word.startswith("strike") and _told_by_us(text, bases)
    if _JUST_TOLD.search(text[max(0, m.start() - 20) : m.start()]) and not OTHER.search(text):
        return True  # "The airstrikes targeted…": the ones just told
    return bool(US.search(body) or US.search(text))


def _aimed_at(text: str, m: re.Match[str], place: Place) -> bool:
    """Strike wording aimed at the place just after it ("strike on the Tower 22 base")."""
    return 0 <= place.start - m.end() <= 30 and bool(
        _ON_BASE.fullmatch(text[m.end() : place.start])
    )


def us_strike_at_site(text: str, m: re.Match[str], place: Place) -> bool:
    """A US strike on a site of the gazetteer that is not a base of the data ("a US airstrike
    at Baghdad's international airport"): US forces named just before the strike word."""
    return (
        (place.base or "").startswith("site:")
        and _aimed_at(text, m, place)
        and bool(US.search(text[max(0, m.start() - 12) : m.start()]))
    )


def _told_by_us(text: str, bases: list[Place]) -> bool:
    """A strike a US source tells in its own words ("A strike in northwest Syria killed a
    militant, the U.S. military said"), with no other state named, no base of the data and
    no attack on US forces in the sentence: theirs."""
    says = _US_SAYS.search(text)
    return (
        says is not None
        and not OTHER.search(text)
        and not attack_on_us(text[: says.start()])
        and not bases
    )


def others_act(body: str) -> bool:
    """Another state's forces act in the text and US forces are not named ("a Turkish army
    drone targeted their vehicle")."""
    return bool(OTHER.search(body)) and not US.search(body)


def attack_on_us(body: str) -> bool:
    """An attack on US or coalition forces ("targeting US troops")."""
    return bool(_ATTACK_ON_US.search(body))
