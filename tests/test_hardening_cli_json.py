"""``--json`` and ``validate`` on experiments (issue 10, part C), checked against the files.

Each JSON document must parse, hold the documented keys, and say what the files written
by the same command say (summary.json, DIR/tables/*.csv, the registries, the declared
columns). ``validate`` must check an experiment as an experiment: its design, its base
scenario and its points, and say "experiment".
"""

from __future__ import annotations

import dataclasses
import json
import math
import re

import pandas as pd
import pytest

from conftest import (
    BASE_TEXT,
    BASELINE,
    EXPERIMENTS,
    ROOT,
    cli,
    edit,
    line_of,
    tiny_experiment,
    write,
)
from negosim.exit_codes import ExitCode

TINY = tiny_experiment("[deal_reached, china_max_level, final_tariff]")


DOC = ROOT / "docs" / "command_line.md"


def documented(command: str) -> set[str]:
    """The top-level keys docs/command_line.md lists under "### `COMMAND --json`"."""
    section = DOC.read_text(encoding="utf-8").split(f"### `{command} --json`\n", 1)[1]
    section = section.split("\n#", 1)[0]
    keys: set[str] = set()
    for row in re.findall(r"^\| (`[^|]+) \|", section, flags=re.M):
        keys |= set(re.findall(r"`([a-z_0-9]+)`", row))
    return keys


# --- run --json -----------------------------------------------------------------------------


def test_run_json_is_the_summary_json_of_the_same_run(capsys, tmp_path):
    out = tmp_path / "run"
    code, printed, err = cli(capsys, "run", BASELINE, "--seed", 7, "--json", "--out", out)
    assert code == ExitCode.OK
    document = json.loads(printed)  # standard output is the document alone
    assert set(document) == documented("negosim run CONFIG")
    assert "wrote" in err
    summary = json.loads((out / "summary.json").read_text())
    assert document["schema_version"] == 1
    assert document["seed"] == 7 == summary["runs"][0]["seed"]
    assert document["rounds"] == summary["rounds"] == 12
    assert document["outcome"] == summary["runs"][0]
    assert document["scenario"]["sha256"] == summary["scenario"]["sha256"]
    assert document["scenario"]["resolved_sha256"] == summary["scenario"]["resolved_sha256"]
    assert document["files"] == {"directory": str(out), "summary": str(out / "summary.json")}
    expected = {"deal_reached", "final_status", "final_tariff", "japan_utility", "china_max_level"}
    assert expected <= set(document["outcome"])


def test_run_json_has_no_nan_and_follows_the_seed(capsys):
    code, seven, _ = cli(capsys, "run", BASELINE, "--seed", 7, "--rounds", 4, "--json")
    code8, eight, _ = cli(capsys, "run", BASELINE, "--seed", 8, "--rounds", 4, "--json")
    assert code == code8 == ExitCode.OK
    assert "NaN" not in seven and "Infinity" not in seven
    a, b = json.loads(seven), json.loads(eight)
    assert (a["seed"], b["seed"], a["rounds"], a["rounds_run"]) == (7, 8, 4, 4)
    assert a["outcome"] != b["outcome"]
    assert a["files"] is None


def test_run_explain_json_is_still_the_explanation(capsys):
    code, printed, _ = cli(capsys, "run", BASELINE, "--explain", "--json", "--round", 2)
    assert code == ExitCode.OK
    assert [r["round"] for r in json.loads(printed)["rounds"]] == [2]


# --- validate: kinds and --json -------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(EXPERIMENTS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_experiment_and_lever_table_validates_as_what_it_is(capsys, path):
    code, out, err = cli(capsys, "validate", path)
    assert (code, err) == (ExitCode.OK, "")
    kind = "lever table" if "lever_table:" in path.read_text() else "experiment"
    assert out.startswith(f"{path}: ok ({kind}: ")


def test_an_experiment_is_not_reported_as_a_broken_scenario(capsys, tmp_path):
    text = TINY.replace("china.omega: {values: [0.0, 1.0]}", "china.omega: {values: [0.0, 1.5]}")
    path = write(tmp_path, text)
    code, out, err = cli(capsys, "validate", path)
    assert code == ExitCode.USAGE and out == ""
    line = line_of(text, "china.omega")
    assert f"{path}:{line}: design.parameters.china.omega: design point 1" in err
    assert "out of range" in err
    assert err.rstrip().endswith(f"{path}: 1 problem(s) (experiment)")
    assert "required field missing" not in err  # the scenario's fields are not asked of it


def test_an_experiment_is_checked_with_the_scenario_it_names(capsys, tmp_path):
    broken = write(tmp_path, edit(BASE_TEXT, "  omega: 0.5 ", "  omega: 7 "), "base.yaml")
    path = write(tmp_path, TINY.replace(str(BASELINE), "base.yaml"))
    code, _, err = cli(capsys, "validate", path)
    assert code == ExitCode.USAGE
    assert f"{path}:{line_of(TINY, 'scenario:')}: scenario: the base scenario" in err
    assert f"{broken}:" in err and "china.omega: out of range" in err
    assert "(experiment)" in err


def test_experiment_fields_are_checked_with_lines(capsys, tmp_path):
    text = TINY.replace("replicates: 3", "replicates: three").replace(
        "  method: grid", "  method: gird"
    )
    path = write(tmp_path, text)
    code, _, err = cli(capsys, "validate", path)
    assert code == ExitCode.USAGE
    assert f"{path}:{line_of(text, 'replicates:')}: replicates: wrong type" in err
    assert f"{path}:{line_of(text, 'method: gird')}: design.method" in err


