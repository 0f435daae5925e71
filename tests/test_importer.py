"""`python -m generator import-csv`: adapters, dates, places, ids, bad rows, all or nothing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import GOOD, TODAY, write_incident

from generator.cli import main
from generator.errors import DataError, GeneratorError
from generator.tools.importer import import_csv
from generator.validate import load_dataset

ADAPTER = """\
from generator.tools.importer import Place, Places, Row, slug

COLUMNS = ("date", "country", "location", "number", "description")
PLACES = Places({
    "Dayr Az Zawr": Place("Dayr Az Zawr", "Syria"),
    "Dawr az Zawr": Place("Dayr Az Zawr", "Syria"),
    "Mar’a": Place(country="Syria"),
    "Al Tanf": Place("At Tanf", base="al-tanf"),
})
COUNTRIES = {"Tikrit, Iraq": "Iraq", "Unknown": None}


def record(row: Row) -> dict:
    day = row.date("date", "%m/%d/%Y", "%Y-%m-%d")
    place = PLACES.get(row["location"]) or Place()
    location = place.location or row["location"]
    country = place.country or COUNTRIES.get(row["country"], row["country"] or None)
    number = row.whole_number("number")
    return {
        "id": f"{day}-{slug(location)}-{{n}}",
        "date": day,
        "kind": "strike",
        "base": place.base,
        "location": location,
        "country": country,
        "weapon": "airstrike",
        "status": "confirmed",
        "strikes": number,
        "summary": f"Coalition aircraft carried out {number} strike(s) near {location}, "
        f"{country}: {row['description']}",
        "tags": ["coalition"],
        "sources": [{"publisher": "CENTCOM", "title": "Strike release", "published": day}],
    }
