"""``draft``: propose incident records from a news article, every field with its evidence.

One function reads like the pipeline, ``draft_article``:

1. read the article: a text, Markdown or HTML file, standard input or a web address, as
   text and metadata (title, outlet, publication date) — ``read_article``;
2. split the text into sentences — ``sentences``;
3. find the mentions of incidents: a clause with attack or strike wording and a place —
   ``find_mentions``;
4. group the mentions into incidents: same kind, place and date — ``group``;
5. fill each incident's fields, keeping the sentence each came from — ``fill``;
6. tell the news from the background: earlier incidents the article recalls —
   ``is_background``;
7. compare with the data: an incident already recorded says so, and what the article
   adds — ``compare``;
8. write YAML for a person to review (the record part by the one incident-file writer,
   ``records``), or JSON — ``as_yaml``, ``as_json``.

A draft never enters the data by itself: its ``summary`` is left for the person to write
in their own words (no sentence of the article is copied into a record field), and
``make new --from DRAFT`` starts the interview from its values, so that the validator
checks it like any other record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import sys
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from generator.dates import MONTH_NAMES, long_date, month_end, month_key
from generator.errors import GeneratorError
from generator.model import OUTCOMES, SIDES, Dataset, Incident, sort_key
from generator.text import NameIndex, clean, name_key, strip_invisible
from generator.tools import records
from generator.vocabularies import KINDS, STATUSES, WEAPONS

MAX_ARTICLE_BYTES = 5 * 1024 * 1024
FETCH_TIMEOUT = 20  # seconds, for an article given by its web address

# --- the wording tables: what the drafter reads in an article --------------------------------
# Each table is keyed by a vocabulary's values (through ``Vocabulary.words``), so it can
# only name values the model defines. Patterns are regular expressions, matched without
# regard to case unless said otherwise.

# Words that signal each weapon. "Airstrike" is how US aircraft strike; a US strike by drone
# is "drone".
WEAPON_WORDS = WEAPONS.words(
    rocket=r"rockets?|katyushas?|multi-rocket|rocket[- ]propelled",
    drone=r"drones?|uavs?|unmanned aerial|one-way attack|loitering munitions?|samad",
    mortar=r"mortars?(?: rounds?| shells?)?",
    missile=r"(?:ballistic |cruise )?missiles?",
    airstrike=r"air ?strikes?|air raids?|warplanes?|fighter jets?|f-1[56]s?|bombers?"
    r"|aircraft|airpower|aerial (?:bombardment|strikes?)",
    artillery=r"artillery|counter-battery|howitzers?",
    ied=r"\bieds?\b|roadside bombs?|improvised explosive",
    **{
        "indirect-fire": r"indirect[- ]fire|\bidf\b",
        "small-arms": r"small[- ]arms|gunfire|machine ?guns?",
    },
)

# Wording that an attack happened: verbs and nouns whose object is a place.
ATTACK_WORDS = (
    r"attack(?:s|ed|ing)?|assaults?|target(?:s|ed|ing)?|struck|strikes?|\bhit(?:s|ting)?\b"
    r"|landed|landing|fell|impacted|fired|launch(?:ed|ing)|came under|under (?:rocket |drone )?"
    r"(?:fire|attack)|shell(?:ed|ing)|bombard(?:ed|ment)|bombing|salvos?|barrages?|volleys?"
    r"|received .{0,30}rounds|intercepted|downed|shot down|threatened|explosions?"
    r"|destroyed and neutrali[sz]ed|incidents?|retaliation"
    r"|killing of (?:[\w-]+ ){0,2}?(?:Americans?|U\.?S\.?|US)\b"  # "killing of two Americans at"
)
# "Target" as a noun (what a strike hit, what a base is) rather than the verb of an attack:
# after a determiner, a number, a possessive or a preposition, or before a preposition.
TARGET_NOUN = (
    r"(?:\b(?:the|a|an|its|their|his|her|these|those|nearby|hostile|intended|legitimate"
    r"|against|on|at|several|multiple|\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"\s+)targets?\b|\btargets?\s+(?:in|of|with|linked|were|was|is|are|as|across|after"
    r"|without|that|which|including|preparing|belonging|used|near)\b"
)
# What a target was for or someone meant to do ("sites used to store munitions and to launch
# drone strikes against American troops", "militants planning to launch drones"): an aim,
# not an incident; the weapons it names are not the incident's.
PURPOSE = (
    r"\bto (?:launch|attack|target|strike|hit|fire|shoot)\b|\b(?:planning|preparing|plotting)"
    r" to\b"
)
# Wording that makes a clause speak of what might happen, not of what did.
HYPOTHETICAL = (
    r"\b(?:possible|potential|future|would|could|might|vulnerable|risk|deter|disrupt|prevent"
    rf"|threats? (?:of|to|against))\b|{PURPOSE}"
)
# Words after which a day is when something was said, not when it happened.
SAID_ON = (
    r"\b(?:said|says|saying|speaking|spoke|told|announced|stated|statement|tweeted|wrote|added"
    r"|revealed|briefing|(?:news|press) conference|meetings?|talks|visit)\b[^.;]{0,25}$"
)
# An embedded post signed "— U.S. Central Command (@CENTCOM) January 4, 2023": its date is
# when it was posted, as a dateline is.
POSTED_ON = r"\(@\w+\)\s*$"
# Verbs of any attack, that are a US strike when US forces are their subject ("US artillery
# targeted Mayadin", "US bombers targeted two sites", "the U.S. targeted a group of bunkers",
# "the US military carried out an attack in Syria").
STRIKE_VERBS = (
    r"target(?:ed|ing)|hit|pounded|attacked|(?:carried out|conducted|launched) an? (?:\w+ )?attack"
)
US_SUBJECT = (
    r"\b(?:U\.?S\.?|American|United States|US-led|coalition)(?:[\s-]+(?:-?led|military|forces?"
    r"|troops|aircraft|jets?|warplanes|bombers|fighters?|helicopters?|gunships?|drones?"
    r"|artillery|(?:air ?)?strikes?|air|army|navy|coalition|and|F-1[56]s?|B-1s?|AC-130s?))*\s+$"
)
# Wording of a strike by US forces (with ``US_AGENT`` in the sentence, or on its own for
# words only US forces do in these reports).
STRIKE_WORDS = (
    r"air ?strikes?|air raids?|strikes?|struck|bomb(?:s|ed|ing)?|counter-battery|return(?:ed)? fire"
    r"|responded with|retaliat(?:ed|ory)|pre-?emptive|conducted .{0,40}(?:fire|strikes?)"
    r"|killed .{0,30}(?:commander|leader|militants|fighters)"
    rf"|\b(?:{STRIKE_VERBS})\b"
)
STRIKE_ONLY_US = r"counter-battery|return(?:ed)? fire|responded with"
US_AGENT = (
    r"\b(?:U\.?S\.?|American|United States|US-led|coalition|CENTCOM|Central Command|Pentagon"
    r"|Biden|Trump|Austin|Washington|White House|F-1[56]s?|B-1|AC-130)\b"
)
# A strike the article says elsewhere US forces carried out ("a U.S. official confirmed the
# strike had been carried out by American forces"): its other sentences need not say so.
US_OWNED_STRIKE = (
    r"\b(?:the|that|this)\s+(?:drone\s+|air\s*)?strikes?\b[^.;]{0,40}?\b(?:carried out|conducted"
    r"|launched)\s+by\s+(?:the\s+)?(?:U\.?S\.?|US|American|United States|coalition)\b"
)
# Others whose strikes are not US strikes.
OTHER_AGENTS = r"\b(?:Israel|Israeli|Russian?|Turkish|Turkey|Jordanian air force|IRGC['’]s)\b"

# Nouns for a place hosting US forces when the reporting does not name it.
SITE_NOUNS = (
    r"\b(?:bases?|airbases?|air bases?|outposts?|garrisons?|compounds?|facilit(?:y|ies)"
    r"|installations?|locations?|positions|troops|forces|personnel|embassy|oil ?field|gas field)\b"
)
# Words that, next to a one-word name ("Tanf", "Harir"), say it is the base.
BASE_CONTEXT = {
    "base",
    "bases",
    "airbase",
    "airbases",
    "air",
    "airfield",
    "airport",
    "garrison",
    "camp",
    "field",
    "oilfield",
    "gas",
    "oil",
    "outpost",
    "compound",
    "facility",
    "site",
    "plant",
    "installation",
    "military",
    "airstrip",
    "landing",
    "facilities",
}
# Words of a base's name that say what it is rather than which it is.
GENERIC_NAME_WORDS = BASE_CONTEXT | {
    "international",
    "mission",
    "support",
    "mss",
    "patrol",
    "zone",
    "us",
    "the",
    "complex",
    "laboratory",
    "coalition",
    "natural",
}
ARTICLES = {"al", "el", "ar", "as", "ash", "at", "ad", "an", "ez", "az", "the", "of", "in"}
# How military writing shortens the kind of place a name ends or starts with ("Erbil AB",
# "Rumalyn LZ", "MSS Euphrates", "FOB Union"): each base's names are also found so shortened.
SITE_ABBREVIATIONS = {
    ("air", "base"): "ab",
    ("airbase",): "ab",
    ("landing", "zone"): "lz",
    ("mission", "support", "site"): "mss",
    ("forward", "operating", "base"): "fob",
}

# Who said it, and so the status (the strongest found wins: confirmed, claimed, reported).
STATUS_WORDS = STATUSES.words(
    confirmed=r"\b(?:Pentagon|CENTCOM|Central Command|Operation Inherent Resolve|OIR"
    r"|Department of Defense|Defense Department|White House|State Department|Biden said"
    r"|Austin said|(?:U\.?S\.?|American|coalition|military|defen[cs]e|security|Iraqi|Kurdish"
    r"|government) officials?|coalition (?:said|statement|spokes(?:man|person)|official)"
    r"|(?:US|U\.S\.|the) military (?:said|says|confirmed|announced|statement)"
    r"|(?:US|U\.S\.)(?:-led)? (?:forces|officials|military|coalition) (?:said|confirmed)"
    r"|spokes(?:man|person) for the (?:US|U\.S\.)|Security Media Cell"
    r"|Counter[- ]?[Tt]errorism (?:Unit|Service|service|Group|[Dd]irectorate|[Aa]gency)"
    r"|(?:Directorate|Directorate General|General Directorate) of Counter[- ]?[Tt]errorism"
    r"|Kurdistan (?:counter-?terrorism|CT)|Interior Ministry"
    r"|Ministry of (?:Defen[cs]e|Interior)|Iraqi (?:military|army|security forces) (?:said|says)"
    r"|Iraqi and U\.?S\.? militaries|US-led coalition said|the coalition said"
    r"|Colonel|Col\.|Maj\. Gen\.|Brig\. Gen\.|Lt\. Gen\.|Gen\.|Maratto|Marotto|Buccino|Kirby"
    r"|Ryder|Singh|Combined Joint Task Force|CJTF"
    # an official or a statement of the forces involved: "an official for the US-led
    # coalition", "an Iraqi military statement", "a statement from the US ...", "according
    # to Iraqi security forces"
    r"|officials? (?:for|of|from|with) the (?:US-led |U\.S\.-led )?coalition"
    r"|(?:U\.?S\.?|American|Iraqi|coalition|Kurdish)(?: military| army| security forces)?"
    r" statement|statement (?:from|by|of) the (?:U\.?S\.?|American|Iraqi|coalition|Kurdish)"
    r"|according to (?:the )?Iraqi (?:military|army|security forces))\b",
    claimed=r"claim(?:ed|s|ing)? (?:the |of )?(?:responsibility|credit)|claimed (?:the|an?) "
    r"(?:attack|strike|bombing)|took responsibility|taken responsibility|claimed by"
    r"|declared (?:that it|the attack|it had)|announced .{0,40}(?:successfully|targeted|targeting)"
    r"|said it (?:had )?(?:targeted|attacked|launched)"
    r"|claimed (?:that )?(?:they|it) (?:had )?(?:targeted|attacked|launched|struck|hit)",
    reported=r"\b(?:reported|reports?|according to|sources?|monitor|Observatory|SOHR"
    r"|correspondent|state media|local media|activists?|witness(?:es)?|reportedly)\b",
)
# An official source that did not (yet) speak does not confirm.
NOT_CONFIRMED = (
    r"(?:not|never|yet to|did not|didn't|had not|has not|declined to) (?:yet )?"
    r"(?:immediately )?(?:comment|confirm|provided? a comment|identif)|no (?:official )?"
    r"(?:comment|confirmation)|unconfirmed|could not (?:immediately )?(?:confirm|say)"
    r"|has not been confirmed|denied|no attack"
)
# An official word said not to exist: "there was no immediate statement from the US side".
NO_OFFICIAL_WORD = r"\b(?:no|not|never|without)\s+(?:\w+\s+){0,2}$"
# A claim denied, a habit rather than a claim, or a claim of other attacks: "no group has
# claimed responsibility", "such assaults are typically claimed by …", "not usually claimed
# by any group", "similar attacks in the past weeks were claimed by …".
NOT_CLAIMED = (
    r"\b(?:no|not|never|nobody|no one|yet to|without)\b[^.;,]{0,30}$"
    r"|\b(?:typically|usually|generally|often|normally|commonly)\s+$"
    r"|\b(?:similar|previous|past|earlier|other)\s+(?:[\w-]+\s+)?attacks\b[^.;,]{0,30}$"
)
# An article an official body publishes (a press release) confirms what it reports.
OFFICIAL_PUBLISHER = (
    r"\b(?:Central Command|CENTCOM|Department of Defense|Defense Department|Pentagon"
    r"|Operation Inherent Resolve|State Department|White House)\b"
)
OFFICIAL_SITE = r"^https?://(?:[\w-]+\.)*[\w-]+\.(?:mil|gov)(?:/|$)"
# Who is to blame, and how it is known.
BLAME_WORDS = (
    r"blam(?:ed|es|ing)|attribut(?:ed|es)|behind|carried out by|launched by|fired by"
    r"|by (?:the )?Iran|held responsible|accused"
)
SUSPECT_WORDS = r"\b(?:likely|suspected|believed|possibl[ey]|probabl[ey]|appear(?:s|ed)? to)\b"

# Wording that puts an incident in the past of the story: it is recalled, not reported.
BACKGROUND_CUES = (
    r"\bsince\b|\bearlier this (?:month|year)|\blast (?:month|year)|\bthis (?:month|year)\b"
    r"|\b(?:months?|years?) ago\b|\banniversary\b|\bpreviously\b|\bin the past\b"
    r"|\bthe last (?:time|attack)\b|\bthe (?:first|latest|last) (?:such )?(?:attack )?since\b"
    r"|\bprevious\b(?! (?:day|night|evening|morning|afternoon))"
    r"|\bthe (?:last|previous) (?:two|three|four|few|several|\d+)\b"
    r"|\bthe latest (?:in|of)\b|\bwas the (?:\w+(?:st|nd|rd|th))\b|\b\d+(?:st|nd|rd|th) "
    r"(?:attack|against)\b|\bhave been (?:\w+ ){0,3}attacks\b|\bover the past\b"
    r"|\bthroughout\b|\bsporadic(?:ally)?\b|\brecent (?:months|weeks|years)\b|\blast week\b"
    r"|\bfor the first time\b|\bonce again\b|\bwas (?:also )?previously (?:attacked|targeted|hit)"
    r"|\bwas also (?:attacked|targeted|hit) last\b|\btwo years\b|\bin recent\b"
    r"|\b(?:\w+ )?(?:days?|weeks?|months?) (?:before|earlier)\b"
    r"|\b(?:series|string|spate|wave|cycle) of (?:\w+\s+){0,3}?"
    r"\w*(?:attacks|strikes|incidents|escalation)\b"
    r"|\brecent\b|\bfrequent(?:ly)?\b|\bregularly\b|\brepeatedly\b"
    # attacks in the plural that "have hit" places: what they have done so far, a summary
    r"|\b(?:attacks|strikes)\b[\w\s,]{0,40}\bhave (?:also )?(?:hit|targeted|struck)\b"
)
# Wording that points back to an earlier incident; it is background when that is more than
# ``RECENT_CAUSE`` days before the article (a strike "in response to" today's attack is news).
CAUSE_CUES = (
    r"\b(?:in response to|in retaliation for|retaliation (?:for|against)|in reprisal for"
    r"|(?:in )?revenge for|after|following"
    r"|earlier|followed up|follows?|followed|the day (?:before|prior)|a day (?:after|before)"
    r"|comes? after|came after"
    r"|came in response|answer(?:ed|ing)? to|like the ones?|such as|including|avenge)\b"
)
# How many days before the article an incident can be and still be its news.
RECENT_DAYS = 10
# ... when the article dates it from its own day ("on Sunday", "last Tuesday", "last week"):
# news names the weekday of the last day or two; a weekday further back recalls.
RECENT_RELATIVE = 3
RECENT_CAUSE = 1
# Tallies of attacks: "at least 19 rocket and drone attacks", "the 26th attack".
TALLY = re.compile(
    r"\b(?P<n>\d[\d,]*|dozens|scores|hundreds)\+?\s+(?:[^\W\d]+\s+){0,4}?(?:attacks|strikes)\b"
    r"|\b(?P<nth>\d+(?:st|nd|rd|th))\s+(?:attack|against)\b",
    re.I,
)

# Weekdays and relative days, as the reporting writes them.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RELATIVE_DAYS = {  # days before the publication date
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "earlier today": 0,
    "overnight": 0,
    "yesterday": 1,
    "last night": 1,
}
# Holidays of a fixed day that the reporting dates by ("on Christmas Day"): (month, day).
HOLIDAYS = {
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "new year’s day": (1, 1),
    "new year’s eve": (12, 31),
}
# Offsets from the date of the sentence's own event: "a day after" the strikes…
DAY_BEFORE = re.compile(
    r"\b(?:the|a|one) day (?:before|prior|earlier)|\ba day after\b"
    r"|\bthe day following\b|\bthe previous day\b|\bthe prior evening",
    re.I,
)
US_TIME_ZONES = {"est": -5, "et": -5, "edt": -4, "eastern": -5, "washington time": -5}
LOCAL_HOURS = 3  # Iraq, Syria and Jordan: UTC+3 (no summer time since 2022; near enough)

# Places that are not bases: provinces, towns and regions strikes hit, with their country.
PLACES = {
    "Iraq": (
        "Baghdad",
        "Green Zone",
        "Anbar",
        "Al Anbar",
        "Erbil",
        "Irbil",
        "Arbil",
        "Kirkuk",
        "Mosul",
        "Nineveh",
        "Basra",
        "Babil",
        "Babylon",
        "Jurf al-Sakhr",
        "Jurf al-Saqr",
        "Jurf al-Nasr",
        "Jurf al-Naser",
        "Musayyib",
        "Al-Qa'im",
        "Qaim",
        "Karbala",
        "Najaf",
        "Diyala",
        "Salahuddin",
        "Salah al-Din",
        "Tikrit",
        "Samarra",
        "Fallujah",
        "Ramadi",
        "Haditha",
        "Rutba",
        "Akashat",
        "Duhok",
        "Sulaymaniyah",
        "Kurdistan Region",
        "Iraqi Kurdistan",
        "Mashtal",
        "Sadr City",
        "Al-Sa'idat",
        "Baghdadi",
        "al-Baghdadi",
    ),
    "Syria": (
        "Deir ez-Zor",
        "Deir al-Zor",
        "Deir Ezzor",
        "Deir el-Zour",
        "Deir ez Zor",
        "Dayr az Zawr",
        "Deir al-Zour",
        "Deir Ezzor province",
        "Al-Mayadin",
        "Mayadin",
        "Mayadeen",
        "Abu Kamal",
        "Albukamal",
        "Al Bukamal",
        "Boukamal",
        "Bukamal",
        "Abukamal",
        "Hasakah",
        "al-Hasakah",
        "Hasaka",
        "Hasakeh",
        "al-Hasaka",
        "Raqqa",
        "Homs",
        "Palmyra",
        "Damascus",
        "Aleppo",
        "Qamishli",
        "Saker Island",
        "Khasham",
        "Hajin",
        "Busayrah",
        "Tal Tamr",
        "Manbij",
        "Kobani",
    ),
    "Jordan": ("Rukban", "Mafraq", "Amman"),
}
# Places that are regions of several provinces: an unnamed site there may be any base in them.
REGIONS = {"kurdistan region", "iraqi kurdistan", "green zone"}
BORDER = re.compile(
    r"\b(?:Iraq[- –]Syria|Syria[- –]Iraq|Iraqi[- –]Syrian|Syrian[- –]Iraqi) border"
    r"|\bborder (?:of|between) Iraq and Syria|\bborder (?:of|between) Syria and Iraq",
    re.I,
)
DEMONYMS = {"Iraq": "Iraqi", "Syria": "Syrian", "Jordan": "Jordanian", "Lebanon": "Lebanese"}

# Numbers in words, as counts of rockets, troops and targets.
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "a dozen": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
}
NUMBER = r"(?:\d[\d,]*|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
QUANTITY = (
    rf"(?P<q>(?:at least|more than|over|up to|nearly|about|around|some|approximately)\s+)?"
    rf"(?P<n>{NUMBER}|several|multiple|a number of|a small number of|a handful of|dozens of)"
)
PROJECTILES = r"rockets?|drones?|missiles?|rounds?|shells?|projectiles?|uavs?|katyushas?|mortars?"
# Sides of casualties: the words that name each side's people.
SIDE_WORDS = SIDES.words(
    us=r"(?:U\.?S\.?|American|United States)\s+(?:[\w-]+\s+){0,2}?(?:troops?|soldiers?|"
    r"service ?(?:members?|men|women)|personnel|contractors?|citizens?|nationals?|sailors|"
    r"airmen|marines|civilian contractors?)|Americans?",
    coalition=r"(?:British|UK|French|Italian|Australian|coalition|foreign)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:troops?|soldiers?|service ?members?|personnel|contractors?|forces|service member)",
    partner=r"(?:Iraqi|Kurdish|SDF|Peshmerga)\s+(?:[\w-]+\s+){0,2}?(?:troops?|soldiers?|"
    r"service ?members?|personnel|forces|officers?|police(?:m[ae]n)?|fighters)"
    r"|police officers?|security forces",
    civilian=r"civilians?",
    militant=r"militants?|(?:PMF |militia )?fighters|militiamen|commanders?|members of the",
)
HURT = OUTCOMES.words(killed=r"killed|dead|died|deaths?", injured=r"wounded|injured|hurt|injuries")
HURTING = OUTCOMES.words(
    killed=r"killed|killing", injured=r"wounded|wounding|injured|injuring|left"
)
# The weapons a US strike is made with, as reports put them (a rocket in a strike's sentence
# is the attack it answered).
STRIKE_WEAPONS = WEAPONS.words(
    airstrike="aircraft, warplanes",
    drone="armed drones",
    artillery="guns, counter-battery fire",
    missile="missiles",
)


class DraftError(GeneratorError):
    """An article cannot be read (a missing file, a page that will not load)."""


# --- 1. the article --------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """An article as text, with what is known of where it was published."""

    text: str
    name: str  # where it came from: a path, '-' or a web address
    title: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None


def read_article(
    source: str,
    *,
    title: str | None = None,
    publisher: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
    stdin: bytes | None = None,
) -> Article:
    """Read an article from a file, '-' (standard input) or an http(s) address.

    HTML gives its text and metadata through trafilatura; a text or Markdown file may
    start with a header of ``url:``, ``publisher:``, ``title:`` and ``published:`` lines
    ended by ``---`` (or YAML front matter), and a dateline in the text gives the date.
    Options given here win over what the article says.
    """
    if source.startswith(("http://", "https://")):
        raw = _fetch(source)
        url = url or source
    elif source == "-":
        raw = stdin if stdin is not None else sys.stdin.buffer.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise DraftError(f"{source}: no such file; give a text, Markdown or HTML file")
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            raise DraftError(f"{source}: the file is over {MAX_ARTICLE_BYTES // 2**20} MB")
        raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    found = _from_html(text) if _looks_like_html(source, text) else _from_text(text)
    body = str(found.pop("text"))
    meta: dict[str, Any] = {k: v for k, v in found.items() if v}
    day = published or _day_or_none(meta.get("published")) or dateline(body)
    return Article(
        text=body,
        name=source,
        title=title or meta.get("title"),
        publisher=publisher or meta.get("publisher"),
        published=day,
        url=url or meta.get("url"),
    )


def _fetch(address: str) -> bytes:
    request = urllib.request.Request(address, headers={"User-Agent": "incident-tracker draft"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            data: bytes = response.read(MAX_ARTICLE_BYTES + 1)
    except (OSError, ValueError) as e:
        raise DraftError(
            f"{address}: could not be fetched ({e}); save the page and give the file instead"
        ) from None
    return data


def _looks_like_html(source: str, text: str) -> bool:
    if source.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _from_html(html: str) -> dict[str, Any]:
    import trafilatura  # only for HTML: it takes a moment to load

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None:
        raise DraftError("the page holds no article text that could be found")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {
        "text": str(meta.get("text") or ""),
        "title": meta.get("title"),
        "publisher": meta.get("sitename") or meta.get("hostname"),
        "published": meta.get("date"),
        "url": meta.get("url"),
    }


_HEADER_LINE = re.compile(r"^(url|publisher|title|published|date|source):\s*(.*)$", re.I)


def _from_text(text: str) -> dict[str, Any]:
    """A text or Markdown article, with the header (or front matter) it may start with."""
    text = strip_invisible(text.replace("\r\n", "\n"))
    meta: dict[str, Any] = {}
    lines = text.split("\n")
    start = 1 if lines and lines[0].strip() == "---" else 0
    for n in range(start, min(len(lines), 12)):
        if lines[n].strip() == "---":
            found = [_HEADER_LINE.match(line.strip()) for line in lines[start:n]]
            if n > start and all(found):
                for m in found:
                    if m is not None:
                        key = {"date": "published", "source": "publisher"}.get(
                            m.group(1).lower(), m.group(1).lower()
                        )
                        meta[key] = m.group(2).strip().strip("'\"") or None
                text = "\n".join(lines[n + 1 :])
            break
    if meta.get("title", "").startswith("(") if meta.get("title") else False:
        meta["title"] = None
    if meta.get("title"):
        meta["title"] = re.sub(r"\s*\((?:best guess|title not)[^)]*\)\s*$", "", meta["title"])
    lead = re.match(r"\s*date:?\s+(\d{4}-\d{2}-\d{2})\b\s*", text)
    if lead:  # a page's date printed before its text ("date 2021-03-04 A US …")
        meta.setdefault("published", lead.group(1))
        text = text[lead.end() :]
    return {"text": _markdown_to_text(text), **meta}


def _markdown_to_text(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links: their words
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text, flags=re.M)  # headings
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return text


def _day_or_none(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
        if m:
            try:
                return dt.date.fromisoformat(m.group(1))
            except ValueError:
                return None
    return None


_MONTHS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, 1)}
_MONTHS.update({name[:3].lower(): n for name, n in zip(MONTH_NAMES, range(1, 13), strict=True)})
_MONTHS["sept"] = 9
MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATELINE = (
    re.compile(rf"\b(?P<m>{MONTH})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{MONTH})\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<y>\d{4})-(?P<mm>\d{2})-(?P<d>\d{2})\b"),
    re.compile(r"\b(?P<mm>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})\b"),
)


def dateline(text: str) -> dt.date | None:
    """The publication date a text prints on a line of its own ("Published: May 3, 2023",
    "Tue, 01/04/2022 – 20:25", "August 12, 2023"), near its top or bottom."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    candidates = lines[:12] + lines[-6:]
    for line in candidates:
        if len(line) > 90:
            continue
        for pattern in _DATELINE:
            m = pattern.search(line)
            if m is None:
                continue
            rest = pattern.sub(" ", line)
            rest = re.sub(
                r"(?i)\b(?:published|updated|posted|date|by|on|at|am|pm|a\.m\.|p\.m\.|"
                r"utc|gmt|et|est|[a-z]{3,9}day|mon|tue|wed|thu|fri|sat|sun)\b|[\d:|,–—-]",
                " ",
                rest,
            )
            if len(rest.split()) <= 4:
                day = _ymd(m)
                if day is not None:
                    return day
    return None


