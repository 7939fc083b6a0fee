"""Golden outputs: the shipped scenarios give exactly the recorded tables, value for value.

The files in ``tests/golden/`` hold the per-run and per-round tables of every shipped
scenario for 200 seeds, in a canonical form that ignores how codes and missing values are
encoded (see ``golden_tables.py``). A refactor must leave them untouched; a deliberate model
change regenerates them with ``tests/golden/make_golden.py`` and says so in its commit.
"""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest

from conftest import CONFIGS, ROOT
from golden_tables import SCENARIOS, SEEDS, canonical_tables

GOLDEN = ROOT / "tests" / "golden"


def _same(expected: np.ndarray, actual: np.ndarray) -> bool:
    if expected.dtype == object or actual.dtype == object:
        return list(expected) == list(actual)
    return np.array_equal(expected, actual, equal_nan=True)


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_reproduces_its_golden_tables(name: str) -> None:
    runs, rounds = canonical_tables(CONFIGS / f"{name}.yaml", SEEDS)
    for kind, table in (("runs", runs), ("rounds", rounds)):
        golden = pq.read_table(GOLDEN / f"{name}.{kind}.parquet").to_pydict()
        assert sorted(table) == sorted(golden), f"{name}.{kind}: columns differ"
        differing = [
            column
            for column, values in golden.items()
            if not _same(np.array(values, dtype=table[column].dtype), table[column])
        ]
        assert not differing, f"{name}.{kind}: columns differ from the golden file: {differing}"
