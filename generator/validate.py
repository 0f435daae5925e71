"""Check every record and the links between them; collect every problem, then stop once.

``load_dataset`` is the entry point: it reads data/bases.yaml and every incident file,
and returns a ``Dataset`` or raises ``DataError`` listing all problems as
``path:line:col: field: message``. The helpers that word problems (``parse_record``,
``describe_error``, ``did_you_mean``, ``unknown_base``) are shared with the CSV importer,
so that its messages read like the validator's.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import types
import typing
import zoneinfo
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator import gazetteer, git
from generator.dates import long_date, month_end, month_start
from generator.errors import DataError, Problem
from generator.fields import UNNAMED_PREFIX
from generator.load import Document, Loc, format_loc, read_yaml, value_at
from generator.model import Actor, Base, Dataset, DatasetInfo, Incident, chronological
from generator.parallel import parallel_map
from generator.project import Project
from generator.text import NameIndex, did_you_mean, name_key, printable, skeleton
from generator.values import YAMLValue
from generator.vocabularies import LOCATION_PRECISIONS

MAX_INCIDENT_BYTES = 256 * 1024
MAX_LIST_BYTES = 4 * 1024 * 1024  # bases.yaml, actors.yaml, dataset.yaml


def today() -> dt.date:
    """The build's notion of today: SOURCE_DATE_EPOCH when set (reproducible builds), else UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.datetime.now(tz=dt.timezone.utc).date()


def load_dataset(project: Project, *, as_of: dt.date | None = None) -> Dataset:
    """Read and check all data; return the Dataset or raise DataError with every problem."""
    problems: list[Problem] = _links(project) + checkout_attributes(project)
    if problems:  # nothing is read through a link, or from bytes the review did not see
        raise DataError(problems)
    info = load_info(project, problems)
    hints: list[Problem] = []
    bases = load_bases(project, problems, hints)
    actors = load_actors(project, problems)
    if bases is not None:
        problems += _check_scope(bases, info, project)
    incidents: list[tuple[Incident, Where]] = []
    files = [(path, project.display(path)) for path in project.incident_files()]
    for (path, display), (incident, found) in zip(
        files, parallel_map(_read_incident, files), strict=True
    ):
        problems += found
        if incident is not None:
            incidents.append((incident, Where(path, display)))
    for path in project.stray_files():
        if not path.name.startswith("."):
            problems.append(Problem(project.display(path), 1, 1, "file", _STRAY))
    if bases is not None:
        _check_incidents(incidents, bases, actors, info, as_of or today(), problems, hints)
    if problems:
        raise DataError(problems)
    return Dataset(
        bases=tuple(sorted(bases or (), key=lambda b: b.id)),
        incidents=chronological([i for i, _ in incidents]),
        files={i.id: project.repository_path(doc.file) for i, doc in incidents},
        info=info,
        actors=tuple(sorted(actors, key=lambda a: a.id)),
        hints=tuple(sorted(hints)),
    )


def _read_incident(file: tuple[Path, str]) -> tuple[Incident | None, list[Problem]]:
    """Read and check one incident file on its own (in a worker process, for big datasets)."""
    path, display = file
    doc = read_yaml(path, display, max_bytes=MAX_INCIDENT_BYTES)
    problems = list(doc.problems)
    if doc.value is None:
        return None, problems
    incident = parse_record(Incident, doc, (), problems)
    if incident is None and isinstance(doc.value, dict):  # say it now, not on the next run
        given = doc.value.get("id")
        named = not any(p.field == "id" for p in problems)
        if isinstance(given, str) and named and given != path.stem and ("id",) not in doc.bad:
            problems.append(doc.problem(("id",), _id_not_file_name(given, Path(display))))
    return incident, problems


def _id_not_file_name(given: str, path: Path) -> str:
    return (
        f"'{given}' does not match the file name '{path.name}'; rename the file to "
        f"{given}.yaml or change the id"
    )


class Where:
    """The file an incident came from. Its line marks are read again only if a check across
    records finds a problem in it: valid data never needs them."""

    def __init__(self, file: Path, path: str) -> None:
        self.file = file
        self.path = path

    @cached_property
    def doc(self) -> Document:
        return read_yaml(self.file, self.path, max_bytes=MAX_INCIDENT_BYTES)

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        return self.doc.problem(loc, message, key=key)


def _links(project: Project) -> list[Problem]:
    return [
        Problem(
            project.display(link),
            1,
            1,
            "file",
            f"is a symbolic link (to {printable(target)}); data files and folders must "
            "be real ones, so that a review sees exactly what is published. Replace it "
            "with the file itself, or remove it",
        )
        for link, target in project.links(project.data_dir)
    ]


