"""The explanation of a round: its numbers are the model's, and explaining changes nothing.

Fixtures are real runs (baseline and the three-issue classroom preset, a few seeds); every
number of an explanation is checked against what the run recorded or against the model's
own utility function on the whole grid.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pytest

from conftest import CONFIGS, ROOT
from negosim.core.breakdown import japan_breakdown, us_breakdown
from negosim.core.counterfactual import every_package
from negosim.explain import ExplanationError, explain_round, explain_run
from negosim.model import NegotiationModel
from negosim.outcomes import round_table
from negosim.scenario import load_scenario

SEEDS = list(range(12))
PRESETS = ("baseline", "classroom_three_issues")


@cache
def run(name: str) -> NegotiationModel:
    """A small batch of a shipped preset, run once per session."""
    return NegotiationModel(load_scenario(CONFIGS / f"{name}.yaml"), seeds=SEEDS).run()


@cache
def explained(name: str) -> tuple[tuple[int, int, object], ...]:
    model = run(name)
    return tuple(
        (r, t, explain_round(model, r, t))
        for r in range(len(SEEDS))
        for t in range(1, len(model.history) + 1)
    )


@pytest.mark.parametrize("name", PRESETS)
def test_breakdown_sums_to_the_utility_the_model_recorded(name):
    model = run(name)
    checked = 0
    for r, t, e in explained(name):
        if e.offer is None:
            continue
        row = model.history[t - 1].columns
        for view in e.sides:
            total = sum(c.value for c in view.issues)
            if view.security is not None:
                s = view.security
                total += s.value
                parts = s.best + s.threat_term + s.credibility_term + s.self_reliance_term
                assert parts + s.entrapment_term == pytest.approx(s.value, abs=1e-12)
                assert s.abandonment == pytest.approx(
                    s.threat * (1 - s.credibility) * (1 - s.self_reliance), abs=1e-12
                )
            recorded = row[f"offer_{view.side}_utility"][r]
            assert total == pytest.approx(recorded, abs=1e-12), (name, r, t, view.side)
            assert view.utility == recorded
            for c in view.issues:
                assert -1e-12 <= c.value <= c.most + 1e-12, (c, name, r, t)
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("name", PRESETS)
def test_every_issue_can_add_up_to_the_whole_scale(name):
    """Each side's 'most' per issue (and Japan's best security) sum to 1: the scale's top."""
    for _, _, e in explained(name):
        if e.offer is None:
            continue
        for view in e.sides:
            most = sum(c.most for c in view.issues)
            most += view.security.best if view.security is not None else 0.0
            assert most == pytest.approx(1.0, abs=1e-12)
        return
    pytest.fail("no offer in the fixture")


