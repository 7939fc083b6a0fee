"""One negotiated issue (docs/model.md §1)."""

from __future__ import annotations

from pydantic import Field

from .base import ReversalClass, Role, Strict


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
