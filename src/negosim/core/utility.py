"""Utilities of Japan and the United States over the outcome grid (docs/model.md §2).

Per-issue values are tabulated once per scenario: a few dozen numbers per issue, summed into
a state block (s, d) and a static block (every other issue). Japan's security term is the
only state-dependent part and is evaluated per (s, d) level, never per package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from negosim.core.admissible import red_line_mask
from negosim.core.credibility import credibility
from negosim.core.grid import OutcomeGrid
from negosim.core.leaders import ConcessionCurve, concession_curve
from negosim.core.politics import political_cost_tables
from negosim.schema import ScenarioSpec, SecuritySpec, ValueShape

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


def issue_value(
    values: F64, ideal: float, span: float, shape: ValueShape, status_quo: float
) -> F64:
    """``v(x) = clip(1 - (|x - x*|/R)^p, 0, 1)`` with optional loss aversion.

    The distance form is docs/model.md §2. Loss aversion follows prospect theory (Kahneman &
    Tversky 1979; λ ≈ 2.25 in Tversky & Kahneman 1992): value lost relative to the status quo
    package of the scenario counts λ times.
    """
    v = np.clip(1.0 - (np.abs(values - ideal) / span) ** shape.exponent, 0.0, 1.0)
    if shape.loss_aversion == 1.0:
        return v
    v_sq = float(np.clip(1.0 - (abs(status_quo - ideal) / span) ** shape.exponent, 0.0, 1.0))
    return np.where(v >= v_sq, v, v_sq - shape.loss_aversion * (v_sq - v))


@dataclass(frozen=True)
class SecurityTerms:
    """Japan's security dilemma terms for given packages and beliefs (Snyder 1984)."""

    credibility: F64
    abandonment: F64
    entrapment: F64
    security: F64
    #: m = μ (d - d_min)/(d_max - d_min), the hedge that self-reliance buys against abandonment.
    self_reliance: F64


def security_terms(
    s_fraction: F64,
    d_fraction: F64,
    s_value: F64,
    threat: F64,
    reversal_belief: F64,
    spec: SecuritySpec,
    entrapment_from: float,
) -> SecurityTerms:
    """Snyder's (1984) abandonment/entrapment trade-off, as specified in docs/model.md §2.

    κ = (s/s_max)(1 - ρ̂): a commitment is only as credible as the belief it will be kept;
    m = μ (d - d_min)/(d_max - d_min): self-reliance hedges abandonment;
    Ab = ψ (1 - κ)(1 - m); En = ε1 max(0, s - 3) π_TW: operational commitments entangle
    Japan in a Taiwan contingency; Sec = 1 - γ_A Ab - γ_E En.
    """
    kappa = credibility(s_fraction, reversal_belief)
    self_reliance = spec.self_reliance * d_fraction
    abandonment = threat * (1.0 - kappa) * (1.0 - self_reliance)
    entrapment = (
        spec.entrapment_scale * np.maximum(0.0, s_value - entrapment_from) * spec.taiwan_contingency
    )
    security = 1.0 - spec.gamma_abandonment * abandonment - spec.gamma_entrapment * entrapment
    return SecurityTerms(kappa, abandonment, entrapment, security, self_reliance)


def threat_perception(spec: SecuritySpec, coercion_threat: F64) -> F64:
    """ψ = ψ0 + ψ1 T̄: China's recent coercion raises the threat Japan perceives (model.md §2).

    T̄ is the mean rung weight of China's remembered levels (docs/model.md §5,
    :func:`negosim.core.china.threat_index`); with weights τ_c = c it is the mean level c̄.
    """
    return spec.threat_base + spec.threat_per_coercion * coercion_threat


@dataclass(frozen=True)
class Preference:
    """One side's (or leader type's) weights and per-issue value vectors."""

    weights: F64
    values: tuple[F64, ...]


def preference(
    grid: OutcomeGrid,
    priorities: dict[str, float],
    ideal: dict[str, float],
    shape: ValueShape,
) -> Preference:
    """Tabulate v_k over each issue's levels for one set of priorities and ideal points."""
    weights = np.array([priorities[a.name] for a in grid.axes], dtype=np.float64)
    values = tuple(
        issue_value(a.values, ideal[a.name], a.span, shape, a.spec.status_quo) for a in grid.axes
    )
    return Preference(weights, values)


def block_sums(grid: OutcomeGrid, weights: F64, values: tuple[F64, ...]) -> tuple[F64, F64]:
    """Σ_k w_k v_k split into the (s, d) block and the static block."""
    s, d = grid.state_levels()
    state = weights[grid.commitment] * values[grid.commitment][s]
    state = state + weights[grid.defense] * values[grid.defense][d]
    static = np.zeros(grid.n_static)
    for column, issue in enumerate(grid.static_issues):
        static = static + weights[issue] * values[issue][grid.static_levels()[:, column]]
    return state, static


