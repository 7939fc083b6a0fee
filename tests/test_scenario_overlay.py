"""Overlays: ``extends: baseline.yaml`` plus only what differs, merged before any check.

Merge rules, where problems point (the overlay's line for a value it writes, the base's
line for one it inherits), broken chains (cycle, missing base, non-string extends), nested
bases, what a Scenario records, and a property: an overlay written as the diff of a full
file resolves to the same spec as the full file.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASELINE, CONFIGS
from negosim.scenario import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    load_scenario_text,
    scenario_from_mapping,
    validate_file,
)
from negosim.scenario.overlay import merge

BASE_TEXT = BASELINE.read_text(encoding="utf-8")
BASE_DATA = yaml.safe_load(BASE_TEXT)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with a copy of the baseline, so overlays can extend it by file name."""
    write(tmp_path, "baseline.yaml", BASE_TEXT)
    return tmp_path


def line_of(text: str, needle: str) -> int:
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def diff(base: object, full: object) -> object:
    """The overlay that turns ``base`` into ``full``: changed leaves, lists whole."""
    if isinstance(base, dict) and isinstance(full, dict):
        out = {}
        for key, value in full.items():
            if key not in base:
                out[key] = value
                continue
            sub = diff(base[key], value)
            if sub is not _SAME:
                out[key] = sub
        return out or _SAME
    return _SAME if base == full else full


_SAME = object()


def overlay_text(changes: dict[str, object], base: str = "baseline.yaml") -> str:
    return yaml.safe_dump({"extends": base, **changes}, sort_keys=False, allow_unicode=True)


# --- merge rules ------------------------------------------------------------------------------


def test_mappings_merge_key_by_key_and_everything_else_replaces():
    base = {"a": {"x": 1, "y": {"p": 1, "q": 2}}, "l": [1, 2, 3], "s": "base"}
    lines = {"a": ("b", 1), "a.x": ("b", 2), "a.y": ("b", 3), "a.y.p": ("b", 4)}
    lines |= {"a.y.q": ("b", 5), "l": ("b", 6), "l.0": ("b", 6), "l.2": ("b", 6), "s": ("b", 7)}
    overlay = {"a": {"y": {"q": 20}, "z": 3}, "l": [9], "s": None}
    olines = {"a": ("o", 1), "a.y": ("o", 2), "a.y.q": ("o", 2), "a.z": ("o", 3)}
    olines |= {"l": ("o", 4), "l.0": ("o", 4), "s": ("o", 5)}
    data, merged = merge(base, lines, overlay, olines)
    assert data == {"a": {"x": 1, "y": {"p": 1, "q": 20}, "z": 3}, "l": [9], "s": None}
    assert list(data["a"]) == ["x", "y", "z"]  # new keys after the base's
    assert base["a"]["y"]["q"] == 2  # the base is not modified
    assert merged["a.x"] == ("b", 2) and merged["a.y.p"] == ("b", 4)  # inherited
    assert merged["a.y.q"] == ("o", 2) and merged["a.z"] == ("o", 3)  # written by the overlay
    assert merged["l"] == ("o", 4) and "l.2" not in merged  # a list is replaced whole
    assert merged["s"] == ("o", 5)


def test_an_overlay_replaces_lists_whole_and_merges_mappings(folder):
    text = (
        "extends: baseline.yaml\n"
        "name: overlay\n"
        "politics:\n"
        "  red_lines: []                    # the baseline's red line is gone\n"
        "  approval: {initial: 0.47}\n"
        "events:\n"
        "  - {round: 9, kind: taiwan_statement, value: 0.8}\n"
    )
    spec = load_scenario(write(folder, "o.yaml", text)).spec
    assert spec.name == "overlay"
    assert spec.politics.red_lines == []
    assert spec.politics.approval.initial == 0.47
    assert spec.politics.approval.noise_sd == BASE_DATA["politics"]["approval"]["noise_sd"]
    assert [(e.round, e.kind) for e in spec.events] == [(9, "taiwan_statement")]
    assert spec.china == load_scenario(BASELINE).spec.china


