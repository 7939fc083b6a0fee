"""What the US learns about Japan's win-set from Japan's answers (docs/model.md §3).

The US does not know how much the Diet will pass; Japan's leader does (Putnam's informed
chief negotiator) up to the Diet's own noise. Iida (1993, J. Conflict Resolution 37:403-426)
and Tarar (2001, J. Conflict Resolution 45:320-340) model two-level bargaining under this
uncertainty: the foreign side screens, and learns from rejections. negosim's US keeps a
belief about the largest political cost L_J the Diet would accept, an upper bound B:

- it proposes only packages with L_J ≤ B (political costs are public: the references are
  Japan's own published plans and statements);
- a rejection "outside the win-set", or a failed ratification, of a package of cost c
  tells it that c was too much: B ← min(B, ς c) with ς < 1 (it steps back, not just below);
- a Japanese offer of cost c tells it the Diet can pass at least c: B never falls below the
  dearest package Japan itself has offered.

[negosim] This is a bounded, deterministic stand-in for a Bayesian update of a prior over
K (Milner & Rosendorff 1997, J. Conflict Resolution 41:117-146, on ratification with
uncertain domestic preferences): it makes the same offers converge on the win-set.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
B = NDArray[np.bool_]


def update_win_set_bound(
    bound: F64,
    floor: F64,
    cost: F64,
    refused_as_too_costly: B,
    japan_offered: B,
    shrink: float,
) -> tuple[F64, F64]:
    """(B, floor) after this month's answer: step back after a refusal, never below floor.

    ``refused_as_too_costly`` marks US offers Japan rejected as outside its win-set or that
    failed in the Diet; ``japan_offered`` marks Japanese offers (cost ``cost``), which the
    Diet could pass.
    """
    floor = np.where(japan_offered, np.maximum(floor, cost), floor)
    bound = np.where(refused_as_too_costly, np.minimum(bound, shrink * cost), bound)
    return np.maximum(bound, floor), floor
