"""The declared outputs: every per-round and per-run column, once, with its unit and meaning.

A user should never need the source to read a results file. So every column the model
records is declared here (name, table, stored type, unit, a one-sentence meaning, labels
for codes, and what a missing value means), and everything that touches columns reads this
table: ``outcomes`` checks the recorded columns against it, files carry it as Parquet field
metadata, ``negosim list columns`` prints it, a sweep's ``keep:`` is validated against it
and ``docs/columns.md`` is generated from it.

Some columns exist once per issue (``offer_{issue}``) or per China coercion level
(``months_at_level_{level}``); :func:`declared` expands them for a scenario, with the
issue's own unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

import numpy as np

from negosim.columns.table import ISSUE_UNIT, LEADER_TYPES, TEMPLATES, Template
from negosim.scenario import Problem, Scenario, ScenarioError
from negosim.schema import COERCION_LEVELS as LEVELS
from negosim.schema import ScenarioSpec

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from negosim.model import NegotiationModel

Table = Literal["round", "run"]
DType = Literal["float64", "int64", "uint64", "bool", "category", "string"]


@dataclass(frozen=True)
class Column:
    """One concrete column of one table, as a scenario's runs record it.

    ``codes`` says how a category is held in memory when it is held as integers: code i is
    ``codes[i]``, one of ``labels`` (several codes may share a label). Without ``codes`` a
    category is held as its label strings. In memory a missing integer is negative (-1) and
    a missing float is NaN; in files both are nulls.
    """

    name: str
    table: Table
    dtype: DType
    unit: str
    meaning: str
    missing: str = ""
    labels: tuple[str, ...] = ()
    label_meanings: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    key: bool = False
    sweep_only: bool = False

    @property
    def nullable(self) -> bool:
        """Whether the column may hold missing values (then ``missing`` says what they mean)."""
        return bool(self.missing)


class UndeclaredColumnError(ValueError):
    """Recorded columns and the declared table disagree (a column was added or renamed)."""


def _leaders(spec: ScenarioSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(labels, codes) of Japan's leader: the scenario's leader types, and code → type.

    Labels are the leader types in file order, so every design point of a sweep shares one
    dictionary; codes follow ``core.utility.build_tables`` (code i is leader type i; the
    sitting leader is one of them, ``politics.leader``), checked against it by the tests.
    """
    types = tuple(spec.politics.leader_types)
    return types, types


def _expand(template: Template, key: _Key) -> Iterable[Column]:
    """The concrete columns of one template for a scenario (described by ``key``)."""
    issues, leader_labels, leader_codes, level_names = key
    labels, meanings, codes = template.labels, template.label_meanings, ()
    if template.labels == LEADER_TYPES:
        labels, meanings, codes = leader_labels, (), leader_codes
    common = {
        "table": template.table,
        "dtype": template.dtype,
        "missing": template.missing,
        "labels": labels,
        "label_meanings": meanings,
        "codes": codes,
        "key": template.key,
        "sweep_only": template.sweep_only,
    }
    if "{issue}" in template.name:
        for issue, unit in issues:
            yield Column(
                name=template.name.format(issue=issue),
                unit=unit if template.unit == ISSUE_UNIT else template.unit,
                meaning=template.meaning.format(issue=issue),
                **common,
            )
    elif "{level}" in template.name:
        for level, level_name in enumerate(level_names):
            yield Column(
                name=template.name.format(level=level),
                unit=template.unit,
                meaning=template.meaning.format(level=level, level_name=level_name),
                **common,
            )
    else:
        yield Column(name=template.name, unit=template.unit, meaning=template.meaning, **common)


_Key = tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=64)
def _declared(key: _Key) -> tuple[Column, ...]:
    return tuple(column for template in TEMPLATES for column in _expand(template, key))


