"""A sweep's directory: manifest, parameter table, one Parquet file per finished chunk.

Layout::

    DIR/manifest.json          what ran: experiment and scenario (text and hash), design,
                               seeds, versions, chunking, start and end times
    DIR/parameters.parquet     one row per design point: point, then each varied path
    DIR/runs/part-NNNNNN.parquet    one row per run (point, replicate, seed, outcomes)
    DIR/rounds/part-NNNNNN.parquet  one row per run and round (unless rounds: none)

Every file is written under a temporary name, flushed to the disk (fsync) and renamed into
place, so a file with a final name is complete, also after the machine goes down; a chunk
counts as done when all its files exist. The manifest is written first: a directory without
one holds nothing but negosim's temporary files and lock, and starts afresh. On resume,
temporary files are removed and a chunk whose files are not whole
(:mod:`negosim.sweep.integrity`) is redone. A write that fails (no space, no permission)
stops the sweep with :class:`SweepWriteError`; what was written before stays valid.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from negosim.provenance import code_identity, command_line
from negosim.results import atomic_path, scenario_record, versions
from negosim.sweep.experiment import Experiment
from negosim.sweep.integrity import (
    DamagedSweepError,
    SweepDirectoryError,
    damaged_chunks,
    read_manifest,
    read_parameters,
    resume_hint,
)

FORMAT = 1


__all__ = ["DamagedSweepError", "SweepDirectoryError", "SweepStore", "SweepWriteError"]

_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)


class SweepWriteError(RuntimeError):
    """A result file could not be written (disk full, permission denied, ...)."""

    def __init__(self, path: Path, err: OSError, root: Path, manifest: dict | None) -> None:
        code = err.errno
        reason = os.strerror(code) if code else str(err)
        name = errno.errorcode.get(code, "") if code else ""
        if code in _FULL:
            advice = "free some space (or raise the file size limit)"
        elif code in _DENIED:
            advice = f"make {root} writable"
        else:
            advice = "fix the cause"
        super().__init__(
            f"cannot write {path}: {reason}{f' ({name})' if name else ''}. Every chunk "
            f"finished before is kept in {root}; {advice}, then run `{resume_hint(root, manifest)}`"
        )
        self.path = path
        self.errno = code


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _part(index: int) -> str:
    return f"part-{index:06d}.parquet"


@dataclass
class SweepStore:
    """The output directory of one experiment."""

    root: Path
    keeps_rounds: bool

    @property
    def manifest_path(self) -> Path:
        """Where the manifest lives."""
        return self.root / "manifest.json"

    def read_manifest(self) -> dict[str, Any] | None:
        """The manifest, or None in a fresh directory; damaged → :class:`DamagedSweepError`."""
        return read_manifest(self.root)

    def _write(
        self, final: Path, manifest: dict[str, Any] | None, write: Callable[[Path], object]
    ) -> None:
        """``write(tmp)`` atomically into ``final``; an OSError → :class:`SweepWriteError`."""
        try:
            with atomic_path(final) as tmp:
                write(tmp)
        except OSError as err:
            raise SweepWriteError(final, err, self.root, manifest) from err

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically."""
        text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        self._write(self.manifest_path, manifest, lambda tmp: tmp.write_text(text))

    def done_chunks(self) -> set[int]:
        """Chunks whose every file is in place."""

        def indices(folder: str) -> set[int]:
            return {int(p.stem.split("-")[1]) for p in (self.root / folder).glob("part-*.parquet")}

        done = indices("runs")
        return done & indices("rounds") if self.keeps_rounds else done

    def discard_partial(self) -> int:
        """Remove temporary files of interrupted writes; return how many."""
        stale = list(self.root.glob("**/.*.tmp"))
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)

    def discard_damaged(self, manifest: dict[str, Any], done: set[int]) -> dict[int, str]:
        """Remove the files of finished chunks that are not whole; return their problems.

        They are negosim's own output and are redone identically (seeds depend only on the
        point and replicate), so removing them loses nothing.
        """
        damaged = damaged_chunks(self.root, manifest, done)
        for index in damaged:
            for folder in ("runs", "rounds"):
                (self.root / folder / _part(index)).unlink(missing_ok=True)
        return damaged

    def write_chunk(
        self, index: int, runs: pa.Table, rounds: pa.Table | None, manifest: dict | None = None
    ) -> None:
        """Write a chunk's tables (rounds first: the runs file marks the chunk done)."""
        if rounds is not None:
            self._write(
                self.root / "rounds" / _part(index), manifest, lambda t: pq.write_table(rounds, t)
            )
        self._write(self.root / "runs" / _part(index), manifest, lambda t: pq.write_table(runs, t))

    def write_parameters(self, experiment: Experiment, manifest: dict | None = None) -> None:
        """One row per design point: its index and the value of each varied path."""
        paths = experiment.parameter_paths
        columns: dict[str, list[object]] = {"point": list(range(len(experiment.points)))}
        for path in paths:
            columns[path] = [point[path] for point in experiment.points]
        table = pa.table(columns)
        self._write(self.root / "parameters.parquet", manifest, lambda t: pq.write_table(table, t))


