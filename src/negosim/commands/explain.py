"""``negosim run CONFIG --explain [--round N] [--json]``: why each round ended as it did.

The options belong to ``run`` (the explanation is of the run just made); this module adds
them to its parser and writes what they ask for: the text of :mod:`negosim.explain` per
round, or its ``to_dict()`` form as one JSON document (docs/explain.md lists the fields).
With ``--out DIR`` the JSON is also written to DIR/explanation.json, atomically.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negosim.commands.types import round_number
from negosim.exit_codes import ExitCode

if TYPE_CHECKING:
    from negosim.model import NegotiationModel
    from negosim.outcomes import Columns


def add_run_options(run: argparse.ArgumentParser) -> None:
    """--explain, --round and --json on ``negosim run``."""
    run.add_argument(
        "--explain",
        action="store_true",
        help="explain each round: the offer, what each issue is worth to each side, targets "
        "and the value of no deal, Tokyo's win-set, and the smallest change that would have "
        "flipped the decision",
    )
    run.add_argument(
        "--round",
        type=round_number,
        metavar="N",
        dest="explain_round",
        help="explain only round N (implies --explain)",
    )
    run.add_argument(
        "--json",
        action="store_true",
        help="JSON on standard output instead of text: the run's summary (fields in "
        "docs/command_line.md), or with --explain/--round the explanation (docs/explain.md)",
    )


def wanted(args: argparse.Namespace) -> bool:
    """Whether the command line asks for an explanation."""
    return bool(args.explain or args.explain_round is not None)


def refuse(args: argparse.Namespace, file_rounds: int) -> int | None:
    """Exit status 2, with a message, when --round names a round the run will not have.

    Checked before running; ``file_rounds`` is the scenario's, which --rounds overrides.
    """
    rounds, n = args.rounds or file_rounds, args.explain_round
    if wanted(args) and n is not None and not 1 <= n <= rounds:
        print(
            f"negosim run: --round {n} is not a round of this run (it has rounds 1..{rounds})",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    return None


def document(model: NegotiationModel, rounds: list[int], replicate: int = 0) -> dict[str, Any]:
    """The JSON document: the run's identity and one explanation per requested round."""
    from negosim.explain import SCHEMA_VERSION, explain_round

    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": model.spec.name,
        "seed": int(model.seeds[replicate]),
        "replicate": replicate,
        "rounds_run": len(model.history),
        "rounds": [explain_round(model, replicate, t).to_dict() for t in rounds],
    }


def output(args: argparse.Namespace, model: NegotiationModel, summary: Columns) -> str:
    """What ``run --explain`` prints: text per round (and the summary), or the JSON."""
    from negosim.account import summary_lines
    from negosim.explain import explain_round
    from negosim.explain.words import issue_name, with_unit

    every = range(1, len(model.history) + 1)
    rounds = [args.explain_round] if args.explain_round is not None else list(every)
    if args.json:
        return json.dumps(document(model, rounds), indent=2, ensure_ascii=False) + "\n"
    spec = model.spec
    steps = "; ".join(
        f"{issue_name(axis.name)} "
        + (
            f"{axis.spec.step:g} level"
            if axis.spec.unit == "level"
            else with_unit(axis.spec.step, axis.spec.unit)
        )
        for axis in model.tables.grid.axes
    )
    lines = [
        f"negosim: {spec.name} (seed {model.seeds[0]}, {len(model.history)} rounds): why each "
        "round ended as it did",
        "Utilities: each side's scale, 0 = its worst package on the grid, 1 = its best.",
        *textwrap.wrap(f"Changes are counted in grid steps; one step is: {steps}.", 96),
        "",
        "",
    ]
    text = "\n".join(lines) + "\n".join(explain_round(model, 0, t).text() for t in rounds)
    if args.explain_round is None:
        text += "\n" + "\n".join(summary_lines(model, summary, 0)) + "\n"
    return text


def write(path: Path, model: NegotiationModel) -> Path:
    """DIR/explanation.json with every round, written atomically."""
    from negosim.results import atomic_path

    data = document(model, list(range(1, len(model.history) + 1)))
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def wrote(args: argparse.Namespace, model: NegotiationModel, table: Path, summary: Path) -> None:
    """The run's "wrote ..." line, with DIR/explanation.json when explaining.

    With --json it goes to standard error, so standard output is the JSON document alone.
    """
    files = f"{table} and {summary}"
    if wanted(args):
        files += f" and {write(args.out / 'explanation.json', model)}"
    print(f"\nwrote {files}", file=sys.stderr if args.json else sys.stdout)
