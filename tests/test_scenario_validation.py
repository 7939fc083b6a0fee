"""Scenario boundary: every kind of mistake yields one clear problem at the right path and line.

Broken files are generated from configs/baseline.yaml by targeted text edits, so they follow
the baseline as it evolves; each edit asserts its anchor is unique so a drifting baseline
fails loudly here rather than silently testing nothing.
"""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE_TEXT, BASELINE, baseline_data, edit, line_of
from negosim.scenario import (
    Problem,
    Scenario,
    ScenarioError,
    ScenarioSpec,
    load_scenario,
    load_scenario_text,
    scenario_from_mapping,
    validate_file,
)

BASE_DATA = baseline_data()
ISSUES = list(BASE_DATA["issues"])


def CENTRIST(data: dict) -> dict:  # noqa: N802 - reads like the block it names
    """The sitting leader's block of a scenario mapping (the baseline's centrist type)."""
    return data["politics"]["leader_types"]["centrist"]


def check(text: str, tmp_path: Path, name: str = "broken.yaml") -> list[Problem]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    problems = validate_file(path)
    assert all(p.source == str(path) for p in problems)
    return problems


def only(problems: list[Problem], path: str) -> Problem:
    hits = [p for p in problems if p.path == path]
    assert len(hits) == 1, "\n".join(map(str, problems))
    return hits[0]


# --- the good case --------------------------------------------------------------------------


def test_baseline_is_valid_and_resolved():
    assert validate_file(BASELINE) == []
    scenario = load_scenario(BASELINE)
    assert isinstance(scenario, Scenario)
    assert scenario.source == str(BASELINE)
    assert scenario.text == BASE_TEXT
    assert scenario.sha256 == hashlib.sha256(BASELINE.read_bytes()).hexdigest()
    assert scenario.issue_names == tuple(ISSUES)
    assert scenario.spec.protocol.deadline == BASE_DATA["protocol"]["deadline"]
    assert isinstance(scenario.spec, ScenarioSpec)
    centrist = scenario.spec.politics.leader_types["centrist"]
    for weights in (centrist.priorities, scenario.spec.agents.us.priorities):
        assert list(weights) == ISSUES
        assert sum(weights.values()) == pytest.approx(1.0)


def test_string_and_mapping_loading_agree_with_file():
    from_text = load_scenario_text(BASE_TEXT)
    assert from_text.source == "<string>"
    assert from_text.sha256 == hashlib.sha256(BASE_TEXT.encode()).hexdigest()
    from_map = scenario_from_mapping(copy.deepcopy(BASE_DATA))
    assert from_map.source == "<mapping>"
    assert from_map.spec == from_text.spec
    assert yaml.safe_load(from_map.text) == BASE_DATA
    assert len(from_map.sha256) == 64


def test_deadline_defaults_to_rounds(tmp_path):
    text = edit(BASE_TEXT, "  deadline: 12 ", "  # deadline removed ")
    scenario = load_scenario_text(text)
    assert scenario.spec.protocol.deadline == scenario.spec.protocol.rounds


# --- problem formatting ---------------------------------------------------------------------


def test_problem_format():
    problem = Problem(
        "configs/bad.yaml",
        42,
        "agents.japan.priorities.tarif",
        "unknown field; did you mean 'tariff'?",
        None,
        "security_commitment, tariff",
    )
    assert str(problem) == (
        "configs/bad.yaml:42: agents.japan.priorities.tarif: unknown field; "
        "did you mean 'tariff'? (allowed: security_commitment, tariff)"
    )
    full = Problem("f.yaml", 3, "china.omega", "out of range", "1.5", "a number in [0, 1]")
    assert str(full) == (
        "f.yaml:3: china.omega: out of range (given: 1.5; allowed: a number in [0, 1])"
    )
    assert str(Problem("<mapping>", None, "", "file not found")) == "<mapping>: file not found"


def test_scenario_error_is_value_error_with_one_line_per_problem():
    text = edit(BASE_TEXT, "  omega: 0.5", "  omega: 1.5")
    text = edit(text, "  memory: 3", "  memroy: 3")
    with pytest.raises(ValueError) as info:
        load_scenario_text(text, "x.yaml")
    err = info.value
    assert isinstance(err, ScenarioError)
    assert len(err.problems) == 2
    assert str(err).splitlines() == [str(p) for p in err.problems]