"""

CSV = """\
date,country,location,number,description
10/17/2016,Syria,Dawr az Zawr,2,strikes engaged four ISIL supply routes.
10/17/2016,Syria,Mar'a,1,strike destroyed a vehicle.
2016-10-18,"Tikrit, Iraq",Tikrit,17,airstrikes struck an ISIL building.
"""


@pytest.fixture
def files(tmp_path: Path):
    """Write a CSV and an adapter; return their paths."""

    def make(csv: str = CSV, adapter: str = ADAPTER) -> tuple[Path, Path]:
        csv_path = tmp_path / "events.csv"
        csv_path.write_text(textwrap.dedent(csv), "utf-8")
        adapter_path = tmp_path / "adapter.py"
        adapter_path.write_text(adapter, "utf-8")
        return csv_path, adapter_path

    return make


def run(project, csv_path: Path, adapter_path: Path, **kw):
    return import_csv(csv_path, adapter_path, project, as_of=TODAY, csv_display="events.csv", **kw)


def problems(project, csv_path, adapter_path) -> list[str]:
    with pytest.raises(DataError) as e:
        run(project, csv_path, adapter_path)
    return [str(p) for p in e.value.problems]


def written(project) -> dict[str, str]:
    return {
        p.relative_to(project.incidents_dir).as_posix(): p.read_text("utf-8")
        for p in project.incidents_dir.rglob("*")
        if p.is_file()
    }


def with_row(row: str) -> str:
    return CSV + row + "\n"


def adapter_with(old: str, new: str) -> str:
    assert old in ADAPTER
    return ADAPTER.replace(old, new, 1)


# --- rows to records -----------------------------------------------------------------------


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
        "summary: >-\n"
        "  Coalition aircraft carried out 2 strike(s) near Dayr Az Zawr, Syria: strikes engaged\n"
        "  four ISIL supply routes.\n"
        "tags: [coalition]\n"
        "sources:\n"
        "  - publisher: CENTCOM\n"
        "    title: Strike release\n"
        "    published: 2016-10-17\n"
    )
    dataset = load_dataset(empty_project, as_of=TODAY)
    tikrit = dataset.incident_by_id["2016-10-18-tikrit-1"]
    assert (tikrit.country, tikrit.strikes, tikrit.counted_strikes) == ("Iraq", 17, 17)


def test_place_tables_merge_spellings_and_link_bases(empty_project, files):
    csv = with_row("10/19/2016,Syria,AL TANF,1,strike.") + "10/19/2016,Syria,dawr AZ-zawr,1,x.\n"
    run(empty_project, *files(csv))
    dataset = load_dataset(empty_project, as_of=TODAY)
    tanf = dataset.incident_by_id["2016-10-19-at-tanf-1"]
    assert (tanf.location, tanf.base, tanf.country) == ("At Tanf", "al-tanf", "Syria")
    assert "2016-10-19-dayr-az-zawr-1" in dataset.incident_by_id
    assert dataset.incident_by_id["2016-10-17-mara-1"].location == "Mar'a"


def test_cells_are_cleaned_of_invisible_characters_and_extra_spaces(empty_project, files):
    csv = with_row("10/19/2016,Syria,\u200bManbij ,1,\ufffcstrike   hit\u00a0a  vehicle.")
    run(empty_project, *files(csv))
    record = load_dataset(empty_project, as_of=TODAY).incident_by_id["2016-10-19-manbij-1"]
    assert record.location == "Manbij"
    assert record.summary.endswith("Syria: strike hit a vehicle.")


def test_n_numbers_rows_of_the_same_day_and_place_in_file_order(empty_project, files):
    csv = with_row("10/17/2016,Syria,Dayr Az Zawr,3,strikes hit a bridge.")
    run(empty_project, *files(csv))
    assert sorted(written(empty_project))[:2] == [
        "2016/2016-10-17-dayr-az-zawr-1.yaml",
        "2016/2016-10-17-dayr-az-zawr-2.yaml",
    ]
    assert "strikes: 3" in written(empty_project)["2016/2016-10-17-dayr-az-zawr-2.yaml"]


def test_the_same_csv_imported_twice_changes_nothing(empty_project, files):
    run(empty_project, *files())
    before = {p: p.stat().st_ino for p in empty_project.incidents_dir.rglob("*.yaml")}
    summary = run(empty_project, *files())
    assert (summary.written, summary.unchanged) == (0, 3)
    assert {p: p.stat().st_ino for p in before} == before


def test_new_rows_are_added_beside_the_records_already_imported(empty_project, files):
    run(empty_project, *files())
    summary = run(empty_project, *files(with_row("10/19/2016,Syria,Manbij,1,strike.")))
    assert (summary.written, summary.unchanged) == (1, 3)
    assert "2016/2016-10-19-manbij-1.yaml" in written(empty_project)


def test_an_id_without_n_refuses_rows_that_share_an_id(empty_project, files):
    csv = with_row("10/17/2016,Syria,Dayr Az Zawr,3,strikes hit a bridge.")
    adapter = adapter_with(
        '"id": f"{day}-{slug(location)}-{{n}}"', '"id": f"{day}-{slug(location)}"'
    )
    assert problems(empty_project, *files(csv, adapter)) == [
        "events.csv:5:1: row: makes the id '2016-10-17-dayr-az-zawr', like row 2; add {n} to "
        "the id in the adapter, or remove the repeated row",
    ]
    assert written(empty_project) == {}


# --- problems: each row's, all listed, nothing written ------------------------------------


def test_bad_rows_are_reported_with_row_column_and_value_and_nothing_is_written(
    empty_project, files
):
    csv = with_row("13/45/2016,Syria,Manbij,1,strike.") + "10/19/2016,Syria,Manbij,x,y.\n"
    assert problems(empty_project, *files(csv)) == [
        "events.csv:5:1: date: '13/45/2016' is not a date in the format %m/%d/%Y or %Y-%m-%d "
        "(like 10/17/2016); fix the cell, or add its format to the adapter",
        "events.csv:6:4: number: 'x' is not a whole number",
    ]
    assert written(empty_project) == {}


def test_a_record_field_the_validator_refuses_is_told_at_its_column(empty_project, files):
    adapter = adapter_with('"weapon": "airstrike",', '"weapon": row["description"],')
    found = problems(empty_project, *files(adapter=adapter))
    assert found[0] == (
        "events.csv:2:5: description: weapon: 'strikes engaged four ISIL supply routes.' is "
        "not allowed; use one of: rocket, drone, mortar, indirect-fire, missile, airstrike, "
        "artillery, small-arms, ied, unknown"
    )
    assert len(found) == 3


def test_rows_are_numbered_as_in_a_spreadsheet_even_with_line_breaks_in_cells(empty_project, files):
    csv = CSV + '10/19/2016,Syria,Manbij,1,"two\nlines"\n10/19/2016,Syria,Manbij,z,x.\n'
    assert problems(empty_project, *files(csv)) == [
        "events.csv:6:4: number: 'z' is not a whole number",
    ]


def test_an_adapter_can_refuse_a_row_with_its_own_message(empty_project, files):
    adapter = adapter_with(
        '    place = PLACES.get(row["location"]) or Place()\n',
        '    place = PLACES.get(row["location"]) or row.problem("location", "not in PLACES")\n',
    )
    assert problems(empty_project, *files(adapter=adapter)) == [
        "events.csv:4:3: location: not in PLACES",
    ]


def test_an_error_in_the_adapter_names_the_row_and_the_adapter_line(empty_project, files):
    adapter = adapter_with(
        "    number = row.whole_number", "    1 / 0\n    number = row.whole_number"
    )
    found = problems(empty_project, *files(adapter=adapter))
    assert found[0] == (
        "events.csv:2:3: location: the adapter failed on this row: ZeroDivisionError: "
        "division by zero (adapter.py, line 18)"
    )


def test_the_real_validator_checks_the_records_before_anything_is_written(empty_project, files):
    found = problems(empty_project, *files(with_row("10/17/2030,Syria,Manbij,1,strike.")))
    assert found == [
        "events.csv:5:1: date: date: 2030-10-17 is in the future (today is 2026-01-01); check "
        "the year (in the record '2030-10-17-manbij-1')",
        "events.csv:5:1: date: sources[0].published: 2030-10-17 is in the future (in the "
        "record '2030-10-17-manbij-1')",
    ]
    assert written(empty_project) == {}
    assert not list(empty_project.root.glob(".check-*")), "the scratch folder is left behind"


def test_an_existing_file_with_other_content_is_never_overwritten(empty_project, files):
    csv_path, adapter_path = files()
    run(empty_project, csv_path, adapter_path)
    target = empty_project.incidents_dir / "2016" / "2016-10-17-mara-1.yaml"
    edited = target.read_text().replace("destroyed", "hit")
    target.write_text(edited)
    csv_path.write_text(with_row("10/19/2016,Syria,Manbij,1,strike."))
    assert problems(empty_project, csv_path, adapter_path) == [
        "events.csv:3:1: row: the record '2016-10-17-mara-1' is already in "
        "data/incidents/2016/2016-10-17-mara-1.yaml with different content, and the importer "
        "never overwrites a file; delete that file to import it again, or change the id in "
        "the adapter",
    ]
    assert target.read_text() == edited
    assert "2016/2016-10-19-manbij-1.yaml" not in written(empty_project)


def test_problems_in_the_records_already_there_stop_the_import(empty_project, files):
    write_incident(empty_project, GOOD.replace("kind: attack", "kind: atack"))
    assert problems(empty_project, *files()) == [
        "data/incidents/2022/2022-08-15-green-village-rockets.yaml:3:7: kind: 'atack' is not "
        "allowed; did you mean 'attack'? Use one of: attack, strike",
    ]
    assert set(written(empty_project)) == {"2022/2022-08-15-green-village-rockets.yaml"}


def test_a_csv_that_is_not_a_table_is_refused(empty_project, files):
    csv = 'date,country,location,number,description\n10/17/2016,"Syria,Manbij\n'
    assert problems(empty_project, *files(csv)) == [
        "events.csv:2:1: file: cannot be read as CSV: unexpected end of data",
    ]


def test_a_csv_without_a_column_the_adapter_reads_says_which(empty_project, files):
    assert problems(empty_project, *files("date,country,location,number\n")) == [
        "events.csv:1:1: header: has no column 'description', which the adapter reads; the "
        "columns are: date, country, location, number",
    ]


def test_a_csv_that_is_not_utf8_says_how_to_read_it(empty_project, files, tmp_path):
    csv_path, adapter_path = files()
    csv_path.write_bytes(CSV.replace("Mar'a", "Mar’a").encode("cp1252"))
    assert problems(empty_project, csv_path, adapter_path) == [
        "events.csv:3:1: file: is not valid utf-8 (byte 0x92 on line 3); save it as UTF-8, or "
        "set ENCODING in the adapter (for example cp1252)",
    ]
    adapter_path.write_text('ENCODING = "cp1252"\n' + ADAPTER)
    assert run(empty_project, csv_path, adapter_path).written == 3


@pytest.mark.parametrize(
    "adapter, expected",
    [
        (
            "x = 1\n",
            "adapter.py: an adapter needs a function record(row) that returns one "
            "record's fields (see examples/centcom/adapter.py)",
        ),
        (
            "def record(row):\n    return [\n",
            "adapter.py: the adapter could not be loaded: "
            "SyntaxError: '[' was never closed (adapter.py, line 2)",
        ),
        (
            "import nothing_like_this\n",
            "adapter.py: the adapter could not be loaded: "
            "ModuleNotFoundError: No module named 'nothing_like_this' (adapter.py, line 1)",
        ),
    ],
)
def test_an_adapter_that_cannot_be_used_says_why(empty_project, files, adapter, expected):
    csv_path, adapter_path = files(adapter=adapter)
    with pytest.raises(GeneratorError) as e:
        run(empty_project, csv_path, adapter_path)
    assert str(e.value) == f"{adapter_path.parent}/{expected}"


# --- the command ---------------------------------------------------------------------------


def test_the_command_imports_and_says_what_it_did(empty_project, files, capsys, monkeypatch):
    csv_path, adapter_path = files()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    args = ["--root", str(empty_project.root), "import-csv", str(csv_path), "-a", str(adapter_path)]
    code = main([*args, "--dry-run"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith("Checked 3 rows: would write 3 new incident files into ")
    assert written(empty_project) == {}
    code = main(args)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith("Imported 3 rows: wrote 3 new incident files into ")
    assert len(written(empty_project)) == 3


def test_the_command_lists_problems_and_exits_1(empty_project, files, capsys):
    csv_path, adapter_path = files(with_row("10/19/2016,Syria,Manbij,many,x."))
    code = main(
        [
            "--root",
            str(empty_project.root),
            "import-csv",
            str(csv_path),
            "--adapter",
            str(adapter_path),
        ]
    )
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == (
        f"{csv_path}:5:4: number: 'many' is not a whole number\n"
        "1 problem found; nothing was written.\n"
    )
    assert written(empty_project) == {}


def test_a_long_list_of_problems_is_cut_short(empty_project, files, capsys):
    csv = CSV + "".join(f"10/{n}/2016,Syria,Manbij,x,y.\n" for n in range(250))
    csv_path, adapter_path = files(csv)
    code = main(
        ["--root", str(empty_project.root), "import-csv", str(csv_path), "-a", str(adapter_path)]
    )
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert len(err) == 202
    assert err[-2:] == ["… and 50 more.", "250 problems found; nothing was written."]


def test_make_new_and_import_csv_write_the_same_bytes_for_the_same_record(
    empty_project, files, tmp_path, capsys
):
    """One writer of incident files: an attack entered with `make new` and imported from a
    CSV row gives byte-identical files."""
    adapter = """\