def _ymd(m: re.Match[str]) -> dt.date | None:
    groups = m.groupdict()
    month = int(groups["mm"]) if groups.get("mm") else _MONTHS.get(groups["m"].lower().rstrip("."))
    try:
        return dt.date(int(groups["y"]), month or 0, int(groups["d"]))
    except (ValueError, TypeError):
        return None


# --- 2. sentences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    n: int  # its place in the article
    paragraph: int
    text: str
    heading: bool = False  # a headline or title line: it names, it does not report


_ABBREVIATIONS = (
    r"(?:U\.S|U\.K|U\.N|Mr|Mrs|Ms|Dr|Gen|Col|Lt|Maj|Sgt|Capt|Brig|Adm|Sen|Rep|Gov|St|No|Jan|Feb"
    r"|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|a\.m|p\.m|e\.g|i\.e|vs|Inc|Co|Ltd|Jr|approx"
    r"|[A-Z])"
)
_BOUNDARY = re.compile(r"(?<=[.!?])([\"”’)\]]*)\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATED = re.compile(rf"(?:^|[\s(])({_ABBREVIATIONS})\.$")


def _split(paragraph: str) -> list[str]:
    """A paragraph's sentences: at an end mark before a capital, unless it ends 'U.S.' or
    'Col.'."""
    out, start = [], 0
    for m in _BOUNDARY.finditer(paragraph):
        if _ABBREVIATED.search(paragraph[start : m.start()]):
            continue
        end = m.start() + len(m.group(1))
        out.append(paragraph[start:end])
        start = m.end()
    out.append(paragraph[start:])
    return out


def sentences(text: str) -> list[Sentence]:
    """The article's sentences, in order, each with its paragraph.

    A line is a paragraph, unless the text is wrapped (most lines long and without an end
    mark), when blank lines separate paragraphs.
    """
    text = strip_invisible(text.replace("\r\n", "\n"))
    lines = [line.strip() for line in text.split("\n")]
    full = [line for line in lines if line]
    wrapped = (
        len(full) >= 5
        and sum(50 <= len(line) <= 100 and not re.search(r"[.!?:\"”’)]$", line) for line in full)
        >= len(full) / 2
    )
    if wrapped:
        paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    else:
        paragraphs = full
    out: list[Sentence] = []
    paragraphs = [p for p in paragraphs if p]
    for p, paragraph in enumerate(paragraphs):
        last = p == len(paragraphs) - 1
        heading = _is_heading(paragraph) or (
            not last and len(paragraph) < 160 and not re.search(r"[.!?:\"”’)]$", paragraph)
        )
        for piece in _split(paragraph):
            piece = clean(piece or "")
            if len(piece) >= 3:
                out.append(Sentence(len(out), p, piece, heading))
    return out


def _is_heading(line: str) -> bool:
    """A headline: no end mark, and most words capitalised (or short)."""
    if re.search(r"[.!?\"”:]$", line):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    if not words:
        return True
    capitals = sum(w[0].isupper() for w in words)
    return capitals >= 0.7 * len(words) or len(line.split()) <= 4


# --- 3. places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    key: str
    start: int
    end: int
    capital: bool


_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:['’][^\W_]+)*")


def tokens(text: str) -> list[Token]:
    """Words, compared as ``name_key`` compares names: 'U.S.' is 'us', "Kirkuk’s" 'kirkuk'."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group()
        key = name_key(word.replace(".", "") if "." in word else word)
        key = re.sub(r"'s$", "", key)
        out.append(Token(key, m.start(), m.end(), word[:1].isupper()))
    return out


@dataclass(frozen=True)
class Place:
    """Where a mention happened: a base of the data, or a named place and its country."""

    base: str | None = None
    location: str | None = None
    country: str | None = None
    start: int = 0
    end: int = 0
    province: str | None = None  # for an unnamed site: its province or town, if given

    @property
    def key(self) -> tuple[str | None, str | None]:
        return (self.base, None if self.base else name_key(self.location or self.country or ""))


class Gazetteer:
    """The names the article's places are found by: the data folder's bases (by their
    names and aliases, through its ``NameIndex``; misspellings through rapidfuzz), the
    dataset's countries, and the provinces and towns of ``PLACES``."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        index: NameIndex = dataset.base_names
        self.full: dict[tuple[str, ...], str] = {}
        self.signature: dict[str, str] = {}  # distinctive words of a name -> base id
        self.single: dict[str, str] = {}  # one distinctive word -> base id (needs context)
        clash: set[str] = set()
        names = {b.id: (b.name, *b.aliases) for b in dataset.bases}
        for base_id, base_names in names.items():
            for name in (*base_names, base_id.replace("-", " ")):
                words = tuple(t.key for t in tokens(name))
                if not words:
                    continue
                self.full.setdefault(words, base_id)
                for short in _abbreviated(words):
                    self.full.setdefault(short, base_id)
                core = _core(words)
                distinctive = [w for w in core if w not in ARTICLES]
                if not distinctive:
                    continue
                sig = " ".join(distinctive)
                if len(distinctive) == 1:
                    if self.single.setdefault(sig, base_id) != base_id:
                        clash.add(sig)
                elif self.signature.setdefault(sig, base_id) != base_id:
                    clash.add(sig)
        not_bases = {name_key(t) for group in PLACES.values() for t in group}
        not_bases |= {name_key(c) for c in dataset.info.countries}
        not_bases |= {name_key(b.province) for b in dataset.bases if b.province}
        for sig in clash | {k for k in [*self.single, *self.signature] if k in not_bases}:
            self.single.pop(sig, None)
            self.signature.pop(sig, None)
        self.index = index
        self.fuzzy_choices = sorted(self.signature)
        self.countries = {c: c for c in dataset.info.countries}
        self.places: dict[tuple[str, ...], tuple[str, str]] = {}  # words -> (name, country)
        for country, towns in PLACES.items():
            if country in self.countries:
                for town in towns:
                    self.places.setdefault(tuple(t.key for t in tokens(town)), (town, country))
        for base in dataset.bases:
            if base.province:
                words = tuple(t.key for t in tokens(base.province))
                self.places.setdefault(words, (base.province, base.country))
        for incident in dataset.incidents:
            if incident.location and incident.country and incident.base is None:
                words = tuple(t.key for t in tokens(incident.location))
                if 0 < len(words) <= 4:
                    self.places.setdefault(words, (incident.location, incident.country))
        self.country_words: dict[str, str] = {}
        for country in self.countries:
            self.country_words[name_key(country)] = country
            if country in DEMONYMS:
                self.country_words[name_key(DEMONYMS[country])] = country

    def bases_in(self, text: str, words: list[Token]) -> list[Place]:
        """The data's bases the text names, longest names first, each once per span."""
        found: list[Place] = []
        n = 0
        while n < len(words):
            hit = self._match_at(words, n, found)
            if hit is None:
                n += 1
                continue
            base_id, length = hit
            end = n + length
            while end < len(words) and words[end].key in BASE_CONTEXT and end - n < 8:
                end += 1
            found.append(
                Place(
                    base=base_id,
                    start=words[n].start,
                    end=words[end - 1].end,
                    country=self.dataset.base_by_id[base_id].country,
                )
            )
            n = end
        return found

    def _match_at(self, words: list[Token], n: int, found: list[Place]) -> tuple[str, int] | None:
        for length in range(min(7, len(words) - n), 0, -1):
            keys = tuple(w.key for w in words[n : n + length])
            if keys in self.full:
                return self.full[keys], length
            core = [w for w in _core(keys) if w not in ARTICLES]
            if not core or (keys[0] in ARTICLES and length == 1):
                continue
            if keys[-1] in ARTICLES or (keys[0] in GENERIC_NAME_WORDS and len(core) == 1):
                continue
            sig = " ".join(core)
            if len(core) >= 2 and sig in self.signature and len(_core(keys)) == len(keys):
                return self.signature[sig], length
            if (
                len(core) == 1
                and length <= 2
                and sig in self.single
                and self._in_context(words, n, length, found)
            ):
                return self.single[sig], length
        # a misspelt name: two to four capitalised words close to a name of the data
        for length in range(min(4, len(words) - n), 1, -1):
            span = words[n : n + length]
            if not span[0].capital or not span[-1].capital:
                continue
            core = [w for w in _core(tuple(t.key for t in span)) if w not in ARTICLES]
            sig = " ".join(core)
            if len(core) < 2 or len(sig) < 7:
                continue
            best = process.extractOne(sig, self.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=88)
            if best is not None:
                return self.signature[best[0]], length
        word = words[n]
        if word.capital and len(word.key) >= 6 and word.key not in ARTICLES:
            close = process.extractOne(
                word.key, list(self.single), scorer=fuzz.ratio, score_cutoff=86
            )
            if close is not None and self._in_context(words, n, 1, found):
                return self.single[close[0]], 1
        return None

    def _in_context(self, words: list[Token], n: int, length: int, found: list[Place]) -> bool:
        near = [w.key for w in words[max(0, n - 3) : n]] + [
            w.key for w in words[n + length : n + length + 3]
        ]
        if any(w in BASE_CONTEXT for w in near):
            return True
        return bool(found) and words[n].start - found[-1].end < 12

    def places_in(self, text: str, words: list[Token]) -> list[Place]:
        """Provinces, towns and countries the text names (not bases), each with its country."""
        out: list[Place] = []
        for m in BORDER.finditer(text):
            out.append(
                Place(
                    location="Iraq–Syria border region",
                    country="Iraq and Syria",
                    start=m.start(),
                    end=m.end(),
                )
            )
        n = 0
        while n < len(words):
            for length in range(min(4, len(words) - n), 0, -1):
                span = tuple(w.key for w in words[n : n + length])
                if span in self.places and (words[n].capital or length > 1):
                    name, country = self.places[span]
                    start, end = words[n].start, words[n + length - 1].end
                    if not any(p.start <= start < p.end for p in out):
                        out.append(Place(location=name, country=country, start=start, end=end))
                    n += length - 1
                    break
                if length == 1 and span[0] in self.country_words and words[n].capital:
                    start, end = words[n].start, words[n].end
                    if not any(p.start <= start < p.end for p in out):
                        out.append(Place(country=self.country_words[span[0]], start=start, end=end))
            n += 1
        return sorted(out, key=lambda p: p.start)


def _abbreviated(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A name's words with the kind of place shortened as ``SITE_ABBREVIATIONS`` says."""
    out = []
    for long, short in SITE_ABBREVIATIONS.items():
        for n in range(len(words) - len(long) + 1):
            if words[n : n + len(long)] == long:
                out.append((*words[:n], short, *words[n + len(long) :]))
    return out


def _core(words: tuple[str, ...]) -> tuple[str, ...]:
    """A name without the words at its ends that only say what kind of place it is."""
    start, end = 0, len(words)
    while start < end and words[start] in GENERIC_NAME_WORDS:
        start += 1
    while end > start and words[end - 1] in GENERIC_NAME_WORDS:
        end -= 1
    return words[start:end]


# --- 4. dates ----------------------------------------------------------------------------------


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


# Dates are read by these patterns, not by dateparser's search_dates: tried on articles
# published on a Monday, it read "on Friday" as 2 January, "on Monday" as the week before
# and "Aug. 15" as 2 August, at 70 ms a sentence; news dates need the publication's week.
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night|early morning))?"
_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>20\d{2})-(?P<mm>\d{2})-(?P<d>\d{2})\b")),
    (
        "mdy",
        re.compile(
            rf"\b(?:{_WEEKDAY},?\s+)?(?P<m>{MONTH})\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
            rf"(?:\s*[-–]\s*(?P<d2>\d{{1,2}}))?(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?\b",
            re.I,
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MONTH})"
            rf"(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?\b",
            re.I,
        ),
    ),
    ("holiday", re.compile(r"\b(?P<h>" + "|".join(HOLIDAYS) + r")\b", re.I)),
    (
        "slash",
        re.compile(
            r"\((?P<mm>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{2,4}))?\)"
            r"|\b(?P<mm2>\d{1,2})/(?P<d3>\d{1,2})/(?P<y2>\d{4})\b"
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:(?:early|mid|late|the end of|end of|the beginning of)[- ]?)?"
            rf"(?P<m>{MONTH})(?:\s*(?P<y>(?:19|20)\d{{2}}))?\b",
            re.I,
        ),
    ),
    ("year", re.compile(r"\b(?:in|since|of|early|late)\s+(?P<y>(?:19|20)\d{2})\b", re.I)),
    (
        "weekday",
        re.compile(
            rf"\b(?P<mod>last|this|late|early|on|past)?\s*(?:on\s+)?"
            rf"(?P<w>{_WEEKDAY})(?:['’]s)?{_PART}\b",
            re.I,
        ),
    ),
    ("same", re.compile(r"\b(?:on )?(?:that|the) same day\b", re.I)),
    (
        "relative",
        re.compile(
            r"\b(?P<r>earlier today|today|tonight|this morning|this afternoon"
            r"|this evening|yesterday|last night|overnight)\b",
            re.I,
        ),
    ),
    (
        "week",
        re.compile(
            r"\b(?P<r>earlier this week|this week|last week|a week ago"
            r"|(?P<k>\w+) days? ago)\b",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?:\w+ )?(?:years?|months?) ago\b|\blast (?:year|month)\b"
            r"|\bearlier this (?:year|month)\b",
            re.I,
        ),
    ),
]
_SAID_ON = re.compile(SAID_ON, re.I)
_POSTED_ON = re.compile(POSTED_ON)
_TIME = re.compile(
    r"\b(?P<h>\d{1,2})(?:[:.](?P<min>\d{2}))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)?\s*"
    r"\(?(?P<tz>EST|EDT|ET|Eastern|Washington time|local time|Baghdad time|Iraq time"
    r"|Syria time)?\)?",
    re.I,
)


