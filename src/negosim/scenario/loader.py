"""Loading a scenario: file -> YAML -> structure -> semantics -> resolved, hashed Scenario.

This is the boundary: everything past it receives a :class:`Scenario` that has been fully
checked and resolved, together with the exact text and hash it came from, so every run
can record which file produced it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from negosim.scenario.problems import Problem, Reporter, ScenarioError, short_repr
from negosim.scenario.resolve import resolve
from negosim.scenario.semantics import check_semantics
from negosim.scenario.structure import describe, report_validation_error
from negosim.scenario.yaml_lines import parse_yaml
from negosim.schema import ScenarioSpec


@dataclass(frozen=True)
class Scenario:
    """A checked, resolved scenario and the exact text it was read from.

    ``spec`` is resolved: disabled issues are gone from ``issues`` and from every mapping
    keyed by issue, priorities marked ``normalize: true`` sum to 1, and
    ``protocol.deadline`` is never ``None``.
    """

    spec: ScenarioSpec
    source: str
    text: str
    sha256: str

    @property
    def issue_names(self) -> tuple[str, ...]:
        """Enabled issues in file order: the order of every per-issue vector in the core."""
        return tuple(self.spec.issues)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read, check and resolve the scenario file at ``path``; raise :class:`ScenarioError`."""
    source = str(path)
    raw = _read_bytes(Path(path), source)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ScenarioError(
            [Problem(source, line, "", f"not UTF-8 text (byte {raw[err.start]:#04x})")]
        ) from None
    return _from_text(text, raw, source)


def load_scenario_text(text: str, source: str = "<string>") -> Scenario:
    """Check and resolve scenario YAML given as a string (``source`` names it in messages)."""
    return _from_text(text, text.encode("utf-8"), source)


def scenario_from_mapping(
    data: dict[str, object], source: str = "<mapping>", text: str | None = None
) -> Scenario:
    """Check and resolve an already-parsed mapping (sweeps build these with overrides).

    There are no line numbers. Without ``text`` the mapping is dumped to YAML so the
    scenario still carries a text and a hash that identify its content.
    """
    reporter = Reporter(source)
    spec = _check(data, reporter)
    if spec is None:
        raise ScenarioError(reporter.problems)
    if text is None:
        text = yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True)
    return Scenario(spec, source, text, hashlib.sha256(text.encode("utf-8")).hexdigest())


def validate_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in the scenario file at ``path``, in file order; empty when valid."""
    try:
        load_scenario(path)
    except ScenarioError as err:
        return err.problems
    return []


def _read_bytes(path: Path, source: str) -> bytes:
    """Read the file's bytes, or raise a ScenarioError saying plainly why they cannot be."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        message = "file not found"
    except IsADirectoryError:
        message = "is a directory, not a scenario file"
    except OSError as err:
        message = f"cannot read file: {err.strerror or err}"
    raise ScenarioError([Problem(source, None, "", message)])


def _from_text(text: str, raw: bytes, source: str) -> Scenario:
    """Shared path of file and string loading: parse with line map, then check."""
    parsed = parse_yaml(text, source)
    if not parsed.ok:
        raise ScenarioError(parsed.problems)
    reporter = Reporter(source, parsed.lines, list(parsed.problems))
    spec = _check(parsed.data, reporter)
    if spec is None or reporter.problems:
        raise ScenarioError(reporter.problems)
    return Scenario(spec, source, text, hashlib.sha256(raw).hexdigest())


def _check(data: object, reporter: Reporter) -> ScenarioSpec | None:
    """Structural then semantic checks; the resolved spec, or ``None`` if anything failed.

    Semantic checks need a structurally valid spec (they read typed fields), so they only
    run once pydantic is satisfied; problems already in ``reporter`` (duplicate keys) do
    not stop them, so one run reports as much as can be known.
    """
    if data is None:
        reporter.add("", "the scenario is empty", None, describe(ScenarioSpec))
        return None
    if not isinstance(data, dict):
        reporter.add(
            "",
            f"the top level must be a mapping of fields, not {_kind(data)}",
            short_repr(data),
            describe(ScenarioSpec),
        )
        return None
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as err:
        report_validation_error(err, reporter)
        return None
    before = len(reporter.problems)
    check_semantics(spec, reporter)
    if len(reporter.problems) > before:
        return None
    return resolve(spec)


def _plain(value: object) -> object:
    """Tuples to lists, recursively, so the safe dumper accepts override values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _kind(value: object) -> str:
    """Name a YAML value's kind the way a person editing the file would."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"
