"""``make new``: write a new incident file that already passes the validator.

The command line (``cli.new``) asks for what is missing; this module picks the id, writes
the file with the one record writer (``records``), checks the whole dataset with the new
file in it, and only then creates the file, never over an existing one.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from generator.errors import DataError
from generator.model import SLUG_PATTERN, Dataset
from generator.project import Project
from generator.tools import records
from generator.tools.records import RecordFileError
from generator.validate import load_dataset


def existing_data(project: Project, as_of: dt.date | None = None) -> Dataset:
    """The current dataset; a new incident is only added to data that is valid."""
    try:
        return load_dataset(project, as_of=as_of)
    except DataError as e:
        raise RecordFileError(
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
    number added if it is taken. Raises RecordFileError if the id or the file is taken and
    DataError if the record would not pass the validator; nothing is written then.
    """
    dataset = existing_data(project, as_of)
    taken = records.taken_ids(project, dataset.incident_by_id)
    if incident_id is None:
        incident_id = records.free_id(records.proposed_id(record), taken)
    elif not re.fullmatch(SLUG_PATTERN, incident_id):
        raise RecordFileError(
            f"'{incident_id}' cannot be an id: use lower-case letters and digits joined by "
            "single hyphens, like '2022-08-15-green-village-rockets'"
        )
    elif incident_id in taken:
        where = dataset.files.get(incident_id) or next(
            project.display(p) for p in project.incidents_dir.rglob(f"{incident_id}.yaml")
        )
        raise RecordFileError(
            f"the id '{incident_id}' is already used by {where}; choose another id, or edit "
            "that file to correct it"
        )
    data = records.ordered({"id": incident_id, **record})
    path = project.incident_file(incident_id, data["date"])
    records.add_records(
        project, {path: records.incident_file(data, project.schema_modeline(path))}, as_of=as_of
    )
    return path
