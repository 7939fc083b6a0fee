"""Design points: where in parameter space a sweep runs.

- ``grid``: the full product of the listed values; the first parameter varies slowest.
- ``random``: ``samples`` points drawn uniformly in each range.
- ``latin_hypercube``: ``samples`` points, one in each of ``samples`` equal strata per
  parameter (McKay, Beckman & Conover 1979), via ``scipy.stats.qmc``.
- ``sobol``: Saltelli's (2002; Saltelli et al. 2010) extension of the scrambled Sobol'
  sequence for Sobol' sensitivity indices, via SALib: N (D + 2) points, or N (2D + 2) with
  second-order indices, in the order SALib's analysis expects.

Random designs draw from a generator seeded by the experiment's master seed, so the points
are the same on every machine and every resume.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from negosim.sweep.experiment import ExperimentSpec, ParameterSpec, Value

#: spawn_key of the design's own random stream, apart from the runs' seeds.
DESIGN_STREAM = 0xD5


def sobol_problem(spec: ExperimentSpec) -> dict[str, object]:
    """The SALib problem definition for the varied parameters."""
    params = spec.design.parameters
    return {
        "num_vars": len(params),
        "names": list(params),
        "bounds": [[p.min, p.max] for p in params.values()],
    }


def _unit_samples(spec: ExperimentSpec) -> NDArray[np.float64]:
    """Samples in the unit hypercube, shape (points, parameters)."""
    design = spec.design
    d = len(design.parameters)
    count = design.samples or 1
    rng = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(DESIGN_STREAM,)))
    if design.method == "random":
        return rng.random((count, d))
    if design.method == "latin_hypercube":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=d, rng=rng).random(count)
    from SALib.sample import sobol

    problem = {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0, 1]] * d}
    return sobol.sample(
        problem,
        count,
        calc_second_order=design.second_order,
        scramble=True,
        seed=int(rng.integers(2**31)),
    )


def _scale(unit: float, param: ParameterSpec) -> Value:
    """Map u in [0, 1) to the range; integers are equally likely, endpoints included."""
    assert param.min is not None and param.max is not None  # checked at the boundary
    if param.integer:
        low, high = math.ceil(param.min), math.floor(param.max)
        return min(high, low + math.floor(unit * (high - low + 1)))
    return float(param.min + unit * (param.max - param.min))


def design_points(spec: ExperimentSpec) -> list[dict[str, Value]]:
    """Every design point as a mapping of dotted path → value, in run order."""
    params = spec.design.parameters
    if spec.design.method == "grid":
        grids = [p.values or [] for p in params.values()]
        return [dict(zip(params, combo, strict=True)) for combo in itertools.product(*grids)]
    unit = _unit_samples(spec)
    return [
        {path: _scale(float(row[j]), param) for j, (path, param) in enumerate(params.items())}
        for row in unit
    ]
