"""A sweep's directory: manifest, parameter table, one Parquet file per finished chunk.

Layout::

    DIR/manifest.json          what ran: experiment and scenario (text and hash), design,
                               seeds, versions, chunking, start and end times
    DIR/parameters.parquet     one row per design point: point, then each varied path
    DIR/runs/part-NNNNNN.parquet    one row per run (point, replicate, seed, outcomes)
    DIR/rounds/part-NNNNNN.parquet  one row per run and round (unless rounds: none)

Every file is written under a temporary name and renamed into place, so a file with a
final name is complete; a chunk counts as done when all its files exist. Temporary files
left by an interrupted sweep are removed on resume and the chunk is redone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from negosim.provenance import code_identity, command_line
from negosim.results import atomic_path, scenario_record, versions
from negosim.sweep.experiment import Experiment

FORMAT = 1


class SweepDirectoryError(RuntimeError):
    """The output directory cannot take this sweep (another experiment, or already run)."""


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
        """The manifest, or None in a fresh directory."""
        if not self.manifest_path.exists():
            return None
        return json.loads(self.manifest_path.read_text())

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically."""
        with atomic_path(self.manifest_path) as tmp:
            tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")

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

    def write_chunk(self, index: int, runs: pa.Table, rounds: pa.Table | None) -> None:
        """Write a chunk's tables (rounds first: the runs file marks the chunk done)."""
        if rounds is not None:
            with atomic_path(self.root / "rounds" / _part(index)) as tmp:
                pq.write_table(rounds, tmp)
        with atomic_path(self.root / "runs" / _part(index)) as tmp:
            pq.write_table(runs, tmp)

    def write_parameters(self, experiment: Experiment) -> None:
        """One row per design point: its index and the value of each varied path."""
        paths = experiment.parameter_paths
        columns: dict[str, list[object]] = {"point": list(range(len(experiment.points)))}
        for path in paths:
            columns[path] = [point[path] for point in experiment.points]
        with atomic_path(self.root / "parameters.parquet") as tmp:
            pq.write_table(pa.table(columns), tmp)


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
    path = store.root / "parameters.parquet"
    if not path.exists():
        raise SweepDirectoryError(f"{store.root} has a manifest but no parameters.parquet")
    stored = pq.read_table(path).to_pydict()
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
