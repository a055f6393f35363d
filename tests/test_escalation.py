"""escalation: private complaints, no fix, then a public one from the same customer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.receivers import make_alert
from tests.test_rules_streams import DAY, HOUR, START, engine, event, firing, run
from voc_stream.alerts import Alert
from voc_stream.enrich import EnrichedEvent
from voc_stream.notify import load_routing
from voc_stream.notify.messages import AlertView
from voc_stream.rules import RulesConfig
from voc_stream.state_codec import dumps, loads

CUSTOMER = "c-10086"


def said(ts: float, n: int, channel: str, *, negative: bool = True, customer: str = CUSTOMER,
         rating: int | None = None, categories: tuple[str, ...] = ()) -> EnrichedEvent:
    """One event by ``customer`` on ``channel`` (private or public by the channel)."""
    private = channel in ("hotline", "chat", "email", "ticket", "app_feedback", "survey")
    words = ("刹车", "异响", "没人", "处理") if negative else ("问题", "解决", "谢谢")
    base = event(ts, n, negative=negative, customer=customer, tokens=words, categories=categories)
    return replace(base, channel=channel, visibility="private" if private else "public", rating=rating)


def escalations(events: list[EnrichedEvent], config: RulesConfig | None = None) -> list[Alert]:
    return [a for a in run(engine(config, rules=("escalation",)), events) if a.rule == "escalation"]


def test_private_complaint_then_public_one_fires_at_the_public_post():
    events = [said(START + 10 * HOUR, 1, "hotline"), said(START + DAY + 9 * HOUR, 2, "weibo")]
    alerts = escalations(events)
    assert [(a.status, a.subject) for a in alerts] == [("firing", {"customer_id": CUSTOMER})]
    alert = alerts[0]
    assert alert.fired_at.timestamp() == START + DAY + 9 * HOUR
    assert alert.window_start.timestamp() == START + 10 * HOUR  # the trail starts at the first private complaint
    assert alert.channels == {"weibo": 1, "hotline": 1}
    assert alert.severity == "warning" and alert.observed == 1 and alert.expected == 0
    assert "1 private complaint (hotline)" in alert.summary
    assert alert.to_dict()["private_complaints"] == 1
    assert "私域投诉 1 次未解决" in AlertView(alert).evidence
    assert alert.runbook_url.endswith("escalation.md")


def test_no_private_complaint_no_alert_and_no_state():
    """Public complaints alone are other rules' business; their authors cost no state here."""
    eng = engine(rules=("escalation",))
    events = [said(START + i * HOUR, i, "weibo", customer=f"@author{i}") for i in range(1, 30)]
    assert run(eng, events) == []
    assert len(eng.store) == 0


def test_public_praise_after_a_private_complaint_is_no_escalation():
    events = [said(START + 10 * HOUR, 1, "chat"), said(START + 12 * HOUR, 2, "weibo", negative=False)]
    assert escalations(events) == []


def test_a_private_rating_of_four_or_more_means_fixed():
    """The survey after a fix says the customer was helped: a later public complaint is a new matter."""
    events = [
        said(START + 10 * HOUR, 1, "hotline"),
        said(START + 20 * HOUR, 2, "survey", negative=False, rating=5),
        said(START + DAY + 9 * HOUR, 3, "weibo"),
    ]
    assert escalations(events) == []
    low = [events[0], replace(events[1], rating=2, negative=True), events[2]]
    assert firing(escalations(low))


def test_complaints_older_than_the_lookback_do_not_count():
    config = RulesConfig.model_validate({"escalation": {"lookback_days": 3}})
    old = [said(START, 1, "ticket"), said(START + 3 * DAY + HOUR, 2, "douyin")]
    assert escalations(old, config) == []
    recent = [said(START, 1, "ticket"), said(START + 3 * DAY - HOUR, 2, "douyin")]
    assert firing(escalations(recent, config))


def test_lookback_longer_than_the_state_is_kept_is_a_config_error():
    with pytest.raises(ValueError, match="lookback_days"):
        RulesConfig.model_validate({"forget_after_days": 7, "escalation": {"lookback_days": 10}})


def test_repeated_private_complaints_make_it_critical_and_more_posts_update_one_alert():
    events = [said(START + i * HOUR, i, ch) for i, ch in enumerate(("hotline", "chat", "email"), start=1)]
    events += [said(START + DAY, 10, "weibo"), said(START + DAY + 2 * HOUR, 11, "xiaohongshu")]
    events += [said(START + 5 * DAY, 12, "hotline")]  # later activity lets the quiet alert resolve
    alerts = escalations(events)
    assert [a.status for a in alerts] == ["firing", "resolved"]
    fired, resolved = alerts
    assert fired.severity == "critical" and fired.score == pytest.approx(0.999)
    assert resolved.alert_id == fired.alert_id and resolved.observed == 2  # both public posts, one incident
    # Three days after the last public post, as resolve_after_minutes says.
    assert resolved.fired_at.timestamp() == START + DAY + 2 * HOUR + 3 * DAY


def test_after_resolving_a_new_escalation_needs_a_new_private_complaint():
    events = [said(START, 1, "hotline"), said(START + HOUR, 2, "weibo"), said(START + 5 * DAY, 3, "weibo")]
    assert len(firing(escalations(events))) == 1
    again = events + [said(START + 6 * DAY, 4, "chat"), said(START + 6 * DAY + HOUR, 5, "weibo")]
    assert len(firing(escalations(again))) == 2


def test_many_complaints_are_counted_beyond_the_samples_kept():
    events = [said(START + i * HOUR, i, "hotline", customer=CUSTOMER) for i in range(1, 9)]
    events.append(said(START + DAY, 20, "weibo"))
    (alert,) = escalations(events)
    assert "8 private complaints" in alert.summary
    assert len(alert.samples) <= 5


def test_trail_survives_the_state_codec_and_the_daily_sample_sweep():
    """The worker pickles every key; the engine's sweep drops other rules' samples after a day, not these."""
    eng = engine(rules=("escalation",))
    run(eng, [said(START, 1, "hotline")])
    key = f"escalation|{CUSTOMER}"
    eng.store[key] = loads(dumps(eng.store[key]))
    eng.forget(START + 5 * DAY, older_than=14 * DAY)
    assert key in eng.store
    alerts = run(eng, [said(START + 5 * DAY, 2, "forum")])
    assert firing(alerts) and alerts[0].samples[-1] == eng.store[key].complaints[0].text


def test_shipped_routing_sends_an_escalation_to_customer_care_not_the_on_call_chats():
    routing = load_routing(Path(__file__).resolve().parents[1] / "config" / "routing.yaml")
    alert = make_alert(rule="escalation", severity="critical", subject={"customer_id": CUSTOMER})
    assert routing.receivers_for(alert) == ["console", "incident-webhook"]
    assert "oncall-wecom" in routing.receivers_for(make_alert(rule="keyword_spike", severity="critical"))


def test_complaints_beyond_the_kept_few_leave_the_count_with_the_lookback():
    """Eight old complaints and one within the lookback: the alert counts one, not the eight no longer kept."""
    config = RulesConfig.model_validate({"escalation": {"lookback_days": 3}})
    events = [said(START + i * HOUR, i, "hotline") for i in range(1, 9)]
    events += [said(START + 3 * DAY, 10, "chat"), said(START + 4 * DAY, 11, "weibo")]
    (alert,) = escalations(events, config)
    assert "1 private complaint (chat)" in alert.summary
