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


def sizes(root: Path, objects: list[str]) -> list[int | None]:
    """The size in bytes of each object (None: not in this repository), from
    ``git cat-file --batch-check``, which reads no object's content."""
    if not objects:
        return []
    request = "".join(f"{o}\n" for o in objects).encode()
    out = run(root, "cat-file", "--batch-check", stdin=request).decode("ascii", "replace")
    found: list[int | None] = []
    for line in out.splitlines():
        fields = line.split()
        found.append(int(fields[2]) if len(fields) == 3 else None)
    return found


def blobs(root: Path, objects: list[str], max_bytes: int) -> list[bytes | None]:
    """The content of each object, or None for one that is missing or larger than
    ``max_bytes``: sizes are read first, so that an object too large (a crafted commit's
    blob that compresses to nothing) is never read into memory."""
    sized = zip(objects, sizes(root, objects), strict=True)
    wanted = [o for o, size in sized if size is not None and size <= max_bytes]
    contents = dict(zip(wanted, read(root, wanted), strict=True))
    return [contents.get(o) for o in objects]


def read(root: Path, objects: list[str]) -> list[bytes]:
    """The content of each object, all of them present (``sizes`` says which are, and how
    large), in one ``git cat-file --batch``."""
    if not objects:
        return []
    out = run(root, "cat-file", "--batch", stdin="".join(f"{o}\n" for o in objects).encode())
    contents = []
    pos = 0
    for _ in objects:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        start = header_end + 1
        contents.append(out[start : start + size])
        pos = start + size + 1  # the content is followed by a newline
    return contents
