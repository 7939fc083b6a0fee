"""Lever table files: errors with file, line and field; the command; the generated document.

A lever table is checked like a scenario or an experiment: every problem names the file,
the line, the dotted field, what was given and what is allowed; both settings of a lever
go through the normal scenario loader. ``negosim sweep`` and ``negosim levers`` each refuse
the other's file by name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BASELINE, EXPERIMENTS, ROOT, cli, line_of, write
from negosim.levers import load_levers, measure_table
from negosim.scenario import ScenarioError
from negosim.sweep import load_experiment

LEVERS = """\
lever_table:
  name: small
  scenario: {scenario}
  seed: 5
  replicates: 30
groups:
  g:
    title: A group
    levers:
      - name: inert
        what: Asian markets' beta, which the talks never read.
        path: markets.asia_beta
        low: 0.6
        high: 0.9
        note: Markets do not feed back on the talks.
        outcomes:
          - outcome: deal_reached
            predicts: none
            theory: docs/model.md §7
            why: Nothing in the talks reads the Asian index.
      - name: taiwan
        what: A Taiwan statement in round 2.
        path: events
        low: []
        high: [{{round: 2, kind: taiwan_statement, value: 1.0}}]
        rounds: 3
        outcomes:
          - outcome: china_max_level
            predicts: up
            theory: Jervis 1976
            why: A statement raises China's pressure.
          - outcome: first_deal_round
            predicts: down
            theory: none
            why: No deal comes in three months, so there is no pair to compare.
