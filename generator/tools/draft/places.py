"""Places: the data's bases, towns, provinces and countries an article names, and whether two
records or drafts are at the same place."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from generator.gazetteer import KnownSite
from generator.gazetteer import load as load_gazetteer
from generator.model import Base, Dataset
from generator.text import NameIndex, clean, name_key
from generator.tools.draft.lexicon import (
    ARTICLES,
    BASE_CONTEXT,
    DEMONYMS,
    DISTANCE_UNITS,
    GENERIC_NAME_WORDS,
    NOT_PLACES,
    PLACE_STOP,
    PLACES,
    SITE_ABBREVIATIONS,
    pattern,
)
from generator.tools.draft.sentences import Token, tokens

if TYPE_CHECKING:
    from generator.tools.draft.clauses import Clause

SITE_NOUNS = pattern("site_nouns")


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


BORDER = re.compile(pattern("border"), re.I)


class Gazetteer:
    """The names the article's places are found by: the data folder's bases (by their
    names and aliases, through its ``NameIndex``; misspellings through rapidfuzz), the
    dataset's countries, and the provinces and towns of ``PLACES``."""

    def __init__(self, dataset: Dataset, *, sites: bool = True) -> None:
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
        self.sites: dict[str, KnownSite] = {}
        self.towns = _towns(tuple(dataset.info.countries)) if sites else {}
        if sites:
            self._add_sites(not_bases | {" ".join(words) for words in self.towns})
        self.index = index
        self.fuzzy_choices = sorted(self.signature)
        self.single_choices = list(self.single)
        self._fuzzy: dict[tuple[str, int], str | None] = {}
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
        for words, country in self.towns.items():
            self.places.setdefault(words, ("", country))  # named as the article writes it
        # the words a name of a base can start with: no other word needs a look
        self.starts = {words[0] for words in self.full} | ARTICLES | GENERIC_NAME_WORDS
        self.starts |= {w for sig in [*self.single, *self.signature] for w in sig.split()}
        self.country_words: dict[str, str] = {}
        for country in self.countries:
            self.country_words[name_key(country)] = country
            if country in DEMONYMS:
                self.country_words[name_key(DEMONYMS[country])] = country
        # the words a town's or country's name can start with: no other word needs a look
        self.place_starts = {words[0] for words in self.places} | set(self.country_words)

    def _add_sites(self, place_names: set[str]) -> None:
        """The gazetteer's sites (generator/gazetteer/sites.yaml): a site that is a base of
        the data by id lends it its other names; any other is a site of its own
        (``site:<id>``), reported by its name and country. A name that is also a town's is
        left to the town; two sites with one name are neither of them."""
        taken = set(self.signature) | set(self.single)
        mine: dict[str, str] = {}
        clash: set[str] = set()
        for site in load_gazetteer().sites:
            if site.type == "patrol":  # a patrol or convoy is not a place
                continue
            base_id = site.id if site.id in self.dataset.base_by_id else f"site:{site.id}"
            if base_id.startswith("site:"):
                self.sites[base_id] = site
            for name in (site_name(site), *site.aliases):
                words = tuple(t.key for t in tokens(name))
                if not words or " ".join(words) in place_names:
                    continue
                self.full.setdefault(words, base_id)
                for short in _abbreviated(words):
                    self.full.setdefault(short, base_id)
                distinctive = [w for w in _core(words) if w not in ARTICLES]
                sig = " ".join(distinctive)
                if not distinctive or sig in taken or sig in place_names:
                    continue
                if len(distinctive) == 1 and not base_id.startswith("site:"):
                    continue  # a base of the data is found by one word only as its data says
                if mine.setdefault(sig, base_id) != base_id:
                    clash.add(sig)
                (self.single if len(distinctive) == 1 else self.signature)[sig] = base_id
        for sig in clash:
            self.single.pop(sig, None)
            self.signature.pop(sig, None)

    def about(self, base_id: str) -> Base | KnownSite:
        """The base of the data, or the gazetteer's site, that ``base_id`` names."""
        return self.sites.get(base_id) or self.dataset.base_by_id[base_id]

    def where(self, base_id: str) -> tuple[float, float] | None:
        """Where a base or site is: a base's own coordinates, else those of the gazetteer's
        site of its id (a base of the data links to the gazetteer by id) unless that site is
        placed only by its region; a site the data does not list, by its reference point."""
        about = self.about(base_id)
        if isinstance(about, KnownSite):
            return about.lat, about.lon
        if about.lat is not None and about.lon is not None:
            return about.lat, about.lon
        site = load_gazetteer().site_by_id.get(base_id)
        return None if site is None or site.precision == "region" else (site.lat, site.lon)

    def name_of(self, base_id: str) -> str:
        about = self.about(base_id)
        return site_name(about) if isinstance(about, KnownSite) else about.name

    def base_by_town(self, place: Place) -> Place:
        """An unnamed base in a town ('an Iraqi base in Kirkuk') as the one site by that
        town (K-1: ``site_by_town``), a base of the data or a gazetteer site; else the town."""
        if place.base or not place.location:
            return place
        site = load_gazetteer().site_by_town(place.location, place.country)
        if site is None:
            return place
        base_id = site.id if site.id in self.dataset.base_by_id else f"site:{site.id}"
        if base_id not in self.dataset.base_by_id and base_id not in self.sites:
            return place
        return Place(base=base_id, country=site.country, start=place.start, end=place.end)

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
                    country=self.about(base_id).country,
                )
            )
            n = end
        return found

    def _match_at(self, words: list[Token], n: int, found: list[Place]) -> tuple[str, int] | None:
        starts = words[n].key in self.starts
        if not starts and not words[n].capital:
            return None  # neither a word names start with, nor a capital a misspelling may
        if starts:
            keys = tuple(w.key for w in words[n : n + 7])
            for length, base_id, one_word in self._names_at(keys):
                if not one_word or self._in_context(words, n, length, found):
                    return base_id, length
        # a misspelt name: two to four capitalised words close to a name of the data
        for length in range(min(4, len(words) - n), 1, -1):
            span = words[n : n + length]
            if not span[0].capital or not span[-1].capital:
                continue
            best = self._misspelt(tuple(t.key for t in span))
            if best is not None:
                return self.signature[best], length
        word = words[n]
        if word.capital and len(word.key) >= 6 and word.key not in ARTICLES:
            close = self._closest(word.key, self.single_choices, 86)
            if close is not None and self._in_context(words, n, 1, found):
                return self.single[close], 1
        return None

    @lru_cache(maxsize=65536)  # noqa: B019 (one gazetteer per dataset, kept for the process)
    def _names_at(self, keys: tuple[str, ...]) -> tuple[tuple[int, str, bool], ...]:
        """The names of the data that words starting here may be, longest first, as (length,
        base id, found by one word): a whole name or the distinctive words of one end the
        list; a one-word name needs its context (``_in_context``) and does not."""
        out: list[tuple[int, str, bool]] = []
        for length in range(len(keys), 0, -1):
            span = keys[:length]
            if span in self.full:
                return (*out, (length, self.full[span], False))
            singular = (*span[:-1], span[-1][:-1])  # "the al-Omar oil fields"
            if span[-1].endswith("s") and span[-1][:-1] in BASE_CONTEXT and singular in self.full:
                return (*out, (length, self.full[singular], False))
            core = [w for w in _core(span) if w not in ARTICLES]
            if not core or (span[0] in ARTICLES and length == 1):
                continue
            if span[-1] in ARTICLES or (span[0] in GENERIC_NAME_WORDS and len(core) == 1):
                continue
            sig = " ".join(core)
            if len(core) >= 2 and sig in self.signature and len(_core(span)) == len(span):
                return (*out, (length, self.signature[sig], False))
            if len(core) == 1 and length <= 2 and sig in self.single:
                out.append((length, self.single[sig], True))
        return tuple(out)

    @lru_cache(maxsize=65536)  # noqa: B019 (one gazetteer per dataset, kept for the process)
    def _misspelt(self, keys: tuple[str, ...]) -> str | None:
        """The signature of the data's names that these words misspell, if any."""
        core = [w for w in _core(keys) if w not in ARTICLES]
        sig = " ".join(core)
        if len(core) < 2 or len(sig) < 7:
            return None
        return self._closest(sig, self.fuzzy_choices, 88)

    def _closest(self, key: str, choices: list[str], cutoff: int) -> str | None:
        """The name closest to ``key`` by rapidfuzz's ratio, at least ``cutoff``; each key
        looked up once (a long article names the same places over and over)."""
        if (key, cutoff) not in self._fuzzy:
            best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
            self._fuzzy[(key, cutoff)] = None if best is None else str(best[0])
        return self._fuzzy[(key, cutoff)]

    def _in_context(self, words: list[Token], n: int, length: int, found: list[Place]) -> bool:
        near = [w.key for w in words[max(0, n - 3) : n]] + [
            w.key for w in words[n + length : n + length + 3]
        ]
        if any(w in BASE_CONTEXT for w in near):
            return True
        if any(w.key in DISTANCE_UNITS for w in words[max(0, n - 4) : n]):
            return True  # "7 km east of al-Asad": a place one measures from
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
            if words[n].key not in self.place_starts:
                n += 1  # no place's name starts with this word, nor is it a country's
                continue
            for length in range(min(4, len(words) - n), 0, -1):
                span = tuple(w.key for w in words[n : n + length])
                if span in self.places and (words[n].capital or length > 1):
                    name, country = self.places[span]
                    start, end = words[n].start, words[n + length - 1].end
                    if _PERSON_BEFORE.search(text, max(0, start - 20), start):
                        n += length - 1
                        break  # "Abu Bakr al-Baghdadi": a person, not the town
                    name = name or clean(text[start:end])
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


