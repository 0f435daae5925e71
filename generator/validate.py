"""Check every record and the links between them; collect every problem, then stop once.

``load_dataset`` is the entry point: it reads dataset.yaml, bases.yaml, actors.yaml and
every incident file (each against its model, through ``parse``), runs the checks across
records (``checks``), and returns a ``Dataset`` or raises ``DataError`` listing all
problems as ``path:line:col: field: message``. Reading the lists (bases, actors) and the
checks of the data folder itself (symbolic links, converting .gitattributes, stray files)
are here.
"""

from __future__ import annotations

import datetime as dt
import os
import typing
from pathlib import Path

from generator import gazetteer, git
from generator.checks import Where, check_incidents, id_not_file_name
from generator.errors import DataError, Problem
from generator.fields import UNNAMED_PREFIX
from generator.gazetteer import distance_km
from generator.load import (
    MAX_INCIDENT_BYTES,
    MAX_LIST_BYTES,
    Document,
    Loc,
    Mark,
    parse_yaml,
    read_yaml,
)
from generator.model import Actor, Base, Dataset, DatasetInfo, Incident, chronological
from generator.parallel import parallel_map
from generator.parse import parse_record
from generator.project import Project, Tree, walk
from generator.text import NameIndex, did_you_mean, name_key, printable, skeleton
from generator.vocabularies import LOCATION_PRECISIONS
from generator.write import owned


def today() -> dt.date:
    """The build's notion of today: SOURCE_DATE_EPOCH when set (reproducible builds), else UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.datetime.now(tz=dt.timezone.utc).date()


def load_dataset(
    project: Project, *, as_of: dt.date | None = None, reads: Reads | None = None
) -> Dataset:
    """Read and check all data; return the Dataset or raise DataError with every problem.

    With ``reads`` (the preview's), a file whose bytes are those of the last load is not
    parsed again; the checks across records run in full every time."""
    tree = walk(project.data_dir)  # one walk of the data folder serves every check below
    problems: list[Problem] = _links(project, tree) + checkout_attributes(project, tree)
    if problems:  # nothing is read through a link, or from bytes the review did not see
        raise DataError(problems)
    info = load_info(project, problems)
    hints: list[Problem] = []
    bases = load_bases(project, problems, hints)
    actors = load_actors(project, problems)
    if bases is not None:
        problems += _check_scope(bases, info, project)
    incidents: list[tuple[Incident, Where]] = []
    files = [(path, project.display(path)) for path in project.incident_files(tree)]
    read = parallel_map(_read_incident, files) if reads is None else reads.read(files)
    for (path, display), (incident, found, id_mark) in zip(files, read, strict=True):
        problems += found
        if incident is not None:
            incidents.append((incident, Where(path, display, id_mark)))
    for path in project.stray_files(tree):
        if path not in tree.regular:  # a pipe would stall the build; say so, even if hidden
            problems.append(Problem(project.display(path), 1, 1, "file", _SPECIAL))
        elif not path.name.startswith("."):
            problems.append(Problem(project.display(path), 1, 1, "file", _STRAY))
    if bases is not None:
        check_incidents(incidents, bases, actors, info, as_of or today(), problems, hints)
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


# A file's record (None if unusable), its problems, and where its id is written (the line a
# problem found later across records points to, kept so the file is not parsed again).
_Read = tuple[Incident | None, list[Problem], Mark]


class Reads:
    """The incident files as the last load read them, each with its bytes: the preview
    (``make serve``) loads again after every edit, and parses only the files whose bytes
    changed. A record is frozen, so the same one serves both loads. A one-off build reads
    each file once and uses none."""

    def __init__(self) -> None:
        self.known: dict[tuple[Path, str], tuple[bytes, _Read]] = {}

    def read(self, files: list[tuple[Path, str]]) -> list[_Read]:
        raws = [_small_file(path) for path, _ in files]
        results: dict[int, _Read] = {}
        todo = []
        for k, (file, raw) in enumerate(zip(files, raws, strict=True)):
            known = self.known.get(file)
            if raw is not None and known is not None and known[0] == raw:
                results[k] = known[1]
            else:
                todo.append(k)

        def parse(k: int) -> _Read:
            raw = raws[k]
            if raw is None:  # too big or unreadable: read_yaml says which
                return _read_incident(files[k])
            return _incident_of(
                files[k], parse_yaml(raw, files[k][1], max_bytes=MAX_INCIDENT_BYTES)
            )

        results.update(zip(todo, parallel_map(parse, todo), strict=True))
        ordered = [results[k] for k in range(len(files))]
        self.known = {
            file: (raw, result)
            for file, raw, result in zip(files, raws, ordered, strict=True)
            if raw is not None
        }
        return ordered


def _small_file(path: Path) -> bytes | None:
    """The file's bytes, or None when it is over the size limit or cannot be read."""
    try:
        if path.stat().st_size > MAX_INCIDENT_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _read_incident(file: tuple[Path, str]) -> _Read:
    """Read and check one incident file on its own (in a worker process, for big datasets)."""
    path, display = file
    return _incident_of(file, read_yaml(path, display, max_bytes=MAX_INCIDENT_BYTES))


def _incident_of(file: tuple[Path, str], doc: Document) -> _Read:
    path, display = file
    problems = list(doc.problems)
    id_mark = doc.mark(("id",))
    if doc.value is None:
        return None, problems, id_mark
    incident = parse_record(Incident, doc, (), problems)
    if incident is None and isinstance(doc.value, dict):  # say it now, not on the next run
        given = doc.value.get("id")
        named = not any(p.field == "id" for p in problems)
        if isinstance(given, str) and named and given != path.stem and ("id",) not in doc.bad:
            problems.append(doc.problem(("id",), id_not_file_name(given, Path(display))))
    return incident, problems, id_mark


def _links(project: Project, tree: Tree) -> list[Problem]:
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
        for link, target in project.links(project.data_dir, tree=tree)
    ]


