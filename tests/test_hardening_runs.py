"""Overrides are validated like the file; degenerate scenarios run or are refused cleanly; no
result is NaN or infinite unnoticed (issue 10).

``--rounds``, the seeds and an experiment's ``rounds:`` go through the checks the file's own
``protocol.rounds`` and ``seed`` go through (an event after the last round is refused, not
dropped). Every run ends with a finiteness check over its recorded columns.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import BASE_TEXT, BASELINE, cli, edit, line_of
from negosim.columns import NonFiniteResultError, check_finite, declared_for
from negosim.model import NegotiationModel
from negosim.outcomes import round_table, summarize
from negosim.scenario import ScenarioError, load_scenario, load_scenario_text
from negosim.sweep import load_experiment

EVENT_9 = "events:\n  - {round: 9, kind: tariff_letter, value: 25.0}\n"
WITH_EVENT = BASE_TEXT.replace("\nevents: []", "\n" + EVENT_9 + "#", 1)


def finite_run(scenario, seeds=(1, 2), rounds=None):
    model = NegotiationModel(scenario, seeds=list(seeds), rounds=rounds).run()
    return model, round_table(model), summarize(model)  # each checks finiteness


# --- overrides ---------------------------------------------------------------------------


def test_the_file_itself_refuses_a_late_event():
    text = WITH_EVENT.replace("  rounds: 12 ", "  rounds: 6 ", 1)
    with pytest.raises(ScenarioError, match=r"events\.0\.round: after the last round"):
        load_scenario_text(text, "six.yaml")


def test_rounds_override_refuses_the_event_the_file_would(tmp_path, capsys):
    path = tmp_path / "event.yaml"
    path.write_text(WITH_EVENT, encoding="utf-8")
    code, _, err = cli(capsys, "run", path, "--rounds", "6", "--quiet")
    assert code == 2
    line = line_of(WITH_EVENT, "{round: 9")
    assert f"{path}:{line}: events.0.round: after the last round of a 6-round run" in err
    assert "--rounds" in err and "allowed: an integer in [1, 6]" in err
    assert "Traceback" not in err
    code, out, _ = cli(capsys, "run", path, "--rounds", "9", "--quiet")
    assert code == 0 and "deal" in out


def test_rounds_override_checks_red_lines_too(baseline):
    from negosim.scenario import scenario_from_mapping

    data = dict(baseline.data)
    line = {"issue": "tariff", "bound": 20.0, "breached_when": "above", "announced_round": 5}
    data["politics"] = {**data["politics"], "red_lines": [line]}
    with_line = scenario_from_mapping(data)
    with pytest.raises(ScenarioError, match="announced after the last round of a 3-round run"):
        NegotiationModel(with_line, seeds=[1], rounds=3)
    NegotiationModel(with_line, seeds=[1], rounds=5)


@pytest.mark.parametrize("rounds", [0, -1, 121, True, 2.5])
def test_rounds_out_of_the_files_range_are_refused(baseline, rounds):
    with pytest.raises(ScenarioError, match=r"protocol\.rounds: months to simulate out of range"):
        NegotiationModel(baseline, seeds=[1], rounds=rounds)


@pytest.mark.parametrize("seed", [-1, 2**63, 2**70])
def test_seeds_out_of_the_files_range_are_refused(baseline, seed):
    with pytest.raises(ScenarioError, match="seed: not a valid replicate seed") as err:
        NegotiationModel(baseline, seeds=[1, seed])
    assert "[0, 2^63)" in str(err.value)


def test_an_experiments_rounds_are_checked_against_its_scenario(tmp_path):
    base = tmp_path / "event.yaml"
    base.write_text(WITH_EVENT, encoding="utf-8")
    text = (
        f"name: short\nscenario: {base}\nseed: 1\nreplicates: 2\nrounds: 6\n"
        "design:\n  parameters:\n    china.omega: {values: [0.25, 0.5]}\n"
    )
    path = tmp_path / "exp.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    message = str(err.value)
    assert f"{path}:5: rounds: design point 0: events.0.round: after the last round" in message
    assert "the experiment's rounds: 6" in message
    path.write_text(text.replace("rounds: 6", "rounds: 9"), encoding="utf-8")
    assert load_experiment(path).rounds == 9


@pytest.mark.parametrize(
    ("values", "needle"),
    [("[0.25, .nan]", "must be a finite number"), ("[0.25, 1.5]", "out of range")],
)
def test_sweep_points_are_validated_like_the_file(tmp_path, values, needle):
    path = tmp_path / "exp.yaml"
    path.write_text(
        f"name: pts\nscenario: {BASELINE}\nseed: 1\nreplicates: 2\n"
        f"design:\n  parameters:\n    china.omega: {{values: {values}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    assert f"{path}:7: design.parameters.china.omega" in str(err.value)
    assert needle in str(err.value)


# --- the end-of-run finiteness check ---------------------------------------------------


def test_check_finite_allows_nan_only_where_a_column_declares_missing(baseline):
    model = NegotiationModel(baseline, seeds=[1], rounds=2).run()
    columns = declared_for(model, "round")
    table = round_table(model)
    nullable = next(c.name for c in columns if c.nullable and c.dtype == "float64")
    strict = next(c.name for c in columns if not c.nullable and c.dtype == "float64")
    check_finite({nullable: np.array([np.nan, 1.0])}, columns, "t", "s")
    for name, value in ((strict, np.nan), (strict, np.inf), (nullable, -np.inf)):
        broken = {**table, name: np.where(np.arange(len(table[name])) == 1, value, 0.0)}
        with pytest.raises(NonFiniteResultError, match=f"t: not a finite number in {name} "):
            check_finite(broken, columns, "t", "s")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the NaN approval, cast to a level
def test_every_run_ends_with_the_check(baseline):
    model = NegotiationModel(baseline, seeds=[1, 2], rounds=2).run()
    model.state.approval[1] = np.nan  # as an unchecked parameter would leave it
    with pytest.raises(NonFiniteResultError, match=r"per-run summary: .*final_approval") as err:
        summarize(model)
    assert isinstance(err.value, ScenarioError)  # the command line reports it, exit 2
    model.history[0].columns["approval"][0] = np.inf
    with pytest.raises(NonFiniteResultError, match=r"per-round table: .*approval"):
        round_table(model)


@pytest.mark.parametrize("preset", sorted(p.name for p in BASELINE.parent.glob("*.yaml")))
def test_shipped_presets_record_only_finite_results(preset):
    finite_run(load_scenario(BASELINE.parent / preset), seeds=(3, 4))


# --- degenerate scenarios ---------------------------------------------------------------


def problems(text: str) -> str:
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(text, "degenerate.yaml")
    return str(err.value)


def test_one_issue_is_refused_naming_the_missing_roles():
    text = BASE_TEXT
    for name in ("tariff", "defense_budget", "investment_pledge"):
        text = text.replace(f"  {name}:\n    role:", f"  {name}:\n    enabled: false\n    role:", 1)
    message = problems(text)
    assert "no enabled issue has role 'tariff'" in message
    assert "no enabled issue has role 'defense'" in message


def test_the_optional_issue_disabled_runs(baseline):
    from negosim.scenario import apply_overrides, scenario_from_mapping

    blocks = ["agents.us", *(f"politics.leader_types.{t}" for t in ("dove", "centrist", "hawk"))]
    overrides = {"issues.investment_pledge.enabled": False}
    overrides |= {f"{block}.normalize": True for block in blocks}
    scenario = scenario_from_mapping(apply_overrides(dict(baseline.data), overrides))
    assert "investment_pledge" not in scenario.issue_names
    finite_run(scenario, rounds=3)


def test_a_zero_width_range_is_refused():
    text = BASE_TEXT.replace("    max: 4\n", "    max: 0\n", 1)
    assert "issues.security_commitment.max: max must be greater than min" in problems(text)


def test_identical_ideal_points_run(baseline):
    from negosim.scenario import scenario_from_mapping

    data = dict(baseline.data)
    leaders = {
        name: {**leader, "ideal": dict(data["agents"]["us"]["ideal"])}
        for name, leader in data["politics"]["leader_types"].items()
    }
    data["politics"] = {**data["politics"], "leader_types": leaders}
    _, _, summary = finite_run(scenario_from_mapping(data), seeds=(1, 2, 3), rounds=6)
    assert summary["deal_reached"].dtype == bool


def test_a_reservation_above_every_outcome_runs_without_a_deal(baseline):
    from negosim.scenario import apply_overrides, scenario_from_mapping

    data = apply_overrides(
        dict(baseline.data), {"agents.us.outside_option": 1.0, "agents.japan.outside_option": 1.0}
    )
    _, _, summary = finite_run(scenario_from_mapping(data), seeds=(1, 2, 3), rounds=6)
    assert not summary["deal_reached"].any()


def test_zero_rounds_are_refused_and_one_round_runs(baseline):
    assert "protocol.rounds: out of range" in problems(
        edit(BASE_TEXT, "  rounds: 12 ", "  rounds: 0 ")
    )
    model, table, _ = finite_run(baseline, rounds=1)
    assert model.rounds == 1 and set(table["round"]) == {1}
    one = load_scenario_text(edit(BASE_TEXT, "  rounds: 12 ", "  rounds: 1 "))
    finite_run(one)


def test_one_replicate_runs_and_sweeps(tmp_path):
    from negosim.sweep import load_sweep, run_sweep

    _, _, summary = finite_run(load_scenario(BASELINE), seeds=(7,), rounds=2)
    assert len(summary["replicate"]) == 1
    path = tmp_path / "one.yaml"
    path.write_text(
        f"name: one\nscenario: {BASELINE}\nseed: 1\nreplicates: 1\nrounds: 2\n"
        "design:\n  parameters:\n    china.omega: {values: [0.5]}\n",
        encoding="utf-8",
    )
    run_sweep(load_experiment(path), tmp_path / "out", workers=1, progress=False)
    assert len(load_sweep(tmp_path / "out").runs) == 1
