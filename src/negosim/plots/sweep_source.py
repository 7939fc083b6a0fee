"""What a sweep's files hold, read one chunk file at a time and only the columns asked for.

Charts of a sweep must draw a million runs in seconds with flat memory, so nothing here
loads a whole table: :meth:`SweepFiles.tables` yields one finished chunk's columns at a
time (Parquet column projection), and value ranges come from the Parquet footers' column
statistics (min/max per row group), which cost no data read. Units and meanings come from
each field's metadata (docs/columns.md), the same declarations every chunk carries.

A chunk counts as finished when all its files exist (``negosim.sweep.store``: rounds are
written first, the runs file last); an interrupted sweep is read as far as it got and
says so (:meth:`SweepFiles.incomplete_note`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from negosim.sweep.integrity import damaged_chunks, damaged_chunks_error, read_parameters
from negosim.sweep.load import Sweep
from negosim.sweep.store import FORMAT

Table = Literal["runs", "rounds"]
Kind = Literal["bool", "int", "float", "category", "text"]


class SweepPlotError(ValueError):
    """The directory cannot be charted (no finished chunk, unknown format, unknown column)."""


@dataclass(frozen=True)
class ColumnInfo:
    """A stored column's declaration, read from its Parquet field metadata."""

    name: str
    kind: Kind
    unit: str
    meaning: str
    missing: str | None

    @property
    def numeric(self) -> bool:
        """Whether a mean and quantiles make sense (numbers; true/false as a share)."""
        return self.kind in ("bool", "int", "float")


def _kind(kind: pa.DataType) -> Kind:
    if pa.types.is_boolean(kind):
        return "bool"
    if pa.types.is_integer(kind):
        return "int"
    if pa.types.is_floating(kind):
        return "float"
    if pa.types.is_dictionary(kind):
        return "category"
    return "text"


def _info(field: pa.Field) -> ColumnInfo:
    meta = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
    return ColumnInfo(
        name=field.name,
        kind=_kind(field.type),
        unit=meta.get("unit", ""),
        meaning=meta.get("meaning", ""),
        missing=meta.get("missing"),
    )