def test_breakdown_matches_the_utility_tables_on_the_whole_grid():
    model = run("baseline")
    tables = model.tables
    b, g = every_package(tables.grid)
    levels = tables.grid.join(b, g)
    for leader in range(len(tables.type_names)):
        for threat, belief in ((0.5, 0.1), (1.7, 0.35), (3.5, 0.0)):
            parts = japan_breakdown(tables, leader, levels, threat, belief)
            expected = tables.japan(leader, b, g, np.float64(threat), np.float64(belief))
            np.testing.assert_allclose(parts.total, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(us_breakdown(tables, levels).total, tables.us(b, g), atol=1e-12)


@pytest.mark.parametrize("name", PRESETS)
def test_targets_reservations_and_tokyo_are_the_recorded_ones(name):
    model = run(name)
    for r, t, e in explained(name):
        rec = model.history[t - 1]
        row = {k: v[r] for k, v in rec.columns.items()}
        if not e.negotiating:
            assert e.reason == "NOT_NEGOTIATING" and e.not_negotiating
            continue
        p, q = e.side(e.proposer), e.side(e.responder)
        assert (p.target, p.reservation) == (row["proposer_target"], row["proposer_reservation"])
        assert (q.target, q.reservation) == (row["responder_target"], row["responder_reservation"])
        assert e.tokyo.win_set == rec.context["win_set"][r]
        if e.offer is not None:
            assert e.tokyo.political_cost == row["political_cost"]
            assert e.tokyo.ratification_probability == row["ratification_probability"]
            assert sum(c for _, c in e.tokyo.cost_by_issue) == pytest.approx(
                row["political_cost"], abs=1e-12
            )
            for item in e.offer:
                assert item.value == row[f"offer_{item.issue}"]
        if e.reason in ("BELOW_TARGET", "BELOW_RESERVATION"):
            assert not q.utility >= q.bar  # type: ignore[operator]
            assert (e.reason == "BELOW_RESERVATION") == (q.utility < q.reservation)
        if e.reason in ("ACCEPTED", "FAILED_RATIFICATION", "OUTSIDE_WIN_SET"):
            assert q.meets_target and q.meets_reservation
        if e.reason == "OUTSIDE_WIN_SET":
            assert e.tokyo.binding and not e.tokyo.inside_win_set


def test_the_fixture_covers_every_kind_of_round():
    reasons = {e.reason for name in PRESETS for _, _, e in explained(name)}
    assert reasons >= {
        "ACCEPTED",
        "BELOW_TARGET",
        "BELOW_RESERVATION",
        "OUTSIDE_WIN_SET",
        "NO_OFFER",
        "NOT_NEGOTIATING",
        "FAILED_RATIFICATION",
    }, reasons


def test_the_text_reads_the_decisive_reason_first():
    for _, _, e in explained("baseline"):
        lines = e.text().splitlines()
        assert lines[0].startswith(f"Round {e.round} · {e.month} · ")
        paragraphs = " ".join(line.strip() for line in lines[1:]).split("  ")[0]
        opening = f"Why: {e.why()}"
        assert paragraphs.startswith(opening), (paragraphs, opening)
        if e.flip_sentence():
            rest = paragraphs[len(opening) :].strip()
            assert rest.startswith(f"What would have changed it: {e.flip_sentence()}")
        assert max(len(line) for line in lines if not line.startswith("    ")) <= 100
        if e.offer is not None:
            for item in e.offer:  # every issue of the offer, with its unit
                unit = "level" if item.unit == "level" else item.unit.replace("US$ ", "")
                assert re.search(re.escape(unit), e.text())


def test_a_round_or_replicate_outside_the_run_is_a_clear_error():
    model = run("baseline")
    with pytest.raises(ExplanationError, match=r"round 13 is not in this run \(rounds 1\.\.12\)"):
        explain_round(model, 0, 13)
    with pytest.raises(ExplanationError, match=r"replicate 12 is not in this run"):
        explain_round(model, 12, 1)
    assert len(explain_run(model, 3)) == 12


def test_explaining_between_steps_changes_nothing():
    """The seminar page explains each month as it steps: the run must stay the same."""
    scenario = load_scenario(CONFIGS / "baseline.yaml")
    plain = round_table(NegotiationModel(scenario, seeds=SEEDS[:4]).run())
    stepped = NegotiationModel(scenario, seeds=SEEDS[:4])
    while stepped.running:
        stepped.step()
        for r in range(4):
            explain_round(stepped, r, len(stepped.history)).to_dict()
    table = round_table(stepped)
    assert sorted(table) == sorted(plain)
    for column, values in plain.items():
        if values.dtype == object:
            assert list(values) == list(table[column]), column
        else:
            np.testing.assert_array_equal(values, table[column], err_msg=column)


def test_the_api_is_documented_in_the_module_docstring():
    import negosim.explain as api

    doc = api.__doc__ or ""
    for name in ("explain_round", "explain_run", "to_dict()", "text()", "ExplanationError"):
        assert name in doc, name
    assert (ROOT / "docs" / "explain.md").exists()
