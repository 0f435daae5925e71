"""Command line: ``python -m generator <command>``. A thin layer over the library.

Problems in the data are printed as ``path:line:col: field: message`` with exit code 1;
a traceback means a bug in the generator, never a mistake in the data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from generator import build as pipeline
from generator import escape
from generator.errors import DataError, GeneratorError, Problem
from generator.model import incident_json_schema
from generator.project import Project
from generator.publish import ENGINES
from generator.validate import load_dataset
from generator.vocabularies import ATTRIBUTIONS, BASE_TYPES, KINDS, STATUSES
from generator.write import sync_docs

log = logging.getLogger("generator")


def _project(ctx: click.Context) -> Project:
    project: Project = ctx.obj
    return project


def report(error: GeneratorError) -> None:
    """Print an error for people, and as annotations when running in GitHub Actions.

    In Actions, the text for people is printed between ``::stop-commands::`` and its token,
    so that nothing in it (a file name, a value from the data) is read as a workflow
    command; the annotations come before, each escaped as GitHub documents. All of it goes
    to standard error: standard output may be a job summary (``make review >> …``).
    """
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    if in_actions and isinstance(error, DataError):
        for p in error.problems:
            message = escape.workflow_message(f"{p.field}: {p.message}")
            where = f"file={escape.workflow_property(p.path)},line={p.line},col={p.col}"
            click.echo(f"::error {where}::{message}", err=True)
    token = secrets.token_hex(16)
    if in_actions:
        click.echo(f"::stop-commands::{token}", err=True)
    click.echo(str(error), err=True)
    if in_actions:
        click.echo(f"::{token}::", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The project folder (with data/, docs/, mkdocs.yml).",
)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The data folder, if not <root>/data (e.g. examples/campaign-2023-24).",
)
@click.option("-v", "--verbose", count=True, help="Say more.")
@click.option("-q", "--quiet", is_flag=True, help="Only print errors.")
@click.pass_context
def cli(ctx: click.Context, root: Path, data: Path | None, verbose: int, quiet: bool) -> None:
    """Build the incident site: check the data, generate pages and charts, run MkDocs."""
    level = logging.ERROR if quiet else (logging.DEBUG if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    ctx.obj = Project(root.resolve(), data.resolve() if data is not None else None)


@cli.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Check every data file and list all problems; write nothing."""
    dataset = load_dataset(_project(ctx))
    show_hints(dataset.hints)
    actors = f", {len(dataset.actors)} actors" if dataset.actors else ""
    click.echo(
        f"OK: {len(dataset.incidents)} incidents, {len(dataset.bases)} bases{actors} are valid."
    )


def show_hints(hints: Iterable[Problem]) -> None:
    """Allowed but worth a look (a perpetrator in words where an actor fits): on stderr,
    one line each, as 'hint: path:line:col: field: …'; they never fail a command."""
    for hint in hints:
        click.echo(f"hint: {hint}", err=True)


engine_option = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="mkdocs",
    show_default=True,
    help="The site builder to run.",
)


@cli.command()
@click.pass_context
def generate(ctx: click.Context) -> None:
    """Check the data and write the generated pages and charts into docs/."""
    summary = pipeline.generate_docs(_project(ctx))
    show_hints(summary.hints)
    click.echo(summary.line("docs/"))


@cli.command()
@engine_option
@click.pass_context
def site(ctx: click.Context, engine: str) -> None:
    """Check the data, generate the pages, and build site/ with `mkdocs build --strict`."""
    summary = pipeline.build(_project(ctx), engine=engine)
    show_hints(summary.hints)
    click.echo(summary.line("site/"))


@cli.command("gh-deploy")
@engine_option
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.pass_context
def gh_deploy(ctx: click.Context, engine: str, remote: str) -> None:
    """Check the data, generate the pages, build the site and push it to the gh-pages branch.

    For repositories that publish GitHub Pages from a branch; the Pages workflow in
    .github/workflows/pages.yml does not need it.
    """
    summary, where = pipeline.gh_deploy(_project(ctx), engine=engine, remote=remote)
    click.echo(summary.line(f"the gh-pages branch of {remote}"))
    if where:
        click.echo(where)