def test_validate_json_holds_every_file_with_its_problems(capsys, tmp_path):
    scenario = write(tmp_path, edit(BASE_TEXT, "  omega: 0.5 ", "  omega: 1.5 "), "s.yaml")
    experiment = write(tmp_path, TINY)
    missing = tmp_path / "gone.yaml"
    code, out, err = cli(capsys, "validate", "--json", BASELINE, scenario, experiment, missing)
    assert code == ExitCode.USAGE and err == ""
    document = json.loads(out)
    assert set(document) == documented("negosim validate FILE...")
    assert document["schema_version"] == 1 and document["ok"] is False
    files = {entry["path"]: entry for entry in document["files"]}
    assert [e["path"] for e in document["files"]] == [
        str(p) for p in (BASELINE, scenario, experiment, missing)
    ]
    assert files[str(BASELINE)] == {
        "path": str(BASELINE),
        "kind": "scenario",
        "ok": True,
        "detail": "",
        "problems": [],
    }
    (problem,) = files[str(scenario)]["problems"]
    assert problem == {
        "file": str(scenario),
        "line": line_of(BASE_TEXT, "  omega: 0.5 "),
        "field": "china.omega",
        "message": "out of range",
        "given": "1.5",
        "allowed": "a number in [0, 1]",
    }
    assert files[str(experiment)]["kind"] == "experiment" and files[str(experiment)]["ok"]
    assert files[str(experiment)]["detail"].startswith("2 points × 3 replicates = 6 runs")
    gone = files[str(missing)]
    assert (gone["kind"], gone["ok"]) == (None, False)
    assert gone["problems"][0]["message"] == f"cannot read {missing}: No such file or directory"
    # the text form says the same problems
    _, _, text = cli(capsys, "validate", scenario)
    assert f"{scenario}:{problem['line']}: china.omega: out of range (given: 1.5;" in text


# --- list --json ----------------------------------------------------------------------------


def test_list_json_holds_every_registry_entry(capsys):
    from negosim.core.china_rules import CHINA_RULES
    from negosim.core.concession import CONCESSION_STYLES
    from negosim.core.events import EVENT_KINDS

    code, out, _ = cli(capsys, "list", "--json")
    assert code == ExitCode.OK
    document = json.loads(out)
    assert set(document) == documented("negosim list")
    registries = {r["kind"]: r for r in document["registries"]}
    for registry in (CONCESSION_STYLES, CHINA_RULES, EVENT_KINDS):
        listed = registries[registry.kind]
        assert listed["field"] == registry.field
        assert [e["name"] for e in listed["entries"]] == [e.name for e in registry.values()]
        for entry, data in zip(registry.values(), listed["entries"], strict=True):
            assert data["citation"] == entry.citation and data["summary"] == entry.summary()
            assert set(data["parameters"]) == set(entry.Parameters.model_fields)
    boulware = next(e for e in registries["concession style"]["entries"] if e["name"] == "boulware")
    assert boulware["properties"]["tough"] is True


def test_list_columns_json_is_the_declared_columns(capsys, baseline):
    from negosim.columns import declared

    code, out, _ = cli(capsys, "list", "columns", BASELINE, "--json")
    assert code == ExitCode.OK
    document = json.loads(out)
    assert set(document) == documented("negosim list columns [CONFIG]")
    assert document["scenario"] == str(BASELINE)
    expected = [json.loads(json.dumps(dataclasses.asdict(c))) for c in declared(baseline)]
    assert document["columns"] == expected
    assert {"round", "run"} == {c["table"] for c in document["columns"]}


# --- sweep --json ---------------------------------------------------------------------------


def _same(json_value: object, csv_value: object) -> bool:
    if json_value is None:
        return csv_value is None or (isinstance(csv_value, float) and math.isnan(csv_value))
    if isinstance(json_value, float | int) and not isinstance(json_value, bool):
        return math.isclose(json_value, float(csv_value), rel_tol=1e-12, abs_tol=1e-15)
    return str(json_value) == str(csv_value)


def test_sweep_json_is_the_report_with_every_row_of_the_tables(capsys, tmp_path):
    from negosim.sweep import load_sweep

    out = tmp_path / "out"
    experiment = write(tmp_path, TINY)
    args = ("sweep", experiment, "--out", out, "--no-progress", "--executor", "inline", "--json")
    code, printed, _ = cli(capsys, *args)
    assert code == ExitCode.OK
    document = json.loads(printed)
    assert set(document) == documented("negosim sweep EXPERIMENT")
    assert document["schema_version"] == 1
    assert (document["experiment"], document["points"], document["replicates"]) == ("tiny", 2, 3)
    assert document["runs"] == 6 and document["ran"]["runs"] == 6 and document["complete"]
    assert document["reported"] == ["deal_reached", "china_max_level", "final_tariff"]
    assert set(document["tables"]) == {"agreement", "distributions", "variance"}
    for name, rows in document["tables"].items():
        csv = pd.read_csv(document["files"][name])
        assert len(rows) == len(csv) and list(rows[0]) == list(csv.columns), name
        for row, (_, expected) in zip(rows, csv.iterrows(), strict=True):
            for column, value in row.items():
                assert _same(value, expected[column]), (name, column, value, expected[column])
    runs = load_sweep(out).runs
    agreement = {row["point"]: row for row in document["tables"]["agreement"]}
    for point, group in runs.groupby("point"):
        assert agreement[point]["runs"] == len(group)
        assert agreement[point]["agreement"] == pytest.approx(group["deal_reached"].mean())
