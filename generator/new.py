"""``make new``: write a new incident file that already passes the validator.

The command line (``cli.new``) asks for what is missing; this module picks the id and the
path, writes the YAML in the style of the sample records, checks the whole dataset with
the new file in it (the real validator, on a scratch copy of data/), and only then writes
the file, never over an existing one.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import textwrap
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from generator.errors import DataError, GeneratorError
from generator.model import SLUG_PATTERN, Dataset
from generator.project import SCHEMA_MODELINE, Project, incident_path
from generator.validate import load_dataset

# The order of fields in a record, as in the README's example.
FIELD_ORDER = (
    "id", "date", "date_precision", "kind", "title", "base", "location", "country", "lat",
    "lon", "location_precision", "weapon", "status", "perpetrator", "attribution",
    "projectiles", "intercepted", "casualties", "damage", "summary", "notes", "responds_to",
    "related", "tags", "sources",
)  # fmt: skip
SOURCE_ORDER = ("publisher", "title", "published", "url", "archive_url")

# The last word of an id, as the sample records name them ("…-green-village-rockets").
ID_WORDS = {
    "rocket": "rockets",
    "drone": "drones",
    "mortar": "mortars",
    "missile": "missiles",
    "airstrike": "airstrikes",
}
MAX_PLACE_SLUG = 40
WRAP = 88  # folded text lines, like the sample records
FOLD_OVER = 60  # texts longer than this are written as an indented block (>-)
BLOCK_FIELDS = ("summary", "notes", "damage")  # always a block, as in the samples


class NewIncidentError(GeneratorError):
    """The new incident cannot be written (its id or file is taken, or the data is broken)."""


def slug(text: str, limit: int = MAX_PLACE_SLUG) -> str:
    """'Iraq–Syria border región' -> 'iraq-syria-border-region', cut at a word under limit."""
    ascii_text = "".join(
        c if c.isascii() else ("" if unicodedata.combining(c) else " ")
        for c in unicodedata.normalize("NFKD", text)
    )
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit and out:
            break
        out = candidate
    return out[:limit].strip("-")


def proposed_id(record: dict[str, Any]) -> str:
    """``<date>-<base or place>-<weapon or kind>``, e.g. '2022-08-15-green-village-rockets'."""
    location = re.split(r"[,;(]", record.get("location") or "")[0]  # "Al-Mayadin, Syria"
    place = record.get("base") or slug(location) or "unknown-place"
    weapon = record.get("weapon", "unknown")
    what = record["kind"] if weapon == "unknown" else ID_WORDS.get(weapon, weapon)
    return f"{record['date'].isoformat()}-{place}-{what}"


def taken_ids(project: Project, dataset: Dataset) -> set[str]:
    """Ids in use: every record's id and every incident file's name, wherever it is."""
    files = (
        {p.stem for p in project.incidents_dir.rglob("*.yaml")}
        if project.incidents_dir.is_dir()
        else set()
    )
    return set(dataset.incident_by_id) | files


def free_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``… if it is taken."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


# --- writing YAML people can read ----------------------------------------------------------


def _plain_ok(text: str) -> bool:
    """Whether ``text`` reads back as the same string when written without quotes."""
    if not text or text != text.strip() or "\n" in text or text[0] in "'\"":
        return False
    try:
        return yaml.safe_load(f"key: {text}\n") == {"key": text}
    except yaml.YAMLError:
        return False


def scalar(value: Any) -> str:
    """One value on the line after its key: plain when YAML reads it back the same, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, dt.date)):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    text = str(value)
    return text if _plain_ok(text) else "'" + text.replace("'", "''") + "'"


def _folded(text: str, indent: str) -> list[str] | None:
    """A one-paragraph text as a '>-' block, wrapped; None if that would not read back."""
    lines = textwrap.wrap(text, WRAP - len(indent), break_long_words=False, break_on_hyphens=False)
    if not lines or " ".join(lines) != text:
        return None
    return [">-", *(indent + line for line in lines)]


