"""Japan's leader types and how any side's concession settings are read.

The sitting leader is one of ``politics.leader_types`` (named by ``politics.leader``), so
every per-leader value (priorities, ideal points, reservation, concession) has exactly one
place in a scenario. The core indexes leaders by their position in ``leader_types``.

:func:`concession_curve` is the one place where a concession's ``params`` are read, so that
when each style declares its own parameter model the change stays in one function.
"""

from __future__ import annotations

from dataclasses import dataclass

from negosim.core.concession import CONCESSION_STYLES, ConcessionStyle
from negosim.schema import ConcessionSpec, ScenarioSpec

#: k of Faratin et al. (1998): the fraction of the way to the reservation conceded at t = 0.
DEFAULT_K = 0.05


@dataclass(frozen=True)
class ConcessionCurve:
    """A concession style with its parameters read: the family, e and k of f(t)."""

    style: ConcessionStyle
    e: float
    k: float


def concession_curve(spec: ConcessionSpec) -> ConcessionCurve:
    """Read a concession spec: ``e`` defaults to the style's own, ``k`` to 0.05."""
    style = CONCESSION_STYLES[spec.style]
    return ConcessionCurve(
        style, float(spec.params.get("e", style.default_e)), spec.params.get("k", DEFAULT_K)
    )


def leader_index(spec: ScenarioSpec, name: str) -> int:
    """Index of leader type ``name``: its position in ``politics.leader_types``."""
    return list(spec.politics.leader_types).index(name)


def sitting_leader(spec: ScenarioSpec) -> int:
    """Index of the sitting leader (``politics.leader``) among the leader types."""
    return leader_index(spec, spec.politics.leader)
