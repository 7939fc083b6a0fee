"""A run's length and seeds, checked the same way whether the file sets them or an override does.

``protocol.rounds`` bounds what a file may schedule: an event in round 9 of a 6-round
scenario is refused. A run can be made shorter or longer than the file says (``negosim run
--rounds``, an experiment's or a lever table's ``rounds:``) and seeded otherwise
(``--seed``, an experiment's seeds): those overrides go through the same checks here, so a
``--rounds 6`` run refuses the round-9 event the file's own validation would, instead of
silently dropping it. The checks are cheap (a loop over events and red lines), so the model
runs them for every batch it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from negosim.scenario.problems import Reporter, ScenarioError, short_repr
from negosim.schema import ProtocolSpec, ScenarioSpec

if TYPE_CHECKING:
    from negosim.scenario.loader import Scenario

FILE_ROUNDS = "protocol.rounds"
SEED_LIMIT = 2**63


def _round_bounds() -> tuple[int, int]:
    """The schema's range of ``protocol.rounds`` (one place says it)."""
    low, high = 1, 120
    for item in ProtocolSpec.model_fields["rounds"].metadata:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    return low, high


def check_run_length(
    spec: ScenarioSpec, reporter: Reporter, rounds: int, origin: str | None = None
) -> None:
    """Scheduled events and announced red lines must fall within ``rounds`` months.

    ``origin`` is ``None`` for the file's own ``protocol.rounds``; for an override it says
    where ``rounds`` came from (``--rounds``), and every message names it.
    """
    if origin is None:
        last, length = "after the last round", FILE_ROUNDS
    else:
        last = f"after the last round of a {rounds}-round run ({origin})"
        length = f"the run's length; the file's {FILE_ROUNDS} is {spec.protocol.rounds}"
    for index, event in enumerate(spec.events):
        if event.round > rounds:
            reporter.add(
                f"events.{index}.round",
                last,
                str(event.round),
                f"an integer in [1, {rounds}] ({length})",
            )
    for index, line in enumerate(spec.politics.red_lines):
        issue = spec.issues.get(line.issue)
        if issue is not None and issue.enabled and line.announced_round > rounds:
            reporter.add(
                f"politics.red_lines.{index}.announced_round",
                "announced " + last,
                str(line.announced_round),
                f"an integer in [0, {rounds}] ({length})",
            )


def check_run(
    scenario: Scenario,
    rounds: int | None = None,
    seeds: Sequence[int] | None = None,
    origin: str = "rounds set by --rounds or an experiment's rounds:",
) -> None:
    """Raise a ScenarioError unless ``rounds`` and ``seeds`` are valid for ``scenario``.

    ``rounds`` (when given) must be in the schema's range of ``protocol.rounds`` and leave
    every scheduled event and red line inside the run; each seed must be an integer in
    [0, 2^63), the range of the file's ``seed``. Problems point at the file's line of the
    event that no longer fits, and name ``origin`` (``--rounds``, an experiment's rounds).
    """
    reporter = Reporter(scenario.source, scenario.lines, [], scenario.line_sources)
    if rounds is not None:
        low, high = _round_bounds()
        if isinstance(rounds, bool) or not isinstance(rounds, int) or not low <= rounds <= high:
            reporter.add(
                FILE_ROUNDS,
                f"months to simulate out of range ({origin})",
                short_repr(rounds),
                f"an integer in [{low}, {high}], as for {FILE_ROUNDS}",
            )
        elif rounds != scenario.spec.protocol.rounds:
            check_run_length(scenario.spec, reporter, rounds, origin)
    for seed in seeds or ():
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
            reporter.add(
                "seed",
                "not a valid replicate seed (a seed given to the run)",
                short_repr(seed),
                "an integer in [0, 2^63), as for the file's seed",
            )
            break
    if reporter.problems:
        raise ScenarioError(reporter.problems)