def as_float(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A numeric or true/false column as float64, NaN where it is missing (null)."""
    if pa.types.is_boolean(column.type) or pa.types.is_integer(column.type):
        column = pc.cast(column, pa.float64())
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)


@dataclass
class SweepFiles:
    """A sweep directory's finished chunk files and their declared columns."""

    sweep: Sweep
    chunks: tuple[int, ...]

    @property
    def root(self) -> Path:
        """The sweep directory."""
        return self.sweep.root

    @property
    def manifest(self) -> dict:
        """The sweep's manifest (what ran: experiment, design, seeds, chunking)."""
        return self.sweep.manifest

    @property
    def keeps_rounds(self) -> bool:
        """Whether the experiment kept per-round outcomes (a ``rounds/`` table)."""
        return self.manifest.get("keep", {}).get("rounds", "all") != "none"

    @property
    def total_chunks(self) -> int:
        """Chunks the sweep was planned in."""
        return int(self.manifest.get("chunks", len(self.chunks)))

    @property
    def complete(self) -> bool:
        """Whether the sweep finished (the manifest records an end time)."""
        return self.sweep.complete and len(self.chunks) >= self.total_chunks

    def path(self, table: Table, chunk: int) -> Path:
        """The file of one chunk of ``table``."""
        return self.root / table / f"part-{chunk:06d}.parquet"

    @cached_property
    def parameters(self) -> dict[str, np.ndarray]:
        """Each varied parameter's value at every point (index = point)."""
        frame = read_parameters(self.root, self.manifest).to_pydict()
        order = np.argsort(np.asarray(frame["point"]))
        return {
            name: np.asarray(values, dtype=object)[order]
            for name, values in frame.items()
            if name != "point"
        }

    @property
    def points(self) -> int:
        """How many design points the sweep has."""
        return int(self.manifest["design"]["points"])

    @cached_property
    def _schemas(self) -> dict[str, pa.Schema]:
        first = self.chunks[0]
        schemas = {"runs": pq.read_schema(self.path("runs", first))}
        if self.keeps_rounds:
            schemas["rounds"] = pq.read_schema(self.path("rounds", first))
        return schemas

    def columns(self, table: Table) -> list[ColumnInfo]:
        """Every stored column of ``table`` (empty for rounds when none were kept)."""
        schema = self._schemas.get(table)
        return [] if schema is None else [_info(f) for f in schema]

    def column(self, table: Table, name: str) -> ColumnInfo:
        """One column's declaration; a clear error when the table does not hold it."""
        schema = self._schemas.get(table)
        if schema is None:
            raise SweepPlotError(
                f"{self.root}: the experiment kept no per-round outcomes (keep.rounds: none)"
            )
        if name not in schema.names:
            stored = ", ".join(n for n in schema.names if n not in ("point", "replicate", "seed"))
            raise SweepPlotError(f"{self.root / table}: no column {name!r}; stored: {stored}")
        return _info(schema.field(name))

    def value_range(self, table: Table, name: str) -> tuple[float, float] | None:
        """Smallest and largest non-missing value over all finished chunks, from the footers.

        None when every value is missing (or a writer left no statistics).
        """
        return self.value_ranges(table, [name])[name]

    def value_ranges(self, table: Table, names: list[str]) -> dict[str, tuple[float, float] | None]:
        """:meth:`value_range` of several columns, reading each chunk's footer once."""
        cache = self.__dict__.setdefault("_range_cache", {})
        wanted = [n for n in dict.fromkeys(names) if (table, n) not in cache]
        if wanted:
            low = dict.fromkeys(wanted, np.inf)
            high = dict.fromkeys(wanted, -np.inf)
            unknown: set[str] = set()
            for chunk in self.chunks:
                meta = pq.read_metadata(self.path(table, chunk))
                index = {n: meta.schema.names.index(n) for n in wanted}
                for group in range(meta.num_row_groups):
                    row_group = meta.row_group(group)
                    for name, i in index.items():
                        stats = row_group.column(i).statistics
                        if stats is None or not stats.has_min_max:
                            if stats is None or stats.null_count != stats.num_values:
                                unknown.add(name)
                            continue
                        low[name] = min(low[name], float(stats.min))
                        high[name] = max(high[name], float(stats.max))
            for name in wanted:
                ok = name not in unknown and low[name] <= high[name]
                cache[table, name] = (low[name], high[name]) if ok else None
        return {n: cache[table, n] for n in names}

    def tables(self, table: Table, columns: list[str]) -> Iterator[pa.Table]:
        """The finished chunks of ``table``, one at a time, with only ``columns``."""
        for chunk in self.chunks:
            yield pq.ParquetFile(self.path(table, chunk)).read(columns=columns)

    def incomplete_note(self) -> str | None:
        """The note "incomplete: N of M chunks" for an interrupted sweep; None when finished."""
        if self.complete:
            return None
        return f"incomplete: {len(self.chunks)} of {self.total_chunks} chunks"

    def footer(self) -> str:
        """The provenance line: experiment name, its hash, runs read, negosim version."""
        name = self.manifest.get("experiment", {}).get("name", self.root.name)
        identity = str(self.manifest.get("identity", "?"))[:12]
        version = self.manifest.get("versions", {}).get("negosim", "?")
        return f"{name} · experiment {identity} · negosim {version} · {self.root.name}/"


def _done(root: Path, keeps_rounds: bool) -> tuple[int, ...]:
    def indices(folder: str) -> set[int]:
        return {int(p.stem.split("-")[1]) for p in (root / folder).glob("part-*.parquet")}

    done = indices("runs")
    if keeps_rounds:
        done &= indices("rounds")
    return tuple(sorted(done))


def open_files(sweep: Sweep) -> SweepFiles:
    """The finished chunks of ``sweep``; a clear error when there is nothing to chart."""
    manifest_path = sweep.root / "manifest.json"
    version = sweep.manifest.get("format")
    if version != FORMAT:
        raise SweepPlotError(
            f"{manifest_path}: field 'format' is {version!r}; this negosim reads sweep format "
            f"{FORMAT} (rerun the experiment with this version)"
        )
    if not (sweep.root / "parameters.parquet").exists():
        raise SweepPlotError(f"{sweep.root}: no parameters.parquet (not a sweep directory)")
    keeps_rounds = sweep.manifest.get("keep", {}).get("rounds", "all") != "none"
    chunks = _done(sweep.root, keeps_rounds)
    read_parameters(sweep.root, sweep.manifest)  # a damaged table is named before any chart
    damaged = damaged_chunks(sweep.root, sweep.manifest, set(chunks))
    if damaged:  # checked from the footers here, so no chart meets a damaged file
        raise damaged_chunks_error(sweep.root, sweep.manifest, damaged)
    if not chunks:
        raise SweepPlotError(
            f"{sweep.root}: no finished chunk yet (runs/ holds no part-*.parquet); "
            "nothing to plot. Resume the sweep with `negosim sweep ... --resume`."
        )
    return SweepFiles(sweep, chunks)
