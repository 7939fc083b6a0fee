"""Checks that relate fields to each other, and resolution of a valid spec for the core.

The schema can say "priorities is a mapping of names to numbers"; only here can we say
"those names must be declared issues and the weights must sum to 1". Each check reports
its own problem at the most precise path, so a person fixing the file sees where to look.

Resolution then removes what the model must not see (disabled issues everywhere they are
mentioned), rescales priorities when the file asks for it and fills derived defaults, so the
core can trust the spec without re-checking ("boundaries validate; the core trusts").
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Mapping

from negosim.scenario.china_checks import check_china
from negosim.scenario.politics_checks import check_election_month
from negosim.scenario.problems import Reporter, did_you_mean, num
from negosim.scenario.registry_checks import check_registries
from negosim.scenario.run_length import check_run_length
from negosim.scenario.scales import check_scales
from negosim.schema import (
    IssueSpec,
    LeaderType,
    ScenarioSpec,
    USSpec,
)

WEIGHT_TOLERANCE = 1e-6
STEP_TOLERANCE = 1e-9
GRID_LIMIT = 5_000_000
REQUIRED_ROLES = ("commitment", "tariff", "defense")
OPTIONAL_ROLES = ("investment",)


def check_semantics(spec: ScenarioSpec, reporter: Reporter) -> None:
    """Run every cross-field check on a structurally valid spec, reporting to ``reporter``."""
    _check_issues(spec, reporter)
    _check_roles(spec, reporter)
    _check_grid(spec, reporter)
    for base, block in _weight_blocks(spec):
        _check_weights(spec, base, block, reporter)
    _check_politics(spec, reporter)
    _check_election(spec, reporter)
    check_election_month(spec, reporter)
    check_registries(spec, reporter)
    check_china(spec, reporter)
    _check_protocol(spec, reporter)
    check_scales(spec, reporter)


def enabled_issues(spec: ScenarioSpec) -> dict[str, IssueSpec]:
    """Return the enabled issues in file order: the only ones the model ever sees."""
    return {name: issue for name, issue in spec.issues.items() if issue.enabled}


def _weight_blocks(spec: ScenarioSpec) -> Iterator[tuple[str, USSpec | LeaderType]]:
    """Every block that carries priorities and ideal points, with its dotted path."""
    yield "agents.us", spec.agents.us
    for name, leader in spec.politics.leader_types.items():
        yield f"politics.leader_types.{name}", leader


# --- issues ---------------------------------------------------------------------------------


def _has_range(issue: IssueSpec) -> bool:
    """Whether min < max on a countable grid, the precondition of every other range check."""
    return issue.min < issue.max and math.isfinite((issue.max - issue.min) / issue.step)


def grid_points(issue: IssueSpec) -> int:
    """Count the grid values of an issue: (max - min)/step + 1."""
    return round((issue.max - issue.min) / issue.step) + 1


def _check_issues(spec: ScenarioSpec, r: Reporter) -> None:
    """Each issue's own geometry: range, step, status quo, threat point, level labels."""
    for name, issue in spec.issues.items():
        base = f"issues.{name}"
        if issue.min < issue.max and not _has_range(issue):
            r.add(
                f"{base}.step",
                "too small a step: the range holds more steps than can be counted",
                num(issue.step),
                f"a step of at least {num((issue.max - issue.min) / GRID_LIMIT)}",
            )
            continue
        if not _has_range(issue):
            r.add(
                f"{base}.max",
                "max must be greater than min",
                f"min {num(issue.min)}, max {num(issue.max)}",
                f"a number > {num(issue.min)}",
            )
            continue
        span = f"a number in [{num(issue.min)}, {num(issue.max)}]"
        steps = (issue.max - issue.min) / issue.step
        if abs(steps - round(steps)) > STEP_TOLERANCE * max(1.0, abs(steps)):
            width = issue.max - issue.min
            example = width / max(1, round(steps))
            r.add(
                f"{base}.step",
                f"does not divide the range max - min = {num(width)} into whole steps",
                num(issue.step),
                f"a step that divides {num(width)}, e.g. {num(example)}",
            )
        if not issue.min <= issue.status_quo <= issue.max:
            r.add(f"{base}.status_quo", "outside the issue's range", num(issue.status_quo), span)
        threat = issue.us_threat_point
        if threat is not None and not issue.min <= threat <= issue.max:
            r.add(f"{base}.us_threat_point", "outside the issue's range", num(threat), span)
        for level in issue.levels or {}:
            if not issue.min <= level <= issue.max:
                r.add(
                    f"{base}.levels.{level}",
                    "level label outside the issue's range",
                    str(level),
                    span,
                )


