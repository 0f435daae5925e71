"""Turn a spreadsheet of events (CSV) into incident files, as a mapping file says.

``import_csv`` is the entry point (``python -m generator import-csv`` calls it). It reads
everything before it writes anything:

1. the mapping (YAML, checked with pydantic; problems as ``mapping.yaml:line:col``);
2. the CSV, whose column names the mapping must use correctly;
3. every row, mapped to a record; a row that cannot be mapped is reported as
   ``file.csv:row:col: column: message`` (the header is row 1, as in a spreadsheet);
4. ids from the mapping's pattern; ``{n}`` numbers rows that would share an id, in file
   order, so the same CSV always gives the same ids;
5. the new records, written as YAML into a staging copy of ``data/`` next to the real one
   and checked there by the real validator (``validate.load_dataset``) together with the
   records already in the project;
6. only then are the new files moved into ``data/incidents/``. An existing file with the
   same content is left alone (re-importing is a no-op); one with different content is
   never overwritten.

Any problem at any step stops the import with the full list and nothing written.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from generator.errors import DataError, GeneratorError, Problem
from generator.load import format_loc
from generator.mapping import (
    Constant,
    CsvOptions,
    Plan,
    Row,
    Table,
    clean,
    load_mapping,
    slugify,
)
from generator.model import SLUG_PATTERN, Incident
from generator.project import SCHEMA_MODELINE, Project, incident_path
from generator.validate import describe_error, load_dataset

log = logging.getLogger(__name__)

SHOWN_PROBLEMS = 200  # more than this many problems are summed up, not all printed


# --- reading the CSV ------------------------------------------------------------------------


def read_csv(path: Path, display: str, options: CsvOptions) -> Table:
    """Read the whole CSV: its header and every row, numbered as a spreadsheet numbers them."""

    def fail(line: int, message: str) -> DataError:
        return DataError([Problem(display, line, 1, "file", message)])

    try:
        raw = path.read_bytes()
    except OSError as e:
        raise fail(1, f"cannot be read: {e.strerror}") from None
    utf8 = codecs.lookup(options.encoding).name == "utf-8"
    try:
        text = raw.decode("utf-8-sig" if utf8 else options.encoding)  # -sig: drop a BOM
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise fail(
            line,
            f"is not valid {options.encoding} (byte 0x{raw[e.start]:02x} on line {line}); save "
            "it as UTF-8, or set csv.encoding in the mapping (for example cp1252)",
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=options.delimiter, strict=True)
    rows: list[tuple[int, tuple[str, ...]]] = []
    header: tuple[str, ...] | None = None
    problems: list[Problem] = []
    number = 0
    try:
        for cells in reader:
            number += 1
            if header is None:
                header = tuple(clean(c) for c in cells)
                problems += _header_problems(display, header)
                continue
            if not any(c.strip() for c in cells):
                continue  # a blank line
            if len(cells) != len(header):
                problems.append(
                    Problem(
                        display,
                        number,
                        1,
                        "row",
                        f"has {len(cells)} cells but the header has {len(header)}; a cell "
                        "with the separator in it must be in double quotes",
                    )
                )
                continue
            rows.append((number, tuple(cells)))
    except csv.Error as e:  # an unclosed quote, a NUL byte
        raise fail(number + 1, f"cannot be read as CSV: {e}") from None
    if header is None:
        raise fail(1, "is empty; the first row must name the columns")
    if problems:
        raise DataError(problems)
    return Table(display, header, tuple(rows))


def _header_problems(display: str, header: tuple[str, ...]) -> list[Problem]:
    out = []
    seen: set[str] = set()
    for n, name in enumerate(header, 1):
        if not name:
            out.append(Problem(display, 1, n, "header", f"column {n} has no name; name it"))
        elif name in seen:
            out.append(Problem(display, 1, n, name, "this column name is used twice; rename one"))
        seen.add(name)
    return out


# --- writing -------------------------------------------------------------------------------


_DumperBase: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: ~10x faster


class _Dumper(_DumperBase):
    """Block style, and never an anchor or alias (the loader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def record_yaml(incident: Incident) -> bytes:
    """The incident file for a record: the fields the mapping set, in the model's order."""
    data = incident.model_dump(mode="python", exclude_unset=True)
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
    )
    return f"{SCHEMA_MODELINE}\n{body}".encode()


@dataclass(frozen=True)
class Planned:
    row: int
    incident: Incident
    data: bytes

    @property
    def rel(self) -> str:
        """Path relative to the project root."""
        return incident_path(self.incident.id, self.incident.date)


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    written: int
    unchanged: int
    seconds: float
    dry_run: bool
    target: str

    def line(self) -> str:
        files = f"{self.written:,} new incident file{'s' if self.written != 1 else ''}"
        same = f"{self.unchanged:,} already there and identical"
        if self.dry_run:
            return (
                f"Checked {self.rows:,} rows: would write {files} into {self.target} ({same}); "
                f"nothing was written (--dry-run). {self.seconds:.1f} s."
            )
        return (
            f"Imported {self.rows:,} rows: wrote {files} into {self.target} ({same}) "
            f"in {self.seconds:.1f} s."
        )


