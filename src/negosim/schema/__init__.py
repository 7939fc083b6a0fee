"""The scenario file's structure: types, ranges and defaults, checked once at the boundary.

Structural checks (types, ranges, unknown keys) live here as pydantic models; checks that
relate fields to each other (priorities naming real issues, weights summing to 1, ...) live
in :mod:`negosim.scenario.semantics`, so each problem can be reported with its own field path.
Inside the model nothing is re-checked ("boundaries validate; the core trusts").

Every default below is the docs/model.md default; ``configs/baseline.yaml`` repeats each one with
its unit and source so nothing is hidden in code.
"""

from __future__ import annotations

from pydantic import Field

from .agents import (
    CONCESSION_PARAMETERS,
    AgentsSpec,
    ConcessionSpec,
    JapanSpec,
    PreferenceSpec,
    ReversalSpec,
    SecuritySpec,
    TariffThreat,
    USSpec,
    ValueShape,
    WeakGovernance,
    WinSetBelief,
)
from .base import (
    COERCION_LEVELS,
    TOP_LEVEL,
    Direction,
    EntryParameters,
    ReversalClass,
    Role,
    Strict,
)
from .china import ChinaBeta, ChinaSpec, ObservablesSpec, SpiralReference
from .issues import IssueSpec
from .politics import (
    ApprovalSpec,
    ElectionSpec,
    LeaderType,
    PoliticalCostItem,
    PoliticsSpec,
    RedLine,
    WinSetSpec,
)
from .world import BenchmarkSpec, EventSpec, MarketsSpec, ProtocolSpec

__all__ = [
    "COERCION_LEVELS",
    "CONCESSION_PARAMETERS",
    "TOP_LEVEL",
    "AgentsSpec",
    "ApprovalSpec",
    "BenchmarkSpec",
    "ChinaBeta",
    "ChinaSpec",
    "ConcessionSpec",
    "Direction",
    "ElectionSpec",
    "EntryParameters",
    "EventSpec",
    "IssueSpec",
    "JapanSpec",
    "LeaderType",
    "MarketsSpec",
    "ObservablesSpec",
    "PoliticalCostItem",
    "PoliticsSpec",
    "PreferenceSpec",
    "ProtocolSpec",
    "RedLine",
    "ReversalClass",
    "ReversalSpec",
    "Role",
    "ScenarioSpec",
    "SecuritySpec",
    "SpiralReference",
    "Strict",
    "TariffThreat",
    "USSpec",
    "ValueShape",
    "WeakGovernance",
    "WinSetBelief",
    "WinSetSpec",
]


class ScenarioSpec(Strict):
    """A whole scenario file."""

    name: str
    description: str = ""
    seed: int = Field(default=20250207, ge=0, lt=2**63)
    protocol: ProtocolSpec = ProtocolSpec()
    issues: dict[str, IssueSpec]
    agents: AgentsSpec
    politics: PoliticsSpec
    china: ChinaSpec = ChinaSpec()
    markets: MarketsSpec = MarketsSpec()
    events: list[EventSpec] = []
    benchmarks: BenchmarkSpec = BenchmarkSpec()
