"""Writing a run's results: a columnar per-round table and a self-describing summary.json.

Files are written atomically (a temporary name in the same directory, then a rename), so an
interrupted run never leaves a half-written file under the final name; each file is
``fsync``ed before its rename and its directory after, so a file under its final name also
survives the machine going down (a rename alone may reach the disk before the data).
A run's directory (``negosim run --out DIR``) is written whole in a staging directory
beside DIR and swapped into place (:func:`run_directory`): DIR is complete or absent.
"""

from __future__ import annotations

import errno
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from negosim.columns import Column, python_rows
from negosim.outcomes import Columns
from negosim.provenance import code_identity, command_line
from negosim.results_lock import LOCK_NAME, ResultsBusyError, results_lock
from negosim.scenario import Scenario, ScenarioError
from negosim.scenario.problems import Problem


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; rename it into place only on success."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
        os.close(fd)
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; results are for sharing
        fsync_file(Path(tmp))
        os.replace(tmp, final)
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    fsync_directory(final.parent)


def fsync_file(path: Path) -> None:
    """Push ``path``'s data to the disk (whoever wrote it, through whatever handle)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(path: Path) -> None:
    """Push ``path``'s entries (a rename into it) to the disk; a no-op where unsupported."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # e.g. Windows cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError as err:  # some file systems refuse fsync on a directory
        if err.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def _umask() -> int:
    """The process umask (reading it requires setting it; restore at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def parquet_available() -> bool:
    """Whether a Parquet engine (pyarrow) is importable."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def write_table(values: Columns, stem: Path, columns: Sequence[Column]) -> Path:
    """Write the declared ``columns`` as ``stem.parquet`` or, without an engine, ``stem.csv``.

    Both go through :mod:`negosim.columns.encoding`: Parquet gets labelled dictionary
    columns, nulls and field metadata; CSV gets the labels and empty cells for missing
    values (its header cannot carry units: see docs/columns.md).
    """
    if parquet_available():
        import pyarrow.parquet as pq

        from negosim.columns.arrow import arrow_table

        final = stem.with_suffix(".parquet")
        with atomic_path(final) as tmp:
            pq.write_table(arrow_table(values, columns), tmp)
        return final
    import csv

    final = stem.with_suffix(".csv")
    names = [c.name for c in columns]
    with atomic_path(final) as tmp, tmp.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(python_rows(values, columns))
    return final


def versions() -> dict[str, str]:
    """Versions of negosim and of what its results depend on."""
    found = {"python": platform.python_version()}
    for package in (
        "negosim",
        "mesa",
        "numpy",
        "pydantic",
        "pyyaml",
        "pyarrow",
        "pandas",
        "scipy",
        "salib",
        "dask",
        "distributed",
    ):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def _plain(value: Any) -> Any:
    """Numpy scalars and arrays → JSON-ready Python values (NaN → null)."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _plain_tree(value: Any) -> Any:
    """:func:`_plain` through nested dicts and lists."""
    if isinstance(value, dict):
        return {key: _plain_tree(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_tree(v) for v in value]
    return _plain(value)


def scenario_record(scenario: Scenario) -> dict[str, Any]:
    """How a run's record names its scenario: source, hash, texts of the chain, resolved."""
    return {
        "name": scenario.spec.name,
        "source": scenario.source,
        "sha256": scenario.sha256,
        "text": scenario.text,
        "chain": [{"source": f.source, "sha256": f.sha256, "text": f.text} for f in scenario.chain],
        "resolved_sha256": scenario.resolved_sha256,
        "resolved": scenario.resolved,
    }


def write_summary_json(
    path: Path,
    scenario: Scenario,
    seeds: list[int],
    rounds: int,
    summary: Columns,
    table_file: Path,
    columns: Sequence[Column],
    outcome_space: list[dict[str, Any]] | None = None,
    account: list[str] | None = None,
    command: Sequence[str] | None = None,
) -> Path:
    """summary.json: the scenario, its hash, the seeds, versions, and each run's outcomes.

    Outcomes are encoded as in the Parquet files (labels, and null for "no deal" or "no
    benchmark", never -1); a NaN that is not declared missing also becomes null, since JSON
    has no NaN. The scenario is recorded three ways: the file's own text, the chain of files
    it was merged from (an overlay and its bases), and the resolved scenario with every
    default, so the record answers "what ran" without the files or the code's defaults.
    ``outcome_space`` (one entry per run, :mod:`negosim.outcome_space`) is stored as is: the
    frontier and benchmark packages that ``negosim plot`` draws the bargain from.
    It also names the code (``negosim.provenance.code_identity``: git commit and dirty flag,
    hash of the sources) and the command (``command``, default ``sys.argv``, and the cwd).
    """
    runs = [
        {name: _plain(value) for name, value in row.items()}
        for row in python_rows(summary, columns)
    ]
    document = {
        "scenario": scenario_record(scenario),
        "seeds": seeds,
        "rounds": rounds,
        "versions": versions(),
        "code": code_identity(),
        "command": command_line(command),
        "per_round_table": table_file.name,
        "runs": runs,
    }
    if outcome_space is not None:
        document["outcome_space"] = [_plain_tree(entry) for entry in outcome_space]
    if account is not None:
        document["account"] = account  # per run, the text `negosim run` prints (a report's)
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


