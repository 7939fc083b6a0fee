"""The bounded LRU cache shared by the offer search and the sweep worker (core/lru.py)."""

from __future__ import annotations

import pytest

from negosim.core.lru import LRUCache


def test_a_count_bounded_cache_evicts_the_least_recently_used() -> None:
    cache: LRUCache[str, int] = LRUCache(max_size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used ...
    cache.put("c", 3)  # ... so "b" goes
    assert "b" not in cache and cache.get("b") is None
    assert (cache.get("a"), cache.get("c"), len(cache), cache.size) == (1, 3, 2, 2)


def test_a_size_bounded_cache_evicts_until_the_total_fits() -> None:
    cache: LRUCache[str, str] = LRUCache(max_size=100)
    for key, size in (("a", 40), ("b", 40), ("c", 10)):
        cache.put(key, key, size)
    assert cache.size == 90
    cache.put("d", "d", 70)  # 160 > 100: "a" then "b" go, 80 left
    assert [k for k in "abcd" if k in cache] == ["c", "d"]
    assert cache.size == 80


def test_the_newest_entry_is_kept_even_over_budget() -> None:
    cache: LRUCache[str, str] = LRUCache(max_size=10)
    cache.put("small", "s", 5)
    cache.put("huge", "h", 50)
    assert [k for k in ("small", "huge") if k in cache] == ["huge"]
    assert cache.get("huge") == "h" and cache.size == 50


def test_storing_a_key_again_replaces_its_value_and_its_size() -> None:
    cache: LRUCache[str, int] = LRUCache(max_size=100)
    cache.put("a", 1, 30)
    cache.put("b", 2, 30)
    cache.put("a", 10, 50)  # replaces, and "a" becomes the most recently used
    assert cache.size == 80 and len(cache) == 2
    cache.put("c", 3, 30)  # 110: the oldest is now "b"
    assert "b" not in cache and cache.get("a") == 10


def test_clear_forgets_everything() -> None:
    cache: LRUCache[int, int] = LRUCache(max_size=3)
    for i in range(3):
        cache.put(i, i)
    cache.clear()
    assert len(cache) == 0 and cache.size == 0 and cache.get(0) is None


def test_a_budget_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_size"):
        LRUCache(max_size=0)