def lowest_security(spec: SecuritySpec, top_coercion_threat: float) -> float:
    """A lower bound of Sec_J over every package and belief: ψ at its top, κ = m = 0.

    Sec_J = 1 - γ_A ψ (1 - κ)(1 - m) - γ_E En is smallest at the highest threat China can
    pose (its threat index at the top rung's weight), no credible commitment, no
    self-reliance and the most entanglement the grid allows (docs/model.md §2).
    """
    top_threat = spec.threat_base + spec.threat_per_coercion * top_coercion_threat
    top_entrapment = spec.entrapment_scale * 1.0 * spec.taiwan_contingency  # s_max - (s_max - 1)
    return 1.0 - spec.gamma_abandonment * top_threat - spec.gamma_entrapment * top_entrapment


def threat_range(spec: SecuritySpec, threat_weights: list[float]) -> tuple[float, float]:
    """The lowest and highest ψ = ψ0 + ψ1 T̄ China's threat index T̄ can produce.

    T̄ is a mean of rung weights, so it lies between the smallest and the largest weight.
    """
    ends = [
        threat_perception(spec, np.float64(w)) for w in (min(threat_weights), max(threat_weights))
    ]
    return float(min(ends)), float(max(ends))


def common_scale(low: float, high: float) -> tuple[float, float]:
    """(offset, factor) mapping [low, high] onto [0, 1]: u' = factor (u - offset).

    negosim's common utility scale (docs/model.md §2): 0 is the side's worst package on the
    grid (for Japan with the worst security it could face), 1 its best. An affine map
    changes no decision (targets, acceptance, the trade-off argmax, Nash and
    Kalai–Smorodinsky are all affine-invariant); it makes utilities comparable across sides
    and leader types, and ΔU in approval a share of the side's whole range.
    """
    span = high - low
    return low, (1.0 / span if span > 0 else 1.0)


@dataclass(frozen=True)
class UtilityTables:
    """Everything about utilities that does not change during a run.

    Japan's tables have one row per leader type, in ``politics.leader_types`` order; the
    state's ``leader`` indexes them (and ``type_names``, ``type_e``, ...).

    Both sides' utilities are on the common scale [0, 1] (docs/model.md §2): Japan's rows
    and ``security_weight`` are pre-scaled per leader type, the US tables once.
    """

    grid: OutcomeGrid
    type_names: tuple[str, ...]
    type_concession: tuple[ConcessionCurve, ...]
    type_e: F64
    japan_state: F64
    japan_static: F64
    us_state: F64
    us_static: F64
    cost_state: F64
    cost_static: F64
    s_fraction: F64
    d_fraction: F64
    s_value: F64
    security_weight: F64
    security: SecuritySpec
    entrapment_from: float
    japan_contributions: tuple[tuple[F64, ...], ...]
    us_contributions: tuple[F64, ...]
    linkage_japan: float
    linkage_us: float
    red_lines: tuple[NDArray[np.bool_], ...]
    #: (lowest, highest) threat perception ψ China's threat index can produce (§2, §5).
    threat_range: tuple[float, float] = (0.0, 1.0)
    #: The common scale's factor a of U' = a (U - offset) (§2; per leader type for Japan):
    #: with it each issue's share of a utility can be told (core/breakdown.py).
    japan_scale: F64 = field(default_factory=lambda: np.ones(1))
    us_scale: float = 1.0
    #: Sec_J's lower bound on the grid, the zero of Japan's common scale (lowest_security).
    worst_security: float = 0.0

    def security_at(self, b: I64, threat: F64, reversal_belief: F64) -> SecurityTerms:
        """Security terms of state-block packages ``b`` (broadcast with the beliefs)."""
        return security_terms(
            self.s_fraction[b],
            self.d_fraction[b],
            self.s_value[b],
            threat,
            reversal_belief,
            self.security,
            self.entrapment_from,
        )

    def japan(self, leader: I64, b: I64, g: I64, threat: F64, reversal_belief: F64) -> F64:
        """U_J = Σ w v + w_sec Sec_J for given packages, leaders and beliefs (docs/model.md §2)."""
        sec = self.security_at(b, threat, reversal_belief).security
        return (
            self.japan_state[leader, b]
            + self.japan_static[leader, g]
            + (self.security_weight[leader] * sec)
        )

    def us(self, b: I64, g: I64) -> F64:
        """U_U = Σ w v + w_head H(I) - c_s s for given packages (docs/model.md §2)."""
        return self.us_state[b] + self.us_static[g]


def _us_parts(
    grid: OutcomeGrid, spec: ScenarioSpec, pref: Preference, weights: F64
) -> tuple[F64, F64]:
    """US block sums with the headline term (diminishing returns) and the commitment cost."""
    us = spec.agents.us
    state, static = block_sums(grid, weights, pref.values)
    s_value = grid.axes[grid.commitment].values[grid.state_levels()[0]]
    state = state - us.commitment_cost * s_value
    if grid.investment is not None:
        axis = grid.axes[grid.investment]
        headline = np.log1p(axis.values / us.headline_scale) / np.log1p(
            axis.spec.max / us.headline_scale
        )
        column = grid.static_issues.index(grid.investment)
        static = static + us.headline_weight * headline[grid.static_levels()[:, column]]
    return state, static


