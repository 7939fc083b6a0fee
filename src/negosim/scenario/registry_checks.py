"""Names that select code, and their parameters, checked against the registries.

A scenario names registry entries (a concession style, China's rule, event kinds); each
name must exist and each entry's parameters must pass the entry's own parameter model, with
problems reported at the exact field (``china.params.step``), like every other problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from pydantic import ValidationError

from negosim.core.china_rules import CHINA_RULES
from negosim.core.concession import CONCESSION_STYLES
from negosim.core.events import EVENT_KINDS
from negosim.registry import Entry, Registry
from negosim.scenario.problems import Reporter, did_you_mean, join_path, quoted_choices
from negosim.scenario.structure import report_validation_error
from negosim.schema import ScenarioSpec


class _Within:
    """A reporter view that puts every path under ``prefix`` (an entry's parameters)."""

    def __init__(self, reporter: Reporter, prefix: str) -> None:
        self.reporter = reporter
        self.prefix = prefix

    def add(
        self, path: str, message: str, given: str | None = None, allowed: str | None = None
    ) -> None:
        """Record a problem at ``prefix.path``."""
        self.reporter.add(join_path(self.prefix, path), message, given, allowed)


def check_entry[E: Entry](
    registry: Registry[E],
    name: str,
    name_path: str,
    params: Mapping[str, Any] | None,
    params_path: str,
    r: Reporter,
) -> E | None:
    """The named entry if it exists and its parameters are valid; problems otherwise."""
    if name not in registry:
        r.add(
            name_path,
            f"unknown {registry.kind}" + did_you_mean(name, registry.names()),
            repr(name),
            quoted_choices(registry.names()),
        )
        return None
    entry = registry[name]
    try:
        entry.parameters(params)
    except ValidationError as err:
        report_validation_error(err, cast(Reporter, _Within(r, params_path)), entry.Parameters)
        return None
    return entry


def check_registries(spec: ScenarioSpec, r: Reporter) -> None:
    """Concession styles, China's rule and event kinds, with their parameters and values."""
    concessions = {"agents.us.concession": spec.agents.us.concession} | {
        f"politics.leader_types.{name}.concession": leader.concession
        for name, leader in spec.politics.leader_types.items()
    }
    for base, concession in concessions.items():
        check_entry(
            CONCESSION_STYLES,
            concession.style,
            f"{base}.style",
            concession.params,
            f"{base}.params",
            r,
        )
    check_entry(CHINA_RULES, spec.china.rule, "china.rule", spec.china.params, "china.params", r)
    for index, event in enumerate(spec.events):
        base = f"events.{index}"
        kind = check_entry(EVENT_KINDS, event.kind, f"{base}.kind", None, base, r)
        if kind is None:
            continue
        allowed = kind.allowed(spec)
        if allowed is not None and not allowed.low <= event.value <= allowed.high:
            r.add(
                f"{base}.value",
                "out of range",
                f"{event.value:g}",
                f"{allowed.what} in [{allowed.low:g}, {allowed.high:g}]",
            )
