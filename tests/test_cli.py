"""The command line: exit codes and the exact text people see."""

from __future__ import annotations

from conftest import GOOD, write_incident

from generator.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_ok(project, capsys):
    code, out, err = run(capsys, "--root", str(project.root), "validate")
    assert (code, out, err) == (0, "OK: 17 incidents, 6 bases, 2 actors are valid.\n", "")


def test_validate_lists_every_problem_and_exits_1(empty_project, capsys):
    write_incident(empty_project, GOOD.replace("base: green-village", "base: green-vilage"))
    write_incident(
        empty_project,
        GOOD.replace("weapon: rocket", "weapon: rockte"),
        name="2022/2022-08-15-green-village-rockets-2.yaml",
    )
    code, out, err = run(capsys, "--root", str(empty_project.root), "validate")
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "data/incidents/2022/2022-08-15-green-village-rockets-2.yaml:1:5: id: "
        "'2022-08-15-green-village-rockets' does not match the file name "
        "'2022-08-15-green-village-rockets-2.yaml'; rename the file to "
        "2022-08-15-green-village-rockets.yaml or change the id",
        "data/incidents/2022/2022-08-15-green-village-rockets-2.yaml:5:9: weapon: 'rockte' is "
        "not allowed; did you mean 'rocket'? Use one of: rocket, drone, mortar, indirect-fire, "
        "missile, airstrike, artillery, small-arms, ied, unknown",
        "data/incidents/2022/2022-08-15-green-village-rockets.yaml:4:7: base: unknown base "
        "'green-vilage'; did you mean 'green-village'? Bases are listed in data/bases.yaml",
        "3 problems found; nothing was written.",
    ]


def test_problems_become_annotations_in_github_actions(empty_project, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    write_incident(empty_project, GOOD.replace("kind: attack", "kind: 50%"))
    code, out, err = run(capsys, "--root", str(empty_project.root), "validate")
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0] == (
        "::error file=data/incidents/2022/2022-08-15-green-village-rockets.yaml,line=3,col=7::"
        "kind: '50%25' is not allowed; use one of: attack, strike"
    )
    token = lines[1].removeprefix("::stop-commands::")
    assert len(token) == 32 and lines[-1] == f"::{token}::"
    assert lines[-2] == "1 problem found; nothing was written."


def test_no_file_name_or_value_can_print_a_workflow_command(empty_project, capsys, monkeypatch):
    """A newline in a file name or a value, followed by '::warning …', must not become a
    line of its own; a path holding ',' or '::' must not add annotation properties."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    odd = "a,line=99,title=Spoofed::x\n::warning file=evil::pwned.yaml"
    (empty_project.incidents_dir / "2022").mkdir(parents=True)
    (empty_project.incidents_dir / "2022" / odd).write_text("x: 1\n")
    write_incident(empty_project, GOOD.replace("kind: attack", 'kind: "x\\n::error::injected"'))
    code, _, err = run(capsys, "--root", str(empty_project.root), "validate")
    assert code == 1
    lines = err.splitlines()
    stop = next(line for line in lines if line.startswith("::stop-commands::"))
    ours = ("::error file=data/incidents/2022/", stop, f"::{stop.split('::')[2]}::")
    assert [line for line in lines if line.startswith("::") and not line.startswith(ours)] == []
    for line in lines:
        if line.startswith("::error "):  # only file, line and col: ',' and ':' are escaped
            properties = line.split("::")[1].removeprefix("error ").split(",")
            assert [p.split("=")[0] for p in properties] == ["file", "line", "col"], line
    assert any("a,line=99,title=Spoofed::x\\n::warning" in line for line in lines)


def test_generate_writes_nothing_when_the_data_is_invalid(project, capsys):
    assert run(capsys, "--root", str(project.root), "generate")[0] == 0
    before = {p: p.read_bytes() for p in project.docs_dir.rglob("*") if p.is_file()}
    write_incident(
        project,
        GOOD.replace("kind: attack", "kind: attak"),
        name="2022/2022-08-15-green-village-rockets-2.yaml",
    )
    code, _, err = run(capsys, "--root", str(project.root), "generate")
    assert code == 1
    assert "nothing was written" in err
    after = {p: p.read_bytes() for p in project.docs_dir.rglob("*") if p.is_file()}
    assert after == before


def test_generate_reports_what_it_built(project, capsys):
    code, out, _ = run(capsys, "--root", str(project.root), "generate")
    assert code == 0
    assert out.startswith("Built 17 incidents into 39 pages and 21 charts in ")
    assert out.endswith(" s: docs/\n")


def test_usage_errors_are_not_tracebacks(project, capsys):
    code, _, err = run(capsys, "--root", str(project.root), "frobnicate")
    assert code == 2
    assert "No such command 'frobnicate'" in err
    assert "Traceback" not in err


def test_schema_check_fails_when_out_of_date(project, capsys):
    assert run(capsys, "--root", str(project.root), "schema", "--check")[0] == 0
    project.schema_file.write_text("{}\n")
    code, _, err = run(capsys, "--root", str(project.root), "schema", "--check")
    assert (code, err) == (1, "data/incident.schema.json is out of date; run `make schema`\n")


def test_a_data_folder_outside_the_project_is_refused_where_records_are_checked(
    project, tmp_path, capsys
):
    import shutil

    outside = tmp_path / "elsewhere"
    shutil.copytree(project.data_dir, outside)
    answers = [
        "--no-input",
        "--date",
        "2022-09-01",
        "--kind",
        "attack",
        "--base",
        "green-village",
        "--weapon",
        "rocket",
        "--summary",
        "Rockets fell.",
        "--publisher",
        "X",
        "--title",
        "Y",
        "--published",
        "2022-09-02",
    ]
    code, _, err = run(capsys, "--root", str(project.root), "--data", str(outside), "new", *answers)
    assert code == 1 and "Traceback" not in err
    assert f"the data folder {outside} is outside the project folder {project.root}" in err
    assert list((outside / "incidents").rglob("2022-09-01*")) == []
