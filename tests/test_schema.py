"""data/incident.schema.json: generated from the model, and it agrees with the validator."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import ROOT

from generator.model import incident_json_schema

SCHEMA = json.loads((ROOT / "data" / "incident.schema.json").read_text())


def test_the_committed_schema_is_generated_from_the_model():
    assert incident_json_schema() == SCHEMA, "run `make schema` and commit the result"


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
        ({"weapon": None}, "None is not one of"),
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
    with pytest.raises(jsonschema.ValidationError, match="'base' is a required property"):
        jsonschema.validate(record, SCHEMA)
