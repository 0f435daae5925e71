"""The review as GitHub-flavoured Markdown, for a terminal, a job summary or a comment.

Text from the data stays text: every ``{{ value }}`` passes ``escape.gfm`` (entities, bare
web addresses and @mentions stay inert), ids and paths are code spans, and the lines of a
changed file are shown in a fenced block longer than any run of backticks they hold. The
template ships with this code (``templates/review.md.j2``), not with the project: a change
cannot alter how it is summed up.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import escape
from generator.text import printable

from . import Review
from .published import SITE_NAME, FileDiff

TEMPLATES = Path(__file__).parent.parent / "templates"
# How much of the changed files' lines the summary shows. Every changed file is listed
# whatever the budget; a file whose change the data does not explain is shown whole first.
LINES_SHOWN = 4000
LINES_PER_FILE = 120
LINE_WIDTH = 400  # a longer line is cut in a file the data's changes explain


def render(review: Review, *, lines: int = LINES_SHOWN) -> str:
    """The review; ``lines`` is how many lines of changed files it may show."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=escape.gfm,  # every {{ value }} is made inert for GitHub's Markdown
    )
    env.filters["code"] = escape.gfm_code
    env.filters["attr"] = lambda text: Markup(escape.html(printable(str(text))))
    # A line in a fenced block, shown as written: one line (each starts with a data file's
    # path, so it cannot close the fence), no entities (a fence would show them as typed).
    env.filters["fenced_line"] = lambda text: Markup(printable(str(text)))
    budget = _Budget(lines)
    env.globals["shown"] = budget.shown
    env.globals["SITE_NAME"] = SITE_NAME
    text = env.get_template("review.md.j2").render(review=review)
    return re.sub(r"\n{3,}", "\n\n", text)


class _Budget:
    """Hands out the lines of changed files to show, until the budget is spent."""

    def __init__(self, lines: int) -> None:
        self.left = lines

    def shown(self, diff: FileDiff, whole: bool = False) -> Markup:
        """The diff's lines as a fenced block ('' once the budget is spent), with a line
        saying how many were left out."""
        lines = list(diff.lines)
        keep = len(lines) if whole else min(len(lines), LINES_PER_FILE)
        keep = min(keep, self.left)
        self.left -= keep
        body = [printable(line) if whole else _cut(printable(line)) for line in lines[:keep]]
        if not body:
            return Markup("")
        longest = max((len(run) for run in re.findall(r"`+", "\n".join(body))), default=0)
        fence = "`" * max(3, longest + 1)
        block = f"{fence}diff\n" + "\n".join(body) + f"\n{fence}\n"
        if keep < len(lines):
            more = len(lines) - keep
            block += (
                f"\n{more:,} more line{'s' if more != 1 else ''}: `make review` shows them all.\n"
            )
        return Markup(block)


def _cut(line: str) -> str:
    return line if len(line) <= LINE_WIDTH else line[: LINE_WIDTH - 1] + "…"
