"""The election's calendar (core/election.py) and its checks at the boundary, docs/model.md §3."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE_TEXT, edit, line_of
from negosim.core.election import month_number, round_of_month
from negosim.scenario import validate_file

FAST = settings(max_examples=80, deadline=None)


def test_july_2025_is_round_6_when_round_1_is_february_2025():
    # Feb = 1, Mar = 2, Apr = 3, May = 4, Jun = 5, Jul = 6
    assert round_of_month("2025-02", "2025-07") == 6
    assert round_of_month("2025-02", "2025-02") == 1
    assert round_of_month("2025-02", "2026-01") == 12  # across the year end
    assert round_of_month("2025-02", "2025-01") == 0  # before the run


def test_month_number_counts_months():
    assert month_number("2025-01") == 12 * 2025
    assert month_number("2025-12") - month_number("2025-01") == 11
    assert month_number("2026-01") - month_number("2025-12") == 1


@FAST
@given(year=st.integers(1990, 2100), month=st.integers(1, 12), ahead=st.integers(0, 200))
def test_round_of_month_is_months_ahead_plus_one(year, month, ahead):
    start = f"{year}-{month:02d}"
    total = 12 * year + month - 1 + ahead
    later = f"{total // 12}-{total % 12 + 1:02d}"
    assert round_of_month(start, later) == ahead + 1


def _problems(text: str, tmp_path: Path):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return validate_file(path)


def test_the_old_election_round_gets_a_moved_hint(tmp_path):
    text = edit(BASE_TEXT, '    month: "2025-07"', "    round: 5")
    [problem] = _problems(text, tmp_path)
    assert problem.path == "politics.election.round"
    assert problem.line == line_of(text, "    round: 5")
    assert "moved: give the election's calendar month as politics.election.month" in (
        problem.message
    )


@pytest.mark.parametrize(
    ("old", "new", "path", "words"),
    [
        ('month: "2025-07"', 'month: "2025-01"', "politics.election.month", "before the run"),
        ('month: "2025-07"', 'month: "July 2025"', "politics.election.month", "calendar month"),
        ('start_month: "2025-02"', 'start_month: "2025-2"', "protocol.start_month", "calendar"),
    ],
)
def test_election_month_is_checked_against_start_month(tmp_path, old, new, path, words):
    text = edit(BASE_TEXT, old, new)
    [problem] = _problems(text, tmp_path)
    assert problem.path == path
    assert words in problem.message
    assert problem.line == line_of(text, new)


def test_the_old_fixed_successor_approval_gets_a_moved_hint(tmp_path):
    anchor = "    successor_shares: {dove: 0.3, centrist: 0.3, hawk: 0.4}\n"
    text = edit(BASE_TEXT, anchor, anchor + "    approval_after_replacement: 0.47\n")
    [problem] = _problems(text, tmp_path)
    assert problem.path == "politics.election.approval_after_replacement"
    assert problem.line == line_of(text, "approval_after_replacement")
    assert "politics.approval.equilibrium + politics.approval.honeymoon" in problem.message
