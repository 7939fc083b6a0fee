"""A sweep's directory and its experiment file: what is refused, what is recorded, and how.

The output directory belongs to one experiment: another experiment, a second run without
``--resume`` and a foreign non-empty directory are refused, through the API
(:class:`SweepDirectoryError`) and the CLI (exit 2, one clear line). The manifest records
what ran; every file lands atomically. Bad experiment files are refused before anything
runs, with ``file:line: field.path: message (given; allowed)`` and close matches.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from conftest import BASE_TEXT, BASELINE, cli, edit, line_of, write
from negosim.results import versions
from negosim.scenario import ScenarioError
from negosim.sweep import load_experiment, load_sweep, run_sweep
from negosim.sweep.store import SweepDirectoryError

TINY = f"""\
name: alpha
description: a tiny sweep
scenario: {BASELINE}
seed: 5
replicates: 7
rounds: 6
design:
  method: grid
  parameters:
    china.omega: {{values: [0.0, 0.75]}}
    issues.security_commitment.status_quo: {{values: [1, 3]}}
keep:
  runs: [deal_reached, final_tariff, china_max_level]
  rounds: [coercion_level]
report: [deal_reached, final_tariff, china_max_level]
"""


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root: its bytes and modification time."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def tiny(tmp_path):
    return load_experiment(write(tmp_path, TINY))


@pytest.fixture
def finished(tiny, tmp_path):
    out = tmp_path / "out"
    run_sweep(tiny, out, executor="inline", chunk_runs=5, progress=False)
    return out


# --- refusing directories -----------------------------------------------------------------


def test_a_directory_of_another_experiment_is_refused(finished, tmp_path):
    other = load_experiment(
        write(
            tmp_path,
            TINY.replace("name: alpha", "name: beta").replace("seed: 5", "seed: 6"),
            "b.yaml",
        )
    )
    before = snapshot(finished)
    with pytest.raises(SweepDirectoryError) as err:
        run_sweep(other, finished, executor="inline", progress=False)
    message = str(err.value)
    assert "different experiment" in message
    assert "'alpha'" in message and "'beta'" in message
    identity = json.loads((finished / "manifest.json").read_text())["identity"]
    assert identity[:12] in message and other.sha256[:12] in message
    with pytest.raises(SweepDirectoryError):  # --resume does not make it ours either
        run_sweep(other, finished, executor="inline", resume=True, progress=False)
    assert snapshot(finished) == before


def test_the_cli_refuses_another_experiments_directory_with_exit_2(finished, tmp_path, capsys):
    other = write(
        tmp_path, TINY.replace("name: alpha", "name: beta").replace("seed: 5", "seed: 6"), "b.yaml"
    )
    before = snapshot(finished)
    code, out, err = cli(capsys, "sweep", other, "--out", finished, "--no-progress")
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"negosim sweep: {finished} holds results of a different experiment")
    assert "'alpha'" in lines[0] and "'beta'" in lines[0]
    assert "choose another --out" in lines[0]
    assert snapshot(finished) == before


def test_a_changed_base_scenario_makes_it_another_experiment(tmp_path):
    scenario = tmp_path / "base.yaml"
    scenario.write_text(BASE_TEXT, encoding="utf-8")
    path = write(tmp_path, TINY.replace(str(BASELINE), "base.yaml"))  # relative to the file
    run_sweep(load_experiment(path), tmp_path / "out", executor="inline", progress=False)
    scenario.write_text(BASE_TEXT + "\n# an edit\n", encoding="utf-8")
    with pytest.raises(SweepDirectoryError, match="different experiment"):
        run_sweep(load_experiment(path), tmp_path / "out", resume=True, progress=False)


def test_the_same_experiment_again_needs_resume(finished, tiny, capsys):
    with pytest.raises(SweepDirectoryError) as err:
        run_sweep(tiny, finished, executor="inline", progress=False)
    assert "already holds this experiment (finished)" in str(err.value)
    assert "pass --resume" in str(err.value)
    code, out, stderr = cli(capsys, "sweep", tiny.source, "--out", finished, "--no-progress")
    assert code == 2 and out == ""
    assert "--resume" in stderr and "already holds this experiment" in stderr


def test_an_unfinished_sweep_is_named_unfinished(finished, tiny):
    manifest = json.loads((finished / "manifest.json").read_text())
    manifest["finished"] = None
    (finished / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SweepDirectoryError, match=r"already holds this experiment \(unfinished\)"):
        run_sweep(tiny, finished, executor="inline", progress=False)


def test_a_non_empty_directory_without_manifest_is_refused(tiny, tmp_path, capsys):
    out = tmp_path / "elsewhere"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(SweepDirectoryError, match="not empty and holds no sweep manifest"):
        run_sweep(tiny, out, executor="inline", progress=False)
    with pytest.raises(SweepDirectoryError):
        run_sweep(tiny, out, executor="inline", resume=True, progress=False)
    code, _, err = cli(capsys, "sweep", tiny.source, "--out", out, "--no-progress")
    assert code == 2 and "holds no sweep manifest" in err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_an_empty_existing_directory_is_accepted(tiny, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert run_sweep(tiny, out, executor="inline", progress=False).runs_run == 28


def test_resuming_a_finished_sweep_runs_nothing_and_keeps_its_files(finished, tiny, capsys):
    parts = {k: v for k, v in snapshot(finished).items() if k != "manifest.json"}
    first = json.loads((finished / "manifest.json").read_text())
    outcome = run_sweep(tiny, finished, executor="process", resume=True, progress=False)
    assert (outcome.chunks, outcome.chunks_run, outcome.runs_run) == (6, 0, 0)
    assert {k: v for k, v in snapshot(finished).items() if k != "manifest.json"} == parts
    manifest = json.loads((finished / "manifest.json").read_text())
    assert manifest["resumed"] == [first["finished"]]
    assert manifest["started"] == first["started"] and manifest["finished"]
    code, out, _ = cli(capsys, "sweep", tiny.source, "--out", finished, "--resume", "--no-progress")
    assert code == 0
    assert "ran 0 runs in 0 chunks" in out
    assert "Agreement rate per point" in out  # the report is still printed
    after = snapshot(finished)
    assert {k: v for k, v in after.items() if k != "manifest.json" and k in parts} == parts
    assert {k for k in after if k not in parts} - {"manifest.json"} == {  # the report's tables
        f"tables/{name}.{kind}"
        for name in ("agreement", "distributions", "variance")
        for kind in ("csv", "md")
    }


# --- what is recorded ---------------------------------------------------------------------


def test_manifest_records_what_ran(finished, tiny):
    manifest = json.loads((finished / "manifest.json").read_text())
    assert manifest["format"] == 1
    assert manifest["identity"] == tiny.sha256
    assert (
        manifest["identity"]
        == hashlib.sha256(TINY.encode() + b"\0" + BASE_TEXT.encode()).hexdigest()
    )
    assert manifest["experiment"] == {"name": "alpha", "source": tiny.source, "text": TINY}
    sha = hashlib.sha256(BASELINE.read_bytes()).hexdigest()
    recorded = manifest["scenario"]
    assert {k: recorded[k] for k in ("source", "sha256", "text")} == {
        "source": str(BASELINE),
        "sha256": sha,
        "text": BASE_TEXT,
    }
    assert recorded["chain"] == [{"source": str(BASELINE), "sha256": sha, "text": BASE_TEXT}]
    assert recorded["resolved"] == tiny.base.resolved  # every default, JSON-ready
    assert recorded["resolved"]["politics"]["approval"]["noise_sd"] == 0.02
    assert recorded["resolved_sha256"] == tiny.base.resolved_sha256
    assert manifest["design"] == {
        "method": "grid",
        "second_order": False,
        "parameters": ["china.omega", "issues.security_commitment.status_quo"],
        "points": 4,
    }
    assert manifest["replicates"] == 7 and manifest["total_runs"] == 28
    assert manifest["rounds"] == 6
    assert manifest["master_seed"] == 5
    assert manifest["common_random_numbers"] is False
    assert "derive_seeds" in manifest["seed_derivation"]
    assert manifest["chunk_runs"] == 5 and manifest["chunks"] == math.ceil(28 / 5)
    assert manifest["keep"] == {
        "runs": ["deal_reached", "final_tariff", "china_max_level"],
        "rounds": ["coercion_level"],
    }
    assert manifest["versions"] == versions()
    assert {"python", "negosim", "numpy", "pyarrow"} <= set(manifest["versions"])
    assert manifest["executor"] == {"kind": "inline", "workers": os.cpu_count() or 1}
    started = datetime.fromisoformat(manifest["started"])
    ended = datetime.fromisoformat(manifest["finished"])
    assert started.tzinfo is not None and started <= ended
    assert "resumed" not in manifest


def test_manifest_versions_cover_the_design_libraries(finished):
    recorded = {k.lower() for k in json.loads((finished / "manifest.json").read_text())["versions"]}
    assert {"scipy", "salib"} <= recorded


def test_resume_refuses_design_points_that_differ_from_the_stored_ones(tmp_path, monkeypatch):
    text = TINY.replace(
        "  method: grid\n  parameters:\n"
        "    china.omega: {values: [0.0, 0.75]}\n"
        "    issues.security_commitment.status_quo: {values: [1, 3]}\n",
        "  method: latin_hypercube\n  samples: 4\n  parameters:\n"
        "    china.omega: {min: 0, max: 1}\n",
    )
    experiment = load_experiment(write(tmp_path, text))
    out = tmp_path / "out"

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("negosim.sweep.runner._drive", interrupted)
    with pytest.raises(KeyboardInterrupt):  # stopped once parameters and manifest exist
        run_sweep(experiment, out, executor="inline", progress=False)
    monkeypatch.undo()
    # what another scipy would compute from the same files: same identity, other points
    moved = dataclasses.replace(experiment, points=[{"china.omega": 0.5}] * 4)
    with pytest.raises((SweepDirectoryError, ValueError)):
        run_sweep(moved, out, executor="inline", resume=True, progress=False)


def test_files_are_atomic_and_parameters_match_the_design(finished, tiny):
    assert not [p for p in finished.rglob("*") if p.name.endswith(".tmp")]
    assert sorted(p.name for p in finished.iterdir()) == [
        "manifest.json",
        "parameters.parquet",
        "rounds",
        "runs",
    ]
    names = [f"part-{i:06d}.parquet" for i in range(6)]
    assert sorted(p.name for p in (finished / "runs").iterdir()) == names
    assert sorted(p.name for p in (finished / "rounds").iterdir()) == names
    mask = os.umask(0)
    os.umask(mask)
    for path in finished.rglob("*.parquet"):
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask  # shareable, not mkstemp's 0600

    params = pd.read_parquet(finished / "parameters.parquet")
    assert list(params.columns) == ["point", *tiny.parameter_paths]
    assert params["point"].tolist() == list(range(len(tiny.points)))
    assert params.drop(columns="point").to_dict("records") == tiny.points
    assert params["issues.security_commitment.status_quo"].dtype == "int64"

    sweep = load_sweep(finished)
    assert sweep.complete
    assert list(sweep.runs.columns) == [
        "point",
        "replicate",
        "seed",
        "deal_reached",
        "final_tariff",
        "china_max_level",
        "china.omega",
        "issues.security_commitment.status_quo",
    ]
    assert list(sweep.rounds.columns) == [  # rounds carry their point's parameters too
        "point",
        "replicate",
        "seed",
        "round",
        "coercion_level",
        "china.omega",
        "issues.security_commitment.status_quo",
    ]
    assert len(sweep.runs) == 28 and len(sweep.rounds) == 28 * 6
    assert sweep.runs[["point", "replicate"]].drop_duplicates().shape[0] == 28


def test_rounds_none_writes_no_rounds_and_resume_counts_runs_files_only(tmp_path):
    text = TINY.replace("  rounds: [coercion_level]\n", "  rounds: none\n")
    experiment = load_experiment(write(tmp_path, text))
    out = tmp_path / "out"
    run_sweep(experiment, out, executor="inline", chunk_runs=10, progress=False)
    assert not (out / "rounds").exists()
    sweep = load_sweep(out)
    assert sweep.rounds.empty and len(sweep.runs) == 28
    assert run_sweep(experiment, out, resume=True, progress=False).chunks_run == 0


def test_a_deleted_chunk_is_redone_on_resume(finished, tiny):
    before = load_sweep(finished)
    (finished / "runs" / "part-000002.parquet").unlink()
    outcome = run_sweep(tiny, finished, executor="inline", resume=True, progress=False)
    assert (outcome.chunks_run, outcome.runs_run) == (1, 5)
    after = load_sweep(finished)
    pd.testing.assert_frame_equal(after.runs, before.runs, check_exact=True)
    pd.testing.assert_frame_equal(after.rounds, before.rounds, check_exact=True)


def test_load_sweep_of_a_directory_without_manifest(tmp_path):
    with pytest.raises(FileNotFoundError, match="holds no sweep"):
        load_sweep(tmp_path)


# --- bad experiment files -----------------------------------------------------------------


GRID = "  method: grid\n"
PARAMS = (
    "    china.omega: {values: [0.0, 0.75]}\n"
    "    issues.security_commitment.status_quo: {values: [1, 3]}\n"
)


def sampled(method: str, samples: str | None, params: str) -> str:
    design = f"  method: {method}\n" + (f"  samples: {samples}\n" if samples else "")
    return edit(edit(TINY, GRID, design), PARAMS, params)


BAD = {
    "unknown key": (
        edit(TINY, "replicates: 7", "replicate: 7"),
        "replicate: 7",
        "replicate",
        ["unknown field; did you mean 'replicates'?"],
    ),
    "wrong type": (
        edit(TINY, "replicates: 7", "replicates: many"),
        "replicates: many",
        "replicates",
        ["wrong type", "given: 'many'", "an integer"],
    ),
    "seed out of range": (
        edit(TINY, "seed: 5", "seed: -1"),
        "seed: -1",
        "seed",
        ["given: -1"],
    ),
    "unknown method": (
        edit(TINY, GRID, "  method: factorial\n"),
        "method: factorial",
        "design.method",
        ["'grid'", "'latin_hypercube'", "'sobol'"],
    ),
    "grid without values": (
        edit(TINY, "{values: [0.0, 0.75]}", "{min: 0.0, max: 0.75}"),
        "china.omega:",
        "design.parameters.china.omega",
        ["a grid needs listed values"],
    ),
    "sampled without samples": (
        sampled("random", None, "    china.omega: {min: 0.0, max: 1.0}\n"),
        "design:",  # a missing field is located at its section
        "design.samples",
        ["required for method 'random'"],
    ),
    "sampled without range": (
        sampled("latin_hypercube", "4", "    china.omega: {values: [0.1]}\n"),
        "china.omega:",
        "design.parameters.china.omega",
        ["method 'latin_hypercube' needs a range", "min: a, max: b"],
    ),
    "min not below max": (
        sampled("random", "4", "    china.omega: {min: 0.8, max: 0.2}\n"),
        "china.omega:",
        "design.parameters.china.omega.min",
        ["min must be below max", "given: min 0.8, max 0.2"],
    ),
    "sobol not a power of 2": (
        sampled("sobol", "12", "    china.omega: {min: 0.0, max: 1.0}\n"),
        "samples: 12",
        "design.samples",
        ["needs a power of 2", "given: 12"],
    ),
    "path names nothing": (
        edit(TINY, "china.omega:", "china.omgea:"),
        "china.omgea:",
        "design.parameters.china.omgea",
        ["names no parameter of the scenario", "no key 'omgea' in china", "china.omega"],
    ),
    "deep path names nothing": (
        edit(TINY, "issues.security_commitment.status_quo", "issues.security_comitment.status_quo"),
        "security_comitment",
        "design.parameters.issues.security_comitment.status_quo",
        ["no key 'security_comitment' in issues", "security_commitment"],
    ),
    "point makes the scenario invalid": (
        edit(TINY, "[0.0, 0.75]", "[0.5, 1.5]"),
        "china.omega:",
        "design.parameters.china.omega",
        ["design point 2", "'china.omega': 1.5", "china.omega: out of range", "[0, 1]"],
    ),
    "keep runs not recorded": (
        edit(TINY, "runs: [deal_reached,", "runs: [deal_reachd,"),
        "runs: [deal_reachd",
        "keep.runs.0",
        ["not a recorded outcome; did you mean 'deal_reached'?", "given: deal_reachd"],
    ),
    "keep rounds not recorded": (
        edit(TINY, "rounds: [coercion_level]", "rounds: [coercion_lvl]"),
        "rounds: [coercion_lvl]",
        "keep.rounds.0",
        ["not a recorded outcome; did you mean 'coercion_level'?"],
    ),
    "report not recorded": (
        edit(TINY, "report: [deal_reached, final_tariff,", "report: [deal_reached, final_tarif,"),
        "report:",
        "report.1",
        ["not a per-run outcome; did you mean 'final_tariff'?"],
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_experiment_files_get_precise_errors(case, tmp_path):
    text, anchor, field, fragments = BAD[case]
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    mine = [p for p in err.value.problems if p.path == field]
    assert mine, f"no problem at {field}: {err.value}"
    message = str(mine[0])
    assert message.startswith(f"{path}:{line_of(text, anchor)}: {field}: "), message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_the_cli_refuses_a_bad_experiment_before_running_anything(tmp_path, capsys):
    text, anchor, field, _ = BAD["point makes the scenario invalid"]
    path = write(tmp_path, text)
    code, out, err = cli(capsys, "sweep", path, "--out", tmp_path / "out", "--no-progress")
    assert code == 2 and out == ""
    assert f"{path}:{line_of(text, anchor)}: {field}: design point 2" in err
    assert not (tmp_path / "out").exists()


def test_every_problem_is_reported_at_once(tmp_path):
    text = edit(
        BAD["keep runs not recorded"][0], "rounds: [coercion_level]", "rounds: [coercion_lvl]"
    )
    with pytest.raises(ScenarioError) as err:
        load_experiment(write(tmp_path, text))
    paths = [p.path for p in err.value.problems]
    assert "keep.runs.0" in paths and "keep.rounds.0" in paths
    # keeping only a misspelt column also drops what the report needs: said, not crashed on
    assert "keep.runs" in paths and any(p.startswith("report.") for p in paths)


def test_a_missing_base_scenario(tmp_path):
    text = edit(TINY, str(BASELINE), "no/such/scenario.yaml")
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    message = str(err.value)
    line = line_of(text, "scenario: no/such")
    assert (
        f"{path}:{line}: scenario: the base scenario 'no/such/scenario.yaml' is not valid"
        in message
    )
    assert f"{tmp_path / 'no' / 'such' / 'scenario.yaml'}: file not found" in message


def test_an_invalid_base_scenario_reports_its_own_problems(tmp_path):
    assert BASE_TEXT.count("  omega: 0.5 ") == 1
    bad = BASE_TEXT.replace("  omega: 0.5 ", "  omega: 1.7 ")
    scenario = tmp_path / "bad_base.yaml"
    scenario.write_text(bad, encoding="utf-8")
    text = edit(TINY, str(BASELINE), "bad_base.yaml")
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    message = str(err.value)
    assert f"{path}:{line_of(text, 'scenario: bad_base')}: scenario: the base scenario" in message
    assert f"{scenario}:{line_of(bad, '  omega: 1.7 ')}: china.omega: " in message
    assert "given: 1.7" in message


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "the top level must be a mapping"),
        ("- just\n- a list\n", "the top level must be a mapping"),
        ("name: [unclosed\n", "invalid YAML"),
    ],
)
def test_files_that_are_not_experiments(tmp_path, text, needle):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    assert str(path) in str(err.value) and needle in str(err.value)


def test_an_unreadable_experiment_path(tmp_path, capsys):
    with pytest.raises(ScenarioError, match="file not found"):  # as for a scenario
        load_experiment(tmp_path / "missing.yaml")
    code, _, err = cli(capsys, "sweep", tmp_path / "missing.yaml", "--no-progress")
    assert code == 2 and "missing.yaml" in err


# --- fixed overrides (set:) -------------------------------------------------------------------

PRIORITY_SWEEP = TINY.replace(
    "design:\n  method: grid\n  parameters:\n"
    "    china.omega: {values: [0.0, 0.75]}\n"
    "    issues.security_commitment.status_quo: {values: [1, 3]}\n",
    "set:\n  politics.leader_types.centrist.normalize: true\n"
    "design:\n  method: grid\n  parameters:\n"
    "    politics.leader_types.centrist.priorities.security_commitment: {values: [0.2, 0.5]}\n",
)


def test_set_applies_fixed_overrides_to_every_point(tmp_path):
    """Sweeping one priority needs normalize: true; `set:` fixes it for every point."""
    assert "set:" in PRIORITY_SWEEP
    experiment = load_experiment(write(tmp_path, PRIORITY_SWEEP))
    assert experiment.base_data["politics"]["leader_types"]["centrist"]["normalize"] is True
    out = tmp_path / "out"
    run_sweep(experiment, out, executor="inline", progress=False)
    runs = load_sweep(out).runs
    swept = runs["politics.leader_types.centrist.priorities.security_commitment"]
    assert sorted(swept.unique()) == [0.2, 0.5]


def test_a_priority_sweep_without_normalize_suggests_set(tmp_path):
    text = PRIORITY_SWEEP.replace("set:\n  politics.leader_types.centrist.normalize: true\n", "")
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    problem = err.value.problems[0]
    swept = "politics.leader_types.centrist.priorities.security_commitment"
    assert problem.path == f"design.parameters.{swept}"
    assert problem.line == line_of(text, f"{swept}:")
    assert "set: {politics.leader_types.centrist.normalize: true}" in problem.message


def test_a_misspelt_set_path_names_the_paths_nearby(tmp_path):
    text = PRIORITY_SWEEP.replace("centrist.normalize: true", "centrist.normalise: true")
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    problem = err.value.problems[0]
    assert problem.path == "set.politics.leader_types.centrist.normalise"
    assert problem.line == line_of(text, "politics.leader_types.centrist.normalise")
    assert "normalize" in problem.allowed