def us_contributions(grid: OutcomeGrid, spec: ScenarioSpec, pref: Preference) -> tuple[F64, ...]:
    """Each issue's part of U_U over its levels: w v, less c_s s, plus the headline term."""
    us = spec.agents.us
    parts = [w * v for w, v in zip(pref.weights, pref.values, strict=True)]
    parts[grid.commitment] = parts[grid.commitment] - us.commitment_cost * (
        grid.axes[grid.commitment].values
    )
    if grid.investment is not None:
        axis = grid.axes[grid.investment]
        headline = np.log1p(axis.values / us.headline_scale) / np.log1p(
            axis.spec.max / us.headline_scale
        )
        parts[grid.investment] = parts[grid.investment] + us.headline_weight * headline
    return tuple(parts)


def red_line_masks(
    grid: OutcomeGrid, spec: ScenarioSpec, round_index: int | None = None
) -> tuple[NDArray[np.bool_], ...]:
    """Per issue, the levels on the right side of every public red line (model.md §4.3).

    With ``round_index``, only the lines announced by that round (``announced_round`` ≤
    it): a line caps the offers from the month it is announced, not before.
    """
    masks = [np.ones(len(axis.values), dtype=bool) for axis in grid.axes]
    names = [axis.name for axis in grid.axes]
    for line in spec.politics.red_lines:
        if round_index is not None and line.announced_round > round_index:
            continue
        if line.issue in names:
            k = names.index(line.issue)
            masks[k] &= red_line_mask(grid.axes[k].values, line.bound, line.breached_when)
    return tuple(masks)


def build_tables(spec: ScenarioSpec) -> UtilityTables:
    """Tabulate both sides' utilities, their estimates of each other, and political cost.

    Japan's rows are the leader types alone: the sitting leader is one of them, not a copy.
    """
    grid = OutcomeGrid.from_issues(spec.issues)
    japan = spec.agents.japan
    leader_types = spec.politics.leader_types
    types = [preference(grid, t.priorities, t.ideal, japan.value) for t in leader_types.values()]
    curves = tuple(concession_curve(t.concession) for t in leader_types.values())
    us_pref = preference(
        grid, spec.agents.us.priorities, spec.agents.us.ideal, spec.agents.us.value
    )
    j_state, j_static = zip(*(block_sums(grid, p.weights, p.values) for p in types), strict=True)
    u_state, u_static = _us_parts(grid, spec, us_pref, us_pref.weights)
    cost_state, cost_static = political_cost_tables(grid, spec.politics.political_cost)
    s_idx, d_idx = grid.state_levels()
    worst_security = lowest_security(spec.agents.japan.security, max(spec.china.threat_weights))
    w_sec = japan.security_weight
    j_low, j_scale = zip(
        *(
            common_scale(
                state.min() + static.min() + w_sec * worst_security,
                state.max() + static.max() + w_sec,
            )
            for state, static in zip(j_state, j_static, strict=True)
        ),
        strict=True,
    )
    u_low, u_scale = common_scale(u_state.min() + u_static.min(), u_state.max() + u_static.max())
    s_axis, d_axis = grid.axes[grid.commitment], grid.axes[grid.defense]
    return UtilityTables(
        grid=grid,
        type_names=tuple(leader_types),
        type_concession=curves,
        type_e=np.array([c.e for c in curves]),
        japan_state=np.stack([a * part for a, part in zip(j_scale, j_state, strict=True)]),
        japan_static=np.stack(
            [a * (part - lo) for a, lo, part in zip(j_scale, j_low, j_static, strict=True)]
        ),
        us_state=u_scale * u_state,
        us_static=u_scale * (u_static - u_low),
        cost_state=cost_state,
        cost_static=cost_static,
        s_fraction=(s_axis.values[s_idx] - s_axis.spec.min) / s_axis.span,
        d_fraction=(d_axis.values[d_idx] - d_axis.spec.min) / d_axis.span,
        s_value=s_axis.values[s_idx],
        security_weight=np.array(j_scale) * w_sec,
        security=japan.security,
        entrapment_from=s_axis.spec.max - 1.0,
        japan_contributions=tuple(
            tuple(w * v for w, v in zip(p.weights, p.values, strict=True)) for p in types
        ),
        us_contributions=us_contributions(grid, spec, us_pref),
        linkage_japan=japan.linkage,
        linkage_us=spec.agents.us.linkage,
        red_lines=red_line_masks(grid, spec),
        threat_range=threat_range(spec.agents.japan.security, spec.china.threat_weights),
        japan_scale=np.array(j_scale),
        us_scale=u_scale,
        worst_security=worst_security,
    )
