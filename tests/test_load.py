"""Reading YAML: every way a file can be unreadable gets a message with its line and column."""

from __future__ import annotations

import os

import pytest
from conftest import GOOD, problems, write_incident

P = "data/incidents/2022/2022-08-15-green-village-rockets.yaml"


def write_raw(project, data: bytes, name: str = "2022/2022-08-15-green-village-rockets.yaml"):
    path = project.incidents_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_the_sample_data_is_valid(project):
    assert problems(project) == []


def test_a_good_record_has_no_problems(empty_project):
    write_incident(empty_project, GOOD)
    assert problems(empty_project) == []


def test_yaml_syntax_error_names_line_column_and_likely_fix(empty_project):
    write_incident(empty_project, GOOD.replace("summary: Rockets", "summary: Rockets: two"))
    assert problems(empty_project) == [
        f"{P}:6:17: syntax: mapping values are not allowed in this context; a value that "
        "contains ': ' must be put in quotes"
    ]


def test_duplicate_key_is_an_error_not_a_silent_overwrite(empty_project):
    write_incident(empty_project, GOOD + "weapon: drone\n")
    assert problems(empty_project) == [
        f"{P}:12:1: weapon: duplicate key: 'weapon' is already set on line 5; YAML would "
        "silently keep only the last one. Remove one of them"
    ]


def test_impossible_date_is_reported_with_its_position(empty_project):
    write_incident(empty_project, GOOD.replace("date: 2022-08-15", "date: 2022-02-30"))
    assert problems(empty_project) == [
        f"{P}:2:7: date: '2022-02-30' is not a real date (check the day and month)"
    ]


def test_every_problem_in_a_file_is_listed_in_one_run(empty_project):
    text = GOOD.replace("date: 2022-08-15", "date: 2022-02-30").replace("attack", "attak")
    write_incident(empty_project, text + "weapon: drone\n")
    assert [p.split(": ", 1)[0].rsplit(":", 2)[1:] for p in problems(empty_project)] == [
        ["2", "7"],
        ["3", "7"],
        ["12", "1"],
    ]


def test_tab_indentation(empty_project):
    write_raw(empty_project, GOOD.replace("  - publisher", "\t- publisher").encode())
    assert problems(empty_project) == [
        f"{P}:8:1: syntax: a tab is used for indentation; YAML needs spaces (set your editor "
        "to insert spaces)"
    ]


def test_empty_file(empty_project):
    write_raw(empty_project, b"")
    assert problems(empty_project) == [
        f"{P}:1:1: file: the file is empty; an incident is a mapping of fields"
    ]


def test_file_with_only_comments(empty_project):
    write_raw(empty_project, b"# nothing yet\n")
    assert problems(empty_project) == [
        f"{P}:1:1: file: the file has only comments; an incident is a mapping of fields"
    ]


@pytest.mark.parametrize("text", [b"~\n", b"null\n", b"--- ~\n"])
def test_a_file_holding_only_null_is_reported_not_dropped(empty_project, text):
    # found by hypothesis: the file was silently skipped
    write_raw(empty_project, text)
    assert problems(empty_project) == [
        f"{P}:1:1: file: the file holds only an empty value; an incident is a mapping of fields"
    ]


def test_list_instead_of_mapping(empty_project):
    write_raw(empty_project, b"- id: x\n- date: 2022-08-15\n")
    assert problems(empty_project) == [
        f"{P}:1:1: file: an incident must be a mapping of fields (key: value lines), not a list"
    ]


def test_plain_text_instead_of_mapping(empty_project):
    write_raw(empty_project, b"rockets hit the base\n")
    assert problems(empty_project) == [
        f"{P}:1:1: file: an incident must be a mapping of fields (key: value lines), not "
        "'rockets hit the base'"
    ]


def test_utf8_byte_order_mark(empty_project):
    write_raw(empty_project, b"\xef\xbb\xbf" + GOOD.encode())
    assert problems(empty_project) == [
        f"{P}:1:1: file: starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
    ]


def test_invalid_utf8_points_at_the_byte(empty_project):
    write_raw(
        empty_project,
        GOOD.replace("Rockets were", "Caf\udce9 were").encode("utf-8", "surrogateescape"),
    )
    assert problems(empty_project) == [
        f"{P}:6:13: file: is not valid UTF-8 (byte 0xe9); save it as UTF-8"
    ]


