"""share_limit: a place's share of feedback in a category over a fixed line, however long it has been so."""

from __future__ import annotations

import random

import pytest

from tests.test_rules_streams import DAY, HOUR, START, event, firing, run
from voc_stream.config import ConfigError
from voc_stream.engine import DetectionEngine
from voc_stream.enrich import EnrichedEvent
from voc_stream.notify.messages import AlertView
from voc_stream.rules import RuleContext, RulesConfig, build_rules
from voc_stream.rules.settings import load_rules
from voc_stream.state_codec import dumps, loads

INDUCED = "诱导好评"


def merchant_stream(days: float, per_hour: float, share: float, *, merchant: str = "M1", seed: int = 1,
                    start: float = START, category: str = INDUCED) -> list[EnrichedEvent]:
    """Feedback about ``merchant`` at a steady rate, ``share`` of it in ``category``."""
    rand = random.Random(seed)
    out, t, n = [], start, seed * 10_000_000
    while True:
        t += rand.expovariate(per_hour / HOUR)
        if t >= start + days * DAY:
            return out
        n += 1
        hit = rand.random() < share
        out.append(event(t, n, merchant=merchant, store=None, negative=hit, categories=(category,) if hit else ()))


def engine(config: RulesConfig | None = None, rules: tuple[str, ...] = ("share_limit",)) -> DetectionEngine:
    context = RuleContext(config=config or RulesConfig(), fraud_categories=frozenset({INDUCED, "诈骗"}))
    return DetectionEngine([r for r in build_rules(context) if r.name in rules], {})


def test_a_merchant_always_over_the_line_fires_where_the_anomaly_rule_learns_it_as_normal():
    """5% 诱导好评 from the first day: fraud_pattern's baseline takes it as the merchant's usual, the line does not."""
    events = merchant_stream(6, 6, 0.05)
    alerts = run(engine(rules=("share_limit", "fraud_pattern")), events)
    assert not firing(alerts, "fraud_pattern")
    (alert,) = firing(alerts, "share_limit")
    assert alert.subject == {"merchant_id": "M1", "category": INDUCED}
    assert alert.to_dict()["limit"] == 0.02 and alert.to_dict()["share"] > 0.02
    assert alert.observed >= 5 and alert.expected == pytest.approx(0.02 * alert.observed / alert.to_dict()["share"], rel=0.01)
    assert "line 2.0%" in alert.summary and alert.runbook_url.endswith("share_limit.md")
    assert "红线 2.0%" in AlertView(alert).evidence


def test_a_merchant_under_the_line_never_fires():
    assert not firing(run(engine(), merchant_stream(14, 6, 0.01, seed=3)))


def test_a_small_merchant_needs_enough_feedback_before_its_share_means_anything():
    """Three complaints in forty reviews is 7.5%, and proves little: min_events (100 in the window) holds it."""
    few = merchant_stream(7, 40 / (7 * 24), 0.0, seed=4)
    few += [event(START + (2 + i) * DAY, 900 + i, merchant="M1", store=None, categories=(INDUCED,)) for i in range(3)]
    assert not firing(run(engine(), few))


def test_it_resolves_once_the_share_is_back_under_the_line():
    over = merchant_stream(4, 6, 0.06, seed=5)
    clean = merchant_stream(10, 6, 0.0, seed=6, start=START + 4 * DAY)
    alerts = run(engine(), over + clean)
    assert [a.status for a in alerts] == ["firing", "resolved"]
    fired, resolved = alerts
    assert resolved.alert_id == fired.alert_id
    assert resolved.to_dict()["share"] <= 0.02
    assert START + 4 * DAY < resolved.fired_at.timestamp() < START + 11 * DAY  # the old hits left the 7-day window


def test_hours_without_feedback_let_the_share_fall_too():
    """A merchant that goes quiet: the engine's tick moves the window on and the old complaints leave it."""
    eng = engine()
    run(eng, merchant_stream(3, 6, 0.08, seed=7))
    assert eng.open_keys
    assert [a.status for a in eng.tick(START + 12 * DAY)] == ["resolved"]


def test_a_user_line_on_a_stores_negative_share():
    config = RulesConfig.model_validate(
        {"share_limit": {"limits": [{"category": "negative", "scope": "store", "max_share": 0.3, "window_days": 2}]}}
    )
    rand = random.Random(8)
    events = [event(START + i * 600, i, store="S9", negative=rand.random() < 0.5) for i in range(1, 600)]
    (alert,) = firing(run(engine(config), events))
    assert alert.subject == {"store_id": "S9", "category": "negative"}
    assert "2 days" in alert.summary


def test_critical_at_twice_the_line():
    (alert,) = firing(run(engine(), merchant_stream(6, 6, 0.12, seed=9)))
    assert alert.severity == "critical"


def test_a_line_with_an_unknown_scope_is_a_config_error(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("share_limit:\n  limits:\n    - {category: 诱导好评, scope: shop, max_share: 0.02}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="scope"):
        load_rules(path)


def test_counts_survive_the_state_codec():
    eng = engine()
    events = merchant_stream(6, 6, 0.05, seed=10)
    half = 60  # under min_events: nothing can fire before the state is reloaded
    before = run(eng, events[:half])
    eng.store = {key: loads(dumps(state)) for key, state in eng.store.items()}
    after = run(eng, events[half:])
    assert before + after == run(engine(), events)
    assert not firing(before) and firing(after)


def test_a_line_removed_while_its_alert_is_open_resolves_it_instead_of_failing():
    """A worker restarted with fewer lines still holds the open incident in its table."""
    eng = engine()
    run(eng, merchant_stream(3, 6, 0.08, seed=11))
    assert eng.open_keys
    without = RulesConfig.model_validate({"share_limit": {"limits": []}})
    restarted = DetectionEngine(list(engine(without).rules.values()), eng.store)
    assert [a.status for a in restarted.tick(START + 3 * DAY + HOUR)] == ["resolved"]
    assert not restarted.open_keys
