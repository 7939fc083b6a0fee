"""Japan's leader types and how any side's concession settings are read.

The sitting leader is one of ``politics.leader_types`` (named by ``politics.leader``), so
every per-leader value (priorities, ideal points, reservation, concession) has exactly one
place in a scenario. The core indexes leaders by their position in ``leader_types``.

:func:`concession_curve` is the one place where a concession's ``params`` are read: the
style's own parameter model validates them and fills its defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.core.concession import CONCESSION_STYLES, ConcessionStyle
from negosim.registry import Parameters
from negosim.schema import ConcessionSpec, ScenarioSpec

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class ConcessionCurve:
    """A concession style with its parameters validated by the style's own model."""

    style: ConcessionStyle
    params: Parameters

    @property
    def e(self) -> float:
        """E of a Faratin style (the parameter the weak-government rule replaces); NaN if none.

        Behaviour-dependent styles (tit-for-tat) have no e: the rule leaves them alone.
        """
        return float(getattr(self.params, "e", np.nan))

    @property
    def k(self) -> float:
        """K of a Faratin style."""
        return float(self.params.k)  # type: ignore[attr-defined]

    @property
    def has_e(self) -> bool:
        """Whether the style has a concession exponent e."""
        return "e" in type(self.params).model_fields

    def values(self, n: int, **replaced: F64) -> dict[str, F64]:
        """Every parameter as one value per replicate, with ``replaced`` ones swapped in.

        A replacement for a parameter the style does not have (e for a tit-for-tat) is
        dropped.
        """
        values = {name: np.full(n, v) for name, v in self.params.model_dump().items()}
        return values | {name: v for name, v in replaced.items() if name in values}


def concession_curve(spec: ConcessionSpec) -> ConcessionCurve:
    """Read a concession spec: the style's parameters with its own defaults (e.g. e, k)."""
    style = CONCESSION_STYLES[spec.style]
    return ConcessionCurve(style, style.parameters(spec.params))


def leader_index(spec: ScenarioSpec, name: str) -> int:
    """Index of leader type ``name``: its position in ``politics.leader_types``."""
    return list(spec.politics.leader_types).index(name)


def sitting_leader(spec: ScenarioSpec) -> int:
    """Index of the sitting leader (``politics.leader``) among the leader types."""
    return leader_index(spec, spec.politics.leader)