def test_null_replaces_an_inherited_value(folder):
    text = "extends: baseline.yaml\nprotocol: {deadline: null}\n"
    spec = load_scenario(write(folder, "o.yaml", text)).spec
    assert spec.protocol.deadline == spec.protocol.rounds


def test_nested_extends_apply_in_order(folder):
    write(folder, "mid.yaml", "extends: baseline.yaml\nname: mid\nprotocol: {rounds: 24}\n")
    sub = folder / "sub"
    sub.mkdir()
    top = write(sub, "top.yaml", "extends: ../mid.yaml\nname: top\nchina: {omega: 0.9}\n")
    scenario = load_scenario(top)
    assert (scenario.spec.name, scenario.spec.protocol.rounds) == ("top", 24)
    assert scenario.spec.china.omega == 0.9
    assert [Path(f.source).name for f in scenario.chain] == [
        "top.yaml",
        "mid.yaml",
        "baseline.yaml",
    ]
    assert scenario.text == top.read_text()
    hashes = [hashlib.sha256(Path(f.source).read_bytes()).hexdigest() for f in scenario.chain]
    assert [f.sha256 for f in scenario.chain] == hashes
    assert scenario.sha256 == hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def test_a_file_without_extends_keeps_its_hash_and_a_chain_of_one():
    scenario = load_scenario(BASELINE)
    assert scenario.sha256 == hashlib.sha256(BASELINE.read_bytes()).hexdigest()
    assert [f.source for f in scenario.chain] == [str(BASELINE)]
    assert scenario.data == BASE_DATA


def test_a_change_to_the_base_changes_the_overlays_hash(folder):
    path = write(folder, "o.yaml", "extends: baseline.yaml\nname: o\n")
    before = load_scenario(path)
    write(folder, "baseline.yaml", BASE_TEXT.replace("  omega: 0.5 ", "  omega: 0.6 "))
    after = load_scenario(path)
    assert before.text == after.text
    assert before.sha256 != after.sha256
    assert before.resolved_sha256 != after.resolved_sha256


def test_resolved_is_every_default_and_its_hash_ignores_comments(folder):
    overlay = load_scenario(write(folder, "o.yaml", "extends: baseline.yaml\n# a comment\n"))
    plain = load_scenario(BASELINE)
    assert overlay.resolved == plain.resolved
    assert overlay.resolved_sha256 == plain.resolved_sha256
    assert overlay.sha256 != plain.sha256
    assert overlay.resolved["agents"]["japan"]["security"]["gamma_entrapment"] == 0.3


def test_string_overlays_resolve_against_base_dir(folder):
    scenario = load_scenario_text("extends: baseline.yaml\nname: s\n", base_dir=folder)
    assert scenario.spec.name == "s"
    assert scenario.source == "<string>"


def test_sweep_overrides_reach_inherited_values(folder):
    scenario = load_scenario(write(folder, "o.yaml", "extends: baseline.yaml\nname: o\n"))
    data = apply_overrides(dict(scenario.data), {"china.beta.spiral": 3.0})
    assert scenario_from_mapping(data).spec.china.beta.spiral == 3.0


def test_a_mapping_cannot_extend():
    data = {"extends": "baseline.yaml", **copy.deepcopy(BASE_DATA)}
    with pytest.raises(ScenarioError) as info:
        scenario_from_mapping(data)
    assert "a mapping cannot extend a base" in str(info.value)


# --- where problems point ---------------------------------------------------------------------


def test_a_bad_value_in_the_overlay_points_at_the_overlays_line(folder):
    text = "extends: baseline.yaml\nname: o\nchina:\n  memory: 3\n  omega: 1.5\n"
    path = write(folder, "o.yaml", text)
    (problem,) = validate_file(path)
    assert (problem.source, problem.line, problem.path) == (str(path), 5, "china.omega")
    assert str(problem).startswith(f"{path}:5: china.omega: out of range (given: 1.5;")


