"""Two sweeps (or points of them) side by side: differences, tests, effects, figures.

From Python::

    from negosim.compare import compare, write_comparison

    comparison = compare("runs/threat_low", "runs/threat_high")
    comparison.paired              # runs share seeds replicate by replicate?
    comparison.table               # one row per outcome and matched point, ranked
    comparison.distribution_figure("final_tariff")
    write_comparison(comparison, "runs/threat_compare")   # CSV, Markdown, figures

The command is ``negosim compare DIR_A DIR_B``; docs/compare.md explains every statistic.
"""

from negosim.compare.comparison import Comparison, compare
from negosim.compare.errors import (
    CompareError,
    IncomparableError,
    SelectionError,
    UnreadableSweepError,
)
from negosim.compare.write import write_comparison

__all__ = [
    "CompareError",
    "Comparison",
    "IncomparableError",
    "SelectionError",
    "UnreadableSweepError",
    "compare",
    "write_comparison",
]
