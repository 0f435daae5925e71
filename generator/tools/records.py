"""The one writer of incident files, for every tool that adds records (``make new``,
``import-csv``, ``draft``): the same record always gives the same bytes, whoever writes it.

The style is the sample records': the schema modeline first, the fields in the model's
order, long texts as wrapped ``>-`` blocks (``|-`` when they hold line breaks), lists of
words in brackets, quotes only where YAML needs them. Every file is read back with the
loader before it is returned, so a file that would not mean the record is never written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import textwrap
from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import BaseModel

from generator.dates import month_key
from generator.errors import GeneratorError
from generator.load import LOADER
from generator.model import Dataset, Incident
from generator.parse import model_in
from generator.project import Project
from generator.text import slug
from generator.validate import load_dataset
from generator.vocabularies import WEAPON_ID_WORDS
from generator.write import create_files

WRAP = 88  # folded text lines, like the sample records
FOLD_OVER = 60  # texts longer than this are written as an indented block (>-)
BLOCK_FIELDS = ("summary", "notes", "damage")  # always a block, as in the samples
# Text that is plain in YAML for certain: starts with a letter, holds no YAML syntax.
_SURELY_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()/’'?-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


class RecordFileError(GeneratorError):
    """A record cannot be written: its id or file is taken, or the data is broken."""


# --- ids -------------------------------------------------------------------------------


def proposed_id(record: dict[str, object]) -> str:
    """``<date>-<base or place>-<weapon or kind>``, e.g. '2022-08-15-green-village-rockets'."""
    location = re.split(r"[,;(]", str(record.get("location") or ""))[0]  # "Al-Mayadin, Syria"
    place = str(record.get("base") or "") or slug(location) or "unknown-place"
    weapons = record.get("weapon") or "unknown"
    weapon = str(weapons[0] if isinstance(weapons, list) else weapons)
    what = str(record["kind"]) if weapon == "unknown" else WEAPON_ID_WORDS.get(weapon, weapon)
    day = record["date"]
    return f"{day.isoformat() if isinstance(day, dt.date) else day}-{place}-{what}"


def taken_ids(project: Project, ids: Iterable[str]) -> set[str]:
    """Ids in use: these records' ids and every incident file's name, wherever it is."""
    files = set()
    if project.incidents_dir.is_dir():
        files = {p.stem for p in project.incidents_dir.rglob("*.yaml")}
    return set(ids) | files


def free_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``… if it is taken."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


# --- the file ------------------------------------------------------------------------------


def record_data(incident: Incident) -> dict[str, object]:
    """The fields a record's file holds: what was given, without empty values."""
    return ordered(incident.model_dump(mode="python", exclude_unset=True))


def ordered(record: dict[str, object]) -> dict[str, object]:
    """A record's fields in the model's order (nested records too), without empty values:
    the canonical form every writer starts from. A date known to the month is written as
    the month (2023-11), which says month precision by itself."""
    out = _ordered(record, Incident)
    day = out.get("date")
    if out.get("date_precision") == "month" and isinstance(day, dt.date) and day.day == 1:
        out["date"] = month_key(day)
        del out["date_precision"]
    return out


def _ordered(value: dict[str, object], model: type[BaseModel] | None) -> dict[str, object]:
    fields = list(model.model_fields) if model is not None else []
    keys = [k for k in fields if k in value] + [k for k in value if k not in fields]
    out: dict[str, object] = {}
    for key in keys:
        item = value[key]
        inner = model_in(model.model_fields[key].annotation) if key in fields and model else None
        if isinstance(item, dict):
            item = _ordered(item, inner)
        elif isinstance(item, list):
            item = [_ordered(v, inner) if isinstance(v, dict) else v for v in item]
        if item is not None and item != [] and item != {}:
            out[key] = item
    return out


def list_entry(entry: dict[str, object], model: type[BaseModel]) -> str:
    """One entry of a list file (bases.yaml, actors.yaml), as '- id: …' lines."""
    lines = _mapping_lines(_ordered(entry, model), "  ")
    return "- " + "\n".join(lines).lstrip() + "\n"


def incident_file(record: dict[str, object], schema_line: str) -> bytes:
    """The bytes of a record's data file (``record`` as ``ordered`` gives it), checked by
    reading them back."""
    text = "\n".join([schema_line, *_mapping_lines(record, "")]) + "\n"
    if yaml.load(text, Loader=LOADER) != record:  # a bug here, never the user's mistake
        raise AssertionError(f"the YAML written for a record does not read back:\n{text}")
    return text.encode("utf-8")