def dates_in(text: str, published: dt.date | None) -> list[When]:
    """Every date the sentence gives, resolved against the publication date where relative."""
    found: list[When] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return not any(s < m.end() and m.start() < e for s, e in taken)

    quoted = _quoted_spans(text)
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if not free(m):
                continue
            when = _resolve(kind, m, text, published, quoted)
            said = text[max(0, m.start() - 60) : m.start()]
            if when is not None and (_SAID_ON.search(said) or _POSTED_ON.search(said)):
                when = dataclasses.replace(when, weak=True)
            if when is not None and re.search(
                r"\b(?:since|from|until|through)\s+(?:mid-|early |late )?$",
                text[max(0, m.start() - 12) : m.start()],
                re.I,
            ):
                when = dataclasses.replace(when, old=True)
            if when is not None:
                found.append(when)
                taken.append((m.start(), m.end()))
    for m in DAY_BEFORE.finditer(text):
        found.append(When(None, "day", m.group(), m.start(), m.end(), relative=True, offset=1))
    return sorted(found, key=lambda w: w.start)


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
        month = int(g.get("mm") or g.get("mm2") or 0) or _MONTHS.get(
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
        month = _MONTHS.get(g["m"].lower().rstrip("."))
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
        if published is not None and int(g["y"]) >= published.year:
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


# --- 5. mentions: a clause that reports an attack or a strike at a place -----------------------


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    cue: str  # the word that opens it ("after", "while", …), '' for the first


# Where a sentence's clauses meet; what an incident led to ("…, sparking fears as the
# anniversary nears") is a clause of its own, and what it recalls is not the incident's.
_CLAUSE_BREAK = re.compile(
    r",\s*and\s+(?:then\s+)?|\s+and\s+then\s+|\s+and\s+(?=\w+ing\b)|;\s*|\s+[—–]\s+|"
    r"(?<!\bthe day)(?<!\ba day)(?<!days)(?<!weeks)(?<!months)(?<!years)(?<!hours),?\s+"
    r"(?=(?:while|whereas|but|though|although|after|following"
    r"|follows?"
    r"|before|which|who|when|prompting|sparking|raising|triggering|fuell?ing"
    r"|since|amid"
    r"|including|comes? after|came after|in (?:response|retaliation|reprisal) (?:to|for)"
    r"|retaliation (?:for|against)|in revenge for|a day after"
    r"|the day (?:following|after|before|prior)|as well as"
    r"|(?:its|a|the) (?:first )?response to|days after|hours after|followed by)\b)",
    re.I,
)


def clauses(text: str) -> list[Clause]:
    out = []
    start, cue = 0, ""
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > start:
            out.append(Clause(start, m.start(), cue))
        start = m.end()
        cue = text[m.end() : m.end() + 24].split(",")[0].lower()
    out.append(Clause(start, len(text), cue))
    return out


@dataclass
class Mention:
    """One report of an incident in one clause of one sentence."""

    sentence: Sentence
    kind: str
    place: Place
    when: When | None
    weapons: tuple[str, ...]
    clause: Clause
    cue: str | None = None  # background wording in its clause
    cause: str | None = None  # wording that points back ("after", "in response to")
    responds: bool = False  # a strike that answers an attack
    context_date: bool = False  # dated from the sentence before
    inherited: bool = False  # dated by its sentence's main event, not in its own clause
    again: bool = False  # "for the second time": another incident at the same place and day
    referred: bool = False  # the place is "the base" of a sentence before


_ATTACK = re.compile(rf"\b(?:{ATTACK_WORDS})", re.I)
_TARGET_NOUN = re.compile(TARGET_NOUN, re.I)
_STRIKE = re.compile(rf"\b(?:{STRIKE_WORDS})", re.I)
_STRIKE_ONLY_US = re.compile(STRIKE_ONLY_US, re.I)
_STRIKE_VERB = re.compile(STRIKE_VERBS, re.I)
_US_SUBJECT = re.compile(US_SUBJECT, re.I)
_US = re.compile(US_AGENT)
_OTHER = re.compile(OTHER_AGENTS)
_US_OWNED = re.compile(US_OWNED_STRIKE, re.I)
_SITE = re.compile(SITE_NOUNS, re.I)
_WEAPONS = [(w, re.compile(rf"(?<![\w-])(?:{p})(?![\w])", re.I)) for w, p in WEAPON_WORDS.items()]
_BACKGROUND = re.compile(BACKGROUND_CUES, re.I)
_TARGET_AFTER = re.compile(
    r"[\w-]+(?:\s+and\s+[\w-]+)?\s+(?:launch\s+)?(?:posts?|launchers?|sites?|facilit(?:y|ies)|storage"
    r"|depots?|positions?|teams?|rails?|caches?|points?|vehicles?)\b",
    re.I,
)
# What a strike answered, up to the comma that ends it ("In response to the drone attacks,
# US forces fired artillery"): its weapons are the attack's, not the strike's.
_ANSWERED = re.compile(r"\b(?:in response to|in retaliation for|after|following)\b[^,;]*$", re.I)
_WATCHING = re.compile(r"\b(?:reconnaissance|surveillance|spy|observation)\s+$", re.I)
_CAUSE = re.compile(CAUSE_CUES, re.I)
_RESPONSE = re.compile(
    r"respon(?:d|se|ded)|retaliat|return(?:ed)? fire|counter-battery"
    r"|self-defen[cs]e|reprisal",
    re.I,
)
_ATTACKER_STRIKE = re.compile(
    r"(?:rocket|missile|suicide drone|drone|mortar)s?\s+strikes?\b"
    r"|\b(?:rockets?|missiles?|drones?|shells?|rounds?|projectiles?)\s+"
    r"(?:\w+\s+)?struck",
    re.I,
)


def weapons_in(text: str) -> list[tuple[int, str]]:
    """The weapons the text names, by position; not the aircraft that only watch
    ("reconnaissance drones")."""
    found = []
    for weapon, pattern in _WEAPONS:
        for m in pattern.finditer(text):
            if not _WATCHING.search(text[max(0, m.start() - 20) : m.start()]):
                found.append((m.start(), weapon))
    return sorted(found)


def find_mentions(
    found: list[Sentence], gazetteer: Gazetteer, published: dt.date | None
) -> list[Mention]:
    """Every clause that reports an attack on a place hosting US forces or a US strike.

    A mention without a date of its own, in a sentence without one, takes the date of the
    incident told in the sentences just before (news tells one day's events together);
    "that same day" takes it too.
    """
    out: list[Mention] = []
    recent: list[tuple[int, list[Mention], list[When]]] = []  # the last sentences' dates
    owned = any(_US_OWNED.search(s.text) for s in found)
    for sentence in found:
        here = _mentions_in(sentence, gazetteer, published, out, owned)
        own = [d for d in dates_in(sentence.text, published) if d.day is not None or d.same]
        context = _context(recent, sentence.n)
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
    return out


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


_DEFINITE = re.compile(
    r"\b(?:the|that|this|its)\s+(?:same\s+)?(?:\w+\s+)?(?:base|airbase|air base|compound|garrison"
    r"|outpost|facility|airport)\b",
    re.I,
)
# "a base", "two military sites", "several outposts": not "three rockets near the base"
_INDEFINITE = re.compile(
    rf"\b(?:an?|{NUMBER}|several|other)\s+(?:(?!(?:the|near|at|in|on|and)\b)[\w-]+\s+){{0,3}}?"
    r"(?:bases?|airbases?|outposts?|sites?|locations?|facilit)",
    re.I,
)
_HYPOTHETICAL = re.compile(HYPOTHETICAL, re.I)
# "Attacks" with no article or number, as the object of a preposition ("a move against
# attacks targeting American personnel"): attacks in general, not one of them.
BARE_PLURAL = r"\b(?:against|amid|over|of|for)\s+(?:[\w-]+\s+)?attacks(?:\s+targeting)?$"
_BARE_PLURAL = re.compile(BARE_PLURAL, re.I)
_COUNTS = "|".join(w for w, n in NUMBER_WORDS.items() if n > 2 and " " not in w)
_COUNTED = re.compile(
    rf"\b(?:[3-9]|\d\d[\d,]*|dozens|scores|hundreds|{_COUNTS})\s+"
    r"(?:[\w-]+\s+){0,3}?"
    r"(?:attacks|strikes)\s+(?:on|against|targeting|at)\s+(?:the\s+)?$",
    re.I,
)
_PURPOSE = re.compile(PURPOSE, re.I)
_RELATIVE = re.compile(r"(?:which|who|whom|whose|where|when)\b")
# A second incident at the same place: "for the second time", "another attack".
_AGAIN = re.compile(
    r"\bfor the (?:second|third|fourth) time\b|\b(?:a|another) (?:second|third) "
    r"(?:attack|time)\b|\banother (?:[\w-]+ )?attack\b",
    re.I,
)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|came|come|comes)\s+(?:\w+\s+)?$", re.I)


