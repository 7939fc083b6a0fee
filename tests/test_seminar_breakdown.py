"""The Round tab's breakdown: the numbers of negosim.explain, and a seat sees only its own."""

from __future__ import annotations

import pytest

from conftest import BASELINE
from negosim.explain import explain_round
from negosim.model import NegotiationModel
from negosim.scenario import load_scenario
from negosim.seminar.breakdown import breakdown
from negosim.seminar.views import round_view


@pytest.fixture(scope="module")
def model() -> NegotiationModel:
    scenario = load_scenario(BASELINE)
    return NegotiationModel(scenario, seeds=[scenario.spec.seed]).run()


def test_every_negotiated_round_shows_the_explained_utilities_by_issue(model):
    shown = 0
    for r in range(1, len(model.history) + 1):
        view = round_view(model, r)
        explained = explain_round(model, 0, r)
        if not explained.negotiating or explained.offer is None:
            continue
        shown += 1
        table = view["breakdown"]
        assert table["sides"] == ["japan", "us"]
        rows = {row["item"]: row for row in table["rows"]}
        for side in explained.sides:
            for part in side.issues:
                cell = rows[part.issue.replace("_", " ")][side.side]
                assert cell == f"{part.value:.3f} of {part.most:.3f}"
            assert rows["total"][side.side] == f"{side.utility:.3f}"
            assert rows["value of no deal"][side.side].startswith(f"{side.reservation:.3f}")
            missed = rows["target this month"][side.side].endswith(" not met")
            assert missed == (side.meets_target is False)
        tokyo = explained.tokyo
        assert f"political cost {tokyo.political_cost:.3f}" in table["tokyo"]
        assert ("Ratification bound" in table["tokyo"]) == tokyo.binding
    assert shown >= 6


def test_a_seat_sees_only_its_own_column_and_the_us_seat_not_the_diet(model):
    explained = explain_round(model, 0, 3)
    for seat, other in (("japan", "us"), ("us", "japan")):
        view = breakdown(explained, seat)
        assert view["sides"] == [seat]
        assert all(other not in row for row in view["rows"])
    assert breakdown(explained, "us")["tokyo"] is None
    assert breakdown(explained, "japan")["tokyo"] is not None
