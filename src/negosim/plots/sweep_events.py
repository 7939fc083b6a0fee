"""Events whose probability a sweep chart shows: "deal by round 6", "China reaches level 4".

An event is a comparison of one per-run outcome with a number, written as a reader would
(``first_deal_round <= 6``, ``china_max_level >= 4``). A missing value means the event
did not happen: a run without a deal has no first-deal round, so it did not deal by round
6. Each run counts once, so a probability is events over runs and its Wilson interval
(:func:`negosim.sweep.stats.wilson_interval`) is the binomial one.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from negosim.plots.sweep_labels import format_value, outcome_title

_OPS: Final[Mapping[str, Callable[[np.ndarray, float], np.ndarray]]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_SIGNS: Final[Mapping[str, str]] = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠"}
_PATTERN: Final = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(-?[0-9.]+)\s*$")


@dataclass(frozen=True)
class Event:
    """``column op value`` for one run; ``title`` names it on a chart."""

    column: str
    op: str
    value: float
    title: str = field(default="", compare=False)

    def holds(self, values: np.ndarray) -> np.ndarray:
        """Whether the event happened in each run (False where the value is missing)."""
        with np.errstate(invalid="ignore"):
            return _OPS[self.op](values, self.value) & ~np.isnan(values)

    @property
    def name(self) -> str:
        """A file-name-safe name (``first_deal_round-le-6``)."""
        words = {">=": "ge", "<=": "le", ">": "gt", "<": "lt", "==": "eq", "!=": "ne"}
        return f"{self.column}-{words[self.op]}-{format_value(self.value)}"

    @property
    def label(self) -> str:
        """What the chart calls its probability ("P(deal by round 6)")."""
        if self.title:
            return self.title
        sign = _SIGNS.get(self.op, self.op)
        return f"P({outcome_title(self.column)} {sign} {format_value(self.value)})"


def parse_event(text: str) -> Event:
    """``"china_max_level >= 4"`` → an :class:`Event`; a clear error for anything else."""
    match = _PATTERN.match(text)
    if match is None:
        raise ValueError(
            f"event {text!r}: write OUTCOME OP NUMBER, e.g. 'first_deal_round <= 6' "
            f"(OP one of {', '.join(_OPS)})"
        )
    column, op, value = match.groups()
    return Event(column, op, float(value))


def deal_by_round(month: int) -> Event:
    """A package ratified by round ``month`` (the first deal in months 1..month)."""
    return Event("first_deal_round", "<=", float(month), f"P(deal by round {month})")


def china_reaches(level: int, name: str) -> Event:
    """China climbs to ``level`` or higher at least once in the run."""
    words = f"level {level}: {name}" if name else f"level {level}"
    return Event("china_max_level", ">=", float(level), f"P(China reaches {words})")


def level_name(meaning: str, level: int) -> str:
    """China's name for ``level``, from the meaning of ``months_at_level_{level}``.

    The declaration reads "months China spent at level 4 (economic coercion (new import
    bans, ...))"; the name is the words before any further bracket.
    """
    marker = f"level {level} ("
    if marker not in meaning:
        return ""
    inner = meaning.split(marker, 1)[1]
    return inner.split(" (", 1)[0].rstrip(")").strip()