# Git attributes that make a checkout write other bytes than the commit holds: a build reads
# the checkout, a review reads the commit, so they would not see the same record.
CONVERTING = ("working-tree-encoding", "filter", "ident", "eol", "crlf")


def checkout_attributes(project: Project) -> list[Problem]:
    """The data and docs/ files that a .gitattributes line converts on checkout (another
    encoding, a filter, CRLF line ends, expanded $Id$): refused, whatever the line says."""
    top = git.toplevel(project.root)
    if top is None:
        return []
    paths = [
        p
        for folder in (project.data_dir, project.docs_dir)
        if folder.is_dir() and not folder.is_symlink()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    ]
    if not paths:
        return []
    names = [os.path.relpath(p, top) for p in paths]
    try:
        listing = "\0".join(names).encode() + b"\0"
        out = git.run(top, "check-attr", "-z", "--stdin", *CONVERTING, stdin=listing)
    except git.GitError:
        return []
    fields = out.split(b"\0")
    problems = []
    for path, attribute, value in zip(fields[0::3], fields[1::3], fields[2::3], strict=False):
        setting = value.decode("utf-8", "replace")
        if setting in ("unspecified", "unset") or (attribute == b"eol" and setting == "lf"):
            continue
        shown = project.display(top / os.fsdecode(path))
        problems.append(
            Problem(
                shown,
                1,
                1,
                "file",
                f"a .gitattributes line sets {attribute.decode()}={printable(setting)} for "
                "this file, so a checkout writes other bytes than the commit holds and the "
                "site would be built from text no review saw; remove that line",
            )
        )
    return problems


_STRAY = (
    "this file is not read: incident files go in data/incidents/<YYYY>/<id>.yaml "
    "(a folder per year, the extension .yaml)"
)


# --- bases ---------------------------------------------------------------------------------


def load_info(project: Project, problems: list[Problem]) -> DatasetInfo:
    """data/dataset.yaml, or the defaults when there is none (or it has problems)."""
    path = project.info_file
    if not path.is_file():
        return DatasetInfo()
    doc = read_yaml(path, project.display(path), max_bytes=MAX_LIST_BYTES)
    problems += doc.problems
    if doc.value is None:
        return DatasetInfo()
    info = parse_record(DatasetInfo, doc, (), problems)
    return info if info is not None else DatasetInfo()


Named = typing.TypeVar("Named", Base, Actor)


def load_named_list(
    path: Path, display: str, model: type[Named], what: str, problems: list[Problem]
) -> tuple[Document, list[tuple[int, Named]]] | None:
    """A YAML list of named entries (bases.yaml, actors.yaml), each checked against its
    model: every id once, and no name or alias shared by two entries. None when the file
    cannot be read as such a list (the problems say why)."""
    doc = read_yaml(path, display, max_bytes=MAX_LIST_BYTES)
    problems += doc.problems
    if doc.value is None or doc.bad:
        return None
    if not isinstance(doc.value, list):
        problems.append(doc.problem((), f"must be a list of {what}s, each starting with '- id: …'"))
        return None
    entries: list[tuple[int, Named]] = []
    seen: dict[str, int] = {}
    names = NameIndex()
    looks: dict[str, tuple[str, str]] = {}  # skeleton -> the first (id, name) that looks so
    for i in range(len(doc.value)):
        parsed = parse_record(model, doc, (i,), problems)
        if parsed is None:
            continue
        entry: Named = parsed
        if entry.id in seen:
            first = doc.mark((seen[entry.id], "id")).line
            problems.append(
                doc.problem(
                    (i, "id"),
                    f"the {what} '{entry.id}' is listed twice (first on line {first}); keep one",
                )
            )
            continue
        seen[entry.id] = i
        clashes = dict(names.add(entry.id, [entry.name, *entry.aliases]))
        for j, name in enumerate([entry.name, *entry.aliases]):
            loc: Loc = (i, "name") if j == 0 else (i, "aliases", j - 1)
            if name in clashes:
                problems.append(
                    doc.problem(
                        loc,
                        f"the name '{name}' is also used by {what} '{clashes[name]}'; "
                        f"names and aliases must tell {what}s apart",
                    )
                )
                continue
            other = looks.setdefault(skeleton(name), (entry.id, name))
            if other[0] != entry.id:
                problems.append(
                    doc.problem(
                        loc,
                        f"the name '{name}' looks the same as '{other[1]}' of {what} "
                        f"'{other[0]}' (characters that look alike); names must look different",
                    )
                )
        entries.append((i, entry))
    return doc, entries


