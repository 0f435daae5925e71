"""``import-csv``: turn the rows of a spreadsheet (CSV) into incident files, through a small
Python adapter written for that source.

An adapter is a Python file with one function, ``record(row)``, that returns the fields of
one record from one row (see ``examples/centcom/adapter.py``). Everything else is done here
the same way for every source, and all of it before anything is written:

1. the CSV is read whole; its rows are numbered as a spreadsheet numbers them (the header
   is row 1), and the columns the adapter names in ``COLUMNS`` must be there;
2. every row goes through ``record(row)``; a row the adapter refuses (``row.problem``), a
   cell it cannot read (``row.date``, ``row.whole_number``) or an error in the adapter
   itself is a problem of that row, and the import goes on to list the others;
3. ids: the adapter's ``id`` may hold ``{n}``, which numbers the rows that would otherwise
   share an id, in file order, so the same CSV always gives the same ids;
4. the records are written with the one record writer (``records``) and checked by the real
   validator together with the records already in the project, on a scratch copy;
5. only then are the new files created, all or none. An existing file with the same content
   is left alone (importing again changes nothing); one with other content is never
   overwritten.

object problem stops the import with the full list, each as ``file.csv:row:col: column: …``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import importlib.util
import io
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import NoReturn

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from generator.errors import DataError, GeneratorError, Problem
from generator.fields import is_record_id
from generator.load import format_loc, value_at
from generator.model import Dataset, Incident
from generator.parse import as_written, describe_error
from generator.project import Project
from generator.text import NameIndex, clean, slug
from generator.tools import records
from generator.validate import load_dataset
from generator.write import create_files

MAX_CSV_BYTES = 256 * 1024 * 1024


# --- what an adapter gets ------------------------------------------------------------------


class RowProblem(Exception):
    """Raised through ``Row.problem``: this row cannot become a record, and why."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class Row:
    """One row of the CSV, as an adapter reads it.

    ``row["column"]`` is the cell cleaned (NFC, no invisible characters, single spaces);
    ``row.raw("column")`` is the cell as in the file. The methods that read a cell as a
    date or a number, and ``row.problem``, stop the row with a message for that cell.
    """

    def __init__(self, number: int, cells: dict[str, str], bases: NameIndex) -> None:
        self.number = number  # as a spreadsheet numbers it: the header is row 1
        self._raw = cells
        self._bases = bases
        self.read: list[str] = []  # columns the adapter read, in order (to place problems)
        self.made: dict[str, str] = {}  # a value read from a cell (as text) -> its column

    def __getitem__(self, column: str) -> str:
        if column not in self._raw:
            raise KeyError(f"the CSV has no column '{column}'; add it to COLUMNS in the adapter")
        if column not in self.read:
            self.read.append(column)
        return clean(self._raw[column])

    def raw(self, column: str) -> str:
        self[column]
        return self._raw[column]

    def optional(self, column: str) -> str | None:
        """The cell, or None when it is empty."""
        return self[column] or None

    def problem(self, column: str, message: str) -> NoReturn:
        """Refuse this row: ``message`` says what is wrong with ``column``'s cell."""
        raise RowProblem(column, message)

    def date(self, column: str, *formats: str) -> dt.date:
        """The cell as a date, trying each strptime format in turn ('%m/%d/%Y', …)."""
        cell = self[column]
        if not cell:
            self.problem(column, "the date is empty; every record needs one")
        for fmt in formats:
            try:
                day = dt.datetime.strptime(cell, fmt).date()
            except ValueError:
                continue
            self.made.setdefault(day.isoformat(), column)
            return day
        example = dt.date(2016, 10, 17).strftime(formats[0]) if formats else "2016-10-17"
        self.problem(
            column,
            f"'{cell}' is not a date in the format {' or '.join(formats)} (like {example}); "
            "fix the cell, or add its format to the adapter",
        )

    def whole_number(self, column: str) -> int:
        """The cell as a whole number (thousands separators allowed)."""
        cell = self[column].replace(",", "")
        if not cell.isdigit():
            self.problem(column, f"'{self[column]}' is not a whole number")
        self.made.setdefault(str(int(cell)), column)
        return int(cell)

    def base(self, name: str) -> str | None:
        """The id of the base with this name or alias in bases.yaml, or None."""
        return self._bases.find(name)


