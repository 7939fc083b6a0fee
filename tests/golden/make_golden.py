"""Regenerate the golden outputs: per-round and per-run tables of every shipped scenario.

Run it only when the model's behaviour is meant to change (say why in the commit):
``.venv/bin/python tests/golden/make_golden.py [SCENARIO ...]`` regenerates the named
scenarios (all shipped ones by default), so a change that affects one preset rewrites only its
files. ``tests/test_golden.py`` compares the current model with these files value for value.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))

from golden_tables import SCENARIOS, SEEDS, canonical_tables  # noqa: E402


def main(names: list[str]) -> None:
    """Write ``<scenario>.runs.parquet`` and ``<scenario>.rounds.parquet`` beside this file."""
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        raise SystemExit(f"not a golden scenario: {', '.join(unknown)} (known: {SCENARIOS})")
    for name in names or SCENARIOS:
        runs, rounds = canonical_tables(ROOT / "configs" / f"{name}.yaml", SEEDS)
        for kind, table in (("runs", runs), ("rounds", rounds)):
            path = HERE / f"{name}.{kind}.parquet"
            pq.write_table(pa.table(table), path, compression="zstd", compression_level=19)
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main(sys.argv[1:])
