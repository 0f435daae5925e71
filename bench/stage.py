"""One stage of a benchmark run, in its own process so its time and memory are its own.

    python -m bench.stage generate ROOT   load, check, aggregate, render, write docs/
    python -m bench.stage publish ROOT    mkdocs build --strict, swapped into site/

Prints one line of JSON about what it did.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from generator import build, publish
from generator.project import Project


def handwritten(project: Project, outputs: dict[str, bytes]) -> list[Path]:
    """The Markdown pages in docs/ that the generator did not write (about.md)."""
    docs = project.docs_dir
    return [p for p in docs.rglob("*.md") if p.relative_to(docs).as_posix() not in outputs]


def main(argv: list[str]) -> None:
    stage, root = argv
    project = Project(Path(root).resolve())
    if stage == "generate":
        generated = build.generate(project)
        journal = build.write_docs(project, generated)
        report = {
            "incidents": len(generated.dataset.incidents),
            "pages": len(generated.pages) + len(handwritten(project, generated.outputs)),
            "changed": journal.changed,
            "history": generated.seconds["git"],  # the data version and corrections log
        }
    elif stage == "publish":
        publish.build_site(project)
        report = {}
    else:
        raise SystemExit(f"unknown stage {stage!r}; use generate or publish")
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1:])
