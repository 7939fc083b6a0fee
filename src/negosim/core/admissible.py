"""Which packages may be put on the table: issue linkage and public red lines (model.md §4.3).

**Linkage as structure** (Tollison & Willett 1979, International Organization 33:425-449;
Sebenius 1983, International Organization 37:281-316). Without linkage issues are settled
separately: no side gives ground on one issue for gains on another, so on every issue each
side keeps at least what it has without a deal. With full linkage the issues form one package
and any cross-issue trade is allowed. negosim's mix: side i with linkage ℓ_i accepts, on
each issue k, any level whose contribution u_ik (its weighted value of that issue) is at
least

    u_ik(d_k) - ℓ_i (u_ik(d_k) - min_x u_ik(x)),

i.e. it gives up at most the share ℓ_i of what it could lose on that issue, d being the
package in force without a deal. ℓ = 0: issue by issue; ℓ = 1: one package. A package is
admissible when every issue meets both sides' floors.

**Public red lines** (Fearon 1994, APSR 88:577-592; Tomz 2007, International Organization
61:821-840): a line Japan's leader has announced caps what it offers and accepts, and the
US, who heard it too, does not propose beyond it.

Both restrict each issue's levels separately, so they are per-issue masks; a package is
admissible when each of its issues' levels is. The offer search filters its two blocks by
them before taking frontiers (core/offers.py), so the speed-up of docs/model.md §9 stays.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from negosim.core.grid import OutcomeGrid
from negosim.core.lru import LRUCache

if TYPE_CHECKING:
    from negosim.core.utility import UtilityTables

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


def linkage_floor(contribution: F64, level_now: int, linkage: float) -> B:
    """Levels of one issue a side with linkage ℓ accepts: u(x) ≥ u(d) - ℓ (u(d) - min u)."""
    now = contribution[level_now]
    floor = now - linkage * (now - contribution.min())
    return contribution >= floor - 1e-12


def red_line_mask(values: F64, bound: float, breached_when: str) -> B:
    """Levels of an issue on the right side of a public red line (the bound itself is fine)."""
    return values <= bound + 1e-12 if breached_when == "above" else values >= bound - 1e-12


@dataclass(frozen=True)
class Admissible:
    """Admissible packages of each block, and a content key for caches."""

    state: B
    static: B
    key: bytes

    @classmethod
    def of(cls, grid: OutcomeGrid, issue_masks: list[B]) -> Admissible:
        """Block masks from one mask per issue (a package is admissible iff each issue is)."""
        s, d = grid.state_levels()
        state = issue_masks[grid.commitment][s] & issue_masks[grid.defense][d]
        static = np.ones(grid.n_static, dtype=bool)
        levels = grid.static_levels()
        for column, issue in enumerate(grid.static_issues):
            static &= issue_masks[issue][levels[:, column]]
        digest = hashlib.blake2b(digest_size=16)
        for mask in issue_masks:
            digest.update(np.packbits(mask).tobytes() + b"|")
        return cls(state, static, digest.digest())


def admissible_masks(
    japan: tuple[F64, ...],
    us: tuple[F64, ...],
    levels_now: I64,
    linkage_japan: float,
    linkage_us: float,
    red_lines: tuple[B, ...],
) -> list[B]:
    """One mask per issue: both sides' linkage floors around ``levels_now`` and red lines.

    ``japan``/``us`` hold each issue's contribution u_ik over its levels (for Japan, the
    leader type's); ``red_lines`` one mask per issue (all True where no line is drawn).
    """
    return [
        linkage_floor(japan[k], int(levels_now[k]), linkage_japan)
        & linkage_floor(us[k], int(levels_now[k]), linkage_us)
        & red_lines[k]
        for k in range(len(japan))
    ]


def linkage_identity(tables: UtilityTables) -> bytes:
    """Content key of what the linkage floors read: both sides' contributions and linkage."""
    t = tables
    digest = hashlib.blake2b(repr((t.linkage_japan, t.linkage_us)).encode(), digest_size=16)
    for part in (*(a for leader in t.japan_contributions for a in leader), *t.us_contributions):
        digest.update(np.ascontiguousarray(part).tobytes() + b"|")
    return digest.digest()


def restrictions(
    tables: UtilityTables,
    linkage: bytes,
    rows: I64,
    red_lines: tuple[B, ...],
    cache: LRUCache[tuple[object, ...], object],
) -> list[Admissible]:
    """The restriction of each row (leader type, then the package in force's levels).

    Cached by content (``linkage``, :func:`linkage_identity` of ``tables``; the red lines
    drawn; the row), so the design points of a sweep that leave those alone share them.
    """
    t = tables
    digest = hashlib.blake2b(linkage, digest_size=16)
    for mask in red_lines:
        digest.update(np.packbits(mask).tobytes() + b"|")
    identity = digest.digest()
    out = []
    for row in rows:
        key = ("restriction", identity, row.tobytes())
        found = cache.get(key)
        if found is None:
            masks = admissible_masks(
                t.japan_contributions[row[0]],
                t.us_contributions,
                row[1:],
                t.linkage_japan,
                t.linkage_us,
                red_lines,
            )
            found = Admissible.of(t.grid, masks)
            cache.put(key, found, found.state.nbytes + found.static.nbytes)  # type: ignore[attr-defined]
        out.append(found)
    return out  # type: ignore[return-value]