def test_binary_junk(empty_project):
    write_raw(empty_project, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert problems(empty_project) == [
        f"{P}:3:1: file: contains a NUL byte: this is a binary file, not YAML text"
    ]


def test_control_character_in_yaml_text(empty_project):
    write_raw(empty_project, GOOD.replace("Rockets were", "Rockets\x07 were").encode())
    assert problems(empty_project) == [
        f"{P}:6:17: file: contains the control character U+0007, which YAML does not allow; "
        "delete it (it often comes from copying out of a PDF or a spreadsheet)"
    ]


def test_deeply_nested_flow_input_is_refused_before_parsing(empty_project):
    write_raw(empty_project, b"tags: " + b"[" * 100_000 + b"]" * 100_000 + b"\n")
    assert problems(empty_project) == [
        f"{P}:1:22: syntax: nested more than 16 levels deep; records are flat"
    ]


def test_deeply_nested_block_input(empty_project):
    text = "".join(" " * n + f"k{n}:\n" for n in range(30)) + " " * 30 + "v\n"
    write_raw(empty_project, text.encode())
    assert problems(empty_project) == [
        f"{P}:18:18: syntax: nested more than 16 levels deep; records are flat"
    ]


def test_anchors_and_aliases_are_refused(empty_project):
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: [*c,*c]\n'
    write_raw(empty_project, bomb.encode())
    assert problems(empty_project) == [
        f"{P}:1:4: syntax: YAML anchors (&name) and aliases (*name) are not allowed; write the "
        "value out, or put text starting with & or * in quotes"
    ]


def test_ampersands_and_asterisks_in_text_are_fine(empty_project):
    write_incident(
        empty_project,
        GOOD.replace("Rockets were", "AT&T *and* R&D: rockets were")
        .replace("summary: ", "summary: '")
        .replace("base.", "base.'"),
    )
    assert problems(empty_project) == []


def test_a_file_too_large_is_not_read(empty_project):
    data = GOOD.encode() + b"# " + b"x" * 300_000 + b"\n"
    write_raw(empty_project, data)
    assert problems(empty_project) == [
        f"{P}:1:1: file: the file is {len(data):,} bytes; the limit is 262,144. A record this "
        "large is almost certainly a mistake (pasted data or a binary file)"
    ]


def test_two_documents_in_one_file(empty_project):
    write_raw(empty_project, (GOOD + "---\n" + GOOD).encode())
    assert problems(empty_project) == [
        f"{P}:12:1: syntax: expected a single document in the stream: but found another "
        "document; '---' starts a second document; one incident per file"
    ]


def test_python_tags_are_refused(empty_project):
    write_raw(
        empty_project,
        GOOD.replace("weapon: rocket", "weapon: !!python/object:os.system rocket").encode(),
    )
    assert problems(empty_project) == [
        f"{P}:5:9: weapon: the YAML tag 'tag:yaml.org,2002:python/object:os.system' is not "
        "allowed; write plain values"
    ]


def test_non_text_keys_are_refused(empty_project):
    write_raw(empty_project, GOOD.replace("weapon: rocket", "2022: rocket").encode())
    assert problems(empty_project) == [
        f"{P}:5:1: file: every key must be a plain name such as 'date'"
    ]


def test_files_outside_the_year_folders_are_reported_not_ignored(empty_project):
    write_incident(empty_project, GOOD, name="2022-08-15-green-village-rockets.yaml")
    write_incident(empty_project, GOOD, name="2022/notes.yml")
    (empty_project.incidents_dir / ".DS_Store").write_bytes(b"\x00")
    message = (
        "file: this file is not read: incident files go in data/incidents/<YYYY>/<id>"
        ".yaml (a folder per year, the extension .yaml)"
    )
    assert problems(empty_project) == [
        f"data/incidents/2022-08-15-green-village-rockets.yaml:1:1: {message}",
        f"data/incidents/2022/notes.yml:1:1: {message}",
    ]


def test_a_named_pipe_where_a_record_goes_is_reported_not_read(empty_project):
    """Only regular files are read (a pipe would block the build); anything else in the
    incidents folder is named, not passed over."""
    write_incident(empty_project, GOOD)
    os.mkfifo(empty_project.incidents_dir / "2022" / "2022-08-16-al-tanf-drone.yaml")
    os.mkfifo(empty_project.incidents_dir / "2022" / ".hidden")
    message = (
        "file: this is not a regular file (a named pipe, socket or device), so it is not "
        "read: replace it with the record's file, or remove it"
    )
    assert problems(empty_project) == [
        f"data/incidents/2022/.hidden:1:1: {message}",
        f"data/incidents/2022/2022-08-16-al-tanf-drone.yaml:1:1: {message}",
    ]


def test_the_preview_parses_again_only_the_files_whose_bytes_changed(project, monkeypatch):
    from conftest import TODAY

    from generator import validate
    from generator.errors import DataError

    reads = validate.Reads()
    first = validate.load_dataset(project, as_of=TODAY, reads=reads)
    parsed: list[str] = []
    parse = validate.parse_yaml

    def counted(raw: bytes, display: str, **options):
        parsed.append(display)
        return parse(raw, display, **options)

    monkeypatch.setattr(validate, "parse_yaml", counted)
    path = project.root / P
    path.write_text(path.read_text().replace("summary: ", "summary: Edited. ", 1))
    second = validate.load_dataset(project, as_of=TODAY, reads=reads)
    assert parsed == [P]
    edited = {i.id: i for i in second.incidents}["2022-08-15-green-village-rockets"]
    assert edited.summary.startswith("Edited. ")
    before = {i.id: i for i in first.incidents}
    assert all(i is before[i.id] for i in second.incidents if i is not edited)  # reused

    # A broken edit is found as on a first load, with its line; mended, it is read again.
    good = path.read_bytes()
    path.write_bytes(good.replace(b"summary: ", b"summary: a: b ", 1))
    with pytest.raises(DataError) as broken:
        validate.load_dataset(project, as_of=TODAY, reads=reads)
    assert [str(p) for p in broken.value.problems] == problems(project)
    assert any(str(p).startswith(P) and ": syntax: " in str(p) for p in broken.value.problems)
    path.write_bytes(good)
    assert validate.load_dataset(project, as_of=TODAY, reads=reads).incidents == second.incidents
    # A file removed is not remembered: the records that named it are refused, as on a
    # first load.
    path.unlink()
    with pytest.raises(DataError) as gone:
        validate.load_dataset(project, as_of=TODAY, reads=reads)
    assert [str(p) for p in gone.value.problems] == problems(project)
    assert "no incident has the id '2022-08-15-green-village-rockets'" in str(gone.value)