def declared(
    scenario: Scenario | ScenarioSpec,
    table: Table | None = None,
    type_names: Sequence[str] | None = None,
    sweep: bool = False,
) -> tuple[Column, ...]:
    """Every column runs of ``scenario`` record (of one ``table``, or both), in table order.

    ``type_names`` is the model's code → leader type (``UtilityTables.type_names``); by
    default it is derived from the scenario. ``sweep`` adds the columns only a sweep stores
    (the design point).
    """
    spec = scenario.spec if isinstance(scenario, Scenario) else scenario
    labels, codes = _leaders(spec)
    if type_names is not None:
        codes = tuple(type_names)
    names = {i: spec.china.levels.get(i, f"level {i}") for i in range(LEVELS)}
    key: _Key = (
        tuple((name, issue.unit) for name, issue in spec.issues.items()),
        labels,
        codes,
        tuple(names[i] for i in range(LEVELS)),
    )
    return tuple(
        c
        for c in _declared(key)
        if (table is None or c.table == table) and (sweep or not c.sweep_only)
    )


def declared_for(model: NegotiationModel, table: Table) -> tuple[Column, ...]:
    """The columns of ``table`` that ``model`` records, with its own leader codes."""
    return declared(model.spec, table, type_names=model.tables.type_names)


def outcome_names(scenario: Scenario | ScenarioSpec, table: Table) -> tuple[str, ...]:
    """Names of the outcomes of ``table`` (every column but the row keys): what ``keep:`` lists."""
    return tuple(c.name for c in declared(scenario, table) if not c.key)


def key_names(table: Table) -> tuple[str, ...]:
    """Columns that identify a row of a sweep's ``table``; a sweep always stores them."""
    return tuple(t.name for t in TEMPLATES if t.key and t.table == table)


def check_recorded(recorded: Iterable[str], columns: Sequence[Column], what: str) -> None:
    """Raise unless ``recorded`` names exactly the ``columns`` (what the model must record).

    This is how the model "writes through" the table: a column added to the model without
    a declaration, or a declared column the model stopped recording, fails every run at once
    with the column's name, instead of reaching a file nobody can read.
    """
    names = list(recorded)
    expected = {c.name for c in columns}
    undeclared = [n for n in names if n not in expected]
    missing = [c.name for c in columns if c.name not in set(names)]
    if undeclared or missing:
        parts = []
        if undeclared:
            parts.append("recorded but not declared: " + ", ".join(undeclared))
        if missing:
            parts.append("declared but not recorded: " + ", ".join(missing))
        raise UndeclaredColumnError(
            f"{what}: {'; '.join(parts)} (declare every column in negosim/columns/table.py)"
        )


class NonFiniteResultError(ScenarioError):
    """A recorded number is NaN where its column declares no missing value, or infinite.

    A :class:`ScenarioError`: what drives a run there is the scenario's numbers, and the
    command line reports it as it reports any bad input (exit 2, no traceback).
    """


def check_finite(
    table: Mapping[str, object], columns: Sequence[Column], what: str, source: str
) -> None:
    """Raise unless every float column of ``table`` is finite (NaN only where declared).

    The end of every run goes through here, so a parameter that drives a result to NaN or
    infinity stops the run with the column's name instead of reaching a file as a number.
    A column that declares a missing value (``missing``) may hold NaN; none may hold ±inf.
    """
    nullable = {c.name for c in columns if c.nullable}
    bad = []
    for name, values in table.items():
        array = np.asarray(values)
        if array.dtype.kind != "f" or np.isfinite(array).all():
            continue
        wrong = np.isinf(array) if name in nullable else ~np.isfinite(array)
        if wrong.any():
            first = int(np.flatnonzero(wrong)[0])
            bad.append(f"{name} ({int(wrong.sum())} of {array.size} rows, e.g. {array[first]})")
    if bad:
        message = (
            f"{what}: not a finite number in {'; '.join(bad)}: the scenario's parameters "
            "drove the model outside the numbers it computes with; check the values these "
            "columns depend on (docs/columns.md), or report it as a bug"
        )
        raise NonFiniteResultError([Problem(source, None, "", message)])
