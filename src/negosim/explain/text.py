"""A round's explanation in words, for a student: the decisive reason first, then numbers.

Short sentences, every value with its unit, utilities on each side's 0-1 scale (0 its worst
package on the grid, 1 its best). The layout: a headline (who proposed, what happened), the
reason, the smallest change that would have flipped it, then the offer, what each issue is
worth to each side, Tokyo (political cost against the win-set) and the red lines, and what
else happened that month.
"""

from __future__ import annotations

import textwrap

from negosim.explain.record import Flip, RoundExplanation, SideValue
from negosim.explain.words import (
    SHORT_NAMES,
    capital,
    changes,
    issue_name,
    share,
    signed,
    u,
    with_unit,
)

WIDTH = 25  # the issue-name column
LINE = 96  # wrapped paragraphs: readable on a projector, in an 100-column terminal


def _name(side: str) -> str:
    return SHORT_NAMES[side]


def headline(e: RoundExplanation) -> str:
    """'Round 1 · Feb 2025 · the US proposes, Japan rejects'."""
    start = f"Round {e.round} · {e.month} · "
    if not e.negotiating:
        return start + "no talks"
    p, r = _name(e.proposer), _name(e.responder)
    if e.reason == "NO_OFFER":
        return start + f"{p} makes no offer"
    verdict = {
        "ACCEPTED": f"{r} accepts and the Diet ratifies",
        "FAILED_RATIFICATION": f"{r} accepts, the Diet votes it down",
    }.get(e.reason, f"{r} rejects")
    return start + f"{p} proposes, {verdict}"


def _needs(side: SideValue) -> str:
    return u(side.bar) if side.bar is not None else "?"


def why(e: RoundExplanation) -> str:
    """The decisive reason, one or two sentences."""
    if not e.negotiating:
        return e.not_negotiating
    if e.reason == "NO_OFFER" and e.no_offer is not None:
        return _why_no_offer(e)
    r = e.side(e.responder)
    name, value = capital(_name(e.responder)), u(r.utility or 0.0)
    target, reserve = u(r.target or 0.0), u(r.reservation or 0.0)
    t = e.tokyo
    if e.reason == "BELOW_RESERVATION":
        text = f"The offer is worth {value} to {_name(e.responder)}: less than no deal ({reserve})"
        if (r.target or 0.0) > (r.reservation or 0.0):
            text += (
                f", and below the {target} {_name(e.responder)} still holds out for this month "
                "(its target)"
            )
        return text + "."
    if e.reason == "BELOW_TARGET":
        return (
            f"The offer is worth {value} to {_name(e.responder)}: more than no deal ({reserve}), "
            f"but short of the {target} it still holds out for this month."
        )
    cost, k = u(t.political_cost or 0.0), u(t.win_set)
    chance = share(t.ratification_probability or 0.0)
    if e.reason == "OUTSIDE_WIN_SET":
        return (
            f"Japan would take the offer ({value}; it needs {_needs(r)}), but the Diet would not "
            f"pass it: its political cost {cost} is above the win-set K = {k} "
            f"({chance} chance of ratification)."
        )
    if e.reason == "FAILED_RATIFICATION" and t.formation <= 0.0:
        return (
            f"{name} accepted ({value}; it needs {_needs(r)}), but Japan's new cabinet took "
            "office this month: until it has formed it can bring nothing to the Diet, so no "
            "package could be ratified."
        )
    if e.reason == "FAILED_RATIFICATION":
        return (
            f"{name} accepted ({value}; it needs {_needs(r)}), but the Diet voted it down: a "
            f"political cost of {cost} against a win-set of {k} gave it a {chance} chance."
        )
    return (
        f"The offer is worth {value} to {_name(e.responder)}: at least its target ({target}) "
        f"and no deal ({reserve}). The Diet ratified it ({chance} chance); it enters into "
        "force next month."
    )


