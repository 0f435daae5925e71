"""Putting files in place: all of them, or, when the file system fails part-way, none."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY

from generator import write
from generator.build import generate, write_docs
from generator.errors import BuildError
from generator.write import create_files, sync_docs


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def failing_after(n: int, monkeypatch) -> None:
    """Make the (n+1)-th file write fail as a full disk would."""
    real = write._atomic_write
    calls = {"n": 0}

    def flaky(path: Path, data: bytes, made: set[Path] | None = None) -> None:
        calls["n"] += 1
        if calls["n"] > n and made is not None:  # the rollback's own writes go through
            raise OSError(28, "No space left on device", str(path))
        real(path, data, made)

    monkeypatch.setattr(write, "_atomic_write", flaky)


def test_a_write_that_fails_part_way_leaves_docs_as_it_was(project, monkeypatch):
    write_docs(project, generate(project, as_of=TODAY))
    # An edit that changes many files and removes one, so the failure comes after both.
    gone = next(project.incidents_dir.glob("*/2022-01-03-camp-victory-drones.yaml"))
    gone.unlink()
    before = snapshot(project.docs_dir)
    outputs = generate(project, as_of=TODAY).outputs
    failing_after(5, monkeypatch)
    with pytest.raises(BuildError) as e:
        sync_docs(outputs, project.docs_dir)
    assert "No space left on device; docs/ was left as it was" in str(e.value)
    assert snapshot(project.docs_dir) == before


def test_a_failure_after_the_writes_and_deletes_undoes_both(project, monkeypatch):
    write_docs(project, generate(project, as_of=TODAY))
    next(project.incidents_dir.glob("*/2022-01-03-camp-victory-drones.yaml")).unlink()
    before = snapshot(project.docs_dir)

    def fail(docs: Path) -> None:
        raise OSError(5, "Input/output error", str(docs))

    monkeypatch.setattr(write, "_remove_empty_dirs", fail)
    with pytest.raises(BuildError):
        sync_docs(generate(project, as_of=TODAY).outputs, project.docs_dir)
    assert snapshot(project.docs_dir) == before
    assert "incidents/2022-01-03-camp-victory-drones.md" in before


def test_a_failure_before_anything_is_written_changes_nothing(project, monkeypatch):
    before = snapshot(project.docs_dir)
    failing_after(0, monkeypatch)
    with pytest.raises(BuildError):
        sync_docs(generate(project, as_of=TODAY).outputs, project.docs_dir)
    assert snapshot(project.docs_dir) == before


def test_new_files_are_created_all_or_none_and_never_over_a_file(tmp_path):
    existing = tmp_path / "b" / "taken.yaml"
    existing.parent.mkdir()
    existing.write_bytes(b"kept")
    new = {tmp_path / "a" / "one.yaml": b"1", existing: b"replaced?", tmp_path / "c.yaml": b"3"}
    with pytest.raises(BuildError) as e:
        create_files(new, shown=lambda p: p.name)
    assert str(e.value) == "could not write taken.yaml: it already exists; nothing was written"
    assert snapshot(tmp_path) == {"b/taken.yaml": b"kept"}
    assert not (tmp_path / "a").exists()  # the folder made for the first file is gone too
    del new[existing]
    create_files(new)
    assert snapshot(tmp_path) == {"a/one.yaml": b"1", "b/taken.yaml": b"kept", "c.yaml": b"3"}
