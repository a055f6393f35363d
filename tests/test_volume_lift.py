"""VolumeLift: the whole stream's volume against its usual for the hour, and what negative_burst makes of it."""

from __future__ import annotations

import random

from tests.test_rules_streams import (
    DAY,
    HOUR,
    START,
    background,
    burst,
    engine,
    firing,
    run,
)
from voc_stream.detectors.volume import VolumeLift, VolumeLifts
from voc_stream.rules import RulesConfig
from voc_stream.rules.settings import NegativeBurstSettings


def _arrivals(start: float, days: float, per_hour: float, lift: float = 1.0, seed: int = 1) -> list[float]:
    """Event times with quiet nights, ``lift`` times the usual volume."""
    rand = random.Random(seed)
    out, t = [], start
    while True:
        hour = ((t - START) % DAY) / HOUR
        t += rand.expovariate(per_hour * lift * (0.2 if hour < 7 else 1.0) / HOUR)
        if t >= start + days * DAY:
            return out
        out.append(t)


def _readings(times: list[float], volume: VolumeLift | None = None) -> list[tuple[float, float]]:
    volume = volume or VolumeLift()
    return [(t, volume.observe(t)) for t in times]


def test_reads_one_until_a_day_is_learned():
    readings = _readings(_arrivals(START, 0.9, 600, lift=3.0))
    assert {lift for _, lift in readings} == {1.0}


def test_an_ordinary_day_reads_about_one():
    readings = _readings(_arrivals(START, 4, 600))
    day_four = [lift for t, lift in readings if t >= START + 3 * DAY]
    assert max(day_four) < 1.3
    assert min(day_four) > 0.7  # nights included: each hour against its own usual, not the day's


def test_a_quieter_day_reads_below_one():
    """A Monday after a busy weekend: the stream at 0.7 of its usual reads about that, within the hour."""
    times = _arrivals(START, 3, 600) + _arrivals(START + 3 * DAY, 1, 600, lift=0.7, seed=2)
    readings = _readings(times)
    late_morning = [lift for t, lift in readings if START + 3 * DAY + 10 * HOUR <= t < START + 3 * DAY + 12 * HOUR]
    assert 0.55 <= min(late_morning) and max(late_morning) <= 0.9


def test_a_promotion_day_reads_its_lift_within_the_hour():
    times = _arrivals(START, 3, 600) + _arrivals(START + 3 * DAY, 1, 600, lift=2.5, seed=2)
    readings = _readings(times)
    late_morning = [lift for t, lift in readings if START + 3 * DAY + 10 * HOUR <= t < START + 3 * DAY + 12 * HOUR]
    assert 1.8 <= min(late_morning) and max(late_morning) <= 3.0


def test_the_order_of_events_inside_a_bucket_does_not_change_the_reading():
    times = _arrivals(START, 2, 600)
    shuffled = sorted(times, key=lambda t: (int(t // 300), random.Random(int(t * 1000)).random()))
    first = {int(t // 300): lift for t, lift in _readings(times)}
    second = {int(t // 300): lift for t, lift in _readings(shuffled)}
    assert first == second


def _store_flood(lift: float, count: int = 20) -> list:
    """A store with its usual days, then ``count`` negative posts in 30 minutes, stamped with the stream's ``lift``."""
    events = background(4, 12, negative_share=0.4, seed=7)
    events += burst(START + 3 * DAY + 13 * HOUR, 30, count, negative=True)
    for e in events:
        if e.ts >= START + 3 * DAY + 12 * HOUR:
            e.volume_lift = lift
    return events


def test_negative_burst_expects_more_when_the_whole_stream_is_busier():
    assert firing(run(engine(rules=("negative_burst",)), _store_flood(1.0)), "negative_burst")
    assert firing(run(engine(rules=("negative_burst",)), _store_flood(4.0)), "negative_burst") == []


def _negative_burst(**changes) -> RulesConfig:
    return RulesConfig(negative_burst=NegativeBurstSettings(**{**RulesConfig().negative_burst.model_dump(), **changes}))


def test_negative_burst_expects_fewer_when_the_stream_is_quieter_down_to_its_floor():
    """A flood too small for an ordinary day fires on a quiet one; an emptier stream cannot lower the bar further."""
    rules = ("negative_burst",)
    floor_half, floor_one = _negative_burst(volume_lift_floor=0.5), _negative_burst(volume_lift_floor=1.0)
    assert firing(run(engine(floor_half, rules=rules), _store_flood(1.0, count=9)), "negative_burst") == []
    assert firing(run(engine(floor_half, rules=rules), _store_flood(0.5, count=9)), "negative_burst")
    assert firing(run(engine(floor_one, rules=rules), _store_flood(0.5, count=9)), "negative_burst") == []


def test_following_the_lift_can_be_turned_off():
    config = _negative_burst(follow_volume_lift=False)
    assert firing(run(engine(config, rules=("negative_burst",)), _store_flood(4.0)), "negative_burst")


def test_a_restarted_worker_goes_on_reading_the_lift_from_its_table():
    """State is saved once a bucket; a new process over the same table reads what the old one would have."""
    times = _arrivals(START, 2, 600) + _arrivals(START + 2 * DAY, 0.5, 600, lift=2.5, seed=2)
    cut = next(i for i, t in enumerate(times) if t >= START + 2 * DAY + 9 * HOUR)
    table: dict = {}
    before = VolumeLifts(table, VolumeLift)
    for t in times[:cut]:
        before.observe(0, t)
    restarted = VolumeLifts(table, VolumeLift)  # a new process: only the table survives
    uninterrupted = VolumeLifts({}, VolumeLift)
    for t in times[:cut]:
        uninterrupted.observe(0, t)
    after = [(restarted.observe(0, t), uninterrupted.observe(0, t)) for t in times[cut:]]
    first_hour = [pair for pair, t in zip(after, times[cut:]) if t < START + 2 * DAY + 10 * HOUR]
    assert min(r for r, _ in first_hour) > 1.3  # not the 1.0 of a tracker that lost its history
    late = [abs(r - u) for (r, u), t in zip(after, times[cut:]) if t >= START + 2 * DAY + 9.5 * HOUR]
    assert max(late) < 0.02  # only the events of the bucket in hand at the restart were lost


def test_each_partition_keeps_its_own_tracker_and_forget_rereads_the_table():
    table: dict = {}
    lifts = VolumeLifts(table, VolumeLift)
    for t in _arrivals(START, 1.5, 300):
        lifts.observe(0, t)
    assert set(table) == {"volume-lift/0"}
    lifts.forget()
    assert lifts.trackers == {}
    lifts.observe(0, START + 1.5 * DAY + 60)
    assert lifts.trackers[0][0].usual.seen > 0  # restored, not started afresh