# --- file and YAML level --------------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    problems = validate_file(path)
    assert len(problems) == 1
    assert "file not found" in problems[0].message
    assert str(path) in str(problems[0])
    with pytest.raises(ScenarioError):
        load_scenario(path)


def test_yaml_syntax_error_has_line(tmp_path):
    text = edit(BASE_TEXT, "seed: 20250207 ", "seed: 20250207: oops ")
    (problem,) = check(text, tmp_path)
    assert problem.line == line_of(text, "seed: 20250207")
    assert "invalid YAML" in problem.message
    assert "mapping values are not allowed" in problem.message


def test_unsafe_tag_is_rejected_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    tag = f"!!python/object/apply:os.system ['touch {marker}']"
    text = edit(BASE_TEXT, "name: baseline", f"name: {tag}")
    (problem,) = check(text, tmp_path)
    assert problem.line == line_of(text, "python/object")
    assert "could not determine a constructor" in problem.message
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("- a\n- b\n", "not a list"), ("42\n", "not a number"), ("", "empty"), ("# only\n", "empty")],
)
def test_non_mapping_top_level(tmp_path, text, fragment):
    (problem,) = check(text, tmp_path)
    assert fragment in problem.message
    assert problem.path == ""
    assert "name" in problem.allowed and "issues" in problem.allowed


def test_duplicate_key_reported_at_second_occurrence(tmp_path):
    text = edit(BASE_TEXT, "  omega: 0.5", "  omega: 0.5\n  omega: 0.7")
    problem = only(check(text, tmp_path), "china.omega")
    first = line_of(text, "  omega: 0.5")
    assert problem.line == first + 1
    assert "duplicate key 'omega'" in problem.message
    assert f"line {first}" in problem.message


def test_duplicate_key_in_flow_mapping(tmp_path):
    text = edit(
        BASE_TEXT,
        "{dove: 0.3, centrist: 0.3, hawk: 0.4}",
        "{dove: 0.3, centrist: 0.3, hawk: 0.4, dove: 0.1}",
    )
    problem = only(check(text, tmp_path), "politics.election.successor_shares.dove")
    assert problem.line == line_of(text, "successor_shares:")
    assert "duplicate" in problem.message


def test_merge_keys_are_not_duplicates(tmp_path):
    text = edit(BASE_TEXT, "\n  us:\n", "\n  us:\n    <<: {linkage: 0.9}\n")
    scenario = load_scenario_text(text)
    assert scenario.spec.agents.us.linkage == BASE_DATA["agents"]["us"]["linkage"]


# --- structure (pydantic) -------------------------------------------------------------------


def test_unknown_key_with_did_you_mean(tmp_path):
    text = edit(BASE_TEXT, "  memory: 3", "  memroy: 3")
    problem = only(check(text, tmp_path), "china.memroy")
    assert problem.line == line_of(text, "memroy")
    assert "unknown field" in problem.message
    assert "did you mean 'memory'?" in problem.message
    assert "memory" in problem.allowed.split(", ")
    assert "omega" in problem.allowed.split(", ")


def test_unknown_key_in_list_item(tmp_path):
    text = edit(BASE_TEXT, "      bound: 3.0", "      bund: 3.0")
    problem = only(check(text, tmp_path), "politics.red_lines.0.bund")
    assert problem.line == line_of(text, "bund: 3.0")
    assert "did you mean 'bound'?" in problem.message


def test_wrong_type(tmp_path):
    text = edit(BASE_TEXT, "  rounds: 12 ", "  rounds: twelve ")
    problem = only(check(text, tmp_path), "protocol.rounds")
    assert problem.line == line_of(text, "rounds: twelve")
    assert problem.message == "wrong type"
    assert problem.given == "'twelve'"
    assert problem.allowed == "an integer in [1, 120]"


def test_out_of_range(tmp_path):
    text = edit(BASE_TEXT, "  omega: 0.5", "  omega: 1.5")
    problem = only(check(text, tmp_path), "china.omega")
    assert problem.line == line_of(text, "omega: 1.5")
    assert problem.message == "out of range"
    assert problem.given == "1.5"
    assert problem.allowed == "a number in [0, 1]"


def test_literal_with_did_you_mean(tmp_path):
    text = edit(BASE_TEXT, "first_proposer: us ", "first_proposer: usa ")
    problem = only(check(text, tmp_path), "protocol.first_proposer")
    assert "did you mean 'us'?" in problem.message
    assert problem.allowed == "one of 'us', 'japan'"
    assert problem.given == "'usa'"