def _mentions_in(
    sentence: Sentence,
    gazetteer: Gazetteer,
    published: dt.date | None,
    before: list[Mention],
    owned: bool = False,
) -> list[Mention]:
    text = sentence.text
    words = tokens(text)
    bases = gazetteer.bases_in(text, words)
    places = [
        p
        for p in gazetteer.places_in(text, words)
        if not any(b.start <= p.start < b.end for b in bases)
    ]
    if not bases and not places and not _SITE.search(text):
        return []
    if TALLY.search(text) and not bases:
        return []  # "the 26th attack on US bases in Syria since October 19": a count
    dates = dates_in(text, published)
    parts = clauses(text)
    weapons = weapons_in(text)
    out: list[Mention] = []

    def clause_of(pos: int) -> Clause:
        return next((c for c in parts if c.start <= pos < c.end), parts[-1])

    def date_for(clause: Clause, pos: int) -> When | None:
        inside = [d for d in dates if clause.start <= d.start < clause.end]
        own = [d for d in inside if not d.offset]
        if any(d.same for d in own):
            return next(d for d in own if d.same)
        if own:
            return min(
                own,
                key=lambda d: (
                    d.weak,
                    d.old,
                    d.cue.lower() in RELATIVE_DAYS and d.weak,
                    d.relative,
                    abs(d.start - pos),
                ),
            )
        main = [
            d
            for d in dates
            if not d.offset and not d.weak and not _CAUSE.match(clause_of(d.start).cue)
        ]
        anchor = main[0] if main else None
        offset = [d for d in inside if d.offset]
        if offset:
            day = anchor.day if anchor is not None else published
            if day is None:
                return When(None, "day", offset[0].cue, offset[0].start, offset[0].end, True)
            return When(
                day - dt.timedelta(days=offset[0].offset),
                "day",
                offset[0].cue,
                offset[0].start,
                offset[0].end,
                relative=True,
            )
        if anchor is not None:
            return anchor
        weak = [d for d in dates if d.weak and d.day is not None]
        return weak[0] if weak else None

    def weapons_for(clause: Clause, kind: str) -> tuple[str, ...]:
        aim = _PURPOSE.search(text, clause.start, clause.end)
        end = aim.start() if aim else clause.end
        inside = [w for pos, w in weapons if clause.start <= pos < end]
        if not inside and kind == "attack":
            inside = [
                w
                for pos, w in weapons
                if not _CAUSE.match(clause_of(pos).cue) or clause_of(pos) == clause
            ]
        if kind == "strike":  # not what it hit: "missile posts", "rocket launch sites"
            inside = [
                w
                for pos, w in weapons
                if clause.start <= pos < end
                and w in inside
                and w in STRIKE_WEAPONS
                and not _TARGET_AFTER.match(text, pos)
                and not _ANSWERED.search(text, clause.start, pos)
            ]
        else:
            inside = [w for w in inside if w != "airstrike"]
        return tuple(dict.fromkeys(inside))

    def cues(clause: Clause, pos: int) -> tuple[str | None, str | None]:
        body = text[clause.start : clause.end]
        cue = _BACKGROUND.search(body)
        cause = clause.cue if _CAUSE.match(clause.cue) else None
        if cause is None:
            m = _CAUSE.search(text[clause.start : pos])
            cause = m.group() if m else None
        # a relative clause ("…, to which the US responded") is part of the clause it hangs
        # from: what that one recalls ("days after the group targeted …"), it recalls too
        at = parts.index(clause)
        while cue is None and cause is None and at and _RELATIVE.match(parts[at].cue):
            at -= 1
            before = text[parts[at].start : parts[at].end]
            cue = _BACKGROUND.search(before)
            m = _CAUSE.match(parts[at].cue) or _CAUSE.search(before)
            cause = m.group() if m else None
        return (cue.group() if cue else None), cause

    def mention(
        kind: str, place: Place, clause: Clause, pos: int, responds: bool = False
    ) -> Mention:
        cue, cause = cues(clause, pos)
        if kind == "attack" and not place.base and cue is None:
            # one attack is at one place: "attacks on bases in Iraq and Syria" sums many up
            named = {p.country for p in places if clause.start <= p.start < clause.end}
            named -= {b.country for b in bases if clause.start <= b.start < clause.end}
            countries = sorted(c for c in named if c is not None and c in gazetteer.countries)
            if len(countries) >= 2:
                cue = "attacks in " + " and ".join(countries)
        if kind == "attack" and not place.base and cue is None:
            hits = [h for h in attack_hits if clause.start <= h.start() < clause.end]
            if hits and all(
                _BARE_PLURAL.search(text[max(0, h.start() - 30) : h.end()]) for h in hits
            ):
                cue = "attacks in general"
        again = bool(_AGAIN.search(text[clause.start : clause.end]))
        when = date_for(clause, pos)
        inherited = when is not None and not clause.start <= when.start < clause.end
        return Mention(
            sentence,
            kind,
            place,
            when,
            weapons_for(clause, kind),
            clause,
            cue,
            cause,
            responds,
            again=again,
            inherited=inherited,
        )

    strike_hits = [
        m
        for m in _STRIKE.finditer(text)
        if _is_us_strike(text, m, parts, bases, owned)
        and not _HYPOTHETICAL.search(text[clause_of(m.start()).start : m.start()])
    ]
    nouns = {m.start() + m.group().lower().index("target") for m in _TARGET_NOUN.finditer(text)}
    attack_hits = [
        m
        for m in _ATTACK.finditer(text)
        if m.start() not in nouns and not any(s.start() <= m.start() < s.end() for s in strike_hits)
    ]
    attack_hits = [
        h
        for h in attack_hits
        if not _HYPOTHETICAL.search(text[clause_of(h.start()).start : h.start()])
    ]
    # attacks on the data's bases
    near_strike: list[Place] = []
    for n, base in enumerate(bases):
        clause = clause_of(base.start)
        in_clause = [h for h in attack_hits if clause.start <= h.start() < clause.end]
        strikes_here = [h for h in strike_hits if clause.start <= h.start() < clause.end]
        close = text[max(clause.start, base.start - 30) : base.start].lower()
        locator = re.search(
            r"\b(?:near|around|outside|close to|next to|beside|(?:countryside"
            r"|outskirts|area) of)\s+(?:the\s+)?$",
            close,
        ) or re.match(r"\s+(?:countryside|outskirts|district|area|region)\b", text[base.end :])
        if locator and strikes_here and not in_clause:
            near_strike.append(base)
            continue
        if locator and any(
            0 <= base.start - b.end <= 60 and " and " not in text[b.end : base.start]
            for b in bases[:n]
        ):
            continue  # "Union III, near the embassy": where the base is, not a second target
        if not in_clause and not (attack_hits and not strike_hits):
            continue
        if _COUNTED.search(text[max(0, base.start - 50) : base.start]):
            continue  # "20 attacks on the Khirab al-Jir base": a count, listed as a tally
        out.append(mention("attack", base, clause, base.start))
    # attacks on sites the reporting does not name, or names as "the base"
    named_clauses = {clause_of(b.start) for b in bases}
    for clause in parts:
        hits = [h for h in attack_hits if clause.start <= h.start() < clause.end]
        if clause in named_clauses and (hits or (attack_hits and not strike_hits)):
            named_in = {b.country for b in bases if clause_of(b.start) == clause}
            others = [p for p in places if p.country not in named_in]
            for place in _unnamed_sites(others, clause, text):
                ahead = text[max(clause.start, place.start - 40) : place.start]
                if _INDEFINITE.search(ahead):
                    out.append(mention("attack", place, clause, place.start))
            continue
        if clause in named_clauses or not hits:
            continue
        body = text[clause.start : clause.end]
        if not _SITE.search(body) or (strike_hits and not _attack_on_us(body)):
            continue
        definite = _DEFINITE.search(body)
        if definite and not _INDEFINITE.search(body):
            referred = _referred_base(bases, before, sentence, definite.start() + clause.start)
            if referred is not None:
                told = mention("attack", referred, clause, definite.start() + clause.start)
                told.referred = True
                out.append(told)
            continue
        if not re.search(r"\b(?:U\.?S\.?|US|American|coalition|Coalition|hosting|housing)\b", text):
            continue
        first_hit = hits[0].start()
        passive = bool(_PASSIVE.search(text[clause.start : first_hit]))
        sites = [
            p
            for p in _unnamed_sites(places, clause, text)
            if p.start > first_hit
            or passive
            or re.fullmatch(r"[\s,]*(?:\w+\s+)?in\s+", text[clause.start : p.start])
        ]
        for place in sites:
            out.append(mention("attack", place, clause, place.start))
    # strikes by US forces
    seen: set[Clause] = set()
    for hit in strike_hits:
        clause = clause_of(hit.start())
        if clause in seen:
            continue
        seen.add(clause)
        where = [
            p
            for p in places
            if clause.start <= p.start < clause.end and (p.location or _country_is_place(text, p))
        ]
        where += [
            Place(
                base=b.base,
                country=b.country,
                start=b.start,
                end=b.end,
                location="near " + gazetteer.dataset.base_by_id[b.base or ""].name,
            )
            for b in near_strike
            if clause.start <= b.start < clause.end
        ]
        if not where:  # the sentence's country: "In Syria, … the day after US strikes"
            where = [
                p
                for p in places
                if not p.location
                and _country_is_place(text, p)
                and not _CAUSE.match(clause_of(p.start).cue)
            ][:1]
        responds = bool(_RESPONSE.search(text[clause.start : clause.end])) and not _CAUSE.match(
            clause.cue
        )
        for place in _strike_places(where, text):
            out.append(mention("strike", place, clause, hit.start(), responds))
    return out