class ImportProblems(DataError):
    """Rows or the mapping have problems; nothing was written. Long lists are cut short."""

    def __str__(self) -> str:
        n = len(self.problems)
        lines = [str(p) for p in self.problems[:SHOWN_PROBLEMS]]
        if n > SHOWN_PROBLEMS:
            lines.append(f"… and {n - SHOWN_PROBLEMS:,} more.")
        lines.append(f"{n:,} problem{'s' if n != 1 else ''} found; nothing was written.")
        return "\n".join(lines)


# --- the import ----------------------------------------------------------------------------


def import_csv(
    csv_path: Path,
    mapping_path: Path,
    project: Project,
    *,
    dry_run: bool = False,
    as_of: dt.date | None = None,
    csv_display: str | None = None,
    mapping_display: str | None = None,
) -> ImportSummary:
    """Map every row of the CSV to an incident file in ``project``: all of them, or none."""
    start = time.perf_counter()
    try:
        mapping, doc = load_mapping(mapping_path, mapping_display or str(mapping_path))
        table = read_csv(csv_path, csv_display or str(csv_path), mapping.csv)
        plan = Plan(mapping, doc, table, project)
        if plan.problems:
            raise DataError(plan.problems)
        planned = _map_rows(plan)
        new, unchanged = _compare_with_project(plan, project, planned)
        _stage_check_and_move(plan, project, new, dry_run=dry_run, as_of=as_of)
    except ImportProblems:
        raise
    except DataError as e:
        raise ImportProblems(e.problems) from None
    for column, n in sorted(plan.cuts.items()):
        log.info("cut_at shortened %d cells of the column '%s'", n, column)
    return ImportSummary(
        rows=len(table.rows),
        written=len(new),
        unchanged=unchanged,
        seconds=time.perf_counter() - start,
        dry_run=dry_run,
        target=_shown(project.incidents_dir) + "/",
    )


def _shown(path: Path) -> str:
    """A path as the user should see it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _map_rows(plan: Plan) -> list[Planned]:
    """Every row as a checked record with its id; raise with every row's problems."""
    problems: list[Problem] = []
    mapping_problems: set[Problem] = set()
    mapped: list[tuple[Row, dict[str, Any]]] = []
    for number, cells in plan.table.rows:
        row, record = plan.map_row(number, cells)
        problems += [plan.row_problem(number, c, m) for c, m in row.problems]
        mapped.append((row, record))
    ids = _assign_ids(plan, mapped, problems)
    planned: list[Planned] = []
    for (row, record), incident_id in zip(mapped, ids, strict=True):
        if row.problems or incident_id is None:
            continue
        record = {"id": incident_id, **record}
        try:
            incident = Incident.model_validate(record)
        except ValidationError as e:
            for error in e.errors(include_url=False):
                problems.append(_model_problem(plan, row, error, mapping_problems))
            continue
        planned.append(Planned(row.number, incident, record_yaml(incident)))
    problems += mapping_problems
    if problems:
        raise ImportProblems(problems)
    return planned


def _model_problem(plan: Plan, row: Row, error: Any, constants: set[Problem]) -> Problem:
    loc = tuple(error["loc"])
    message = describe_error(
        error["type"], error.get("input"), error.get("ctx") or {}, error["msg"]
    )
    if error["type"] == "missing":
        message = "is required but the mapping gives no value for it"
    spec = plan.spec_at(loc)
    where = format_loc(loc)
    if isinstance(spec, Constant):  # the same for every row: say it once, at the mapping
        problem = plan.doc.problem(spec.loc, message)
        constants.add(problem)
        return problem
    column = plan.source_column(loc)
    return plan.row_problem(row.number, column, f"{where}: {message}")


