"""The exceptions the generator raises; the CLI turns them into messages and exit code 1."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from generator.text import printable

SHOWN_PROBLEMS = 200  # a longer list is cut short, with how many more there are


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, at a line and column (both 1-based).

    ``field`` is how the user reads the place ('sources[0].url'); ``loc`` is the same place
    as keys and indexes, for code that maps a problem back (the importer to a CSV cell).
    """

    path: str
    line: int
    col: int
    field: str
    message: str
    loc: tuple[str | int, ...] = dataclasses.field(default=(), compare=False)

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.field}: {self.message}"
        return printable(text)


class GeneratorError(Exception):
    """Root of the errors a user can act on (never a bug in the generator)."""


class DataError(GeneratorError):
    """The data has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(str(self))

    def listing(self, limit: int = SHOWN_PROBLEMS) -> str:
        """The problems, one per line; beyond ``limit``, how many more there are."""
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"… and {len(self.problems) - limit:,} more.")
        return "\n".join(lines)

    def __str__(self) -> str:
        n = len(self.problems)
        return f"{self.listing()}\n{n:,} problem{'s' if n != 1 else ''} found; nothing was written."


class BuildError(GeneratorError):
    """The site builder (mkdocs) or the file system failed; the previous output is kept."""
