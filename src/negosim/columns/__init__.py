"""The declared outputs: every column a run records, its unit, meaning and stored form.

- :mod:`negosim.columns.table` is the table (one declaration per column or family);
- :mod:`negosim.columns.declared` expands it for a scenario and checks recorded columns;
- :mod:`negosim.columns.encoding` is the one conversion to stored values (numpy only), and
  :mod:`negosim.columns.arrow` builds Arrow tables and pandas frames from it;
- :mod:`negosim.columns.markdown` renders ``docs/columns.md`` and ``negosim list columns``.
"""

from negosim.columns.declared import (
    Column,
    NonFiniteResultError,
    UndeclaredColumnError,
    check_finite,
    check_recorded,
    declared,
    declared_for,
    key_names,
    outcome_names,
)
from negosim.columns.encoding import Encoded, encode, field_metadata, python_rows

__all__ = [
    "Column",
    "Encoded",
    "NonFiniteResultError",
    "UndeclaredColumnError",
    "check_finite",
    "check_recorded",
    "declared",
    "declared_for",
    "encode",
    "field_metadata",
    "key_names",
    "outcome_names",
    "python_rows",
]
