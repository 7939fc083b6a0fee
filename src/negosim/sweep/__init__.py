"""Parameter sweeps: experiment files, designs, chunked execution, streamed results."""

from negosim.sweep.experiment import Experiment, load_experiment
from negosim.sweep.load import Sweep, load_sweep
from negosim.sweep.runner import SweepOutcome, run_sweep

__all__ = ["Experiment", "Sweep", "SweepOutcome", "load_experiment", "load_sweep", "run_sweep"]
