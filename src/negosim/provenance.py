"""Which code produced a result, and by which command: recorded in every manifest and summary.

A result names its scenario and seeds, but the same files give other numbers under other
code. So each record also carries the *code identity*: when the package runs from a git
checkout, the commit and whether the files that make up the code (the package, its
``pyproject.toml`` and ``requirements.lock``) differ from it; always, a SHA-256 of the
package's source files as they are on disk, which identifies an installed copy (no git)
and a modified checkout alike. The hash is deterministic: files in sorted order of their
path relative to the package, each as its path and bytes.

The command line is ``sys.argv`` unless a caller (the ``negosim`` command) says otherwise,
with the working directory that its relative paths are relative to.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: The installed package's own directory (src/negosim in a checkout).
PACKAGE_DIR = Path(__file__).resolve().parent
#: Files beside the package, at the repository's top, that are part of the code.
PROJECT_FILES = ("pyproject.toml", "requirements.lock")


def git(where: Path, *args: str) -> str | None:
    """Output of ``git -C where ARGS`` (stripped), or None if git fails or is absent."""
    try:
        done = subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_state(where: Path, paths: Sequence[str]) -> tuple[str, bool] | None:
    """(full commit, dirty) of the checkout holding ``where``; None outside git.

    Dirty means that some of ``paths`` (relative to the repository's top) have uncommitted
    changes or untracked files that git does not ignore.
    """
    commit = git(where, "rev-parse", "HEAD")
    top = git(where, "rev-parse", "--show-toplevel")
    if commit is None or top is None:
        return None
    status = git(Path(top), "status", "--porcelain", "--", *paths)
    return commit, bool(status)


def source_sha256(package_dir: Path = PACKAGE_DIR) -> str:
    """SHA-256 of the package's source files (``*.py``, ``py.typed``), path and bytes each."""
    files = sorted(
        (p for p in package_dir.rglob("*") if p.suffix == ".py" or p.name == "py.typed"),
        key=lambda p: p.relative_to(package_dir).as_posix(),
    )
    digest = hashlib.sha256()
    for path in files:
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _tracked(package_dir: Path) -> Path | None:
    """The repository's top if the package's files are tracked by git there, else None."""
    top = git(package_dir, "rev-parse", "--show-toplevel")
    if top is None or git(package_dir, "ls-files", "--error-unmatch", "__init__.py") is None:
        return None  # e.g. an installed copy inside some other repository's folder
    return Path(top)


def code_identity(package_dir: Path = PACKAGE_DIR) -> dict[str, Any]:
    """The code that is running: git commit and dirty flag when available, and the hash."""
    from negosim import __version__

    identity: dict[str, Any] = {"version": __version__, "source": "files", "commit": None}
    identity["dirty"] = None
    top = _tracked(package_dir)
    if top is not None:
        relative = package_dir.resolve().relative_to(top.resolve()).as_posix()
        state = git_state(top, [relative, *PROJECT_FILES])
        if state is not None:
            identity.update(source="git", commit=state[0], dirty=state[1])
    identity["source_sha256"] = source_sha256(package_dir)
    return identity


def command_line(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """The command that produced a result: ``argv`` (default ``sys.argv``) and the cwd."""
    return {"argv": list(sys.argv if argv is None else argv), "cwd": os.getcwd()}
