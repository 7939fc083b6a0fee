"""Which design points of A are set against which of B: matched by parameter values.

The **matching key** is every parameter both designs vary that neither side's selection
fixes. Two sweeps of one design (say, the same grid over ω on two base scenarios) are
compared point by point: A's ω = 0.5 against B's ω = 0.5. A selection fixes what is
contrasted (``--a-point china.omega=0 --b-point china.omega=1`` sets ω = 0 against ω = 1
at every other parameter value); when it fixes every parameter, one point is set against
one point.

When a side still has several points for one key value (it varies a parameter the other
does not, or the key is empty and it has several points), pointwise matching is
impossible: the comparison is refused, naming that parameter, unless ``pool`` asks to
compare all of those points' runs together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from negosim.compare.errors import IncomparableError
from negosim.compare.sides import POINT, Side

Key = tuple[object, ...]


@dataclass(frozen=True)
class Match:
    """One comparison of the table: A's points against B's for one value of the key."""

    key: dict[str, object]
    a_points: tuple[int, ...]
    b_points: tuple[int, ...]

    @property
    def label(self) -> str:
        """``china.omega=0.5`` (the key's values), or ``all runs`` for an empty key."""
        return self.short_label({})

    def short_label(self, names: dict[str, str]) -> str:
        """The label with each parameter under its name in ``names`` (figures)."""
        if not self.key:
            return "all runs"
        return ", ".join(f"{names.get(p, p)}={_shown(v)}" for p, v in self.key.items())

    @property
    def pooled(self) -> bool:
        """Whether a side contributes several points' runs to this comparison."""
        return len(self.a_points) > 1 or len(self.b_points) > 1


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _normal(value: object) -> object:
    """A value made comparable across files: numbers (1 and 1.0 alike) to 12 digits."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(f"{float(value):.12g}")
    return str(value)


def matching_key(a: Side, b: Side) -> list[str]:
    """Parameters both designs vary and neither selection fixes, in A's order.

    Choosing a point by index (``point=3``) fixes every parameter of that side.
    """
    fixed = {*a.selection, *b.selection}
    for side in (a, b):
        if POINT in side.selection:
            fixed |= set(side.parameters)
    return [p for p in a.parameters if p in b.parameters and p not in fixed]


def _groups(side: Side, key: list[str]) -> dict[Key, tuple[int, ...]]:
    groups: dict[Key, list[int]] = {}
    for _, row in side.points.iterrows():
        groups.setdefault(tuple(_normal(row[p]) for p in key), []).append(int(row[POINT]))
    return {k: tuple(v) for k, v in groups.items()}


def _varying(side: Side, key: list[str]) -> list[str]:
    """Parameters of the side, outside the key, that take several values among its points."""
    return [
        p
        for p in side.parameters
        if p not in key and p in side.points and side.points[p].nunique(dropna=False) > 1
    ]


def match_points(a: Side, b: Side, pool: bool = False) -> tuple[list[Match], list[str]]:
    """The comparisons to make, and notes on points left without a counterpart."""
    key = matching_key(a, b)
    groups_a, groups_b = _groups(a, key), _groups(b, key)
    if not pool:
        for side, groups, option in ((a, groups_a, "--a-point"), (b, groups_b, "--b-point")):
            if any(len(points) > 1 for points in groups.values()):
                varying = _varying(side, key) or ["point"]
                raise IncomparableError(
                    f"{side.name} ({side.sweep.root}) has several design points for each "
                    f"{'value of ' + ', '.join(key) if key else 'comparison'}: they differ in "
                    f"{', '.join(varying)}, which "
                    + ("the other sweep does not vary" if key else "is not matched")
                    + f". Fix it with {option} {varying[0]}=VALUE, or compare all those "
                    "runs together with --pool"
                )
    matches = [
        Match(dict(zip(key, values, strict=True)), groups_a[values], groups_b[values])
        for values in groups_a
        if values in groups_b
    ]
    if not matches:
        raise IncomparableError(
            f"the designs share no point: A's and B's values of {', '.join(key)} never "
            "coincide. Choose one point of each with --a-point/--b-point "
            "(e.g. --a-point point=0 --b-point point=0), or compare all runs with --pool"
            if key
            else "nothing to compare"
        )
    notes = []
    for side, groups, other in ((a, groups_a, groups_b), (b, groups_b, groups_a)):
        left = [v for v in groups if v not in other]
        if left:
            notes.append(
                f"{len(left)} of {len(groups)} design points of {side.name} have no "
                f"counterpart in the other sweep (by {', '.join(key)}) and are not compared"
            )
    return matches, notes
