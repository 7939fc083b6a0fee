"""Problems found in a scenario file, and the one error type that carries them.

A scenario is read by people who did not write the code, so every problem names the file,
the line, the dotted field path, what was given and what would have been accepted. All
problems in a file are collected before anything is raised: fixing one error per run is
the kind of friction that makes people stop validating.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

GIVEN_LIMIT = 60


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, located as precisely as the input allows.

    ``line`` is 1-based and ``None`` when the data did not come from a file (sweeps build
    scenarios from mappings). ``path`` is dotted (``agents.japan.priorities.tariff``, list
    items as ``events.0.round``); the empty path means the file as a whole.
    """

    source: str
    line: int | None
    path: str
    message: str
    given: str | None = None
    allowed: str | None = None

    def __str__(self) -> str:
        """``FILE:LINE: PATH: MESSAGE (given: X; allowed: Y)``, omitting what is unknown."""
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        details = []
        if self.given is not None:
            details.append(f"given: {self.given}")
        if self.allowed is not None:
            details.append(f"allowed: {self.allowed}")
        if details:
            text += f" ({'; '.join(details)})"
        return text


class ScenarioError(ValueError):
    """A scenario could not be loaded; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sort_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by line (unknown lines last), keeping discovery order within a line.

    Reading problems top to bottom alongside the file is how people fix them.
    """
    indexed = list(enumerate(problems))
    indexed.sort(key=lambda item: (item[1].line is None, item[1].line or 0, item[0]))
    return [p for _, p in indexed]


def num(x: float) -> str:
    """Compact number for messages (``0.95``, not ``0.9500000000000001``)."""
    return f"{x:.10g}"


def short_repr(value: object, limit: int = GIVEN_LIMIT) -> str:
    """``repr`` of a given value, shortened so one bad value cannot flood the terminal."""
    if value is None or isinstance(value, bool):  # as written in YAML, not as Python
        text = {None: "null", True: "true", False: "false"}[value]
    elif isinstance(value, float):
        text = f"{value:.10g}"
    else:
        text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def did_you_mean(word: object, candidates: Iterable[object]) -> str:
    """``"; did you mean 'X'?"`` for the closest candidate, or ``""`` when nothing is close.

    Returned with its leading separator so callers can append it to any message.
    """
    names = [str(c) for c in candidates]
    matches = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def quoted_choices(choices: Iterable[object]) -> str:
    """``one of 'a', 'b'`` for a short list of allowed values (numbers unquoted)."""
    return "one of " + ", ".join(f"'{c}'" if isinstance(c, str) else str(c) for c in choices)


def nearest_path(lines: Mapping[str, object], path: str) -> str | None:
    """``path``, or its nearest ancestor present in ``lines``; ``None`` if there is none.

    Missing fields and values that pydantic filled in have no line of their own; the
    enclosing section's line is still the best place to look.
    """
    current = path
    while True:
        if current in lines:
            return current
        if not current:
            return None
        current = current.rpartition(".")[0]


@dataclass
class Reporter:
    """Collects problems for one scenario, resolving each path to its file and line.

    ``sources`` names, per path, the file that wrote it when a scenario is an overlay
    merged over bases; a path not in it (or its nearest ancestor) is ``source``'s.
    """

    source: str
    lines: Mapping[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sources: Mapping[str, str] = field(default_factory=dict)

    def add(
        self,
        path: str,
        message: str,
        given: str | None = None,
        allowed: str | None = None,
    ) -> None:
        """Record a problem at ``path`` (dotted), looking up its file and line."""
        found = nearest_path(self.lines, path)
        line = None if found is None else self.lines[found]
        source = self.sources.get(found, self.source) if found is not None else self.source
        self.problems.append(Problem(source, line, path, message, given, allowed))


def join_path(*parts: object) -> str:
    """Dotted path from parts, skipping empty ones (``join_path("", "a", 0) == "a.0"``)."""
    return ".".join(str(p) for p in parts if p != "")
