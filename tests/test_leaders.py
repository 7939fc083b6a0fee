"""The sitting leader is one of the leader types: one copy of each leader's values.

Before, ``agents.japan`` carried a copy of the sitting leader's priorities, ideal points,
reservation and concession at index 0 of the utility tables, which could silently disagree
with ``politics.leader_types.<leader>``. These tests pin the single path. (Reservations are
no longer set at all: each type's is its own value of no deal, docs/model.md §4.5.)
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml

from conftest import BASELINE
from negosim.core.concession import ConcessionHistory
from negosim.core.leaders import concession_curve, leader_index, sitting_leader
from negosim.core.utility import build_tables
from negosim.model import NegotiationModel
from negosim.outcomes import round_table, summarize
from negosim.scenario import ScenarioError, apply_overrides, scenario_from_mapping
from negosim.schema import ConcessionSpec, JapanSpec

BASE_DATA = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
SEEDS = list(range(40))


def run(overrides: dict[str, object], table: str = "runs") -> dict[str, np.ndarray]:
    scenario = scenario_from_mapping(apply_overrides(BASE_DATA, overrides))
    model = NegotiationModel(scenario, seeds=SEEDS).run()
    return summarize(model) if table == "runs" else round_table(model)


def problems_of(data: dict[str, object]) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_mapping(data)
    return [str(p) for p in info.value.problems]


def test_japan_has_no_per_leader_fields():
    assert not {"leader", "priorities", "ideal", "reservation", "concession"} & set(
        JapanSpec.model_fields
    )


def test_tables_hold_the_leader_types_only_and_the_state_starts_at_the_sitting_one(baseline):
    spec = baseline.spec
    tables = build_tables(spec)
    assert tables.type_names == tuple(spec.politics.leader_types) == ("dove", "centrist", "hawk")
    assert tables.japan_state.shape[0] == 3
    assert tables.security_weight.shape == (3,)  # each type's own scale (core/utility.py)
    for index, leader in enumerate(spec.politics.leader_types.values()):
        assert tables.type_e[index] == concession_curve(leader.concession).e
    model = NegotiationModel(baseline, seeds=[0, 1])
    assert list(model.state.leader) == [sitting_leader(spec)] * 2 == [1, 1]


def test_changing_the_sitting_leaders_type_changes_a_baseline_run():
    base = run({}, "rounds")
    for change in (
        {"politics.leader_types.centrist.concession.params.k": 0.3},
        {"politics.leader_types.centrist.ideal.tariff": 10},
        {"politics.leader_types.centrist.concession.style": "boulware"},
    ):
        changed = run(change, "rounds")
        differing = [
            k
            for k, v in base.items()
            if v.dtype.kind == "f" and not np.array_equal(v, changed[k], equal_nan=True)
        ]
        assert differing, change


def test_a_non_sitting_type_does_not_act_before_a_replacement():
    """Changing the hawk changes nothing in runs where no hawk ever sits."""
    base = run({})
    changed = run(
        {
            "politics.leader_types.hawk.ideal.tariff": 10,
            "politics.leader_types.hawk.concession.style": "conceder",
        }
    )
    no_hawk = base["final_leader"] != "hawk"
    assert no_hawk.any()
    for key in ("first_deal_round", "final_tariff", "japan_utility"):
        np.testing.assert_array_equal(base[key][no_hawk], changed[key][no_hawk])


def test_the_sitting_leader_is_the_type_it_names():
    """Seating the hawk is the hawk type's values, exactly: utilities from its table row."""
    data = apply_overrides(BASE_DATA, {"politics.leader": "hawk"})
    scenario = scenario_from_mapping(data)
    tables = build_tables(scenario.spec)
    model = NegotiationModel(scenario, seeds=[3])
    hawk = leader_index(scenario.spec, "hawk")
    assert model.state.leader[0] == hawk
    b, g = np.array([0]), np.array([0])
    state = model.state

    def hawk_u(b, g):
        return tables.japan(np.array([hawk]), b, g, state.threat(tables), state.reversal_belief())

    np.testing.assert_array_equal(model.japan.utility(b, g), hawk_u(b, g))
    # its reservation is the hawk's own value of no deal: the status quo, with the expected
    # 25 % letter at p .15 a month, discounted at δ .95: Q = δp/(1 - δ(1 - p)) = .1425/.1925
    sq = tables.grid.status_quo()[None, :]
    letter = sq.copy()
    letter[0, tables.grid.tariff] = tables.grid.axes[tables.grid.tariff].snap(25)
    now, threatened = hawk_u(*tables.grid.split(sq)), hawk_u(*tables.grid.split(letter))
    q = 0.95 * 0.15 / (1 - 0.95 * 0.85)
    assert model.japan.reservation()[0] == pytest.approx(now[0] + q * (threatened - now)[0])
    assert model.japan.concession_exponent()[0] == 1.0


def test_successors_are_the_types_they_are_named_for():
    """After a certain loss and replacement every successor is the one type with a share.

    (Successor indices were once offset by one for the sitting copy at index 0.)
    """
    for name in ("dove", "centrist", "hawk"):
        summary = run(
            {
                "politics.leader": "dove" if name == "centrist" else "centrist",
                "politics.election.approval_threshold": 1.0,  # σ((1 - A)/.03): a sure loss
                "politics.election.replacement_probability": 1.0,
                "politics.election.successor_shares": {name: 1.0},
            }
        )
        assert summary["leader_replaced"].all()
        assert set(summary["final_leader"]) == {name}


