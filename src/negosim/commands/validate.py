"""``negosim validate FILE...``: check scenario, experiment and lever-table files.

Each file is checked as what it is: a top-level ``scenario:`` (the base scenario an
experiment varies) makes it an experiment, checked as ``negosim sweep`` would check it
(its fields, its design, the base scenario it names and every point it sets); a top-level
``lever_table:`` makes it a lever table, checked as ``negosim levers`` would; anything
else is a scenario. One line per problem (file, line, field path, what was given and
what is allowed), or with ``--json`` one document with every file's problems as data.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from negosim.commands.inputs import InputError, readable_file
from negosim.exit_codes import ExitCode
from negosim.scenario import Problem, ScenarioError

Kind = Literal["scenario", "experiment", "lever table"]
SCHEMA_VERSION = 1
#: How far into a file its kind is looked for (top-level keys come early; a comment
#: header of a few KB is usual).
SNIFF_BYTES = 64 * 1024
_TOP_KEY = re.compile(r"""^["']?(scenario|lever_table)["']?[ \t]*:""", re.MULTILINE)

EPILOG = """\
exit status: 0 every file is valid; 2 a file with problems, or one that cannot be read
(each is still checked and reported)."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``validate`` and its arguments."""
    validate = subparsers.add_parser(
        "validate",
        help="check scenario, experiment or lever-table files; exit 0 if all are valid",
        description=(
            "Check each file: a scenario, an experiment (a top-level 'scenario:' names the "
            "scenario it varies; the design, that scenario and every design point are "
            "checked) or a lever table (a top-level 'lever_table:'). Prints one line per "
            "problem: file, line, field path, what was given and what is allowed."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("configs", type=Path, nargs="+", metavar="FILE")
    validate.add_argument(
        "--json",
        action="store_true",
        help="one JSON document on standard output: per file its kind, ok and problems",
    )
    validate.set_defaults(handler=_validate)


@dataclass
class Checked:
    """One file's verdict: what it is, and everything wrong with it."""

    path: Path
    kind: Kind | None  # None: the file could not be read
    problems: list[Problem] = field(default_factory=list)
    unreadable: str | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        """The file's entry of ``validate --json``."""
        problems = [
            {
                "file": p.source,
                "line": p.line,
                "field": p.path,
                "message": p.message,
                "given": p.given,
                "allowed": p.allowed,
            }
            for p in self.problems
        ]
        if self.unreadable is not None:
            problems.append(
                {
                    "file": str(self.path),
                    "line": None,
                    "field": "",
                    "message": self.unreadable,
                    "given": None,
                    "allowed": None,
                }
            )
        return {
            "path": str(self.path),
            "kind": self.kind,
            "ok": self.ok,
            "detail": self.detail,
            "problems": problems,
        }

    @property
    def ok(self) -> bool:
        """Whether the file is valid as what it is."""
        return not self.problems and self.unreadable is None


def file_kind(path: Path) -> Kind:
    """What ``path`` holds, from its top-level keys (read as text, never parsed here)."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    found = {match.group(1) for match in _TOP_KEY.finditer(head)}
    if "lever_table" in found:
        return "lever table"
    return "experiment" if "scenario" in found else "scenario"


def check(path: Path) -> Checked:
    """Check one file as the kind it is."""
    try:
        readable_file(path)
    except InputError as err:
        return Checked(path, None, unreadable=str(err))
    kind = file_kind(path)
    try:
        detail = _load(path, kind)
    except ScenarioError as err:
        return Checked(path, kind, err.problems)
    return Checked(path, kind, detail=detail)


def _load(path: Path, kind: Kind) -> str:
    """Load ``path`` as ``kind`` (ScenarioError on problems); a line on what it holds."""
    if kind == "experiment":
        from negosim.sweep import load_experiment

        experiment = load_experiment(path)
        return (
            f"{len(experiment.points)} points × {experiment.spec.replicates} replicates "
            f"= {experiment.total_runs:,} runs of {experiment.spec.scenario}"
        )
    if kind == "lever table":
        from negosim.levers.spec import load_levers

        table = load_levers(path)
        return f"{len(table.levers)} levers on {table.spec.lever_table.scenario}"
    from negosim.scenario import load_scenario

    load_scenario(path)
    return ""


def _validate(args: argparse.Namespace) -> int:
    results = [check(path) for path in args.configs]
    if args.json:
        from negosim.commands.run_json import dumps

        document = {
            "schema_version": SCHEMA_VERSION,
            "ok": all(r.ok for r in results),
            "files": [r.to_dict() for r in results],
        }
        print(dumps(document), end="")
    else:
        for result in results:
            _print(result)
    return ExitCode.OK if all(r.ok for r in results) else ExitCode.USAGE


def _print(result: Checked) -> None:
    """A scenario's lines are as before ("FILE: ok"); the other kinds say what they are."""
    if result.unreadable is not None:
        print(f"negosim validate: {result.unreadable}", file=sys.stderr)
        return
    for problem in result.problems:
        print(problem, file=sys.stderr)
    kind = "" if result.kind == "scenario" else f" ({result.kind})"
    if result.problems:
        print(f"{result.path}: {len(result.problems)} problem(s){kind}", file=sys.stderr)
    elif result.kind == "scenario":
        print(f"{result.path}: ok")
    else:
        print(f"{result.path}: ok ({result.kind}: {result.detail})")
