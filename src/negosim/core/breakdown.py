"""Each side's utility of a package, told issue by issue on the common scale (model.md §2).

A student asking "why did Japan reject that?" needs to see where a package's value comes
from. Utilities are additive over issues, plus Japan's security term, and the common scale
[0, 1] is affine, with its zero at the side's worst package on the grid. That zero is a sum
of per-issue minima (the grid is the product of the issues' levels), plus, for Japan, w_sec
times the lowest security (:func:`negosim.core.utility.lowest_security`). So a utility splits
exactly into

    U' = Σ_k a (u_k(x_k) - min u_k)  +  a w_sec (Sec_J - Sec_min),

each issue's contribution above its own worst level (0 at the worst level, at most
a (max u_k - min u_k)) and Japan's security above its worst. The split reads the tables the
model decides with (``UtilityTables``: the per-issue contributions u_k = w_k v_k, for the US
with its commitment cost and headline term, and the scale's factor a) and the security terms
of :func:`negosim.core.utility.security_terms`, so it sums to the model's own utility.

Japan's security term is Snyder's (1984) alliance security dilemma: Sec_J = 1 - γ_A Ab -
γ_E En with Ab = ψ (1 - κ)(1 - m). Its abandonment part splits additively as
-γ_A Ab = -γ_A ψ + γ_A ψ κ + γ_A ψ (1 - κ) m: China's threat ψ takes security away, the
credibility κ of the US commitment (the commitment level s, discounted by the belief ρ̂ that
the US reverses) gives part of it back, and self-reliance m (the defense budget d) hedges
part of what is left. Entrapment En (operational commitments and a Taiwan contingency)
takes away γ_E En.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.core.utility import UtilityTables

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclass(frozen=True)
class SecurityBreakdown:
    """Japan's security term for some packages, on Japan's common scale (one entry each).

    ``best`` is the most security can add (Sec_J = 1); ``value = best + threat +
    credibility_offset + self_reliance_offset + entrapment`` exactly (the last three terms
    and ``threat`` are signed: threat and entrapment ≤ 0, the offsets ≥ 0).
    """

    threat_level: F64  # ψ
    credibility: F64  # κ
    self_reliance: F64  # m
    abandonment: F64  # Ab = ψ (1 - κ)(1 - m)
    entrapment_level: F64  # En
    best: F64
    threat: F64
    credibility_offset: F64
    self_reliance_offset: F64
    entrapment: F64
    value: F64


@dataclass(frozen=True)
class UtilityBreakdown:
    """A side's utility of packages split by issue; ``total`` is the model's utility.

    ``issues`` has one column per issue (grid order): its contribution above its worst
    level; ``issue_max`` the most each issue can contribute; ``security`` is Japan's term
    (None for the US).
    """

    issues: F64
    issue_max: F64
    security: SecurityBreakdown | None

    @property
    def total(self) -> F64:
        """Σ issues (+ security): the side's utility on the common scale."""
        total = self.issues.sum(axis=1)
        return total if self.security is None else total + self.security.value


def _issue_parts(parts: tuple[F64, ...], levels: I64, scale: float) -> tuple[F64, F64]:
    """Per package and issue a (u_k(x_k) - min u_k), and per issue a (max u_k - min u_k)."""
    lows = np.array([part.min() for part in parts])
    highs = np.array([part.max() for part in parts])
    taken = np.stack([parts[k][levels[:, k]] for k in range(len(parts))], axis=1)
    return scale * (taken - lows), scale * (highs - lows)


def us_breakdown(tables: UtilityTables, levels: I64) -> UtilityBreakdown:
    """U_U of packages (level indices, shape (n, issues)) split by issue (docs/model.md §2).

    The commitment's contribution includes the US's cost c_s per level, the investment's
    its headline term, as in :func:`negosim.core.utility.us_contributions`.
    """
    issues, most = _issue_parts(tables.us_contributions, levels, tables.us_scale)
    return UtilityBreakdown(issues, most, None)


def japan_breakdown(
    tables: UtilityTables, leader: int, levels: I64, threat: float, reversal_belief: float
) -> UtilityBreakdown:
    """U_J of packages for one leader type and one belief (ψ, ρ̂), split by issue (§2).

    ``levels`` holds level indices, shape (n, issues); the security term is that of
    :meth:`UtilityTables.security_at`, on the leader type's common scale.
    """
    scale = float(tables.japan_scale[leader])
    issues, most = _issue_parts(tables.japan_contributions[leader], levels, scale)
    b, _ = tables.grid.split(levels)
    psi, rho = np.float64(threat), np.float64(reversal_belief)
    terms = tables.security_at(b, psi, rho)
    spec = tables.security
    weight = float(tables.security_weight[leader])  # a w_sec
    hedge = weight * spec.gamma_abandonment * psi
    value = weight * (terms.security - tables.worst_security)
    security = SecurityBreakdown(
        threat_level=np.full(len(b), psi),
        credibility=terms.credibility,
        self_reliance=terms.self_reliance,
        abandonment=terms.abandonment,
        entrapment_level=terms.entrapment,
        best=np.full(len(b), weight * (1.0 - tables.worst_security)),
        threat=np.full(len(b), -hedge),
        credibility_offset=hedge * terms.credibility,
        self_reliance_offset=hedge * (1.0 - terms.credibility) * terms.self_reliance,
        entrapment=-weight * spec.gamma_entrapment * terms.entrapment,
        value=value,
    )
    return UtilityBreakdown(issues, most, security)
