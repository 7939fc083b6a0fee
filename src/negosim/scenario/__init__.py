"""Scenario files: safe loading, structural and semantic validation, resolution, overrides.

Everything that reads a scenario goes through here, so problems are caught once, at the
boundary, with messages that name file, line, field, what was given and what is allowed.
"""

from negosim.scenario.loader import (
    Scenario,
    load_scenario,
    load_scenario_text,
    scenario_from_mapping,
    validate_file,
)
from negosim.scenario.overrides import apply_overrides, leaf_paths
from negosim.scenario.problems import Problem, ScenarioError
from negosim.scenario.run_length import check_run
from negosim.schema import ScenarioSpec

__all__ = [
    "Problem",
    "Scenario",
    "ScenarioError",
    "ScenarioSpec",
    "apply_overrides",
    "check_run",
    "leaf_paths",
    "load_scenario",
    "load_scenario_text",
    "scenario_from_mapping",
    "validate_file",
]
