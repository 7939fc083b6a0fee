"""The outcomes two sweeps share: per-run columns both store, with one kind and one unit.

What a column is comes from the files, which carry the declared column table
(:mod:`negosim.columns`): its Arrow type says its kind (true/false, number, labelled
category), its field metadata its unit, meaning and labels. The row keys (``point``,
``replicate``, ``seed``; :func:`negosim.columns.key_names`) are not outcomes.

- a true/false column is a **share** (its rate is compared);
- a number is **numeric** (its mean and its distribution are compared);
- a labelled category becomes one share per label ("final_status = in force"), so "where
  the talks ended" is compared as the rate of each ending;
- a column stored with another kind or unit on the other side is not compared, and the
  comparison says so (a sweep over a scenario with other issues, or another model version).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

from negosim.columns import key_names
from negosim.compare.errors import IncomparableError, SelectionError, UnreadableSweepError
from negosim.compare.sides import Side
from negosim.scenario.problems import did_you_mean

Kind = Literal["numeric", "share"]


@dataclass(frozen=True)
class Outcome:
    """One compared quantity: a column, or one label of a category column."""

    column: str
    kind: Kind
    unit: str
    meaning: str
    label: str | None = None  # for a category: the label whose rate is compared
    missing: str = ""  # what a missing value means (e.g. "no deal in the run")

    @property
    def name(self) -> str:
        """``final_tariff``, or ``final_status = in force`` for a label of a category."""
        return self.column if self.label is None else f"{self.column} = {self.label}"

    def values(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        """The outcome of each run of ``frame`` as floats (shares 0/1), NaN where missing."""
        column = frame[self.column]
        if self.label is not None:
            hit = (column.astype(object) == self.label).to_numpy(dtype=np.float64)
            hit[column.isna().to_numpy()] = np.nan
            return hit
        return column.to_numpy(dtype=np.float64, na_value=np.nan)


@dataclass(frozen=True)
class _Stored:
    kind: Literal["numeric", "share", "category", "string"]
    unit: str
    meaning: str
    labels: tuple[str, ...]
    missing: str


def _schema(side: Side) -> pa.Schema:
    first = min((side.sweep.root / "runs").glob("part-*.parquet"))
    try:
        return pq.read_schema(first)
    except (OSError, pa.ArrowInvalid) as err:
        raise UnreadableSweepError(f"{first}: not a readable Parquet file ({err})") from None


def _stored(side: Side) -> dict[str, _Stored]:
    """Every outcome column of the side's runs files, in file order."""
    keys = set(key_names("run"))
    found: dict[str, _Stored] = {}
    for f in _schema(side):
        if f.name in keys:
            continue
        meta = {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}
        if "unit" not in meta:
            raise UnreadableSweepError(
                f"{side.sweep.root}: column {f.name!r} carries no unit (an older results "
                "format); re-run the experiment with this version of negosim"
            )
        if pa.types.is_boolean(f.type):
            kind = "share"
        elif pa.types.is_dictionary(f.type):
            kind = "category"
        elif pa.types.is_integer(f.type) or pa.types.is_floating(f.type):
            kind = "numeric"
        else:
            kind = "string"
        labels = tuple(json.loads(meta["labels"])) if "labels" in meta else ()
        found[f.name] = _Stored(
            kind,  # type: ignore[arg-type]
            meta["unit"],
            meta.get("meaning", ""),
            labels,
            meta.get("missing", ""),
        )
    return found


def shared_outcomes(
    a: Side, b: Side, wanted: list[str] | None = None
) -> tuple[list[Outcome], list[str]]:
    """The outcomes both sides store (``wanted`` only, when given) and notes on the others."""
    stored_a, stored_b = _stored(a), _stored(b)
    notes: list[str] = []
    outcomes: list[Outcome] = []
    if wanted:
        unknown = [w for w in wanted if w not in stored_a or w not in stored_b]
        if unknown:
            both = [c for c in stored_a if c in stored_b]
            raise SelectionError(
                f"--outcomes: {', '.join(unknown)} not stored by both sweeps"
                + did_you_mean(unknown[0], both)
                + f" (shared columns: {', '.join(both) or 'none'})"
            )
    only = [c for c in stored_a if c not in stored_b] + [c for c in stored_b if c not in stored_a]
    if only and not wanted:
        notes.append("not stored by both sweeps, not compared: " + ", ".join(only))
    for column, sa in stored_a.items():
        sb = stored_b.get(column)
        if sb is None or (wanted and column not in wanted):
            continue
        if sa.kind != sb.kind or sa.unit != sb.unit:
            notes.append(
                f"{column}: stored as {sa.kind} [{sa.unit}] in A and {sb.kind} [{sb.unit}] "
                "in B, not compared"
            )
            continue
        if sa.kind == "string":
            continue  # free text (e.g. a round's events) has no rate or mean
        if sa.kind == "category":
            labels = [label for label in sa.labels if label in sb.labels]
            missing = [label for label in (*sa.labels, *sb.labels) if label not in labels]
            if missing:
                notes.append(
                    f"{column}: labels of one side only, not compared: {', '.join(missing)}"
                )
            outcomes += [Outcome(column, "share", "", sa.meaning, label) for label in labels]
        else:
            outcomes.append(
                Outcome(column, sa.kind, sa.unit, sa.meaning, missing=sa.missing)  # type: ignore[arg-type]
            )
    if not outcomes:
        raise IncomparableError(
            f"the sweeps share no outcome: {a.sweep.root} and {b.sweep.root} store no per-run "
            "column with the same kind and unit (see each experiment's keep.runs)"
        )
    return outcomes, notes
