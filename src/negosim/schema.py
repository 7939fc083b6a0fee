"""The scenario file's structure: types, ranges and defaults, checked once at the boundary.

Structural checks (types, ranges, unknown keys) live here as pydantic models; checks that
relate fields to each other (priorities naming real issues, weights summing to 1, ...) live
in :mod:`negosim.scenario.semantics`, so each problem can be reported with its own field path.
Inside the model nothing is re-checked ("boundaries validate; the core trusts").

Every default below is the docs/model.md default; ``configs/baseline.yaml`` repeats each one with
its unit and source so nothing is hidden in code.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["commitment", "tariff", "defense", "investment"]
ReversalClass = Literal["trade", "security"]
Direction = Literal["up", "down"]
#: China's coercion levels run 0 (routine presence) .. 5 (militarised incident), docs/model.md §5.
COERCION_LEVELS = 6
TOP_LEVEL = COERCION_LEVELS - 1
#: Parameters of a registry entry (a concession style, China rule, event kind), checked
#: against the entry's own parameter model by the loader (negosim.registry).
EntryParameters = dict[str, float | int | bool | str]


class Strict(BaseModel):
    """Base for every section: unknown keys are errors, values are immutable once read.

    Strict mode: YAML's ``true`` is not silently read as 1.0, nor "12" as 12.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class IssueSpec(Strict):
    """One negotiated issue: its scale, its grid step and where it stands today (model.md §1)."""

    role: Role | None = None
    unit: str
    min: float
    max: float
    step: float = Field(gt=0)
    status_quo: float
    enabled: bool = True
    description: str = ""
    levels: dict[int, str] | None = None
    reversal_class: ReversalClass | None = None
    us_threat_point: float | None = None


#: The parameters of the shipped (Faratin) concession styles, ``e`` and ``k`` of Faratin et
#: al. 1998: the keys a sweep override may add to a ``concession.params`` mapping that does
#: not write them. Each style's own parameter model (negosim.core.concession) validates them.
CONCESSION_PARAMETERS = ("e", "k")


class ConcessionSpec(Strict):
    """A named concession style from the registry and its style-specific parameters.

    ``params`` holds what the style reads (for the Faratin styles ``e``, the concession
    exponent, defaulting to the style's own, and ``k``, the initial fraction, 0.05); the
    style's parameter model validates them at the boundary, so a misspelt parameter is
    reported, not ignored.
    """

    style: str = "polynomial"
    params: dict[str, float] = Field(
        default_factory=dict, json_schema_extra={"keys": list(CONCESSION_PARAMETERS)}
    )


class ReservationShift(Strict):
    """How the reservation utility moves with China's coercion and with approval (model.md §4.5)."""

    coercion: float = 0.0
    approval: float = 0.0


class ValueShape(Strict):
    """Shape of the per-issue value function: exponent p and loss aversion λ (docs/model.md §2)."""

    exponent: Literal[1, 2] = 1
    loss_aversion: float = Field(default=1.0, ge=1.0, le=5.0)


class PreferenceSpec(Strict):
    """Priorities and ideal points (model.md §2): what a leader values and where it wants it."""

    priorities: dict[str, float]
    normalize: bool = False
    ideal: dict[str, float]


class SecuritySpec(Strict):
    """Japan's alliance security dilemma term (Snyder 1984), docs/model.md §2."""

    gamma_abandonment: float = Field(default=1.0, ge=0)
    gamma_entrapment: float = Field(default=0.3, ge=0)
    entrapment_scale: float = Field(default=0.5, ge=0)
    threat_base: float = Field(default=0.5, ge=0)
    threat_per_coercion: float = Field(default=0.1, ge=0)
    self_reliance: float = Field(default=0.3, ge=0, le=1)
    taiwan_contingency: float = Field(default=0.1, ge=0, le=1)


