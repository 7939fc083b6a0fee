"""Markets as derived outputs: announcement-scale responses to the round's shocks (model.md §7).

Calibration points before 2025: tariff shocks drive Japanese equities down and the yen up
(a safe-haven flow); defense-budget hawkishness lifts defense stocks; fiscal expansion
weakens the yen. Responses are in percent per shock and compound on index levels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.schema import MarketsSpec

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class MarketShocks:
    """What happened this round, per replicate, that markets price."""

    tariff_change: F64
    deal_announced: F64
    coercion_shock: F64
    defense_change: F64


@dataclass(frozen=True)
class MarketReturns:
    """Percent moves of each indicator this round."""

    nikkei: F64
    defense_index: F64
    usdjpy: F64
    asia: F64


def market_returns(shocks: MarketShocks, spec: MarketsSpec) -> MarketReturns:
    """Percent moves of each indicator from this round's shocks (docs/model.md §7).

    Nikkei -0.3 %/tariff point, +3.5 % on a deal, -0.7 % at coercion level 4; defense
    +10 % per 0.5-point budget step; the yen strengthens 1.6 % per tariff or coercion shock
    and weakens 1.75 % per fiscal step; Asian equities move 0.6 × Nikkei.
    """
    steps = shocks.defense_change / spec.defense_step
    tariff_shock = (shocks.tariff_change > 0).astype(np.float64)
    nikkei = (
        spec.nikkei_per_tariff_point * shocks.tariff_change
        + spec.nikkei_on_deal * shocks.deal_announced
        + spec.nikkei_on_coercion * shocks.coercion_shock
    )
    usdjpy = -spec.yen_per_shock * (tariff_shock + shocks.coercion_shock) + (
        spec.yen_per_fiscal_step * np.maximum(steps, 0.0)
    )
    return MarketReturns(
        nikkei=nikkei,
        defense_index=spec.defense_index_per_step * steps,
        usdjpy=usdjpy,
        asia=spec.asia_beta * nikkei,
    )


def compound(level: F64, percent: F64) -> F64:
    """Apply a percent move to an index level."""
    return level * (1.0 + percent / 100.0)


def drawdown(level: F64, peak: F64) -> F64:
    """Fall from the running peak, in percent (≥ 0)."""
    return 100.0 * (1.0 - level / peak)


@dataclass(frozen=True)
class MarketLevels:
    """Index levels per replicate, with the Nikkei's running peak and worst drawdown."""

    nikkei: F64
    defense_index: F64
    usdjpy: F64
    asia: F64
    nikkei_peak: F64
    nikkei_max_drawdown: F64


def move_markets(levels: MarketLevels, shocks: MarketShocks, spec: MarketsSpec) -> MarketLevels:
    """Compound this month's returns onto the levels and track the Nikkei's drawdown."""
    moves = market_returns(shocks, spec)
    nikkei = compound(levels.nikkei, moves.nikkei)
    peak = np.maximum(levels.nikkei_peak, nikkei)
    return MarketLevels(
        nikkei=nikkei,
        defense_index=compound(levels.defense_index, moves.defense_index),
        usdjpy=compound(levels.usdjpy, moves.usdjpy),
        asia=compound(levels.asia, moves.asia),
        nikkei_peak=peak,
        nikkei_max_drawdown=np.maximum(levels.nikkei_max_drawdown, drawdown(nikkei, peak)),
    )
