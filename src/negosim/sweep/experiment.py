"""Experiment files: which scenario parameters to vary, how to sample them, what to keep.

An experiment names a base scenario, the parameters to vary by their dotted path in it, a
design (grid, random, Latin hypercube, Sobol/Saltelli), replicates per point, a master seed
and what to record. It is checked at the boundary with the same quality of errors as a
scenario (file, line, field path, what was given, what is allowed), and every design point
is turned into a validated scenario before a single run starts.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from negosim.columns import declared, outcome_names
from negosim.scenario import (
    Scenario,
    ScenarioError,
    apply_overrides,
    check_run,
    load_scenario,
    scenario_from_mapping,
)
from negosim.scenario.limits import check_numbers, decode, read_limited
from negosim.scenario.problems import Reporter, did_you_mean, short_repr
from negosim.scenario.structure import report_validation_error
from negosim.scenario.yaml_lines import parse_yaml
from negosim.schema import Strict

Value = float | int | str | bool
Method = Literal["grid", "random", "latin_hypercube", "sobol"]
#: The top-level key of a lever table (docs/levers.md), which is not an experiment.
LEVER_TABLE = "lever_table"
DEFAULT_REPORT = (
    "deal_reached",
    "first_deal_round",
    "final_tariff",
    "final_security_commitment",
    "china_max_level",
    "japan_utility",
    "us_utility",
)


class ParameterSpec(Strict):
    """How one parameter varies: listed values (grid) or a range (sampled designs)."""

    values: list[Value] | None = Field(default=None, min_length=1)
    min: float | None = None
    max: float | None = None
    integer: bool = False


class DesignSpec(Strict):
    """The sampling design over the varied parameters."""

    method: Method = "grid"
    samples: int | None = Field(default=None, ge=1, le=1_000_000)
    second_order: bool = False
    parameters: dict[str, ParameterSpec] = Field(min_length=1)


class KeepSpec(Strict):
    """Which outcomes to store: per run (summary columns) and per run and round."""

    runs: Literal["all"] | list[str] = "all"
    rounds: Literal["all", "none"] | list[str] = "all"


class ExperimentSpec(Strict):
    """A whole experiment file."""

    name: str
    description: str = ""
    scenario: str
    seed: int = Field(ge=0, lt=2**63)
    replicates: int = Field(ge=1, le=10_000_000)
    rounds: int | None = Field(default=None, ge=1, le=120)
    common_random_numbers: bool | None = None
    set: dict[str, Value] = Field(default_factory=dict)
    design: DesignSpec
    keep: KeepSpec = KeepSpec()
    chunk_size: int | None = Field(default=None, ge=1)
    report: list[str] = Field(default_factory=lambda: list(DEFAULT_REPORT))


@dataclass(frozen=True)
class Experiment:
    """A checked experiment: its spec, base scenario, design points and identity."""

    spec: ExperimentSpec
    source: str
    text: str
    base: Scenario
    base_data: dict[str, object]
    points: list[dict[str, Value]]
    sha256: str

    @property
    def parameter_paths(self) -> list[str]:
        """The varied dotted paths, in file order."""
        return list(self.spec.design.parameters)

    @property
    def rounds(self) -> int:
        """Rounds per run: the experiment's, else the scenario's."""
        return self.spec.rounds or self.base.spec.protocol.rounds

    @property
    def common_random_numbers(self) -> bool:
        """Whether replicate r of every point uses the same seed.

        The file's ``common_random_numbers`` when it says; else true for Sobol designs, whose
        indices compare points and would otherwise measure replicate noise (docs/sweeps.md),
        and false for the others, whose points are then independent samples.
        """
        chosen = self.spec.common_random_numbers
        return self.spec.design.method == "sobol" if chosen is None else chosen

    @property
    def total_runs(self) -> int:
        """Points × replicates."""
        return len(self.points) * self.spec.replicates


def _check_design(spec: ExperimentSpec, r: Reporter) -> None:
    """Grid needs values; sampled designs need min < max and a sample count."""
    design = spec.design
    sampled = design.method != "grid"
    if sampled and design.samples is None:
        r.add(
            "design.samples",
            f"required for method '{design.method}'",
            None,
            "a whole number of samples ≥ 1 (for sobol: the base sample N, a power of 2)",
        )
    for path, param in design.parameters.items():
        where = f"design.parameters.{path}"
        if not sampled and param.values is None:
            r.add(where, "a grid needs listed values", None, "values: [v1, v2, ...]")
        if sampled:
            if param.min is None or param.max is None:
                r.add(where, f"method '{design.method}' needs a range", None, "min: a, max: b")
            elif not param.min < param.max:
                r.add(
                    f"{where}.min",
                    "min must be below max",
                    f"min {param.min:g}, max {param.max:g}",
                    "min < max",
                )
    if design.method == "sobol" and design.samples and design.samples & (design.samples - 1):
        r.add(
            "design.samples",
            "Sobol/Saltelli sampling needs a power of 2",
            str(design.samples),
            "1, 2, 4, ..., 1024, ...",
        )


def _checked_seeding(data: dict[str, object], r: Reporter) -> dict[str, object]:
    """``data``, after checking ``common_random_numbers`` (a bad value is left out, reported).

    Checked here rather than by the schema so that the message says what each value means.
    """
    value = data.get("common_random_numbers")
    if value is None or isinstance(value, bool):
        return data
    r.add(
        "common_random_numbers",
        "must be true or false",
        short_repr(value),
        "true (replicate r of every point uses the same seed: common random numbers, the "
        "default of sobol designs), false (independent seeds per point, the default of the "
        "other designs), or leave it out for the default",
    )
    return {k: v for k, v in data.items() if k != "common_random_numbers"}


def _check_points(
    base_data: dict[str, object],
    points: list[dict[str, Value]],
    rounds: int | None,
    r: Reporter,
) -> None:
    """Every design point must give a valid scenario for runs of ``rounds`` months.

    Each bad path is reported once. The experiment's ``rounds`` is checked against each
    point as the scenario's own ``protocol.rounds`` is (an event after the last round).
    """
    seen: set[tuple[str, str]] = set()
    origin = f"the experiment's rounds: {rounds}"
    for index, point in enumerate(points):
        try:
            data = apply_overrides(base_data, point)
            check_run(scenario_from_mapping(data, f"point {index}", text=""), rounds, (), origin)
        except ScenarioError as err:
            for problem in err.problems:
                key = (problem.path, problem.message)
                if key in seen:
                    continue
                seen.add(key)
                if origin in problem.message:  # the experiment's rounds, not the point
                    message = f"design point {index}: {problem.path}: {problem.message}"
                    r.add("rounds", message, problem.given, problem.allowed)
                    continue
                varied = next(
                    (p for p in point if problem.path.startswith(p) or p.startswith(problem.path)),
                    None,
                )
                where = f"design.parameters.{varied}" if varied else "design.parameters"
                message = f"design point {index} {point}: {problem.path}: {problem.message}"
                if "normalize: true" in problem.message:
                    block = problem.path.rsplit(".", 1)[0]
                    message += f"; in an experiment add set: {{{block}.normalize: true}}"
                r.add(where, message, problem.given, problem.allowed)


def _check_keep(spec: ExperimentSpec, base: Scenario, r: Reporter) -> None:
    """Kept and reported columns must be declared outcomes of this scenario's runs.

    Reported outcomes must also be numbers or true/false: a category such as
    ``final_status`` has no mean or percentiles.
    """
    run_columns, round_columns = outcome_names(base, "run"), outcome_names(base, "round")
    numeric = tuple(c.name for c in declared(base, "run") if c.dtype not in ("category", "string"))
    for field, allowed in (("runs", run_columns), ("rounds", round_columns)):
        chosen = getattr(spec.keep, field)
        if isinstance(chosen, list):
            _known_names(r, f"keep.{field}", chosen, allowed, "not a recorded outcome")
    _known_names(r, "report", spec.report, run_columns, "not a per-run outcome")
    for i, name in enumerate(spec.report):
        if name in run_columns and name not in numeric:
            r.add(
                f"report.{i}",
                "a category has no mean or percentiles: report a number or true/false",
                name,
                "a numeric or true/false per-run outcome (negosim list columns)",
            )
    kept = spec.keep.runs
    if isinstance(kept, list):
        for i, name in enumerate(spec.report):
            if name in run_columns and name not in kept:
                r.add(
                    f"report.{i}",
                    "reported but not kept in keep.runs",
                    name,
                    "an outcome listed in keep.runs: " + ", ".join(kept),
                )
        if "deal_reached" not in kept:
            r.add(
                "keep.runs",
                "must keep deal_reached (the agreement rate is always reported)",
                ", ".join(kept),
                "a list that includes deal_reached",
            )


def _known_names(
    r: Reporter, path: str, names: list[str], allowed: tuple[str, ...], message: str
) -> None:
    """Report each of ``names`` (a list at ``path``) that is not in ``allowed``."""
    for i, name in enumerate(names):
        if name not in allowed:
            r.add(f"{path}.{i}", message + did_you_mean(name, allowed), name, ", ".join(allowed))


def load_experiment(path: str | Path) -> Experiment:
    """Read and check an experiment file and its design; raise ScenarioError on problems."""
    from negosim.sweep.design import design_points

    source = str(path)
    raw = read_limited(Path(path), source, "experiment file")
    text = decode(raw, source)
    parsed = parse_yaml(text, source)
    if not parsed.ok:
        raise ScenarioError(parsed.problems)
    r = Reporter(source, parsed.lines, list(parsed.problems))
    if not isinstance(parsed.data, dict):
        given = "an empty file" if parsed.data is None else short_repr(parsed.data)
        r.add("", "the top level must be a mapping of fields", given, "name, scenario, seed, ...")
        raise ScenarioError(r.problems)
    if LEVER_TABLE in parsed.data:  # negosim.levers.spec.MARKER (sweep cannot import it)
        r.add(
            LEVER_TABLE,
            f"{source} is a lever table, not a sweep experiment: run it with "
            f"negosim levers {source}",
            None,
            "an experiment file (name, scenario, seed, replicates, design, ...)",
        )
        raise ScenarioError(r.problems)
    before = len(r.problems)
    data = _checked_seeding(parsed.data, r)
    check_numbers(data, r)
    try:
        spec = ExperimentSpec.model_validate(data)
    except ValidationError as err:
        report_validation_error(err, r, root=ExperimentSpec)
        raise ScenarioError(r.problems) from None
    if len(r.problems) > before:  # a bad common_random_numbers: the rest is valid
        raise ScenarioError(r.problems)
    _check_design(spec, r)
    scenario_path = (Path(path).parent / spec.scenario).resolve()
    try:
        base = load_scenario(scenario_path)
    except ScenarioError as err:
        r.add(
            "scenario",
            f"the base scenario {spec.scenario!r} is not valid",
            spec.scenario,
            "a valid scenario file (run negosim validate on it)",
        )
        raise ScenarioError(r.problems + err.problems) from None
    _check_keep(spec, base, r)
    if r.problems:
        raise ScenarioError(r.problems)
    # The merged mapping (an overlay over its bases), not the file's own text: overrides
    # must reach values the base scenario inherits.
    base_data = copy.deepcopy(dict(base.data or {}))
    if spec.set:  # fixed overrides for every point, e.g. agents.japan.normalize: true
        base_data = _overridden(base_data, spec.set, "set", r)
    samples = {p: _sample_value(spec.design.parameters[p]) for p in spec.design.parameters}
    _overridden(base_data, samples, "design.parameters", r)  # every varied path must exist
    points = design_points(spec)
    _check_points(base_data, points, spec.rounds, r)
    if r.problems:
        raise ScenarioError(r.problems)
    texts = b"\0".join(f.text.encode("utf-8") for f in base.chain)  # the base and its bases
    identity = hashlib.sha256(raw + b"\0" + texts).hexdigest()
    return Experiment(spec, source, text, base, base_data, points, identity)


def _overridden(
    data: dict[str, object], overrides: dict[str, Value], section: str, r: Reporter
) -> dict[str, object]:
    """Return ``data`` with ``overrides`` applied.

    A path that names nothing is reported under ``section`` of the experiment file, with
    the paths that exist nearby.
    """
    try:
        return apply_overrides(data, overrides)
    except ScenarioError as err:
        for problem in err.problems:
            r.add(
                f"{section}.{problem.path}",
                "names no parameter of the scenario; " + problem.message,
                problem.path,
                problem.allowed,
            )
        raise ScenarioError(r.problems) from None


def _sample_value(param: ParameterSpec) -> Value:
    """Any value of the parameter, used to check that its path exists."""
    if param.values:
        return param.values[0]
    return param.min if param.min is not None else 0.0
