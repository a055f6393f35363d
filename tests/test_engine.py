"""The engine: routing, write-back, and the same alerts whatever store holds the state."""

from __future__ import annotations

from collections.abc import MutableMapping

from tests.test_rules_streams import DAY, HOUR, START, background, burst, engine, run
from voc_stream.engine import DetectionEngine
from voc_stream.state_codec import dumps, loads


class ChangelogStore(MutableMapping):
    """Like a changelog-backed table: every value is serialised on write and decoded on read."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.writes = 0

    def __getitem__(self, key):
        return loads(self.blobs[key])

    def __setitem__(self, key, value):
        self.writes += 1
        self.blobs[key] = dumps(value)

    def __delitem__(self, key):
        del self.blobs[key]

    def __iter__(self):
        return iter(self.blobs)

    def __len__(self):
        return len(self.blobs)


def _stream():
    events = background(3, 15, negative_share=0.4, category_share=0.01, seed=21)
    events += burst(START + 2 * DAY + 13 * HOUR, 60, 40, negative=True)
    events += burst(START + 2 * DAY + 15 * HOUR, 40, 20, categories=("质量问题",), seed=22)
    return events


def _signature(alerts):
    return [(a.alert_id, a.status, a.fired_at, a.observed, a.severity) for a in alerts]


def test_routing_names_every_rule_key():
    eng = engine()
    e = _stream()[0]
    keys = eng.route(e)
    assert "keyword_spike|浙江" in keys and "keyword_spike|全国" in keys
    assert "negative_burst|store|S1" in keys and "negative_burst|city|宁波" in keys
    assert all(eng.rule_of(k).name == k.split("|", 1)[0] for k in keys)


def test_changelog_store_gives_the_same_alerts_as_a_dict():
    """The worker's table pickles state between events; the backtest keeps objects: same alerts."""
    events = _stream()
    plain = run(engine(), events)
    changelog_engine = engine()
    store = ChangelogStore()
    changelog_engine = DetectionEngine(list(changelog_engine.rules.values()), store)
    through_codec = run(changelog_engine, events)
    assert plain, "the stream should raise alerts"
    assert _signature(plain) == _signature(through_codec)
    assert store.writes >= len(events)


def test_tick_resolves_open_incidents_by_event_time_only():
    eng = engine(rules=("negative_burst",))
    alerts = run(eng, [e for e in _stream() if e.ts < START + 2 * DAY + 14 * HOUR])
    assert any(a.status == "firing" for a in alerts)
    assert eng.open_keys
    assert eng.tick(START + 2 * DAY + 14 * HOUR) == []  # not quiet long enough yet
    resolved = eng.tick(START + 2 * DAY + 18 * HOUR)
    assert resolved and all(a.status == "resolved" for a in resolved)
    assert not eng.open_keys


def test_backtest_report_holds_the_detector_state_it_ends_with():
    """What a worker would hold after the same events: the scenario benchmark reports its size."""
    from tests.streams import history
    from voc_stream.backtest import BacktestReport, run_backtest
    from voc_stream.rules import RULE_TYPES

    report = BacktestReport()
    run_backtest(history(hours=2, per_hour=40, seed=3), report=report)
    assert report.state
    assert {key.split("|", 1)[0] for key in report.state} <= set(RULE_TYPES)
    assert all(loads(dumps(state)) == state for state in report.state.values())


def test_a_rule_disabled_while_its_incident_is_open_leaves_the_worker_ticking():
    """A worker restarted without a rule still finds that rule's open incidents in its table."""
    events = background(4, 12, negative_share=0.4, seed=7)
    events += burst(START + 3 * DAY + 13 * HOUR, 90, 60, negative=True)
    before = engine(rules=("negative_burst",))
    run(before, [e for e in events if e.ts < START + 3 * DAY + 14 * HOUR])  # stops inside the burst
    assert before.open_keys
    after = DetectionEngine(list(engine(rules=("keyword_spike",)).rules.values()), before.store)
    assert after.tick(START + 4 * DAY) == []
    assert not after.open_keys