class WeakGovernance(Strict):
    """Below this approval Japan's leader concedes more slowly (docs/model.md §4.2).

    A modifier of the sitting leader type's concession: its ``e`` is replaced by this one
    (the style, and so the decision function's family, stays the type's).
    """

    approval_below: float = Field(default=0.3, ge=0, le=1)
    e: float = Field(default=0.7, gt=0)


class JapanSpec(Strict):
    """Japan whoever leads it (docs/model.md §2): value shape, security term, how politics moves it.

    What differs by leader (priorities, ideal points, reservation, concession) lives in
    ``politics.leader_types``; the sitting leader is ``politics.leader``, one of them, so
    there is no second copy of the sitting leader's values to disagree with its type.
    """

    value: ValueShape = ValueShape()
    security_weight: float = Field(default=0.25, ge=0)
    security: SecuritySpec = SecuritySpec()
    reservation_shift: ReservationShift = ReservationShift()
    weak_government: WeakGovernance = WeakGovernance()
    linkage: float = Field(ge=0, le=1)


class TariffThreat(Strict):
    """US tariff letters while there is no deal (docs/model.md §4.4)."""

    probability: float = Field(default=0.15, ge=0, le=1)
    level: float = 25.0


class ReversalSpec(Strict):
    """Monthly hazard that the US reverses an item in force, by item class (docs/model.md §6)."""

    trade: float = Field(default=0.08, ge=0, le=1)
    security: float = Field(default=0.01, ge=0, le=1)
    per_shortfall: float = Field(default=0.5, ge=0)
    per_legal_shock: float = Field(default=0.3, ge=0)


class USSpec(Strict):
    """The transactional US leader (docs/model.md §2): issue values, headline term, commitment cost.

    The fields of :class:`PreferenceSpec` are repeated in file order (rather than
    inherited) so messages list them in the order the baseline writes them.
    """

    priorities: dict[str, float]
    normalize: bool = False
    ideal: dict[str, float]
    value: ValueShape = ValueShape()
    reservation: float
    reservation_shift: ReservationShift = ReservationShift()
    concession: ConcessionSpec = ConcessionSpec()
    linkage: float = Field(ge=0, le=1)
    headline_weight: float = Field(default=0.1, ge=0)
    headline_scale: float = Field(default=100.0, gt=0)
    commitment_cost: float = Field(default=0.1, ge=0)
    tariff_threat: TariffThreat = TariffThreat()
    reversal_hazard: ReversalSpec = ReversalSpec()


class AgentsSpec(Strict):
    """The two sides at the table."""

    japan: JapanSpec
    us: USSpec


class LeaderType(PreferenceSpec):
    """A Japanese leader type (dove, centrist, hawk, ...): everything that differs by leader.

    The sitting leader (``politics.leader``) and every possible successor are such types,
    so there is one copy of each leader's values. ``reservation`` is the type's own r_J:
    utilities are on each type's own scale, so one number cannot serve every type.
    """

    description: str = ""
    reservation: float
    concession: ConcessionSpec = ConcessionSpec()


class PoliticalCostItem(Strict):
    """Domestic reference point r_k and cost λ_k per unit beyond it (docs/model.md §3)."""

    reference: float
    cost: float = Field(ge=0)
    direction: Direction = "up"


class WinSetSpec(Strict):
    """Win-set radius K = K0 (A/A_ref)^a (1 + b M) and ratification noise σ_r (docs/model.md §3)."""

    base_radius: float = Field(default=0.6, gt=0)
    approval_reference: float = Field(default=0.35, gt=0, le=1)
    approval_exponent: float = Field(default=1.5, ge=0)
    margin_effect: float = Field(default=0.5, ge=0)
    majority_margin: float = Field(default=-0.1, ge=-1, le=1)
    ratification_noise: float = Field(default=0.03, gt=0)


class ApprovalSpec(Strict):
    """Approval dynamics (docs/model.md §3)."""

    initial: float = Field(default=0.34, ge=0, le=1)
    per_deal_utility: float = 0.25
    per_tariff_point: float = 0.003
    rally: float = 0.01
    rally_level: int = Field(default=3, ge=0, le=TOP_LEVEL)
    noise_sd: float = Field(default=0.02, ge=0)
    per_reversal: float = Field(default=0.02, ge=0)
    audience_cost: float = Field(default=0.03, ge=0)


