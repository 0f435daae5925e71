"""The mapping file of ``import-csv``: which column of a CSV gives which field of a record.

A mapping is YAML with these sections (README, "Importing a spreadsheet", has the details):

    csv      how to read the file (encoding, delimiter)
    columns  clean-up of cells before use (cut_at: drop text from a pattern on)
    date     the date column and its strptime formats, tried in turn
    place    the place column, and rules turning place names into a location, a country
             and a base (exact names, alias lists or regexes)
    id       the id pattern, e.g. '{date}-{place_slug}-{n}'
    fields   every other field of a record: a constant, a template such as
             "… {number} strike(s) near {location}: {description}", or a column

``load_mapping`` reads and checks the file's structure (problems as ``path:line:col``, like
the data files); ``Plan`` checks it against a CSV's header and the project's bases, then
maps one row at a time, collecting the row's problems by column.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import string
import types
import typing
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from generator.errors import DataError, Problem
from generator.load import Document, Loc, format_loc, read_yaml
from generator.model import Incident
from generator.project import Project

# Helpers shared with the validator, so that a mapping's problems read like a record's.
from generator.validate import (
    did_you_mean,
    load_bases,
    model_in,
    parse_record,
    unknown_base,
)

MAX_MAPPING_BYTES = 1024 * 1024

# Names a template can use besides the CSV's columns. They win over a column of the same
# name; write {column[name]} for the cell itself.
DERIVED = {
    "date": "the date, YYYY-MM-DD",
    "year": "the year, YYYY",
    "month": "the month, YYYY-MM",
    "place": "the place cell, cleaned",
    "location": "the location the place rules give",
    "country": "the country the place rules or the country column give",
    "base": "the base id the place rules give",
    "place_slug": "the location (or base) as a slug, e.g. mara for Mar’a",
    "n": "in the id only: 1, 2, … for rows that would otherwise share an id",
    "row": "the row number in the CSV",
}
_ID_ONLY = {"n"}


# --- the mapping file ----------------------------------------------------------------------


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as e:
        raise PydanticCustomError(
            "regex", "is not a valid regular expression: {error}", {"error": str(e)}
        ) from None
    return value


def _date_format(value: str) -> str:
    if "%" not in value:
        raise PydanticCustomError(
            "date_format_spec",
            "is not a date format; use strptime codes such as %m/%d/%Y or %Y-%m-%d",
        )
    try:
        dt.datetime.strptime(dt.date(2016, 10, 17).strftime(value), value)
    except ValueError:
        raise PydanticCustomError(
            "date_format_spec",
            "cannot read back a date it writes; use strptime codes such as %m/%d/%Y",
        ) from None
    return value


def _encoding(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise PydanticCustomError(
            "encoding", "is not a text encoding Python knows; use e.g. utf-8 or cp1252"
        ) from None
    return value


Regex = Annotated[str, AfterValidator(_regex)]
DateFormat = Annotated[str, AfterValidator(_date_format)]
ColumnName = Annotated[str, Field(min_length=1)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CsvOptions(_Section):
    """How to read the file."""

    encoding: Annotated[str, AfterValidator(_encoding)] = Field(
        "utf-8", description="Text encoding, e.g. utf-8 or cp1252."
    )
    delimiter: str = Field(",", min_length=1, max_length=1, description="Cell separator.")


class DateSpec(_Section):
    """Where the incident's date comes from."""

    column: ColumnName
    formats: list[DateFormat] = Field(min_length=1, description="strptime formats, tried in turn.")


class PlaceRule(_Section):
    """Place cells this rule matches, and what they become."""

    names: list[str] = Field(
        default_factory=list,
        description="Exact names (case, spaces, hyphens and apostrophe style ignored).",
    )
    regex: Regex | None = Field(
        None, description="Or a regular expression the whole cell must match (case ignored)."
    )
    location: str | None = Field(
        None, description="Location to record; default: the cell (or the regex group 'place')."
    )
    country: str | None = Field(None, description="Country to record; wins over the column.")
    base: str | None = Field(None, description="Id of a base in data/bases.yaml.")


