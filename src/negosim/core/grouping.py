"""Grouping replicates by the values that decide a computation (docs/model.md §9)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


def group_keys(*columns: F64 | I64) -> tuple[F64, I64]:
    """Distinct rows of the grouping columns, in lexicographic order, and each row's number.

    The same as ``np.unique(np.stack(columns, 1), axis=0, return_inverse=True)`` (NaNs
    equal, as there), in one stable lexsort: a group starts where any column changes. Each
    distinct row's values are those of its first occurrence.
    """
    cols = [np.asarray(column, dtype=np.float64) for column in columns]
    n = len(cols[0])
    if not n:
        return np.zeros((0, len(cols))), np.zeros(0, dtype=np.int64)
    order = np.lexsort(cols[::-1])  # lexsort's last key is its primary one
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    for column in cols:
        ranked = column[order]
        changed = ranked[1:] != ranked[:-1]
        if changed.any():
            changed &= ~(np.isnan(ranked[1:]) & np.isnan(ranked[:-1]))
            starts[1:] |= changed
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(starts) - 1
    first = order[starts]
    return np.stack([column[first] for column in cols], axis=1), inverse