def _check_roles(spec: ScenarioSpec, r: Reporter) -> None:
    """Exactly one enabled issue per required role, at most one per optional role.

    Roles tie issues to the model's equations; two tariff issues would make "the tariff"
    ambiguous, and none would leave an equation without its input.
    """
    holders: dict[str, str] = {}
    for name, issue in enabled_issues(spec).items():
        if issue.role is None:
            continue
        if issue.role in holders:
            r.add(
                f"issues.{name}.role",
                f"role '{issue.role}' is already held by enabled issue '{holders[issue.role]}'",
                repr(issue.role),
                "each role on at most one enabled issue",
            )
        else:
            holders[issue.role] = name
    roles = {name: i.role for name, i in enabled_issues(spec).items() if i.role}
    given = ", ".join(f"{k}: {v}" for k, v in roles.items()) or "none"
    for role in REQUIRED_ROLES:
        if role in holders:
            continue
        disabled = [n for n, i in spec.issues.items() if i.role == role and not i.enabled]
        note = f" (issue '{disabled[0]}' has it but is disabled)" if disabled else ""
        r.add(
            "issues",
            f"no enabled issue has role '{role}'{note}",
            f"roles {given}",
            f"exactly one enabled issue with role '{role}'",
        )


def _check_grid(spec: ScenarioSpec, r: Reporter) -> None:
    """Require the outcome grid to be small enough to enumerate."""
    sizes = {n: grid_points(i) for n, i in enabled_issues(spec).items() if _has_range(i)}
    total = math.prod(sizes.values())
    if total > GRID_LIMIT:
        largest = max(sizes, key=lambda n: sizes[n])
        r.add(
            "issues",
            f"the outcome grid has {total:,} points, more than {GRID_LIMIT:,}; "
            f"use a coarser step (e.g. issues.{largest}.step)",
            " x ".join(f"{n}: {k}" for n, k in sizes.items()),
            f"at most {GRID_LIMIT:,} grid points over enabled issues",
        )


# --- priorities and ideal points ------------------------------------------------------------


def _check_weights(spec: ScenarioSpec, base: str, block: USSpec | LeaderType, r: Reporter) -> None:
    """Priorities and ideal points: declared names, every enabled issue, sums and ranges."""
    declared = list(spec.issues)
    enabled = enabled_issues(spec)
    names = ", ".join(enabled)
    clean = True
    for field in ("priorities", "ideal"):
        values: Mapping[str, float] = getattr(block, field)
        missing = [name for name in enabled if name not in values]
        if missing and field == "priorities":  # a sum over a partial vector means nothing
            clean = False
        for key in values:
            if key in spec.issues:
                continue
            hint = did_you_mean(key, declared)
            typo_of = difflib.get_close_matches(key, missing, n=1, cutoff=0.6)
            if typo_of:  # one typo, one problem: the misspelt key also explains the gap
                missing.remove(typo_of[0])
                hint += f" ('{typo_of[0]}' has no entry)"
            r.add(f"{base}.{field}.{key}", "not a declared issue" + hint, None, ", ".join(declared))
        for name in missing:
            r.add(
                f"{base}.{field}",
                f"no entry for enabled issue '{name}'",
                None,
                f"one entry for every enabled issue: {names}",
            )
    for key, weight in block.priorities.items():
        if key in enabled and weight < 0:
            clean = False
            r.add(
                f"{base}.priorities.{key}",
                "weight must not be negative",
                num(weight),
                "a number ≥ 0",
            )
    for key, point in block.ideal.items():
        issue = enabled.get(key)
        if issue is not None and _has_range(issue) and not issue.min <= point <= issue.max:
            r.add(
                f"{base}.ideal.{key}",
                "ideal point outside the issue's range",
                num(point),
                f"a number in [{num(issue.min)}, {num(issue.max)}]",
            )
    if not clean:
        return
    total = sum(w for k, w in block.priorities.items() if k in enabled)
    if block.normalize and total <= 0:
        r.add(
            f"{base}.priorities",
            "cannot normalise weights that sum to 0",
            num(total),
            "at least one positive weight",
        )
    elif not block.normalize and abs(total - 1.0) > WEIGHT_TOLERANCE:
        r.add(
            f"{base}.priorities",
            f"weights over enabled issues sum to {num(total)}, not 1; fix them or set "
            f"'normalize: true' in {base} to rescale them",
            f"sum {num(total)}",
            "weights summing to 1 (±1e-6), or normalize: true",
        )