class PlaceSpec(_Section):
    """Where the place comes from, and how place names become locations, countries, bases."""

    column: ColumnName
    country_column: ColumnName | None = None
    countries: dict[str, str | None] = Field(
        default_factory=dict,
        description="Country cell -> country to record (null: leave the country out).",
    )
    rules: list[PlaceRule] = Field(default_factory=list)
    match_bases: bool = Field(
        False, description="Also match place cells against the bases' names and aliases."
    )
    unknown: Literal["keep", "error"] = Field(
        "keep", description="A place no rule matches: keep the cell as the location, or error."
    )
    require_base: bool = Field(False, description="A place must give a base, else the row fails.")


class ColumnSpec(_Section):
    """A field taken from one column."""

    column: ColumnName
    values: dict[str, Any] = Field(default_factory=dict, description="Cell -> value to record.")
    default: Any = Field(None, description="Value when the cell is empty.")
    optional: bool = Field(False, description="Leave the field out when the cell is empty.")
    date_format: DateFormat | None = Field(None, description="Read the cell as a date.")


class ColumnCleanup(_Section):
    """Clean-up of one column's cells, before any use."""

    cut_at: Regex = Field(
        description="Drop the text from the first match of this regular expression on."
    )


class MappingFile(_Section):
    """A mapping from the rows of a CSV to incident records."""

    csv: CsvOptions = Field(default_factory=CsvOptions)
    date: DateSpec
    columns: dict[str, ColumnCleanup] = Field(default_factory=dict)
    place: PlaceSpec | None = None
    id: str = Field(min_length=1, description="Id pattern, e.g. '{date}-{place_slug}-{n}'.")
    fields: dict[str, Any] = Field(min_length=1, description="Every other field of a record.")


# --- templates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """Text with {name} placeholders: a CSV column, or one of the DERIVED names."""

    text: str
    parts: tuple[tuple[str, str | None], ...]  # (literal text, name or None)

    @classmethod
    def parse(cls, text: str) -> Template:
        """Raises ValueError with a message for people."""
        parts: list[tuple[str, str | None]] = []
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError as e:
            raise ValueError(
                f"{e}; a placeholder is {{name}}, and a literal brace is written {{{{ or }}}}"
            ) from None
        for literal, name, spec, conversion in parsed:
            if name is not None:
                if spec or conversion:
                    raise ValueError(
                        f"'{{{name}{'!' + conversion if conversion else ''}"
                        f"{':' + spec if spec else ''}}}': write placeholders as plain {{name}}"
                    )
                if not name.strip():
                    raise ValueError("'{}' is empty; name a column, as in {description}")
            parts.append((literal, name))
        return cls(text, tuple(parts))

    @property
    def names(self) -> list[str]:
        return [n for _, n in self.parts if n is not None]

    @property
    def is_constant(self) -> bool:
        return not self.names


def column_of(name: str) -> str | None:
    """'column[location]' -> 'location'; None for any other name."""
    m = re.fullmatch(r"column\[(.+)\]", name)
    return m.group(1) if m else None


# --- cleaning cells ------------------------------------------------------------------------

# Invisible characters that come from copying out of PDFs, web pages and spreadsheets:
# zero-width and direction marks, soft hyphens, byte-order marks and U+FFFC (the object
# replacement character, left where a picture or bullet was).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufffc]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘ʼ`´′"})


def strip_invisible(cell: str) -> str:
    return _CONTROL.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFC", cell)))


def clean(cell: str) -> str:
    """A cell as text: NFC, no invisible characters, single spaces, no spaces at the ends."""
    return " ".join(strip_invisible(cell).split())


