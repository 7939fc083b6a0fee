"""``negosim list [columns [CONFIG]]``: what a scenario can name, and every output column."""

from __future__ import annotations

import argparse
from pathlib import Path


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
    listing.set_defaults(handler=_list)


def _list_columns(args: argparse.Namespace) -> int:
    from negosim.columns import declared
    from negosim.columns.markdown import listing, markdown
    from negosim.scenario import load_scenario

    if args.markdown:
        print(markdown(), end="")
        return 0
    config = args.config or Path("configs/baseline.yaml")
    if args.config is None and not config.exists():
        print("negosim list columns: name a scenario file, e.g. configs/baseline.yaml")
        return 2
    print(f"columns recorded by runs of {config} (docs/columns.md explains each):")
    print(listing(declared(load_scenario(config))), end="")
    return 0


def _list(args: argparse.Namespace) -> int:
    if args.what == "columns":
        return _list_columns(args)

    from negosim.core.china_rules import CHINA_RULES
    from negosim.core.concession import CONCESSION_STYLES
    from negosim.core.events import EVENT_KINDS

    for registry in (CONCESSION_STYLES, CHINA_RULES, EVENT_KINDS):
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
    return 0
