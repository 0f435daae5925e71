"""``make new``: write a new incident file that already passes the validator.

The command line (``cli.new``) asks for what is missing; this module picks the id, writes
the file with the one record writer (``records``), checks the whole dataset with the new
file in it, and only then creates the file, never over an existing one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from pydantic import TypeAdapter, ValidationError

from generator import write
from generator.checks import unknown_base
from generator.dates import month_key
from generator.errors import DataError
from generator.fields import SLUG_PATTERN, Date, IncidentDate, LocalTime, Tally
from generator.model import OUTCOMES, SIDES, Base, Dataset
from generator.project import Project
from generator.text import did_you_mean, printable, slug
from generator.tools import records
from generator.tools.records import RecordFileError
from generator.validate import load_dataset
from generator.vocabularies import ATTRIBUTIONS, BASE_TYPES, KINDS, STATUSES, WEAPONS


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
    record: dict[str, object],
    *,
    incident_id: str | None = None,
    new_base: dict[str, object] | None = None,
    as_of: dt.date | None = None,
) -> Path:
    """Write ``record`` (without id) as a new incident file and return its path; with
    ``new_base``, add that base to bases.yaml in the same step (both, or neither).

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
    day = data["date"]
    path = project.incident_file(
        incident_id, day if isinstance(day, dt.date) else dt.date(int(str(day)[:4]), 1, 1)
    )
    files = {path: records.incident_file(data, project.schema_modeline(path))}
    if new_base is None:
        records.add_records(project, files, as_of=as_of)
        return path
    old = project.bases_file.read_bytes()
    bases = old.rstrip(b"\n") + b"\n\n" + records.list_entry(new_base, Base).encode()
    records.check_with(project, {**files, project.bases_file: bases}, as_of=as_of)
    write.replace_file(project.inside(project.bases_file), bases)
    try:
        write.create_files(files, shown=project.display)
    except BaseException:
        write.replace_file(project.bases_file, old)
        raise
    return path


# --- the interview: options first, then questions for what they do not give ------------------


