"""Markets, events, the protocol and the benchmarks (docs/model.md §4, §7)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import TOP_LEVEL, Strict


class MarketsSpec(Strict):
    """Announcement-scale market responses, % per shock (docs/model.md §7)."""

    nikkei_per_tariff_point: float = -0.3
    nikkei_on_deal: float = 3.5
    nikkei_on_coercion: float = -0.7
    coercion_level: int = Field(default=4, ge=1, le=TOP_LEVEL)
    defense_index_per_step: float = 10.0
    defense_step: float = Field(default=0.5, gt=0)
    yen_per_shock: float = 1.6
    yen_per_fiscal_step: float = 1.75
    asia_beta: float = 0.6
    initial_nikkei: float = Field(default=38787.0, gt=0)
    initial_usdjpy: float = Field(default=151.4, gt=0)
    initial_defense_index: float = Field(default=100.0, gt=0)
    initial_asia: float = Field(default=100.0, gt=0)


class EventSpec(Strict):
    """A scheduled or instructor-injected shock."""

    round: int = Field(ge=1)
    kind: str
    value: float = 1.0
    note: str = ""


class ProtocolSpec(Strict):
    """The alternating-offers protocol (docs/model.md §4)."""

    rounds: int = Field(default=12, ge=1, le=120)
    deadline: int | None = Field(default=None, ge=1)
    horizon_spread: int = Field(default=0, ge=0, le=24)
    first_proposer: Literal["us", "japan"] = "us"
    breakdown_hazard: float = Field(default=0.02, ge=0, lt=1)
    start_month: str = "2025-02"


class BenchmarkSpec(Strict):
    """Bargaining benchmarks reported for every run (docs/model.md §4)."""

    nash_weight_japan: float = Field(default=0.35, gt=0, lt=1)