def _why_no_offer(e: RoundExplanation) -> str:
    n = e.no_offer
    assert n is not None
    p = _name(n.proposer)
    if n.budget_needed is None:
        best = u(n.best_admissible) if n.best_admissible is not None else "nothing"
        return (
            f"No package either side may put on the table is worth {p}'s target "
            f"({u(n.target)}) to it; the best is worth {best}."
        )
    inside = u(n.best_inside) if n.best_inside is not None else "no package at all"
    if n.proposer == "japan":
        limit = f"inside Japan's win-set (political cost up to {u(n.budget)})"
    else:
        limit = "within what the US believes the Diet can pass (political cost up to "
        limit += f"{u(n.budget)})"
    return (
        f"No package worth {p}'s target ({u(n.target)}) to it fits {limit}; the best that "
        f"fits is worth {inside} to {p}."
    )


def _change_words(f: Flip) -> str:
    items = [(c.issue, c.before, c.after, c.unit) for c in f.changes]
    steps = f" ({f.steps} steps on the grid)" if f.steps > 1 else ""
    return changes(items) + steps


def _not_offered(e: RoundExplanation, f: Flip) -> str:
    if f.proposer_would_offer or f.proposer_utility is None:
        return ""
    p = _name(e.proposer)
    own, target = u(f.proposer_utility), u(f.proposer_target or 0.0)
    if f.not_offered_because == "below its target":
        return f" But {p} would not offer it: it is worth {own} to {p}, below its target {target}."
    cost = u(f.political_cost or 0.0)
    if f.not_offered_because == "outside the win-set":
        return (
            f" But Japan would not offer it: its political cost {cost} is above the win-set "
            f"K = {u(e.tokyo.win_set)}."
        )
    return (
        f" But the US would not offer it: its political cost {cost} is more than the US believes "
        f"the Diet can pass ({u(e.tokyo.us_belief)})."
    )


def flip_sentence(e: RoundExplanation) -> str:
    """The smallest change that would have flipped the decision ('' when not applicable)."""
    return capital(_flip_sentence(e))


def _flip_sentence(e: RoundExplanation) -> str:
    if e.reason == "NO_OFFER" and e.no_offer is not None and e.no_offer.budget_needed is not None:
        n = e.no_offer
        if n.proposer == "japan":
            text = (
                f"Japan would have made an offer had its win-set been {u(n.budget_needed)} "
                f"(it was {u(n.budget)})"
            )
        else:
            text = (
                "the US would have made an offer had it believed the Diet could pass a "
                f"political cost of {u(n.budget_needed)} (it believed {u(n.budget)})"
            )
        if n.best_inside is not None:
            text += f", or had its target been {u(n.best_inside)} or less"
        return text + "."
    f = e.flip
    if f is None:
        return ""
    r = e.side(e.responder)
    name = _name(e.responder)
    if not f.found and f.kind == "ratified" and e.tokyo.formation <= 0.0:
        return (
            "no package could have passed: a cabinet in its first month brings nothing to the Diet."
        )
    if not f.found:
        return {
            "accepted": f"No package either side may put on the table would have been accepted "
            f"by {name} this month.",
            "rejected": f"{capital(name)} would have accepted any further ask on the table.",
            "ratified": f"no package either side may put on the table would both have been "
            f"accepted by {name} and passed this month's vote (it passed only packages with a "
            f"ratification chance above {share(e.tokyo.vote or 0.0)}).",
        }[f.kind]
    new = u(f.responder_utility or 0.0)
    if f.kind == "accepted":
        return (
            f"{_change_words(f)} would have been accepted: it is worth {new} to {name}, who "
            f"needs {_needs(r)}.{_not_offered(e, f)}"
        )
    if f.kind == "ratified":
        return (
            f"{_change_words(f)} would have passed the same vote: a "
            f"{share(f.ratification_probability or 0.0)} chance of ratification (this month's "
            f"vote passed only packages with a chance above {share(e.tokyo.vote or 0.0)}), and "
            f"{name} would still accept it ({new}).{_not_offered(e, f)}"
        )
    if f.outcome == "OUTSIDE_WIN_SET":
        because = (
            f"its political cost {u(f.political_cost or 0.0)} would be above the win-set "
            f"K = {u(e.tokyo.win_set)}"
        )
    else:
        because = f"it would be worth {new} to {name}, who needs {_needs(r)}"
    return (
        f"had {_name(e.proposer)} asked for more, the smallest ask {name} would have refused is "
        f"{_change_words(f)}: {because}."
    )


