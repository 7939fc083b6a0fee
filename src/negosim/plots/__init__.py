"""Charts from saved results (a run's ``--out`` directory or a sweep's), as matplotlib figures.

For a notebook::

    from negosim import plots

    run = plots.load_run("out/seed7")            # what `negosim run ... --out out/seed7` wrote
    plots.offers_chart(run)                      # each issue's offers and the package in force
    plots.approval_chart(run)                    # Japan's approval and the Diet's win-set
    plots.coercion_chart(run)                    # China's ladder and its observables
    plots.markets_chart(run)                     # the market indicators
    plots.outcome_space_chart(run)               # utility plane; or ("tariff", "defense_budget")

Draw inside ``with plots.house_style():`` for the house fonts and palette (the command does).

Names are imported on first use, so ``import negosim.plots`` stays cheap and loads nothing
of the sweep charts.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Public name → the module that defines it (imported on first access).
_LAZY = {
    "Run": "negosim.plots.run_load",
    "RunDirectoryError": "negosim.plots.run_load",
    "load_run": "negosim.plots.run_load",
    "offers_chart": "negosim.plots.run_offers",
    "approval_chart": "negosim.plots.run_politics",
    "coercion_chart": "negosim.plots.run_china",
    "markets_chart": "negosim.plots.run_markets",
    "outcome_space_chart": "negosim.plots.run_space",
    "draw_run": "negosim.plots.run_draw",
    "house_style": "negosim.plots.style",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'negosim.plots' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
