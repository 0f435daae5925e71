"""data/incident.schema.json: generated from the model, and it agrees with the validator."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import ROOT, TODAY

from generator.model import incident_json_schema
from generator.project import Project
from generator.validate import load_dataset

SCHEMA = json.loads((ROOT / "data" / "incident.schema.json").read_text())
DATA_FOLDERS = [
    ROOT / "data",
    *sorted(p.parent for p in (ROOT / "examples").glob("*/dataset.yaml")),
]


@pytest.mark.parametrize("data", DATA_FOLDERS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_committed_schema_is_generated_from_the_model(data):
    """Each data folder has its schema, which offers its own bases and actors."""
    dataset = load_dataset(Project(ROOT, data), as_of=TODAY)
    committed = json.loads((data / "incident.schema.json").read_text())
    option = "" if data == ROOT / "data" else f" DATA={data.relative_to(ROOT).as_posix()}"
    assert incident_json_schema(dataset) == committed, f"run `make schema{option}`"


def test_editors_are_offered_the_bases_actors_sides_and_weapons():
    properties = SCHEMA["properties"]
    assert "green-village" in properties["base"]["enum"]
    assert "iran-backed-groups" in properties["perpetrator"]["anyOf"][0]["enum"]
    casualties = SCHEMA["$defs"]["Casualties"]["properties"]
    assert {"us", "coalition", "partner", "civilian", "militant", "unknown"} <= set(casualties)
    assert "drone" in properties["weapon"]["oneOf"][0]["enum"]


@pytest.mark.parametrize(
    "change",
    [
        {"date": "2023-11"},
        {"weapon": ["missile", "rocket"]},
        {
            "casualties": {
                "us": {"killed": 3, "injured": {"min": 47}},
                "militant": {"killed": {"min": 2, "max": 5}},
            }
        },
        {"time": "04:30"},
        {
            "kind": "strike",
            "location": "Abu Kamal",
            "target": "A depot",
            "targets": 2,
            "strikes": 3,
        },
        {"base": None, "country": "Iraq", "location": "near Erbil airport"},
    ],
)
def test_the_schema_accepts_the_forms_real_reporting_needs(change):
    record = {
        "id": "x",
        "date": "2022-08-15",
        "kind": "attack",
        "base": "green-village",
        "summary": "s",
        "sources": [{"publisher": "p", "title": "t", "published": "2022-08-15"}],
    }
    record.update(change)
    jsonschema.validate({k: v for k, v in record.items() if v is not None}, SCHEMA)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "data" / "incidents").glob("*/*.yaml")), ids=lambda p: p.stem
)
def test_every_sample_record_passes_the_schema(path):
    record = yaml.safe_load(path.read_text())
    record = json.loads(json.dumps(record, default=str))  # dates as strings, as editors see them
    jsonschema.validate(record, SCHEMA)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"kind": "attak"}, "'attak' is not one of"),
        ({"weapon": None}, "None is not valid under any of the given schemas"),
        ({"base": None, "kind": "attack"}, "None is not of type 'string'"),
        ({"summry": "x"}, "Additional properties are not allowed"),
        ({"projectiles": -1}, "-1 is less than the minimum of 0"),
        ({"sources": []}, "[] should be non-empty"),
    ],
)
def test_the_schema_refuses_what_the_validator_refuses(change, message):
    record = {
        "id": "2022-08-15-x",
        "date": "2022-08-15",
        "kind": "attack",
        "base": "x",
        "summary": "s",
        "sources": [{"publisher": "p", "title": "t", "published": "2022-08-15"}],
    }
    record.update(change)
    with pytest.raises(
        jsonschema.ValidationError,
        match=message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\("),
    ):
        jsonschema.validate(record, SCHEMA)


def test_an_attack_without_a_base_fails_the_schema():
    record = {
        "id": "x",
        "date": "2022-08-15",
        "kind": "attack",
        "summary": "s",
        "sources": [{"publisher": "p", "title": "t", "published": "2022-08-15"}],
    }
    with pytest.raises(jsonschema.ValidationError, match="is not valid under any of the given"):
        jsonschema.validate(record, SCHEMA)
