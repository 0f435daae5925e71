"""`python -m generator new` (`make new`): a new incident file that passes the validator."""

from __future__ import annotations

import datetime as dt
import io
import textwrap

import pytest
import yaml
from conftest import problems

from generator.cli import main
from generator.text import slug
from generator.tools.records import incident_file, ordered, scalar

# Options for a complete attack; tests leave some out or change one.
ATTACK = {
    "--date": "2022-08-30",
    "--kind": "attack",
    "--base": "green-village",
    "--weapon": "rocket",
    "--summary": "Three rockets landed near the base: nobody was hurt.",
    "--publisher": "CNN",
    "--title": "Rockets hit base again",
    "--published": "2022-08-31",
    "--url": "https://example.com/a",
}


def run(capsys, project, *argv: str, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--root", str(project.root), "new", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def options(**change: str | None) -> list[str]:
    merged = {**ATTACK, **{f"--{k}": v for k, v in change.items()}}
    return [x for k, v in merged.items() if v is not None for x in (k, v)]


def new_files(project) -> list[str]:
    return sorted(project.display(p) for p in project.incidents_dir.rglob("2022-08-30-*.yaml"))


def test_new_from_options_writes_a_readable_valid_file(project, capsys):
    code, out, err = run(capsys, project, *options(), "--no-input")
    assert (code, err) == (0, "")
    path = project.incidents_dir / "2022" / "2022-08-30-green-village-rockets.yaml"
    assert out == (
        "Wrote data/incidents/2022/2022-08-30-green-village-rockets.yaml\n"
        "Open it to add what else is known (notes, damage, more sources…), then run `make site`.\n"
    )
    assert path.read_text() == textwrap.dedent("""\
        # yaml-language-server: $schema=../../incident.schema.json
        id: 2022-08-30-green-village-rockets
        date: 2022-08-30
        kind: attack
        base: green-village
        weapon: rocket
        status: reported
        summary: >-
          Three rockets landed near the base: nobody was hurt.
        sources:
          - publisher: CNN
            title: Rockets hit base again
            published: 2022-08-31
            url: https://example.com/a
        """)
    assert problems(project) == []


def test_new_asks_for_what_is_missing_and_accepts_a_base_name(project, capsys, monkeypatch):
    answers = [
        "2022-02-30",  # not a real date: asked again
        "2022-08-30",
        "",  # precision: day (the default)
        "",  # no time
        "attak",  # not a kind: asked again
        "attack",
        "Green Vilage",  # unknown: it could be added as a new base; no, so asked again
        "n",
        "al-Tanf",  # an alias
        "",  # weapon: unknown (the default)
        "claimed",
        "",  # no perpetrator
        "",  # no casualties
        "Drones  were shot down\tover the base.",
        "CENTCOM",
        "Statement on drone attack",
        "2022-08-30",
        "",  # no URL
    ]
    code, out, err = run(capsys, project, stdin="\n".join(answers) + "\n", monkeypatch=monkeypatch)
    assert code == 0, err
    assert "'2022-02-30' is not a real date (check the day and month)" in out
    assert "'attak' is not one of 'attack', 'strike'" in out
    assert "'Green Vilage' is not in bases.yaml (did you mean 'green-village'?). Add it" in out
    assert (
        "unknown base 'Green Vilage'; did you mean 'green-village'? "
        "Bases are listed in data/bases.yaml" in out
    )
    assert new_files(project) == ["data/incidents/2022/2022-08-30-al-tanf-attack.yaml"]
    text = (project.incidents_dir / "2022" / "2022-08-30-al-tanf-attack.yaml").read_text()
    assert "base: al-tanf\nweapon: unknown\nstatus: claimed\n" in text
    assert "summary: >-\n  Drones were shot down over the base.\n" in text
    assert "url:" not in text
    assert problems(project) == []


def test_a_strike_needs_a_place_and_gets_an_id_from_it(project, capsys):
    argv = options(kind="strike", base=None, weapon="airstrike", location="Al-Mayadin, Syria")
    code, _, err = run(capsys, project, *argv, "--no-input")
    assert code == 0, err
    assert new_files(project) == ["data/incidents/2022/2022-08-30-al-mayadin-airstrikes.yaml"]
    assert problems(project) == []


def test_a_taken_id_gets_a_number_and_no_file_is_overwritten(project, capsys):
    sample = project.incidents_dir / "2022" / "2022-08-15-green-village-rockets.yaml"
    before = sample.read_text()
    argv = options(date="2022-08-15", published="2022-08-16")
    assert run(capsys, project, *argv, "--no-input")[0] == 0
    assert run(capsys, project, *argv, "--no-input")[0] == 0
    assert sample.read_text() == before
    made = sorted(p.name for p in sample.parent.glob("2022-08-15-green-village-rockets*"))
    assert made == [
        "2022-08-15-green-village-rockets-2.yaml",
        "2022-08-15-green-village-rockets-3.yaml",
        "2022-08-15-green-village-rockets.yaml",
    ]
    assert problems(project) == []


def test_an_id_that_is_taken_is_refused(project, capsys):
    argv = options(id="2022-08-15-green-village-rockets")
    code, out, err = run(capsys, project, *argv, "--no-input")
    assert (code, out) == (1, "")
    assert err == (
        "the id '2022-08-15-green-village-rockets' is already used by "
        "data/incidents/2022/2022-08-15-green-village-rockets.yaml; choose another id, or "
        "edit that file to correct it\n"
    )
    assert new_files(project) == []


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"base": "green-vilage"},
            "Error: Invalid value for '--base': unknown base 'green-vilage'; did you mean "
            "'green-village'? Bases are listed in data/bases.yaml; to add it, give --new-base "
            "NAME --new-base-country COUNTRY",
        ),
        (
            {"kind": "attak"},
            "Error: Invalid value for '--kind': 'attak' is not one of 'attack', 'strike'.",
        ),
        (
            {"date": "15/08/2022"},
            "Error: Invalid value for '--date': write the date as YYYY-MM-DD, for example "
            "2022-08-15, or YYYY-MM when only the month is known",
        ),
        (
            {"summary": None, "title": None},
            "Error: missing --summary, --title (or leave out --no-input to be asked)",
        ),
        (
            {"id": "Green Village"},
            "'Green Village' cannot be an id: use lower-case letters and digits joined by "
            "single hyphens, like '2022-08-15-green-village-rockets'",
        ),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(project, capsys, change, message):
    code, out, err = run(capsys, project, *options(**change), "--no-input")
    assert (code in (1, 2), out) == (True, "")
    assert err.splitlines()[-1] == message
    assert "Traceback" not in err
    assert new_files(project) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            {"published": "2022-08-28"},
            "data/incidents/2022/2022-08-30-green-village-rockets.yaml:13:16: "
            "sources[0].published: 2022-08-28 is more than a day before the incident "
            "(2022-08-30); check both dates, or set date_precision if the day is uncertain",
        ),
        (
            {"url": "javascript:alert(1)"},
            "data/incidents/2022/2022-08-30-green-village-rockets.yaml:14:10: "
            "sources[0].url: must be a web address starting with http:// or https://",
        ),
        (
            {"date": "2099-01-01", "published": "2099-01-02"},
            "data/incidents/2099/2099-01-01-green-village-rockets.yaml:3:7: date: 2099-01-01 "
            "is in the future (today is ",
        ),
    ],
)
def test_the_validator_checks_the_record_and_nothing_is_written(project, capsys, change, expected):
    before = sorted(project.data_dir.rglob("*"))
    code, out, err = run(capsys, project, *options(**change), "--no-input")
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0].startswith(expected)
    assert lines[-1].endswith("found; nothing was written.")
    assert sorted(project.data_dir.rglob("*")) == before


