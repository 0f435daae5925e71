"""Command line: ``python -m generator <command>``. A thin layer over the library.

Problems in the data are printed as ``path:line:col: field: message`` with exit code 1;
a traceback means a bug in the generator, never a mistake in the data.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from pathlib import Path

import click

from generator import build as pipeline
from generator.errors import DataError, GeneratorError
from generator.model import incident_json_schema
from generator.project import Project
from generator.publish import ENGINES
from generator.validate import load_dataset
from generator.write import sync_docs

log = logging.getLogger("generator")


def _project(ctx: click.Context) -> Project:
    return ctx.obj


def report(error: GeneratorError) -> None:
    """Print an error for people, and as annotations when running in GitHub Actions."""
    click.echo(str(error), err=True)
    if isinstance(error, DataError) and os.environ.get("GITHUB_ACTIONS") == "true":
        for p in error.problems:
            message = f"{p.field}: {p.message}".replace("%", "%25").replace("\n", "%0A")
            click.echo(f"::error file={p.path},line={p.line},col={p.col}::{message}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The project folder (with data/, docs/, mkdocs.yml).",
)
@click.option("-v", "--verbose", count=True, help="Say more.")
@click.option("-q", "--quiet", is_flag=True, help="Only print errors.")
@click.pass_context
def cli(ctx: click.Context, root: Path, verbose: int, quiet: bool) -> None:
    """Build the incident site: check the data, generate pages and charts, run MkDocs."""
    level = logging.ERROR if quiet else (logging.DEBUG if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    ctx.obj = Project(root.resolve())


@cli.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Check every data file and list all problems; write nothing."""
    dataset = load_dataset(_project(ctx))
    click.echo(f"OK: {len(dataset.incidents)} incidents and {len(dataset.bases)} bases are valid.")


@cli.command()
@click.pass_context
def generate(ctx: click.Context) -> None:
    """Check the data and write the generated pages and charts into docs/."""
    summary = pipeline.generate_docs(_project(ctx))
    click.echo(summary.line("docs/"))


@cli.command()
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="mkdocs",
    show_default=True,
    help="The site builder to run.",
)
@click.pass_context
def site(ctx: click.Context, engine: str) -> None:
    """Check the data, generate the pages, and build site/ with `mkdocs build --strict`."""
    summary = pipeline.build(_project(ctx), engine=engine)
    click.echo(summary.line("site/"))


@cli.command()
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address and port to serve on.",
)
@click.option(
    "--dirty",
    is_flag=True,
    help="Rebuild only the pages that changed (faster; search then finds only those).",
)
@click.pass_context
def serve(ctx: click.Context, dev_addr: str, dirty: bool) -> None:
    """Preview the site with live reload; edits to data/ and templates/ regenerate pages."""
    from generator.serve import serve as run

    run(_project(ctx), dev_addr, dirty=dirty)


@cli.command("import-csv")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-m",
    "--mapping",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The mapping file: which column gives which field (see README).",
)
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The project folder to import into (with data/bases.yaml). Default: --root.",
)
@click.option("--dry-run", is_flag=True, help="Map and check every row, but write nothing.")
@click.pass_context
def import_csv(
    ctx: click.Context, file: Path, mapping: Path, into: Path | None, dry_run: bool
) -> None:
    """Turn the rows of a CSV file into incident files in data/incidents/: all or none."""
    from generator.importer import import_csv as run

    project = Project(into.resolve()) if into is not None else _project(ctx)
    summary = run(file, mapping, project, dry_run=dry_run)
    click.echo(summary.line())


@cli.command()
@click.option("--check", is_flag=True, help="Fail if the file is out of date instead of writing.")
@click.pass_context
def schema(ctx: click.Context, check: bool) -> None:
    """Write data/incident.schema.json from the model the validator uses."""
    project = _project(ctx)
    text = json.dumps(incident_json_schema(), indent=2, ensure_ascii=False) + "\n"
    current = project.schema_file.read_text("utf-8") if project.schema_file.is_file() else None
    if check:
        if current != text:
            raise GeneratorError(
                f"{project.display(project.schema_file)} is out of date; run `make schema`"
            )
        click.echo("The schema is up to date.")
    elif current != text:
        project.schema_file.write_text(text, "utf-8")
        click.echo(f"Wrote {project.display(project.schema_file)}")


@cli.command()
@click.pass_context
def clean(ctx: click.Context) -> None:
    """Remove the generated pages from docs/ and the built site."""
    project = _project(ctx)
    sync_docs({}, project.docs_dir)
    shutil.rmtree(project.site_dir, ignore_errors=True)
    click.echo("Removed the generated pages and site/.")


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="python -m generator", standalone_mode=False)
    except GeneratorError as e:
        report(e)
        return 1
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
