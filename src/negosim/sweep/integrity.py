"""Is a sweep directory whole? The manifest checked field by field, chunks by their footers.

Files land atomically and durably (``negosim.results.atomic_path``), so damage comes from
outside: a disk that lost data, a copy cut short, a hand edit. Every reader goes through
here, so a damaged file is named with what to do about it, never met as a traceback
(``JSONDecodeError``, ``KeyError``, ``ArrowInvalid``) deep inside a chart.

A chunk is checked cheaply: its Parquet footer must parse and state the number of rows the
plan gives it (runs; runs × rounds for the rounds table), which catches a file truncated
under its final name without reading its data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


class SweepDirectoryError(RuntimeError):
    """The output directory cannot take this sweep (another experiment, or already run)."""


class DamagedSweepError(SweepDirectoryError, ValueError):
    """A file of a sweep directory is unreadable or does not say what a sweep's file says."""


#: Manifest fields every reader relies on, and the type each must have.
_FIELDS: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("format", int),
    ("identity", str),
    ("experiment", dict),
    ("experiment.name", str),
    ("scenario", dict),
    ("design", dict),
    ("design.method", str),
    ("design.parameters", list),
    ("design.points", int),
    ("replicates", int),
    ("total_runs", int),
    ("rounds", int),
    ("chunk_runs", int),
    ("chunks", int),
    ("keep", dict),
)


def resume_hint(root: Path, manifest: dict[str, Any] | None = None) -> str:
    """The command that redoes what is missing or damaged."""
    source = ((manifest or {}).get("experiment") or {}).get("source") or "EXPERIMENT"
    return f"negosim sweep {source} --out {root} --resume"


def _damaged_manifest(path: Path, problem: str) -> DamagedSweepError:
    return DamagedSweepError(
        f"{path} is damaged ({problem}). It records which experiment the chunks belong to, "
        "so they cannot be read or resumed without it: restore it from a copy, or move "
        f"{path.parent} aside and run the sweep again"
    )


def _field(document: dict[str, Any], dotted: str) -> object:
    value: object = document
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(dotted)
        value = value[part]
    return value


def read_manifest(root: Path) -> dict[str, Any] | None:
    """``root/manifest.json`` checked field by field; None when there is none."""
    path = root / "manifest.json"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    if not raw.strip():
        raise _damaged_manifest(path, "it is empty")
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise _damaged_manifest(path, f"not UTF-8 text at byte {err.start}") from None
    except json.JSONDecodeError as err:
        raise _damaged_manifest(path, f"not valid JSON: line {err.lineno}: {err.msg}") from None
    if not isinstance(document, dict):
        raise _damaged_manifest(path, f"a JSON {type(document).__name__}, not an object")
    for dotted, kind in _FIELDS:
        try:
            value = _field(document, dotted)
        except KeyError:
            raise _damaged_manifest(path, f"field {dotted!r} is missing") from None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise _damaged_manifest(
                path, f"field {dotted!r} is {value!r}, not a {getattr(kind, '__name__', kind)}"
            )
    for dotted in ("design.points", "replicates", "chunk_runs", "chunks"):
        if _field(document, dotted) < 1:  # type: ignore[operator]
            raise _damaged_manifest(path, f"field {dotted!r} is below 1")
    points, replicates = document["design"]["points"], document["replicates"]
    if document["total_runs"] != points * replicates or document["chunks"] != -(
        -document["total_runs"] // document["chunk_runs"]
    ):
        raise _damaged_manifest(path, "its run and chunk counts disagree")
    return document


def keeps_rounds(manifest: dict[str, Any]) -> bool:
    """Whether the experiment kept per-round outcomes (a ``rounds/`` table)."""
    return manifest.get("keep", {}).get("rounds", "all") != "none"


def chunk_path(root: Path, table: str, index: int) -> Path:
    """The file of chunk ``index`` of ``table`` ('runs' or 'rounds')."""
    return root / table / f"part-{index:06d}.parquet"


def expected_rows(manifest: dict[str, Any], index: int) -> dict[str, int]:
    """Rows each table of chunk ``index`` holds: its runs, and runs × rounds."""
    total, size = manifest["total_runs"], manifest["chunk_runs"]
    runs = max(0, min(total, (index + 1) * size) - index * size)
    rows = {"runs": runs}
    if keeps_rounds(manifest):
        rows["rounds"] = runs * manifest["rounds"]
    return rows


def chunk_problem(root: Path, manifest: dict[str, Any], index: int) -> str | None:
    """What is wrong with a finished chunk's files ('path: problem'), or None when whole."""
    if not 0 <= index < manifest["chunks"]:
        return (
            f"{chunk_path(root, 'runs', index)}: no such chunk in a sweep of {manifest['chunks']}"
        )
    for table, rows in expected_rows(manifest, index).items():
        path = chunk_path(root, table, index)
        try:
            found = pq.read_metadata(path).num_rows
        except FileNotFoundError:
            return f"{path}: missing"
        except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError
            return f"{path}: not a readable Parquet file ({err})"
        if found != rows:
            return f"{path}: holds {found} rows, not the {rows} of its chunk"
    return None


def damaged_chunks(root: Path, manifest: dict[str, Any], indices: set[int]) -> dict[int, str]:
    """The chunks among ``indices`` whose files are not whole, each with its problem."""
    found = {i: chunk_problem(root, manifest, i) for i in sorted(indices)}
    return {i: problem for i, problem in found.items() if problem is not None}


def damaged_chunks_error(
    root: Path, manifest: dict[str, Any], damaged: dict[int, str]
) -> DamagedSweepError:
    """The refusal of a reader that met damaged chunks: which, and how to redo them."""
    listed = "; ".join(list(damaged.values())[:3]) + ("; …" if len(damaged) > 3 else "")
    return DamagedSweepError(
        f"{len(damaged)} chunk file(s) of {root} are damaged ({listed}); redo them with "
        f"`{resume_hint(root, manifest)}`"
    )


def read_parameters(root: Path, manifest: dict[str, Any] | None = None) -> pa.Table:
    """``parameters.parquet`` as an Arrow table; a clear error when it is damaged."""
    path = root / "parameters.parquet"
    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        raise DamagedSweepError(
            f"{path} is missing; `{resume_hint(root, manifest)}` writes it again"
        ) from None
    except (OSError, ValueError) as err:
        raise DamagedSweepError(
            f"{path} is damaged (not a readable Parquet file: {err}); "
            f"`{resume_hint(root, manifest)}` writes it again"
        ) from None
    if "point" not in table.column_names:
        problem = "it has no 'point' column"
    elif manifest is not None and table.num_rows != manifest["design"]["points"]:
        problem = f"{table.num_rows} rows, not the {manifest['design']['points']} design points"
    else:
        return table
    raise DamagedSweepError(
        f"{path} is damaged ({problem}); `{resume_hint(root, manifest)}` writes it again"
    )
