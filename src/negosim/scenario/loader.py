"""Loading a scenario: file(s) -> YAML -> merged overlay -> structure -> semantics -> Scenario.

This is the boundary: everything past it receives a :class:`Scenario` that has been fully
checked and resolved, together with the exact texts and hash it came from, so every run
can record which files produced it. A file may extend a base (:mod:`.overlay`); the chain
is merged before any check, and problems name the file and line that wrote each value.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from negosim.scenario.limits import check_numbers, decode, read_limited
from negosim.scenario.overlay import EXTENDS, ReadChain, SourceFile, read_chain
from negosim.scenario.problems import Problem, Reporter, ScenarioError, short_repr
from negosim.scenario.resolve import resolve
from negosim.scenario.semantics import check_semantics
from negosim.scenario.structure import describe, report_validation_error
from negosim.schema import ScenarioSpec


@dataclass(frozen=True)
class Scenario:
    """A checked, resolved scenario and the exact texts it was read from.

    ``spec`` is resolved: disabled issues are gone from ``issues`` and from every mapping
    keyed by issue, priorities marked ``normalize: true`` sum to 1, and
    ``protocol.deadline`` is never ``None``.

    ``text`` is the file's own text (an overlay's few lines); ``chain`` is that file
    followed by each base it extends, in order; ``data`` is the merged mapping as written,
    without defaults (what sweep overrides apply to). ``sha256`` identifies the content
    read: for a file without ``extends`` the hash of its bytes, for an overlay the hash of
    the newline-joined hashes of every file on the chain in order, so a change to any base
    changes it.
    """

    spec: ScenarioSpec
    source: str
    text: str
    sha256: str
    chain: tuple[SourceFile, ...] = ()
    data: Mapping[str, Any] | None = field(default=None, hash=False)
    #: Where each dotted path was written: (file, line); empty for a mapping.
    where: Mapping[str, tuple[str, int]] = field(default_factory=dict, hash=False, compare=False)

    @property
    def lines(self) -> dict[str, int]:
        """Dotted path -> the line that wrote it (for problems found after loading)."""
        return {path: line for path, (_, line) in self.where.items()}

    @property
    def line_sources(self) -> dict[str, str]:
        """Dotted path -> the file that wrote it (a base, for an inherited value)."""
        return {path: source for path, (source, _) in self.where.items()}

    @property
    def issue_names(self) -> tuple[str, ...]:
        """Enabled issues in file order: the order of every per-issue vector in the core."""
        return tuple(self.spec.issues)

    @property
    def resolved(self) -> dict[str, Any]:
        """The resolved scenario with every default, as JSON-ready data (what runs record)."""
        return self.spec.model_dump(mode="json")

    @property
    def resolved_sha256(self) -> str:
        """Hash of the resolved scenario's canonical JSON: equal for equal content."""
        canonical = json.dumps(self.resolved, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read, merge, check and resolve the scenario file at ``path``; raise ScenarioError."""
    source = str(path)
    raw = read_limited(Path(path), source)
    text = decode(raw, source)
    here = Path(path)
    return _from_chain(read_chain(text, raw, source, here.parent, (here.resolve(),)), source)


def load_scenario_text(
    text: str, source: str = "<string>", base_dir: str | os.PathLike[str] = "."
) -> Scenario:
    """Check and resolve scenario YAML given as a string (``source`` names it in messages).

    A relative ``extends`` is looked up in ``base_dir`` (default: the working directory).
    """
    chain = read_chain(text, text.encode("utf-8"), source, Path(base_dir))
    return _from_chain(chain, source)


def scenario_from_mapping(
    data: dict[str, object], source: str = "<mapping>", text: str | None = None
) -> Scenario:
    """Check and resolve an already-parsed, already-merged mapping (sweeps build these).

    There are no line numbers. Without ``text`` the mapping is dumped to YAML so the
    scenario still carries a text and a hash that identify its content. ``extends`` is
    refused: bases are files, merged when a file is read (use ``Scenario.data``).
    """
    reporter = Reporter(source)
    if isinstance(data, dict) and EXTENDS in data:
        reporter.add(
            EXTENDS,
            "a mapping cannot extend a base; load the file, or merge first (Scenario.data)",
            short_repr(data[EXTENDS]),
            "a mapping without extends",
        )
        raise ScenarioError(reporter.problems)
    spec = _check(data, reporter)
    if spec is None:
        raise ScenarioError(reporter.problems)
    if text is None:
        text = yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Scenario(spec, source, text, sha, (SourceFile(source, text, sha),), data)


def validate_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in the scenario file at ``path``, in file order; empty when valid."""
    try:
        load_scenario(path)
    except ScenarioError as err:
        return err.problems
    return []


def _from_chain(chain: ReadChain, source: str) -> Scenario:
    """Shared path of file and string loading: the merged chain, checked and hashed."""
    if not chain.ok:
        raise ScenarioError(chain.problems)
    reporter = Reporter(
        source,
        {path: line for path, (_, line) in chain.lines.items()},
        list(chain.problems),
        {path: where for path, (where, _) in chain.lines.items()},
    )
    spec = _check(chain.data, reporter)
    if spec is None or reporter.problems:
        raise ScenarioError(reporter.problems)
    own = chain.chain[0]
    if len(chain.chain) == 1:
        sha = own.sha256
    else:
        joined = "\n".join(f.sha256 for f in chain.chain)
        sha = hashlib.sha256(joined.encode("ascii")).hexdigest()
    data = chain.data if isinstance(chain.data, dict) else None
    return Scenario(spec, source, own.text, sha, tuple(chain.chain), data, dict(chain.lines))


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
    numbers_ok = check_numbers(data, reporter)
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as err:
        report_validation_error(err, reporter)
        return None
    if not numbers_ok:  # the semantic checks would compute with them
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
