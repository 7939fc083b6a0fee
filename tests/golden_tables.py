"""Canonical per-run and per-round tables of a scenario, for the golden-output test.

Encodings may change (codes stored as labels, missing values instead of -1) while values
must not; the canonical form maps every encoding to one: codes become their labels, a
missing round becomes NaN, everything else stays as the model computed it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SCENARIOS = (
    "baseline",
    "hawkish_successor",
    "indifferent_us",
    "spiral_china",
    "deterrence_china",
    "classroom_three_issues",
    "taiwan_statement",
)
SEEDS = list(range(200))

REASON_LABELS = (
    "not_negotiating",
    "accepted",
    "below_target",
    "below_reservation",
    "failed_ratification",
    "no_offer",
    "outside_win_set",
)
PROPOSER_LABELS = ("us", "japan")


def _canonical(name: str, column: np.ndarray, leader_names: tuple[str, ...]) -> np.ndarray:
    values = np.asarray(column)
    if values.dtype.kind in "iu" and name == "reason":
        return np.array([REASON_LABELS[v] for v in values], dtype=object)
    if values.dtype.kind in "iu" and name == "proposer":
        return np.array([PROPOSER_LABELS[v] for v in values], dtype=object)
    if values.dtype.kind in "iu" and name == "leader":
        return np.array([leader_names[v] for v in values], dtype=object)
    if name == "first_deal_round":
        as_float = values.astype(np.float64)
        return np.where(as_float < 0, np.nan, as_float)
    if values.dtype == object:
        return np.array([None if v is None else str(v) for v in values], dtype=object)
    return values


def canonical_tables(
    path: Path, seeds: list[int]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(runs, rounds) of the scenario at ``path`` for ``seeds``, in canonical form."""
    from negosim.model import NegotiationModel
    from negosim.outcomes import round_table, summarize
    from negosim.scenario import load_scenario

    model = NegotiationModel(load_scenario(path), seeds=seeds).run()
    names = tuple(model.tables.type_names)
    runs = {k: _canonical(k, v, names) for k, v in summarize(model).items()}
    rounds = {k: _canonical(k, v, names) for k, v in round_table(model).items()}
    return runs, rounds