@dataclass(frozen=True)
class Place:
    """Where a place name in the CSV puts a record: its location, country, and base."""

    location: str | None = None
    country: str | None = None
    base: str | None = None


class Places:
    """A table of place spellings, matched whatever their case, spaces, hyphens and
    apostrophe style: ``Places({"Abu Kamal": Place("Abu Kamal", "Syria"), …})``."""

    def __init__(self, places: dict[str, Place]) -> None:
        self.names = NameIndex((name, [name]) for name in places)
        self.places = places

    def get(self, name: str) -> Place | None:
        found = self.names.find(name)
        return self.places[found] if found is not None else None


@dataclass(frozen=True)
class Adapter:
    """A loaded adapter file."""

    path: Path
    record: Callable[[Row], dict[str, object]]
    columns: tuple[str, ...]
    encoding: str
    delimiter: str

    @classmethod
    def load(cls, path: Path) -> Adapter:
        if not path.is_file():
            raise GeneratorError(f"{path}: no such adapter file")
        spec = importlib.util.spec_from_file_location(f"_adapter_{path.stem}", path)
        if spec is None or spec.loader is None:
            raise GeneratorError(f"{path}: is not a Python file")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as e:  # the adapter's own code: say where it failed, no traceback
            message = f"{path}: the adapter could not be loaded: {_where(e, path)}"
            raise GeneratorError(message) from None
        return cls._from(module, path)

    @classmethod
    def _from(cls, module: ModuleType, path: Path) -> Adapter:
        record = getattr(module, "record", None)
        if not callable(record):
            raise GeneratorError(
                f"{path}: an adapter needs a function record(row) that returns one record's "
                "fields (see examples/centcom/adapter.py)"
            )
        encoding = str(getattr(module, "ENCODING", "utf-8"))
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise GeneratorError(f"{path}: ENCODING '{encoding}' is not a text encoding") from None
        return cls(
            path,
            record,
            tuple(getattr(module, "COLUMNS", ())),
            encoding,
            str(getattr(module, "DELIMITER", ",")),
        )