class RedLine(Strict):
    """A public red line: breaching it costs approval (audience costs, Fearon 1994)."""

    issue: str
    bound: float
    breached_when: Literal["above", "below"] = "above"
    announced_round: int = Field(default=0, ge=0)


class ElectionSpec(Strict):
    """The July 2025 upper-house election and what follows (docs/model.md §3)."""

    round: int = Field(default=5, ge=1)
    approval_threshold: float = Field(default=0.30, ge=0, le=1)
    approval_scale: float = Field(default=0.03, gt=0)
    margin_after_loss: float = Field(default=-0.3, ge=-1, le=1)
    replacement_probability: float = Field(default=0.7, ge=0, le=1)
    replacement_delay: list[int] = Field(default=[2, 3], min_length=2, max_length=2)
    successor_shares: dict[str, float] = {"dove": 0.3, "centrist": 0.3, "hawk": 0.4}
    approval_after_replacement: float | None = Field(default=0.47, ge=0, le=1)


class PoliticsSpec(Strict):
    """Japan's domestic politics: the two-level game (Putnam 1988)."""

    political_cost: dict[str, PoliticalCostItem]
    win_set: WinSetSpec = WinSetSpec()
    approval: ApprovalSpec = ApprovalSpec()
    red_lines: list[RedLine] = []
    election: ElectionSpec = ElectionSpec()
    leader: str = "centrist"
    leader_types: dict[str, LeaderType]


class ChinaBeta(Strict):
    """Coefficients of China's propensity z (docs/model.md §5)."""

    intercept: float = -0.3
    spiral: float = 2.0
    deterrence: float = 1.5
    opportunity: float = 1.5
    taiwan: float = 4.0
    history: float = 2.0
    detente: float = 1.0


class ObservablesSpec(Strict):
    """Per-level parameters of what China's coercion looks like on the water (docs/model.md §5)."""

    presence_window_days: int = Field(default=30, ge=1)
    presence_probability: list[float] = [0.975] * COERCION_LEVELS
    sea_entry_rate: list[float] = [2.5, 2.5, 5.0, 5.0, 5.0, 5.0]
    airspace_rate: list[float] = [0.05, 0.05, 0.05, 0.5, 0.5, 0.5]


class SpiralReference(Strict):
    """Levels against which China measures firmness (s0, d0 of the spiral term, docs/model.md §5).

    None means the scenario's status quo; a fixed reference lets a scenario start from a
    firmer status quo and still be read as firm.
    """

    commitment: float | None = None
    defense: float | None = None


class ChinaSpec(Strict):
    """China's reaction rule and its parameters (Jervis 1976)."""

    rule: str = "ordered_logit"
    params: EntryParameters = {}
    omega: float = Field(default=0.5, ge=0, le=1)
    beta: ChinaBeta = ChinaBeta()
    thresholds: list[float] = [-1.5, 0.5, 1.5, 5.0, 10.0]
    us_indifference: float = Field(default=0.2, ge=0, le=1)
    indifference_per_reversal: float = Field(default=0.1, ge=0)
    memory: int = Field(default=3, ge=1, le=12)
    taiwan_decay: float = Field(default=0.5, ge=0, le=1)
    initial_level: int = Field(default=1, ge=0, le=TOP_LEVEL)
    spiral_reference: SpiralReference = SpiralReference()
    levels: dict[int, str] = {}
    observables: ObservablesSpec = ObservablesSpec()


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
    first_proposer: Literal["us", "japan"] = "us"
    start_month: str = "2025-02"


class BenchmarkSpec(Strict):
    """Bargaining benchmarks reported for every run (docs/model.md §4)."""

    nash_weight_japan: float = Field(default=0.35, gt=0, lt=1)


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
