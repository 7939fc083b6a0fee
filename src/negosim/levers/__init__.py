"""The lever table: what each scenario lever should move, by the cited theory, and what it does.

- :mod:`negosim.levers.spec` reads and checks a lever table file (``experiments/levers.yaml``);
- :mod:`negosim.levers.outcomes` says what a row can measure (run columns, derived outcomes);
- :mod:`negosim.levers.measure` runs both settings of a lever on the same seeds;
- :mod:`negosim.levers.stats` turns the pairs into an effect with a 95 % interval and a verdict;
- :mod:`negosim.levers.render` writes docs/levers.md.
"""

from negosim.levers.measure import RowResult, measure_lever, measure_table
from negosim.levers.render import Provenance, render
from negosim.levers.spec import MARKER, Lever, LeverTable, Row, load_levers
from negosim.levers.stats import Effect, paired_effect, verdict

__all__ = [
    "MARKER",
    "Effect",
    "Lever",
    "LeverTable",
    "Provenance",
    "Row",
    "RowResult",
    "load_levers",
    "measure_lever",
    "measure_table",
    "paired_effect",
    "render",
    "verdict",
]
