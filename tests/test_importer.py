"""`python -m generator import-csv`: mapping, dates, places, ids, bad rows, all or nothing."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from conftest import GOOD, ROOT, TODAY, write_incident

from generator.cli import main
from generator.errors import DataError
from generator.importer import import_csv
from generator.mapping import place_key, slugify
from generator.validate import load_dataset

MAPPING = """\
date:
  column: date
  formats: ["%m/%d/%Y", "%Y-%m-%d"]
place:
  column: location
  country_column: country
  countries:
    "Tikrit, Iraq": Iraq
    Unknown: null
  rules:
    - names: [Dayr Az Zawr, Dawr az Zawr]
      location: Dayr Az Zawr
      country: Syria
    - names: [Mar’a]
      country: Syria
    - regex: 'near (?P<place>.+)'
    - names: [Al Tanf]
      location: At Tanf
      base: al-tanf
id: "{date}-{place_slug}-{n}"
fields:
  kind: strike
  weapon: airstrike
  status: confirmed
  strikes: "{number}"
  summary: "Coalition aircraft carried out {number} strike(s) near {location},
    {country}: {description}"
  tags: [coalition]
  sources:
    - publisher: CENTCOM
      title: Strike release
      published: "{date}"
"""

CSV = """\
date,country,location,number,description
10/17/2016,Syria,Dawr az Zawr,2,strikes engaged four ISIL supply routes.
10/17/2016,Syria,Mar'a,1,strike destroyed a vehicle.
2016-10-18,"Tikrit, Iraq",Tikrit,17,airstrikes struck an ISIL building.
"""


@pytest.fixture
def files(tmp_path: Path):
    """Write a CSV and a mapping; return their paths."""

    def make(csv: str = CSV, mapping: str = MAPPING) -> tuple[Path, Path]:
        csv_path = tmp_path / "events.csv"
        csv_path.write_text(textwrap.dedent(csv), "utf-8")
        mapping_path = tmp_path / "mapping.yaml"
        mapping_path.write_text(textwrap.dedent(mapping), "utf-8")
        return csv_path, mapping_path

    return make


def run(project, csv_path: Path, mapping_path: Path, **kw):
    return import_csv(
        csv_path,
        mapping_path,
        project,
        as_of=TODAY,
        csv_display="events.csv",
        mapping_display="mapping.yaml",
        **kw,
    )


def problems(project, csv_path, mapping_path) -> list[str]:
    with pytest.raises(DataError) as e:
        run(project, csv_path, mapping_path)
    return [str(p) for p in e.value.problems]


def written(project) -> dict[str, str]:
    return {
        p.relative_to(project.incidents_dir).as_posix(): p.read_text("utf-8")
        for p in project.incidents_dir.rglob("*")
        if p.is_file()
    }


def with_row(row: str) -> str:
    return CSV + row + "\n"


# --- mapping rows to records ---------------------------------------------------------------


def test_a_row_becomes_an_incident_file(empty_project, files):
    summary = run(empty_project, *files())
    assert (summary.rows, summary.written, summary.unchanged) == (3, 3, 0)
    out = written(empty_project)
    assert sorted(out) == [
        "2016/2016-10-17-dayr-az-zawr-1.yaml",
        "2016/2016-10-17-mara-1.yaml",
        "2016/2016-10-18-tikrit-1.yaml",
    ]
    assert out["2016/2016-10-17-dayr-az-zawr-1.yaml"] == (
        "# yaml-language-server: $schema=../../incident.schema.json\n"
        "id: 2016-10-17-dayr-az-zawr-1\n"
        "date: 2016-10-17\n"
        "kind: strike\n"
        "location: Dayr Az Zawr\n"
        "country: Syria\n"
        "weapon: airstrike\n"
        "status: confirmed\n"
        "strikes: 2\n"
        "summary: 'Coalition aircraft carried out 2 strike(s) near Dayr Az Zawr, Syria: strikes "
        "engaged\n"
        "  four ISIL supply routes.'\n"
        "tags:\n"
        "- coalition\n"
        "sources:\n"
        "- publisher: CENTCOM\n"
        "  title: Strike release\n"
        "  published: 2016-10-17\n"
    )
    dataset = load_dataset(empty_project, as_of=TODAY)
    tikrit = dataset.incident_by_id["2016-10-18-tikrit-1"]
    assert (tikrit.country, tikrit.strikes, tikrit.strike_count) == ("Iraq", 17, 17)


def test_place_names_match_whatever_the_apostrophe_case_and_spaces():
    assert place_key("Mar’a") == place_key("mar'a") == place_key("  MAR’A ")
    assert place_key("Dayr az-Zawr") == place_key("dayr  az zawr")
    assert slugify("Mar’a") == "mara"
    assert slugify("Dayr Az Zawr") == "dayr-az-zawr"
    assert slugify("Ḥalab (Aleppo)") == "halab-aleppo"


def test_place_rules_give_location_country_and_base(empty_project, files):
    run(
        empty_project,
        *files(
            with_row("10/19/2016,Syria,near Manbij,1,strike hit a checkpoint.")
            + "10/19/2016,Syria,al tanf,1,strike hit a truck.\n"
        ),
    )
    dataset = load_dataset(empty_project, as_of=TODAY)
    manbij = dataset.incident_by_id["2016-10-19-manbij-1"]
    assert (manbij.location, manbij.country) == ("Manbij", "Syria")  # regex group 'place'
    tanf = dataset.incident_by_id["2016-10-19-at-tanf-1"]
    assert (tanf.location, tanf.base, tanf.country) == ("At Tanf", "al-tanf", "Syria")


def test_messy_cells_are_cleaned_and_merged_bullets_cut(empty_project, files):
    mapping = MAPPING.replace(
        "date:\n",
        "columns:\n  description:\n    cut_at: '\\s{2,}v?(?=Near )'\ndate:\n",
        1,
    )
    csv = (
        "date,country,location,number,description\n"
        '10/17/2016,Syria, Mar’a ,1,"strike destroyed an \ufffc\ufffcISIL\tvehicle.'
        '         vNear Mosul, seven strikes engaged three ISIL tactical units."\n'
    )
    run(empty_project, *files(csv, mapping))
    record = load_dataset(empty_project, as_of=TODAY).incident_by_id["2016-10-17-mara-1"]
    assert record.location == "Mar’a"
    assert record.summary == (
        "Coalition aircraft carried out 1 strike(s) near Mar’a, Syria: strike destroyed an "
        "ISIL vehicle."
    )


def test_a_column_can_give_a_field_through_a_table_of_values(empty_project, files):
    mapping = MAPPING.replace(
        "  status: confirmed\n",
        "  status:\n    column: status\n    values: {Confirmed by CENTCOM: confirmed}\n"
        "    default: reported\n",
    )
    csv = (
        "date,country,location,number,description,status\n"
        "10/17/2016,Syria,Manbij,1,strike.,Confirmed by CENTCOM\n"
        "10/18/2016,Syria,Manbij,1,strike.,\n"
    )
    run(empty_project, *files(csv, mapping))
    dataset = load_dataset(empty_project, as_of=TODAY)
    assert [i.status for i in dataset.incidents] == ["confirmed", "reported"]


def test_attack_data_can_name_bases_by_their_aliases(empty_project, files):
    mapping = """\
    date: {column: date, formats: ["%Y-%m-%d"]}
    place: {column: base, match_bases: true, require_base: true}
    id: "{date}-{place_slug}-attack-{n}"
    fields:
      kind: attack
      weapon: {column: weapon}
      summary: "{what}"
      sources: [{publisher: "{source}", title: "{headline}", published: "{date}"}]
    """
    csv = (
        "date,base,weapon,what,source,headline\n"
        "2022-08-15,Green Village base,rocket,Rockets hit the base.,CNN,Rockets hit base\n"
        "2022-08-15,Tanf,drone,Drones were shot down.,CNN,Drones downed\n"
    )
    run(empty_project, *files(csv, mapping))
    dataset = load_dataset(empty_project, as_of=TODAY)
    assert [(i.id, i.base, i.location) for i in dataset.incidents] == [
        ("2022-08-15-al-tanf-attack-1", "al-tanf", None),
        ("2022-08-15-green-village-attack-1", "green-village", None),
    ]


# --- ids -----------------------------------------------------------------------------------


def test_n_numbers_rows_of_the_same_day_and_place_in_file_order(empty_project, files):
    run(
        empty_project,
        *files(
            with_row("10/17/2016,Syria,Dayr Az Zawr,3,strikes hit a bridge.")
            + "10/17/2016,Syria,Mar’a,4,strikes hit a depot.\n"
        ),
    )
    ids = [i.id for i in load_dataset(empty_project, as_of=TODAY).incidents]
    assert ids == [
        "2016-10-17-dayr-az-zawr-1",
        "2016-10-17-dayr-az-zawr-2",
        "2016-10-17-mara-1",
        "2016-10-17-mara-2",
        "2016-10-18-tikrit-1",
    ]
    assert "strikes: 3" in written(empty_project)["2016/2016-10-17-dayr-az-zawr-2.yaml"]


def test_the_same_csv_imported_twice_changes_nothing(empty_project, files):
    paths = files()
    run(empty_project, *paths)
    before = {p: p.stat().st_mtime_ns for p in empty_project.incidents_dir.rglob("*.yaml")}
    summary = run(empty_project, *paths)
    assert (summary.written, summary.unchanged) == (0, 3)
    assert {p: p.stat().st_mtime_ns for p in before} == before


def test_new_rows_are_added_beside_the_records_already_imported(empty_project, files):
    run(empty_project, *files())
    summary = run(empty_project, *files(with_row("10/19/2016,Syria,Manbij,1,strike.")))
    assert (summary.written, summary.unchanged) == (1, 3)
    assert "2016/2016-10-19-manbij-1.yaml" in written(empty_project)


def test_an_id_pattern_without_n_refuses_rows_that_share_an_id(empty_project, files):
    mapping = MAPPING.replace('"{date}-{place_slug}-{n}"', '"{date}-{place_slug}"')
    csv = with_row("10/17/2016,Syria,Dayr Az Zawr,3,strikes hit a bridge.")
    assert problems(empty_project, *files(csv, mapping)) == [
        "events.csv:5:1: row: makes the id '2016-10-17-dayr-az-zawr', like row 2; add {n} to "
        "the id pattern in the mapping, or remove the repeated row",
    ]
    assert written(empty_project) == {}


# --- bad rows: every problem, with its row, column and value; nothing written --------------


def test_bad_rows_are_reported_with_row_column_and_value_and_nothing_is_written(
    empty_project, files
):
    csv = (
        CSV
        + "13/45/2016,Syria,Manbij,1,strike.\n"  # row 5
        + "10/17/2016,Syria,Manbij,x,strike.\n"  # row 6
        + "10/17/2016,Syria,Manbij,1,\n"  # row 7
        + "10/17/2016,Unknown,Manbij,1,strike.\n"  # row 8
        + "10/17/2016,Syria,Manbij,0,strike.\n"  # row 9
    )
    assert problems(empty_project, *files(csv)) == [
        "events.csv:5:1: date: '13/45/2016' is not a date in the format %m/%d/%Y "
        "(like 10/17/2016) or %Y-%m-%d (like 2016-10-17); fix the cell, or add its format to "
        "date.formats in the mapping",
        "events.csv:6:4: number: 'x' is not a whole number, and fields.strikes needs one",
        "events.csv:7:5: description: the cell is empty, and fields.summary uses "
        "{description}; fill it in, or change fields.summary or the place rules in the mapping",
        "events.csv:8:2: country: 'Unknown' gives no country, and fields.summary uses "
        "{country}; fill it in, or change fields.summary or the place rules in the mapping",
        "events.csv:9:4: number: strikes: must be at least 1, got 0",
    ]
    assert written(empty_project) == {}


def test_rows_are_numbered_as_in_a_spreadsheet_even_with_line_breaks_in_cells(empty_project, files):
    csv = (
        "date,country,location,number,description\n"
        '10/17/2016,Syria,Manbij,1,"a cell\nover two lines"\n'  # row 2, lines 2-3
        "10/17/2016,Syria,Manbij,one,strike.\n"  # row 3, line 4
    )
    assert problems(empty_project, *files(csv)) == [
        "events.csv:3:4: number: 'one' is not a whole number, and fields.strikes needs one"
    ]


def test_an_unknown_place_is_an_error_when_the_mapping_says_so(empty_project, files):
    mapping = MAPPING.replace("  rules:\n", "  unknown: error\n  rules:\n")
    assert problems(
        empty_project, *files(with_row("10/20/2016,Syria,Dawr az Zawrr,1,x."), mapping)
    ) == [
        "events.csv:4:3: location: 'Tikrit' matches no place rule; add it to place.rules in "
        "the mapping",
        "events.csv:5:3: location: 'Dawr az Zawrr' matches no place rule; did you mean "
        "'Dawr az Zawr'? Add it to place.rules in the mapping",
    ]


def test_the_real_validator_checks_the_records_before_anything_is_written(empty_project, files):
    """A date in the future passes the mapping but not the validator: still nothing written."""
    assert problems(empty_project, *files(with_row("10/17/2030,Syria,Manbij,1,strike."))) == [
        "events.csv:5:1: date: date: 2030-10-17 is in the future (today is 2026-01-01); "
        "check the year (in the record '2030-10-17-manbij-1')",
        "events.csv:5:1: date: sources[0].published: 2030-10-17 is in the future (in the "
        "record '2030-10-17-manbij-1')",
    ]
    assert written(empty_project) == {}
    assert not list(empty_project.root.glob(".import-*")), "the staging folder is left behind"


def test_an_existing_file_with_other_content_is_never_overwritten(empty_project, files):
    paths = files()
    run(empty_project, *paths)
    target = empty_project.incidents_dir / "2016" / "2016-10-17-mara-1.yaml"
    edited = target.read_text().replace("strike destroyed", "one strike destroyed")
    target.write_text(edited)
    csv_path, mapping_path = files(with_row("10/19/2016,Syria,Manbij,1,strike."))
    assert problems(empty_project, csv_path, mapping_path) == [
        "events.csv:3:1: row: the record '2016-10-17-mara-1' is already in "
        "data/incidents/2016/2016-10-17-mara-1.yaml with different content, and the importer "
        "never overwrites a file; delete that file to import it again, or change the id "
        "pattern in the mapping",
    ]
    assert target.read_text() == edited
    assert "2016/2016-10-19-manbij-1.yaml" not in written(empty_project)


def test_problems_in_the_records_already_there_stop_the_import(empty_project, files):
    write_incident(empty_project, GOOD.replace("base: green-village", "base: nowhere"))
    assert problems(empty_project, *files()) == [
        "data/incidents/2022/2022-08-15-green-village-rockets.yaml:4:7: base: unknown base "
        "'nowhere'; bases are listed in data/bases.yaml"
    ]
    assert set(written(empty_project)) == {"2022/2022-08-15-green-village-rockets.yaml"}


def test_a_csv_that_is_not_a_table_is_refused(empty_project, files):
    csv = "date,country,location,number,description\n10/17/2016,Syria,Manbij,1,a,b\n"
    assert problems(empty_project, *files(csv)) == [
        "events.csv:2:1: row: has 6 cells but the header has 5; a cell with the separator "
        "in it must be in double quotes",
    ]


def test_a_csv_that_is_not_utf8_says_how_to_read_it(empty_project, files, tmp_path):
    csv_path, mapping_path = files()
    csv_path.write_bytes(CSV.replace("Mar'a", "Mar’a").encode("cp1252"))
    assert problems(empty_project, csv_path, mapping_path) == [
        "events.csv:3:1: file: is not valid utf-8 (byte 0x92 on line 3); save it as UTF-8, "
        "or set csv.encoding in the mapping (for example cp1252)",
    ]
    mapping_path.write_text("csv: {encoding: cp1252}\n" + MAPPING)
    assert run(empty_project, csv_path, mapping_path).written == 3


# --- mapping errors: at the mapping's line and column --------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "column: location",
            "column: place",
            "mapping.yaml:5:11: place.column: the CSV has no column 'place'; its columns are: "
            "date, country, location, number, description",
        ),
        (
            "{description}",
            "{descripton}",
            "mapping.yaml:26:12: fields.summary: {descripton} names no column of the CSV; did "
            "you mean 'description'? Columns: date, country, location, number, description; "
            "other names: date, year, month, place, location, country, base, place_slug, row",
        ),
        (
            "  tags: [coalition]",
            "  tag: [coalition]",
            "mapping.yaml:28:3: fields.tag: is not a field of an incident; did you mean 'tags'? "
            "Fields: attribution, casualties, damage, date_precision, intercepted, kind, lat, "
            "location_precision, lon, notes, perpetrator, previous_ids, projectiles, related, "
            "responds_to, sources, status, strikes, summary, tags, title, weapon",
        ),
        (
            "'near (?P<place>.+)'",
            "'near (?P<place>.+'",
            "mapping.yaml:16:14: place.rules[2].regex: is not a valid regular expression: "
            "missing ), unterminated subpattern at position 5",
        ),
        (
            "{date}-{place_slug}-{n}",
            "{date}-{place_slug-{n}",
            "mapping.yaml:20:5: id: unexpected '{' in field name; a placeholder is {name}, "
            "and a literal brace is written {{ or }}",
        ),
        (
            "base: al-tanf",
            "base: al-tamf",
            "mapping.yaml:19:13: place.rules[3].base: unknown base 'al-tamf'; did you mean "
            "'al-tanf'? Bases are listed in data/bases.yaml",
        ),
        (
            'formats: ["%m/%d/%Y", "%Y-%m-%d"]',
            'formats: ["mm/dd/yyyy"]',
            "mapping.yaml:3:13: date.formats[0]: is not a date format; use strptime codes such "
            "as %m/%d/%Y or %Y-%m-%d",
        ),
        (
            "  kind: strike\n",
            "",
            "mapping.yaml:22:3: fields: 'kind' is required for every record; add it here",
        ),
        (
            "  kind: strike",
            "  kind: strik",
            "mapping.yaml:22:9: fields.kind: 'strik' is not allowed; did you mean 'strike'? "
            "Use one of: attack, strike",
        ),
        (
            "  location: At Tanf\n",
            "  location: At Tanf\n      country_code: SY\n",
            "mapping.yaml:19:7: place.rules[3].country_code: unknown field; did you mean "
            "'country'? Known fields here: base, country, location, names, regex",
        ),
        (
            "  weapon: airstrike\n",
            "  weapon: airstrike\n  location: somewhere\n",
            "mapping.yaml:24:3: fields.location: is set by the 'place' section; remove it here",
        ),
    ],
)
def test_mapping_errors_point_at_the_mapping(empty_project, files, old, new, expected):
    assert old in MAPPING
    assert problems(empty_project, *files(mapping=MAPPING.replace(old, new, 1))) == [expected]
    assert written(empty_project) == {}


# --- the command line ----------------------------------------------------------------------


def test_the_command_imports_and_says_what_it_did(empty_project, files, capsys, monkeypatch):
    csv_path, mapping_path = files()
    monkeypatch.chdir(empty_project.root)
    code = main(["import-csv", str(csv_path), "--mapping", str(mapping_path), "--dry-run"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(
        "Checked 3 rows: would write 3 new incident files into data/incidents/ (0 already "
        "there and identical); nothing was written (--dry-run)."
    )
    assert written(empty_project) == {}
    code = main(["import-csv", str(csv_path), "--mapping", str(mapping_path)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(
        "Imported 3 rows: wrote 3 new incident files into data/incidents/ (0 already there "
        "and identical) in "
    )
    assert len(written(empty_project)) == 3


def test_the_command_lists_problems_and_exits_1(empty_project, files, capsys, tmp_path):
    csv_path, mapping_path = files(with_row("10/17/2016,Syria,Manbij,x,strike."))
    code = main(
        ["import-csv", str(csv_path), "-m", str(mapping_path), "--into", str(empty_project.root)]
    )
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == (
        f"{csv_path}:5:4: number: 'x' is not a whole number, and fields.strikes needs one\n"
        "1 problem found; nothing was written.\n"
    )
    assert written(empty_project) == {}


def test_a_long_list_of_problems_is_cut_short(empty_project, files, capsys):
    csv_path, mapping_path = files(
        CSV + "".join("10/17/2016,Syria,Manbij,x,strike.\n" for _ in range(250))
    )
    code = main(
        ["import-csv", str(csv_path), "-m", str(mapping_path), "--into", str(empty_project.root)]
    )
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert len(err) == 202
    assert err[-2:] == ["… and 50 more.", "250 problems found; nothing was written."]


def test_the_mapping_example_in_the_readme_works(empty_project, files):
    readme = (ROOT / "README.md").read_text("utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "fields:" in b)
    csv = (
        "date,country,location,number,description,status\n"
        "10/17/2016,Syria,Dawr az Zawr,2,strikes hit a bridge.  Near Raqqa: more,\n"
        "2016-10-18,Syria,near Manbij,1,strike.,Confirmed by CENTCOM\n"
        "10/19/2016,Iraq,Al Asad,3,strikes.,\n"
    )
    assert run(empty_project, *files(csv, example)).written == 3
    records = load_dataset(empty_project, as_of=TODAY).incidents
    assert [(i.location, i.country, i.base, i.status, i.strikes) for i in records] == [
        ("Dayr Az Zawr", "Syria", None, "reported", 2),
        ("Manbij", "Syria", None, "confirmed", 1),
        ("Al Asad", "Iraq", "ain-al-asad", "reported", 3),
    ]
    assert records[0].summary.endswith("Dayr Az Zawr, Syria: strikes hit a bridge.")