def record(row):
    return {
        "id": "2022-08-30-green-village-rockets",
        "date": row.date("date", "%Y-%m-%d"),
        "kind": "attack",
        "base": "green-village",
        "weapon": "rocket",
        "status": "reported",
        "summary": row["summary"],
        "sources": [{"publisher": "CNN", "title": row["title"],
                     "published": row.date("published", "%Y-%m-%d"),
                     "url": "https://example.com/a"}],
    }
"""
    summary = "Three rockets landed near the base: nobody was hurt. " * 3
    csv = f'date,summary,title,published\n2022-08-30,"{summary}",Rockets: again,2022-08-31\n'
    run(empty_project, *files(csv, adapter))
    imported = empty_project.incidents_dir / "2022" / "2022-08-30-green-village-rockets.yaml"
    by_import = imported.read_bytes()
    imported.unlink()
    code = main(
        [
            "--root",
            str(empty_project.root),
            "new",
            "--no-input",
            "--date",
            "2022-08-30",
            "--kind",
            "attack",
            "--base",
            "Green Village",
            "--weapon",
            "rocket",
            "--status",
            "reported",
            "--summary",
            summary,
            "--publisher",
            "CNN",
            "--title",
            "Rockets: again",
            "--published",
            "2022-08-31",
            "--url",
            "https://example.com/a",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert imported.read_bytes() == by_import