def load_bases(
    project: Project, problems: list[Problem], hints: list[Problem] | None = None
) -> list[Base] | None:
    display = project.display(project.bases_file)
    if not project.bases_file.is_file():
        problems.append(Problem(display, 1, 1, "file", "is missing; it lists the bases"))
        return None
    found = load_named_list(project.bases_file, display, Base, "base", problems)
    if found is None:
        return None
    doc, bases = found
    for i, base in bases:
        if base.id.startswith(UNNAMED_PREFIX):
            problems.append(
                doc.problem(
                    (i, "id"),
                    f"ids starting with '{UNNAMED_PREFIX}' are kept for sites the reporting "
                    "does not name; choose another",
                )
            )
        if (base.lat is None) != (base.lon is None):
            missing = "lat" if base.lat is None else "lon"
            problems.append(doc.problem((i, missing), "give both lat and lon, or neither"))
        if hints is not None:
            hints += [doc.problem((i, *loc), text) for loc, text in _gazetteer_hints(base)]
    return [b for _, b in bases]


# How far a base's coordinates may lie from its gazetteer site's before a hint says so, by
# the less exact of the two precisions.
_NEAR_KM = dict(zip(LOCATION_PRECISIONS, (5.0, 15.0, 60.0), strict=True))  # exact … region


