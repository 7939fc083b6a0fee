"""The month's phases as pure rules: treaty, events, election, reversal, threats, protocol.

China's phase, the rally and the markets are in test_rules_phases_china.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import get_args

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASELINE
from negosim.core.credibility import REVERSAL_CLASSES, ReversibleItem, credibility, reverse_items
from negosim.core.election import hold_election, pick_successors
from negosim.core.events import EVENT_KINDS, World, apply_events, describe
from negosim.core.politics import weak_government_exponent
from negosim.core.protocol import (
    Reason,
    after_ratification,
    still_negotiating,
    veto_outside_win_set,
)
from negosim.core.threats import tariff_letters
from negosim.core.treaty import check_red_lines, enter_into_force, reopened
from negosim.core.utility import build_tables
from negosim.scenario import load_scenario
from negosim.schema import (
    ApprovalSpec,
    ElectionSpec,
    EventSpec,
    RedLine,
    ReversalClass,
    ReversalSpec,
    WeakGovernance,
)

FAST = settings(max_examples=60, deadline=None)
APPROVAL = ApprovalSpec()  # audience .03, rally .01 at level 3
ELECTION = ElectionSpec()  # A* .30, s .03, replacement .7, delay [2, 3]
SPEC = load_scenario(BASELINE).spec
GRID = build_tables(SPEC).grid  # axes s (5 levels), τ (0..50 by 2.5), d (1..5 by .1), I
TOP_U = 1.0 - 2.0**-53  # the largest uniform rng.uniforms returns
# baseline reversible items: tariff → 25 % (level 10, trade), commitment → 1 (security)
ITEMS = [ReversibleItem(GRID.tariff, 0, 10), ReversibleItem(GRID.commitment, 1, 1)]
B = np.array


def _world(n=1, approval=0.5):
    zero = np.zeros(n)
    levels, rungs = np.zeros((n, 4), dtype=np.int64), np.zeros(n, dtype=np.int64)
    return World(zero, zero, zero, np.full(n, approval), levels, rungs, zero, zero > 0)


def _event(kind, value, note=""):
    return EventSpec(round=1, kind=kind, value=value, note=note)


# --------------------------------------------------------------------------- treaty


def test_enter_into_force_only_where_pending():
    levels = B([[1, 2, 3, 4], [5, 6, 7, 8]])
    pending = B([[0, 0, 0, 0], [9, 9, 9, 9]])
    out = enter_into_force(levels, pending, B([False, True]))
    assert out.tolist() == [[1, 2, 3, 4], [9, 9, 9, 9]]


@FAST
@given(st.lists(st.booleans(), min_size=1, max_size=8), st.integers(0, 2**31))
def test_enter_into_force_equals_pending_exactly_where_pending(flags, seed):
    rng = np.random.default_rng(seed)
    has = np.array(flags)
    levels, pending = rng.integers(0, 20, (2, len(flags), 4))
    out = enter_into_force(levels, pending, has)
    np.testing.assert_array_equal(out[has], pending[has])
    np.testing.assert_array_equal(out[~has], levels[~has])


LINES = [
    RedLine(issue="defense_budget", bound=3.0, breached_when="above", announced_round=1),
    RedLine(issue="tariff", bound=5.0, breached_when="below", announced_round=0),
]


def test_check_red_lines_hand_example():
    # round 7 of 12: d line .03(1 + 6/12) = .045, τ line .03(1 + 7/12) = .0475
    values = B([[3.5, 2.5], [3.0, 5.0], [4.0, 0.0], [4.0, 10.0], [3.1, 7.5]])
    already = B([[0, 0], [0, 0], [0, 0], [1, 0], [0, 0]], dtype=bool)
    entering = B([True, True, False, True, True])
    check = check_red_lines(LINES, values, already, entering, 7, 12, APPROVAL)
    # r0 crosses both: .0925; r1 sits on both bounds: no breach (strict); r2 is not entering;
    # r3 crossed the d line before and is above 10 %: nothing; r4 crosses the d line only
    np.testing.assert_allclose(check.penalty, [0.0925, 0, 0, 0, 0.045], atol=1e-15)
    assert check.breached.tolist() == [[1, 1], [0, 0], [0, 0], [1, 0], [1, 0]]
    assert already[0].tolist() == [0, 0]  # the input is not modified


def test_red_line_cost_grows_with_how_long_it_has_stood():
    line = LINES[:1]  # announced in round 1: .03 (1 + (t - 1)/12)
    got = [
        check_red_lines(line, B([[4.0]]), B([[False]]), B([True]), t, 12, APPROVAL).penalty[0]
        for t in (1, 7, 13)
    ]
    np.testing.assert_allclose(got, [0.03, 0.045, 0.06], atol=1e-15)


def test_red_line_breaches_only_once():
    state = B([[False, False]])
    total = 0.0
    for t in range(1, 5):  # the same breaching package enters four months running
        check = check_red_lines(LINES, B([[4.0, 0.0]]), state, B([True]), t, 12, APPROVAL)
        total += check.penalty[0]
        state = check.breached
    # only round 1: d .03 (1 + 0/12) + τ .03 (1 + 1/12) = .03 + .0325
    assert total == pytest.approx(0.0625, abs=1e-15)


@FAST
@given(st.integers(1, 12), st.integers(0, 12), st.integers(0, 2**31))
def test_red_line_penalty_nonnegative_and_breached_monotone(t, announced, seed):
    rng = np.random.default_rng(seed)
    lines = [
        RedLine(issue="x", bound=0.5, breached_when=w, announced_round=announced)
        for w in ("above", "below")
    ]
    values, already, entering = rng.random((6, 2)), rng.random((6, 2)) < 0.3, rng.random(6) < 0.5
    check = check_red_lines(lines, values, already, entering, t, 12, APPROVAL)
    assert np.all(check.penalty >= 0)
    assert np.all(check.breached >= already)
    assert np.all(check.breached[~entering] == already[~entering])
    assert np.all((check.penalty > 0) == (check.breached & ~already).any(axis=1))


def test_reopened():
    # only a reversal reopens a deal in force: r0 reversed but nothing in force; r1 in force
    # and reversed; r2 in force, not reversed; r3 neither. A deal in force is the package
    # that holds without a new one, so it cannot fall below either side's value of no deal.
    out = reopened(B([False, True, True, False]), B([True, True, False, False]))
    assert out.tolist() == [False, True, False, False]


# --------------------------------------------------------------------------- events


def test_taiwan_statement_keeps_the_louder():
    world = replace(_world(3), taiwan=B([0.2, 0.6, 0.9]))
    out = EVENT_KINDS["taiwan_statement"].apply(world, 0.6, GRID)
    assert out.taiwan.tolist() == [0.6, 0.6, 0.9]
    assert out.detente is world.detente  # nothing else changes


def test_detente_and_legal_shock_set_their_value():
    world = replace(_world(2), taiwan=B([0.3, 0.9]), detente=B([0.3, 0.9]))
    world = replace(world, legal_shock=B([0.3, 0.9]), approval=B([0.3, 0.9]))
    assert EVENT_KINDS["detente"].apply(world, 0.5, GRID).detente.tolist() == [0.5, 0.5]
    assert EVENT_KINDS["legal_shock"].apply(world, 0.1, GRID).legal_shock.tolist() == [0.1, 0.1]


def test_approval_shock_clips_to_unit_interval():
    world = replace(_world(3), approval=B([0.05, 0.5, 0.95]))
    # -.1: [-.05 → 0, .4, .85]; +.1: [.15, .6, 1.05 → 1]
    down = EVENT_KINDS["approval_shock"].apply(world, -0.1, GRID).approval
    np.testing.assert_allclose(down, [0.0, 0.4, 0.85], atol=1e-15)
    up = EVENT_KINDS["approval_shock"].apply(world, 0.1, GRID).approval
    np.testing.assert_allclose(up, [0.15, 0.6, 1.0], atol=1e-15)


def test_collision_at_sea_puts_china_on_the_incident_rung_but_never_lowers_it():
    world = replace(_world(3), incident=B([0, 3, 5]))
    out = EVENT_KINDS["collision_at_sea"].apply(world, 4.0, GRID)
    assert out.incident.tolist() == [4, 4, 5]
    assert out.approval is world.approval and out.majority_lost is world.majority_lost


def test_coalition_collapse_sets_the_margin_and_adds_the_opposition_veto():
    world = replace(_world(2), majority_margin=B([-0.1, 0.2]))
    out = EVENT_KINDS["coalition_collapse"].apply(world, -0.3, GRID)
    assert out.majority_margin.tolist() == [-0.3, -0.3]
    assert out.majority_lost.tolist() == [True, True]
    assert out.incident is world.incident


def test_tariff_letter_raises_only_lower_replicates_snapped():
    levels = np.zeros((3, GRID.n_issues), dtype=np.int64)
    levels[:, GRID.tariff] = [2, 10, 14]  # 5 %, 25 %, 35 %
    levels[:, GRID.defense] = 8
    world = replace(_world(3), levels=levels)
    # 26.2 snaps to 25 (level 10); 26.3 snaps to 27.5 (level 11)
    out = EVENT_KINDS["tariff_letter"].apply(world, 26.2, GRID).levels
    assert out[:, GRID.tariff].tolist() == [10, 10, 14]
    assert out[:, GRID.defense].tolist() == [8, 8, 8]
    out = EVENT_KINDS["tariff_letter"].apply(world, 26.3, GRID).levels
    assert out[:, GRID.tariff].tolist() == [11, 11, 14]
    assert world.levels[:, GRID.tariff].tolist() == [2, 10, 14]  # the input is not modified


def test_apply_events_in_file_order():
    world = _world(1, approval=0.8)
    up_down = [_event("approval_shock", 0.5), _event("approval_shock", -0.5)]
    # .8 + .5 → 1 (clipped) - .5 = .5; the other order: .8 - .5 + .5 = .8
    assert apply_events(world, up_down, GRID).approval[0] == pytest.approx(0.5)
    assert apply_events(world, up_down[::-1], GRID).approval[0] == pytest.approx(0.8)
    two = [_event("detente", 0.2), _event("detente", 0.7), _event("taiwan_statement", 0.4)]
    out = apply_events(world, two, GRID)
    assert (out.detente[0], out.taiwan[0]) == (0.7, 0.4)
    assert apply_events(world, [], GRID) is world


def test_describe():
    assert describe(_event("tariff_letter", 25.0)) == "tariff_letter=25"
    assert describe(_event("taiwan_statement", 0.125, "PM remarks")) == (
        "taiwan_statement=0.125 (PM remarks)"
    )
    assert describe(_event("approval_shock", -0.05)) == "approval_shock=-0.05"


def test_event_kinds_allowed_ranges():
    got = {name: EVENT_KINDS[name].allowed(SPEC) for name in EVENT_KINDS}
    kinds = {"taiwan_statement", "detente", "legal_shock", "approval_shock", "tariff_letter"}
    assert set(got) == kinds | {"collision_at_sea", "coalition_collapse"}
    assert (got["collision_at_sea"].low, got["collision_at_sea"].high) == (0.0, 5.0)
    assert (got["coalition_collapse"].low, got["coalition_collapse"].high) == (-1.0, 1.0)
    for name in ("taiwan_statement", "detente", "legal_shock"):
        assert (got[name].low, got[name].high) == (0.0, 1.0)
    assert (got["approval_shock"].low, got["approval_shock"].high) == (-1.0, 1.0)
    assert (got["tariff_letter"].low, got["tariff_letter"].high) == (0.0, 50.0)
    assert "'tariff'" in got["tariff_letter"].what
    off = dict(SPEC.issues, tariff=SPEC.issues["tariff"].model_copy(update={"enabled": False}))
    assert EVENT_KINDS["tariff_letter"].allowed(SPEC.model_copy(update={"issues": off})) is None


# --------------------------------------------------------------------------- election


def test_hold_election_loss_and_replacement():
    # P(loss): A .30 → .5; A .27 → σ(1) = .7310586
    a = B([0.30, 0.30, 0.27, 0.27, 0.27])
    u_loss = B([0.49, 0.50, 0.73, 0.732, 0.1])
    u_replace = B([0.69, 0.0, 0.70, 0.0, 0.699])
    result = hold_election(a, 5, ELECTION, u_loss, u_replace, np.zeros(5))
    assert result.lost.tolist() == [True, False, True, False, True]
    # replaced iff lost and u < .7
    assert result.replaced.tolist() == [True, False, False, False, True]


def test_hold_election_delay_is_uniform_over_whole_rounds():
    u = B([0.0, 0.4999, 0.5, TOP_U])
    # [2, 3]: 2 + floor(2u) → 2, 2, 3, 3; round 5 → 7, 7, 8, 8
    got = hold_election(np.zeros(4), 5, ELECTION, np.zeros(4), np.zeros(4), u)
    assert got.replacement_round.tolist() == [7, 7, 8, 8]
    wide = ElectionSpec(replacement_delay=[1, 4])  # 1 + floor(4u)
    u = B([0.0, 0.2499, 0.25, 0.75, TOP_U])
    got = hold_election(np.zeros(5), 0, wide, np.zeros(5), np.zeros(5), u)
    assert got.replacement_round.tolist() == [1, 1, 2, 4, 4]


@FAST
@given(st.integers(1, 6), st.integers(0, 5), st.lists(st.floats(0, TOP_U), min_size=3))
def test_replaced_only_among_losers_and_delay_in_range(a, extra, u):
    u = np.array(u)
    spec = ElectionSpec(replacement_delay=[a, a + extra])
    r = hold_election(u[::-1], 3, spec, u, np.roll(u, 1), u)
    assert np.all(r.replaced <= r.lost)
    assert np.all((r.replacement_round >= 3 + a) & (r.replacement_round <= 3 + a + extra))


def test_pick_successors_inverts_the_cumulative_shares():
    cdf = np.cumsum([0.3, 0.3, 0.4])  # [.3, .6, 1.0]; types dove 1, centrist 2, hawk 3
    u = B([0.0, 0.2999, 0.3, 0.5999, 0.6, TOP_U])
    assert pick_successors(u, B([1, 2, 3]), cdf).tolist() == [1, 1, 2, 2, 3, 3]
    # shares a hair short of 1 (validation allows ±1e-6): the top uniform picks the last type
    short = B([0.5, 1.0 - 1e-7])
    assert pick_successors(B([0.25, 0.75, TOP_U]), B([7, 9]), short).tolist() == [7, 9, 9]


# --------------------------------------------------------------------------- reversals


def test_reversal_classes_match_the_schema():
    assert REVERSAL_CLASSES == get_args(ReversalClass) == ("trade", "security")
    assert all(isinstance(getattr(ReversalSpec(), c), float) for c in REVERSAL_CLASSES)


def test_credibility():
    # κ = s·(1 - ρ̂): .75·.9 = .675; 1·.1 → 1·.9; 0 → 0
    np.testing.assert_allclose(
        credibility(B([0.75, 1.0, 0.0]), B([0.1, 0.1, 0.5])), [0.675, 0.9, 0.0], atol=1e-15
    )


def _hazard(base, gain, legal=0.0):
    """h = h0 + .5 max(0, gain) + .3 legal, in the rule's order of operations."""
    return base + 0.5 * max(0.0, gain) + 0.3 * legal