def _where(error: BaseException, path: Path) -> str:
    """'ValueError: … (adapter.py, line 42)': the error and the adapter's line that raised it."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == path]
    line = f" ({path.name}, line {frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{line}"


# --- reading the CSV -----------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    display: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells)

    def column_number(self, column: str) -> int:
        return self.header.index(column) + 1 if column in self.header else 1


def read_csv(path: Path, display: str, adapter: Adapter) -> Table:
    """Read the whole CSV: its header and every row, numbered as a spreadsheet numbers them."""

    def fail(line: int, message: str) -> DataError:
        return DataError([Problem(display, line, 1, "file", message)])

    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise fail(1, f"is {size:,} bytes; the limit is {MAX_CSV_BYTES:,}")
        raw = path.read_bytes()
    except OSError as e:
        raise fail(1, f"cannot be read: {e.strerror}") from None
    utf8 = codecs.lookup(adapter.encoding).name == "utf-8"
    try:
        text = raw.decode("utf-8-sig" if utf8 else adapter.encoding)  # -sig: drop a BOM
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise fail(
            line,
            f"is not valid {adapter.encoding} (byte 0x{raw[e.start]:02x} on line {line}); "
            "save it as UTF-8, or set ENCODING in the adapter (for example cp1252)",
        ) from None
    # A cell may be as long as the file: raise the csv module's limit (131,072) to that.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=adapter.delimiter, strict=True)
    rows: list[tuple[int, tuple[str, ...]]] = []
    header: tuple[str, ...] | None = None
    problems: list[Problem] = []
    number = 0
    try:
        for cells in reader:
            number += 1
            if header is None:
                header = tuple(clean(c) for c in cells)
                problems += _header_problems(display, header, adapter)
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
                        f"has {len(cells)} cells but the header has {len(header)}; a "
                        "cell with the separator in it must be in double quotes",
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


def _header_problems(display: str, header: tuple[str, ...], adapter: Adapter) -> list[Problem]:
    out = []
    seen: set[str] = set()
    for n, name in enumerate(header, 1):
        if not name:
            out.append(Problem(display, 1, n, "header", f"column {n} has no name; name it"))
        elif name in seen:
            out.append(Problem(display, 1, n, name, "this column name is used twice; rename one"))
        seen.add(name)
    for name in adapter.columns:
        if name not in seen:
            out.append(
                Problem(
                    display,
                    1,
                    1,
                    "header",
                    f"has no column '{name}', which the adapter reads; the columns are: "
                    + ", ".join(header),
                )
            )
    return out


# --- the import ----------------------------------------------------------------------------


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


@dataclass
class _Mapped:
    row: Row
    record: dict[str, object]
    incident: Incident | None = None
    data: bytes = b""
    path: Path = field(default_factory=Path)


def import_csv(
    csv_path: Path,
    adapter_path: Path,
    project: Project,
    *,
    dry_run: bool = False,
    as_of: dt.date | None = None,
    csv_display: str | None = None,
) -> ImportSummary:
    """Turn every row of the CSV into an incident file in ``project``: all of them, or none."""
    start = time.perf_counter()
    adapter = Adapter.load(adapter_path)
    table = read_csv(csv_path, csv_display or str(csv_path), adapter)
    existing = _existing(project, as_of)
    mapped = _map_rows(table, adapter, project, existing)
    new, unchanged = _compare_with_project(table, project, mapped)
    files = {m.path: m.data for m in new}
    try:
        records.check_with(project, files, as_of=as_of)
    except DataError as e:
        by_path = {project.display(m.path): m for m in new}
        raise DataError([_staged_problem(table, by_path, p) for p in e.problems]) from None
    if not dry_run:
        create_files(files, shown=project.display)
    return ImportSummary(
        rows=len(table.rows),
        written=len(new),
        unchanged=unchanged,
        seconds=time.perf_counter() - start,
        dry_run=dry_run,
        target=_shown(project.incidents_dir) + "/",
    )


def _existing(project: Project, as_of: dt.date | None) -> Dataset:
    try:
        return load_dataset(project, as_of=as_of)
    except DataError as e:
        raise DataError(e.problems) from None  # the project's own problems, as they are


def _shown(path: Path) -> str:
    """A path as the user should see it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _row_problem(table: Table, row: int, column: str, message: str) -> Problem:
    return Problem(table.display, row, table.column_number(column), column or "row", message)


def _map_rows(table: Table, adapter: Adapter, project: Project, existing: Dataset) -> list[_Mapped]:
    """Every row through the adapter, with its id, as a checked record and its file bytes."""
    problems: list[Problem] = []
    mapped: list[_Mapped] = []
    for number, cells in table.rows:
        row = Row(number, dict(zip(table.header, cells, strict=True)), existing.base_names)
        try:
            record = adapter.record(row)
        except RowProblem as e:
            problems.append(_row_problem(table, number, e.column, e.message))
            continue
        except Exception as e:  # the adapter's code: the row and the line that failed
            problems.append(
                _row_problem(
                    table,
                    number,
                    row.read[-1] if row.read else "",
                    f"the adapter failed on this row: {_where(e, adapter.path)}",
                )
            )
            continue
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            problems.append(
                _row_problem(
                    table,
                    number,
                    "",
                    "the adapter's record(row) must return the record's fields as a "
                    "dict, with an 'id' (which may use {n})",
                )
            )
            continue
        mapped.append(_Mapped(row, record))
    _assign_ids(table, mapped, problems)
    for m in mapped:
        if not m.record.get("id"):
            continue
        try:
            m.incident = Incident.model_validate(m.record)
        except ValidationError as e:
            problems += [_model_problem(table, m, error) for error in e.errors(include_url=False)]
            continue
        m.path = project.incident_file(m.incident.id, m.incident.date)
        m.data = records.incident_file(
            records.record_data(m.incident), project.schema_modeline(m.path)
        )
    if problems:
        raise DataError(problems)
    return [m for m in mapped if m.incident is not None]


