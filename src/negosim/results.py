"""Writing a run's results: a columnar per-round table and a self-describing summary.json.

Files are written atomically (a temporary name in the same directory, then a rename), so an
interrupted run never leaves a half-written file under the final name.
"""

from __future__ import annotations

import json
import os
import platform
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
from negosim.scenario import Scenario


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
        os.replace(tmp, final)
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


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