def test_reverse_items_hand_example():
    # hazards: trade .08, security .01 (+ .5 max(0, gain) + .3 legal, clipped to [0, 1]);
    # shortfall: one column per item (tariff, commitment), the US's gain from walking it back
    levels = np.tile([3, 4, 8, 2], (8, 1))  # s 3, τ 10 %, d 1.8, I 100
    levels[4, [0, 1]] = [1, 10]  # r4 already at both fallbacks
    in_force = B([True, True, True, False, True, True, True, True])
    gains = B(
        [[0.02, 0.02], [0.02, 0.02], [0.2, 0.2], [0.1, 0.1], [0.1, 0.1], [0.0, -1.0],
         [3.0, 3.0], [0.0, 1e-6]]
    )  # fmt: skip
    legal = B([0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    draws = np.zeros((8, 4))
    trade, security = _hazard(0.08, 0.02), _hazard(0.01, 0.02)  # .09, .02
    draws[:, GRID.tariff] = [trade - 1e-9, trade, 0.47, 0.0, 0.0, 0.0, 0.9999, 0.0]
    draws[:, GRID.commitment] = [security - 1e-9, security, 0.42, 0.0, 0.0, 0.0, 0.9999, 0.005]
    # r0 both hit; r1 draws equal the hazards: miss; r2 hazards .48/.41: trade hits, security
    # misses; r3 not in force; r4 at its fallbacks; r5 walking back gains the US nothing
    # (0, -1): never reversed, whatever the draw; r6 hazard 2.08 clipped to 1: both hit;
    # r7 only the commitment gains (hazard .0100005 > .005): it alone is reversed
    got = reverse_items(levels, in_force, ITEMS, ReversalSpec(), gains, legal, draws)
    assert got.levels[:, :2].tolist() == [
        [1, 10],
        [3, 4],
        [3, 10],
        [3, 4],
        [1, 10],
        [3, 4],
        [1, 10],
        [1, 4],
    ]
    assert got.counts.tolist() == [
        [1, 1], [0, 0], [1, 0], [0, 0], [0, 0], [0, 0], [1, 1], [0, 1]
    ]  # fmt: skip
    assert got.any.tolist() == [True, False, True, False, False, False, True, True]
    assert np.all(got.levels[:, 2:] == levels[:, 2:])
    assert levels[0, 0] == 3  # the input is not modified


@FAST
@given(st.integers(0, 2**31), st.floats(0, 1))
def test_reverse_items_never_moves_away_from_fallback(seed, legal):
    rng = np.random.default_rng(seed)
    n = 16
    levels = np.stack([rng.integers(0, 5, n), rng.integers(0, 21, n)] + [np.zeros(n, int)] * 2, 1)
    in_force = rng.random(n) < 0.7
    gains = rng.choice([-0.5, 0.0, 0.1, 2.0], (n, len(ITEMS)))
    out = reverse_items(
        levels,
        in_force,
        ITEMS,
        ReversalSpec(trade=0.5, security=0.5),
        gains,
        np.full(n, legal),
        rng.random((n, 4)),
    )
    for column, item in enumerate(ITEMS):
        before = np.abs(levels[:, item.issue] - item.fallback_level)
        after = np.abs(out.levels[:, item.issue] - item.fallback_level)
        assert np.all(after <= before)
        moved = after != before
        assert np.all(after[moved] == 0)
        assert np.all(moved == (out.counts[:, item.reversal_class] > 0))
        assert not moved[gains[:, column] <= 0].any()  # no gain, no reversal
    assert np.all(out.levels[~in_force] == levels[~in_force])


# --------------------------------------------------------------------------- threats


def test_tariff_letters_each_condition_switches_it_off():
    def letter(in_force=False, pending=False, gain=0.1, tariff=1, u=0.1):
        return tariff_letters(
            B([in_force]), B([pending]), B([gain]), B([tariff]), 10, 0.15, B([u])
        )[0]

    assert letter()
    assert not letter(in_force=True)
    assert not letter(pending=True)
    assert not letter(gain=0.0)  # the letter would not gain the US: nothing to compel
    assert not letter(gain=-0.2)
    assert letter(gain=1e-9)
    assert not letter(tariff=10)  # the letter would not raise the tariff
    assert not letter(u=0.15)  # u < p is strict
    assert letter(tariff=9, u=0.1499)


# --------------------------------------------------------------------------- protocol


R = Reason


def test_veto_outside_win_set():
    reason = B([R.ACCEPTED, R.ACCEPTED, R.ACCEPTED, R.BELOW_TARGET])
    # cost above K vetoes only accepted packages; cost equal to K (P_rat = 1/2) passes
    out = veto_outside_win_set(reason, B([0.9, 0.8, 0.1, 2.0]), np.full(4, 0.8))
    assert out.tolist() == [R.OUTSIDE_WIN_SET, R.ACCEPTED, R.ACCEPTED, R.BELOW_TARGET]
    assert reason[0] == R.ACCEPTED


def test_after_ratification():
    reason = B([R.ACCEPTED, R.ACCEPTED, R.BELOW_TARGET])
    out = after_ratification(reason, B([True, True, False]), B([True, False, False]))
    assert out.tolist() == [R.ACCEPTED, R.FAILED_RATIFICATION, R.BELOW_TARGET]


def test_still_negotiating_breaks_down_with_the_hazard():
    # hazard .02: r0 draw below it, no deal: breaks down; r1 draw equal: stays (strict);
    # r2 high draw: stays; r3 ratified this month: stays whatever the draw; r4 not at the
    # table this month: the draw does not apply; r5 had already left: stays gone
    table = B([True, True, True, True, True, False])
    active = B([True, True, True, True, False, False])
    ratified = B([False, False, False, True, False, False])
    draws = B([0.0199, 0.02, 0.9, 0.0, 0.0, 0.9])
    out = still_negotiating(table, active, ratified, draws, 0.02)
    assert out.tolist() == [False, True, True, True, True, False]
    assert table.tolist() == [True, True, True, True, True, False]  # input not modified
    # no hazard: no one ever leaves (there is no walk-away deadline), whatever the draws
    assert still_negotiating(table, active, ratified, np.zeros(6), 0.0).tolist() == (table.tolist())
    # hazard 1: every active replicate without a ratified deal leaves
    assert still_negotiating(table, active, ratified, draws, 1.0).tolist() == [
        False, False, False, True, True, False
    ]  # fmt: skip


# --------------------------------------------------------------------------- politics


def test_weak_government_exponent():
    # below .30 approval e becomes .7; at .30 the type's own e stays
    out = weak_government_exponent(B([1.5, 1.5, 1.0]), B([0.29, 0.30, 0.1]), WeakGovernance())
    assert out.tolist() == [0.7, 1.5, 0.7]
