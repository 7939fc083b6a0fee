"""Confidential role briefs: what one side's negotiator knows, written from the scenario.

A brief gives a side its own priorities and ideal points, its red lines and the limits its
politics set, and what is public about the other side (its announced red lines, the tariff
letters it threatens); never the other side's private weights. Briefs are Markdown for the
page and a standalone HTML file for printing (no network needed to open it).
"""

from __future__ import annotations

import html
from typing import Literal

from negosim.scenario import Scenario

Side = Literal["japan", "us"]
TITLES = {"japan": "Japan's Prime Minister", "us": "The United States President"}


def _issues(scenario: Scenario) -> dict:
    return {name: i for name, i in scenario.spec.issues.items() if i.enabled}


def _weights(priorities: dict[str, float], issues: dict) -> list[tuple[str, float]]:
    mine = {k: v for k, v in priorities.items() if k in issues}
    total = sum(mine.values()) or 1.0
    return sorted(((k, v / total) for k, v in mine.items()), key=lambda kv: -kv[1])


def brief(scenario: Scenario, side: Side) -> str:
    """The role brief for ``side`` as Markdown."""
    spec = scenario.spec
    issues = _issues(scenario)
    politics = spec.politics
    if side == "japan":
        leader = politics.leader_types[politics.leader]
        priorities, ideal = leader.priorities, leader.ideal
        style = leader.concession.style
    else:
        priorities, ideal = spec.agents.us.priorities, spec.agents.us.ideal
        style = spec.agents.us.concession.style
    lines = [
        f"# Confidential brief: {TITLES[side]}",
        f"*Scenario {spec.name}; starts {spec.protocol.start_month}, "
        f"{spec.protocol.rounds} monthly rounds. For your side only.*",
        "",
        "## What matters to you (shares of your satisfaction)",
        "",
        "| issue | weight | where you want it | where it stands now |",
        "|---|---|---|---|",
    ]
    for name, weight in _weights(priorities, issues):
        issue = issues[name]
        lines.append(
            f"| {name.replace('_', ' ')} | {100 * weight:.0f} % | {ideal[name]:g} {issue.unit} "
            f"| {issue.status_quo:g} {issue.unit} |"
        )
    lines += ["", "## Your limits", ""]
    if side == "japan":
        win = politics.win_set
        lines += [
            f"- Cabinet approval {100 * politics.approval.initial:.0f} %; the Diet ratifies a "
            f"package at even odds when its political cost stays within about "
            f"{win.base_radius:g} × (approval / {win.approval_reference:g})^"
            f"{win.approval_exponent:g} (the win-set). Your majority margin is "
            f"{win.majority_margin:+g}.",
            f"- Upper-house election in {politics.election.month}: below "
            f"{100 * politics.election.approval_threshold:.0f} % approval the coalition likely "
            "loses it, and then needs an opposition partner to pass anything.",
        ]
        for issue, item in politics.political_cost.items():
            if issue in issues:
                word = "above" if item.direction == "up" else "below"
                lines.append(
                    f"- At home, every {issues[issue].unit} of {issue.replace('_', ' ')} "
                    f"{word} {item.reference:g} costs you politically."
                )
        for line in politics.red_lines:
            lines.append(
                f"- Your public red line: {line.issue.replace('_', ' ')} not "
                f"{line.breached_when} {line.bound:g} {issues[line.issue].unit}; breaking it "
                "costs approval (audience costs)."
            )
        lines += [
            "",
            "## What you know of the other side",
            "",
            f"- The US may send a tariff letter raising tariffs to "
            f"{spec.agents.us.tariff_threat.level:g} % while there is no deal.",
            "- The US has walked back agreements before: what you sign may not last.",
        ]
    else:
        us = spec.agents.us
        lines += [
            f"- You may send a tariff letter ({us.tariff_threat.level:g} %) while there is no "
            f"deal (about {100 * us.tariff_threat.probability:.0f} % of months).",
            f"- You link trade to security (linkage {us.linkage:g}).",
            f"- Patience: each month of delay costs you {100 * (1 - us.discount):.0f} % of "
            "what is at stake.",
        ]
        lines += ["", "## What you know of the other side", ""]
        for line in politics.red_lines:
            lines.append(
                f"- Tokyo has said publicly that {line.issue.replace('_', ' ')} will not go "
                f"{line.breached_when} {line.bound:g} {issues[line.issue].unit}."
            )
        lines.append(
            f"- Japan's cabinet approval is about {100 * politics.approval.initial:.0f} %, "
            "with a minority in the lower house: what Tokyo signs, the Diet must ratify."
        )
    lines += [
        "",
        f"*The model's own negotiator for this side concedes in the '{style}' style.*",
    ]
    return "\n".join(lines) + "\n"


def brief_html(scenario: Scenario, side: Side) -> str:
    """The brief as a standalone, printable HTML page (no scripts, no external files)."""
    body = []
    in_table = False
    for line in brief(scenario, side).splitlines():
        text = html.escape(line)
        if line.startswith("|"):
            cells = [c.strip() for c in text.strip("|").split("|")]
            if set(line) <= {"|", "-"}:
                continue
            if not in_table:
                body.append("<table><tr>" + "".join(f"<th>{c}</th>" for c in cells) + "</tr>")
                in_table = True
            else:
                body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            continue
        if in_table:
            body.append("</table>")
            in_table = False
        if line.startswith("# "):
            body.append(f"<h1>{text[2:]}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{text[3:]}</h2>")
        elif line.startswith("- "):
            body.append(f"<p>• {text[2:]}</p>")
        elif line.startswith("*"):
            body.append(f"<p><em>{text.strip('*')}</em></p>")
    if in_table:
        body.append("</table>")
    style = (
        "body{font-family:sans-serif;font-size:14pt;max-width:48em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #888;padding:.3em .6em}"
        "h1{border-bottom:3px solid #333}@media print{body{margin:0}}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{TITLES[side]}</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
    )
