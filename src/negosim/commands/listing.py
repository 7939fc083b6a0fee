"""``negosim list [columns [CONFIG]]``: what a scenario can name, and every output column."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from negosim.commands.inputs import readable_file
from negosim.exit_codes import ExitCode

SCHEMA_VERSION = 1


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``list`` and its arguments."""
    listing = subparsers.add_parser(
        "list",
        help="list concession styles, China reaction rules, event kinds, or output columns",
        description=(
            "What a scenario file can name in concession.style, china.rule, events; with "
            "'columns', every column a run records (unit, meaning, labels, what missing "
            "means), expanded for CONFIG's issues, or as the Markdown of docs/columns.md."
        ),
    )
    listing.add_argument(
        "what", nargs="?", choices=["columns"], help="'columns': the declared output columns"
    )
    listing.add_argument(
        "config",
        nargs="?",
        type=Path,
        help="scenario whose columns to list (default: configs/baseline.yaml if present)",
    )
    listing.add_argument(
        "--markdown", action="store_true", help="with 'columns': print docs/columns.md"
    )
    listing.add_argument(
        "--json",
        action="store_true",
        help="the registries (or with 'columns' the columns) as one JSON document",
    )
    listing.set_defaults(handler=_list)


def _list_columns(args: argparse.Namespace) -> int:
    from negosim.columns import declared
    from negosim.columns.markdown import listing, markdown
    from negosim.scenario import load_scenario

    if args.markdown:
        print(markdown(), end="")
        return ExitCode.OK
    config = args.config or Path("configs/baseline.yaml")
    if args.config is None and not config.exists():
        print(
            "negosim list columns: name a scenario file, e.g. configs/baseline.yaml",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    columns = declared(load_scenario(readable_file(config)))
    if args.json:
        from negosim.commands.run_json import dumps

        document = {
            "schema_version": SCHEMA_VERSION,
            "scenario": str(config),
            "columns": [dataclasses.asdict(column) for column in columns],
        }
        print(dumps(document), end="")
        return ExitCode.OK
    print(f"columns recorded by runs of {config} (docs/columns.md explains each):")
    print(listing(columns), end="")
    return ExitCode.OK


def _list(args: argparse.Namespace) -> int:
    if args.what == "columns":
        return _list_columns(args)

    if args.json:
        from negosim.commands.run_json import dumps

        print(dumps({"schema_version": SCHEMA_VERSION, "registries": registries()}), end="")
        return ExitCode.OK
    for registry in _registries():
        print(f"{registry.kind}s ({registry.field}):")
        for entry in registry.values():
            print(f"  {entry.name:<17} {entry.summary()}")
            details = ", ".join(f"{k}: {v}" for k, v in entry.properties().items())
            fields = entry.Parameters.model_fields
            if fields:
                details += "; parameters: " + ", ".join(
                    f"{name}={field.default!r}" for name, field in fields.items()
                )
            if entry.reads:
                details += "; reads " + ", ".join(entry.reads)
            print(f"  {'':<17} [{details}] {entry.citation}")
    print("output columns: negosim list columns [CONFIG]")
    return ExitCode.OK


def _registries() -> tuple[Any, ...]:
    from negosim.core.china_rules import CHINA_RULES
    from negosim.core.concession import CONCESSION_STYLES
    from negosim.core.events import EVENT_KINDS

    return CONCESSION_STYLES, CHINA_RULES, EVENT_KINDS


def registries() -> list[dict[str, Any]]:
    """What ``list --json`` holds: each registry and, per entry, what the text lists."""
    return [
        {
            "kind": registry.kind,
            "field": registry.field,
            "entries": [
                {
                    "name": entry.name,
                    "summary": entry.summary(),
                    "properties": dict(entry.properties()),
                    "parameters": {
                        name: spec.default for name, spec in entry.Parameters.model_fields.items()
                    },
                    "reads": list(entry.reads),
                    "citation": entry.citation,
                }
                for entry in registry.values()
            ],
        }
        for registry in _registries()
    ]