def parse_casualties(text: str, names: Iterable[str] = ()) -> dict[str, dict[str, object]]:
    """'us killed=3 injured=47+; militant killed=2-5' -> the casualties mapping of a record.

    Numbers are written as in the incidents CSV: 3, 2-5 (a range) or 47+ (at least 47).
    """
    out: dict[str, dict[str, object]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        side, *numbers = part.split()
        if side not in SIDES:
            raise ValueError(
                f"'{side}' is not a side; use one of: {', '.join(SIDES)}{did_you_mean(side, SIDES)}"
            )
        if not numbers:
            raise ValueError(f"give numbers for {side}, e.g. '{side} killed=1 injured=2'")
        for item in numbers:
            outcome, sep, value = item.partition("=")
            if not sep or outcome not in OUTCOMES:
                raise ValueError(f"write '{item}' as killed=N or injured=N")
            out.setdefault(side, {})[outcome] = Tally.parse(value).written
    return out


@dataclass
class Answers:
    """What the person gave, from options or answers, before it becomes a record."""

    values: dict[str, object]
    new_base: dict[str, object] | None = None  # a base to add to bases.yaml with the record


# A draft's fields (``draft``) as the questions name them. A draft's other fields are shown
# one by one to keep or drop; without questions (--no-input) they are refused.
FROM_DRAFT = {
    "date": "date_",
    "date_precision": "date_precision",
    "time": "time",
    "kind": "kind",
    "base": "base",
    "location": "location",
    "country": "country",
    "weapon": "weapon",
    "status": "status",
    "perpetrator": "perpetrator",
    "attribution": "attribution",
    "casualties": "casualties",
    "strikes": "strikes",
    "target": "target",
    "targets": "targets",
    "projectiles": "projectiles",
    "intercepted": "intercepted",
    "responds_to": "responds_to",
    "summary": "summary",
    "notes": "notes",
}
SOURCE_KEYS = ("publisher", "title", "published", "url")


# Line breaks a terminal does not show as one (U+2028, U+2029, NEL, vertical tab, form feed,
# the information separators): YAML reads them as line ends, so one in a draft can hide a
# field behind text that looks like a comment. `draft` never writes them.
HIDDEN_BREAKS = re.compile("[\u2028\u2029\u0085\x0b\x0c\x1c-\x1e]")
MAX_DRAFT_BYTES = 1024 * 1024


def check_draft_file(path: Path) -> None:
    """Refuse a draft file that could show a reader other fields than it holds."""
    try:
        data = path.read_bytes()[: MAX_DRAFT_BYTES + 1]
        text = data.decode("utf-8")
    except OSError as e:
        raise click.ClickException(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise click.ClickException(
            f"{path} is not UTF-8 text; give the file `draft` wrote"
        ) from None
    if len(data) > MAX_DRAFT_BYTES:
        raise click.ClickException(f"{path} is larger than a draft can be (1 MB)")
    if found := HIDDEN_BREAKS.search(text):
        line = text.count("\n", 0, found.start()) + 1
        col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise click.ClickException(
            f"{path}:{line}:{col}: holds the invisible line break U+{ord(found.group()):04X}, "
            "which can hide a field from whoever reads the draft; `draft` never writes one: "
            "draft the article again, or remove it"
        )


def checked_options(given: dict[str, object]) -> dict[str, object]:
    """Command-line options in the forms the questions give them, by the same checks: a
    wrong value is an error naming its option ('--date')."""
    checks = {
        "date_": _date_or_month,
        "time": _time,
        "weapon": _weapons,
        "casualties": _casualties,
        "published": _day,
    }
    out = dict(given)
    for key, check in checks.items():
        value = out.get(key)
        if isinstance(value, str):
            try:
                out[key] = check(value)
            except click.BadParameter as e:
                e.param_hint = f"'--{key.rstrip('_').replace('_', '-')}'"
                raise
    return out


class Interview:
    """Asks for each field the options did not give (unless ``ask`` is off, when a missing
    required field is an error naming its option). Answers are checked as they come, with
    the validator's own rules, and asked again when wrong.

    Started from a draft (``generator.tools.draft``), each question the draft answers
    offers its value to confirm (or, without ``ask``, takes it), questions it leaves open
    are skipped unless a record needs them (the summary always is), and the fields no
    question asks (numbers, notes, responds_to…) go into the record as drafted.
    """

    def __init__(
        self,
        given: dict[str, object],
        dataset: Dataset,
        *,
        ask: bool,
        draft: dict[str, object] | None = None,
    ) -> None:
        self.values = {k: _text(v) if isinstance(v, str) else v for k, v in given.items()}
        self.dataset = dataset
        self.ask = ask
        self.missing: list[str] = []
        self.new_base: dict[str, object] | None = None
        self.drafted: dict[str, object] = {}  # question key -> the draft's value
        self.kept: dict[str, object] = {}  # record fields no question asks for
        self.from_draft = draft is not None
        for key, value in (draft or {}).items():
            if value is None or value == [] or value == {}:
                continue  # left open by the draft (its summary always is)
            if key in FROM_DRAFT:
                self.drafted[FROM_DRAFT[key]] = value
            elif key == "sources" and isinstance(value, list) and value:
                first, *more = value
                if isinstance(first, dict):
                    self.drafted.update({k: first[k] for k in SOURCE_KEYS if first.get(k)})
                if more:
                    self.kept["more_sources"] = more
            elif key != "id":
                self.kept[key] = value
        if self.drafted.get("date_precision") is None and "date_" in self.drafted:
            self.drafted["date_precision"] = "day"

    # The options pass through to click.prompt (type, default, value_proc): typed by click.
    def need(self, key: str, question: str, *, optional: bool = False, **options: Any) -> object:
        if self.values.get(key) is None and key in self.drafted:
            if not self.ask:  # taken as drafted, by the same check as an answer
                value, check = self.drafted[key], options.get("value_proc")
                self.values[key] = check(value) if check and isinstance(value, str) else value
                return self.values[key]
            options["default"] = _shown(self.drafted[key])
            optional = True
        elif self.from_draft and optional and self.values.get(key) is None:
            return None  # the draft leaves it open: the person adds it in the file
        if self.values.get(key) is not None or (optional and not self.ask):
            return self.values.get(key)
        if not self.ask:
            self.missing.append(f"--{key.rstrip('_').replace('_', '-')}")
            return None
        if optional:
            options.setdefault("default", "")
        answer = click.prompt(question, show_default=bool(options.get("default")), **options)
        self.values[key] = _text(answer) if isinstance(answer, str) else answer
        return self.values[key] or None

    def run(self) -> Answers:
        v = self.values
        day = self.need(
            "date_",
            "Date of the incident (YYYY-MM-DD, or YYYY-MM when only the month is known)",
            value_proc=_date_or_month,
        )
        if isinstance(day, str):  # a month
            v["date_precision"] = None
        elif day is not None:
            self.need(
                "date_precision",
                "How exact is the day",
                optional=True,
                type=click.Choice(["day", "week"]),
                default="day",
            )
            if (v.get("date_precision") or "day") == "day":
                self.need("time", 'Local time, "HH:MM" (optional)', optional=True, value_proc=_time)
        kind = self.need(
            "kind",
            "Kind: attack (on a base) or strike (by US forces)",
            type=click.Choice(list(KINDS)),
        )
        if kind == "strike":
            self._strike()
        else:
            self._attack()
        self.need(
            "weapon",
            f"Weapons, separated by commas ({WEAPONS.listing()})",
            optional=True,
            default="unknown",
            value_proc=_weapons,
        )
        self.need(
            "status", "Status", type=click.Choice(list(STATUSES)), optional=True, default="reported"
        )
        perpetrator = self.need(
            "perpetrator",
            "Perpetrator: an actor id or name, or a name as reported (optional)",
            optional=True,
            value_proc=self._actor,
        )
        if perpetrator:
            self.need(
                "attribution",
                f"How is it known ({ATTRIBUTIONS.listing(', or ')})",
                optional=True,
                type=click.Choice(["", *ATTRIBUTIONS]),
            )
        self.need(
            "casualties",
            "Casualties by side, e.g. 'us killed=0 injured=3; partner "
            "killed=1' (numbers: 3, 2-5 or 47+; optional)",
            optional=True,
            value_proc=_casualties,
        )
        self.need("summary", "Summary: what happened, in your own words")
        self.need("publisher", "Source: who published it (e.g. CNN, CENTCOM)")
        self.need("title", "Source: title, as published")
        self.need("published", "Source: date published (YYYY-MM-DD)", value_proc=_day)
        self.need("url", "Source: web address (optional)", optional=True)
        for key, question, check in DRAFT_ONLY:
            if self.drafted.get(key) not in (None, [], ""):
                self.need(key, question, optional=True, value_proc=check)
        if self.missing:
            raise click.UsageError(
                f"missing {', '.join(self.missing)} (or leave out --no-input to be asked)"
            )
        self._confirm_kept()
        return Answers(self._record(), self.new_base)

    def _confirm_kept(self) -> None:
        """The draft's fields that no question asks for (tags, related records, more
        sources…): each is shown and kept only when the person says so. Without questions
        they are refused: nothing is written that nobody saw."""
        if not self.kept:
            return
        if not self.ask:
            names = ", ".join(_field_name(k) for k in self.kept)
            raise click.ClickException(
                f"the draft also sets {names}, which --no-input does not write unseen; run "
                "without --no-input to confirm each, or remove them from the draft"
            )
        for key in list(self.kept):
            shown = printable(json.dumps(self.kept[key], ensure_ascii=False, default=str))
            if not click.confirm(f"The draft also sets {_field_name(key)}: {shown}. Keep it?"):
                del self.kept[key]

    def _attack(self) -> None:
        bases = ", ".join(sorted(self.dataset.base_by_id))
        base = self.need(
            "base",
            f"Base attacked ({bases}; a new name to add one; empty when "
            "the reporting does not name the site)",
            optional=True,
            value_proc=self._base,
        )
        if base is None and self.values.get("new_base") is None:
            countries = list(self.dataset.info.countries)
            self.need("country", "Country of the unnamed site", type=click.Choice(countries))
            self.need("location", "Where in it, if known (optional)", optional=True)

    def _strike(self) -> None:
        self.need("location", "Place struck, e.g. Al-Mayadin")
        self.need("country", "Country struck (optional)", optional=True)
        bases = ", ".join(sorted(self.dataset.base_by_id))
        self.need(
            "base",
            f"Base it was near or protected (optional: {bases})",
            optional=True,
            value_proc=self._known_base,
        )
        self.need(
            "strikes",
            "How many strikes the record stands for (optional; empty: one)",
            optional=True,
            value_proc=_count,
        )
        self.need("target", "What was struck (optional)", optional=True)
        self.need(
            "targets",
            "How many targets or facilities were struck (optional)",
            optional=True,
            value_proc=_count,
        )

    def _known_base(self, value: str) -> str:
        value = value.strip()
        if not value:
            return ""
        found = self.dataset.base_names.find(value)
        if found is None:
            raise click.BadParameter(unknown_base(value, self.dataset.base_names))
        return found

    def _base(self, value: str) -> str:
        """A base by id, name or alias; a name that is not in bases.yaml can be added."""
        value = value.strip()
        if not value:
            return ""
        if found := self.dataset.base_names.find(value):
            return found
        meant = self.dataset.base_names.suggest(value)
        hint = f" (did you mean '{meant}'?)" if meant else ""
        if not click.confirm(f"'{value}' is not in bases.yaml{hint}. Add it as a new base?"):
            raise click.BadParameter(unknown_base(value, self.dataset.base_names))
        countries = list(self.dataset.info.countries)
        self.new_base = {
            "id": click.prompt("Id of the new base", default=slug(value)),
            "name": click.prompt("Name of the new base", default=value),
            "type": click.prompt("What it is", type=click.Choice(list(BASE_TYPES)), default="base"),
            "country": click.prompt("Country", type=click.Choice(countries)),
        }
        return str(self.new_base["id"])

    def _actor(self, value: object) -> str:
        text = " ".join(str(value or "").split())
        return (self.dataset.actor_names.find(text) or text) if text else ""

    def _record(self) -> dict[str, object]:
        v = self.values
        if v.get("new_base"):  # from --new-base NAME --new-base-country … (no questions)
            self.new_base = {
                "id": slug(str(v["new_base"])),
                "name": v["new_base"],
                "type": v.get("new_base_type") or "base",
                "country": v.get("new_base_country"),
            }
            v["base"] = self.new_base["id"]
        elif v.get("base") and self.new_base is None:
            v["base"] = self._base_option(str(v["base"]))
        record = {
            "date": v["date_"],
            "date_precision": v.get("date_precision") if v.get("date_precision") != "day" else None,
            "time": v.get("time") or None,
            "kind": v["kind"],
            "base": v.get("base") or None,
            "location": v.get("location") or None,
            "country": v.get("country") or None,
            "weapon": v.get("weapon") or "unknown",
            "status": v.get("status") or "reported",
            "perpetrator": self._actor(v["perpetrator"]) if v.get("perpetrator") else None,
            "attribution": v.get("attribution") or None,
            "strikes": v.get("strikes"),
            "target": v.get("target") or None,
            "targets": v.get("targets"),
            "casualties": v.get("casualties") or None,
            "projectiles": v.get("projectiles"),
            "intercepted": v.get("intercepted"),
            "responds_to": v.get("responds_to") or None,
            "summary": v["summary"],
            "notes": v.get("notes") or None,
        }
        sources: list[object] = [
            {
                "publisher": v["publisher"],
                "title": v["title"],
                "published": v["published"],
                "url": v.get("url") or None,
            }
        ]
        kept = dict(self.kept)
        more = kept.pop("more_sources", [])
        record["sources"] = [*sources, *(more if isinstance(more, list) else [])]
        return {**record, **kept}

    def _base_option(self, value: str) -> str:
        found = self.dataset.base_names.find(value)
        if found is None:
            raise click.BadParameter(
                unknown_base(value, self.dataset.base_names)
                + "; to add it, give --new-base NAME --new-base-country COUNTRY",
                param_hint="'--base'",
            )
        return found


def _shown(value: object) -> str:
    """A drafted value as a question offers it to confirm: as it would be typed."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            " ".join([side, *(f"{k}={Tally.model_validate(_tally(n)).cell}" for k, n in v.items())])
            for side, v in value.items()
        )
    return str(value)


def _tally(value: object) -> object:
    return {"min": value, "max": value} if isinstance(value, int) else value


def _text(value: str | None) -> str | None:
    """Text from a prompt or an option: one line, single spaces, None if empty."""
    return " ".join(value.split()) or None if value is not None else None


def _date_or_month(value: object) -> dt.date | str:
    """A day (YYYY-MM-DD) or a month (YYYY-MM), checked by the model's own rules."""
    text = str(value).strip()
    try:
        day = _incident_date(text)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    return month_key(day) if re.fullmatch(r"\d{4}-\d{2}", text) else day


def _incident_date(text: str) -> dt.date:
    try:
        day: dt.date = TypeAdapter(IncidentDate).validate_python(text)
    except ValidationError as e:
        raise ValueError(e.errors(include_url=False)[0]["msg"]) from None
    return day


def _day(value: object) -> dt.date:
    try:
        day: dt.date = TypeAdapter(Date).validate_python(value)
    except ValidationError as e:
        raise click.BadParameter(e.errors(include_url=False)[0]["msg"]) from None
    return day


def _time(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return str(TypeAdapter(LocalTime).validate_python(value.strip()))
    except ValidationError as e:
        raise click.BadParameter(e.errors(include_url=False)[0]["msg"]) from None


def _weapons(value: object) -> str | list[str]:
    words = [w.strip() for w in str(value).replace(";", ",").split(",") if w.strip()]
    for w in words:
        if w not in WEAPONS:
            raise click.BadParameter(
                f"'{w}' is not a weapon{did_you_mean(w, WEAPONS)}; use one of: {WEAPONS.listing()}"
            )
    if not words:
        return "unknown"
    return words[0] if len(words) == 1 else words


def _field_name(key: str) -> str:
    return "more sources" if key == "more_sources" else key


def _ids(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [w.strip() for w in str(value).replace(";", ",").split(",") if w.strip()]


def _number(value: object) -> int | None:
    """A count that may be 0 (projectiles, intercepted)."""
    text = str(value).strip()
    if not text:
        return None
    if not text.isdigit():
        raise click.BadParameter(f"'{text}' is not a whole number")
    return int(text)


def _count(value: object) -> int | None:
    text = str(value).strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise click.BadParameter(f"'{text}' is not a whole number of 1 or more")
    return int(text)


def _casualties(value: object) -> dict[str, dict[str, object]] | dict[object, object] | str:
    if isinstance(value, dict) or not str(value).strip():
        return value if isinstance(value, dict) else ""
    try:
        return parse_casualties(str(value))
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


# Questions asked only when a draft gives a value: (field, question, check).
DRAFT_ONLY: tuple[tuple[str, str, object], ...] = (
    ("projectiles", "How many were fired (optional)", _number),
    ("intercepted", "How many were intercepted (optional)", _number),
    ("responds_to", "Ids of the incidents it answered, separated by commas", _ids),
    ("notes", "Notes: how the date was worked out, doubts (optional)", _text),
)
