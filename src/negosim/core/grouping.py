"""Grouping replicates by the values that decide a computation (docs/model.md §9)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


def group_keys(*columns: F64 | I64) -> tuple[F64, I64]:
    """Distinct rows of the grouping columns and each replicate's row number.

    Each column is coded by a 1-D ``np.unique`` and the codes are combined into one integer
    key, which is much faster than ``np.unique(axis=0)`` on float rows.
    """
    key = np.zeros(len(columns[0]), dtype=np.int64)
    span = 1  # the key's values are below this
    for column in columns:
        column = np.asarray(column, dtype=np.float64)
        if not len(column) or (column == column[0]).all():
            continue  # a constant column (often the belief, or the restriction) adds nothing
        values, codes = np.unique(column, return_inverse=True)
        if span * len(values) >= 2**62:  # re-number the key densely (same order) first
            distinct, key = np.unique(key, return_inverse=True)
            key, span = key.reshape(-1).astype(np.int64), len(distinct)
        key = key * len(values) + codes.reshape(-1)
        span *= len(values)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    stacked = np.stack([np.asarray(c, dtype=np.float64)[first] for c in columns], axis=1)
    return stacked, inverse.reshape(-1)


def split_groups(inverse: I64, count: int) -> list[I64]:
    """Member indices of each group, in one stable sort rather than a scan per group."""
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(1, count))
    return np.split(order, bounds)
