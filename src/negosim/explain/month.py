"""One replicate's month as the explanation reads it: recorded columns and the rules' inputs.

The per-round table keeps what a round decided (the offer, both utilities, targets,
reservations, political cost, ratification probability, reason); the model's month record
keeps, in ``RoundRecord.context``, what its rules read and the table does not (Japan's
leader and beliefs at the table, the win-set K the Diet and Japan's leader used, the US's
belief about it, the admissible packages, the Diet's draw, reversal and letter gains). An
explanation reads both and re-runs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from negosim.core.admissible import Admissible
from negosim.core.protocol import Reason

if TYPE_CHECKING:
    from negosim.model import NegotiationModel, RoundRecord

I64 = NDArray[np.int64]

PROPOSERS = ("us", "japan")


class ExplanationError(ValueError):
    """A round or replicate that cannot be explained (out of range, or not recorded)."""


@dataclass(frozen=True)
class Month:
    """Round ``round_index`` of ``replicate``: its table row and its rules' inputs."""

    model: NegotiationModel
    replicate: int
    round_index: int
    row: dict[str, Any]
    context: dict[str, Any]
    events: tuple[str, ...]

    @property
    def proposer(self) -> str:
        """'us' or 'japan'."""
        return PROPOSERS[int(self.row["proposer"])]

    @property
    def responder(self) -> str:
        """The other side."""
        return "japan" if self.proposer == "us" else "us"

    @property
    def reason(self) -> Reason:
        """How the round ended (the recorded reason)."""
        return Reason(int(self.row["reason"]))

    @property
    def negotiating(self) -> bool:
        """Whether talks were open this month."""
        return bool(self.row["negotiating"])

    def offer_levels(self) -> I64 | None:
        """Level indices of the offer (None when there was none).

        The table holds each issue's value, a level of the grid; snapping it back gives
        the level exactly.
        """
        axes = self.model.tables.grid.axes
        values = [self.row[f"offer_{axis.name}"] for axis in axes]
        if any(np.isnan(v) for v in values):
            return None
        return np.array([axis.snap(v) for axis, v in zip(axes, values, strict=True)])

    def admissible(self) -> Admissible:
        """The packages either side could put on the table this month (§4.3)."""
        restrictions, index = self.context["admissible"]
        return restrictions[int(index[self.replicate])]

    def value(self, name: str) -> Any:
        """A context value for this replicate (a scalar)."""
        return self.context[name][self.replicate]


def month_of_run(model: NegotiationModel, replicate: int, round_index: int) -> Month:
    """The month view, or a clear error when the round or replicate is not in the run."""
    rounds = len(model.history)
    if not 0 <= replicate < model.state.size:
        last = model.state.size - 1
        raise ExplanationError(
            f"replicate {replicate} is not in this run (it has replicates 0..{last})"
        )
    if not 1 <= round_index <= rounds:
        span = f"rounds 1..{rounds}" if rounds else "no rounds yet"
        raise ExplanationError(f"round {round_index} is not in this run ({span})")
    rec: RoundRecord = model.history[round_index - 1]
    if "admissible" not in rec.context:
        raise ExplanationError(
            f"round {round_index} has no recorded decision context (a model from before "
            "negosim.explain); run the scenario again to explain it"
        )
    row = {name: column[replicate] for name, column in rec.columns.items()}
    return Month(model, replicate, round_index, row, rec.context, tuple(rec.events))