def test_missing_required_field_points_at_parent(tmp_path):
    text = edit(BASE_TEXT, "    linkage: 0.7 ", "    # linkage removed ")
    problem = only(check(text, tmp_path), "agents.us.linkage")
    assert problem.message == "required field missing"
    assert problem.line == line_of(text, "  us:", after="agents:")
    assert problem.allowed == "a number in [0, 1]"


def test_list_item_paths_and_lines(tmp_path):
    text = edit(
        BASE_TEXT,
        "events: []",
        "events:\n  - {round: 2, kind: detente}\n  - round: 3\n    kind: detent",
    )
    problem = only(check(text, tmp_path), "events.1.kind")
    assert problem.line == line_of(text, "kind: detent", after="round: 3")
    assert "did you mean 'detente'?" in problem.message
    assert "'taiwan_statement'" in problem.allowed


def test_invalid_integer_key(tmp_path):
    text = edit(BASE_TEXT, "    5: militarised incident", "    five: militarised incident")
    problem = only(check(text, tmp_path), "china.levels.five")
    assert problem.line == line_of(text, "five: militarised")
    assert problem.message == "invalid key"
    assert problem.allowed == "an integer"


def test_all_structural_problems_reported_in_line_order(tmp_path):
    text = edit(BASE_TEXT, "  omega: 0.5", "  omega: 1.5")
    text = edit(text, "  memory: 3", "  memroy: 3")
    text = edit(text, "  rounds: 12 ", "  rounds: twelve ")
    text = edit(text, "    step: 0.1\n", "    step: 0.1\n    step: 0.2\n")
    problems = check(text, tmp_path)
    assert [p.path for p in problems] == [
        "protocol.rounds",
        "issues.defense_budget.step",
        "china.omega",
        "china.memroy",
    ]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


# --- semantics ------------------------------------------------------------------------------


def japan_priorities_line(text: str) -> int:
    return line_of(text, "      priorities:", after="    centrist:")


def us_priorities_line(text: str) -> int:
    return line_of(text, "    priorities:", after="  us:")


def test_priorities_not_summing_to_one(tmp_path):
    text = edit(BASE_TEXT, "      tariff: 0.30\n", "      tariff: 0.20\n")
    problem = only(check(text, tmp_path), "agents.us.priorities")
    assert problem.line == us_priorities_line(text)
    assert "sum to 0.9" in problem.message
    assert "normalize: true" in problem.message
    assert problem.given == "sum 0.9"
    assert "summing to 1" in problem.allowed


def test_normalize_true_rescales(tmp_path):
    text = edit(BASE_TEXT, "      tariff: 0.30\n", "      tariff: 0.20\n")
    text = re.sub(r"^(  us:\n)", r"\1    normalize: true\n", text, count=1, flags=re.M)
    scenario = load_scenario_text(text)
    weights = scenario.spec.agents.us.priorities
    assert sum(weights.values()) == pytest.approx(1.0, abs=1e-12)
    assert weights["tariff"] == pytest.approx(0.2 / 0.9)
    assert weights["investment_pledge"] == pytest.approx(0.35 / 0.9)


def test_unknown_issue_in_priorities_is_one_problem(tmp_path):
    text = edit(BASE_TEXT, "      tariff: 0.35\n", "      tarif: 0.35\n")
    problems = check(text, tmp_path)
    assert len(problems) == 1, problems
    problem = only(problems, "politics.leader_types.centrist.priorities.tarif")
    assert problem.line == line_of(text, "tarif: 0.35")
    assert "did you mean 'tariff'?" in problem.message
    assert problem.allowed == ", ".join(ISSUES)


def test_missing_issue_in_ideal(tmp_path):
    text = edit(BASE_TEXT, "        defense_budget: 2.0\n", "")
    problem = only(check(text, tmp_path), "politics.leader_types.centrist.ideal")
    assert problem.line == line_of(text, "      ideal:", after="    centrist:")
    assert "no entry for enabled issue 'defense_budget'" in problem.message
    assert "defense_budget" in problem.allowed


def test_ideal_outside_issue_range(tmp_path):
    text = edit(BASE_TEXT, "      defense_budget: 3.0 ", "      defense_budget: 7.0 ")
    problem = only(check(text, tmp_path), "agents.us.ideal.defense_budget")
    assert problem.line == line_of(text, "defense_budget: 7.0")
    assert problem.given == "7"
    assert problem.allowed == "a number in [1, 5]"


