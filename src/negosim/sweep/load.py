"""Loading a sweep's results: ``negosim.load_sweep(DIR)``.

The files are plain Parquet, so any tool reads them without negosim::

    import pandas as pd
    runs = pd.read_parquet("runs/omega/runs")           # every run, one row each
    rounds = pd.read_parquet("runs/omega/rounds")       # every run and round
    params = pd.read_parquet("runs/omega/parameters.parquet")

    import duckdb
    duckdb.sql("SELECT point, avg(deal_reached::INT) FROM 'runs/omega/runs/*.parquet' GROUP BY 1")
    duckdb.sql("SELECT * FROM 'runs/omega/rounds/*.parquet' JOIN 'runs/omega/parameters.parquet' "
               "USING (point)")                  # rounds with their parameter values

Codes are labelled categories and missing values are nulls (``<NA>`` in pandas); every
field's unit and meaning is in the Parquet metadata (docs/columns.md). A damaged file (a
manifest that is not a sweep's, an unreadable Parquet file) raises
:class:`~negosim.sweep.integrity.DamagedSweepError` naming the file and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from negosim.sweep.integrity import (
    DamagedSweepError,
    damaged_chunks,
    damaged_chunks_error,
    read_manifest,
    read_parameters,
)


@dataclass
class Sweep:
    """A sweep directory: manifest, parameter table, runs and (lazily) rounds."""

    root: Path
    manifest: dict[str, Any] = field(repr=False)

    @property
    def complete(self) -> bool:
        """Whether every chunk finished (the manifest records an end time)."""
        return bool(self.manifest.get("finished"))

    @cached_property
    def parameters(self) -> pd.DataFrame:
        """One row per design point: ``point`` and each varied dotted path."""
        return read_parameters(self.root, self.manifest).to_pandas()

    def _read(self, folder: str, keys: list[str], columns: list[str] | None) -> pd.DataFrame:
        path = self.root / folder
        if not any(path.glob("part-*.parquet")):
            return pd.DataFrame(columns=keys)
        wanted = None if columns is None else list(dict.fromkeys(keys + columns))
        try:
            frame = pd.read_parquet(path, columns=wanted)
        except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError
            indices = {int(p.stem.split("-")[1]) for p in path.glob("part-*.parquet")}
            damaged = damaged_chunks(self.root, self.manifest, indices)
            if damaged:
                raise damaged_chunks_error(self.root, self.manifest, damaged) from None
            raise DamagedSweepError(f"{path}: cannot be read ({err})") from None
        return frame.sort_values(keys, kind="stable").reset_index(drop=True)

    def _with_parameters(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with its point's parameter values as columns (one join on ``point``)."""
        return frame.merge(self.parameters, on="point", how="left", validate="many_to_one")

    def runs_frame(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Runs (optionally only some columns), with each point's parameter values."""
        return self._with_parameters(self._read("runs", ["point", "replicate"], columns))

    def rounds_frame(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Runs and rounds (optionally only some columns), with each point's parameter values.

        Empty (with the key columns only) when the experiment kept no per-round outcomes.
        """
        return self._with_parameters(self._read("rounds", ["point", "replicate", "round"], columns))

    @cached_property
    def runs(self) -> pd.DataFrame:
        """Every run, one row each, with its point's parameter values."""
        return self.runs_frame()

    @cached_property
    def rounds(self) -> pd.DataFrame:
        """Every run and round, with its point's parameter values (like :attr:`runs`).

        Empty when the experiment kept no per-round outcomes.
        """
        return self.rounds_frame()

    def summary(self) -> str:
        """What this sweep is: experiment, design, completeness, parameters, outcomes, deals."""
        from negosim.sweep.summary import sweep_summary

        return sweep_summary(self).text()

    def __repr__(self) -> str:
        try:  # a repr must not raise, even for a damaged directory
            return self.summary()
        except Exception as err:
            return f"Sweep({str(self.root)!r}) (no summary: {type(err).__name__}: {err})"

    def _repr_html_(self) -> str:
        """The summary as a small HTML table, which Jupyter shows for a cell's last value."""
        from negosim.sweep.summary import sweep_summary

        return sweep_summary(self).html()


def load_sweep(root: str | Path) -> Sweep:
    """Open the sweep written to ``root`` by ``negosim sweep``."""
    root = Path(root)
    manifest = read_manifest(root)
    if manifest is None:
        raise FileNotFoundError(f"{root} holds no sweep (no manifest.json)")
    return Sweep(root, manifest)