def place_key(name: str) -> str:
    """How place names are compared: case, spaces, hyphens and apostrophe style ignored."""
    text = clean(name).translate(_APOSTROPHES).casefold()
    return " ".join(re.sub(r"[-_]", " ", text).split())


def slugify(text: str) -> str:
    """'Mar’a' -> 'mara', 'Dayr Az Zawr' -> 'dayr-az-zawr'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


# --- compiled field specs ------------------------------------------------------------------


class _Skip:
    """A field left out of the record (an optional column that is empty)."""


SKIP = _Skip()


@dataclass
class Row:
    """One CSV row while it is being mapped."""

    number: int  # 1-based, the header is row 1
    cells: dict[str, str]  # column -> cell, cleaned (and cut, if the mapping says so)
    raw: dict[str, str]  # column -> cell as in the file
    derived: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)

    def cell(self, column: str) -> str:
        return self.cells[column]


@dataclass(frozen=True)
class Spec:
    """How one value of a record is made; ``loc`` is where the mapping says so."""

    loc: Loc

    @property
    def path(self) -> str:
        return format_loc(self.loc)

    def evaluate(self, row: Row, plan: Plan) -> Any:
        raise NotImplementedError

    def columns(self, plan: Plan) -> list[str]:
        """The CSV columns this value comes from (where a row's problem is reported)."""
        return []


@dataclass(frozen=True)
class Constant(Spec):
    value: Any

    def evaluate(self, row: Row, plan: Plan) -> Any:
        return self.value


@dataclass(frozen=True)
class TemplateSpec(Spec):
    template: Template

    def evaluate(self, row: Row, plan: Plan) -> Any:
        out = []
        ok = True
        for literal, name in self.template.parts:
            out.append(literal)
            if name is None:
                continue
            value = plan.lookup(name, row, self.path)
            if value is None:
                ok = False
            else:
                out.append(value)
        return "".join(out) if ok else SKIP

    def columns(self, plan: Plan) -> list[str]:
        return [c for n in self.template.names for c in plan.columns_of(n)]


@dataclass(frozen=True)
class ColumnValue(Spec):
    spec: ColumnSpec

    def evaluate(self, row: Row, plan: Plan) -> Any:
        cell = row.cell(self.spec.column)
        if not cell:
            if self.spec.default is not None:
                return self.spec.default
            if self.spec.optional:
                return SKIP
            row.problems.append(
                (
                    self.spec.column,
                    f"the cell is empty, and {self.path} needs it; fill it in, or give "
                    f"{self.path} a 'default' or 'optional: true' in the mapping",
                )
            )
            return SKIP
        for key, value in self.spec.values.items():
            if place_key(str(key)) == place_key(cell):
                return value
        if self.spec.date_format:
            try:
                return dt.datetime.strptime(cell, self.spec.date_format).date()
            except ValueError:
                row.problems.append(
                    (self.spec.column, _bad_date(cell, [self.spec.date_format], self.path))
                )
                return SKIP
        return cell

    def columns(self, plan: Plan) -> list[str]:
        return [self.spec.column]


@dataclass(frozen=True)
class Nested(Spec):
    items: dict[str, Spec]

    def evaluate(self, row: Row, plan: Plan) -> Any:
        values = {k: s.evaluate(row, plan) for k, s in self.items.items()}
        return {k: v for k, v in values.items() if v is not SKIP}


@dataclass(frozen=True)
class Sequence(Spec):
    items: tuple[Spec, ...]

    def evaluate(self, row: Row, plan: Plan) -> Any:
        values = [s.evaluate(row, plan) for s in self.items]
        return [v for v in values if v is not SKIP]


def _bad_date(cell: str, formats: list[str], where: str) -> str:
    shown = " or ".join(f"{f} (like {dt.date(2016, 10, 17).strftime(f)})" for f in formats)
    return (
        f"'{cell}' is not a date in the format {shown}; fix the cell, or add its format "
        f"to {where} in the mapping"
    )


# --- the plan: a checked mapping, bound to a CSV's columns and a project's bases -----------


@dataclass(frozen=True)
class Table:
    """A CSV file, read: its header and its rows with their numbers."""

    display: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


class Plan:
    """Everything needed to map rows: the mapping, checked against the CSV and the bases."""

    def __init__(self, mapping: MappingFile, doc: Document, table: Table, project: Project) -> None:
        self.mapping = mapping
        self.doc = doc
        self.table = table
        self.header = table.header
        self.column_index = {c: n + 1 for n, c in enumerate(table.header)}
        self.problems: list[Problem] = []
        self.cuts: Counter[str] = Counter()
        self.bases_display = project.display(project.bases_file)
        self.base_ids, self.base_names = self._bases(project)
        self.fields: dict[str, Spec] = {}
        self.cut_at = {c: re.compile(spec.cut_at) for c, spec in mapping.columns.items()}
        self.rules = [
            (
                rule,
                {place_key(n) for n in rule.names},
                re.compile(rule.regex, re.IGNORECASE) if rule.regex is not None else None,
            )
            for rule in (mapping.place.rules if mapping.place else ())
        ]
        self.countries = {
            place_key(k): v for k, v in (mapping.place.countries if mapping.place else {}).items()
        }
        self._check_columns()
        self._check_place()
        self.id_template = self._template(("id",), mapping.id, id_pattern=True)
        self._compile_fields()

    # -- checking the mapping against the CSV and the project --

    def _problem(self, loc: Loc, message: str) -> None:
        self.problems.append(self.doc.problem(loc, message))

    def _bases(self, project: Project) -> tuple[set[str], dict[str, str]]:
        problems: list[Problem] = []
        bases = load_bases(project, problems)
        if bases is None or problems:
            raise DataError(problems)
        return {b.id for b in bases}, {
            place_key(n): b.id for b in bases for n in (b.name, *b.aliases)
        }

    def _column(self, loc: Loc, column: str) -> None:
        if column not in self.column_index:
            hint = did_you_mean(column, self.header)
            self._problem(
                loc,
                f"the CSV has no column '{column}'{hint or ';'} {'I' if hint else 'i'}ts "
                f"columns are: {', '.join(self.header)}",
            )

    def _check_columns(self) -> None:
        m = self.mapping
        for column in m.columns:
            self._column(("columns", column), column)
        self._column(("date", "column"), m.date.column)
        if m.place:
            self._column(("place", "column"), m.place.column)
            if m.place.country_column:
                self._column(("place", "country_column"), m.place.country_column)

    def _check_place(self) -> None:
        place = self.mapping.place
        if place is None:
            return
        for n, rule in enumerate(place.rules):
            if not rule.names and rule.regex is None:
                self._problem(("place", "rules", n), "a rule needs 'names' or 'regex' to match")
            if rule.base is not None and rule.base not in self.base_ids:
                message = unknown_base(rule.base, self.base_ids, self.base_names)
                self._problem(
                    ("place", "rules", n, "base"),
                    message.replace("data/bases.yaml", self.bases_display),
                )

    def _template(self, loc: Loc, text: str, *, id_pattern: bool = False) -> Template:
        try:
            template = Template.parse(text)
        except ValueError as e:
            self._problem(loc, str(e))
            return Template(text, ())
        for name in template.names:
            if name in _ID_ONLY and not id_pattern:
                self._problem(loc, f"{{{name}}} can only be used in the id pattern")
            elif name in DERIVED:
                if name in ("location", "country", "base", "place", "place_slug") and (
                    self.mapping.place is None
                ):
                    self._problem(loc, f"{{{name}}} needs a 'place' section in the mapping")
            else:
                column = column_of(name) or name
                if column not in self.column_index:
                    hint = did_you_mean(column, [*self.header, *DERIVED])
                    self._problem(
                        loc,
                        f"{{{name}}} names no column of the CSV{hint or ';'} "
                        f"{'C' if hint else 'c'}olumns: {', '.join(self.header)}; other names: "
                        f"{', '.join(n for n in DERIVED if n not in _ID_ONLY or id_pattern)}",
                    )
        return template

    def _compile_fields(self) -> None:
        reserved = {"id": "the 'id' section", "date": "the 'date' section"}
        if self.mapping.place:
            reserved |= dict.fromkeys(("location", "country", "base"), "the 'place' section")
        known = set(Incident.model_fields)
        for name, value in self.mapping.fields.items():
            loc: Loc = ("fields", name)
            if name in reserved:
                self.problems.append(
                    self.doc.problem(loc, f"is set by {reserved[name]}; remove it here", key=True)
                )
            elif name not in known:
                hint = did_you_mean(name, known - reserved.keys())
                self.problems.append(
                    self.doc.problem(
                        loc,
                        f"is not a field of an incident{hint or ';'} "
                        f"{'F' if hint else 'f'}ields: "
                        f"{', '.join(sorted(known - reserved.keys()))}",
                        key=True,
                    )
                )
            else:
                self.fields[name] = self._spec(loc, value, Incident, name)
        missing = [
            n
            for n, f in Incident.model_fields.items()
            if f.is_required() and n not in reserved and n not in self.fields
        ]
        for name in missing:
            self._problem(("fields",), f"'{name}' is required for every record; add it here")

    def _spec(self, loc: Loc, value: Any, model: type[BaseModel], name: str) -> Spec:
        """Compile one value of the mapping's fields, checking names against the model."""
        inner = model_in(model.model_fields[name].annotation)
        if isinstance(value, dict) and "column" in value:
            problems: list[Problem] = []
            spec = parse_record(ColumnSpec, self.doc, loc, problems)
            self.problems += problems
            if spec is None:
                return Constant(loc, None)
            self._column((*loc, "column"), spec.column)
            return ColumnValue(loc, spec)
        if isinstance(value, dict) and inner is not None:
            items = {}
            for key, item in value.items():
                if key not in inner.model_fields:
                    hint = did_you_mean(key, inner.model_fields)
                    self.problems.append(
                        self.doc.problem(
                            (*loc, key),
                            f"is not a field here{hint or ';'} {'F' if hint else 'f'}ields: "
                            f"{', '.join(inner.model_fields)}",
                            key=True,
                        )
                    )
                    continue
                items[key] = self._spec((*loc, key), item, inner, key)
            for key, f in inner.model_fields.items():
                if f.is_required() and key not in value:
                    self._problem(loc, f"'{key}' is required here; add it")
            return Nested(loc, items)
        if isinstance(value, list):
            return Sequence(
                loc, tuple(self._spec((*loc, n), v, model, name) for n, v in enumerate(value))
            )
        if isinstance(value, str):
            template = self._template(loc, value)
            if template.is_constant:
                return Constant(loc, value.replace("{{", "{").replace("}}", "}"))
            return TemplateSpec(loc, template)
        return Constant(loc, value)

    # -- mapping rows --

    def columns_of(self, name: str) -> list[str]:
        """The CSV columns a template name comes from."""
        if (column := column_of(name)) is not None:
            return [column]
        if name not in DERIVED:
            return [name]
        if name in ("date", "year", "month"):
            return [self.mapping.date.column]
        place = self.mapping.place
        if place is None:
            return []
        if name == "country" and place.country_column:
            return [place.country_column, place.column]
        return [place.column]

    def lookup(self, name: str, row: Row, where: str) -> str | None:
        """The text of ``{name}`` in this row, or None (and a problem) if it is empty."""
        if name in DERIVED:
            value = row.derived.get(name)
            if value is None and name in ("date", "year", "month"):
                return None  # the date's own problem is already reported
            text = "" if value is None else str(value)
            column = self.columns_of(name)[0] if self.columns_of(name) else ""
            raw = row.cell(column) if column else ""
        else:
            column = column_of(name) or name
            raw = text = row.cell(column)
        if not text:
            shown = f"'{raw}' gives no {name}" if raw and name in DERIVED else "the cell is empty"
            row.problems.append(
                (
                    column,
                    f"{shown}, and {where} uses {{{name}}}; fill it in, or change "
                    f"{where} or the place rules in the mapping",
                )
            )
            return None
        return text

    def derive(self, row: Row) -> None:
        """The date and place values of a row (problems go in ``row.problems``)."""
        spec = self.mapping.date
        cell = row.cell(spec.column)
        date = None
        if not cell:
            row.problems.append((spec.column, "the date is empty; every record needs one"))
        for fmt in spec.formats if cell else ():
            try:
                date = dt.datetime.strptime(cell, fmt).date()
                break
            except ValueError:
                continue
        else:
            if cell:
                row.problems.append((spec.column, _bad_date(cell, spec.formats, "date.formats")))
        if date is not None:
            row.derived |= {
                "date": date.isoformat(),
                "year": f"{date.year:04d}",
                "month": f"{date.year:04d}-{date.month:02d}",
            }
        row.derived["row"] = row.number
        if self.mapping.place is not None:
            row.derived |= self._place(self.mapping.place, row)

    def _place(self, spec: PlaceSpec, row: Row) -> dict[str, Any]:
        raw = row.cell(spec.column)
        key = place_key(raw)
        location: str | None = raw or None
        country: str | None = None
        base: str | None = None
        matched = False
        for rule, names, regex in self.rules:
            m = regex.fullmatch(raw) if regex is not None else None
            if m or key in names:
                matched = True
                if rule.location is not None:
                    location = rule.location
                elif m and "place" in m.groupdict() and m.group("place"):
                    location = clean(m.group("place"))
                country, base = rule.country, rule.base
                break
        if not matched and spec.match_bases and key in self.base_names:
            matched, base, location = True, self.base_names[key], None
        if not matched and raw and spec.unknown == "error":
            hint = did_you_mean(raw, sorted({n for r in spec.rules for n in r.names}))
            row.problems.append(
                (
                    spec.column,
                    f"'{raw}' matches no place rule{hint or ';'} {'A' if hint else 'a'}dd "
                    "it to place.rules in the mapping",
                )
            )
        if not raw:
            row.problems.append((spec.column, "the place is empty; every record needs one"))
        elif spec.require_base and base is None and (matched or spec.unknown == "keep"):
            row.problems.append(
                (
                    spec.column,
                    f"'{raw}' gives no base, and place.require_base is set; give its rule a "
                    "'base' from data/bases.yaml",
                )
            )
        if country is None and spec.country_column:
            cell = row.cell(spec.country_column)
            country = self.countries.get(place_key(cell), cell or None)
        slug = slugify(location or base or raw)
        return {
            "place": raw,
            "location": location,
            "country": country,
            "base": base,
            "place_slug": slug or None,
        }

    def map_row(self, number: int, cells: tuple[str, ...]) -> tuple[Row, dict[str, Any]]:
        raw = dict(zip(self.header, cells, strict=True))
        row = Row(number, {c: self._clean(c, v) for c, v in raw.items()}, raw)
        self.derive(row)
        record: dict[str, Any] = {}
        if "date" in row.derived:
            record["date"] = row.derived["date"]
        for name in ("location", "country", "base"):
            if row.derived.get(name) is not None:
                record[name] = row.derived[name]
        for name, spec in self.fields.items():
            value = spec.evaluate(row, self)
            if value is not SKIP:
                record[name] = _coerce(value, Incident, name, spec, row)
        return row, record

    def _clean(self, column: str, cell: str) -> str:
        text = strip_invisible(cell)
        pattern = self.cut_at.get(column)
        if pattern is not None and (m := pattern.search(text)):
            text = text[: m.start()]
            self.cuts[column] += 1
        return " ".join(text.split())

    def row_problem(self, row: int, column: str, message: str) -> Problem:
        return Problem(
            self.table.display, row, self.column_index.get(column, 1), column or "row", message
        )

    def spec_at(self, loc: tuple[Any, ...]) -> Spec | None:
        """The spec that made the value at ``loc`` of a record (e.g. ('sources', 0, 'url'))."""
        spec: Spec | None = self.fields.get(loc[0]) if loc else None
        for part in loc[1:]:
            if isinstance(spec, Nested) and isinstance(part, str):
                spec = spec.items.get(part)
            elif isinstance(spec, Sequence) and isinstance(part, int) and part < len(spec.items):
                spec = spec.items[part]
            else:
                break
        return spec

    def source_column(self, loc: tuple[Any, ...]) -> str:
        """The CSV column a record's value at ``loc`` came from, for reporting."""
        if loc and loc[0] in ("date",):
            return self.mapping.date.column
        if loc and loc[0] in ("location", "country", "base") and self.mapping.place:
            columns = self.columns_of(str(loc[0]))
            return columns[0]
        spec = self.spec_at(loc)
        columns = spec.columns(self) if spec else []
        return columns[0] if columns else ""


def _scalar_types(annotation: Any) -> set[type]:
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _scalar_types(typing.get_args(annotation)[0])
    if origin is typing.Union or isinstance(annotation, types.UnionType):
        return {t for a in typing.get_args(annotation) for t in _scalar_types(a)}
    return {annotation} if isinstance(annotation, type) else set()


def _coerce(value: Any, model: type[BaseModel], name: str, spec: Spec, row: Row) -> Any:
    """Text from a column or template, made a number where the model wants one."""
    annotation = model.model_fields[name].annotation
    inner = model_in(annotation)
    if inner is not None and isinstance(value, dict):
        return {k: _coerce(v, inner, k, _child(spec, k), row) for k, v in value.items()}
    if inner is not None and isinstance(value, list):
        return [
            {k: _coerce(v, inner, k, _child(_child(spec, n), k), row) for k, v in item.items()}
            if isinstance(item, dict)
            else item
            for n, item in enumerate(value)
        ]
    if not isinstance(value, str) or isinstance(spec, Constant):
        return value
    wanted = _scalar_types(annotation)
    if int in wanted and str not in wanted:
        text = value.replace(",", "").strip()
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        row.problems.append(
            (_first(spec), f"'{value}' is not a whole number, and {spec.path} needs one")
        )
        return None
    if float in wanted and str not in wanted:
        try:
            return float(value.strip())
        except ValueError:
            row.problems.append(
                (_first(spec), f"'{value}' is not a number, and {spec.path} needs one")
            )
            return None
    return value


def _child(spec: Spec, key: Any) -> Spec:
    if isinstance(spec, Nested) and isinstance(key, str) and key in spec.items:
        return spec.items[key]
    if isinstance(spec, Sequence) and isinstance(key, int) and key < len(spec.items):
        return spec.items[key]
    return spec


def _first(spec: Spec) -> str:
    if isinstance(spec, ColumnValue):
        return spec.spec.column
    if isinstance(spec, TemplateSpec):
        name = spec.template.names[0]
        return column_of(name) or name
    return ""


# --- reading the mapping -----------------------------------------------------------------


def load_mapping(path: Path, display: str) -> tuple[MappingFile, Document]:
    """Read and check the mapping's structure; raise DataError with every problem."""
    doc = read_yaml(path, display, max_bytes=MAX_MAPPING_BYTES)
    problems = list(doc.problems)
    if doc.value is not None and not isinstance(doc.value, dict):
        problems.append(
            doc.problem((), "a mapping is made of sections: csv, date, place, id and fields")
        )
    mapping = None
    if isinstance(doc.value, dict) and not doc.bad:
        mapping = parse_record(MappingFile, doc, (), problems)
    if problems or mapping is None:
        raise DataError(problems)
    return mapping, doc