def test_new_refuses_to_add_to_data_that_already_has_problems(project, capsys):
    broken = project.incidents_dir / "2022" / "2022-08-15-green-village-rockets.yaml"
    broken.write_text(broken.read_text().replace("kind: attack", "kind: attak"))
    code, out, err = run(capsys, project, *options(), "--no-input")
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (
        "The data already has problems; fix them first (`make validate` lists them), then "
        "add the new incident."
    )
    assert new_files(project) == []


@pytest.mark.parametrize(
    "value, written",
    [
        ("CNN", "CNN"),
        ("yes", "'yes'"),
        ("2022-08-15", "'2022-08-15'"),
        ("Rockets: three", "'Rockets: three'"),
        ("#1 story", "'#1 story'"),
        ("It's", "It's"),
        ("'quoted'", "'''quoted'''"),
        ("[draft] title", "'[draft] title'"),
        ("- dash", "'- dash'"),
        ("null", "'null'"),
        ("12", "'12'"),
    ],
)
def test_text_is_quoted_only_where_yaml_needs_it(value, written):
    assert scalar(value) == written


def test_long_text_is_folded_and_reads_back_the_same():
    record = {
        "id": "x",
        "summary": "word " * 40 + "end: #not a comment",
        "sources": [{"publisher": "p", "title": "t", "published": None}],
    }
    text = incident_file(ordered(record), "# modeline").decode()
    assert "summary: >-\n  word word" in text
    assert max(len(line) for line in text.splitlines()) <= 88


