"""Each vocabulary (kinds, weapons, statuses, …) is written once, in generator/vocabularies.py
(the sides and outcomes of casualties in generator/model.py, from the casualty fields).

Everything else reads it from there: the schema's enums, the CLI's choices, labels, facets,
CSV column descriptions. This test looks through the code, the templates and the scripts
for any other place that spells out values of a vocabulary side by side, which is how a
second copy starts (and drifts).
"""

from __future__ import annotations

import ast
import re

import pytest
from conftest import ROOT

from generator import model, vocabularies
from generator.vocabularies import Vocabulary

VOCABULARIES = {
    name: v
    for module in (vocabularies, model)
    for name, v in vars(module).items()
    if isinstance(v, Vocabulary)
}
HOMES = ("vocabularies.py", "model.py")


def _literal_strings(node: ast.AST) -> list[str]:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = node.elts
    elif isinstance(node, ast.Dict):
        items = [k for k in node.keys if k is not None]
    else:
        return []
    return [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]


def _copies_in_python(folder=ROOT / "generator") -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        if path.parent == ROOT / "generator" and path.name in HOMES:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            strings = set(_literal_strings(node))
            for name, vocabulary in VOCABULARIES.items():
                shared = strings & set(vocabulary)
                if len(shared) >= 3 or (len(vocabulary) <= 3 and shared == set(vocabulary)):
                    found.append(
                        f"{path.relative_to(folder)}:{node.lineno}: {name} {sorted(shared)}"
                    )
    return found


def _copies_in_text() -> list[str]:
    found = []
    files = [*(ROOT / "templates").glob("*.j2"), *(ROOT / "docs" / "assets").rglob("*.js")]
    for path in sorted(files):
        text = path.read_text("utf-8")
        for name, vocabulary in VOCABULARIES.items():
            values = [v for v in vocabulary if len(v) > 3]
            quoted = [v for v in values if re.search(rf"""["']{re.escape(v)}["']""", text)]
            if len(quoted) >= 3:
                found.append(f"{path.relative_to(ROOT)}: {name} {quoted}")
    return found


def test_no_vocabulary_is_spelt_out_outside_the_model():
    assert _copies_in_python() + _copies_in_text() == []


SCHEMAS = {
    "incident": model.incident_json_schema(),
    "base": model.Base.model_json_schema(),
    "dataset": model.DatasetInfo.model_json_schema(),
}
FIELD_VOCABULARIES = {n: v for n, v in VOCABULARIES.items() if n not in ("SIDES", "OUTCOMES")}


@pytest.mark.parametrize("name", sorted(FIELD_VOCABULARIES))
def test_the_schema_offers_exactly_each_vocabulary(name):
    """Wherever a field takes a vocabulary's values, the schema lists exactly them."""
    vocabulary = VOCABULARIES[name]
    found = [
        s["enum"]
        for schema in SCHEMAS.values()
        for props in _properties(schema)
        if vocabulary.field in props
        for s in _subschemas(props[vocabulary.field])
        if isinstance(s, dict) and "enum" in s
    ]
    assert found and all(enum == list(vocabulary) for enum in found), found


def test_sides_and_outcomes_are_the_casualty_fields():
    assert list(model.SIDES) == [
        f for f in model.Casualties.model_fields if f not in model.SideCasualties.model_fields
    ]
    assert list(model.OUTCOMES) == list(model.SideCasualties.model_fields)


def _properties(node):
    for sub in _subschemas(node):
        if isinstance(sub, dict) and isinstance(sub.get("properties"), dict):
            yield sub["properties"]


def _subschemas(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _subschemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _subschemas(value)


def test_the_check_finds_a_copy(tmp_path, monkeypatch):
    """The scan is not vacuous: a list of weapons written into a module is found."""
    (tmp_path / "copy.py").write_text('WEAPONS = ("rocket", "drone", "mortar")\n')
    assert any("WEAPONS" in line for line in _copies_in_python(tmp_path))