def scalar(value: object) -> str:
    """One value on the line after its key: plain when YAML reads it back the same, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _plain_ok(text):
        return text
    if "\n" in text or "\r" in text or "\t" in text:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML "string" too
    return "'" + text.replace("'", "''") + "'"


def _plain_ok(text: str) -> bool:
    """Whether ``text`` reads back as the same string when written without quotes."""
    if _SURELY_PLAIN.fullmatch(text) and text.strip() == text and text.lower() not in _YAML_WORDS:
        return True
    if not text or text != text.strip() or "\n" in text or text[0] in "'\"":
        return False
    try:
        return bool(yaml.load(f"key: {text}\n", Loader=LOADER) == {"key": text})
    except yaml.YAMLError:
        return False


def _block(key: str, text: str, indent: str) -> list[str] | None:
    """A long text as a wrapped '>-' block, or '|-' when it has line breaks; None when
    neither reads back the same (leading spaces, trailing spaces on a line…)."""
    inner = indent + "  "
    if "\n" in text:
        lines = text.split("\n")
        if any(line != line.rstrip() for line in lines) or lines[0][:1] in ("", " "):
            return None
        if not lines[-1]:
            return None
        return [f"{indent}{key}: |-", *(inner + line if line else "" for line in lines)]
    lines = textwrap.wrap(text, WRAP - len(inner), break_long_words=False, break_on_hyphens=False)
    if not lines or " ".join(lines) != text:
        return None
    return [f"{indent}{key}: >-", *(inner + line for line in lines)]


def _value_lines(key: str, value: object, indent: str) -> list[str]:
    if isinstance(value, str) and (key in BLOCK_FIELDS or len(value) > FOLD_OVER or "\n" in value):
        block = _block(key, value, indent)
        if block is not None:
            return block
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return [f"{indent}{key}: [{', '.join(scalar(v) for v in value)}]"]
    if isinstance(value, list):
        lines = [f"{indent}{key}:"]
        for item in value:
            body = _mapping_lines(item, indent + "    ")
            lines += [f"{indent}  - {body[0].lstrip()}", *body[1:]]
        return lines
    if isinstance(value, dict):
        flow = _flow(value)
        if flow is not None and len(indent) + len(key) + len(flow) < WRAP - 2:
            return [f"{indent}{key}: {flow}"]
        return [f"{indent}{key}:", *_mapping_lines(value, indent + "  ")]
    return [f"{indent}{key}: {scalar(value)}"]


def _flow(value: dict[str, object]) -> str | None:
    """A mapping of numbers (a side's casualties, a range) on one line: {killed: 3,
    injured: {min: 47}}, as the README writes them; None for anything else."""
    parts = []
    for k, v in value.items():
        if isinstance(v, dict):
            inner = _flow(v)
            if inner is None:
                return None
            parts.append(f"{k}: {inner}")
        elif isinstance(v, int) and not isinstance(v, bool):
            parts.append(f"{k}: {v}")
        else:
            return None
    return "{" + ", ".join(parts) + "}"


def _mapping_lines(mapping: dict[str, object], indent: str) -> list[str]:
    lines: list[str] = []
    for key, value in mapping.items():
        lines += _value_lines(key, value, indent)
    return lines


# --- checking before writing ---------------------------------------------------------------


def check_with(
    project: Project, new: dict[Path, bytes], *, as_of: dt.date | None = None
) -> Dataset:
    """The dataset as it would be with the ``new`` files added, checked by the validator.

    The check runs on a scratch copy of the data folder (hard links, so it is quick) with
    the same layout, so a problem names the file as it will be in the project. Raises
    DataError with every problem; nothing in the project is touched.
    """
    with tempfile.TemporaryDirectory(prefix=".check-", dir=project.root) as tmp:
        scratch = project.with_root(Path(tmp))
        _mirror(project.data_dir, scratch.data_dir)
        for path, data in new.items():
            target = scratch.root / path.relative_to(project.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return load_dataset(scratch, as_of=as_of)


def _mirror(source: Path, target: Path) -> None:
    """Copy a folder by hard links (copies where links fail); links stay links."""
    for folder, dirs, files in os.walk(source):
        here = Path(folder)
        out = target / here.relative_to(source)
        out.mkdir(parents=True, exist_ok=True)
        for name in [*files, *(d for d in dirs if (here / d).is_symlink())]:
            src, dst = here / name, out / name
            if src.is_symlink():
                os.symlink(os.readlink(src), dst)
            else:
                try:
                    os.link(src, dst)
                except OSError:
                    shutil.copy2(src, dst)


def add_records(
    project: Project, new: dict[Path, bytes], *, as_of: dt.date | None = None
) -> Dataset:
    """Check the project with the new record files, then create them all, or none."""
    dataset = check_with(project, new, as_of=as_of)
    create_files(new, shown=project.display)
    return dataset