@cli.command()
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address and port to serve on.",
)
@engine_option
@click.option(
    "--dirty/--full",
    default=True,
    show_default=True,
    help="Rebuild only the pages an edit changed (fast), or every page after each edit. "
    "With --dirty, a deleted incident's page stays in the preview until it restarts.",
)
@click.pass_context
def serve(ctx: click.Context, dev_addr: str, engine: str, dirty: bool) -> None:
    """Preview the site with live reload; edits to data/ and templates/ regenerate pages."""
    from generator.serve import serve as run

    run(_project(ctx), dev_addr, engine, dirty=dirty)


@cli.command()
@click.option("--date", "date_", help="Day of the incident, YYYY-MM-DD; YYYY-MM for the month.")
@click.option(
    "--date-precision",
    type=click.Choice(["day", "week"]),
    help="week: the day is known to within a week.",
)
@click.option("--time", help='Local time of the place, "HH:MM".')
@click.option(
    "--kind", type=click.Choice(list(KINDS)), help="attack (on a base) or strike (by US forces)."
)
@click.option("--base", help="The base (id, name or alias from bases.yaml).")
@click.option("--new-base", help="Add a base with this name to bases.yaml, and use it.")
@click.option("--new-base-country", help="Country of the new base.")
@click.option("--new-base-type", type=click.Choice(list(BASE_TYPES)), help="What the new base is.")
@click.option("--country", help="Country: of an unnamed site attacked, or the one struck.")
@click.option("--location", help="Place struck (needed for a strike), or where the site is.")
@click.option("--weapon", help="Means used; several separated by commas (e.g. missile,rocket).")
@click.option("--status", type=click.Choice(list(STATUSES)), help="How it is known.")
@click.option("--perpetrator", help="An actor id or name (actors.yaml), or a name as reported.")
@click.option(
    "--attribution", type=click.Choice(list(ATTRIBUTIONS)), help="How the perpetrator is known."
)
@click.option(
    "--casualties",
    help="By side: 'us killed=0 injured=3; partner killed=1' (numbers: 3, 2-5 or 47+).",
)
@click.option("--strikes", type=click.IntRange(min=1), help="Strikes the record stands for.")
@click.option("--target", help="What a strike hit.")
@click.option("--targets", type=click.IntRange(min=1), help="How many targets a strike hit.")
@click.option("--summary", help="What happened, in your own words.")
@click.option("--publisher", help="Source: who published it, e.g. CNN, CENTCOM.")
@click.option("--title", help="Source: title of the article or statement, as published.")
@click.option("--published", help="Source: day it was published (YYYY-MM-DD).")
@click.option("--url", help="Source: web address (http or https).")
@click.option("--id", "incident_id", help="The id to use instead of the one made up for you.")
@click.option(
    "--from",
    "from_",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Start from a draft that `draft` wrote (YAML or JSON): confirm its values, write the "
    "summary.",
)
@click.option(
    "--draft",
    "draft_number",
    type=click.IntRange(min=1),
    help="Which draft of the --from file (1, 2, …); needed when it holds several.",
)
@click.option("--no-input", is_flag=True, help="Never ask; fail if something is missing.")
@click.pass_context
def new(
    ctx: click.Context,
    /,
    no_input: bool,
    incident_id: str | None,
    from_: Path | None,
    draft_number: int | None,
    **given: object,
) -> None:
    """Create a new incident file, asking for what the options do not give.

    It picks the id and the path, checks the record with the validator, and writes it
    only if it is valid and no file has that name. A base that is not listed yet can be
    added to bases.yaml in the same step.
    """
    from generator.tools import new as new_incident

    project = _project(ctx)
    dataset = new_incident.existing_data(project)
    checked = new_incident.checked_options(given)
    drafted = None
    if from_ is not None:
        from generator.tools import draft as drafter

        new_incident.check_draft_file(from_)
        drafts = drafter.load_drafts(from_)
        drafted = drafter.pick_draft(drafts, draft_number, str(from_))
    answers = new_incident.Interview(checked, dataset, ask=not no_input, draft=drafted).run()
    path = new_incident.create(
        project, answers.values, incident_id=incident_id, new_base=answers.new_base
    )
    if answers.new_base:
        click.echo(
            f"Added the base {answers.new_base['id']} to {project.display(project.bases_file)}"
        )
    click.echo(
        f"Wrote {project.display(path)}\n"
        "Open it to add what else is known (notes, damage, more sources…), then run `make site`."
    )


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@click.option(
    "--published", help="The articles' publication date, YYYY-MM-DD (else found in them)."
)
@click.option("--publisher", help="Who published them, e.g. Reuters (else found in them).")
@click.option("--title", help="The article's title, as published (else found in it).")
@click.option("--url", help="The article's web address (else found in it).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of YAML.")
@click.pass_context
def draft(
    ctx: click.Context,
    articles: tuple[str, ...],
    published: str | None,
    publisher: str | None,
    title: str | None,
    url: str | None,
    as_json: bool,
) -> None:
    """Propose incident records from news articles, each field with its evidence.

    ARTICLES are text, Markdown or HTML files, - for standard input, or http(s) addresses.
    Each incident the article reports as news becomes a draft; one already in the data says
    so and what the article adds; incidents it only recalls are listed as background. Review
    a draft, then `make new --from FILE` writes it, with a summary in your own words.
    """
    from generator.tools import draft as drafter
    from generator.tools.new import checked_options

    day = checked_options({"published": published})["published"]
    assert day is None or isinstance(day, dt.date)  # what the check for 'published' gives
    dataset = load_dataset(_project(ctx))
    drafted = list(
        drafter.draft_articles(
            articles, dataset, published=day, publisher=publisher, title=title, url=url
        )
    )
    click.echo(drafter.as_json(drafted) if as_json else drafter.as_yaml(drafted), nl=False)