def test_slug():
    assert slug("Iraq–Syria border región") == "iraq-syria-border-region"
    assert (
        slug("Rocket launch positions near Green Village") == "rocket-launch-positions-near-green"
    )
    assert slug("¿?") == ""
    assert slug("Mar’a") == slug("Mar'a") == "mara"
    assert slug("Al-Qa'im") == "al-qaim"
    assert slug("Ḥalab (Aleppo)") == "halab-aleppo"


# --- what real reporting needs: every new field from options or questions --------------------


def test_new_writes_every_field_real_reporting_needs_from_options(project, capsys):
    argv = options(
        date="2022-08",
        weapon="missile, rocket",
        casualties=("us killed=0 injured=3; partner killed=1-2; civilian injured=1+"),
        perpetrator="Iran-backed militias",
        attribution="suspected",
    )
    code, _, err = run(capsys, project, *argv, "--no-input")
    assert code == 0, err
    [path] = new_files_in(project, "2022-08-green-village-missiles.yaml")
    text = path.read_text()
    assert "\ndate: 2022-08\n" in text and "date_precision" not in text
    assert "\nweapon: [missile, rocket]\n" in text
    assert "perpetrator: iran-backed-groups\n" in text  # a name of the actor: its id
    assert (
        "casualties:\n  us: {killed: 0, injured: 3}\n  partner: {killed: {min: 1, max: 2}}\n"
        "  civilian: {injured: {min: 1}}\n"
    ) in text
    assert problems(project) == []


def test_new_writes_a_strike_with_its_targets_and_a_source_from_the_day_before(project, capsys):
    argv = options(
        kind="strike",
        base=None,
        weapon="airstrike",
        location="Abu Kamal",
        country="Syria",
        strikes="2",
        targets="2",
        target="Two weapons depots",
        date="2022-08-30",
        published="2022-08-29",
        time="04:30",
    )
    code, _, err = run(capsys, project, *argv, "--no-input")
    assert code == 0, err
    [path] = new_files_in(project, "2022-08-30-abu-kamal-airstrikes.yaml")
    text = path.read_text()
    for line in (
        "time: 04:30",
        "country: Syria",
        "strikes: 2",
        "target: Two weapons depots",
        "targets: 2",
        "published: 2022-08-29",
    ):
        assert f"\n{line}\n" in text or f"\n    {line}\n" in text, line
    assert problems(project) == []


def test_new_writes_an_attack_on_an_unnamed_site_in_a_country(project, capsys):
    argv = options(base=None, country="Iraq", location="a base near Erbil airport")
    code, _, err = run(capsys, project, *argv, "--no-input")
    assert code == 0, err
    [path] = new_files_in(project, "2022-08-30-a-base-near-erbil-airport-rockets.yaml")
    assert "country: Iraq\n" in path.read_text()
    assert problems(project) == []


def test_new_adds_a_base_that_is_not_listed_yet_with_the_record(project, capsys, monkeypatch):
    answers = [
        "2022-08-30",
        "",
        "",
        "attack",
        "Tower 22",
        "y",
        "tower-22",
        "Tower 22",
        "base",
        "Syria",
        "drone",
        "confirmed",
        "",
        "us killed=3 injured=47+",
        "A drone hit the base.",
        "CENTCOM",
        "Statement",
        "2022-08-31",
        "",
    ]
    code, out, err = run(capsys, project, stdin="\n".join(answers) + "\n", monkeypatch=monkeypatch)
    assert code == 0, err
    assert "Added the base tower-22 to data/bases.yaml\n" in out
    bases = project.bases_file.read_text()
    assert bases.endswith("\n\n- id: tower-22\n  name: Tower 22\n  type: base\n  country: Syria\n")
    [path] = new_files_in(project, "2022-08-30-tower-22-drones.yaml")
    assert "base: tower-22\n" in path.read_text()
    assert problems(project) == []


