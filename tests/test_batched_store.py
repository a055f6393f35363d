"""BatchedStore: reads see pending writes at once; the backing mapping sees them only on flush."""

from __future__ import annotations

import pytest

from voc_stream.batched_store import BatchedStore


def test_writes_wait_for_flush_and_reads_see_them_meanwhile():
    backing = {"a": 1}
    store = BatchedStore(backing)
    store["a"] = 2
    store["b"] = 3
    assert store["a"] == 2 and store.get("b") == 3 and backing == {"a": 1}
    assert sorted(store.items()) == [("a", 2), ("b", 3)] and len(store) == 2
    assert store.flush() == 2
    assert backing == {"a": 2, "b": 3} and not store.pending


def test_many_writes_to_one_key_become_one():
    writes = []

    class Recording(dict):
        def __setitem__(self, key, value):
            writes.append(key)
            super().__setitem__(key, value)

    store = BatchedStore(Recording())
    for value in range(100):
        store["hot"] = value
    store.flush()
    assert writes == ["hot"] and store["hot"] == 99


def test_deletes_are_applied_on_flush():
    backing = {"a": 1, "b": 2}
    store = BatchedStore(backing)
    del store["a"]
    assert "a" not in store and "a" in backing
    with pytest.raises(KeyError):
        store["a"]
    store.flush()
    assert backing == {"b": 2}