@cli.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--merge-base",
    "from_merge_base",
    is_flag=True,
    help="Compare HEAD with the commit where it branched off BASE (a pull request's view).",
)
@click.pass_context
def diff_command(ctx: click.Context, base: str, head: str | None, from_merge_base: bool) -> None:
    """Show in Markdown what a change does to the published site, from BASE to HEAD.

    BASE and HEAD are git refs; HEAD defaults to the working tree, files not yet committed
    included. The review is computed by this checkout's code, which reads both versions'
    files as data only: the records, bases, actors and settings compared field by field,
    the counts before and after, every page, chart and download of the site that changes,
    the hand-written pages, and every other file listed as code to read. For a pull
    request, from your own checkout of the main branch: `python -m generator diff
    --merge-base main pr-123` (after `git fetch origin pull/123/head:pr-123`).
    """
    from generator.tools.review import markdown, review

    done = review(_project(ctx), base, head, from_merge_base=from_merge_base)
    click.echo(markdown(done), nl=False)
    if done.problems:  # the data cannot be built on one side: say so with the exit code too
        ctx.exit(1)


@cli.command("import-csv")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-a",
    "--adapter",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The adapter for this source: a Python file with record(row) (see README).",
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
    ctx: click.Context, file: Path, adapter: Path, into: Path | None, dry_run: bool
) -> None:
    """Turn the rows of a CSV file into incident files in data/incidents/: all or none."""
    from generator.tools.importer import import_csv as run

    project = Project(into.resolve()) if into is not None else _project(ctx)
    summary = run(file, adapter, project, dry_run=dry_run)
    click.echo(summary.line())


@cli.command("review-pull-request")
@click.option(
    "--request",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The CI run's review request (a JSON file holding the pull request's number).",
)
@click.option("--head", "head_sha", required=True, help="The commit CI ran on (the event's).")
@click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the review here (GitHub's job summary file).",
)
@click.option("--no-comment", is_flag=True, help="Do not post the review as a comment.")
@click.pass_context
def review_pull_request(
    ctx: click.Context, request: Path, head_sha: str, summary: Path | None, no_comment: bool
) -> None:
    """For the Review workflow: review a pull request with this checkout's code.

    Fetches the pull request's head as git objects (never checked out), checks it is the
    commit CI ran on, compares it with where it branched off this checkout's commit, writes
    the job summary and posts (or updates) one comment on the pull request.
    """
    from generator.tools.review.github import review_pull_request as run

    run(_project(ctx), request, head_sha, summary, post=not no_comment)


@cli.command()
@click.option("--check", is_flag=True, help="Fail if the file is out of date instead of writing.")
@click.pass_context
def schema(ctx: click.Context, check: bool) -> None:
    """Write data/incident.schema.json from the model the validator uses."""
    project = _project(ctx)
    dataset = load_dataset(project)
    text = json.dumps(incident_json_schema(dataset), indent=2, ensure_ascii=False) + "\n"
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
    project.check_paths(project.docs_dir, project.site_dir)
    sync_docs({}, project.docs_dir)
    shutil.rmtree(project.site_dir, ignore_errors=True)
    click.echo("Removed the generated pages and site/.")


def main(argv: list[str] | None = None) -> int:
    try:
        code = cli.main(args=argv, prog_name="python -m generator", standalone_mode=False)
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
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