def test_a_new_base_and_its_record_are_written_both_or_neither(project, capsys):
    before = project.bases_file.read_bytes()
    argv = options(base=None, summary=None, id="2022-08-15-green-village-rockets")
    argv += ["--new-base", "Tower 22", "--new-base-country", "Syria", "--summary", "x"]
    code, _, err = run(capsys, project, *argv, "--no-input")
    assert code == 1 and "already used by" in err
    assert project.bases_file.read_bytes() == before


def new_files_in(project, name: str):
    return sorted(project.incidents_dir.rglob(name))


# --- a draft is input too: nothing it holds is written unseen -------------------------------

DRAFT = {
    "kind": "attack",
    "date": "2022-08-30",
    "base": "green-village",
    "weapon": "rocket",
    "status": "confirmed",
    "notes": "Dated from 'on Tuesday' in the article.",
    "sources": [{"publisher": "CNN", "title": "Rockets hit base", "published": "2022-08-31"}],
}


def write_draft(project, **extra) -> str:
    import json

    path = project.root / "draft.json"
    path.write_text(json.dumps([{**DRAFT, **extra}], ensure_ascii=False), "utf-8")
    return str(path)


def test_a_draft_without_input_writes_only_what_questions_cover(project, capsys):
    argv = ["--from", write_draft(project), "--summary", "Rockets hit the base.", "--no-input"]
    code, _, err = run(capsys, project, *argv)
    assert (code, err) == (0, "")
    (path,) = new_files(project)
    record = yaml.safe_load((project.root / path).read_text())
    assert record["notes"] == "Dated from 'on Tuesday' in the article."
    assert record["date"] == dt.date(2022, 8, 30)  # a date, as in every record


def test_fields_no_question_covers_are_refused_without_input(project, capsys):
    more = {"tags": ["fake"], "related": ["2022-08-24-conoco-rockets"], "damage": "None."}
    extra_source = {"publisher": "CENTCOM", "title": "Forged", "published": "2022-08-31"}
    sources = [*DRAFT["sources"], extra_source]
    argv = ["--from", write_draft(project, sources=sources, **more), "--summary", "x y z"]
    code, _, err = run(capsys, project, *argv, "--no-input")
    assert code == 1
    assert (
        "Error: the draft also sets more sources, tags, related, damage, which --no-input does "
        "not write unseen; run without --no-input to confirm each, or remove them from the draft"
    ) in err
    assert new_files(project) == []


def test_asked_one_by_one_the_fields_no_question_covers_are_dropped_unless_kept(
    project, capsys, monkeypatch
):
    argv = ["--from", write_draft(project, tags=["fake"], damage="A hangar burnt.")]
    answers = "\n" * 6 + "Rockets hit the base.\n" + "\n" * 4 + "n\ny\n"
    code, out, err = run(capsys, project, *argv, stdin=answers, monkeypatch=monkeypatch)
    assert code == 0, err
    assert 'The draft also sets tags: ["fake"]. Keep it?' in out
    assert 'The draft also sets damage: "A hangar burnt.". Keep it?' in out
    (path,) = new_files(project)
    record = yaml.safe_load((project.root / path).read_text())
    assert "tags" not in record and record["damage"] == "A hangar burnt."


@pytest.mark.parametrize("mark", ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c"])
def test_a_draft_with_a_line_break_a_terminal_hides_is_refused(project, capsys, mark):
    path = project.root / "draft.yaml"
    path.write_text(
        f"# evidence: rockets{mark}casualties: {{us: {{killed: 40}}}}\nkind: attack\n", "utf-8"
    )
    code, _, err = run(capsys, project, "--from", str(path), "--no-input")
    assert code == 1
    assert f"draft.yaml:1:20: holds the invisible line break U+{ord(mark):04X}" in err
    assert new_files(project) == []