def test_negative_priority(tmp_path):
    text = edit(BASE_TEXT, "      tariff: 0.30\n", "      tariff: -0.30\n")
    problem = only(check(text, tmp_path), "agents.us.priorities.tariff")
    assert problem.given == "-0.3"
    assert problem.allowed == "a number ≥ 0"


def test_leader_type_priorities_checked(tmp_path):
    old = "priorities: {security_commitment: 0.40, tariff: 0.30,"
    text = edit(BASE_TEXT, old, "priorities: {security_commitment: 0.50, tariff: 0.30,")
    problem = only(check(text, tmp_path), "politics.leader_types.hawk.priorities")
    assert problem.line == line_of(text, "security_commitment: 0.50")
    assert "sum to 1.1" in problem.message


def test_bad_concession_style(tmp_path):
    text = edit(BASE_TEXT, "style: conceder ", "style: concedr ")
    problem = only(check(text, tmp_path), "politics.leader_types.centrist.concession.style")
    assert problem.line == line_of(text, "style: concedr")
    assert "did you mean 'conceder'?" in problem.message
    assert problem.given == "'concedr'"
    assert "'boulware'" in problem.allowed and "'conceder'" in problem.allowed


def test_bad_china_rule(tmp_path):
    from negosim.core import china_rules as china

    text = edit(BASE_TEXT, "rule: ordered_logit ", "rule: ordered_logti ")
    problem = only(check(text, tmp_path), "china.rule")
    assert problem.line == line_of(text, "ordered_logti")
    assert "did you mean 'ordered_logit'?" in problem.message
    assert all(f"'{name}'" in problem.allowed for name in china.CHINA_RULES)


def test_bad_successor_shares(tmp_path):
    text = edit(
        BASE_TEXT, "{dove: 0.3, centrist: 0.3, hawk: 0.4}", "{dove: 0.3, centrist: 0.3, hak: 0.5}"
    )
    problems = check(text, tmp_path)
    line = line_of(text, "successor_shares:")
    unknown = only(problems, "politics.election.successor_shares.hak")
    assert unknown.line == line
    assert "did you mean 'hawk'?" in unknown.message
    assert "dove, centrist, hawk" in unknown.allowed
    total = only(problems, "politics.election.successor_shares")
    assert total.line == line
    assert "sum to 1.1" in total.message


def test_replacement_delay_order(tmp_path):
    text = edit(BASE_TEXT, "replacement_delay: [2, 3]", "replacement_delay: [3, 2]")
    problem = only(check(text, tmp_path), "politics.election.replacement_delay")
    assert problem.given == "[3, 2]"
    assert problem.line == line_of(text, "replacement_delay")


def test_leader_must_be_a_leader_type(tmp_path):
    text = edit(BASE_TEXT, "leader: centrist ", "leader: centrst ")
    problem = only(check(text, tmp_path), "politics.leader")
    assert problem.line == line_of(text, "leader: centrst")
    assert "did you mean 'centrist'?" in problem.message
    assert problem.given == "'centrst'"
    assert problem.allowed == "a key of politics.leader_types: dove, centrist, hawk"


def test_threshold_order(tmp_path):
    text = edit(BASE_TEXT, "[-1.4, -0.2, 0.4, 2.0, 2.7]", "[-1.4, -0.2, -0.3, 2.0, 2.7]")
    problem = only(check(text, tmp_path), "china.thresholds.2")
    assert problem.line == line_of(text, "thresholds:")
    assert problem.given == "-0.3"
    assert problem.allowed == "a number > -0.2"


def test_threshold_count(tmp_path):
    text = edit(BASE_TEXT, "[-1.4, -0.2, 0.4, 2.0, 2.7]", "[-1.4, -0.2, 0.4, 2.0]")
    problem = only(check(text, tmp_path), "china.thresholds")
    assert "exactly 5" in problem.message and "got 4" in problem.message


def test_observables_per_level(tmp_path):
    text = edit(
        BASE_TEXT, "presence_probability: [0.95, 0.97,", "presence_probability: [1.95, 0.97,"
    )
    text = edit(
        text,
        "airspace_rate: [0.0, 0.0, 0.01, 0.3, 0.3, 0.5]",
        "airspace_rate: [0.0, 0.0, 0.01, 0.3, 0.3]",
    )
    problems = check(text, tmp_path)
    prob = only(problems, "china.observables.presence_probability.0")
    assert prob.allowed == "a number in [0, 1]"
    assert prob.line == line_of(text, "presence_probability:")
    assert "got 5" in only(problems, "china.observables.airspace_rate").message