def _model_problem(table: Table, mapped: _Mapped, error: ErrorDetails) -> Problem:
    loc = as_written(mapped.record, tuple(error["loc"]))
    message = describe_error(
        error["type"], error.get("input"), dict(error.get("ctx") or {}), error["msg"]
    )
    if error["type"] == "missing":
        message = "is required but the adapter gives no value for it"
    return _row_problem(
        table, mapped.row.number, _column_of(mapped, loc), f"{format_loc(loc)}: {message}"
    )


def _column_of(mapped: _Mapped, loc: Sequence[object]) -> str:
    """The column a record's value at ``loc`` came from: one the adapter read whose cell is
    that value, else the last column it read."""
    value = value_at(mapped.record, loc)
    row = mapped.row
    if value is not None:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        for column in row.read:
            if text in (row[column], row.raw(column)):
                return column
        if text in row.made:
            return row.made[text]
    return row.read[-1] if row.read else ""


def _assign_ids(table: Table, mapped: list[_Mapped], problems: list[Problem]) -> None:
    """``{n}`` in an id counts the rows sharing the rest of it, in file order (1, 2, …)."""
    seen: dict[str, int] = {}
    first_row: dict[str, int] = {}
    for m in mapped:
        stem = str(m.record["id"])
        numbered = "{n}" in stem
        seen[stem] = seen.get(stem, 0) + 1
        incident_id = stem.replace("{n}", str(seen[stem]))
        if not numbered and stem in first_row:
            problems.append(
                _row_problem(
                    table,
                    m.row.number,
                    "",
                    f"makes the id '{incident_id}', like row {first_row[stem]}; add "
                    "{n} to the id in the adapter, or remove the repeated row",
                )
            )
            m.record["id"] = ""
            continue
        first_row.setdefault(stem, m.row.number)
        if not is_record_id(incident_id):
            problems.append(
                _row_problem(
                    table,
                    m.row.number,
                    "",
                    f"makes the id '{incident_id}', which is not lower-case words "
                    "joined by hyphens (at most 120 characters); make it with slug() "
                    "in the adapter",
                )
            )
            m.record["id"] = ""
            continue
        m.record["id"] = incident_id


def _compare_with_project(
    table: Table, project: Project, mapped: list[_Mapped]
) -> tuple[list[_Mapped], int]:
    """Which records are new; an existing file with other content is a problem."""
    existing = {p.stem: p for p in project.incident_files()}
    new: list[_Mapped] = []
    unchanged = 0
    problems: list[Problem] = []
    for m in mapped:
        assert m.incident is not None
        path = existing.get(m.incident.id)
        if path is None:
            new.append(m)
        elif path == m.path and path.read_bytes() == m.data:
            unchanged += 1
        else:
            problems.append(
                _row_problem(
                    table,
                    m.row.number,
                    "",
                    f"the record '{m.incident.id}' is already in "
                    f"{project.display(path)} with different content, and the "
                    "importer never overwrites a file; delete that file to import it "
                    "again, or change the id in the adapter",
                )
            )
    if problems:
        raise DataError(problems)
    return new, unchanged


def _staged_problem(table: Table, by_path: dict[str, _Mapped], problem: Problem) -> Problem:
    """A validator problem in a new file, told as the CSV row it came from."""
    mapped = by_path.get(problem.path)
    if mapped is None or mapped.incident is None:
        return problem  # a file already in the project
    return _row_problem(
        table,
        mapped.row.number,
        _column_of(mapped, problem.loc),
        f"{problem.field}: {problem.message} (in the record '{mapped.incident.id}')",
    )


__all__ = ["Place", "Places", "Row", "RowProblem", "import_csv", "slug"]
