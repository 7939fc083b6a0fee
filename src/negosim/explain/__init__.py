"""Why each side accepted or rejected: the explanation of every decision of a run.

For one round of one replicate the explanation gives the offer on the table (every issue
with its unit, and who proposed it), what it is worth to each side issue by issue on the
common 0-1 scale (Japan's security term split into China's threat, the credibility of the
US guarantee, self-reliance and entrapment), each side's target and value of no deal and
whether the offer clears them, whether ratification in Tokyo bound (political cost against
the win-set K, the Diet's chance of ratifying) and Japan's public red lines, and **the
smallest change to the offer that would have flipped the decision**, found exactly on the
grid. docs/explain.md explains the rules and every field.

The numbers come from the model's own functions and its record of each month
(``RoundRecord.context``): explaining reads a run, it never re-runs or changes one.

API (what ``negosim run CONFIG --explain`` and the seminar page call)::

    from negosim.explain import explain_round, explain_run

    model = NegotiationModel(scenario, seeds=[seed]).run()   # or step it month by month
    e = explain_round(model, replicate=0, round_index=3)     # -> RoundExplanation
    print(e.text())       # for a student: the decisive reason first, then the numbers
    e.why()               # the decisive reason, a sentence or two
    e.flip_sentence()     # "lowering the tariff from 15 to 12.5 % ad valorem would have ..."
    e.to_dict()           # JSON-ready; the fields are documented in docs/explain.md
    explain_run(model, replicate=0)                          # every recorded round

``explain_round`` raises :class:`ExplanationError` for a round or replicate that is not in
the run.
"""

from __future__ import annotations

from negosim.explain.build import explain_round, explain_run
from negosim.explain.month import ExplanationError
from negosim.explain.record import (
    SCHEMA_VERSION,
    Change,
    Contribution,
    Flip,
    Happening,
    IssueValue,
    NoOffer,
    RedLineStatus,
    RoundExplanation,
    Security,
    SideValue,
    Tokyo,
)

__all__ = [
    "SCHEMA_VERSION",
    "Change",
    "Contribution",
    "ExplanationError",
    "Flip",
    "Happening",
    "IssueValue",
    "NoOffer",
    "RedLineStatus",
    "RoundExplanation",
    "Security",
    "SideValue",
    "Tokyo",
    "explain_round",
    "explain_run",
]
