"""Resolution: the spec the core sees, built once from a spec that passed every check."""

from __future__ import annotations

from negosim.scenario.semantics import enabled_issues
from negosim.schema import ScenarioSpec


def resolve(spec: ScenarioSpec) -> ScenarioSpec:
    """Build the spec the core sees: disabled issues gone, weights normalised, deadline set.

    Must only be called on a spec that passed :func:`check_semantics`. Priority and ideal
    mappings are re-ordered to the issues' file order so vectors line up with issue names.
    """
    order = list(enabled_issues(spec))
    data = spec.model_dump()
    data["issues"] = {name: data["issues"][name] for name in order}
    blocks = [data["agents"]["us"]]
    blocks += list(data["politics"]["leader_types"].values())
    for block in blocks:
        priorities = {name: block["priorities"][name] for name in order}
        if block["normalize"]:
            total = sum(priorities.values())
            priorities = {name: weight / total for name, weight in priorities.items()}
        block["priorities"] = priorities
        block["ideal"] = {name: block["ideal"][name] for name in order}
    politics = data["politics"]
    politics["political_cost"] = {
        k: v for k, v in politics["political_cost"].items() if k in data["issues"]
    }
    politics["red_lines"] = [x for x in politics["red_lines"] if x["issue"] in data["issues"]]
    if data["protocol"]["deadline"] is None:
        data["protocol"]["deadline"] = data["protocol"]["rounds"]
    return ScenarioSpec.model_validate(data)
