"""Dotted-path overrides: replace existing values only, and explain bad paths precisely."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import baseline_data
from negosim.scenario import ScenarioError, apply_overrides, leaf_paths, scenario_from_mapping

BASE_DATA = baseline_data()
LEAVES = leaf_paths(BASE_DATA)


def test_leaf_paths_cover_nested_lists_and_empty_containers():
    assert "china.omega" in LEAVES
    assert "politics.leader_types.centrist.priorities.tariff" in LEAVES
    assert "politics.red_lines.0.bound" in LEAVES
    assert "politics.election.replacement_delay.1" in LEAVES
    assert "china.levels.0" in LEAVES
    assert "events" in LEAVES  # an empty list is a settable leaf
    assert "china" not in LEAVES and "politics.red_lines" not in LEAVES
    assert LEAVES[0] == "name"  # file order
    assert len(LEAVES) == len(set(LEAVES))


def test_apply_overrides_replaces_values_and_copies():
    original = copy.deepcopy(BASE_DATA)
    out = apply_overrides(
        BASE_DATA,
        {
            "china.omega": 0.9,
            "politics.leader_types.centrist.priorities.tariff": 0.4,
            "politics.red_lines.0.bound": 2.5,
            "china.levels.0": "quiet",
        },
    )
    assert original == BASE_DATA
    assert out["china"]["omega"] == 0.9
    assert out["politics"]["leader_types"]["centrist"]["priorities"]["tariff"] == 0.4
    assert out["politics"]["red_lines"][0]["bound"] == 2.5
    assert out["china"]["levels"][0] == "quiet"
    assert 0 in out["china"]["levels"] and "0" not in out["china"]["levels"]
    out["china"]["beta"]["spiral"] = -1
    assert BASE_DATA["china"]["beta"]["spiral"] == original["china"]["beta"]["spiral"]


def test_override_values_are_copied():
    value = [1, 2]
    out = apply_overrides(BASE_DATA, {"politics.election.replacement_delay": value})
    value.append(3)
    assert out["politics"]["election"]["replacement_delay"] == [1, 2]


def test_overridden_mapping_loads_and_validates():
    out = apply_overrides(BASE_DATA, {"china.omega": 0.9, "protocol.rounds": 24})
    scenario = scenario_from_mapping(out)
    assert scenario.spec.china.omega == 0.9
    assert scenario.spec.protocol.rounds == 24
    bad = apply_overrides(BASE_DATA, {"china.omega": 2.0})
    with pytest.raises(ScenarioError) as info:
        scenario_from_mapping(bad, source="sweep[3]")
    (problem,) = info.value.problems
    assert (problem.source, problem.line, problem.path) == ("sweep[3]", None, "china.omega")
    assert str(problem).startswith("sweep[3]: china.omega: out of range")


def test_unknown_key_names_siblings_and_close_matches():
    with pytest.raises(ScenarioError) as info:
        apply_overrides(BASE_DATA, {"china.omgea": 0.9})
    (problem,) = info.value.problems
    assert problem.path == "china.omgea"
    assert "no key 'omgea' in china" in problem.message
    assert "existing here: rule, omega, beta" in problem.allowed
    assert "close matches: china.omega" in problem.allowed
    assert problem.given == "0.9"
    assert "china.omega" in str(info.value)


def test_deep_unknown_key_reports_deepest_existing_level():
    with pytest.raises(ScenarioError) as info:
        apply_overrides(BASE_DATA, {"agents.japan.security.gamma_abandon": 1.0})
    (problem,) = info.value.problems
    assert "in agents.japan.security" in problem.message
    assert "gamma_abandonment" in problem.allowed


def test_bad_list_index():
    with pytest.raises(ScenarioError) as info:
        apply_overrides(BASE_DATA, {"politics.red_lines.3.bound": 2.5})
    (problem,) = info.value.problems
    assert "no item '3' in list politics.red_lines (1 items)" in problem.message
    assert "politics.red_lines.0.bound" in problem.allowed


def test_path_through_a_value():
    with pytest.raises(ScenarioError) as info:
        apply_overrides(BASE_DATA, {"china.omega.x": 1})
    assert "china.omega is a value" in info.value.problems[0].message


def test_all_bad_paths_reported_together():
    with pytest.raises(ScenarioError) as info:
        apply_overrides(BASE_DATA, {"china.omgea": 1, "china.omega": 0.2, "seeed": 3, "": 1})
    assert [p.path for p in info.value.problems] == ["china.omgea", "seeed", ""]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(LEAVES), st.integers(-5, 5))
def test_every_leaf_path_is_overridable(path, value):
    out = apply_overrides(BASE_DATA, {path: value})
    node = out
    for part in path.split("."):
        if isinstance(node, list):
            node = node[int(part)]
        else:
            node = next(v for k, v in node.items() if str(k) == part)
    assert node == value
    assert leaf_paths(out) == LEAVES


def test_override_sets_a_declared_field_the_file_leaves_at_its_default():
    data = apply_overrides(BASE_DATA, {"agents.us.concession.params.e": 0.45})
    assert data["agents"]["us"]["concession"]["params"]["e"] == 0.45
    assert "e" not in BASE_DATA["agents"]["us"]["concession"]["params"]


def test_override_adds_a_concession_parameter_the_style_reads():
    """params is a mapping, but one that declares its keys: e may be added, a typo may not."""
    data = copy.deepcopy(BASE_DATA)
    del data["agents"]["us"]["concession"]["params"]
    out = apply_overrides(data, {"agents.us.concession.params.e": 0.45})
    assert out["agents"]["us"]["concession"]["params"] == {"e": 0.45}
    with pytest.raises(ScenarioError) as info:
        apply_overrides(BASE_DATA, {"agents.us.concession.params.ee": 0.45})
    (problem,) = info.value.problems
    assert "existing here: k, e" in problem.allowed


def test_override_of_an_undeclared_field_lists_declared_ones_too():
    with pytest.raises(ScenarioError) as info:
        apply_overrides(BASE_DATA, {"agents.us.concession.exponent": 0.45})
    (problem,) = info.value.problems
    assert "existing here: style, params" in problem.allowed
