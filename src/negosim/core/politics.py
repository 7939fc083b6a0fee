"""Japan's domestic politics: the second level of Putnam's (1988) two-level game.

Pure functions over arrays with a leading replicate axis. The political cost of a package is
tabulated once (it depends on the package only); the win-set radius moves with approval and
the majority, shrinks to the opposition's once the upper house is lost, and grows from zero
while a new cabinet forms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from negosim.schema import (
    ApprovalSpec,
    ElectionSpec,
    PoliticalCostItem,
    WeakGovernance,
    WinSetSpec,
)

if TYPE_CHECKING:
    from negosim.core.grid import OutcomeGrid

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


def logistic(x: F64 | float) -> F64:
    """σ(x) = 1/(1 + e^-x), computed without overflow for large |x|."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -x))


def smooth_hinge(z: F64, width: float) -> F64:
    """ρ_h(z): max(0, z) with its kink replaced by a parabola over |z| < h/2 (docs/model.md §3).

    ρ_h(z) = 0 for z ≤ -h/2, (z + h/2)²/(2h) for |z| < h/2, z for z ≥ h/2: convex,
    non-negative, continuously differentiable (slope rises from 0 to 1 across the band), equal
    to the hinge outside the band and at most h/8 above it inside (at z = 0); h = 0 is the
    hinge itself. It is the Moreau envelope (Huber-type smoothing) of the hinge: Huber 1964
    (Annals of Mathematical Statistics 35:1), Nesterov 2005 (Mathematical Programming 103:1).
    """
    z = np.asarray(z, dtype=np.float64)
    if width <= 0.0:
        return np.maximum(0.0, z)
    half = 0.5 * width
    inside = np.clip(z + half, 0.0, width)  # ≤ h, so the square over 2h cannot overflow
    return np.where(z >= half, z, inside * inside / (2.0 * width))


def issue_political_cost(values: F64, item: PoliticalCostItem) -> F64:
    """λ_k ρ_h(dir_k (x_k - r_k)): concessions beyond the domestic reference point (§3).

    The hinge max(0, ·) of the original design is smoothed over a band of width h_k
    (``smoothness``, in the issue's unit) around r_k: the Diet's tolerance does not end at a
    sharp line, so the marginal cost rises from 0 to λ_k across the band instead of jumping
    at r_k, and deals are no longer pinned on the reference (issue 7, item 4). [negosim]
    """
    sign = 1.0 if item.direction == "up" else -1.0
    return item.cost * smooth_hinge(sign * (values - item.reference), item.smoothness)


def political_cost_tables(
    grid: OutcomeGrid, costs: dict[str, PoliticalCostItem]
) -> tuple[F64, F64]:
    """L_J = Σ_k λ_k ρ_h(dir_k (x_k - r_k)) (docs/model.md §3), split into the grid's blocks."""
    per_issue = [
        issue_political_cost(a.values, costs[a.name])
        if a.name in costs
        else np.zeros(len(a.values))
        for a in grid.axes
    ]
    s, d = grid.state_levels()
    state = per_issue[grid.commitment][s] + per_issue[grid.defense][d]
    static = np.zeros(grid.n_static)
    levels = grid.static_levels()
    for column, issue in enumerate(grid.static_issues):
        static = static + per_issue[issue][levels[:, column]]
    return state, static


def win_set_radius(approval: F64, majority_margin: F64, spec: WinSetSpec) -> F64:
    """K = K0 (A/A_ref)^a (1 + b M): popular leaders with majorities can sell more (Putnam 1988).

    Clipped at zero: a margin below -1/b leaves no room at all.
    """
    scale = (np.maximum(approval, 0.0) / spec.approval_reference) ** spec.approval_exponent
    return np.maximum(0.0, spec.base_radius * scale * (1.0 + spec.margin_effect * majority_margin))


def formation_factor(round_index: int, took_office: I64, months: int) -> F64:
    """Formation g = min(1, (t - t_in)/F): a new cabinet's win-set grows from 0 as it forms.

    docs/model.md §3.

    A successor cannot conclude at once: after the party vote it needs the Diet's designation,
    a cabinet and a Diet session before it can carry a package (Ishiba: LDP president 27 Sept
    2024, first budget enacted 17 Dec 2024; Suga: LDP president 14 Sept 2020, Diet session
    from 26 Oct). In the month it takes office (t = t_in) its radius is 0, after F months it
    is whole. A cabinet in office before the run (t_in ≤ 0) or F = 0 gives g = 1. [negosim]
    """
    if months <= 0:
        return np.ones(len(took_office))
    g = np.clip((round_index - took_office) / months, 0.0, 1.0)
    return np.where(took_office <= 0, 1.0, g)


def diet_win_set(coalition: F64, divided: B, spec: WinSetSpec) -> F64:
    """K = g K_C, or min(g K_C, K_O) once the upper house is lost (Tsebelis 2002; §3).

    ``coalition`` is the coalition's formed radius g K_C (:func:`win_set_radius` times
    :func:`formation_factor`). A divided Diet adds a veto player: without a majority in either
    house the coalition needs an opposition partner's votes as well, and a package passes only
    inside both players' win-sets (Tsebelis 2002, Veto Players, ch. 1: adding a veto player
    can only shrink the win-set of the status quo). The partner, who has just beaten the
    government at the polls, tolerates at most the political cost K_O
    (``opposition_radius``), whatever the prime minister's approval; both are measured in the
    one political cost L_J, so the joint win-set is the smaller radius. [negosim] (A partner
    with reference points of its own would need a second cost constraint in the offer search.)
    """
    return np.where(divided, np.minimum(coalition, spec.opposition_radius), coalition)