def _gazetteer_hints(base: Base) -> list[tuple[Loc, str]]:
    """A base whose id is a site of the gazetteer (generator/gazetteer/sites.yaml) is that
    site: a name the gazetteer does not know, or coordinates far from its, is worth a look."""
    site = gazetteer.load().site_by_id.get(base.id)
    if site is None:
        return []
    out: list[tuple[Loc, str]] = []
    known = {name_key(n) for n in site.names}
    if not any(name_key(n) in known for n in (base.name, *base.aliases)):
        out.append(
            (
                ("name",),
                f"the id '{base.id}' is the gazetteer's site '{site.name}', whose names do not "
                f"include '{base.name}' or its aliases; check the id, or add the name to the "
                "site's aliases in generator/gazetteer/sites.yaml",
            )
        )
    if base.lat is not None and base.lon is not None:
        km = distance_km(base.lat, base.lon, site.lat, site.lon)
        precisions = [base.location_precision or "approximate", site.precision]
        allowed = max(_NEAR_KM.get(p, 15.0) for p in precisions)
        if km > allowed:
            out.append(
                (
                    ("lat",),
                    f"these coordinates are {km:,.0f} km from the gazetteer's for "
                    f"'{site.name}' ({site.lat:.2f}, {site.lon:.2f}, {site.precision}: "
                    f"{site.source}); check which is right",
                )
            )
    return out


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points, in km."""
    a = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(math.radians(lat1))
        * math.cos(math.radians(lat2))
        * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


# --- actors ---------------------------------------------------------------------------------


def load_actors(project: Project, problems: list[Problem]) -> list[Actor]:
    """data/actors.yaml (optional): the groups perpetrators can name by id."""
    path = project.actors_file
    if not path.is_file():
        return []
    found = load_named_list(path, project.display(path), Actor, "actor", problems)
    if found is None:
        return []
    doc, actors = found
    ids = {a.id for _, a in actors}
    parents = {a.id: a.parent for _, a in actors if a.parent in ids and a.parent != a.id}
    circles = circles_reached(parents)
    for i, actor in actors:
        if actor.parent is None:
            continue
        if actor.parent == actor.id:
            problems.append(doc.problem((i, "parent"), "an actor cannot be its own parent"))
        elif actor.parent not in ids:
            problems.append(
                doc.problem(
                    (i, "parent"),
                    f"no actor has the id '{actor.parent}'{did_you_mean(actor.parent, ids)}",
                )
            )
        elif circle := circles.get(actor.id):
            loop = " → ".join(_shortened(circle))
            problems.append(doc.problem((i, "parent"), f"parents go round in a circle: {loop}"))
    return [a for _, a in actors]


def _shortened(names: list[str], most: int = 10) -> list[str]:
    """A long chain of names as its first ones, '…', and the last: a message stays short."""
    if len(names) <= most:
        return names
    return [*names[: most - 2], f"… ({len(names) - most + 1:,} more)", names[-1]]


def circles_reached(links: dict[str, str]) -> dict[str, list[str]]:
    """For each node whose chain of links (a parent, then its parent…) runs into a circle,
    that circle from where the chain enters it, written closed ('a → b → a' as [a, b, a]).
    Linear in the number of links: each node is walked once."""
    entry: dict[str, str | None] = {}  # node -> where its chain enters a circle (None: never)
    ring: dict[str, list[str]] = {}  # a node on a circle -> the circle, in order from it
    for start in links:
        path: list[str] = []
        on_path: dict[str, int] = {}
        node = start
        while node in links and node not in entry and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            node = links[node]
        if node in on_path:  # a new circle, closed at node
            circle = path[on_path[node] :]
            for k, member in enumerate(circle):
                ring[member] = circle[k:] + circle[:k]
                entry[member] = member
            reached: str | None = node
            path = path[: on_path[node]]
        else:
            reached = entry.get(node)
        for member in path:
            entry[member] = reached
    return {n: [*ring[e], e] for n, e in entry.items() if e is not None}


# --- incidents -----------------------------------------------------------------------------


@dataclass
class _Context:
    """What checking one incident needs to know about the others."""

    bases: dict[str, Base]
    base_names: NameIndex
    actors: dict[str, Actor]
    actor_names: NameIndex
    ids: set[str]
    moved: dict[str, str]  # a previous id -> the id the record has now
    info: DatasetInfo
    as_of: dt.date
    countries: dict[str, str] = field(default_factory=dict)  # name_key -> as written

    def __post_init__(self) -> None:
        self.countries = {name_key(c): c for c in self.info.countries}

    def out_of_scope(self, country: str) -> str | None:
        """A message when ``country`` is not one the dataset covers. A border strike may
        name two ('Iraq and Syria'): each must be covered."""
        parts = re.split(r"\s*(?:,|/|&|\band\b|–)\s*", country)
        if all(name_key(p) in self.countries for p in parts if p):
            return None
        return (
            f"'{country}' is not one of the countries this dataset covers "
            f"({', '.join(self.info.countries)}); check the spelling, or add it to countries "
            "in dataset.yaml"
        )


def _check_scope(bases: list[Base], info: DatasetInfo, project: Project) -> list[Problem]:
    """Every base is in a country the dataset covers."""
    covered = {name_key(c) for c in info.countries}
    wrong = [b for b in bases if name_key(b.country) not in covered]
    if not wrong:
        return []
    doc = read_yaml(
        project.bases_file, project.display(project.bases_file), max_bytes=MAX_LIST_BYTES
    )
    entries = doc.value if isinstance(doc.value, list) else []
    index = {v.get("id"): n for n, v in enumerate(entries) if isinstance(v, dict)}
    return [
        doc.problem(
            (index.get(b.id, 0), "country"),
            f"'{b.country}' is not one of the countries this dataset covers "
            f"({', '.join(info.countries)}); check the spelling, or add it to "
            "countries in dataset.yaml",
        )
        for b in wrong
    ]


def _check_incidents(
    incidents: list[tuple[Incident, Where]],
    bases: list[Base],
    actors: list[Actor],
    info: DatasetInfo,
    as_of: dt.date,
    problems: list[Problem],
    hints: list[Problem],
) -> None:
    first_file: dict[str, str] = {}
    for incident, doc in incidents:
        if incident.id in first_file:
            problems.append(
                doc.problem(
                    ("id",),
                    f"the id '{incident.id}' is already used by "
                    f"{first_file[incident.id]}; ids must be unique",
                )
            )
        first_file.setdefault(incident.id, doc.path)
    moved: dict[str, str] = {}
    for incident, doc in incidents:
        for n, old in enumerate(incident.previous_ids):
            if old in first_file:
                message = (
                    f"'{old}' is the id of {first_file[old]}; a previous id must not be in use"
                )
                problems.append(doc.problem(("previous_ids", n), message))
            elif old in moved and moved[old] != incident.id:
                message = f"'{old}' is already a previous id of '{moved[old]}'"
                problems.append(doc.problem(("previous_ids", n), message))
            moved.setdefault(old, incident.id)
    context = _Context(
        bases={b.id: b for b in bases},
        base_names=NameIndex((b.id, (b.name, *b.aliases)) for b in bases),
        actors={a.id: a for a in actors},
        actor_names=NameIndex((a.id, (a.name, *a.aliases)) for a in actors),
        ids=set(first_file),
        moved=moved,
        info=info,
        as_of=as_of,
    )
    for incident, doc in incidents:
        problems += _check_one(incident, doc, context)
        hints += _hints(incident, doc, context)
    problems += _check_responses(incidents)
    hints += possible_duplicates(incidents, context.bases)


NEARBY_KM = 5.0  # sites closer than this can be one place in reporting (Conoco, Green Village)


def possible_duplicates(
    incidents: list[tuple[Incident, Where]], bases: dict[str, Base]
) -> list[Problem]:
    """Pairs that may be one event recorded twice: the same kind, on the same or the next
    day, at the same site, sites within a few km, or resting on the same sole source. A
    hint, on the later record; ``distinct_from`` on either record says they are not."""
    dated = sorted(
        ((i, doc) for i, doc in incidents if i.date_precision != "month"),
        key=lambda pair: _earliest_possible(pair[0]),
    )
    out: list[Problem] = []
    for n, (a, doc_a) in enumerate(dated):
        latest = _latest_possible(a) + dt.timedelta(days=1)
        for b, doc_b in dated[n + 1 :]:
            if _earliest_possible(b) > latest:
                break
            if a.kind != b.kind or b.id in a.distinct_from or a.id in b.distinct_from:
                continue
            why = _same_event(a, b, bases)
            if why:
                later, other = (b, a) if (b.date, b.id) >= (a.date, a.id) else (a, b)
                doc = doc_b if later is b else doc_a
                out.append(
                    doc.problem(
                        ("id",),
                        f"may be the same event as '{other.id}' (both {why}, on "
                        f"{_day_pair(a.date, b.date)}); if it is, merge them into one record "
                        f"(previous_ids: [{other.id}] keeps the other's address); if it is "
                        f"not, add distinct_from: [{other.id}] to this record",
                    )
                )
    return out


def _same_event(a: Incident, b: Incident, bases: dict[str, Base]) -> str:
    """Why two records of one kind, close in time, may be one event ('' if no reason)."""
    kind = "attacks" if a.is_attack else "US strikes"
    sites_a = {s for s in (a.base, *a.also_hit) if s}
    sites_b = {s for s in (b.base, *b.also_hit) if s}
    if a.is_attack and sites_a & sites_b:
        shared = bases.get(min(sites_a & sites_b))
        return f"{kind} on {shared.name if shared else min(sites_a & sites_b)}"
    if a.is_attack:
        for x in sites_a:
            for y in sites_b:
                km = _km_between(bases.get(x), bases.get(y))
                if km is not None and km <= NEARBY_KM:
                    return f"{kind} on sites {km:.0f} km apart"
    if a.is_strike and a.location and b.location and name_key(a.location) == name_key(b.location):
        return f"{kind} at {a.location}"
    placed = None not in (a.lat, a.lon, b.lat, b.lon)
    if placed and distance_km(a.lat or 0, a.lon or 0, b.lat or 0, b.lon or 0) <= NEARBY_KM:
        return f"{kind} at places a few km apart"
    # One report of several attacks at named sites is several attacks; a site it does not
    # name may be one of them.
    sole_a = a.sources[0].url if len(a.sources) == 1 else None
    sole_b = b.sources[0].url if len(b.sources) == 1 else None
    unnamed = a.base is None or b.base is None
    if sole_a and sole_a == sole_b and unnamed:
        return f"{kind} resting on the same sole source, one at a site it does not name"
    return ""


def _km_between(a: Base | None, b: Base | None) -> float | None:
    if a is None or b is None or None in (a.lat, a.lon, b.lat, b.lon):
        return None
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _day_pair(a: dt.date, b: dt.date) -> str:
    first, second = sorted((a, b))
    return long_date(first) if first == second else f"{long_date(first)} and {long_date(second)}"


def _check_responses(incidents: list[tuple[Incident, Where]]) -> list[Problem]:
    """An incident can only respond to one that happened before it, and never in a circle."""
    out: list[Problem] = []
    by_id = {i.id: (i, doc) for i, doc in incidents}
    for incident, doc in incidents:
        for n, ref in enumerate(incident.responds_to):
            target = by_id.get(ref, (None, None))[0]
            if target is not None and _earliest_possible(target) > _latest_possible(incident):
                out.append(
                    doc.problem(
                        ("responds_to", n),
                        f"'{ref}' is dated {target.date}, "
                        f"after this incident ({incident.date}); an incident can "
                        "only respond to an earlier one",
                    )
                )
    # Depth first, without recursion (a chain of thousands of responses is data, not an
    # error): the stack holds the path from where the walk started, each node with the
    # references still to follow.
    done: set[str] = set()
    for root in sorted(by_id):
        if root in done:
            continue
        stack = [(root, iter(enumerate(by_id[root][0].responds_to)))]
        at = {root: 0}  # node on the path -> its place in it
        while stack:
            node, refs = stack[-1]
            step = next(refs, None)
            if step is None:
                stack.pop()
                del at[node]
                done.add(node)
                continue
            n, ref = step
            if ref not in by_id or ref == node or ref in done:  # unknown refs reported already
                continue
            if ref in at:
                path = [name for name, _ in stack]
                loop = " → ".join([*path[at[ref] : -1], node, ref])
                out.append(
                    by_id[node][1].problem(
                        ("responds_to", n), f"responses go round in a circle: {loop}"
                    )
                )
                continue
            at[ref] = len(stack)
            stack.append((ref, iter(enumerate(by_id[ref][0].responds_to))))
    return out


def _check_one(incident: Incident, doc: Where, context: _Context) -> list[Problem]:
    out: list[Problem] = []

    def problem(loc: Loc, message: str) -> None:
        out.append(doc.problem(loc, message))

    path = Path(doc.path)
    if incident.id != path.stem:
        problem(("id",), _id_not_file_name(incident.id, path))
    if path.parent.name != f"{incident.date.year:04d}":
        folder = (path.parent.parent / str(incident.date.year)).as_posix()
        problem(
            ("date",),
            f"the date is in {incident.date.year} but the file is in the folder "
            f"'{path.parent.name}'; move it to {folder}/",
        )
    if _earliest_possible(incident) > context.as_of:
        problem(
            ("date",),
            f"{incident.date_text} is in the future (today is {context.as_of}); check the year",
        )
    elif _latest_possible(incident) < context.info.earliest:
        problem(
            ("date",),
            f"{incident.date_text} is before {context.info.earliest}, the first "
            "day this dataset covers; check the year (the first day is 'earliest' in "
            "dataset.yaml)",
        )
    if incident.time is not None and incident.date_precision != "day":
        problem(
            ("time",),
            f"a time of day needs an exact day, but the date is known to the "
            f"{incident.date_precision} only; remove time or give the day",
        )

    if incident.is_attack and incident.base is None and incident.country is None:
        problem(
            ("base",),
            "an attack needs 'base': the id of the base attacked (see "
            "bases.yaml); for a site the reporting does not name, give 'country' instead "
            "(and 'location' if known)",
        )
    if incident.is_strike and incident.location is None:
        problem(("location",), "a strike needs 'location': the place struck, e.g. 'Al-Mayadin'")
    for fld, message in _STRIKE_ONLY.items():
        if getattr(incident, fld) is not None and not incident.is_strike:
            problem((fld,), message)
    if incident.base is not None and incident.base not in context.bases:
        problem(("base",), unknown_base(incident.base, context.base_names))
    if incident.country is not None and (outside := context.out_of_scope(incident.country)):
        problem(("country",), outside)

    for fld in ("responds_to", "related", "distinct_from"):
        for n, ref in enumerate(getattr(incident, fld)):
            if ref == incident.id:
                problem((fld, n), "an incident cannot refer to itself")
            elif ref in context.moved:
                problem((fld, n), f"'{ref}' is now '{context.moved[ref]}'; use the new id")
            elif ref not in context.ids:
                problem((fld, n), f"no incident has the id '{ref}'{did_you_mean(ref, context.ids)}")

    for n, actor in enumerate(incident.claimed_by):
        if actor not in context.actors:
            where = "actors.yaml lists none" if not context.actors else "see actors.yaml"
            problem(
                ("claimed_by", n),
                f"no actor has the id '{actor}'{did_you_mean(actor, context.actors)}; "
                f"claimed_by names groups by their actor id ({where})",
            )
    for n, base in enumerate(incident.also_hit):
        if not incident.is_attack:
            problem(("also_hit", n), "only an attack hits sites; remove 'also_hit'")
        elif base == incident.base:
            problem(("also_hit", n), f"'{base}' is the record's own base; list the others")
        elif base not in context.bases:
            problem(("also_hit", n), unknown_base(base, context.base_names))
    if incident.time_zone is not None and incident.time is None:
        problem(
            ("time_zone",),
            "says which clock 'time' is on, but no time is given; give time or remove time_zone",
        )
    elif message := _local_date_problem(incident, context):
        problem(("date",), message)
    if (incident.lat is None) != (incident.lon is None):
        problem(("lat" if incident.lat is None else "lon",), "give both lat and lon, or neither")
    if (
        incident.projectiles is not None
        and incident.intercepted is not None
        and incident.intercepted > incident.projectiles
    ):
        problem(
            ("intercepted",),
            f"{incident.intercepted} intercepted is more than the "
            f"{incident.projectiles} projectiles",
        )
    if incident.attribution is not None and incident.perpetrator is None:
        problem(
            ("attribution",), "says how the perpetrator is known, but 'perpetrator' is not given"
        )

    # A source may be dated a day before the incident: a statement from Washington about a
    # strike after midnight in Syria. Earlier than that, one of the dates is wrong.
    earliest = _earliest_possible(incident) - dt.timedelta(days=SOURCE_LEAD_DAYS)
    for n, source in enumerate(incident.sources):
        if source.published < earliest:
            problem(
                ("sources", n, "published"),
                f"{source.published} is more than a day before "
                f"the incident ({incident.date_text}); check both dates, or set "
                "date_precision if the day is uncertain",
            )
        elif source.published > context.as_of:
            problem(("sources", n, "published"), f"{source.published} is in the future")
    return out


SOURCE_LEAD_DAYS = 1  # how much earlier than the incident a source may be dated (time zones)

# The clock of each country a dataset can cover: a record's date is the local date there.
COUNTRY_ZONES = {"iraq": "Asia/Baghdad", "syria": "Asia/Damascus", "jordan": "Asia/Amman"}


def _local_date_problem(incident: Incident, context: _Context) -> str:
    """A time given on another clock (time_zone) that falls on another day in the place:
    '16:00 America/New_York on 2 Feb 2024 is 00:00 on 3 Feb in Syria'."""
    if incident.time is None or incident.time_zone is None or incident.date_precision != "day":
        return ""
    country = incident.country or (
        context.bases[incident.base].country if incident.base in context.bases else None
    )
    zone = COUNTRY_ZONES.get(name_key(country or ""))
    if zone is None:
        return ""
    hours, minutes = map(int, incident.time.split(":"))
    moment = dt.datetime.combine(
        incident.date, dt.time(hours, minutes), tzinfo=zoneinfo.ZoneInfo(incident.time_zone)
    )
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    if local.date() == incident.date:
        return ""
    return (
        f"{incident.time} {incident.time_zone} on {long_date(incident.date)} is "
        f"{local:%H:%M} on {long_date(local.date())} in {country}; a record's date is the "
        f"local date of the place: write date: {local.date().isoformat()} and time: "
        f'"{local:%H:%M}" (the local time) without time_zone, and say in notes what the '
        "source's clock said"
    )


_STRIKE_ONLY = {
    "strikes": "only a strike record can stand for several strikes; write one record per "
    "attack, or remove 'strikes'",
    "target": "only a strike record has a target; for an attack the target is the base (say "
    "what was hit in damage), or remove 'target'",
    "targets": "only a strike record counts targets struck; for an attack, say what was hit "
    "in damage, or remove 'targets'",
}


def _hints(incident: Incident, doc: Where, context: _Context) -> list[Problem]:
    """What is allowed but worth a look: a perpetrator given as text where an actor fits."""
    name = incident.perpetrator
    if name is None or name in context.actors or not context.actors:
        return []
    named = context.actor_names.find(name)
    if named:
        message = (
            f"'{name}' is a name of the actor '{named}'; write perpetrator: {named} to "
            "link the record to it"
        )
    else:
        close = context.actor_names.suggest(name, cutoff=0.5)
        if close is None:
            return []
        message = (
            f"'{name}' is not an actor id; if it is '{close}' "
            f"({context.actors[close].name}), write perpetrator: {close}. Actors are "
            "listed in actors.yaml"
        )
    return [doc.problem(("perpetrator",), message)]


def _latest_possible(incident: Incident) -> dt.date:
    if incident.date_precision == "month":
        return month_end(incident.month)
    if incident.date_precision == "week":
        return incident.date + dt.timedelta(days=7)
    return incident.date


def _earliest_possible(incident: Incident) -> dt.date:
    if incident.date_precision == "month":
        return month_start(incident.month)
    if incident.date_precision == "week":
        return incident.date - dt.timedelta(days=7)
    return incident.date


def unknown_base(value: str, names: NameIndex) -> str:
    """'unknown base …', with the base a name or a misspelling most likely means."""
    message = f"unknown base '{value}'"
    meant = names.find(value) or names.suggest(value)
    if meant:
        return message + f"; did you mean '{meant}'? Bases are listed in data/bases.yaml"
    return message + "; bases are listed in data/bases.yaml"


# --- turning pydantic's errors into ours ---------------------------------------------------


Model = typing.TypeVar("Model", bound=BaseModel)


def parse_record(
    model: type[Model], doc: Document, loc: Loc, problems: list[Problem]
) -> Model | None:
    """Validate the value at ``loc`` as ``model``; on failure add problems and return None."""
    value = value_at(doc.value, loc)
    if not isinstance(value, dict):
        what = {Incident: "an incident", DatasetInfo: "dataset.yaml", Actor: "an actor"}.get(
            model, "a base"
        )
        problems.append(
            doc.problem(
                loc,
                f"{what} must be a mapping of fields (key: value lines), not {_describe(value)}",
            )
        )
        return None
    if doc.bad:
        value = _without(value, loc, doc.bad)
    try:
        record = model.model_validate(value)
    except ValidationError as e:
        for error in e.errors(include_url=False):
            if not _already_reported((*loc, *error["loc"]), doc.bad):
                problems.append(_problem(model, doc, loc, error))
        return None
    return None if any(b[: len(loc)] == loc for b in doc.bad) else record


def _already_reported(loc: Loc, bad: set[Loc]) -> bool:
    return any(loc[: len(b)] == b for b in bad)


def _without(value: YAMLValue, loc: Loc, bad: set[Loc]) -> YAMLValue:
    """The value with the entries the loader already reported left out (not re-reported)."""
    if isinstance(value, dict):
        return {k: _without(v, (*loc, k), bad) for k, v in value.items() if (*loc, k) not in bad}
    if isinstance(value, list):
        return [_without(v, (*loc, n), bad) for n, v in enumerate(value)]
    return value


def _problem(model: type[BaseModel], doc: Document, base: Loc, error: ErrorDetails) -> Problem:
    loc: Loc = as_written(doc.value, (*base, *error["loc"]))
    kind = error["type"]
    value = error.get("input")
    ctx = dict(error.get("ctx") or {})
    if kind == "missing":  # point at the mapping that lacks the field
        mark = doc.mark(loc[:-1])
        return Problem(
            doc.path, mark.line, mark.col, format_loc(loc), "is required but missing", loc
        )
    if kind == "extra_forbidden":
        known = _fields_at(model, error["loc"][:-1])
        hint = did_you_mean(str(loc[-1]), known)
        listing = f"{'K' if hint else 'k'}nown fields here: {', '.join(sorted(known))}"
        return doc.problem(loc, f"unknown field{hint or ';'} {listing}", key=True)
    return doc.problem(loc, describe_error(kind, value, ctx, error["msg"]))


def as_written(value: object, loc: Loc) -> Loc:
    """A problem's place as the file has it: 'weapon', not 'weapon[0]', where the file gives
    one value that the model reads as a list of one."""
    for n, part in enumerate(loc):
        if isinstance(part, int) and not isinstance(value, list):
            return (*loc[:n], *loc[n + 1 :])
        if not isinstance(value, (dict, list)):
            return loc
        value = value_at(value, (part,))
    return loc


def describe_error(kind: str, value: object, ctx: dict[str, object], default: str) -> str:
    shown = _describe(value)
    if kind == "string_type":
        if isinstance(value, bool):
            return (
                f"expected text, got {shown}: YAML reads yes/no/on/off/true/false as "
                "true or false; put the text in quotes"
            )
        return f"expected text, got {shown}; put it in quotes if you meant it as text"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {shown}"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"expected a number, got {shown}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = (
            f"at least {ctx['ge']:g}" if kind == "greater_than_equal" else f"at most {ctx['le']:g}"
        )
        return f"must be {bound}, got {shown}"
    if kind == "literal_error":
        allowed = [
            a.strip(" '") for a in str(ctx.get("expected", "")).replace(" or ", ", ").split(", ")
        ]
        hint = did_you_mean(str(value), allowed)
        return f"{shown} is not allowed{hint or ';'} {'U' if hint else 'u'}se one of: " + (
            ", ".join(allowed)
        )
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {shown}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of fields (key: value lines), got {shown}"
    if kind == "string_pattern_mismatch":
        return (
            f"{shown} must be lower-case letters and digits joined by single hyphens, "
            "like 'green-village'"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long ({len(str(value)):,} characters; the limit is {ctx['max_length']:,})"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "too_long" and isinstance(value, list):
        return f"has {len(value)} entries; at most {ctx['max_length']} are allowed"
    return default


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _fields_at(model: type[BaseModel], loc: tuple[object, ...]) -> set[str]:
    """The field names of the model found at ``loc`` inside ``model`` (for suggestions)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field_info = current.model_fields.get(str(part))
        current = model_in(field_info.annotation) if field_info else None
    return set(current.model_fields) if current is not None else set()


def model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) is typing.Annotated:
        return model_in(typing.get_args(annotation)[0])
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (
        typing.Union,
        list,
    ):
        for arg in typing.get_args(annotation):
            found = model_in(arg)
            if found is not None:
                return found
    return None