def test_an_inherited_problem_points_at_the_bases_line(folder):
    """Switching an issue off breaks the sums of blocks the overlay never wrote."""
    text = (
        "extends: baseline.yaml\n"
        "issues:\n"
        "  investment_pledge: {enabled: false}\n"
        "agents:\n"
        "  us:\n"
        "    normalize: true\n"
    )
    path = write(folder, "o.yaml", text)
    problems = validate_file(path)
    base = str(folder / "baseline.yaml")
    by_path = {p.path: p for p in problems}
    assert "agents.us.priorities" not in by_path  # normalised by the overlay
    centrist = by_path["politics.leader_types.centrist.priorities"]
    assert centrist.source == base
    assert centrist.line == line_of(BASE_TEXT, "priorities:                   # weights w_Jk")
    hawk = by_path["politics.leader_types.hawk.priorities"]
    assert hawk.source == base
    assert hawk.line == line_of(BASE_TEXT, "priorities: {security_commitment: 0.40")


def test_an_overridden_block_points_at_the_overlay(folder):
    text = "extends: baseline.yaml\nagents:\n  us:\n    priorities: {tariff: 0.2}\n"
    path = write(folder, "o.yaml", text)
    (problem,) = validate_file(path)
    assert (problem.source, problem.line, problem.path) == (str(path), 4, "agents.us.priorities")
    assert "sum to 0.9" in problem.message


def test_a_syntax_error_in_the_base_names_the_base(folder):
    write(folder, "broken.yaml", "name: [unclosed\n")
    path = write(folder, "o.yaml", "extends: broken.yaml\n")
    (problem,) = validate_file(path)
    assert problem.source == str(folder / "broken.yaml")
    assert "invalid YAML" in problem.message


def test_a_duplicate_key_in_the_base_is_still_reported(folder):
    text = BASE_TEXT.replace("  omega: 0.5 ", "  omega: 0.5\n  omega: 0.6 ")
    write(folder, "dup.yaml", text)
    (problem,) = validate_file(write(folder, "o.yaml", "extends: dup.yaml\n"))
    assert problem.source == str(folder / "dup.yaml") and "duplicate key" in problem.message


# --- broken chains ----------------------------------------------------------------------------


def test_a_missing_base_is_named_at_the_extends_line(folder):
    path = write(folder, "o.yaml", "name: o\nextends: basline.yaml\n")
    (problem,) = validate_file(path)
    assert (problem.source, problem.line, problem.path) == (str(path), 2, "extends")
    assert problem.message == f"base scenario not found: {folder / 'basline.yaml'}"
    assert problem.given == "'basline.yaml'"


def test_a_cycle_is_an_error_not_a_recursion(folder):
    write(folder, "a.yaml", "extends: b.yaml\n")
    b = write(folder, "b.yaml", "extends: a.yaml\n")
    problems = validate_file(folder / "a.yaml")
    (problem,) = problems
    assert (problem.source, problem.line, problem.path) == (str(b), 1, "extends")
    assert "cycle: a.yaml -> b.yaml -> a.yaml" in problem.message


def test_a_file_cannot_extend_itself(folder):
    path = write(folder, "self.yaml", "extends: self.yaml\n")
    (problem,) = validate_file(path)
    assert "cycle: self.yaml -> self.yaml" in problem.message


@pytest.mark.parametrize("value", ["[baseline.yaml]", "42", "null", "''", "{a: 1}"])
def test_extends_must_be_a_file_name(folder, value):
    path = write(folder, "o.yaml", f"name: o\nextends: {value}\n")
    (problem,) = validate_file(path)
    assert (problem.line, problem.path) == (2, "extends")
    assert problem.message == "must name the base scenario file, relative to this file"
    assert problem.allowed == "a file name such as baseline.yaml"


def test_a_base_that_is_not_a_mapping(folder):
    write(folder, "list.yaml", "- 1\n- 2\n")
    (problem,) = validate_file(write(folder, "o.yaml", "extends: list.yaml\n"))
    assert problem.source == str(folder / "list.yaml")
    assert "top level must be a mapping" in problem.message


# --- shipped presets --------------------------------------------------------------------------

