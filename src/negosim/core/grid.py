"""The outcome grid: every package of issue levels, split into two blocks.

The grid is the product of the issues' steps (≈90,000 packages by default). Searching it for
every replicate and round is the program's hot spot, so it is never materialised per
replicate. The split exploits the model's structure (docs/model.md §1): the only state-dependent
utility terms (Japan's security term, China's spiral) depend on the commitment level s and
the defense budget d alone. Packages are therefore indexed as (state block b over (s, d),
static block g over every other issue); utilities and political costs are sums of a b-part
and a g-part, and the Pareto frontier of a sum lies in the sum of the blocks' frontiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from negosim.schema import IssueSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclass(frozen=True)
class IssueAxis:
    """One issue's levels on the grid, in the issue's own unit."""

    name: str
    spec: IssueSpec
    values: F64

    @property
    def span(self) -> float:
        """R_k, the issue's range, which scales distances in the value function."""
        return self.spec.max - self.spec.min

    def snap(self, value: float) -> int:
        """Index of the grid level nearest to ``value`` (status quo, threat points)."""
        return int(np.argmin(np.abs(self.values - value)))


def axis_for(name: str, spec: IssueSpec) -> IssueAxis:
    """Grid levels from min to max in steps (validated to divide the range)."""
    count = round((spec.max - spec.min) / spec.step) + 1
    return IssueAxis(name, spec, np.linspace(spec.min, spec.max, count))


@dataclass(frozen=True)
class OutcomeGrid:
    """Issues in file order, with the (s, d) state block and the static block."""

    axes: tuple[IssueAxis, ...]
    commitment: int
    defense: int
    tariff: int
    investment: int | None
    static_issues: tuple[int, ...]
    block_shape: tuple[int, ...]
    static_shape: tuple[int, ...]

    @classmethod
    def from_issues(cls, issues: dict[str, IssueSpec]) -> OutcomeGrid:
        """Build the grid from the resolved (enabled) issues of a scenario."""
        axes = tuple(axis_for(name, spec) for name, spec in issues.items())
        roles = {spec.role: i for i, (_, spec) in enumerate(issues.items()) if spec.role}
        commitment, defense = roles["commitment"], roles["defense"]
        static = tuple(i for i in range(len(axes)) if i not in (commitment, defense))
        return cls(
            axes=axes,
            commitment=commitment,
            defense=defense,
            tariff=roles["tariff"],
            investment=roles.get("investment"),
            static_issues=static,
            block_shape=(len(axes[commitment].values), len(axes[defense].values)),
            static_shape=tuple(len(axes[i].values) for i in static),
        )

    @property
    def n_issues(self) -> int:
        """Number of enabled issues."""
        return len(self.axes)

    @cached_property
    def n_state(self) -> int:
        """Packages of the (s, d) block."""
        return int(np.prod(self.block_shape))

    @cached_property
    def n_static(self) -> int:
        """Packages of the static block (every other issue)."""
        return int(np.prod(self.static_shape)) if self.static_shape else 1

    @cached_property
    def size(self) -> int:
        """Packages on the whole grid."""
        return self.n_state * self.n_static

    def state_levels(self) -> tuple[I64, I64]:
        """Level indices (s, d) of every state-block package b."""
        s, d = np.unravel_index(np.arange(self.n_state), self.block_shape)
        return s.astype(np.int64), d.astype(np.int64)

    def static_levels(self) -> I64:
        """Level indices, shape (n_static, n_static_issues), of every static package g."""
        return self._static_levels

    @cached_property
    def _static_levels(self) -> I64:
        if not self.static_shape:
            levels = np.zeros((1, 0), dtype=np.int64)
        else:
            idx = np.unravel_index(np.arange(self.n_static), self.static_shape)
            levels = np.stack(idx, axis=1).astype(np.int64)
        levels.setflags(write=False)  # shared by every caller
        return levels

    @cached_property
    def _static_strides(self) -> tuple[int, ...]:
        """Row-major strides of the static block: g = Σ level_i · stride_i."""
        return tuple(
            int(np.prod(self.static_shape[k + 1 :])) for k in range(len(self.static_shape))
        )

    def split(self, levels: I64) -> tuple[I64, I64]:
        """Package level indices (n, issues) → block indices (b, g), row-major as numpy's."""
        levels = np.asarray(levels, dtype=np.int64)
        b = levels[:, self.commitment] * self.block_shape[1] + levels[:, self.defense]
        if not self.static_shape:
            return b, np.zeros(len(levels), dtype=np.int64)
        g = np.zeros(len(levels), dtype=np.int64)
        for issue, stride in zip(self.static_issues, self._static_strides, strict=True):
            g += levels[:, issue] * stride
        return b, g

    def join(self, b: I64, g: I64) -> I64:
        """Block indices (b, g) → package level indices (n, issues)."""
        levels = np.empty((len(b), self.n_issues), dtype=np.int64)
        s, d = np.unravel_index(b, self.block_shape)
        levels[:, self.commitment], levels[:, self.defense] = s, d
        if self.static_shape:
            parts = np.unravel_index(g, self.static_shape)
            for column, part in zip(self.static_issues, parts, strict=True):
                levels[:, column] = part
        return levels

    def values(self, levels: I64) -> F64:
        """Level indices (n, issues) → values in each issue's unit."""
        return np.stack([axis.values[levels[:, i]] for i, axis in enumerate(self.axes)], axis=1)

    def status_quo(self) -> I64:
        """Level indices of the status quo package, shape (issues,)."""
        return np.array([a.snap(a.spec.status_quo) for a in self.axes], dtype=np.int64)