def _referred_base(
    bases: list[Place], before: list[Mention], sentence: Sentence, pos: int
) -> Place | None:
    """The base 'the base' refers to: named before it in the sentence, or in the two
    sentences before."""
    earlier = [b for b in bases if b.start < pos]
    if earlier:
        return earlier[-1]
    for m in reversed(before):
        if sentence.n - m.sentence.n > 2:
            break
        if m.kind == "attack" and m.place.base:
            return Place(base=m.place.base, country=m.place.country, start=pos, end=pos)
    return None


def _is_us_strike(
    text: str, m: re.Match[str], parts: list[Clause], bases: list[Place], owned: bool = False
) -> bool:
    """Whether strike wording here is a strike by US forces: a US agent before it, a word
    only US forces' actions take, or an article that says its strike was theirs
    (``owned``); not rockets striking, nor 'the second strike on' a base."""
    word = m.group().lower()
    if (
        owned
        and word in ("strike", "strikes")
        and not _OTHER.search(text)
        and not _attack_on_us(text)
        and not bases
    ):
        return True
    if _ATTACKER_STRIKE.search(text[max(0, m.start() - 25) : m.end() + 1]) and not _US.search(
        text[max(0, m.start() - 12) : m.start()]
    ):
        return False
    if any(
        0 <= b.start - m.end() <= 30
        and re.fullmatch(
            r"\s+(?:on|at|against|targeting)\s+"
            r"(?:the\s+)?(?:[\w-]+\s+){0,2}?",
            text[m.end() : b.start],
        )
        for b in bases
    ):
        return False
    if _STRIKE_ONLY_US.fullmatch(word):
        return True
    if _STRIKE_VERB.fullmatch(word):  # not "US troops hit by a drone"
        return bool(_US_SUBJECT.search(text[max(0, m.start() - 60) : m.start()])) and not re.match(
            r"\s+(?:by|with)\b", text[m.end() :]
        )
    clause = next((c for c in parts if c.start <= m.start() < c.end), parts[-1])
    body = text[clause.start : clause.end]
    if _OTHER.search(body) and not _US.search(body):
        return False
    before = text[max(0, clause.start - 80) : m.start()]
    if word.startswith("killed"):
        return bool(_US.search(before[-60:]))
    if word in ("strike", "strikes", "struck", "bomb", "bombs", "bombed", "bombing"):
        return bool(_US.search(before[-70:])) or bool(
            re.search(r"\b(?:U\.?S\.?|American|coalition)\s+(?:\w+\s+){0,2}$", before)
        )
    if re.search(
        r"\b(?:the|these|those)\s+(?:\w+\s+)?$", text[max(0, m.start() - 20) : m.start()], re.I
    ) and not _OTHER.search(text):
        return True  # "The airstrikes targeted…": the ones just told
    return bool(_US.search(body) or _US.search(text))


def _attack_on_us(body: str) -> bool:
    return bool(
        re.search(
            r"\b(?:hosting|housing|on|at|against|targeting|targeted)\b.{0,40}"
            r"\b(?:U\.?S\.?|US|American|coalition|Coalition)\b",
            body,
        )
    )


def _unnamed_sites(places: list[Place], clause: Clause, text: str) -> list[Place]:
    """The unnamed sites a clause reports attacked: its towns and provinces ('the Al-Baghdadi
    area of Anbar province' is one), else its country."""
    inside = [p for p in places if clause.start <= p.start < clause.end]
    towns: list[Place] = []
    for p in (p for p in inside if p.location):
        if (
            towns
            and towns[-1].country == p.country
            and re.fullmatch(
                r"[\s,]*(?:(?:area|district|region|city|town|province|governorate)\s+)?(?:of|in|,)?"
                r"\s*(?:the\s+)?",
                text[towns[-1].end : p.start],
            )
        ):
            towns[-1] = dataclasses.replace(towns[-1], end=p.end, province=p.location)
            continue
        towns.append(
            Place(
                country=p.country,
                location=p.location,
                start=p.start,
                end=p.end,
                province=p.location,
            )
        )
    covered = {p.country for p in towns}
    countries = [
        p
        for p in inside
        if not p.location and _country_is_place(text, p) and p.country not in covered
    ]
    return towns + countries[:1]


def _country_is_place(text: str, place: Place) -> bool:
    """'in Syria', 'Iraqi bases': the country is where; not 'the Iraqi militaries said'."""
    word = text[place.start : place.end]
    before = text[max(0, place.start - 25) : place.start].lower()
    after = text[place.end : place.end + 30]
    if word.endswith(("i", "n")) and word not in ("Iran", "Jordan"):  # a demonym
        return bool(re.match(r"\s+(?:\w+\s+){0,2}?" + SITE_NOUNS, after, re.I))
    listed = r"\b(?:in|inside|across|near|outside)\s+(?:Iraq|Syria|Jordan)\s*(?:,|and)\s*$"
    if re.search(listed, before, re.I):
        return True
    return bool(
        re.search(
            r"\b(?:in|inside|across|near|outside|eastern|western|northern|southern|"
            r"northeast(?:ern)?|northwest(?:ern)?|southeast(?:ern)?|"
            r"southwest(?:ern)?|central)\s*$",
            before,
        )
    ) or after.startswith("'s")


def _strike_places(where: list[Place], text: str) -> list[Place]:
    """One place per country struck: the towns named in it joined ('Al-Mayadin and Saker
    Island'), else the country; a border strike is one place in both countries."""
    if not where:
        return [Place()]
    based = [p for p in where if p.base]
    if based:
        return [based[0]]
    towns = [p for p in where if p.location and p.country != "Iraq and Syria"]
    if not towns:
        border = [p for p in where if p.country == "Iraq and Syria"]
        if border:
            return [border[0]]
    by_country: dict[str, list[Place]] = {}
    for p in towns or where:
        by_country.setdefault(p.country or "", []).append(p)
    out = []
    for country, group in by_country.items():
        names = list(dict.fromkeys(p.location for p in group if p.location))
        location = " and ".join(t for t in names if t) if names else country
        out.append(
            Place(
                location=location, country=country or None, start=group[0].start, end=group[-1].end
            )
        )
    return out


# --- 6. incidents: mentions of the same kind, place and date -----------------------------------


@dataclass
class Told:
    """An incident as the article tells it: its mentions and the sentences about it."""

    kind: str
    place: Place
    mentions: list[Mention]
    support: list[Sentence] = field(default_factory=list)
    aggregate: int | None = None  # a tally of attacks, not one incident

    @property
    def when(self) -> When | None:
        dated = [m.when for m in self.mentions if m.when is not None]
        strong = [w for w in dated if not w.weak and w.day is not None]
        for group in (
            [w for w in strong if w.precision == "day" and not w.relative],
            [w for w in strong if w.precision == "day"],
            strong,
            [
                w
                for w in dated
                if w.weak and w.day is not None and w.cue.lower() not in RELATIVE_DAYS
            ],
            [w for w in dated if w.day is not None],
            [w for w in dated if w.day is None and not w.old],
            dated,
        ):
            if group:
                return group[0]
        return None

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    @property
    def sentences(self) -> list[Sentence]:
        seen: dict[int, Sentence] = {}
        for s in [m.sentence for m in self.mentions] + self.support:
            seen.setdefault(s.n, s)
        return [seen[n] for n in sorted(seen)]


