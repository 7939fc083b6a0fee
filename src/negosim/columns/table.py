"""The table itself: one declaration per column (or per family of columns) the model records.

Read top to bottom, the round table follows the order of a month (docs/model.md "The month"):
entry into force, reversals, China, Japan's politics, reopening, offer and response,
threats, then the state at the end of the month. The run table follows ``summarize``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from negosim.core.protocol import Reason

ISSUE_UNIT = "the issue's unit"
LEADER_TYPES = ("<the scenario's leader types>",)

#: In-memory codes of ``proposer`` (``model.PROPOSERS``; a test checks they agree).
PROPOSER_LABELS = ("us", "japan")
PROPOSER_MEANINGS = ("the United States proposes", "Japan proposes")
#: Labels of ``reason``: the snake-case name of each :class:`Reason`, in code order.
REASON_LABELS = tuple(r.name.lower() for r in Reason)
REASON_MEANINGS = tuple(r.label for r in Reason)
#: ``final_status`` values, in the order of the status codes of ``outcomes.summarize``.
FINAL_STATUS = ("status quo", "in force", "agreed, enters into force next month")
FINAL_STATUS_MEANINGS = (
    "no deal in force or pending at the end: the status quo (or what reversals left) holds",
    "a deal is in force at the end of the run",
    "a deal was ratified in the last month and enters into force the month after",
)

NO_OFFER = "no offer this round (talks not open, or nothing inside Japan's win-set)"
NOT_NEGOTIATING = "no negotiation this round (deal in force or pending, or talks ended)"
NO_BENCHMARK = "no package is acceptable to both sides, so the benchmark does not exist"

UTILITY = "utility (1 = the ideal package)"
PROBABILITY = "probability (0-1)"
COST = "political cost (the win-set radius's scale)"


@dataclass(frozen=True)
class Template:
    """A declaration: a column, or a family ``offer_{issue}`` / ``months_at_level_{level}``."""

    name: str
    table: Literal["round", "run"]
    dtype: Literal["float64", "int64", "uint64", "bool", "category", "string"]
    unit: str
    meaning: str
    missing: str = ""
    labels: tuple[str, ...] = ()
    label_meanings: tuple[str, ...] = ()
    key: bool = False
    sweep_only: bool = False


def _keys(table: Literal["round", "run"]) -> tuple[Template, ...]:
    """The row keys of a table: which design point (sweeps only), replicate, seed."""
    return (
        Template(
            "point",
            table,
            "int64",
            "index",
            "the sweep's design point (its parameter values are in parameters.parquet)",
            key=True,
            sweep_only=True,
        ),
        Template("replicate", table, "int64", "index", "which replicate of the batch", key=True),
        Template("seed", table, "uint64", "seed", "the replicate's random seed", key=True),
    )


def _r(name: str, dtype: str, unit: str, meaning: str, **more: object) -> Template:
    return Template(name, "round", dtype, unit, meaning, **more)  # type: ignore[arg-type]


def _s(name: str, dtype: str, unit: str, meaning: str, **more: object) -> Template:
    return Template(name, "run", dtype, unit, meaning, **more)  # type: ignore[arg-type]


ROUND_TEMPLATES = (
    *_keys("round"),
    _r(
        "round",
        "int64",
        "month",
        "the month of the talks (1 = the scenario's start month)",
        key=True,
    ),
    _r("deal_entered", "bool", "", "a package ratified last month entered into force this month"),
    _r("reversals_trade", "int64", "items", "trade items of the deal the US reversed this month"),
    _r("reversals_security", "int64", "items", "security items the US reversed this month"),
    _r("coercion_level", "int64", "level 0-5", "China's coercion level this month (china.levels)"),
    _r(
        "coercion_expected",
        "float64",
        "level 0-5",
        "China's expected coercion level this month, before the draw",
    ),
    _r("spiral", "float64", "index", "China's spiral term Sp: how firm the alliance looks"),
    _r("deterrence", "float64", "index", "China's deterrence term De: credible, capable defence"),
    _r("opportunity", "float64", "index", "China's opportunity term Op: an uncommitted patron"),
    _r(
        "announcement_signal",
        "float64",
        "index",
        "China's signal term G: decaying weight of announced deals that firmed the package",
    ),
    _r("presence_days", "int64", "days", "days Chinese ships spent in the contiguous zone"),
    _r("sea_entries", "int64", "entries", "entries of Chinese ships into territorial seas"),
    _r("airspace_violations", "int64", "violations", "Chinese violations of Japan's airspace"),
    _r("mean_coercion", "float64", "level 0-5", "China's mean level over recent months (c̄)"),
    _r(
        "coercion_threat",
        "float64",
        "rung weight",
        "the threat Japan reads from China's recent levels (T̄, mean of china.threat_weights)",
    ),
    _r("leader_changed", "bool", "", "Japan's leader was replaced this month"),
    _r("reopened", "bool", "", "a deal in force was reopened after a US reversal"),
    _r(
        "proposer_target",
        "float64",
        UTILITY,
        "the proposer's target: the least it offers itself this month",
        missing=NOT_NEGOTIATING,
    ),
    _r(
        "proposer_reservation",
        "float64",
        UTILITY,
        "the proposer's value of no deal this month (its target never goes below it)",
        missing=NOT_NEGOTIATING,
    ),
    _r(
        "responder_utility",
        "float64",
        UTILITY,
        "what the offer is worth to the responder",
        missing=NO_OFFER,
    ),
    _r(
        "responder_target",
        "float64",
        UTILITY,
        "the responder's target: the least it accepts by its concession curve",
        missing=NOT_NEGOTIATING,
    ),
    _r(
        "responder_reservation",
        "float64",
        UTILITY,
        "the responder's reservation: the least it accepts this month",
    ),
    _r(
        "political_cost",
        "float64",
        COST,
        "the offer's political cost in Japan (L_J)",
        missing=NO_OFFER,
    ),
    _r(
        "ratification_probability",
        "float64",
        PROBABILITY,
        "the chance the Diet ratifies the offer",
        missing=NO_OFFER,
    ),
    _r("offer_{issue}", "float64", ISSUE_UNIT, "{issue} in this month's offer", missing=NO_OFFER),
    _r(
        "proposer",
        "category",
        "",
        "who proposes this month (the sides alternate)",
        labels=PROPOSER_LABELS,
        label_meanings=PROPOSER_MEANINGS,
    ),
    _r("negotiating", "bool", "", "talks were open this month (no deal in force or pending)"),
    _r(
        "offer_japan_utility",
        "float64",
        UTILITY,
        "what the offer is worth to Japan",
        missing=NO_OFFER,
    ),
    _r(
        "offer_us_utility",
        "float64",
        UTILITY,
        "what the offer is worth to the US",
        missing=NO_OFFER,
    ),
    _r(
        "reason",
        "category",
        "",
        "how the round ended: the response and its binding reason",
        labels=REASON_LABELS,
        label_meanings=REASON_MEANINGS,
    ),
    _r("accepted", "bool", "", "the responder accepted the offer (before the Diet's vote)"),
    _r("ratified", "bool", "", "the Diet ratified the package; it enters into force next month"),
    _r("tariff_letter", "bool", "", "a US tariff letter raised the tariff in force this month"),
    _r("in_force_{issue}", "float64", ISSUE_UNIT, "{issue} in force at the end of the month"),
    _r("deal_in_force", "bool", "", "a deal is in force at the end of the month"),
    _r("approval", "float64", "share 0-1", "the Japanese cabinet's approval rating"),
    _r(
        "win_set",
        "float64",
        COST,
        "radius K of Japan's win-set: the largest political cost the Diet can pass (0 in a"
        " new cabinet's first month; capped by the opposition's once the upper house is lost)",
    ),
    _r("majority_lost", "bool", "", "the coalition has lost its upper-house majority by now"),
    _r("leader", "category", "", "Japan's leader type this month", labels=LEADER_TYPES),
    _r("reversal_belief", "float64", "probability per item-month", "Japan's belief ρ̂ in reversal"),
    _r("credibility", "float64", "index 0-1", "credibility κ of the US commitment in force"),
    _r("abandonment", "float64", "index", "Japan's fear of abandonment Ab by the US"),
    _r("entrapment", "float64", "index", "Japan's fear of entrapment En in a US-China war"),
    _r("security", "float64", "index", "Japan's security term Sec_J = 1 - γ_A Ab - γ_E En"),
    _r(
        "japan_utility",
        "float64",
        UTILITY,
        "what the package in force is worth to Japan's sitting leader",
    ),
    _r("us_utility", "float64", UTILITY, "what the package in force is worth to the US"),
    _r(
        "japan_reservation",
        "float64",
        UTILITY,
        "Japan's value of no deal this month: the package in force with the letters still to come",
    ),
    _r(
        "us_reservation",
        "float64",
        UTILITY,
        "the US value of no deal this month: the package in force with the letters still to come",
    ),
    _r("tariff_change", "float64", "percentage points", "tariff moves this month outside a deal"),
    _r("nikkei", "float64", "index points", "the Nikkei 225 at the end of the month"),
    _r("usdjpy", "float64", "yen per US dollar", "the exchange rate at the end of the month"),
    _r(
        "defense_index",
        "float64",
        "index (start 100)",
        "an index of Japanese defence stocks at the end of the month",
    ),
    _r("asia", "float64", "index (start 100)", "Asian stock markets (0.6 × the Nikkei's moves)"),
    _r("events", "string", "", "this month's scheduled events ('; '-joined, empty if none)"),
)

RUN_TEMPLATES = (
    *_keys("run"),
    _s("deal_reached", "bool", "", "the Diet ratified a package at some month of the run"),
    _s(
        "first_deal_round",
        "int64",
        "month",
        "the first month a package was ratified",
        missing="no deal in the run",
    ),
    _s(
        "final_status",
        "category",
        "",
        "where the talks ended",
        labels=FINAL_STATUS,
        label_meanings=FINAL_STATUS_MEANINGS,
    ),
    _s(
        "final_{issue}",
        "float64",
        ISSUE_UNIT,
        "{issue} of the final package (pending, or in force)",
    ),
    _s(
        "nash_japan_utility",
        "float64",
        UTILITY,
        "Japan's utility at the Nash solution",
        missing=NO_BENCHMARK,
    ),
    _s(
        "nash_us_utility",
        "float64",
        UTILITY,
        "the US utility at the Nash solution",
        missing=NO_BENCHMARK,
    ),
    _s(
        "ks_japan_utility",
        "float64",
        UTILITY,
        "Japan's utility at the Kalai–Smorodinsky solution",
        missing=NO_BENCHMARK,
    ),
    _s(
        "ks_us_utility",
        "float64",
        UTILITY,
        "the US utility at the Kalai–Smorodinsky solution",
        missing=NO_BENCHMARK,
    ),
    _s(
        "distance_nash",
        "float64",
        UTILITY,
        "distance of the final package from the Nash solution",
        missing=NO_BENCHMARK,
    ),
    _s(
        "distance_ks",
        "float64",
        UTILITY,
        "distance from the Kalai–Smorodinsky solution",
        missing=NO_BENCHMARK,
    ),
    _s(
        "distance_pareto",
        "float64",
        UTILITY,
        "distance from the final package to the nearest ratifiable frontier package that "
        "dominates it (0: on the frontier): what both sides left on the table",
    ),
    _s(
        "nash_product",
        "float64",
        "utility product",
        "the (weighted) Nash product of both sides' gains",
    ),
    _s(
        "japan_utility",
        "float64",
        UTILITY,
        "what the final package is worth to Japan's final leader",
    ),
    _s("us_utility", "float64", UTILITY, "what the final package is worth to the US"),
    _s(
        "japan_reservation",
        "float64",
        UTILITY,
        "Japan's value of no deal at the end (of what would hold without any deal)",
    ),
    _s(
        "us_reservation",
        "float64",
        UTILITY,
        "the US value of no deal at the end (of what would hold without any deal)",
    ),
    _s(
        "deal_japan_utility",
        "float64",
        UTILITY,
        "what the first ratified package was worth to Japan the month it was agreed",
        missing="no deal in the run",
    ),
    _s(
        "deal_us_utility",
        "float64",
        UTILITY,
        "what the first ratified package was worth to the US the month it was agreed",
        missing="no deal in the run",
    ),
    _s("ratification_failures", "int64", "votes", "accepted packages the Diet failed to ratify"),
    _s("reversals_trade", "int64", "items", "trade items the US reversed during the run"),
    _s("reversals_security", "int64", "items", "security items the US reversed during the run"),
    _s("majority_lost", "bool", "", "the coalition lost its upper-house majority"),
    _s("leader_replaced", "bool", "", "Japan's leader was replaced during the run"),
    _s(
        "final_leader",
        "category",
        "",
        "Japan's leader type at the end of the run",
        labels=LEADER_TYPES,
    ),
    _s("final_approval", "float64", "share 0-1", "the cabinet's approval at the end of the run"),
    _s("china_max_level", "int64", "level 0-5", "China's highest coercion level in the run"),
    _s("nikkei_max_drawdown", "float64", "%", "the Nikkei's largest fall from a peak in the run"),
    _s("final_nikkei", "float64", "index points", "the Nikkei 225 at the end of the run"),
    _s("final_usdjpy", "float64", "yen per US dollar", "the exchange rate at the end of the run"),
    _s("final_defense_index", "float64", "index (start 100)", "Japanese defence stocks at the end"),
    _s(
        "months_at_level_{level}",
        "int64",
        "months",
        "months China spent at level {level} ({level_name})",
    ),
)

TEMPLATES = ROUND_TEMPLATES + RUN_TEMPLATES
