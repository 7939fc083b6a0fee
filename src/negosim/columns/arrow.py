"""Arrow tables and pandas frames of recorded columns, through :func:`encoding.encode`.

Parquet files, a sweep's chunks and ``outcomes.round_frame``/``run_frame`` all come from
:func:`arrow_table`, so they agree on every encoding and carry the same field metadata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import pandas as pd
import pyarrow as pa
from numpy.typing import NDArray

from negosim.columns.declared import Column
from negosim.columns.encoding import Encoded, encode, field_metadata

_ARROW = {
    "float64": pa.float64(),
    "int64": pa.int64(),
    "uint64": pa.uint64(),
    "bool": pa.bool_(),
    "string": pa.string(),
}
_PANDAS = {
    "float64": "float64",
    "int64": "int64",
    "uint64": "uint64",
    "bool": "bool",
    "string": "str",
}


def _arrow_type(column: Column) -> pa.DataType:
    if column.dtype == "category":
        index = pa.int8() if len(column.labels) < 128 else pa.int32()
        return pa.dictionary(index, pa.string())
    return _ARROW[column.dtype]


def _pandas_dtype(column: Column) -> object:
    if column.dtype == "category":
        return pd.CategoricalDtype(list(column.labels))
    if column.dtype == "int64" and column.nullable:
        return pd.Int64Dtype()
    return _PANDAS[column.dtype]


@lru_cache(maxsize=256)
def schema(columns: tuple[Column, ...]) -> pa.Schema:
    """The Arrow schema of ``columns``: field metadata, and pandas' dtypes.

    The pandas part makes ``pandas.read_parquet`` give categoricals for codes and nullable
    ``Int64`` (``<NA>``) for a missing integer, as :func:`frame` does, with no negosim.
    """
    fields = [
        pa.field(c.name, _arrow_type(c), nullable=True, metadata=field_metadata(c)) for c in columns
    ]
    empty = pd.DataFrame({c.name: pd.Series([], dtype=_pandas_dtype(c)) for c in columns})
    pandas_meta = pa.Schema.from_pandas(empty, preserve_index=False).metadata
    return pa.schema(fields, metadata=pandas_meta)


def _arrow_array(item: Encoded, kind: pa.DataType) -> pa.Array:
    if item.column.dtype == "category":
        dictionary = pa.array(list(item.column.labels), type=pa.string())
        return pa.DictionaryArray.from_arrays(
            pa.array(item.values, type=kind.index_type), dictionary
        )
    values = item.values.tolist() if item.values.dtype == object else item.values
    return pa.array(values, type=kind, mask=item.null)


def arrow_table(values: Mapping[str, NDArray], columns: Sequence[Column]) -> pa.Table:
    """The Arrow table of recorded ``values`` for the declared ``columns`` (in their order)."""
    declared = tuple(columns)
    shape = schema(declared)
    arrays = [
        _arrow_array(item, shape.field(i).type) for i, item in enumerate(encode(values, declared))
    ]
    return pa.Table.from_arrays(arrays, schema=shape)


def frame(values: Mapping[str, NDArray], columns: Sequence[Column]) -> pd.DataFrame:
    """A pandas DataFrame: categoricals for codes, ``Int64`` with ``<NA>``, floats as-is."""
    return arrow_table(values, columns).to_pandas()