def site_name(site: KnownSite) -> str:
    """A site's name without what its parentheses add: 'Hemo base (Qamishli)' -> 'Hemo base'."""
    return re.sub(r"\s*\([^)]*\)", "", site.name).strip() or site.name


@cache
def _towns(countries: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    """The gazetteer's provinces, districts, towns and areas by the words of each of their
    names (generator/gazetteer/places.csv), with their country; not villages, not names of
    three letters or fewer, and not the names the lexicon says are ordinary words
    (``not_places``: "Hit", "Sadr", "Main")."""
    out: dict[tuple[str, ...], str] = {}
    stop = {name_key(w) for w in NOT_PLACES}
    for place in load_gazetteer().places:
        if place.country not in countries or place.kind == "village":
            continue
        for name in place.names:
            if not name or not name.isascii() or len(name) < 4 or name_key(name) in stop:
                continue
            words = tuple(t.key for t in tokens(name))
            if 0 < len(words) <= 4:
                out.setdefault(words, place.country)
    return out


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


def _unnamed_sites(places: list[Place], clause: Clause, text: str) -> list[Place]:
    """The unnamed sites a clause reports attacked: its towns and provinces ('the Al-Baghdadi
    area of Anbar province' is one), else its country; each country when the clause tells one
    attack in each ('a drone attack on US troops in Iraq and a rocket attack in Syria')."""
    inside = [p for p in places if clause.start <= p.start < clause.end]
    towns: list[Place] = []
    for p in (p for p in inside if p.location):
        if (
            towns
            and towns[-1].country == p.country
            and _AREA_OF.fullmatch(text[towns[-1].end : p.start])
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
    each = one_attack_in_each(text, clause, len(countries))
    return towns + (countries if each else countries[:1])


def one_attack_in_each(text: str, clause: Clause, countries: int) -> bool:
    """The clause tells one attack of its own for each of its two or more countries ("a drone
    attack on US troops in Iraq and a rocket attack in Syria"), not attacks in all of them
    summed up."""
    return countries > 1 and len(_ONE_ATTACK.findall(text, clause.start, clause.end)) >= countries


def _country_is_place(text: str, place: Place) -> bool:
    """'in Syria', 'Iraqi bases': the country is where; not 'the Iraqi militaries said'."""
    word = text[place.start : place.end]
    before = text[max(0, place.start - 25) : place.start].lower()
    after = text[place.end : place.end + 30]
    if word.endswith(("i", "n")) and word not in ("Iran", "Jordan"):  # a demonym
        return bool(_SITE_AFTER.match(after))
    if _COUNTRIES_LISTED.search(before):
        return True
    if _TOWN_BEFORE_COUNTRY.search(text[max(0, place.start - 40) : place.start]):
        return True
    if _HIDEOUT_AFTER.match(after):
        return True  # "raided his Syria hideout", "a Syria base"
    return bool(_IN_COUNTRY.search(before)) or after.startswith("'s")


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
    for p in _within(towns, text) or where:
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


_WITHIN = re.compile(pattern("within"), re.I)
_PERSON_BEFORE = re.compile(pattern("person_before"))
_AREA_OF = re.compile(pattern("area_of"))
_COUNTRIES_LISTED = re.compile(pattern("countries_listed"), re.I)
_IN_COUNTRY = re.compile(pattern("in_country"))  # on lower-cased text
_TOWN_BEFORE_COUNTRY = re.compile(pattern("town_before_country"))
_ONE_ATTACK = re.compile(pattern("one_attack"), re.I)
_SITE_AFTER = re.compile(r"\s+(?:\w+\s+){0,2}?" + SITE_NOUNS, re.I)  # "Iraqi bases"
_HIDEOUT_AFTER = re.compile(
    rf"\s+(?:\w+\s+){{0,1}}?(?:{SITE_NOUNS}|{pattern('hideouts')})", re.I
)  # "his Syria hideout"


def _within(towns: list[Place], text: str) -> list[Place]:
    """A place and the one it lies in, named together, as one place in the article's words:
    'Mashtal, eastern Baghdad', 'Jurf al-Sakhar in Babil province'."""
    out: list[Place] = []
    for p in towns:
        last = out[-1] if out else None
        if (
            last is not None
            and last.country == p.country
            and 0 <= p.start - last.end <= 40
            and _WITHIN.fullmatch(text[last.end : p.start])
        ):
            words = clean(text[last.start : p.end])
            out[-1] = dataclasses.replace(last, location=words, end=p.end)
            continue
        out.append(p)
    return out


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


def _named(location: str) -> set[str]:
    return {t.key for t in tokens(location) if t.key not in PLACE_STOP and len(t.key) > 2}


def _share_name(a: str, b: str) -> bool:
    na, nb = _named(a), _named(b)
    if not na or not nb:
        return True
    if na & nb:
        return True
    return any(fuzz.ratio(x, y) >= 80 for x in na for y in nb)


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
        held = (
            dataset,
            Gazetteer(Dataset(bases=stand_ins, incidents=(), info=dataset.info), sites=False),
        )
        _GAZETTEERS[key] = held
    return held[1]