def test_inertia_and_threat_weights_per_level(tmp_path):
    text = edit(BASE_TEXT, "inertia: [1.5, 1.5, 1.5, 1.0, 1.0, 0.0]", "inertia: [1.5, -1.5, 1.5]")
    text = edit(
        text, "threat_weights: [0, 2.5, 5, 10, 20, 30]", "threat_weights: [0, 2.5, 1, 10, 20, 30]"
    )
    problems = check(text, tmp_path)
    assert "got 3" in only(problems, "china.inertia").message
    assert only(problems, "china.inertia.1").allowed == "a number ≥ 0"
    ladder = only(problems, "china.threat_weights.2")
    assert ladder.given == "1" and ladder.allowed == "a number ≥ 2.5"
    assert ladder.line == line_of(text, "threat_weights:")


def test_grid_too_large(tmp_path):
    text = edit(BASE_TEXT, "    step: 0.1\n", "    step: 0.0001\n")
    problem = only(check(text, tmp_path), "issues")
    assert problem.line == line_of(text, "issues:")
    assert "points, more than 5,000,000" in problem.message
    assert "coarser step" in problem.message
    assert "issues.defense_budget.step" in problem.message
    assert "defense_budget: 40001" in problem.given


def test_issue_geometry(tmp_path):
    text = edit(BASE_TEXT, "    status_quo: 1.8 ", "    status_quo: 0.8 ")
    text = edit(text, "    step: 50\n", "    step: 300\n")
    text = edit(text, "    us_threat_point: 25 ", "    us_threat_point: 55 ")
    text = edit(text, '      4: "3 + operational', '      9: "3 + operational')
    problems = check(text, tmp_path)
    assert only(problems, "issues.defense_budget.status_quo").allowed == "a number in [1, 5]"
    step = only(problems, "issues.investment_pledge.step")
    assert step.line == line_of(text, "step: 300")
    assert "divides 1000" in step.allowed
    assert only(problems, "issues.tariff.us_threat_point").given == "55"
    assert only(problems, "issues.security_commitment.levels.9").line == line_of(text, '9: "3')


def test_min_not_below_max(tmp_path):
    text = edit(BASE_TEXT, "    max: 4\n", "    max: 0\n")
    problem = only(check(text, tmp_path), "issues.security_commitment.max")
    assert problem.line == line_of(text, "max: 0")
    assert problem.given == "min 0, max 0"


def test_roles_missing_and_duplicated(tmp_path):
    text = edit(BASE_TEXT, "    role: tariff\n", "    role: defense\n")
    problems = check(text, tmp_path)
    duplicate = only(problems, "issues.defense_budget.role")
    assert duplicate.line == line_of(text, "role: defense", after="  defense_budget:")
    assert "already held by enabled issue 'tariff'" in duplicate.message
    missing = only(problems, "issues")
    assert "no enabled issue has role 'tariff'" in missing.message


def test_rounds_bound_events_and_red_lines(tmp_path):
    text = edit(BASE_TEXT, "events: []", "events: [{round: 14, kind: detente}]")
    text = edit(text, "announced_round: 1\n", "announced_round: 13\n")
    problems = check(text, tmp_path)
    event = only(problems, "events.0.round")
    assert event.allowed == "an integer in [1, 12] (protocol.rounds)"
    assert event.line == line_of(text, "events:")
    red = only(problems, "politics.red_lines.0.announced_round")
    assert red.line == line_of(text, "announced_round: 13")


def test_unknown_issue_in_political_cost_and_red_line(tmp_path):
    text = edit(BASE_TEXT, "    tariff: {reference: 10,", "    tarrif: {reference: 10,")
    text = edit(text, "  - issue: defense_budget", "  - issue: defence_budget")
    problems = check(text, tmp_path)
    assert "did you mean 'tariff'?" in only(problems, "politics.political_cost.tarrif").message
    red = only(problems, "politics.red_lines.0.issue")
    assert red.line == line_of(text, "defence_budget")
    assert "did you mean 'defense_budget'?" in red.message