# Git attributes that make a checkout write other bytes than the commit holds: a build reads
# the checkout, a review reads the commit, so they would not see the same record.
CONVERTING = ("working-tree-encoding", "filter", "ident", "eol", "crlf")


def checkout_attributes(project: Project, tree: Tree | None = None) -> list[Problem]:
    """The data and docs/ files that a .gitattributes line converts on checkout (another
    encoding, a filter, CRLF line ends, expanded $Id$): refused, whatever the line says.
    ``tree`` is a walk of the data folder already made."""
    top = git.toplevel(project.root)
    if top is None:
        return []
    docs = walk(project.docs_dir, skip=lambda rel: owned(rel + "/"))
    paths = [*(tree or walk(project.data_dir)).files] + [
        p for p in docs.files if not owned(p.relative_to(project.docs_dir).as_posix())
    ]  # the generated part of docs/ is rewritten by every build, never checked out
    if not paths:
        return []
    # a data folder outside the repository (DATA=elsewhere) is no checkout of it
    names = [
        n for n in (os.path.relpath(p, top) for p in paths) if n != ".." and not n.startswith("../")
    ]
    if not names:
        return []
    try:
        listing = "\0".join(names).encode() + b"\0"
        out = git.run(top, "check-attr", "-z", "--stdin", *CONVERTING, stdin=listing)
    except git.GitError as e:  # the files are in a repository whose attributes are unknown
        shown = project.display(project.data_dir)
        return [
            Problem(
                shown,
                1,
                1,
                "file",
                f"could not check which .gitattributes lines apply to the data ({e}); a line "
                "that converts files on checkout would make the site differ from what the "
                "review saw, so the build stops: run `git check-attr -a` on a record to see "
                "why git fails",
            )
        ]
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
_SPECIAL = (
    "this is not a regular file (a named pipe, socket or device), so it is not read: "
    "replace it with the record's file, or remove it"
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
