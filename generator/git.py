"""The one way the generator runs git. Every call raises ``GitError`` on failure with a
message for people; callers that can do without git (a build's "last changed" dates)
catch it, and callers that need it (``make diff``) let it reach the user.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.errors import GeneratorError

TIMEOUT = 120  # seconds; a local repository answers in milliseconds


class GitError(GeneratorError):
    """git is missing, the folder is not a repository, or a git command failed."""


def run(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """``git -C root <args>``; its standard output, or GitError with git's last words."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            check=False,
            timeout=TIMEOUT,
        )
    except OSError as e:
        raise GitError(f"could not run git: {e.strerror}; install git") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {TIMEOUT} s") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        command = next((a for a in args if not a.startswith("-") and "=" not in a), "")
        raise GitError(f"git {command} failed: {lines[-1] if lines else done.returncode}")
    return done.stdout


def text(root: Path, *args: str) -> str:
    return run(root, *args).decode("utf-8", "surrogateescape")


def toplevel(root: Path) -> Path | None:
    """The top of the repository ``root`` is in, or None outside a repository."""
    try:
        return Path(text(root, "rev-parse", "--show-toplevel").strip())
    except GitError:
        return None


def is_repository_root(root: Path) -> bool:
    top = toplevel(root)
    return top is not None and top.resolve() == root.resolve()


def commit_of(root: Path, ref: str) -> str:
    """The commit ``ref`` names (raises GitError if it names none)."""
    spec = f"{ref}^{{commit}}"
    return text(root, "rev-parse", "--verify", "--quiet", "--end-of-options", spec).strip()