def _offer_lines(e: RoundExplanation) -> list[str]:
    assert e.offer is not None
    p = _name(e.proposer)
    own = e.side(e.proposer)
    if e.proposer == "japan":
        limit = f"inside Japan's win-set (political cost up to {u(e.tokyo.win_set)})"
    else:
        limit = "that the US believes the Diet can pass (political cost up to "
        limit += f"{u(e.tokyo.us_belief)})"
    lines = wrap(
        f"The offer, by {p}, is the package {_name(e.responder)} values most among those worth "
        f"at least {u(own.target or 0.0)} to {p} (its target) and {limit}:",
        "",
        "",
    )
    for item in e.offer:
        level = f" ({item.level})" if item.level else ""
        value = with_unit(item.value, item.unit)
        lines.extend(
            wrap(f"{issue_name(item.issue):<{WIDTH}}{value}{level}", "  ", " " * (WIDTH + 4))
        )
    return lines


def _cell(value: float, most: float | None = None) -> str:
    return f"{value:.3f}" + (f" of {most:.3f}" if most is not None else "")


def _worth_lines(e: RoundExplanation) -> list[str]:
    japan, us = e.side("japan"), e.side("us")
    col = 18
    lines = [
        'What it is worth to each side, issue by issue ("of": the most that issue can add;',
        "each side's scale runs from 0, its worst package, to 1, its best):",
        f"  {'':<{WIDTH}}{'Japan':<{col}}the US",
    ]
    for j, a in zip(japan.issues, us.issues, strict=True):
        cell = _cell(j.value, j.most)
        lines.append(f"  {issue_name(j.issue):<{WIDTH}}{cell:<{col}}{_cell(a.value, a.most)}")
    s = japan.security
    if s is not None:
        lines.append(f"  {'security (Japan only)':<{WIDTH}}{_cell(s.value, s.best)}")
        for label, term in (
            (f"China's threat ψ {s.threat:.2f}", s.threat_term),
            (f"US guarantee κ {s.credibility:.2f}", s.credibility_term),
            (f"self-reliance m {s.self_reliance:.2f}", s.self_reliance_term),
            (f"entrapment En {s.entrapment:.2f}", s.entrapment_term),
        ):
            lines.append(f"    {label:<{WIDTH - 2}}{signed(term)}")
        lines.append(f"    (fear of abandonment Ab = ψ (1 - κ)(1 - m) = {s.abandonment:.2f};")
        lines.append("    κ rises with the commitment, m with the defense budget)")
    for label, pick in (
        ("total", lambda v: v.utility),
        ("target this month", lambda v: v.target),
        ("value of no deal", lambda v: v.reservation),
    ):
        cells = []
        for side in (japan, us):
            value = pick(side)
            mark = ""
            if label != "total" and value is not None and side.utility is not None:
                mark = "  met" if side.utility >= value else "  not met"
            cells.append(("—" if value is None else u(value)) + mark)
        lines.append(f"  {label:<{WIDTH}}{cells[0]:<{col}}{cells[1]}")
    return lines


def _making(e: RoundExplanation) -> str:
    """What makes this month's K: approval, formation, a divided Diet (docs/model.md §3.2)."""
    t = e.tokyo
    alone = t.coalition_radius * t.formation
    cabinet = f" and the new cabinet {100 * t.formation:.0f} % formed" if t.formation < 1.0 else ""
    if t.formation <= 0.0:
        cabinet = " and a new cabinet that took office this month"
    if t.divided and t.win_set < alone:
        return (
            f"at {100 * t.approval:.1f} % approval{cabinet}, the coalition could pass {u(alone)} "
            "alone, but it has lost the upper house and its opposition partner accepts at "
            f"most {u(t.win_set)}"
        )
    house = "has lost the upper house" if t.divided else "holds the upper house"
    cabinet = cabinet.replace(" and", ",")
    return f"approval {100 * t.approval:.1f} %{cabinet}, the coalition {house}"


