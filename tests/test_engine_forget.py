"""Keys silent for longer than forget_after_days are dropped; open incidents and recent keys stay."""

from __future__ import annotations

from voc_stream.engine import DetectionEngine
from voc_stream.rules import RuleContext, RulesConfig, build_rules

DAY = 86400.0


def _state(engine: DetectionEngine, key: str, last_ts: float, open_incident: bool = False):
    state = engine.rule_of(key).new_state(key)
    state.last_ts = last_ts
    if open_incident:
        series = engine.rule_of(key).new_series(state, key, "term")
        series.incident = object()  # any non-None incident counts as open
        state.series["term"] = series
    engine.store[key] = state
    return state


def test_forget_drops_only_silent_keys_without_open_incidents():
    engine = DetectionEngine(build_rules(RuleContext(config=RulesConfig())), {})
    now = 100 * DAY
    _state(engine, "emerging_term|旧词", now - 20 * DAY)
    _state(engine, "emerging_term|新词", now - 1 * DAY)
    _state(engine, "emerging_term|还在告警", now - 20 * DAY, open_incident=True)
    assert engine.forget(now, 14 * DAY) == 1
    assert set(engine.store) == {"emerging_term|新词", "emerging_term|还在告警"}


def test_forget_can_be_limited_to_some_keys():
    engine = DetectionEngine(build_rules(RuleContext(config=RulesConfig())), {})
    now = 100 * DAY
    _state(engine, "emerging_term|甲", now - 20 * DAY)
    _state(engine, "emerging_term|乙", now - 20 * DAY)
    assert engine.forget(now, 14 * DAY, keys=["emerging_term|甲"]) == 1
    assert set(engine.store) == {"emerging_term|乙"}
