"""Where a lever table came from: the command, the code's version and commit, the date.

docs/levers.md is a measurement, so it says what produced it. The git commit is the one of
the source tree the table was computed from; it is marked "with uncommitted changes" when
the files that decide the numbers (``src``, ``configs``, ``experiments``, ``pyproject.toml``)
differ from it, so a table can always be traced to code someone can check out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
from pathlib import Path

from negosim import __version__
from negosim.levers.render import Provenance
from negosim.provenance import git_state

DECIDING = ("src", "configs", "experiments", "pyproject.toml")


def git_commit(where: Path) -> str:
    """Short commit of the repository holding ``where`` (``unknown`` outside git)."""
    state = git_state(where, DECIDING)
    if state is None:
        return "unknown (not a git checkout)"
    commit, dirty = state
    return f"`{commit[:12]}`" + (" with uncommitted changes" if dirty else "")


def command_line(args: argparse.Namespace, replicates: int, seed: int) -> str:
    """The command that reproduces the table, with every setting written out."""
    parts = ["negosim", "levers", str(args.spec), "--replicates", str(replicates)]
    parts += ["--seed", str(seed), "--workers", str(args.workers), "--out", str(args.out)]
    return shlex.join(parts)


def provenance(
    args: argparse.Namespace, replicates: int, seed: int, seconds: float, scenario_path: str
) -> Provenance:
    """The provenance block of a table produced by ``negosim levers`` with ``args``."""
    spec_dir = Path(args.spec).resolve().parent
    scenario = spec_dir / scenario_path
    try:
        shown = str(scenario.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(scenario.resolve())
    return Provenance(
        command=command_line(args, replicates, seed),
        replicates=replicates,
        seed=seed,
        version=__version__,
        commit=git_commit(spec_dir),
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        seconds=seconds,
        workers=args.workers,
        scenario=shown,
    )