# --- politics -------------------------------------------------------------------------------


def _check_politics(spec: ScenarioSpec, r: Reporter) -> None:
    """Political costs and red lines name declared issues; red lines fall within the run."""
    declared = list(spec.issues)
    politics = spec.politics
    for key in politics.political_cost:
        if key not in spec.issues:
            r.add(
                f"politics.political_cost.{key}",
                "not a declared issue" + did_you_mean(key, declared),
                None,
                ", ".join(declared),
            )
    for index, line in enumerate(politics.red_lines):
        base = f"politics.red_lines.{index}"
        if line.issue not in spec.issues:
            r.add(
                f"{base}.issue",
                "not a declared issue" + did_you_mean(line.issue, declared),
                repr(line.issue),
                ", ".join(declared),
            )
    leaders = list(politics.leader_types)
    leader = politics.leader
    if leader not in politics.leader_types:
        r.add(
            "politics.leader",
            "not a leader type" + did_you_mean(leader, leaders),
            repr(leader),
            "a key of politics.leader_types: " + ", ".join(leaders),
        )


def _check_election(spec: ScenarioSpec, r: Reporter) -> None:
    """Successor shares form a distribution over leader types; the delay is a valid range."""
    election = spec.politics.election
    leaders = list(spec.politics.leader_types)
    base = "politics.election"
    clean = True
    for key, share in election.successor_shares.items():
        if key not in spec.politics.leader_types:
            r.add(
                f"{base}.successor_shares.{key}",
                "not a leader type" + did_you_mean(key, leaders),
                None,
                "a key of politics.leader_types: " + ", ".join(leaders),
            )
        if share < 0:
            clean = False
            r.add(
                f"{base}.successor_shares.{key}",
                "share must not be negative",
                num(share),
                "a number ≥ 0",
            )
    total = sum(election.successor_shares.values())
    if clean and abs(total - 1.0) > WEIGHT_TOLERANCE:
        r.add(
            f"{base}.successor_shares",
            f"shares sum to {num(total)}, not 1",
            f"sum {num(total)}",
            "shares summing to 1 (±1e-6)",
        )
    low, high = election.replacement_delay
    if low < 1 or low > high:
        r.add(
            f"{base}.replacement_delay",
            "must be [a, b] with 1 ≤ a ≤ b (rounds)",
            f"[{low}, {high}]",
            "two integers a ≤ b, a ≥ 1",
        )


def _check_protocol(spec: ScenarioSpec, r: Reporter) -> None:
    """Deadline and scheduled events must fall inside the simulated rounds."""
    rounds = spec.protocol.rounds
    deadline = spec.protocol.deadline
    if deadline is not None and deadline < 1:
        r.add("protocol.deadline", "out of range", str(deadline), "an integer ≥ 1")
    check_run_length(spec, r, rounds)


# --- resolution -----------------------------------------------------------------------------
