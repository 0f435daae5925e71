"""A YAML value validated as a model, with pydantic's errors worded as ours.

``parse_record`` validates the value at a place in a document and adds a ``Problem`` (file,
line, field, what to do) for each error; ``describe_error`` words one error the same way for
the CSV importer, whose values come from rows, not files.
"""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import Problem
from generator.load import Document, Loc, format_loc, value_at
from generator.model import Actor, DatasetInfo, Incident
from generator.text import did_you_mean
from generator.values import YAMLValue

Model = typing.TypeVar("Model", bound=BaseModel)


def parse_record(
    model: type[Model], doc: Document, loc: Loc, problems: list[Problem]
) -> Model | None:
    """Validate the value at ``loc`` as ``model``; on failure add problems and return None."""
    value = value_at(doc.value, loc)
    if not isinstance(value, dict):
        what = {Incident: "an incident", DatasetInfo: "dataset.yaml", Actor: "an actor"}.get(
            model, "a base"
        )
        problems.append(
            doc.problem(
                loc,
                f"{what} must be a mapping of fields (key: value lines), not {_describe(value)}",
            )
        )
        return None
    if doc.bad:
        value = _without(value, loc, doc.bad)
    try:
        record = model.model_validate(value)
    except ValidationError as e:
        for error in e.errors(include_url=False):
            if not _already_reported((*loc, *error["loc"]), doc.bad):
                problems.append(_problem(model, doc, loc, error))
        return None
    return None if any(b[: len(loc)] == loc for b in doc.bad) else record


def _already_reported(loc: Loc, bad: set[Loc]) -> bool:
    return any(loc[: len(b)] == b for b in bad)


def _without(value: YAMLValue, loc: Loc, bad: set[Loc]) -> YAMLValue:
    """The value with the entries the loader already reported left out (not re-reported)."""
    if isinstance(value, dict):
        return {k: _without(v, (*loc, k), bad) for k, v in value.items() if (*loc, k) not in bad}
    if isinstance(value, list):
        return [_without(v, (*loc, n), bad) for n, v in enumerate(value)]
    return value


def _problem(model: type[BaseModel], doc: Document, base: Loc, error: ErrorDetails) -> Problem:
    loc: Loc = as_written(doc.value, (*base, *error["loc"]))
    kind = error["type"]
    value = error.get("input")
    ctx = dict(error.get("ctx") or {})
    if kind == "missing":  # point at the mapping that lacks the field
        mark = doc.mark(loc[:-1])
        return Problem(
            doc.path, mark.line, mark.col, format_loc(loc), "is required but missing", loc
        )
    if kind == "extra_forbidden":
        known = _fields_at(model, error["loc"][:-1])
        hint = did_you_mean(str(loc[-1]), known)
        listing = f"{'K' if hint else 'k'}nown fields here: {', '.join(sorted(known))}"
        return doc.problem(loc, f"unknown field{hint or ';'} {listing}", key=True)
    return doc.problem(loc, describe_error(kind, value, ctx, error["msg"]))


def as_written(value: object, loc: Loc) -> Loc:
    """A problem's place as the file has it: 'weapon', not 'weapon[0]', where the file gives
    one value that the model reads as a list of one."""
    for n, part in enumerate(loc):
        if isinstance(part, int) and not isinstance(value, list):
            return (*loc[:n], *loc[n + 1 :])
        if not isinstance(value, (dict, list)):
            return loc
        value = value_at(value, (part,))
    return loc


def describe_error(kind: str, value: object, ctx: dict[str, object], default: str) -> str:
    shown = _describe(value)
    if kind == "string_type":
        if isinstance(value, bool):
            return (
                f"expected text, got {shown}: YAML reads yes/no/on/off/true/false as "
                "true or false; put the text in quotes"
            )
        return f"expected text, got {shown}; put it in quotes if you meant it as text"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {shown}"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"expected a number, got {shown}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = (
            f"at least {ctx['ge']:g}" if kind == "greater_than_equal" else f"at most {ctx['le']:g}"
        )
        return f"must be {bound}, got {shown}"
    if kind == "literal_error":
        allowed = [
            a.strip(" '") for a in str(ctx.get("expected", "")).replace(" or ", ", ").split(", ")
        ]
        hint = did_you_mean(str(value), allowed)
        return f"{shown} is not allowed{hint or ';'} {'U' if hint else 'u'}se one of: " + (
            ", ".join(allowed)
        )
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {shown}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of fields (key: value lines), got {shown}"
    if kind == "string_pattern_mismatch":
        return (
            f"{shown} must be lower-case letters and digits joined by single hyphens, "
            "like 'green-village'"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long ({len(str(value)):,} characters; the limit is {ctx['max_length']:,})"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "too_long" and isinstance(value, list):
        return f"has {len(value)} entries; at most {ctx['max_length']} are allowed"
    return default


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _fields_at(model: type[BaseModel], loc: tuple[object, ...]) -> set[str]:
    """The field names of the model found at ``loc`` inside ``model`` (for suggestions)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field_info = current.model_fields.get(str(part))
        current = model_in(field_info.annotation) if field_info else None
    return set(current.model_fields) if current is not None else set()


def model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) is typing.Annotated:
        return model_in(typing.get_args(annotation)[0])
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (
        typing.Union,
        list,
    ):
        for arg in typing.get_args(annotation):
            found = model_in(arg)
            if found is not None:
                return found
    return None
