"""Fields of the old scenario format, and where their values go now.

An unknown-field error says what is wrong; for a file written in the old format it should
also say what to do. Until 2025-era configs are all migrated, every field that moved when
the sitting leader became one of ``politics.leader_types`` (and concession parameters moved
under ``params``), the election's round (now a calendar month) and a successor's fixed
approval (now a honeymoon that decays) gets a hint naming its new place.
"""

from __future__ import annotations

from collections.abc import Sequence

#: agents.japan fields that now belong to each leader type.
_PER_LEADER = ("priorities", "normalize", "ideal", "concession")


def moved_hint(loc: Sequence[int | str]) -> str | None:
    """Where the value of the unknown field at ``loc`` now goes, or ``None`` if it never moved."""
    path = [str(part) for part in loc]
    if path == ["politics", "election", "round"]:
        return (
            "moved: give the election's calendar month as politics.election.month: "
            "'YYYY-MM' (e.g. '2025-07'); its round is counted from protocol.start_month "
            "(round 1), so July 2025 is round 6 when the run starts in February 2025"
        )
    if path == ["politics", "election", "approval_after_replacement"]:
        return (
            "moved: a new leader now starts at politics.approval.equilibrium + "
            "politics.approval.honeymoon (0.34 + 0.13 = 0.47 in the baseline), and the "
            "honeymoon decays with politics.approval.honeymoon_half_life"
        )
    if path == ["agents", "japan", "leader"]:
        return "moved: the sitting leader is now politics.leader (a key of politics.leader_types)"
    if len(path) == 3 and path[:2] == ["agents", "japan"] and path[2] in _PER_LEADER:
        return (
            f"moved: each leader type has its own, so write it as "
            f"politics.leader_types.<politics.leader>.{path[2]}"
            + (" with e and k under params" if path[2] == "concession" else "")
            + " (the sitting leader is one of the leader types, not a separate copy)"
        )
    if len(path) == 4 and path[:2] == ["politics", "leader_types"] and path[3] == "concession_e":
        return (
            f"moved: write politics.leader_types.{path[2]}.concession: "
            "{style: <style>, params: {e: <this value>}}"
        )
    if path[-1] in ("reservation", "reservation_shift") and (
        path[:2] in (["agents", "us"], ["agents", "japan"])
        or path[:2] == ["politics", "leader_types"]
    ):
        return (
            "moved: a side's reservation is now its value of no deal, computed each month "
            "(docs/model.md §4.5); to set a floor, write agents.<side>.outside_option (0-1)"
        )
    if len(path) >= 2 and path[-2] == "concession" and path[-1] in ("e", "k"):
        return f"moved: concession parameters go under {'.'.join(path[:-1])}.params.{path[-1]}"
    return None