def _tokyo_lines(e: RoundExplanation) -> list[str]:
    t = e.tokyo
    if t.political_cost is None:
        return wrap(f"Tokyo: the win-set K is {u(t.win_set)} ({_making(e)}).", "", "  ")
    parts = ", ".join(f"{issue_name(name)} {cost:.3f}" for name, cost in t.cost_by_issue)
    chance = share(t.ratification_probability or 0.0)
    lines = [
        f"Tokyo: political cost {u(t.political_cost)} ({parts});",
        *wrap(f"win-set K = {u(t.win_set)} ({_making(e)}).", "  ", "  "),
    ]
    if t.formation <= 0.0:
        verdict = "A cabinet in its first month brings nothing to the Diet: no package can pass."
    elif t.inside_win_set:
        verdict = f"Inside the win-set: the Diet would ratify it with a {chance} chance."
    elif t.binding:
        verdict = f"Outside the win-set: the Diet would ratify it with only a {chance} chance."
    else:
        verdict = f"Outside the win-set too: the Diet would ratify it with only a {chance} chance."
    if t.binding:
        verdict += " This decided the round."
    if e.proposer == "us" and t.us_belief > t.win_set:
        verdict += (
            f" (The US offers up to a political cost of {u(t.us_belief)}, more than the true "
            "win-set: it learns the win-set only from Japan's refusals and the Diet's votes.)"
        )
    lines.extend(wrap(verdict, "  ", "  "))
    return lines


def _red_line_lines(e: RoundExplanation) -> list[str]:
    if not e.red_lines:
        return []
    parts = []
    for line in e.red_lines:
        side = "at most" if line.breached_when == "above" else "at least"
        kept = "" if line.kept is None else (": kept" if line.kept else ": CROSSED")
        parts.append(
            f"{issue_name(line.issue)} {side} {with_unit(line.bound, line.unit)} "
            f"(announced in round {max(line.announced_round, 1)}){kept}"
        )
    return ["Japan's red lines: " + "; ".join(parts) + "."]


def wrap(text: str, first: str, rest: str) -> list[str]:
    """``text`` as lines of at most ``LINE`` characters, indented (a projector's width)."""
    return textwrap.wrap(text, LINE, initial_indent=first, subsequent_indent=rest)


def render(e: RoundExplanation) -> str:
    """The whole explanation of one round as text."""
    lines = [headline(e), *wrap(f"Why: {why(e)}", "  ", "    ")]
    flip = flip_sentence(e)
    if flip:
        lines.extend(wrap(f"What would have changed it: {flip}", "  ", "    "))
    if e.negotiating and e.offer is not None:
        lines.append("")
        lines.extend("  " + line for line in _offer_lines(e))
        lines.append("")
        lines.extend("  " + line for line in _worth_lines(e))
    if e.negotiating:
        lines.append("")
        lines.extend("  " + line for line in _tokyo_lines(e) + _red_line_lines(e))
    # In the month's order (docs/model.md, "The month"): China reacts after entry into
    # force, events and reversals, before Japan's politics and the bargaining.
    early = [h.text for h in e.happenings if h.kind in ("deal_entered", "event", "reversal")]
    late = [h.text for h in e.happenings if h.kind not in ("deal_entered", "event", "reversal")]
    also = [*early, f"China: level {e.china_level}, {e.china_level_name}.", *late]
    lines.append("")
    lines.append("  Also this month:")
    for text in also:
        lines.extend(wrap(text, "    · ", "      "))
    return "\n".join(lines) + "\n"