def invocation(command: Sequence[str] | None) -> dict[str, Any]:
    """Which code ran, by which command (``sys.argv`` unless given), and when it started."""
    return {"code": code_identity(), "command": command_line(command), "started": _now()}


def new_manifest(
    experiment: Experiment, chunk_runs: int, chunks: int, command: Sequence[str] | None = None
) -> dict[str, Any]:
    """Everything needed to know what ran and to reproduce it.

    ``code`` and ``command`` are those of the first invocation; each ``--resume`` appends
    its own to ``resumed_by`` (the code may have changed in between: compare them).
    """
    started = invocation(command)
    spec = experiment.spec
    return {
        "format": FORMAT,
        "identity": experiment.sha256,
        "experiment": {"name": spec.name, "source": experiment.source, "text": experiment.text},
        "scenario": scenario_record(experiment.base),
        "design": {
            "method": spec.design.method,
            "second_order": spec.design.second_order,
            "parameters": experiment.parameter_paths,
            "points": len(experiment.points),
        },
        "replicates": spec.replicates,
        "total_runs": experiment.total_runs,
        "rounds": experiment.rounds,
        "master_seed": spec.seed,
        "common_random_numbers": experiment.common_random_numbers,
        "seed_derivation": "negosim.sweep.seeds.derive_seeds(master, point, replicate, crn)",
        "chunk_runs": chunk_runs,
        "chunks": chunks,
        "keep": spec.keep.model_dump(),
        "versions": versions(),
        "code": started["code"],
        "command": started["command"],
        "started": started["started"],
        "finished": None,
    }


def open_store(root: Path, experiment: Experiment, resume: bool) -> tuple[SweepStore, dict | None]:
    """Open ``root`` for ``experiment``; refuse a directory that holds something else.

    Returns the store and the existing manifest when resuming (None when starting fresh).
    """
    keeps_rounds = experiment.spec.keep.rounds != "none"
    store = SweepStore(root, keeps_rounds)
    manifest = store.read_manifest()
    if manifest is None:
        leftovers = (
            [p for p in root.iterdir() if not p.name.startswith(".")] if root.exists() else []
        )
        if leftovers:
            raise SweepDirectoryError(
                f"{root} is not empty and holds no sweep manifest; choose another --out"
            )
        return store, None
    if manifest.get("identity") != experiment.sha256:
        name = manifest.get("experiment", {}).get("name", "?")
        raise SweepDirectoryError(
            f"{root} holds results of a different experiment ({name!r}, identity "
            f"{str(manifest.get('identity'))[:12]}…), not of {experiment.spec.name!r} "
            f"({experiment.sha256[:12]}…); choose another --out or remove that directory"
        )
    stored_crn = bool(manifest.get("common_random_numbers", False))
    if stored_crn != experiment.common_random_numbers:
        said = {True: "common random numbers", False: "independent seeds per point"}
        raise SweepDirectoryError(
            f"{root} holds this experiment run with {said[stored_crn]}, but this version of "
            f"negosim runs it with {said[experiment.common_random_numbers]} (the default of "
            f"{experiment.spec.design.method} designs changed); new chunks would mix the two: "
            "choose another --out"
        )
    if not resume:
        state = "finished" if manifest.get("finished") else "unfinished"
        raise SweepDirectoryError(
            f"{root} already holds this experiment ({state}); pass --resume to keep its "
            f"finished chunks and run the rest, or choose another --out"
        )
    return store, manifest


def check_stored_points(store: SweepStore, experiment: Experiment) -> None:
    """Refuse to resume when the design points differ from the ones stored.

    The identity covers the files, not the libraries that turn a sampled design into
    points: another scipy or SALib could compute other points from the same files, and new
    chunks would silently mix them in.
    """
    stored = read_parameters(store.root).to_pydict()
    for name in experiment.parameter_paths:
        current = [point[name] for point in experiment.points]
        if stored.get(name) != current:
            raise SweepDirectoryError(
                f"{store.root}: the design points computed now differ from the stored ones "
                f"(parameter {name!r}); a library that samples the design may have changed "
                "(see manifest versions). Start a new --out to rerun."
            )


def finish(store: SweepStore, manifest: dict[str, Any]) -> None:
    """Record the end time: the sweep is complete."""
    manifest["finished"] = _now()
    store.write_manifest(manifest)
