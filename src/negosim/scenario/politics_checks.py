"""Cross-field checks of Japan's domestic politics that need the calendar (docs/model.md §3).

The election is given as a calendar month and the run's round 1 as ``protocol.start_month``;
the election's round is derived from the two, so both must be months and the election must
not fall before the run starts.
"""

from __future__ import annotations

import re

from negosim.core.election import round_of_month
from negosim.scenario.problems import Reporter
from negosim.schema import ScenarioSpec
from negosim.schema.politics import MONTH_PATTERN


def check_election_month(spec: ScenarioSpec, r: Reporter) -> None:
    """protocol.start_month and politics.election.month are 'YYYY-MM', the election not first."""
    start, month = spec.protocol.start_month, spec.politics.election.month
    bad = False
    for path, value, meaning in (
        ("protocol.start_month", start, "the month of round 1 (e.g. '2025-02')"),
        ("politics.election.month", month, "the election's month (e.g. '2025-07')"),
    ):
        if not re.match(MONTH_PATTERN, value):
            bad = True
            r.add(path, "not a calendar month", repr(value), f"'YYYY-MM': {meaning}")
    if bad:
        return
    election_round = round_of_month(start, month)
    if election_round < 1:
        r.add(
            "politics.election.month",
            f"before the run starts (protocol.start_month {start} is round 1)",
            repr(month),
            f"a month from {start} on; round = months after {start} + 1",
        )