def _same_day(a: When | None, b: When | None) -> bool:
    if a is not None and b is not None and a.old != b.old:
        return False
    if a is None or b is None or a.day is None or b.day is None:
        return True
    if a.weak or b.weak:
        return True
    if a.day == b.day:
        return True
    slack = max(_slack(a), _slack(b))
    return abs((a.day - b.day).days) <= slack


def _slack(when: When) -> int:
    return {"week": 6, "month": 30}.get(when.precision, 0)


def _same_place(kind: str, a: Place, b: Place) -> bool:
    if a.base or b.base:
        if a.base and b.base:
            return a.base == b.base
        return (
            kind == "strike"
            and bool(a.country)
            and _countries(a.country) & _countries(b.country) != set()
        )
    if kind == "strike":
        if not a.country or not b.country:
            return not a.country and not b.country
        return bool(_countries(a.country) & _countries(b.country))
    if (a.country or "") != (b.country or ""):
        return False
    return not a.location or not b.location or name_key(a.location) == name_key(b.location)


def _countries(text: str | None) -> set[str]:
    return {p for p in re.split(r"\s*(?:,|/|&|\band\b|–)\s*", text or "") if p}


def group(mentions: list[Mention], dataset: Dataset) -> list[Told]:
    """Mentions of one kind, place and date are one incident; then an unnamed site joins the
    named base it must be, and a strike that answers an attack takes its place and day."""
    told: list[Told] = []
    for m in mentions:
        if m.kind == "strike" and not m.place.country and not m.place.base:
            told.append(Told(m.kind, m.place, [m]))
            continue
        match = [
            t
            for t in told
            if t.kind == m.kind
            and _same_place(m.kind, t.place, m.place)
            and _same_day(t.when, m.when)
            and not m.again
            and not (t.first.again and not m.again)
            and not (
                m.when is not None
                and m.when.day is not None
                and t.when is not None
                and t.when.day is None
                and t.when.relative is False
            )
        ]
        if match:
            loose = m.when is None or m.when.weak or m.when.day is None
            target = max(
                match,
                key=lambda t: (
                    loose and t.place.key == m.place.key,
                    loose and t.first.responds == m.responds,
                    told.index(t),
                ),
            )
            target.mentions.append(m)
            mine, theirs = _countries(m.place.country), _countries(target.place.country)
            if (
                m.kind == "strike"
                and not target.place.base
                and m.place.location
                and (
                    not target.place.location
                    or (mine > theirs and target.place.location in theirs)
                    or (mine == theirs and len(m.place.location) > len(target.place.location))
                )
            ):  # a strike's place as fully as told: "Al-Mayadin and Saker Island"
                target.place = m.place
            elif m.place.location and not target.place.location and not target.place.base:
                target.place = m.place
        else:
            told.append(Told(m.kind, m.place, [m]))
    told = _unnamed_to_named(told, dataset)
    told = _answers(told, dataset)
    _statement_days(told)
    return told


def _statement_days(told: list[Told]) -> None:
    """A quoted "today" is the day of the statement, not of the article: when the quote also
    speaks of an incident the article dates ("in response to today's attack", told as
    Thursday's), that is its day."""
    for t in told:
        when = t.when
        if when is None or not when.weak or when.cue.lower() not in RELATIVE_DAYS:
            continue
        quoted = {m.sentence.n for m in t.mentions if m.when is not None and m.when.weak}
        for u in told:
            day = u.when
            if (
                u is t
                or u.aggregate
                or day is None
                or day.weak
                or day.day is None
                or day.precision != "day"
                or day.old
            ):
                continue
            if any(
                m.sentence.n in quoted and m.when is not None and m.when.weak for m in u.mentions
            ):
                cue = f'{when.cue}" in a statement about the attack of "{day.cue}'
                for m in t.mentions:
                    if m.when is not None and m.when.weak:
                        m.when = dataclasses.replace(
                            m.when, day=day.day, cue=cue, relative=day.relative
                        )
                break


def _unnamed_to_named(told: list[Told], dataset: Dataset) -> list[Told]:
    named = [t for t in told if t.kind == "attack" and t.place.base]
    out = []
    for t in told:
        if t.kind == "attack" and not t.place.base:
            fits = [n for n in named if _fits(n, t, dataset)]
            if len({n.place.base for n in fits}) == 1:
                fits[0].mentions += t.mentions
                fits[0].mentions.sort(key=lambda m: m.sentence.n)
                continue
        out.append(t)
    return out


def _fits(named: Told, unnamed: Told, dataset: Dataset) -> bool:
    base = dataset.base_by_id[named.place.base or ""]
    if base.country != unnamed.place.country:
        return False
    if _all_recalled(named) and not _all_recalled(unnamed):
        return False  # "attacks on US targets, including the embassy": not today's site
    if _all_past(unnamed) and not _all_recalled(named):
        return False  # "in recent months, attacks have targeted US troops in Iraq": not today's
    region = name_key(unnamed.place.province or "") in REGIONS
    if (
        unnamed.place.province
        and not region
        and name_key(unnamed.place.province)
        not in (name_key(base.province or ""), name_key(base.name))
        and name_key(unnamed.place.province) not in (name_key(a) for a in base.aliases)
    ):
        return False
    a, b = named.when, unnamed.when
    if a is None or b is None or a.day is None or b.day is None:
        return True
    return a.day == b.day


def _all_past(t: Told) -> bool:
    """Every mention put in the past of the story by its wording ("in recent months")."""
    return all(m.cue is not None and _BACKGROUND.search(m.cue) for m in t.mentions)


def _all_recalled(t: Told) -> bool:
    """Every mention points back (a cue, a cause, a month or "since" date) and none gives a
    recent day: told as context."""
    for m in t.mentions:
        w = m.when
        old = w is not None and (w.old or w.precision == "month")
        if not (m.cue or m.cause or old) or (w is not None and w.day is not None and not old):
            return False
    return True


def _answers(told: list[Told], dataset: Dataset) -> list[Told]:
    """A strike without a place of its own that answers an attack ('US forces responded with
    artillery') is near the attacked base, on the day of the attack: the attack told in the
    same sentence or the two before. Any other strike without a place is about the strike
    told last."""
    out: list[Told] = []
    for t in told:
        if t.kind != "strike" or t.place.country or t.place.base:
            out.append(t)
            continue
        n = t.first.sentence.n
        attacks = [
            a
            for a in out
            if a.kind == "attack"
            and not a.aggregate
            and any(0 <= n - m.sentence.n <= 2 for m in a.mentions)
            and _same_day(a.when, t.when)
        ]
        if t.first.responds and attacks:
            attack = attacks[-1]
            place = attack.place
            name = dataset.base_by_id[place.base].name if place.base else place.location
            where = Place(
                base=place.base,
                country=place.country,
                location=f"near {name}" if name else place.country,
            )
            when = t.when or attack.when
            for m in t.mentions:
                m.when = m.when or when
            same = [
                s
                for s in out
                if s.kind == "strike"
                and _same_place("strike", s.place, where)
                and _same_day(s.when, when)
            ]
            if same:
                same[-1].mentions += t.mentions
                continue
            t.place = where
            out.append(t)
            continue
        strikes = [s for s in out if s.kind == "strike"]
        if strikes:
            strikes[-1].support += [m.sentence for m in t.mentions]
    return out


_ANAPHOR = re.compile(
    r"\b(?:the|that|this|its|their)\s+(?:\w+\s+){0,2}?(?:attacks?|incident|strikes?|assault|bombing"
    r"|rockets?|drones?|missiles?|base|compound|facility|statement|barrage|salvo|operation"
    r"|airstrikes?)\b|^(?:It|They|Both)\b",
    re.I,
)


def attach_support(told: list[Told], found: list[Sentence]) -> None:
    """A sentence without a place that speaks of 'the attack' or 'the strikes' is about the
    incident mentioned last, within the three sentences before."""
    last: dict[int, Told] = {}
    for t in told:
        for m in t.mentions:
            if m.sentence.n not in last or t.when is not None:
                last.setdefault(m.sentence.n, t)
    mentioned = {m.sentence.n for t in told for m in t.mentions}
    by_sentence: dict[int, list[Told]] = {}
    for t in told:
        for m in t.mentions:
            by_sentence.setdefault(m.sentence.n, []).append(t)
    for sentence in found:
        if sentence.n in mentioned or sentence.heading:
            continue
        after = next((s for s in found if s.n == sentence.n + 1), None)
        if (
            after is not None
            and after.n in by_sentence
            and _ANAPHOR.match(after.text)
            and (_claims(sentence.text) or _CONFIRMED.search(sentence.text))
            and not all(_all_past(t) for t in by_sentence[after.n])
        ):  # "Two attacks today, both claimed by … The attacks focused on …"; not "It is the
            # latest in a string of attacks": that one is recalled, and the word is today's
            for t in by_sentence[after.n]:
                t.support.append(sentence)
            continue
        if not _ANAPHOR.search(sentence.text):
            continue
        wants = (
            "strike"
            if _STRIKE.search(sentence.text)
            and _US.search(sentence.text)
            and not _ATTACK.search(sentence.text)
            else None
        )
        for back in range(1, 4):
            target = last.get(sentence.n - back)
            if target is not None and (wants is None or target.kind == wants):
                target.support.append(sentence)
                last[sentence.n] = target
                break


def tallies_in(found: list[Sentence], published: dt.date | None) -> list[Told]:
    """Counts of attacks ('at least 19 attacks since October 17'): background, not incidents."""
    out = []
    for sentence in found:
        for m in TALLY.finditer(sentence.text):
            number = m.group("n") or ""
            count = int(number.replace(",", "")) if number[:1].isdigit() else None
            nth = m.group("nth")
            if count is None and nth:
                count = int(re.sub(r"\D", "", nth))
            if count is None or (count < 3 and not nth):
                continue
            kind = "strike" if "strike" in m.group().lower() else "attack"
            dates = [d for d in dates_in(sentence.text, published) if d.start > m.start()]
            since = dates[0] if dates else None
            mention = Mention(
                sentence, kind, Place(), since, (), Clause(0, len(sentence.text), ""), cue="tally"
            )
            out.append(Told(kind, Place(), [mention], aggregate=count))
            break
    return out


# --- 7. fields, each with its evidence ----------------------------------------------------------


@dataclass
class Draft:
    """A proposed record (without id and summary) and the sentence each field came from."""

    record: dict[str, Any]
    evidence: dict[str, str]
    background: bool = False
    duplicate_of: str | None = None
    adds: dict[str, Any] = field(default_factory=dict)
    needs: list[str] = field(default_factory=list)  # what the person must supply
    aggregate: int | None = None  # a tally of attacks, mentioned as background
    article: str = ""

    @property
    def is_new(self) -> bool:
        return not self.background and self.duplicate_of is None

    @property
    def headline(self) -> str:
        kind = KINDS[self.record["kind"]].lower() if "kind" in self.record else "incident"
        if self.aggregate is not None:
            return f"background: a tally of {self.aggregate} {self.record['kind']}s"
        if self.duplicate_of:
            return f"already recorded as {self.duplicate_of}"
        return f"background {kind}" if self.background else f"new {kind}"


def fill(t: Told, article: Article, dataset: Dataset, actors: Gazetteer | None = None) -> Draft:
    """The record fields of an incident as told, with the sentence each came from."""
    record: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    needs: list[str] = []
    first = t.first.sentence.text
    when = t.when
    if when is not None and when.day is not None:
        record["date"] = (
            when.day if when.precision != "month" else dt.date(when.day.year, when.day.month, 1)
        )
        if when.precision != "day":
            record["date_precision"] = when.precision
        evidence["date"] = _sentence_of(t, when)
        clock = local_time(evidence["date"]) if when.precision == "day" else None
        if clock:
            record["time"] = clock
            evidence["time"] = evidence["date"]
    elif when is not None and when.relative:
        needs.append(
            f'date: the article says only "{when.cue}"; give its publication date '
            "with --published YYYY-MM-DD"
        )
        evidence["date"] = _sentence_of(t, when)
    elif article.published is not None and not t.aggregate:
        record["date"] = article.published
        record["date_precision"] = "week"
        evidence["date"] = first
    else:
        needs.append(
            "date: the article gives no date for it"
            + (
                "; give its publication date with --published YYYY-MM-DD"
                if article.published is None
                else ""
            )
        )
    record["kind"] = t.kind
    evidence["kind"] = first
    place = t.place
    where = next((m.sentence.text for m in t.mentions if m.place.key == place.key), first)
    if place.base:
        record["base"] = place.base
        evidence["base"] = where
        if t.kind == "strike":
            record["location"] = place.location or "near " + dataset.base_by_id[place.base].name
            record["country"] = place.country
    else:
        if place.location:
            record["location"] = place.location
            evidence["location"] = where
        elif t.kind == "strike" and place.country:
            record["location"] = place.country
        if place.country:
            record["country"] = place.country
            evidence["country"] = where
    weapons, weapon_from = _weapons(t)
    record["weapon"] = weapons[0] if len(weapons) == 1 else list(weapons)
    if weapon_from:
        evidence["weapon"] = weapon_from
    status, status_from = _status(t)
    official = _official(article)
    if status != "confirmed" and official:
        status, status_from = "confirmed", official
    record["status"] = status
    evidence["status"] = status_from or first
    if t.kind == "attack":
        _perpetrator(t, actors, record, evidence)
    _numbers(t, record, evidence)
    casualties, casualties_from = _casualties(t)
    if casualties:
        record["casualties"] = casualties
        evidence["casualties"] = casualties_from
    notes = _date_notes(t, record, article, needs)
    if notes:
        record["notes"] = notes
    source = {
        "publisher": article.publisher,
        "title": article.title,
        "published": article.published,
        "url": article.url,
    }
    for key in ("publisher", "title", "published"):
        if not source[key]:
            needs.append(f"sources: the article's {key} is not known; give --{key}")
    if any(source.values()):
        record["sources"] = [{k: v for k, v in source.items() if v}]
    return Draft(record, evidence, needs=needs, aggregate=t.aggregate, article=article.name)


