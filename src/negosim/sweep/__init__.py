"""Parameter sweeps: experiment files, designs, chunked execution, streamed results.

The names below load on first use (PEP 562), so reading a finished sweep
(``load_sweep``, ``negosim plot``, ``negosim report``) does not import the model and Mesa.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from negosim.sweep.experiment import Experiment, load_experiment
    from negosim.sweep.load import Sweep, load_sweep
    from negosim.sweep.runner import SweepOutcome, run_sweep

_HOMES = {
    "Experiment": "experiment",
    "load_experiment": "experiment",
    "Sweep": "load",
    "load_sweep": "load",
    "SweepOutcome": "runner",
    "run_sweep": "runner",
}

__all__ = ["Experiment", "Sweep", "SweepOutcome", "load_experiment", "load_sweep", "run_sweep"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f"negosim.sweep.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'negosim.sweep' has no attribute {name!r}")