def test_weak_government_modifies_the_types_e_and_keeps_its_style():
    data = apply_overrides(BASE_DATA, {"politics.approval.initial": 0.2})
    model = NegotiationModel(scenario_from_mapping(data), seeds=[0])
    assert model.japan.concession_exponent()[0] == 0.7  # below approval_below 0.3


def test_types_with_different_styles_each_follow_their_own_curve():
    """A dove on the exponential family and a hawk on the polynomial one, side by side."""
    data = apply_overrides(
        BASE_DATA, {"politics.leader_types.dove.concession.style": "exponential"}
    )
    scenario = scenario_from_mapping(data)
    model = NegotiationModel(scenario, seeds=[0, 1])
    dove = leader_index(scenario.spec, "dove")
    model.state.leader[:] = [dove, leader_index(scenario.spec, "hawk")]
    reserve, best = np.array([0.6, 0.6]), np.array([0.95, 0.95])
    history = ConcessionHistory(np.full(2, np.nan), np.full((2, 4), np.nan))
    got = model.japan.concession_target(0.5, reserve, best, history)
    curves = model.tables.type_concession
    e = model.japan.concession_exponent()
    for i, index in enumerate(model.state.leader):
        curve = curves[index]
        want = curve.style.target(0.5, reserve[i], best[i], {"e": e[i], "k": curve.k})
        assert got[i] == pytest.approx(float(want), abs=1e-15)
    assert got[0] != pytest.approx(got[1])


def test_concession_params_default_to_the_style_and_k():
    assert concession_curve(ConcessionSpec(style="boulware")).e == 0.3
    curve = concession_curve(ConcessionSpec(style="boulware", params={"e": 0.45, "k": 0.1}))
    assert (curve.e, curve.k) == (0.45, 0.1)
    assert concession_curve(ConcessionSpec()).k == 0.05


# --- validation -------------------------------------------------------------------------------


def test_unknown_sitting_leader_suggests_the_closest_type():
    data = copy.deepcopy(BASE_DATA)
    data["politics"]["leader"] = "hwak"
    (problem,) = problems_of(data)
    assert problem == (
        "<mapping>: politics.leader: not a leader type; did you mean 'hawk'? "
        "(given: 'hwak'; allowed: a key of politics.leader_types: dove, centrist, hawk)"
    )


@pytest.mark.parametrize(
    ("where", "key", "value", "hint"),
    [
        (("agents", "japan"), "leader", "hawk", "politics.leader (a key of"),
        (("agents", "japan"), "priorities", {"tariff": 1.0}, "leader_types.<politics.leader>."),
        (("agents", "japan"), "reservation", 0.85, "its value of no deal"),
        (("agents", "japan"), "reservation_shift", {"approval": -0.1}, "outside_option"),
        (("agents", "us"), "reservation", 0.5, "agents.<side>.outside_option (0-1)"),
        (("politics", "leader_types", "hawk"), "reservation", 0.77, "its value of no deal"),
        (("agents", "japan"), "concession", {"style": "conceder"}, "<politics.leader>.concession"),
        (("agents", "us", "concession"), "e", 0.3, "agents.us.concession.params.e"),
        (("agents", "us", "concession"), "k", 0.05, "agents.us.concession.params.k"),
        (("politics", "leader_types", "hawk"), "concession_e", 1.0, "params: {e: <this value>}"),
    ],
)
def test_old_format_keys_say_where_the_value_now_goes(where, key, value, hint):
    data = copy.deepcopy(BASE_DATA)
    node = data
    for part in where:
        node = node[part]
    node[key] = value
    problems = [p for p in problems_of(data) if f"{'.'.join(where)}.{key}:" in p]
    assert len(problems) == 1, problems
    assert "unknown field; moved:" in problems[0]
    assert hint in problems[0]


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("agents.japan.reservation", "outside_option"),
        ("politics.leader_types.centrist.reservation", "value of no deal"),
        ("agents.japan.priorities", "politics.leader_types.<politics.leader>.priorities"),
    ],
)
def test_old_format_override_paths_say_where_the_value_now_goes(path, hint):
    with pytest.raises(ScenarioError) as info:
        apply_overrides(BASE_DATA, {path: 0.8})
    assert "moved:" in str(info.value) and hint in str(info.value)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ee": 1.0}, "unknown field; did you mean 'e'? (allowed: e, k)"),
        ({"e": 0.0}, "out of range (given: 0; allowed: a number > 0)"),
        ({"k": 1.5}, "out of range (given: 1.5; allowed: a number in [0, 1])"),
    ],
)
def test_concession_params_are_checked(params, message):
    data = copy.deepcopy(BASE_DATA)
    data["politics"]["leader_types"]["dove"]["concession"]["params"] = params
    (problem,) = problems_of(data)
    assert "politics.leader_types.dove.concession.params." in problem
    assert message in problem


def test_a_side_may_set_an_outside_option_floor_but_no_reservation():
    """The floor is validated as a 0-1 utility; without it the reservation is no deal."""
    data = copy.deepcopy(BASE_DATA)
    data["agents"]["us"]["outside_option"] = 1.5
    (problem,) = problems_of(data)
    assert "agents.us.outside_option" in problem and "1.5" in problem
    data["agents"]["us"]["outside_option"] = 0.6
    model = NegotiationModel(scenario_from_mapping(data), seeds=[0, 1])
    assert (model.us.reservation() >= 0.6).all()
    assert (
        NegotiationModel(scenario_from_mapping(BASE_DATA), seeds=[0]).us.reservation() < 0.6
    ).all()
