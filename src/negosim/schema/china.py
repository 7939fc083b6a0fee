"""China's reaction rule and what its coercion looks like on the water (docs/model.md §5)."""

from __future__ import annotations

from pydantic import Field

from .base import TOP_LEVEL, EntryParameters, Strict


class ChinaBeta(Strict):
    """Coefficients of China's propensity z (docs/model.md §5)."""

    intercept: float = -0.3
    spiral: float = 2.0
    deterrence: float = 1.5
    opportunity: float = 1.5
    taiwan: float = 4.0
    history: float = 0.0
    detente: float = -1.0
    signal_spiral: float = 4.0
    signal_resolve: float = 3.0


class ObservablesSpec(Strict):
    """Per-level parameters of what China's coercion looks like on the water (docs/model.md §5)."""

    presence_window_days: int = Field(default=30, ge=1, le=366)
    presence_probability: list[float] = [0.95, 0.97, 0.98, 0.98, 0.98, 0.98]
    sea_entry_rate: list[float] = [1.5, 2.5, 4.5, 4.5, 4.5, 5.0]
    airspace_rate: list[float] = [0.0, 0.0, 0.01, 0.3, 0.3, 0.5]


class SpiralReference(Strict):
    """Levels against which China measures firmness (s0, d0 of the spiral term, docs/model.md §5).

    None means the scenario's status quo; a fixed reference lets a scenario start from a
    firmer status quo and still be read as firm.
    """

    commitment: float | None = None
    defense: float | None = None


class ChinaSpec(Strict):
    """China's reaction rule and its parameters (Jervis 1976; Kahn 1965), docs/model.md §5."""

    rule: str = "ordered_logit"
    params: EntryParameters = {}
    omega: float = Field(default=0.5, ge=0, le=1)
    beta: ChinaBeta = ChinaBeta()
    thresholds: list[float] = [-1.4, -0.2, 0.4, 2.0, 2.7]
    inertia: list[float] = [1.5, 1.5, 1.5, 1.0, 1.0, 0.0]
    skip_penalty: float = Field(default=0.5, ge=0, allow_inf_nan=False)
    us_indifference: float = Field(default=0.2, ge=0, le=1)
    indifference_per_reversal: float = Field(default=0.1, ge=0)
    memory: int = Field(default=3, ge=1, le=12)
    taiwan_decay: float = Field(default=0.5, ge=0, le=1)
    signal_decay: float = Field(default=0.5, ge=0, le=1)
    threat_weights: list[float] = [0.0, 2.5, 5.0, 10.0, 20.0, 30.0]
    initial_level: int = Field(default=1, ge=0, le=TOP_LEVEL)
    spiral_reference: SpiralReference = SpiralReference()
    levels: dict[int, str] = {}
    observables: ObservablesSpec = ObservablesSpec()