def _value_lines(key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, str) and (key in BLOCK_FIELDS or len(value) > FOLD_OVER):
        block = _folded(value, indent + "  ")
        if block is not None:
            return [f"{indent}{key}: {block[0]}", *block[1:]]
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return [f"{indent}{key}: [{', '.join(scalar(v) for v in value)}]"]
    if isinstance(value, list):
        lines = [f"{indent}{key}:"]
        for item in value:
            body = _mapping_lines(item, indent + "    ", SOURCE_ORDER)
            lines += [f"{indent}  - {body[0].lstrip()}", *body[1:]]
        return lines
    if isinstance(value, dict):
        return [f"{indent}{key}:", *_mapping_lines(value, indent + "  ", tuple(value))]
    return [f"{indent}{key}: {scalar(value)}"]


def _mapping_lines(mapping: dict[str, Any], indent: str, order: tuple[str, ...]) -> list[str]:
    keys = [k for k in order if k in mapping] + [k for k in mapping if k not in order]
    lines: list[str] = []
    for key in keys:
        if mapping[key] is not None:
            lines += _value_lines(key, mapping[key], indent)
    return lines


def incident_yaml(record: dict[str, Any]) -> str:
    """The record as a data file in the style of the samples: modeline, fields in README
    order, block style, quotes only where YAML needs them."""
    text = "\n".join([SCHEMA_MODELINE, *_mapping_lines(record, "", FIELD_ORDER)]) + "\n"
    expected = {k: v for k, v in record.items() if v is not None}
    expected["sources"] = [{k: v for k, v in s.items() if v is not None} for s in record["sources"]]
    if yaml.safe_load(text) != expected:  # a bug here, never the user's mistake
        raise AssertionError(f"the YAML written for a new incident does not read back:\n{text}")
    return text


# --- the whole step ------------------------------------------------------------------------


def existing_data(project: Project, as_of: dt.date | None = None) -> Dataset:
    """The current dataset; a new incident is only added to data that is valid."""
    try:
        return load_dataset(project, as_of=as_of)
    except DataError as e:
        raise NewIncidentError(
            f"{e}\nThe data already has problems; fix them first (`make validate` lists "
            "them), then add the new incident."
        ) from None


def create(
    project: Project,
    record: dict[str, Any],
    *,
    incident_id: str | None = None,
    as_of: dt.date | None = None,
) -> Path:
    """Write ``record`` (without id) as a new incident file and return its path.

    The id is ``incident_id`` if given, else made from the date, place and weapon with a
    number added if it is taken. Raises NewIncidentError if the id or the file is taken and
    DataError if the record would not pass the validator; nothing is written then.
    """
    dataset = existing_data(project, as_of)
    taken = taken_ids(project, dataset)
    if incident_id is None:
        incident_id = free_id(proposed_id(record), taken)
    elif not re.fullmatch(SLUG_PATTERN, incident_id):
        raise NewIncidentError(
            f"'{incident_id}' cannot be an id: use lower-case letters and digits joined by "
            "single hyphens, like '2022-08-15-green-village-rockets'"
        )
    elif incident_id in taken:
        where = dataset.files.get(incident_id) or next(
            project.display(p) for p in project.incidents_dir.rglob(f"{incident_id}.yaml")
        )
        raise NewIncidentError(
            f"the id '{incident_id}' is already used by {where}; choose another id, or edit "
            "that file to correct it"
        )
    record = {"id": incident_id, **record}
    path = project.root / incident_path(incident_id, record["date"])
    text = incident_yaml(record)
    check(project, path, text, as_of)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as f:  # "x": never replaces an existing file
            f.write(text)
    except FileExistsError:
        raise NewIncidentError(
            f"{project.display(path)} already exists; it was not overwritten"
        ) from None
    return path


def check(project: Project, path: Path, text: str, as_of: dt.date | None = None) -> None:
    """Run the validator on a scratch copy of data/ with the new file in it."""
    with tempfile.TemporaryDirectory(prefix="incident-new-") as tmp:
        scratch = Project(Path(tmp))
        shutil.copytree(project.data_dir, scratch.data_dir)
        target = scratch.root / path.relative_to(project.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        load_dataset(scratch, as_of=as_of)  # DataError: its paths are the same as the real ones
