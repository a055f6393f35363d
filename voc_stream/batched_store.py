"""A mapping that holds writes until ``flush``: one changelog message per key per batch, not per event.

The hottest keys (a nation, a big region) change with nearly every event; writing
their state to a Faust table each time serialises and ships it each time. The
detect agent works in batches and flushes once per batch instead. What the rules
decide is unchanged: they see the same values in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

_MISSING = object()


class BatchedStore(MutableMapping):
    """Reads through to ``backing``; writes wait in ``pending`` until ``flush()``."""

    def __init__(self, backing: MutableMapping[str, Any]) -> None:
        self.backing = backing
        self.pending: dict[str, Any] = {}
        self.deleted: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        value = self.pending.get(key, _MISSING)
        if value is not _MISSING:
            return value
        if key in self.deleted:
            raise KeyError(key)
        return self.backing[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.pending[key] = value
        self.deleted.discard(key)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self.pending.pop(key, None)
        self.deleted.add(key)

    def __contains__(self, key: object) -> bool:
        if key in self.pending:
            return True
        return key not in self.deleted and key in self.backing

    def __iter__(self) -> Iterator[str]:
        yield from self.pending
        for key in list(self.backing):
            if key not in self.pending and key not in self.deleted:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def flush(self) -> int:
        """Write every pending change to the backing mapping; returns how many keys."""
        for key in self.deleted:
            if key in self.backing:
                del self.backing[key]
        for key, value in self.pending.items():
            self.backing[key] = value
        written = len(self.pending) + len(self.deleted)
        self.pending.clear()
        self.deleted.clear()
        return written