"""


def _text(**replace: str) -> str:
    text = LEVERS.format(scenario=BASELINE)
    for old, new in replace.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _problems(tmp_path: Path, text: str) -> list:
    path = write(tmp_path, text, "levers.yaml")
    with pytest.raises(ScenarioError) as err:
        load_levers(path)
    return err.value.problems


def test_the_small_table_loads_and_builds_both_settings(tmp_path: Path) -> None:
    table = load_levers(write(tmp_path, _text(), "levers.yaml"))
    inert = table.lever("inert")
    assert inert.scenarios["low"].spec.markets.asia_beta == 0.6
    assert inert.scenarios["high"].spec.markets.asia_beta == 0.9
    assert len(table.lever("taiwan").scenarios["high"].spec.events) == 1
    with pytest.raises(KeyError, match="known: inert, taiwan"):
        table.lever("nope")


def test_a_bad_path_names_the_line_and_the_close_matches(tmp_path: Path) -> None:
    text = _text(**{"path: markets.asia_beta": "path: markets.asia_bta"})
    (problem,) = _problems(tmp_path, text)
    assert problem.path == "groups.g.levers.0.path"
    assert problem.line == line_of(text, "path: markets.asia_bta")
    assert "names no parameter of the scenario" in problem.message
    assert "markets.asia_beta" in (problem.allowed or "")


def test_a_bad_outcome_name_says_what_it_meant(tmp_path: Path) -> None:
    text = _text(**{"outcome: deal_reached": "outcome: deal_reachd"})
    (problem,) = _problems(tmp_path, text)
    assert problem.path == "groups.g.levers.0.outcomes.0.outcome"
    assert problem.line == line_of(text, "outcome: deal_reachd")
    assert "did you mean 'deal_reached'" in problem.message
    assert "joint_utility" in (problem.allowed or "")


def test_a_category_outcome_is_refused(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, _text(**{"outcome: deal_reached": "outcome: final_status"}))
    assert "a category has no mean" in problem.message


@pytest.mark.parametrize("field", ["low", "high"])
def test_a_missing_setting_is_reported_at_its_lever(tmp_path: Path, field: str) -> None:
    text = _text(**{f"        {field}: 0.{6 if field == 'low' else 9}\n": ""})
    (problem,) = _problems(tmp_path, text)
    assert problem.path == f"groups.g.levers.0.{field}"
    assert problem.message == "required field missing"
    assert problem.line == line_of(text, "- name: inert")


def test_a_value_out_of_range_goes_through_the_scenario_checks(tmp_path: Path) -> None:
    text = _text(**{"path: markets.asia_beta": "path: china.omega", "high: 0.9": "high: 1.5"})
    (problem,) = _problems(tmp_path, text)
    assert problem.path == "groups.g.levers.0.high"
    assert problem.line == line_of(text, "high: 1.5")
    assert "china.omega" in problem.message and "out of range" in problem.message


def test_equal_settings_duplicate_names_and_mismatched_mappings(tmp_path: Path) -> None:
    assert (
        "would change nothing"
        in _problems(tmp_path, _text(**{"high: 0.9": "high: 0.6"}))[0].message
    )
    (dup,) = _problems(tmp_path, _text(**{"name: taiwan": "name: inert"}))
    assert dup.path == "groups.g.levers.1.name" and "also the name of" in dup.message
    text = _text(
        **{
            "path: markets.asia_beta": "path: [markets.asia_beta, china.omega]",
            "low: 0.6": "low: {markets.asia_beta: 0.6}",
        }
    )
    (mapping,) = _problems(tmp_path, text)
    assert (
        mapping.path == "groups.g.levers.0.low" and "exactly the lever's paths" in mapping.message
    )


def test_several_paths_take_one_value_or_a_mapping(tmp_path: Path) -> None:
    text = _text(
        **{
            "path: markets.asia_beta": "path: [protocol.rounds, protocol.deadline]",
            "low: 0.6": "low: 12",
            "high: 0.9": "high: {protocol.rounds: 18, protocol.deadline: 16}",
        }
    )
    lever = load_levers(write(tmp_path, text, "levers.yaml")).lever("inert")
    assert lever.overrides["low"] == {"protocol.rounds": 12, "protocol.deadline": 12}
    assert (
        lever.scenarios["high"].spec.protocol.rounds,
        lever.scenarios["high"].spec.protocol.deadline,
    ) == (18, 16)


def test_an_experiment_is_not_a_lever_table_and_back(tmp_path: Path) -> None:
    experiment = EXPERIMENTS / "omega_commitment.yaml"
    with pytest.raises(
        ScenarioError, match="this is a sweep experiment, run it with negosim sweep"
    ):
        load_levers(experiment)
    spec = EXPERIMENTS / "levers.yaml"
    with pytest.raises(ScenarioError) as err:
        load_experiment(spec)
    (problem,) = err.value.problems
    assert problem.source == str(spec) and f"negosim levers {spec}" in problem.message


def test_negosim_sweep_on_the_lever_table_fails_naming_the_file(capsys) -> None:
    spec = EXPERIMENTS / "levers.yaml"
    code, _, err = cli(capsys, "sweep", spec)
    assert code == 2
    assert f"{spec} is a lever table, not a sweep experiment" in err


def test_the_measured_table_is_rendered_without_nan(capsys, tmp_path: Path) -> None:
    spec = write(tmp_path, _text(), "levers.yaml")
    out = tmp_path / "levers.md"
    code, printed, _ = cli(capsys, "levers", spec, "--replicates", 25, "--seed", 3, "--out", out)
    assert code == 0 and f"wrote {out}" in printed
    text = out.read_text()
    assert f"negosim levers {spec} --replicates 25 --seed 3 --workers 1" in text
    assert load_levers(spec).base.resolved_sha256 in text
    assert "| `inert` | `markets.asia_beta` 0.6 → 0.9 | `deal_reached` |" in text
    assert "+0.000 [+0.000, +0.000]" in text and "| agrees |" in text
    assert "(with 3-month runs)" in text
    assert "no pair has this outcome in both runs" in text and "**no valid pairs**" in text
    assert "nan" not in text.lower()
    assert "## Inert and wrong-signed levers" in text


def test_workers_do_not_change_the_measurement(tmp_path: Path) -> None:
    table = load_levers(write(tmp_path, _text(), "levers.yaml"))
    one = measure_table(table, replicates=20, workers=1)
    two = measure_table(table, replicates=20, workers=2)
    assert [(r.lever.name, r.row.label, r.effect) for r in one] == [
        (r.lever.name, r.row.label, r.effect) for r in two
    ]


def test_docs_levers_lists_every_lever_of_the_spec() -> None:
    doc = (ROOT / "docs" / "levers.md").read_text()
    table = load_levers(EXPERIMENTS / "levers.yaml")
    missing = [lever.name for lever in table.levers if f"| `{lever.name}` |" not in doc]
    assert not missing, f"regenerate docs/levers.md (negosim levers): {missing}"
