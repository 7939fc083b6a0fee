"""A person in a side's chair (agents/seat.py): their decisions, the model's rules.

What must hold: a seat that decides nothing, or decides exactly what the model's negotiator
would, changes nothing; a person's offer is judged by the other side and ratified by the
Diet exactly as the model's own would be; the other replicates never notice; the same
decisions give the same run (determinism of everything the person does not decide).
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import BASELINE
from negosim.agents.seat import Seat, SeatError
from negosim.core.protocol import Reason
from negosim.model import NegotiationModel
from negosim.scenario import load_scenario

SCENARIO = load_scenario(BASELINE)
SEEDS = [11, 12]


def _run(seat: Seat | None = None, rounds: int = 12) -> NegotiationModel:
    return NegotiationModel(SCENARIO, seeds=SEEDS, rounds=rounds, seat=seat).run()


def _columns(model: NegotiationModel, replicate: int) -> list[dict[str, np.ndarray]]:
    return [{k: v[replicate] for k, v in rec.columns.items()} for rec in model.history]


def _same(a: dict, b: dict, skip: tuple[str, ...] = ()) -> bool:
    return all(np.array_equal(a[k], b[k], equal_nan=True) for k in a if k not in skip)


@pytest.fixture(scope="module")
def plain() -> NegotiationModel:
    return _run()


def test_an_idle_seat_changes_nothing_and_keeps_the_models_choices(plain):
    seat = Seat("japan")
    seated = _run(seat)
    for rec_a, rec_b in zip(_columns(plain, 0), _columns(seated, 0), strict=True):
        assert _same(rec_a, rec_b)
    # the debrief: the model's own offer in every round Japan proposed at the table
    japan_rounds = [
        rec.round_index
        for rec in plain.history
        if rec.columns["proposer"][0] == 1 and rec.columns["negotiating"][0]
    ]
    assert sorted(seat.model_offers) == japan_rounds
    for t in japan_rounds:
        cols = plain.history[t - 1].columns
        offer = seat.model_offers[t]
        grid = plain.tables.grid
        if offer is None:
            assert np.isnan(cols["offer_tariff"][0])
        else:
            values = [grid.axes[i].values[level] for i, level in enumerate(offer)]
            assert values == [cols[f"offer_{a.name}"][0] for a in grid.axes]


def test_answers_equal_to_the_models_give_the_same_run_but_the_reason_names_the_person(plain):
    reasons = {
        rec.round_index: int(rec.columns["reason"][0])
        for rec in plain.history
        if rec.columns["proposer"][0] == 0 and rec.columns["negotiating"][0]
    }
    offered = {t: r for t, r in reasons.items() if r != Reason.NO_OFFER}
    assert offered, "the fixture must have US offers for Japan to answer"
    accepts = {Reason.ACCEPTED, Reason.FAILED_RATIFICATION}
    seat = Seat("japan", responses={t: r in accepts for t, r in offered.items()})
    seated = _run(seat)
    for t, (a, b) in enumerate(zip(_columns(plain, 0), _columns(seated, 0), strict=True), 1):
        assert _same(a, b, skip=("reason",))
        if t in offered and offered[t] not in accepts:
            assert b["reason"] == Reason.DECLINED
        else:
            assert a["reason"] == b["reason"]
    assert seat.model_reasons == offered


def test_other_replicates_never_notice_a_seat(plain):
    first_us_round = 1
    seat = Seat("japan", responses={first_us_round: True})
    seated = _run(seat)
    for a, b in zip(_columns(plain, 1), _columns(seated, 1), strict=True):
        assert _same(a, b)


def test_a_persons_offer_is_judged_by_the_other_sides_own_rule():
    model = NegotiationModel(SCENARIO, seeds=SEEDS, rounds=2)
    grid = model.tables.grid
    # Japan proposes in round 2: the status quo with a 2.5 % tariff, nothing else moved
    package = tuple(int(x) for x in grid.status_quo())
    seat = Seat("japan", offers={2: package})
    model.seat = seat
    model.run()
    cols = {k: v[0] for k, v in model.history[1].columns.items()}
    values = [axis.values[level] for axis, level in zip(grid.axes, package, strict=True)]
    assert [cols[f"offer_{a.name}"] for a in grid.axes] == values
    us_value = model.us.utility(*grid.split(np.array([package] * 2)))[0]
    assert cols["responder_utility"] == pytest.approx(us_value)
    # the US answers with its own acceptance rule against its own target and reservation
    accept = us_value >= max(cols["responder_target"], cols["responder_reservation"])
    assert bool(cols["accepted"]) == accept
    if not accept:
        want = Reason.BELOW_RESERVATION if us_value < cols["responder_reservation"] else None
        assert want is None or cols["reason"] == want


def test_a_persons_acceptance_goes_to_the_diet_with_the_same_draw(plain):
    # the US offer of round 1, accepted by the person playing Japan, is voted on by the
    # Diet with the probability and draw the model's own acceptance would have met
    seat = Seat("japan", responses={1: True})
    seated = _run(seat, rounds=1)
    cols = {k: v[0] for k, v in seated.history[0].columns.items()}
    assert cols["accepted"]
    assert 0.0 <= cols["ratification_probability"] <= 1.0
    from negosim.core.rng import Purpose, uniform

    draw = uniform(seated.state.keys, 1, Purpose.RATIFICATION)[0]
    assert bool(cols["ratified"]) == (draw < cols["ratification_probability"])
    assert cols["reason"] == (Reason.ACCEPTED if cols["ratified"] else Reason.FAILED_RATIFICATION)


def test_the_same_decisions_give_the_same_run():
    grid = NegotiationModel(SCENARIO, seeds=SEEDS, rounds=1).tables.grid
    package = tuple(int(x) for x in grid.status_quo())
    decisions = {"offers": {1: package, 3: None}, "responses": {2: False, 4: True}}
    a = _run(Seat("us", **decisions))
    b = _run(Seat("us", **decisions))
    for x, y in zip(_columns(a, 0), _columns(b, 0), strict=True):
        assert _same(x, y)
    assert a.history[0].columns["proposer"][0] == 0
    assert np.isnan(a.history[2].columns["offer_tariff"][0])  # the person made no offer
    assert a.history[2].columns["reason"][0] == Reason.NO_OFFER


def test_packages_off_the_grid_and_unknown_sides_are_refused():
    grid = NegotiationModel(SCENARIO, seeds=SEEDS, rounds=1).tables.grid
    with pytest.raises(SeatError, match="one level per issue"):
        Seat("us").check_package(grid, (1, 2))
    with pytest.raises(SeatError, match="'tariff': level 99 is off the grid"):
        Seat("us").check_package(grid, (1, 99, 5, 0))
    with pytest.raises(SeatError, match="'japan' or 'us'"):
        Seat("china")  # type: ignore[arg-type]
