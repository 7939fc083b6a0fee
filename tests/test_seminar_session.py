"""The seminar's logic without a browser: sessions, controls, uploads, briefs, downloads.

A session is what a browser tab talks to, so everything here is also what a hostile or
careless tab can send: garbage gets a message and leaves the session (and every other
session) as it was.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re

import numpy as np
import pytest

from conftest import BASELINE
from negosim.core.protocol import Reason
from negosim.model import NegotiationModel
from negosim.scenario import ScenarioError
from negosim.seminar.briefs import brief, brief_html
from negosim.seminar.export import file_stem, run_csv, run_json, safe_name
from negosim.seminar.library import PresetLibrary
from negosim.seminar.session import SeminarSession, SessionError
from negosim.seminar.uploads import MAX_ALIASES, MAX_UPLOAD_BYTES, screen
from negosim.seminar.views import round_view


@pytest.fixture(scope="module")
def library() -> PresetLibrary:
    return PresetLibrary(BASELINE)


def _columns(model: NegotiationModel) -> list[dict]:
    return [dict(rec.columns) for rec in model.history]


def _equal(a: list[dict], b: list[dict]) -> bool:
    return len(a) == len(b) and all(
        np.array_equal(x[k], y[k], equal_nan=True) for x, y in zip(a, b, strict=True) for k in x
    )


def test_presets_are_the_files_beside_the_config_first(library):
    names = library.names()
    assert names[0] == "baseline.yaml"
    assert set(names) == {p.name for p in BASELINE.parent.glob("*.yaml")}
    assert library.problems == []


def test_a_session_plays_the_same_run_as_the_command_line(library):
    session = SeminarSession(library)
    while session.step():
        pass
    scenario = library["baseline.yaml"].scenario
    cli = NegotiationModel(scenario, seeds=[scenario.spec.seed]).run()
    assert _equal(_columns(session.model), _columns(cli))
    assert session.finished and not session.step()


def test_going_back_and_playing_on_equals_the_uninterrupted_run(library):
    session = SeminarSession(library)
    for _ in range(12):
        session.step()
    whole = _columns(session.model)
    session.back_to(5)
    assert session.round == 5
    assert _equal(_columns(session.model), whole[:5])
    while session.step():
        pass
    assert _equal(_columns(session.model), whole)


def test_controls_apply_as_overrides_and_problems_name_the_control(library):
    session = SeminarSession(library)
    path = "politics.leader_types.centrist.priorities.tariff"
    assert session.apply({"china.omega": 0.9, path: 0.7}, 7, 8) == {}
    spec = session.scenario.spec
    assert spec.china.omega == 0.9 and session.model.rounds == 8 and session.model.seeds == [7]
    weights = spec.politics.leader_types["centrist"].priorities
    assert math.isclose(sum(weights.values()), 1.0)  # normalised: a slider moves a share
    assert weights["tariff"] == pytest.approx(0.7 / (0.7 + 0.35 + 0.15 + 0.15))
    before = session.scenario
    problems = session.apply({"china.omega": float("nan"), "no.such": 1}, "x", 0)
    assert set(problems) == {"china.omega", "no.such", "seed", "rounds"}
    assert session.scenario is before  # nothing changed


def test_a_new_concession_style_keeps_k_and_takes_its_own_e(library):
    session = SeminarSession(library)
    path = "agents.us.concession.style"
    assert session.apply({path: "conceder"}, 1, 12) == {}
    concession = session.scenario.spec.agents.us.concession
    assert concession.style == "conceder"
    assert concession.params == {"k": 0.05}


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.back_to("banana"),
        lambda s: s.back_to(99),
        lambda s: s.take_seat("china"),
        lambda s: s.choose_preset("../../etc/passwd"),
        lambda s: s.inject("earthquake", 1.0),
        lambda s: s.inject("taiwan_statement", float("inf")),
        lambda s: s.inject("taiwan_statement", 7.0),
        lambda s: s.inject("tariff_letter", "25"),
        lambda s: s.decide(accept=True),  # no seat
    ],
)
def test_garbage_gets_a_message_and_changes_nothing(library, call):
    session, other = SeminarSession(library), SeminarSession(library)
    session.step()
    other.step()
    before, other_before = _columns(session.model), _columns(other.model)
    with pytest.raises(SessionError):
        call(session)
    assert _equal(_columns(session.model), before)
    assert _equal(_columns(other.model), other_before)
    assert session.step()  # still usable


def test_a_seated_person_decides_and_the_debrief_keeps_the_models_choice(library):
    session = SeminarSession(library)
    session.take_seat("japan")
    assert session.seat_turn() == "respond"  # the US proposes in round 1
    with pytest.raises(SessionError):
        session.decide(accept="yes")
    session.decide(accept=False)
    assert session.round == 1
    assert session.seat.model_reasons[1] in {r.value for r in Reason}
    assert int(session.model.history[0].columns["reason"][0]) == Reason.DECLINED
    assert session.seat_turn() == "propose"
    grid = session.model.tables.grid
    with pytest.raises(SessionError, match="tariff"):
        session.decide(offer={a.name: a.spec.min for a in grid.axes} | {"tariff": -5.0})
    offer = {a.name: float(a.values[len(a.values) // 2]) for a in grid.axes}
    session.decide(offer=offer)
    row = session.model.history[1].columns
    assert [row[f"offer_{a.name}"][0] for a in grid.axes] == list(offer.values())
    # what Japan's seat sees of the US's answer: no US target or reservation
    seen = round_view(session.model, 2, seat="japan")
    assert set(seen["numbers"]) <= {
        "japan_utility",
        "political_cost",
        "win_set",
        "ratification_probability",
    }
    assert "target" not in " ".join(seen["explanation"]) or seen["reason"] == "accepted"


def test_an_injected_event_happens_at_the_next_round_only_in_that_session(library):
    session, other = SeminarSession(library), SeminarSession(library)
    session.step()
    other.step()
    event = session.inject("collision_at_sea", 5)
    assert event.round == 2
    session.step()
    other.step()
    assert round_view(session.model, 2)["china_level"] == 5
    assert round_view(session.model, 2)["events"] == ["collision_at_sea=5"]
    assert round_view(other.model, 2)["events"] == []
    session.back_to(1)  # going back before the event removes it
    session.step()
    assert round_view(session.model, 2)["events"] == []


def test_uploads_are_bounded_and_extend_only_presets(library, tmp_path):
    session = SeminarSession(library)
    with pytest.raises(ScenarioError, match="too large"):
        screen(b"a: 1\n" * (MAX_UPLOAD_BYTES // 4), "big.yaml")
    bomb = "a: &a [x, x, x]\n" + "".join(
        f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *a, *a]\n" for i in range(MAX_ALIASES)
    )
    with pytest.raises(ScenarioError, match="aliases"):
        screen(bomb.encode(), "bomb.yaml")
    with pytest.raises(ScenarioError, match="UTF-8"):
        screen(b"\xff\xfe", "binary.yaml")
    with pytest.raises(ScenarioError) as err:
        session.upload(b"extends: /etc/passwd\n", "evil.yaml")
    assert err.value.problems[0].path == "extends"
    with pytest.raises(ScenarioError) as err:
        session.upload(b"extends: baseline.yaml\nchina: {omega: 3}\n", "bad.yaml")
    assert [(p.path, p.line) for p in err.value.problems] == [("china.omega", 2)]
    session.upload(b"extends: baseline.yaml\nchina: {omega: 0.2}\n", "../../x.yaml")
    assert session.scenario.spec.china.omega == 0.2
    assert "/" not in session.settings.source


def test_briefs_give_each_side_only_its_own_weights(library):
    scenario = library["baseline.yaml"].scenario
    japan, us = brief(scenario, "japan"), brief(scenario, "us")
    assert "| security commitment | 35 % | 3.5 level" in japan
    assert "| investment pledge | 35 % | 1000 US$ bn" in us
    assert "35 % | 1000" not in japan and "3.5 level" not in us
    assert "red line" in japan and "above 3" in us  # the red line is public
    page = brief_html(scenario, "japan")
    assert page.startswith("<!doctype html>") and "http" not in page and "<script" not in page


def test_downloads_have_safe_names_and_hold_the_run(library):
    session = SeminarSession(library)
    with pytest.raises(ValueError, match="play at least one round"):
        run_csv(session)
    for _ in range(3):
        session.step()
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert file_stem(session) == "negosim_baseline_seed20250207_round3"
    lines = run_csv(session).decode().splitlines()
    assert len(lines) == 4 and "offer_tariff" in lines[0]
    document = json.loads(run_json(session))
    assert document["rounds_played"] == 3 and len(document["rounds"]) == 3
    assert document["seed"] == 20250207


def test_the_report_is_negosim_reports_for_the_run_so_far(library):
    from negosim.seminar.charts import run_report_html

    session = SeminarSession(library)
    for _ in range(2):
        session.step()
    page = run_report_html(session).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Round 2 (Mar 2025)" in page and "Round 3 (" not in page
    assert not re.search(r"""(?:src|href)=["']https?://""", page)


@pytest.mark.skipif(
    importlib.util.find_spec("negosim.explain") is None, reason="negosim.explain not on this branch"
)
def test_the_round_tab_explains_with_negosim_explain_except_where_a_person_decided(library):
    from negosim.explain import explain_round

    session = SeminarSession(library)
    session.step()
    view = round_view(session.model, 1)
    assert view["explanation"][0] == "Why: " + explain_round(session.model, 0, 1).why()
    session.take_seat("japan")
    session.decide(accept=True)  # the Diet cannot pass it: the rule says no, the person yes
    view = round_view(session.model, 1)
    assert view["decided_by_person"]
    assert not view["explanation"][0].startswith("Why:")
