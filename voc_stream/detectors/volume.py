"""How busy the whole stream is right now, against what this hour of the day usually brings.

A promotion day (双十一) or a busy weekend lifts every store's feedback, negative
posts included. A store sees too few events to tell that apart from its own
incident in the first half hour; the whole stream sees thousands. ``VolumeLift``
measures that market-wide lift so a per-store rate can expect it.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import asdict
from typing import Any

from voc_stream.detectors.counts import HourlyRate, hour_of_day

#: Buckets' worth of the all-day rate in each hour's usual (HourlyRate's default of 6 is for sparse keys).
SHRINK = 0.5


class VolumeLift:
    """Events in the last ``window_buckets`` complete buckets over the usual count for those hours.

    Only complete buckets count, so the lift an event sees does not depend on the
    order of events within its own bucket. Below 1 when the stream is quieter than
    usual for the hour (a Monday after a busy weekend); a rule that follows it says
    how far down it may go (negative_burst's ``volume_lift_floor``). ``pseudo_events``
    damps the ratio towards 1 where few events are expected, at night. The usual
    for an hour leans only a little on the all-day rate (``SHRINK``): the whole
    stream has history enough, and a heavier pull would read every night as
    quiet and every noon as busy. 1 until a day is learned.
    """

    def __init__(
        self,
        bucket_seconds: float = 300.0,
        window_buckets: int = 6,
        half_life_hours: float = 72.0,
        pseudo_events: float = 20.0,
        min_history_days: float = 1.0,
    ) -> None:
        self.bucket_seconds = bucket_seconds
        self.window_buckets = window_buckets
        self.pseudo_events = pseudo_events  # damps the ratio where few events are expected (at night)
        self.usual = HourlyRate(0.0, 1.0, 0.5 ** (bucket_seconds / (half_life_hours * 3600.0)), shrink=SHRINK)
        self.min_buckets = min_history_days * 86400.0 / bucket_seconds
        self.counts: dict[int, int] = {}
        self.head: int | None = None  # newest bucket seen
        self.learned_until = 0  # buckets before this one are learned into ``usual``
        self._lift_of: tuple[int, float] = (-1, 1.0)

    def observe(self, ts: float) -> float:
        """Count one event at event time ``ts``; the lift it should be judged with."""
        bucket = int(ts // self.bucket_seconds)
        if self.head is None:
            self.head = self.learned_until = bucket
        elif bucket > self.head:
            self._advance(bucket)
        self.counts[bucket] = self.counts.get(bucket, 0) + 1
        return self.lift(bucket)

    def to_dict(self) -> dict[str, Any]:
        """What a restarted worker needs to go on reading the lift at once (JSON-safe)."""
        return {
            "usual": asdict(self.usual),
            "counts": [[b, n] for b, n in sorted(self.counts.items())],
            "head": self.head,
            "learned_until": self.learned_until,
        }

    def restore(self, saved: dict[str, Any]) -> "VolumeLift":
        """Take up a state from ``to_dict``; settings stay this instance's."""
        usual = dict(saved["usual"])
        usual["decay"], usual["shrink"] = self.usual.decay, self.usual.shrink
        self.usual = HourlyRate(**usual)
        self.counts = {int(b): int(n) for b, n in saved["counts"]}
        self.head = saved["head"]
        self.learned_until = saved["learned_until"]
        self._lift_of = (-1, 1.0)
        return self

    def lift(self, bucket: int) -> float:
        cached_bucket, cached = self._lift_of
        if cached_bucket == bucket:
            return cached
        value = 1.0
        if self.usual.seen >= self.min_buckets:
            first = bucket - self.window_buckets
            observed = sum(self.counts.get(b, 0) for b in range(first, bucket))
            expected = sum(self.usual.rate(hour_of_day(b * self.bucket_seconds)) for b in range(first, bucket))
            value = (observed + self.pseudo_events) / (expected + self.pseudo_events)
        self._lift_of = (bucket, value)
        return value

    def _advance(self, bucket: int) -> None:
        """Move the head to ``bucket``; learn each bucket once, as it leaves the window.

        The buckets being read are not yet part of the usual they are read
        against, so the first hours of a promotion day do not talk themselves down.
        """
        oldest = bucket - self.window_buckets
        for b in range(self.learned_until, oldest):
            self.usual.learn(hour_of_day(b * self.bucket_seconds), float(self.counts.pop(b, 0)))
        self.learned_until = max(self.learned_until, oldest)
        self.head = bucket


class VolumeLifts:
    """One ``VolumeLift`` per input partition, saved in ``store`` once a bucket so a restart goes on reading.

    Each partition of a key-hashed topic sees an even share of the stream, so its
    own tracker reads the same lift; keeping one per partition lets the state
    follow the partition (a Faust table's changelog) when it moves between workers.
    """

    def __init__(self, store: MutableMapping[str, Any], factory: Callable[[], VolumeLift]) -> None:
        self.store = store
        self.factory = factory
        self.trackers: dict[int, tuple[VolumeLift, int | None]] = {}

    def observe(self, partition: int, ts: float) -> float:
        key = f"volume-lift/{partition}"
        entry = self.trackers.get(partition)
        if entry is None:
            tracker = self.factory()
            saved = self.store.get(key)
            if saved:
                tracker.restore(saved)
            entry = (tracker, tracker.head)
        tracker, saved_head = entry
        lift = tracker.observe(ts)
        if tracker.head != saved_head:  # the learned part changes only when a bucket is done
            self.store[key] = tracker.to_dict()
            saved_head = tracker.head
        self.trackers[partition] = (tracker, saved_head)
        return lift

    def forget(self) -> None:
        """Drop what is held in memory (partitions were revoked): read the store again when they come back."""
        self.trackers.clear()