def _sentence_of(t: Told, when: When) -> str:
    for m in t.mentions:
        if m.when is when:
            return m.sentence.text
    return t.first.sentence.text


def _weapons(t: Told) -> tuple[tuple[str, ...], str | None]:
    found: dict[str, str] = {}
    for m in t.mentions:
        for w in m.weapons:
            found.setdefault(w, m.sentence.text)
    if not found:
        for s in t.support:
            for _, w in weapons_in(s.text):
                if t.kind == "attack" or (w in STRIKE_WEAPONS and w != "missile"):
                    found.setdefault(w, s.text)
    if t.kind == "strike" and len(found) > 1:
        found.pop("airstrike", None) if "artillery" in found else None
    if not found:
        # a strike told only as "an attack" by US forces says nothing of aircraft
        body = [m for m in t.mentions if not m.sentence.heading] or t.mentions
        clauses = " ".join(m.sentence.text[m.clause.start : m.clause.end] for m in body)
        told_as_attack = not re.search(r"strik|struck|bomb|raid", clauses, re.I)
        aircraft = t.kind == "strike" and not t.first.responds and not told_as_attack
        return ("airstrike" if aircraft else "unknown",), None
    if "unknown" in found and len(found) > 1:
        del found["unknown"]
    ordered = tuple(w for w in WEAPONS if w in found)
    return ordered, found[ordered[0]]


_CONFIRMED = re.compile(STATUS_WORDS["confirmed"])
_CLAIMED = re.compile(STATUS_WORDS["claimed"], re.I)
_REPORTED = re.compile(STATUS_WORDS["reported"], re.I)
_NOT_CONFIRMED = re.compile(NOT_CONFIRMED, re.I)
_NOT_CLAIMED = re.compile(NOT_CLAIMED, re.I)
_NO_OFFICIAL_WORD = re.compile(NO_OFFICIAL_WORD, re.I)


def _claims(text: str) -> bool:
    """The text says someone claimed it, and not that no one did."""
    return any(
        not _NOT_CLAIMED.search(text[max(0, m.start() - 40) : m.start()])
        for m in _CLAIMED.finditer(text)
    )


def _status(t: Told) -> tuple[str, str | None]:
    confirmed = claimed = reported = None
    for s in t.sentences:
        text = s.text
        for m in _CONFIRMED.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            if (
                _NOT_CONFIRMED.search(text[m.end() : m.end() + 60])
                or _NO_OFFICIAL_WORD.search(before)
                or re.search(
                    r"\b(?:according to|citing) (?:local|Syrian|pro-|Iranian|state)", before
                )
            ):
                continue
            confirmed = confirmed or text
        if _claims(text):
            claimed = claimed or text
        if _REPORTED.search(text):
            reported = reported or text
    if t.kind == "strike" and confirmed is None and claimed is None:
        for s in t.sentences:  # "the US carried out strikes", said as fact (or quoted)
            as_fact = re.search(
                r"\b(?:U\.?S\.?|United States|American)\b(?:[\w\s\-“\"]{0,30})\b"
                r"(?:conducted|carried out|launched|struck|began|begun|targeted"
                r"|hit|killed)\b",
                s.text,
            )
            if (
                as_fact
                and not _REPORTED.search(s.text)
                and not re.search(r"accus|allege", s.text, re.I)
            ):
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


def _perpetrator(
    t: Told, actors: Gazetteer | None, record: dict[str, Any], evidence: dict[str, str]
) -> None:
    if actors is None:
        return
    for s in t.sentences:
        found = actors.bases_in(s.text, tokens(s.text))
        if not found:
            continue
        actor = found[0].base
        if _claims(s.text):
            how = "claimed"
        elif re.search(SUSPECT_WORDS, s.text, re.I):
            how = "suspected"
        elif re.search(BLAME_WORDS, s.text, re.I) or _CONFIRMED.search(s.text):
            how = "attributed"
        else:
            continue
        record["perpetrator"] = actor
        record["attribution"] = how
        evidence["perpetrator"] = s.text
        return


def _count(text: str) -> int | None:
    text = text.lower().replace(",", "")
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


_PROJECTILES = re.compile(
    rf"{QUANTITY}\s+(?:[\w-]+\s+){{0,3}}?(?:{PROJECTILES})\b(?!\s+(?:attacks?|strikes?)\b)", re.I
)
_INTERCEPTED = re.compile(
    rf"(?:intercept(?:ed|ing)|down(?:ed|ing)|shot down|shooting down)\s+(?:\w+\s+){{0,2}}?"
    rf"{QUANTITY}\s+(?:[\w-]+\s+){{0,3}}?(?:{PROJECTILES})\b"
    rf"|{QUANTITY.replace('<q>', '<q2>').replace('<n>', '<n2>')}\s+(?:[\w-]+\s+){{0,3}}?"
    rf"(?:{PROJECTILES})\b(?:\s+\S+){{0,12}}?\s+(?:were\s+)?"
    rf"(?:intercepted|downed|shot down|destroyed)",
    re.I,
)
_TARGETS = re.compile(
    rf"{QUANTITY}\s+(?:[\w-]+\s+){{0,2}}?(?:of the\s+)?(?:targets|sites|facilities|locations"
    rf"|bunkers|buildings|headquarters)\b",
    re.I,
)
_STRIKE_COUNT = re.compile(rf"{QUANTITY}\s+(?:drone\s+|air\s*|precision\s+)?strikes\b", re.I)


def _numbers(t: Told, record: dict[str, Any], evidence: dict[str, str]) -> None:
    for s in t.sentences:
        text = s.text
        if t.kind == "attack" and "projectiles" not in record:
            for m in _PROJECTILES.finditer(text):
                n = _count(m.group("n"))
                if (
                    n is not None
                    and n < 1000
                    and not re.match(r"\s*(?:of|percent|%)", text[m.end() :])
                ):
                    record["projectiles"] = n
                    evidence["projectiles"] = text
                    break
        if t.kind == "attack" and "intercepted" not in record:
            seen = _INTERCEPTED.search(text)
            if seen is not None:
                n = _count(seen.group("n") or seen.group("n2") or "")
                if n is not None:
                    record["intercepted"] = n
                    evidence["intercepted"] = text
        if t.kind == "strike":
            for m in _TARGETS.finditer(text):
                n = _count(m.group("n"))
                if n is not None and n >= 1:
                    record["targets"] = n
                    evidence["targets"] = text
            counted = _STRIKE_COUNT.search(text)
            if counted is not None and "strikes" not in record:
                n = _count(counted.group("n"))
                if n is not None and 2 <= n <= 100:
                    record["strikes"] = n
                    evidence["strikes"] = text
    if "intercepted" in record and record.get("projectiles", 0) < record["intercepted"]:
        record["projectiles"] = record["intercepted"]
        evidence["projectiles"] = evidence["intercepted"]


def _quantity(q: str | None, n: str) -> Any:
    word = n.lower()
    if word in ("several", "multiple"):
        return {"min": 2}
    if word in ("a number of", "a small number of", "a handful of"):
        return {"min": 1}
    if word == "dozens of":
        return {"min": 24}
    count = _count(n)
    if count is None:
        return None
    q = (q or "").strip().lower()
    if q == "at least":
        return {"min": count}
    if q in ("more than", "over"):
        return {"min": count + 1}
    if q == "up to":
        return {"max": count}
    return count


_SIDES = {side: re.compile(pattern, re.I) for side, pattern in SIDE_WORDS.items()}
_NONE_HURT = re.compile(
    r"\bno (?:reported |immediate )?(?:casualties|injuries|victims)|\bwithout causing casualties"
    r"|\bno(?:body| one) was (?:hurt|injured|killed)|\bdid(?:n't| not) (?:result in|cause) any"
    r" (?:casualties|injuries)|\bresulted in no (?:injuries|casualties)",
    re.I,
)


def _casualties(t: Told) -> tuple[dict[str, Any], str]:
    out: dict[str, dict[str, Any]] = {}
    source = ""
    for s in t.sentences:
        text = s.text
        for side, pattern in _SIDES.items():
            for outcome, hurt in HURT.items():
                before = re.compile(
                    rf"{QUANTITY}\s+(?:[\w-]+\s+){{0,3}}?(?:{pattern.pattern})\b"
                    rf"(?:[\w\s,-]{{0,40}}?)\b(?:were|was|are|is|have been|had been)?\s*"
                    rf"(?:\w+\s+){{0,2}}?(?:{hurt})\b",
                    re.I,
                )
                after = re.compile(
                    rf"\b(?:{HURTING[outcome]})\s+{QUANTITY}\s+"
                    rf"(?:[\w-]+\s+){{0,2}}?(?:{pattern.pattern})\b",
                    re.I,
                )
                for rx in (before, after):
                    m = rx.search(text)
                    if m is None:
                        continue
                    value = _quantity(m.group("q"), m.group("n"))
                    if value is not None and outcome not in out.get(side, {}):
                        out.setdefault(side, {})[outcome] = value
                        source = source or text
        if _NONE_HURT.search(text) and not out:
            whose = [
                side for side, p in _SIDES.items() if re.search(rf"no (?:{p.pattern})", text, re.I)
            ]
            for side in whose or ["unknown"]:
                out.setdefault(side, dict.fromkeys(OUTCOMES, 0))
            source = text
    return ({side: out[side] for side in SIDES if side in out}, source)


def _date_notes(t: Told, record: dict[str, Any], article: Article, needs: list[str]) -> str:
    when = t.when
    published = article.published
    day = record.get("date")
    if when is not None and day is not None and when.relative and published is not None:
        shown = long_date(day) if record.get("date_precision") != "month" else month_key(day)
        base = (
            f'Dated from "{when.cue}" in the article, published on '
            f"{WEEKDAYS[published.weekday()].title()} {long_date(published)}: "
            f"{WEEKDAYS[day.weekday()].title()} {shown}."
        )
        if record.get("date_precision") == "week":
            base = base[:-1] + ", to within a week."
        return base
    if when is not None and day is not None:
        return f'Dated from "{when.cue}" in the article.'
    if day is not None:
        return (
            "The article gives no day: dated to within a week of its publication, "
            f"{long_date(day)}."
        )
    return ""


# --- 8. news or background -----------------------------------------------------------------------


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
    if (
        (m.when is None or m.context_date)
        and re.search(r"\bthe\s+$", body, re.I)
        and re.match(r"\s*(?:[\w-]+\s+)?(?:attacks?|strikes?|bombing)\b", after, re.I)
    ):
        return True
    return m.when is None and bool(
        re.search(
            r"\b(?:the|these|those|all the)\s+(?:\w+\s+)?"
            rf"(?:{PROJECTILES}|attacks?)\b",
            body,
            re.I,
        )
    )


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


# --- 9. the data: already recorded, and what the article adds -------------------------------


def compare(draft: Draft, dataset: Dataset) -> None:
    """Mark a draft that is already recorded, with what the article adds to that record."""
    if draft.aggregate is not None:
        return
    record = draft.record
    found = [i for i in dataset.incidents if recorded_as(record, i, dataset)]
    if not found:
        return
    day = record.get("date")
    incident = min(
        found,
        key=lambda i: (abs((i.date - day).days) if isinstance(day, dt.date) else 0, sort_key(i)),
    )
    draft.duplicate_of = incident.id
    draft.adds = additions(record, incident)


def recorded_as(record: dict[str, Any], incident: Incident, dataset: Dataset) -> bool:
    """Whether a drafted record is this incident: same kind and place, and a date within
    the precision of either."""
    if incident.kind != record.get("kind"):
        return False
    day = record.get("date")
    if not isinstance(day, dt.date):
        return False
    slack = max(
        {"week": 6, "month": 30}.get(record.get("date_precision", "day"), 0),
        {"week": 6, "month": 30}.get(incident.date_precision, 0),
    )
    if incident.date_precision == "month" or record.get("date_precision") == "month":
        if month_key(incident.date) != month_key(day):
            return False
    elif abs((incident.date - day).days) > slack:
        return False
    return same_place(record, incident.model_dump(), dataset)


def same_place(a: dict[str, Any], b: dict[str, Any], dataset: Dataset | None = None) -> bool:
    """Two records (or a draft and a key entry) are at the same place: the same base; or,
    for unnamed places, the same country and locations that share a name (or give none)."""
    if a.get("base") and b.get("base"):
        return bool(a["base"] == b["base"])
    if a.get("base") or b.get("base"):
        named, other = (a, b) if a.get("base") else (b, a)
        if named.get("location") and other.get("location"):
            return _share_name(named["location"], other["location"])
        if a.get("kind") == "strike" or b.get("kind") == "strike":
            country = named.get("country")
            if country is None and dataset is not None:
                base = dataset.base_by_id.get(named["base"])
                country = base.country if base else None
            return bool(_countries(country) & _countries(other.get("country")))
        return False
    if not (_countries(a.get("country")) & _countries(b.get("country"))):
        return False
    la, lb = a.get("location") or "", b.get("location") or ""
    return not _named(la) or not _named(lb) or _share_name(la, lb)


