"""One conversion from recorded columns to stored ones, for every file and frame.

The model keeps fast numpy arrays: codes as small integers, "no deal" as -1, "no offer" as
NaN. Whoever reads a file should not need to know that, so everything that leaves the
process goes through :func:`encode`: codes become labelled categories (Arrow dictionary
columns with the column's full label list, so every chunk of a sweep shares one
dictionary), and values a column declares missing-able (a negative integer, a NaN float)
become nulls. A NaN in a float column that is *not* declared missing-able stays NaN: it is
a computed value, and hiding it would hide a bug. Parquet, CSV, summary.json and the
pandas frames (:mod:`negosim.columns.arrow`) are thin sinks over the same
:class:`Encoded` columns. This module needs only numpy, so the CSV fallback works without
pyarrow.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.columns.declared import Column


@dataclass(frozen=True)
class Encoded:
    """A column ready to store: values (category indices into the labels) and a null mask."""

    column: Column
    values: NDArray
    null: NDArray[np.bool_] | None

    def python(self) -> list[object]:
        """Plain Python values: labels for categories, None for missing (CSV, JSON)."""
        labels = self.column.labels
        values = [labels[i] for i in self.values] if labels else self.values.tolist()
        if self.null is not None:
            values = [None if missing else v for v, missing in zip(values, self.null, strict=True)]
        return values


def _category(column: Column, values: NDArray) -> NDArray[np.int8 | np.int32]:
    """Indices into ``column.labels`` of in-memory codes (integers) or labels (strings)."""
    index = {label: i for i, label in enumerate(column.labels)}
    kind = np.int8 if len(column.labels) < 128 else np.int32
    if values.dtype.kind in "iu":
        codes = column.codes or column.labels
        lookup = np.array([index[label] for label in codes], dtype=kind)
        return lookup[values]
    try:
        return np.array([index[v] for v in values.tolist()], dtype=kind)
    except KeyError as err:
        raise ValueError(
            f"{column.name}: {err.args[0]!r} is not one of its labels {column.labels}"
        ) from None


def encode_column(column: Column, values: NDArray) -> Encoded:
    """The stored form of one recorded column (see the module docstring for the rules)."""
    values = np.asarray(values)
    if column.dtype == "category":
        return Encoded(column, _category(column, values), None)
    null = None
    if column.nullable and values.dtype.kind == "f":
        null = np.isnan(values)
    elif column.nullable and values.dtype.kind == "i":
        null = values < 0
    if column.dtype == "string":
        values = np.array(["" if v is None else str(v) for v in values.tolist()], dtype=object)
    if null is not None and not null.any():
        null = None
    return Encoded(column, values, null)


def encode(values: Mapping[str, NDArray], columns: Sequence[Column]) -> list[Encoded]:
    """Every declared column of ``columns`` in their order, in its stored form."""
    return [encode_column(c, values[c.name]) for c in columns]


def field_metadata(column: Column) -> dict[str, str]:
    """What a file says about a column: table, unit, meaning, missing, labels (JSON)."""
    meta = {"table": column.table, "unit": column.unit, "meaning": column.meaning}
    if column.missing:
        meta["missing"] = column.missing
    if column.labels:
        words = column.label_meanings or column.labels
        meta["labels"] = json.dumps(dict(zip(column.labels, words, strict=True)))
    return meta


def python_rows(
    values: Mapping[str, NDArray], columns: Sequence[Column]
) -> list[dict[str, object]]:
    """One dict per row with plain Python values (labels, None for missing): JSON and CSV."""
    encoded = encode(values, columns)
    names = [item.column.name for item in encoded]
    return [
        dict(zip(names, row, strict=True))
        for row in zip(*(e.python() for e in encoded), strict=True)
    ]
