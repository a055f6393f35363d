"""Keys silent for longer than forget_after_days are dropped, one-off terms sooner; open incidents and recent keys stay; quiet keys lose their samples."""

from __future__ import annotations

from tests.test_rules_streams import START, event
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


def test_a_key_quiet_for_a_day_loses_its_samples_but_keeps_its_counts():
    engine = DetectionEngine(build_rules(RuleContext(config=RulesConfig())), {})
    post = event(START, 1, negative=True, tokens=("油门", "卡顿"))
    engine.process(post)
    later = event(START + 20 * 3600, 2, negative=True, tokens=("座椅", "异味"))
    engine.process(later)
    quiet, recent = engine.store["emerging_term|油门卡顿"], engine.store["emerging_term|座椅异味"]
    assert len(quiet.series["term"].evidence) == 1 and len(recent.series["term"].evidence) == 1

    assert engine.forget(START + 1.5 * DAY, 14 * DAY) == 0  # nothing is old enough to drop
    assert len(engine.store["emerging_term|油门卡顿"].series["term"].evidence) == 0
    assert engine.store["emerging_term|油门卡顿"].series["term"].hits.total == 1
    assert len(engine.store["emerging_term|座椅异味"].series["term"].evidence) == 1


def test_keys_reached_by_one_post_share_its_sample():
    engine = DetectionEngine(build_rules(RuleContext(config=RulesConfig())), {})
    engine.process(event(START, 1, negative=True, tokens=("油门", "卡顿")))
    samples = [engine.store[f"emerging_term|{term}"].series["term"].evidence[0] for term in ("油门", "卡顿", "油门卡顿")]
    assert samples[0] is samples[1] is samples[2]
    assert samples[0].text == "油门卡顿"


def test_a_term_said_once_is_forgotten_when_its_mention_has_decayed_below_half():
    engine = DetectionEngine(build_rules(RuleContext(config=RulesConfig())), {})
    engine.process(event(START, 1, negative=True, tokens=("油门", "卡顿")))  # once
    for n in range(4):  # four times, by four customers
        engine.process(event(START + n * 60, 10 + n, negative=True, tokens=("座椅", "异味")))

    assert engine.forget(START + 2.5 * DAY, 14 * DAY) == 0  # half-life 72 h: one mention still weighs 0.56
    assert engine.forget(START + 3.5 * DAY, 14 * DAY) == 3  # 油门, 卡顿, 油门卡顿: 0.45 each
    assert "emerging_term|座椅异味" in engine.store  # four mentions weigh 1.8
    assert engine.forget(START + 9.5 * DAY, 14 * DAY) == 3  # ... and 0.45 after three half-lives
    assert not [key for key in engine.store if key.startswith("emerging_term|")]
    assert "keyword_spike|全国" in engine.store  # other rules' keys wait for forget_after_days


def test_forget_below_mentions_zero_keeps_terms_for_forget_after_days():
    config = RulesConfig.model_validate({"emerging_term": {"forget_below_mentions": 0}})
    engine = DetectionEngine(build_rules(RuleContext(config=config)), {})
    engine.process(event(START, 1, negative=True, tokens=("油门", "卡顿")))
    assert engine.forget(START + 13 * DAY, 14 * DAY) == 0
    assert engine.forget(START + 15 * DAY, 14 * DAY) == 9  # every key of that post, of every rule
    assert not engine.store