_PLACE_STOP = {
    "near",
    "area",
    "areas",
    "province",
    "region",
    "sites",
    "site",
    "facilities",
    "facility",
    "and",
    "in",
    "of",
    "the",
    "not",
    "named",
    "unnamed",
    "us",
    "positions",
    "border",
    "city",
    "town",
    "east",
    "eastern",
    "west",
    "western",
    "north",
    "northern",
    "south",
    "southern",
    "iraq",
    "syria",
    "jordan",
    "iraqi",
    "syrian",
    "al",
    "el",
    "locations",
    "base",
    "bases",
    "troop",
    "troops",
    "forces",
    "militia",
    "groups",
    "irgc",
    "qf",
    "vehicle",
    "headquarters",
    "launch",
    "storage",
    "weapons",
    "ammunition",
    "countryside",
    "governorate",
    "district",
    "neighbourhood",
    "neighborhood",
    "three",
    "two",
    "five",
    "several",
}


def _named(location: str) -> set[str]:
    return {t.key for t in tokens(location) if t.key not in _PLACE_STOP and len(t.key) > 2}


def _share_name(a: str, b: str) -> bool:
    na, nb = _named(a), _named(b)
    if not na or not nb:
        return True
    if na & nb:
        return True
    return any(fuzz.ratio(x, y) >= 80 for x in na for y in nb)


def additions(record: dict[str, Any], incident: Incident) -> dict[str, Any]:
    """What the draft knows that the record does not: a source, numbers, a higher status,
    weapons, a perpetrator, casualties."""
    adds: dict[str, Any] = {}
    source = record.get("sources", [{}])[0]
    known = any(
        (source.get("url") and s.url == source.get("url"))
        or (
            name_key(s.publisher) == name_key(source.get("publisher") or "")
            and name_key(s.title) == name_key(source.get("title") or "")
        )
        for s in incident.sources
    )
    if not known and source:
        adds["sources"] = [source]
    for key in ("projectiles", "intercepted", "strikes", "targets", "perpetrator"):
        if record.get(key) is not None and getattr(incident, key) is None:
            adds[key] = record[key]
    if STATUSES.index(record["status"]) > STATUSES.index(incident.status):
        adds["status"] = record["status"]
    weapons = record.get("weapon")
    drafted = [weapons] if isinstance(weapons, str) else list(weapons or [])
    new = [w for w in drafted if w != "unknown" and w not in incident.weapon]
    if new:
        adds["weapon"] = new[0] if len(new) == 1 else new
    if record.get("casualties"):
        have = incident.casualties.by_side() if incident.casualties else {}
        extra = {side: v for side, v in record["casualties"].items() if side not in have}
        if extra:
            adds["casualties"] = extra
    return adds


def responds_to(
    t: Told,
    record: dict[str, Any],
    told: list[Told],
    drafts: list[Draft],
    dataset: Dataset,
    published: dt.date | None,
) -> list[str]:
    """The recorded attacks a strike answered, as the article says: the attack it was told
    with ('responded with artillery'), or those its cause names ('in response to the attacks
    of August 15', 'retaliation for last week's attack on al-Tanf')."""
    if t.kind != "strike":
        return []
    ids: list[str] = []
    day = record.get("date")
    for sentence in t.sentences:
        text = sentence.text
        for cause in re.finditer(
            r"(?:respon(?:se|ded|d)|retaliation|reprisal|attacks? like|"
            r"following|after|from attacks)",
            text,
            re.I,
        ):
            tail = text[cause.start() : cause.start() + 160]
            named = {p.base for p in gazetteer_for(dataset).bases_in(tail, tokens(tail))}
            days = {d.day for d in dates_in(tail, published) if d.day is not None}
            for incident in dataset.incidents:
                if incident.kind != "attack" or (isinstance(day, dt.date) and incident.date > day):
                    continue
                if named and incident.base not in named:
                    continue
                if (
                    days
                    and incident.date not in days
                    and not any(
                        abs((incident.date - d).days) <= 6 for d in days if _week_words(tail)
                    )
                ):
                    continue
                if not named and not days:
                    continue
                if incident.id not in ids:
                    ids.append(incident.id)
    if t.first.responds:
        attacks = [
            (a, d)
            for a, d in zip(told, drafts, strict=True)
            if a.kind == "attack" and a.first.sentence.n <= t.first.sentence.n and d.duplicate_of
        ]
        for a, d in attacks[-1:]:
            answered = a.place.base == t.place.base or not ids
            if d.duplicate_of and answered and d.duplicate_of not in ids:
                ids.append(d.duplicate_of)
    return ids


def _week_words(text: str) -> bool:
    return bool(re.search(r"last week|a week ago|this week", text, re.I))


_GAZETTEERS: dict[int, tuple[Dataset, Gazetteer]] = {}


def gazetteer_for(dataset: Dataset) -> Gazetteer:
    """One gazetteer per dataset (a batch of articles reads the same data)."""
    held = _GAZETTEERS.get(id(dataset))
    if held is None or held[0] is not dataset:
        held = (dataset, Gazetteer(dataset))
        _GAZETTEERS[id(dataset)] = held
    return held[1]


def _actor_gazetteer(dataset: Dataset) -> Gazetteer | None:
    """The actors, found in text like the bases are (a Gazetteer over actors.yaml)."""
    if not dataset.actors:
        return None
    key = -id(dataset)
    held = _GAZETTEERS.get(key)
    if held is None or held[0] is not dataset:
        from generator.model import Base

        stand_ins = tuple(
            Base(id=a.id, name=a.name, aliases=list(a.aliases), country=dataset.info.countries[0])
            for a in dataset.actors
        )
        held = (dataset, Gazetteer(Dataset(bases=stand_ins, incidents=(), info=dataset.info)))
        _GAZETTEERS[key] = held
    return held[1]


# --- the pipeline ----------------------------------------------------------------------------


def draft_article(article: Article, dataset: Dataset) -> list[Draft]:
    """The drafts an article gives: the new incidents it reports (each with its evidence),
    those already recorded (with what it adds), then those it recalls as background."""
    found = sentences(article.text)
    gazetteer = gazetteer_for(dataset)
    mentions = find_mentions(found, gazetteer, article.published)
    told = group(mentions, dataset)
    attach_support(told, found)
    told = [t for t in told if not all(m.sentence.heading for m in t.mentions)]
    told += tallies_in(found, article.published)
    actors = _actor_gazetteer(dataset)
    drafts = []
    for t in told:
        d = fill(t, article, dataset, actors)
        d.background = is_background(t, article.published)
        compare(d, dataset)
        drafts.append(d)
    for t, d in zip(told, drafts, strict=True):
        ids = responds_to(t, d.record, told, drafts, dataset, article.published)
        if ids:
            d.record["responds_to"] = ids
            d.evidence["responds_to"] = t.first.sentence.text
    order = {id(d): n for n, d in enumerate(drafts)}
    return sorted(drafts, key=lambda d: (d.background, d.duplicate_of is not None, order[id(d)]))


def draft_articles(
    sources: Iterable[str], dataset: Dataset, **given: Any
) -> Iterator[tuple[Article, list[Draft]]]:
    """Each article read and drafted, in the order given."""
    for source in sources:
        article = read_article(source, **given)
        yield article, draft_article(article, dataset)


# --- 10. output ------------------------------------------------------------------------------


def as_json(drafted: list[tuple[Article, list[Draft]]]) -> str:
    """A JSON array: per draft, the record's fields as in the schema, ``evidence`` (field ->
    sentence), and ``background: true`` or ``duplicate_of: <id>`` where they apply."""
    out = []
    for _article, drafts in drafted:
        for d in drafts:
            item: dict[str, Any] = {"article": d.article}
            fields = _jsonable(records.ordered(dict(d.record)))
            item.update({"date": None} if "date" not in fields else {})  # needs a date
            item.update(fields)
            item.setdefault("summary", None)
            item["evidence"] = d.evidence
            if d.background:
                item["background"] = True
            if d.aggregate is not None:
                item["tally"] = d.aggregate
            if d.duplicate_of:
                item["duplicate_of"] = d.duplicate_of
                item["adds"] = _jsonable(d.adds)
            if d.needs:
                item["needs"] = d.needs
            out.append(item)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def as_yaml(drafted: list[tuple[Article, list[Draft]]]) -> str:
    """YAML documents for a person to review: per draft, its evidence as comments and its
    record as the incident-file writer writes it (so it reads like a record file)."""
    parts = []
    for article, drafts in drafted:
        new = sum(d.is_new for d in drafts)
        again = sum(d.duplicate_of is not None and not d.background for d in drafts)
        back = sum(d.background for d in drafts)
        about = ", ".join(
            x
            for x in (
                article.publisher,
                f'"{article.title}"' if article.title else None,
                _published(article),
            )
            if x
        )
        head = [
            f"# Drafts from {article.name}" + (f" ({about})" if about else ""),
            f"# {new} new, {again} already recorded, {back} background. Check every field "
            "against the article;",
            "# the summary is yours to write, in your own words: "
            "`make new FROM=FILE DRAFT=N` asks for it.",
        ]
        parts.append("\n".join(head) + "\n")
        for n, d in enumerate(drafts, 1):
            parts.append(_yaml_doc(n, len(drafts), d))
    return "---\n".join(parts)


def _published(article: Article) -> str | None:
    if article.published is None:
        return "no publication date found"
    return f"published {article.published.isoformat()}"


def _yaml_doc(n: int, total: int, d: Draft) -> str:
    lines = [f"# Draft {n} of {total}: {d.headline}"]
    if d.duplicate_of:
        lines.append("# Not a new record: add what the article adds to that file, by hand.")
    for need in d.needs:
        lines += _comment(f"needs {need}")
    lines.append("# Evidence (the article's words, to check against; never copy them):")
    by_sentence: dict[str, list[str]] = {}
    for key, sentence in d.evidence.items():
        by_sentence.setdefault(sentence, []).append(key)
    for sentence, keys in by_sentence.items():
        lines += _comment(f"{', '.join(keys)}: “{sentence}”", indent="#   ", more="#       ")
    body: dict[str, Any]
    if d.duplicate_of:
        body = {"duplicate_of": d.duplicate_of, "adds": d.adds or {}}
        if not d.adds:
            body = {"duplicate_of": d.duplicate_of}
            lines.append("# The article adds nothing the record does not have.")
        if d.background:
            body["background"] = True
    else:
        body = records.ordered(dict(d.record))
        if d.background:
            body = {"background": True, **body}
            if d.aggregate is not None:
                body["tally"] = d.aggregate
        else:
            lines.append("# summary: yours to write (make new FROM=this-file asks for it)")
    text = records.incident_file(body, "\n".join(lines)).decode("utf-8")
    return text


def _comment(text: str, indent: str = "# ", more: str = "#   ") -> list[str]:
    import textwrap

    return textwrap.wrap(
        text,
        records.WRAP,
        initial_indent=indent,
        subsequent_indent=more,
        break_long_words=False,
        break_on_hyphens=False,
    )


# --- reading drafts back: `make new FROM=…` --------------------------------------------------


def load_drafts(path: Path) -> list[dict[str, Any]]:
    """The drafts of a file ``draft`` wrote: YAML documents, or a JSON array (or object)."""
    try:
        text = path.read_text("utf-8")
    except OSError as e:
        raise DraftError(f"{path}: cannot be read ({e.strerror})") from None
    try:
        if text.lstrip().startswith(("[", "{")):
            loaded = json.loads(text)
            items = loaded if isinstance(loaded, list) else [loaded]
        else:
            items = [d for d in yaml.safe_load_all(text) if d is not None]
    except (ValueError, yaml.YAMLError) as e:
        raise DraftError(f"{path}: not a draft file ({e})") from None
    if not all(isinstance(d, dict) for d in items):
        raise DraftError(f"{path}: not a draft file: each draft is a mapping of fields")
    return items


def pick_draft(drafts: list[dict[str, Any]], number: int | None, shown: str) -> dict[str, Any]:
    """The draft to start from: the one numbered, or the only new one."""
    if number is not None:
        if not 1 <= number <= len(drafts):
            raise DraftError(f"{shown} has {len(drafts)} drafts; --draft takes 1 to {len(drafts)}")
        chosen = drafts[number - 1]
    else:
        new = [d for d in drafts if not d.get("background") and not d.get("duplicate_of")]
        if len(new) != 1:
            listing = "; ".join(f"{n}: {_label(d)}" for n, d in enumerate(drafts, 1))
            raise DraftError(
                f"{shown} holds {len(new)} new drafts; choose one with --draft N ({listing})"
            )
        chosen = new[0]
    if chosen.get("duplicate_of"):
        raise DraftError(
            f"that draft is already recorded as {chosen['duplicate_of']}: add the "
            "article to that record instead of writing a new one"
        )
    return {k: v for k, v in chosen.items() if k not in DRAFT_ONLY}


DRAFT_ONLY = ("article", "evidence", "background", "duplicate_of", "adds", "needs", "tally")


def _label(d: dict[str, Any]) -> str:
    what = (
        "background"
        if d.get("background")
        else (f"already recorded as {d['duplicate_of']}" if d.get("duplicate_of") else "new")
    )
    place = d.get("base") or d.get("location") or d.get("country") or "?"
    return f"{what} {d.get('kind', '?')} {d.get('date', '?')} {place}"