def ratification_probability(radius: F64, cost: F64, spec: WinSetSpec) -> F64:
    """P_rat = σ((K - L_J)/σ_r): the Diet ratifies packages inside the win-set (model.md §3)."""
    return logistic((radius - cost) / spec.ratification_noise)


def diet_ratification_probability(
    coalition: F64, formation: F64, cost: F64, divided: B, spec: WinSetSpec
) -> F64:
    """P_rat = σ((g K_C - L)/σ_r), times σ((K_O - L)/σ_r) once the upper house is lost (§3).

    ``coalition`` is the coalition's formed radius g K_C, ``formation`` its g. In a divided
    Diet the package needs two votes, the coalition's and the opposition partner's, each
    uncertain as in :func:`ratification_probability` and independent (Tsebelis 2002: every
    veto player must agree), so the same package passes less often than with one veto
    player. A cabinet in its first month (g = 0) submits nothing: P_rat = 0. [negosim]
    """
    own = ratification_probability(coalition, cost, spec)
    partner = ratification_probability(np.full_like(cost, spec.opposition_radius), cost, spec)
    passed = np.where(divided, own * partner, own)
    return np.where(formation > 0.0, passed, 0.0)


def diet_passes(probability: F64, draw: F64) -> B:
    """The Diet's vote: a package passes when this month's uniform draw falls below P_rat.

    One draw per replicate and month (``Purpose.RATIFICATION``) decides every package that
    month, so "would another package have passed?" has an exact answer: iff its P_rat
    exceeds the draw.
    """
    return draw < probability


def audience_cost(round_index: int, announced_round: int, rounds: int, spec: ApprovalSpec) -> float:
    """Approval lost on breaching a red line: 0.03 (1 + (t - t_r)/T) (Fearon 1994; Tomz 2007).

    The longer a line has stood in public, the more it costs to cross it.
    """
    return spec.audience_cost * (1.0 + (round_index - announced_round) / rounds)


def majority_loss_probability(approval: F64, spec: ElectionSpec) -> F64:
    """σ((A* - A)/s): the coalition loses its upper-house majority when approval is low."""
    return logistic((spec.approval_threshold - approval) / spec.approval_scale)


def honeymoon_decay(spec: ApprovalSpec) -> float:
    """δ = 2^(-1/T½): the share of a honeymoon left after one month (docs/model.md §3)."""
    return 0.5 ** (1.0 / spec.honeymoon_half_life)


def next_honeymoon(honeymoon: F64, spec: ApprovalSpec) -> F64:
    """H_{t+1} = δ H_t: a new cabinet's launch bonus halves every T½ months (§3).

    Mueller (1970, APSR 64:1): a leader's popularity declines from the start of a term; for
    Japanese cabinets the fall is fast (Suga 74 % Sept 2020 → 45 % Dec 2020, Yomiuri;
    Ishiba 46 % Oct 2024 → 34 % Nov 2024, Asahi), hence T½ = 2 months in the baseline.
    """
    return honeymoon * honeymoon_decay(spec)


def next_approval(
    approval: F64,
    deal_gain: F64,
    tariff_shock: F64,
    rally: F64,
    penalties: F64,
    noise: F64,
    spec: ApprovalSpec,
    honeymoon: F64 | None = None,
) -> F64:
    """A_{t+1} = A_t + α (A* + H_t - A_t) - (1 - δ) H_t + shocks + σ ε (docs/model.md §3).

    Approval is a partial-adjustment (error-correction) process: it moves a share α a month
    back towards the cabinet's equilibrium A* (Clarke & Stewart 1994, AJPS 38:4; Ostrom &
    Smith 1993, Political Analysis 4; a bounded share cannot be a random walk), on top of a
    honeymoon H_t that decays on its own, deterministically (δ, see
    :func:`next_honeymoon`). Equivalently, with B_t = A_t - H_t: B_{t+1} = B_t + α (A* - B_t)
    + shocks + σ ε and A_{t+1} = B_{t+1} + δ H_t. The shocks are the month's: φ_deal ΔU_J
    (``deal_gain``, 0 where no deal entered into force) - φ_τ Δτ (``tariff_shock``) +
    φ_rally 1[c ≥ 3] (``rally``) - audience and reversal costs (``penalties``); ``noise``
    is standard normal. Clipped to [0, 1].
    """
    held = np.zeros_like(approval) if honeymoon is None else honeymoon
    base = approval - held
    shocks = (
        spec.per_deal_utility * deal_gain
        - spec.per_tariff_point * tariff_shock
        + spec.rally * rally
        - penalties
        + spec.noise_sd * noise
    )
    updated = base + spec.adjustment * (spec.equilibrium - base) + shocks
    return np.clip(updated + held * honeymoon_decay(spec), 0.0, 1.0)


def approval_step(
    approval: F64,
    coercion: NDArray[np.int64],
    deal_gain: F64,
    tariff_shock: F64,
    penalties: F64,
    noise: F64,
    spec: ApprovalSpec,
    honeymoon: F64 | None = None,
) -> F64:
    """Next month's approval, with the rally when China's level reached ``rally_level``.

    The rally-round-the-flag effect of a foreign threat (Mueller 1970) is a step at the
    scenario's rally level; the rest is :func:`next_approval`.
    """
    rally = (coercion >= spec.rally_level).astype(np.float64)
    return next_approval(
        approval, deal_gain, tariff_shock, rally, penalties, noise, spec, honeymoon
    )


def weak_government_exponent(e: F64, approval: F64, spec: WeakGovernance) -> F64:
    """A weak government cannot sell concessions: below an approval level its e drops.

    docs/model.md §4.2: under ``approval_below`` Japan concedes like a Boulware (e = ``spec.e``),
    whatever its leader type's own e.
    """
    return np.where(approval < spec.approval_below, spec.e, e)