def _assign_ids(
    plan: Plan, mapped: list[tuple[Row, dict[str, Any]]], problems: list[Problem]
) -> list[str | None]:
    """Ids from the pattern; {n} counts rows sharing the rest of the id, in file order."""
    template = plan.id_template
    uses_n = "n" in template.names
    stems: list[str | None] = []
    for row, _ in mapped:
        if row.problems:  # already reported; the import stops anyway
            stems.append(None)
            continue
        parts: list[str] = []
        ok = True
        for literal, name in template.parts:
            parts.append(literal)
            if name is None:
                continue
            if name == "n":
                parts.append("\0")
                continue
            value = plan.lookup(name, row, "id")
            if value is None:
                ok = False
                continue
            parts.append(value if name == "date" else slugify(value))
        stems.append("".join(parts) if ok else None)
        problems += [plan.row_problem(row.number, c, m) for c, m in row.problems]
    seen: dict[str, int] = {}
    first_row: dict[str, int] = {}
    out: list[str | None] = []
    for (row, _), stem in zip(mapped, stems, strict=True):
        if stem is None:
            out.append(None)
            continue
        seen[stem] = seen.get(stem, 0) + 1
        incident_id = stem.replace("\0", str(seen[stem]))
        if not uses_n and stem in first_row:
            problems.append(
                plan.row_problem(
                    row.number,
                    "",
                    f"makes the id '{incident_id}', like row {first_row[stem]}; add {{n}} to "
                    "the id pattern in the mapping, or remove the repeated row",
                )
            )
            out.append(None)
            continue
        first_row.setdefault(stem, row.number)
        if not re.fullmatch(SLUG_PATTERN, incident_id) or len(incident_id) > 120:
            problems.append(
                plan.row_problem(
                    row.number,
                    "",
                    f"makes the id '{incident_id}', which is not lower-case words joined by "
                    "hyphens (at most 120 characters); change the id pattern in the mapping",
                )
            )
            out.append(None)
            continue
        out.append(incident_id)
    return out


def _compare_with_project(
    plan: Plan, project: Project, planned: list[Planned]
) -> tuple[list[Planned], int]:
    """Which records are new; an existing file with other content is a problem."""
    existing = {p.stem: p for p in project.incident_files()}
    new: list[Planned] = []
    unchanged = 0
    problems: list[Problem] = []
    for record in planned:
        path = existing.get(record.incident.id)
        if path is None:
            new.append(record)
        elif project.display(path) == record.rel and path.read_bytes() == record.data:
            unchanged += 1
        else:
            problems.append(
                plan.row_problem(
                    record.row,
                    "",
                    f"the record '{record.incident.id}' is already in {project.display(path)} "
                    "with different content, and the importer never overwrites a file; delete "
                    "that file to import it again, or change the id pattern in the mapping",
                )
            )
    if problems:
        raise ImportProblems(problems)
    return new, unchanged


def _stage_check_and_move(
    plan: Plan, project: Project, new: list[Planned], *, dry_run: bool, as_of: dt.date | None
) -> None:
    """Check the project as it would be with the new files; then move them in."""
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=project.root))
    try:
        staged = Project(staging)
        staged.incidents_dir.mkdir(parents=True)
        _link_or_copy(project.bases_file, staged.bases_file)
        if project.incidents_dir.is_dir():
            for path in sorted(project.incidents_dir.rglob("*")):
                if path.is_file():
                    target = staged.incidents_dir / path.relative_to(project.incidents_dir)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    _link_or_copy(path, target)
        for record in new:
            target = staging / record.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(record.data)
        by_path = {r.rel: r for r in new}
        try:
            dataset = load_dataset(staged, as_of=as_of)
        except DataError as e:
            raise ImportProblems([_staged_problem(plan, by_path, p) for p in e.problems]) from None
        for record in new:  # the YAML written must read back as the same record
            back = dataset.incident_by_id[record.incident.id]
            if back.model_dump() != record.incident.model_dump():
                raise GeneratorError(
                    f"row {record.row}: the record '{record.incident.id}' did not read back "
                    "as written; this is a bug in the importer, please report it"
                )
        if not dry_run:
            _move_in(staging, project, new)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staged_problem(plan: Plan, by_path: dict[str, Planned], problem: Problem) -> Problem:
    """A validator problem in a staged new file, told as the CSV row it came from."""
    record = by_path.get(problem.path)
    if record is None:
        return problem  # a file already in the project
    loc = tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", problem.field))
    return plan.row_problem(
        record.row,
        plan.source_column(loc),
        f"{problem.field}: {problem.message} (in the record '{record.incident.id}')",
    )


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _move_in(staging: Path, project: Project, new: list[Planned]) -> None:
    """Link each staged file to its place, never over an existing file; undo on failure."""
    done: list[Path] = []
    made_dirs: list[Path] = []
    target = project.incidents_dir
    try:
        for record in new:
            target = project.root / record.rel
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True)
                made_dirs.append(target.parent)
            try:
                os.link(staging / record.rel, target)  # fails if the target exists
            except FileExistsError:
                raise
            except OSError:  # no hard links on this file system
                if target.exists():
                    raise FileExistsError(target) from None
                os.replace(staging / record.rel, target)
            done.append(target)
    except OSError as e:
        for path in reversed(done):
            path.unlink(missing_ok=True)
        for d in reversed(made_dirs):
            if d.is_dir() and not any(d.iterdir()):
                d.rmdir()
        what = "the file appeared while importing" if isinstance(e, FileExistsError) else e.strerror
        raise GeneratorError(
            f"could not write {project.display(target)}: {what}; nothing was imported"
        ) from None