# --- a run's directory: complete or absent ---------------------------------------------------

#: What ``negosim run --out DIR`` and the commands reading DIR put there; anything else in a
#: directory is the user's, and DIR is never replaced over it.
RUN_ENTRIES = frozenset(
    {"summary.json", "rounds.parquet", "rounds.csv", "explanation.json", "figures", "report.html"}
)
_RUN_MARKERS = ("summary.json", "rounds.parquet", "rounds.csv")


class RunOutError(ScenarioError):
    """``--out DIR`` cannot take a run's output (a file, a foreign directory, no access).

    A bad input of the command like a bad scenario file, refused the same way (exit 2).
    """

    def __init__(self, out: Path, message: str) -> None:
        super().__init__([Problem(f"--out {out}", None, "", message)])


def _own(name: str) -> bool:
    """Whether ``name`` is one of negosim's own hidden files (a temporary name, the lock)."""
    return name == LOCK_NAME or (name.startswith(".") and name.endswith(".tmp"))


def check_run_out(out: Path | None) -> None:
    """Refuse at once an ``--out`` that the run could not fill (before the run starts).

    DIR may be absent, empty, or hold a previous run's output, which the new run replaces
    whole (figures and a report drawn from it too: they described the old run). A file, a
    directory holding anything else (a sweep's results, the user's files), the current
    directory, and a place negosim cannot write are refused with what to do instead.
    """
    if out is None:
        return
    target = Path(os.path.realpath(out))
    if out.exists() and not out.is_dir():
        raise RunOutError(out, "is an existing file; name a directory (it is created)")
    cwd = Path.cwd().resolve()
    if target == cwd or target in cwd.parents:
        raise RunOutError(
            out,
            "is the current directory (or holds it), which a run's output "
            "replaces whole; name a subdirectory, e.g. --out out/run1",
        )
    if target.is_dir():
        names = sorted(p.name for p in target.iterdir() if not _own(p.name))
        if names and not any(name in names for name in _RUN_MARKERS):
            what = "a sweep's results" if "manifest.json" in names else "no run's output"
            raise RunOutError(
                out,
                f"is a non-empty directory holding {what} "
                f"({', '.join(names[:4])}{', …' if len(names) > 4 else ''}); a run writes its "
                "directory whole, so name a new or empty directory",
            )
        foreign = [name for name in names if name not in RUN_ENTRIES]
        if foreign:
            raise RunOutError(
                out,
                f"holds a previous run's output and also {', '.join(foreign[:4])}, "
                "which negosim did not write; the new run replaces the directory whole, so "
                "move those files or name another directory",
            )
    existing = target
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise RunOutError(out, f"{existing} is a file, so the directory cannot be made")
    try:  # a real write, not os.access: root passes that, a read-only mount does not
        os.rmdir(tempfile.mkdtemp(prefix=".negosim-probe.", suffix=".tmp", dir=existing))
    except OSError as err:
        raise RunOutError(out, f"cannot write in {existing} ({err.strerror or err})") from None


@contextmanager
def run_directory(out: Path, command: Sequence[str] | None = None) -> Iterator[Path]:
    """Yield an empty staging directory beside ``out``; on success it becomes ``out``.

    The staging directory is swapped with the old ``out`` in one atomic rename
    (``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two renames, between which ``out`` is
    briefly absent), then the old one is removed: ``out`` never mixes two runs' files. Two
    runs into one ``out`` are ordered by a lock beside it, and a sweep writing there by the
    directory's own lock; staging directories left by a killed run are removed first.
    """
    target = Path(os.path.realpath(out))
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.parent / f".{target.name}{LOCK_NAME}"
    try:
        with results_lock(lock, f"--out {out}", command):
            for stale in target.parent.glob(f".{target.name}.*.tmp"):
                if stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
            check_run_out(out)
            staging = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            )
            try:
                yield staging
                os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes 0700
                fsync_directory(staging)
                _swap_in(staging, target, out, command)
            finally:
                shutil.rmtree(staging, ignore_errors=True)  # the old output, after a swap
    except ResultsBusyError as err:
        raise RunOutError(out, str(err).removeprefix(f"--out {out} ")) from None


def _swap_in(staging: Path, target: Path, out: Path, command: Sequence[str] | None) -> None:
    if not target.exists():
        os.rename(staging, target)
    else:
        with results_lock(target / LOCK_NAME, f"--out {out}", command):
            check_run_out(out)
            if not _exchange(staging, target):
                aside = staging.with_name(staging.name.removesuffix(".tmp") + ".old.tmp")
                os.rename(target, aside)
                os.rename(staging, target)
                shutil.rmtree(aside, ignore_errors=True)
    fsync_directory(target.parent)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(second))
