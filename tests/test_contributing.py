"""What contributors are told and given: CONTRIBUTING.md, the editor and pre-commit settings."""

from __future__ import annotations

import io
import json
import re

from conftest import ROOT, problems

from generator.cli import main

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text("utf-8")


def test_the_make_new_session_in_contributing_is_what_make_new_does(project, capsys, monkeypatch):
    session = re.search(r"```\n +\$ make new\n(.*?)\n +```", CONTRIBUTING, re.S)
    assert session, "CONTRIBUTING.md has no `make new` session"
    lines = [line[3:] if line.startswith("   ") else line for line in session.group(1).splitlines()]
    asked = [line for line in lines if not line.startswith(("Wrote ", "Open it "))]
    prompts, answers = [], []
    for line in asked:
        prompt, _, answer = line.rpartition(": ") if not line.endswith(":") else (line[:-1], "", "")
        prompts.append(prompt)
        answers.append(answer)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    code = main(["--root", str(project.root), "new"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    told = [line for line in lines if line.startswith(("Wrote ", "Open it "))]
    assert out == "".join(f"{p}: " for p in prompts) + "\n".join(told) + "\n"
    assert problems(project) == []


def test_every_make_target_in_contributing_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    mentioned = set(re.findall(r"`make ([a-z-]+)", CONTRIBUTING))
    assert {"new", "site", "serve", "diff", "validate"} <= mentioned <= targets


def test_the_editor_settings_connect_incident_files_to_the_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    for schema, files in settings["yaml.schemas"].items():
        folder = (ROOT / schema).parent
        assert (ROOT / schema).is_file() and files == [
            f"{folder.relative_to(ROOT).as_posix()}/incidents/**/*.yaml"
        ]
    assert "./data/incident.schema.json" in settings["yaml.schemas"]
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text())
    assert extensions["recommendations"] == ["redhat.vscode-yaml"]


def test_every_sample_record_starts_with_the_schema_modeline():
    modeline = "# yaml-language-server: $schema=../../incident.schema.json\n"
    for path in sorted((ROOT / "data" / "incidents").glob("*/*.yaml")):
        assert path.read_text().startswith(modeline), path.name
