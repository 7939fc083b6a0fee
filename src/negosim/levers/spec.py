"""Lever table files: which scenario parameters a seminar pulls, and what theory says they do.

A lever table (``experiments/levers.yaml``) is not a sweep: it names pairs of settings (a
``low`` and a ``high`` value of one or several dotted scenario paths), the outcomes each
lever should move and the direction the cited theory predicts. Its first key,
``lever_table:``, says so, and both loaders refuse the other kind of file by name.

The file is checked at the boundary like a scenario or an experiment (file, line, dotted
field, what was given, what is allowed), and both settings of every lever are built into
validated scenarios through the normal loader, so a value is accepted here exactly when it
would be accepted on the command line or in a sweep.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from negosim.levers.outcomes import outcome_problem
from negosim.scenario import (
    Problem,
    Scenario,
    ScenarioError,
    apply_overrides,
    load_scenario,
    scenario_from_mapping,
)
from negosim.scenario.problems import Reporter, short_repr
from negosim.scenario.structure import report_validation_error
from negosim.scenario.yaml_lines import parse_yaml
from negosim.schema import Strict

#: The top-level key that marks a lever table (and that ``negosim sweep`` refuses).
MARKER = "lever_table"
Predicts = Literal["up", "down", "none", "ambiguous"]
Setting = Literal["low", "high"]


class OutcomeSpec(Strict):
    """One outcome a lever should move, with the theory's prediction and why."""

    outcome: str = Field(min_length=1)
    predicts: Predicts
    theory: str = Field(min_length=1)
    why: str = Field(min_length=1)
    given: Literal["deal"] | None = None


class LeverSpec(Strict):
    """One lever: the paths it moves, the two settings compared (high - low), the outcomes."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    what: str = Field(min_length=1)
    path: str | list[str]
    low: Any
    high: Any
    set: dict[str, Any] = Field(default_factory=dict)
    outcomes: list[OutcomeSpec] = Field(min_length=1)
    given: Literal["deal"] | None = None
    rounds: int | None = Field(default=None, ge=1, le=120)
    test_replicates: int | None = Field(default=None, ge=2, le=100_000)
    note: str = ""


class GroupSpec(Strict):
    """A table of levers in the rendered document (threats, linkage, ...)."""

    title: str = Field(min_length=1)
    intro: str = ""
    levers: list[LeverSpec] = Field(min_length=1)


class HeaderSpec(Strict):
    """The ``lever_table:`` block: base scenario, master seed, sample sizes."""

    name: str = Field(min_length=1)
    description: str = ""
    scenario: str
    seed: int = Field(ge=0, lt=2**63)
    replicates: int = Field(ge=2, le=10_000_000)
    test_replicates: int = Field(default=400, ge=2, le=100_000)
    chunk_size: int = Field(default=2000, ge=1, le=1_000_000)


class LeverFileSpec(Strict):
    """A whole lever table file."""

    lever_table: HeaderSpec
    groups: dict[str, GroupSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Row:
    """One (lever, outcome) row of the table: what is measured and what is predicted."""

    outcome: str
    predicts: Predicts
    theory: str
    why: str
    given: str | None

    @property
    def label(self) -> str:
        """The outcome as the table shows it (``final_tariff given deal``)."""
        return f"{self.outcome} given {self.given}" if self.given else self.outcome


@dataclass(frozen=True)
class Lever:
    """A checked lever: its spec, group, both settings as overrides and as scenarios."""

    group: str
    where: str
    spec: LeverSpec
    overrides: dict[Setting, dict[str, Any]]
    scenarios: dict[Setting, Scenario]
    rows: tuple[Row, ...]

    @property
    def name(self) -> str:
        """The lever's name (unique in its file)."""
        return self.spec.name

    @property
    def paths(self) -> list[str]:
        """The dotted paths the lever moves."""
        return [self.spec.path] if isinstance(self.spec.path, str) else list(self.spec.path)


@dataclass(frozen=True)
class LeverTable:
    """A checked lever table file: its spec, base scenario, levers and identity."""

    spec: LeverFileSpec
    source: str
    text: str
    base: Scenario
    levers: tuple[Lever, ...]
    sha256: str

    def lever(self, name: str) -> Lever:
        """The lever called ``name``; KeyError naming the known ones otherwise."""
        for lever in self.levers:
            if lever.name == name:
                return lever
        raise KeyError(f"no lever {name!r}; known: {', '.join(x.name for x in self.levers)}")


def _setting_values(lever: LeverSpec, setting: Setting, where: str, r: Reporter) -> dict[str, Any]:
    """``{path: value}`` of one setting: one value for a single path, or per path."""
    value = getattr(lever, setting)
    if isinstance(lever.path, str):
        return {lever.path: copy.deepcopy(value)}
    if not lever.path:
        r.add(f"{where}.path", "names no path", "[]", "a dotted path or a list of them")
        return {}
    if len(set(lever.path)) < len(lever.path):
        r.add(f"{where}.path", "a path is listed twice", short_repr(lever.path), "distinct paths")
    if not isinstance(value, dict):  # one value for every path (rounds and deadline: 18)
        return {p: copy.deepcopy(value) for p in lever.path}
    if set(value) != set(lever.path):
        r.add(
            f"{where}.{setting}",
            "a mapping of values must name exactly the lever's paths",
            ", ".join(map(str, value)),
            ", ".join(lever.path),
        )
        return {}
    return {p: copy.deepcopy(value[p]) for p in lever.path}


