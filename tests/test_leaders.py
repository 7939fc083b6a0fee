"""The sitting leader is one of the leader types: one copy of each leader's values.

Before, ``agents.japan`` carried a copy of the sitting leader's priorities, ideal points,
reservation and concession at index 0 of the utility tables, which could silently disagree
with ``politics.leader_types.<leader>``. These tests pin the single path.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml

from conftest import BASELINE
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
    for index, leader in enumerate(spec.politics.leader_types.values()):
        assert tables.type_reservation[index] == leader.reservation
        assert tables.type_e[index] == concession_curve(leader.concession).e
    model = NegotiationModel(baseline, seeds=[0, 1])
    assert list(model.state.leader) == [sitting_leader(spec)] * 2 == [1, 1]


def test_changing_the_sitting_leaders_type_changes_a_baseline_run():
    base = run({}, "rounds")
    for change in (
        {"politics.leader_types.centrist.reservation": 0.80},
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
    changed = run({"politics.leader_types.hawk.reservation": 0.5})
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
    assert model.japan.base_reservation()[0] == 0.77
    b, g = np.array([0]), np.array([0])
    state = model.state
    want = tables.japan(np.array([hawk]), b, g, state.threat(tables), state.reversal_belief())
    np.testing.assert_array_equal(model.japan.utility(b, g), want)
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
    reserve, best = np.array([0.8, 0.8]), np.array([1.2, 1.2])
    got = model.japan.concession_target(0.5, reserve, best)
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
        (("agents", "japan"), "reservation", 0.85, "politics.leader_types.<politics.leader>.res"),
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


def test_old_format_override_paths_say_where_the_value_now_goes():
    with pytest.raises(ScenarioError) as info:
        apply_overrides(BASE_DATA, {"agents.japan.reservation": 0.8})
    assert "moved:" in str(info.value) and "leader_types" in str(info.value)


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


def test_a_leader_type_needs_its_own_reservation():
    data = copy.deepcopy(BASE_DATA)
    del data["politics"]["leader_types"]["hawk"]["reservation"]
    (problem,) = problems_of(data)
    assert "politics.leader_types.hawk.reservation: required field missing" in problem