def test_semantic_checks_wait_for_valid_structure(tmp_path):
    text = edit(BASE_TEXT, "  omega: 0.5", "  omega: 1.5")
    text = edit(text, "      tariff: 0.30\n", "      tariff: 0.20\n")
    assert [p.path for p in check(text, tmp_path)] == ["china.omega"]


# --- disabled issues ------------------------------------------------------------------------

DISABLE = "    role: investment\n"
RED_LINE = "      announced_round: 1\n"
EXTRA_RED_LINE = RED_LINE + "    - issue: investment_pledge\n      bound: 500\n"


def test_disabling_requires_renormalising(tmp_path):
    text = edit(BASE_TEXT, DISABLE, DISABLE + "    enabled: false\n")
    problems = check(text, tmp_path)
    blocks = ["agents.us"] + [
        f"politics.leader_types.{n}" for n in BASE_DATA["politics"]["leader_types"]
    ]
    assert sorted(p.path for p in problems) == sorted(f"{b}.priorities" for b in blocks)
    assert all("normalize: true" in p.message for p in problems)


def test_disabled_issue_dropped_everywhere(tmp_path):
    text = edit(BASE_TEXT, DISABLE, DISABLE + "    enabled: false\n")
    text = edit(text, RED_LINE, EXTRA_RED_LINE)
    text = re.sub(r"^( +)(priorities:)", r"\1normalize: true\n\1\2", text, flags=re.M)
    spec = load_scenario_text(text).spec
    kept = [i for i in ISSUES if i != "investment_pledge"]
    assert list(spec.issues) == kept
    blocks = [spec.agents.us, *spec.politics.leader_types.values()]
    for block in blocks:
        assert list(block.priorities) == kept
        assert list(block.ideal) == kept
        assert sum(block.priorities.values()) == pytest.approx(1.0)
    assert "investment_pledge" not in spec.politics.political_cost
    assert [r.issue for r in spec.politics.red_lines] == ["defense_budget"]
    japan = BASE_DATA["politics"]["leader_types"]["centrist"]["priorities"]
    ratio = japan["security_commitment"] / japan["defense_budget"]
    got = spec.politics.leader_types["centrist"].priorities
    assert got["security_commitment"] / got["defense_budget"] == pytest.approx(ratio)


# --- property-based: priorities -------------------------------------------------------------

weights = st.lists(
    st.floats(min_value=0.0, max_value=10.0, allow_nan=False), min_size=4, max_size=4
)


@settings(max_examples=60, deadline=None)
@given(weights)
def test_priority_sum_rule(values):
    data = copy.deepcopy(BASE_DATA)
    CENTRIST(data)["priorities"] = dict(zip(ISSUES, values, strict=True))
    total = sum(values)
    if abs(total - 1.0) > 1e-6:
        with pytest.raises(ScenarioError) as info:
            scenario_from_mapping(data)
        (problem,) = info.value.problems
        assert problem.path == "politics.leader_types.centrist.priorities"
        assert problem.line is None
        assert "normalize: true" in problem.message
    else:
        scenario_from_mapping(data)


@settings(max_examples=60, deadline=None)
@given(weights.filter(lambda v: sum(v) > 1e-3))
def test_normalize_always_sums_to_one(values):
    data = copy.deepcopy(BASE_DATA)
    CENTRIST(data)["priorities"] = dict(zip(ISSUES, values, strict=True))
    CENTRIST(data)["normalize"] = True
    got = scenario_from_mapping(data).spec.politics.leader_types["centrist"].priorities
    assert sum(got.values()) == pytest.approx(1.0, abs=1e-9)
    for name, value in zip(ISSUES, values, strict=True):
        assert got[name] == pytest.approx(value / sum(values))


def test_given_values_are_shown_as_yaml(tmp_path):
    text = edit(BASE_TEXT, "    max: 4\n", "    max: null\n")
    problem = only(check(text, tmp_path), "issues.security_commitment.max")
    assert (problem.given, problem.allowed) == ("null", "a number")
    assert problem.line == line_of(text, "max: null")


def test_wrong_tuple_length(tmp_path):
    text = edit(BASE_TEXT, "replacement_delay: [2, 3]", "replacement_delay: [2, 3, 4]")
    problem = only(check(text, tmp_path), "politics.election.replacement_delay")
    assert problem.allowed == "a list of exactly 2 integers"
    assert problem.given == "[2, 3, 4]"