PRESETS = sorted(p for p in CONFIGS.glob("*.yaml") if p.name != "baseline.yaml")


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_every_preset_is_an_overlay_of_the_baseline_stating_only_changes(path):
    scenario = load_scenario(path)
    assert [Path(f.source).name for f in scenario.chain] == [path.name, "baseline.yaml"]
    own = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert own.pop("extends") == "baseline.yaml"
    assert _restated(BASE_DATA, own) == []


def _restated(base: object, mine: object, prefix: str = "") -> list[str]:
    """Paths the preset writes with the baseline's own value (lists count whole)."""
    if isinstance(mine, dict) and isinstance(base, dict):
        return [
            p
            for k, v in mine.items()
            if k in base
            for p in _restated(base[k], v, f"{prefix}.{k}" if prefix else str(k))
        ]
    return [prefix] if base == mine else []


# --- property: an overlay of the diff is the full file ----------------------------------------

CHANGES = st.fixed_dictionaries(
    {},
    optional={
        "china.omega": st.floats(0.0, 1.0),
        "protocol.rounds": st.integers(12, 24),
        "politics.leader": st.sampled_from(["dove", "centrist", "hawk"]),
        "politics.approval.initial": st.floats(0.0, 1.0),
        "politics.leader_types.hawk.concession.params.k": st.floats(0.0, 0.5),
        "agents.us.outside_option": st.none() | st.floats(0.0, 1.0),
        "agents.japan.discount": st.floats(0.5, 1.0),
        "politics.leader_types.dove.concession.style": st.sampled_from(["boulware", "linear"]),
        "agents.us.concession.params.e": st.floats(0.1, 2.0),
        "issues.tariff.status_quo": st.integers(0, 20).map(lambda k: 2.5 * k),
        "politics.red_lines": st.just([]),
        "events": st.lists(
            st.fixed_dictionaries(
                {
                    "round": st.integers(1, 12),
                    "kind": st.sampled_from(["taiwan_statement", "detente"]),
                    "value": st.floats(0.0, 1.0),
                }
            ),
            max_size=3,
        ),
    },
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=CHANGES)
def test_an_overlay_of_the_diff_resolves_to_the_full_file(folder, changes):
    full = apply_overrides(BASE_DATA, changes)
    delta = diff(BASE_DATA, full)
    overlay = {} if delta is _SAME else delta
    path = write(folder, "o.yaml", overlay_text(overlay))
    assert load_scenario(path).spec == scenario_from_mapping(full).spec


# --- sweeps over an overlay -------------------------------------------------------------------


def test_a_sweep_over_an_overlay_varies_inherited_values(tmp_path):
    from negosim.sweep import load_experiment, load_sweep, run_sweep

    preset = CONFIGS / "hawkish_successor.yaml"
    text = (
        "name: over_overlay\n"
        f"scenario: {preset}\n"
        "seed: 5\nreplicates: 3\nrounds: 4\n"
        "design:\n  method: grid\n  parameters:\n"
        "    china.omega: {values: [0.0, 0.75]}              # inherited from the baseline\n"
        "    politics.approval.initial: {values: [0.47, 0.3]}   # the preset's\n"
        "keep:\n  runs: [deal_reached, final_leader]\n  rounds: none\n"
        "report: [deal_reached]\n"
    )
    experiment = load_experiment(write(tmp_path, "experiment.yaml", text))
    assert experiment.base_data["politics"]["leader"] == "hawk"  # the merged mapping
    assert experiment.base_data["china"]["beta"]["spiral"] == 2.0  # inherited
    assert "extends" not in experiment.base_data
    out = tmp_path / "out"
    run_sweep(experiment, out, executor="inline", progress=False)
    runs = load_sweep(out).runs
    assert set(runs["final_leader"]) <= {"hawk", "dove", "centrist"}
    assert len(runs) == 4 * 3
    recorded = json.loads((out / "manifest.json").read_text())["scenario"]
    assert [Path(f["source"]).name for f in recorded["chain"]] == [
        "hawkish_successor.yaml",
        "baseline.yaml",
    ]
    assert recorded["resolved"]["politics"]["leader"] == "hawk"
