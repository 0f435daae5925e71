"""The exceptions the generator raises; the CLI turns them into messages and exit code 1."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, at a line and column (both 1-based)."""

    path: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.field}: {self.message}"


class GeneratorError(Exception):
    """Root of the errors a user can act on (never a bug in the generator)."""


class DataError(GeneratorError):
    """The data has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.")
        return "\n".join(lines)


class BuildError(GeneratorError):
    """The site builder (mkdocs) or the file system failed; the previous output is kept."""
