"""The outcomes a run records, derived from the model itself so the list never drifts."""

from __future__ import annotations

from negosim.scenario import Scenario

#: Identify a row in every stored table; always kept.
RUN_KEYS = ("point", "replicate", "seed")
ROUND_KEYS = ("point", "replicate", "seed", "round")


_PROBED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _probe(scenario: Scenario) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from negosim.model import NegotiationModel
    from negosim.outcomes import round_table, summarize

    model = NegotiationModel(scenario, seeds=[0], rounds=1).run()
    runs = tuple(c for c in summarize(model) if c not in RUN_KEYS)
    rounds = tuple(c for c in round_table(model) if c not in ROUND_KEYS)
    return runs, rounds


def recorded_columns(scenario: Scenario) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(per-run outcome names, per-round outcome names) that runs of ``scenario`` record."""
    key = scenario.resolved_sha256  # not the text: an overlay's text alone is not a scenario
    if key not in _PROBED:
        _PROBED[key] = _probe(scenario)
    return _PROBED[key]