def _build(
    base_data: dict[str, object],
    table: str,
    lever: LeverSpec,
    where: str,
    r: Reporter,
) -> tuple[dict[Setting, dict[str, Any]], dict[Setting, Scenario]] | None:
    """Both settings as overrides and as validated scenarios; ``None`` after a problem."""
    overrides: dict[Setting, dict[str, Any]] = {}
    before = len(r.problems)
    for setting in ("low", "high"):
        values = _setting_values(lever, setting, where, r)
        shared = set(values) & set(lever.set)
        for path in sorted(shared):
            r.add(f"{where}.set.{path}", "also a path of the lever", path, "a path the lever keeps")
        overrides[setting] = {**lever.set, **values}
    if len(r.problems) > before:
        return None
    if overrides["low"] == overrides["high"]:
        r.add(
            f"{where}.high",
            "low and high are the same setting: the lever would change nothing",
            short_repr(lever.high),
            "a value different from low",
        )
        return None
    paths = [lever.path] if isinstance(lever.path, str) else lever.path
    try:
        apply_overrides(base_data, overrides["low"])
    except ScenarioError as err:
        for problem in err.problems:
            field = f"path.{paths.index(problem.path)}" if problem.path in paths else "path"
            if problem.path in lever.set:
                field = f"set.{problem.path}"
            elif isinstance(lever.path, str):
                field = "path"
            r.add(
                f"{where}.{field}",
                "names no parameter of the scenario; " + problem.message,
                problem.path,
                problem.allowed,
            )
        return None
    scenarios: dict[Setting, Scenario] = {}
    for setting in ("low", "high"):
        source = f"{table}: {lever.name} ({setting})"
        try:
            data = apply_overrides(base_data, overrides[setting])
            scenarios[setting] = scenario_from_mapping(data, source, text=None)
        except ScenarioError as err:
            for problem in err.problems:
                r.add(
                    f"{where}.{setting}",
                    f"{setting} setting {short_repr(overrides[setting])}: "
                    f"{problem.path}: {problem.message}",
                    problem.given,
                    problem.allowed,
                )
    if len(scenarios) < 2:
        return None
    return overrides, scenarios


def _rows(lever: LeverSpec, where: str, base: Scenario, r: Reporter) -> tuple[Row, ...]:
    """The lever's rows; each outcome must be a numeric run column or a derived outcome."""
    rows: list[Row] = []
    seen: set[tuple[str, str | None]] = set()
    for i, out in enumerate(lever.outcomes):
        given = out.given or lever.given
        message = outcome_problem(out.outcome, base)
        if message is not None:
            r.add(f"{where}.outcomes.{i}.outcome", message[0], out.outcome, message[1])
            continue
        if (out.outcome, given) in seen:
            r.add(f"{where}.outcomes.{i}", "outcome listed twice", out.outcome, "each once")
            continue
        seen.add((out.outcome, given))
        rows.append(Row(out.outcome, out.predicts, out.theory, out.why, given))
    return tuple(rows)


def _read(path: str | Path) -> tuple[bytes, str, Reporter, dict[str, object]]:
    """The file's bytes, text, a reporter with its line map, and its top-level mapping."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise ScenarioError([Problem(source, None, "", f"cannot read: {err.strerror}")]) from None
    text = raw.decode("utf-8", errors="replace")
    parsed = parse_yaml(text, source)
    if not parsed.ok:
        raise ScenarioError(parsed.problems)
    r = Reporter(source, parsed.lines, list(parsed.problems))
    data = parsed.data
    if not isinstance(data, dict) or MARKER not in data:
        sweep = isinstance(data, dict) and "design" in data
        r.add(
            "",
            f"not a lever table: no top-level '{MARKER}:' block"
            + (
                f"; this is a sweep experiment, run it with negosim sweep {source}" if sweep else ""
            ),
            None,
            f"{MARKER}: {{name, scenario, seed, replicates}} and groups: {{...}}",
        )
        raise ScenarioError(r.problems)
    return raw, text, r, data


def load_levers(path: str | Path) -> LeverTable:
    """Read and check a lever table file and both settings of every lever.

    Raises :class:`~negosim.scenario.ScenarioError` listing every problem, each with file,
    line and field (``groups.threats.levers.0.path``).
    """
    raw, text, r, data = _read(path)
    source = str(path)
    try:
        spec = LeverFileSpec.model_validate(data)
    except ValidationError as err:
        report_validation_error(err, r, root=LeverFileSpec)
        raise ScenarioError(r.problems) from None
    scenario_path = (Path(path).parent / spec.lever_table.scenario).resolve()
    try:
        base = load_scenario(scenario_path)
    except ScenarioError as err:
        r.add(
            f"{MARKER}.scenario",
            f"the base scenario {spec.lever_table.scenario!r} is not valid",
            spec.lever_table.scenario,
            "a valid scenario file (run negosim validate on it)",
        )
        raise ScenarioError(r.problems + err.problems) from None
    base_data = copy.deepcopy(dict(base.data or {}))
    levers: list[Lever] = []
    names: dict[str, str] = {}
    for group, block in spec.groups.items():
        for i, lever in enumerate(block.levers):
            where = f"groups.{group}.levers.{i}"
            if lever.name in names:
                r.add(f"{where}.name", f"also the name of {names[lever.name]}", lever.name)
            names.setdefault(lever.name, where)
            if lever.rounds is not None and "protocol.rounds" in (
                [lever.path] if isinstance(lever.path, str) else lever.path
            ):
                r.add(f"{where}.rounds", "the lever moves protocol.rounds itself", None, "omit")
            rows = _rows(lever, where, base, r)
            built = _build(base_data, source, lever, where, r)
            if built is not None:
                levers.append(Lever(group, where, lever, built[0], built[1], rows))
    if r.problems:
        raise ScenarioError(r.problems)
    texts = b"\0".join(f.text.encode("utf-8") for f in base.chain)
    identity = hashlib.sha256(raw + b"\0" + texts).hexdigest()
    return LeverTable(spec, source, text, base, tuple(levers), identity)
