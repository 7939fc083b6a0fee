"""The outcomes a lever row can measure: run-table columns and a few derived ones.

A row names a numeric or true/false per-run column of docs/columns.md (``deal_reached``,
``final_tariff``, ``japan_utility``, ...) or a derived outcome defined here:

- ``joint_utility`` = ``japan_utility + us_utility``: the joint gains that issue linkage is
  meant to create (Sebenius 1983; docs/model.md §4.3);
- ``deal_by_round_N`` = a package ratified in month N or earlier (1 or 0): an early deal,
  which the deadline effect makes rare (docs/model.md §4.6).

Each outcome comes with a validity mask: a missing value (``first_deal_round`` of a run
without a deal, a benchmark that does not exist) is never turned into a number, so a pair
counts only when both of its runs have the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.columns import declared
from negosim.scenario import Scenario
from negosim.scenario.problems import did_you_mean

F64 = NDArray[np.float64]
B = NDArray[np.bool_]
Columns = Mapping[str, NDArray]
_DEAL_BY = re.compile(r"^deal_by_round_(\d+)$")


@dataclass(frozen=True)
class Derived:
    """A derived outcome: the run columns it reads and how it is computed from them."""

    needs: tuple[str, ...]
    meaning: str
    compute: Callable[[Columns], tuple[F64, B]]


def _joint(c: Columns) -> tuple[F64, B]:
    value = np.asarray(c["japan_utility"], dtype=np.float64) + c["us_utility"]
    return value, np.isfinite(value)


DERIVED: dict[str, Derived] = {
    "joint_utility": Derived(("japan_utility", "us_utility"), "japan_utility + us_utility", _joint),
}


def _deal_by(month: int) -> Derived:
    def compute(c: Columns) -> tuple[F64, B]:
        first = np.asarray(c["first_deal_round"])
        value = (np.asarray(c["deal_reached"]) & (first >= 1) & (first <= month)).astype(float)
        return value, np.ones(value.shape, dtype=bool)

    return Derived(
        ("deal_reached", "first_deal_round"), f"a deal ratified by month {month} (1/0)", compute
    )


def derived(name: str) -> Derived | None:
    """The derived outcome called ``name``, or ``None`` if it is not one."""
    if name in DERIVED:
        return DERIVED[name]
    match = _DEAL_BY.match(name)
    return _deal_by(int(match.group(1))) if match and int(match.group(1)) >= 1 else None


def _numeric_columns(scenario: Scenario) -> dict[str, bool]:
    """Numeric and true/false run columns of ``scenario``, each with whether it may be missing."""
    return {
        c.name: c.nullable
        for c in declared(scenario, "run")
        if c.dtype not in ("category", "string") and not c.key
    }


def outcome_problem(name: str, scenario: Scenario) -> tuple[str, str] | None:
    """``(message, allowed)`` when ``name`` is not a measurable outcome of ``scenario``."""
    numeric = _numeric_columns(scenario)
    if name in numeric or derived(name) is not None:
        return None
    every = [c.name for c in declared(scenario, "run")]
    allowed = (
        "a numeric or true/false per-run column (negosim list columns) or a derived outcome: "
        + ", ".join([*DERIVED, "deal_by_round_N"])
    )
    if name in every:
        return "a category has no mean or paired difference", allowed
    return "not a per-run outcome" + did_you_mean(name, [*numeric, *DERIVED]), allowed


def needed_columns(name: str) -> tuple[str, ...]:
    """The run columns an outcome reads (a column reads itself)."""
    made = derived(name)
    return made.needs if made is not None else (name,)


def outcome_values(name: str, columns: Columns, nullable: bool) -> tuple[F64, B]:
    """The outcome per run as floats, and which runs have it.

    ``nullable`` says whether the run column may be missing (docs/columns.md "missing
    means"): a missing integer is held as a negative number, a missing float as NaN.
    """
    made = derived(name)
    if made is not None:
        return made.compute(columns)
    raw = np.asarray(columns[name])
    value = raw.astype(np.float64)
    valid = np.isfinite(value)
    if nullable and raw.dtype.kind in "iu":
        valid &= raw >= 0
    return np.where(valid, value, np.nan), valid


def nullable_columns(scenario: Scenario) -> frozenset[str]:
    """Run columns of ``scenario`` whose value may be missing."""
    return frozenset(name for name, null in _numeric_columns(scenario).items() if null)
