"""A small bounded least-recently-used cache, for values that are pure functions of a key.

Two caches need it: a worker's design points (scenario and value tables, bounded by count)
and the offer search's candidate sets (bounded by their bytes). ``functools.lru_cache``
fits neither: the keys are not the arguments (a candidate set is keyed by a fingerprint of
the value tables it was built from, not by the tables themselves), entries differ in size
by orders of magnitude, and callers must be able to ``clear`` one cache without touching
the other. A cached value must be a pure function of its key, so a hit or a miss can
change only the speed, never a result.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable


class LRUCache[K: Hashable, V]:
    """Entries with a size each (1 unless given); the total is kept at most ``max_size``.

    When a new entry takes the total over the budget, the least recently used entries go
    first; the newest entry is always kept, even alone over budget, so a value bigger than
    the budget is still reused by the next lookup. Reading an entry makes it the most
    recently used.
    """

    def __init__(self, max_size: int) -> None:
        if max_size < 1:
            raise ValueError(f"max_size must be at least 1, not {max_size}")
        self.max_size = max_size
        self.size = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: K) -> V | None:
        """The cached value (now the most recently used), or None."""
        hit = self._entries.get(key)
        if hit is None:
            return None
        self._entries.move_to_end(key)
        return hit[0]

    def put(self, key: K, value: V, size: int = 1) -> None:
        """Store ``value`` as the most recently used, then evict down to the budget."""
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= old[1]
        self._entries[key] = (value, size)
        self.size += size
        while self.size > self.max_size and len(self._entries) > 1:
            _, (_, evicted) = self._entries.popitem(last=False)
            self.size -= evicted

    def clear(self) -> None:
        """Forget everything (tests and benchmarks use it to measure a cold start)."""
        self._entries.clear()
        self.size = 0
