"""The metrics object: names, units, bounded labels, and its own registry."""

from __future__ import annotations

import prometheus_client
import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from voc_stream.events import INVALID_REASONS, Channel
from voc_stream.metrics import OTHER, TOP_N, BoundedLabel, Metrics
from voc_stream.regions import PROVINCES, REGION_LABELS, canonical_region


@pytest.fixture
def metrics() -> Metrics:
    return Metrics(registry=CollectorRegistry())


def value(m: Metrics, name: str, **labels: str) -> float | None:
    return m.registry.get_sample_value(name, labels)


def test_uses_its_own_registry_never_the_global_one() -> None:
    first, second = Metrics(), Metrics()
    assert first.registry is not prometheus_client.REGISTRY
    assert first.registry is not second.registry
    first.event_duplicate()
    assert value(second, "voc_events_duplicate_total") == 0.0
    assert prometheus_client.REGISTRY.get_sample_value("voc_events_duplicate_total") is None


def test_counts_events_by_channel_and_visibility(metrics: Metrics) -> None:
    metrics.event_in(Channel.weibo, "public")
    metrics.event_in("hotline", "private")
    metrics.event_in("hotline", "private")
    assert value(metrics, "voc_events_in_total", channel="weibo", visibility="public") == 1
    assert value(metrics, "voc_events_in_total", channel="hotline", visibility="private") == 2


def test_unknown_channels_and_reasons_fold_into_other(metrics: Metrics) -> None:
    metrics.event_in("myspace", "semi-public")
    metrics.event_invalid("cosmic_ray")
    metrics.event_invalid(INVALID_REASONS[0])
    assert value(metrics, "voc_events_in_total", channel=OTHER, visibility=OTHER) == 1
    assert value(metrics, "voc_events_invalid_total", reason=OTHER) == 1
    assert value(metrics, "voc_events_invalid_total", reason=INVALID_REASONS[0]) == 1


def test_every_valid_event_moves_the_dead_mans_switch(metrics: Metrics, monkeypatch: pytest.MonkeyPatch) -> None:
    start = value(metrics, "voc_last_event_timestamp_seconds")
    assert start is not None and start > 1.6e9
    monkeypatch.setattr("voc_stream.metrics.time.time", lambda: start + 120.0)
    metrics.event_in("weibo", "public")
    assert value(metrics, "voc_last_event_timestamp_seconds") == start + 120.0


def test_mentions_are_labelled_by_category_canonical_region_and_sentiment(metrics: Metrics) -> None:
    metrics.mention("刹车异响", "广东省", negative=True)
    metrics.mention("刹车异响", "广东", negative=True)
    metrics.mention("刹车异响", None, negative=False)
    assert value(metrics, "voc_mentions_total", category="刹车异响", region="广东", sentiment="negative") == 2
    unknown = {"category": "刹车异响", "region": "unknown", "sentiment": "non_negative"}
    assert value(metrics, "voc_mentions_total", **unknown) == 1


def test_categories_outside_the_configured_lexicon_fold_into_other() -> None:
    metrics = Metrics(categories=["刹车异响", "退款纠纷"])
    metrics.mention("某个门店的名字", "北京", negative=True)
    assert value(metrics, "voc_mentions_total", category=OTHER, region="北京", sentiment="negative") == 1


def test_free_form_labels_are_capped() -> None:
    label = BoundedLabel(limit=3)
    assert [label(f"r{i}") for i in range(5)] == ["r0", "r1", "r2", OTHER, OTHER]
    assert label("r1") == "r1"
    assert label("   ") == OTHER


def test_region_vocabulary_is_bounded() -> None:
    assert len(PROVINCES) == len(set(PROVINCES)) == 34
    assert len(REGION_LABELS) == 37
    cases = {
        "内蒙古自治区": "内蒙古",
        "新疆维吾尔自治区": "新疆",
        "香港特别行政区": "香港",
        "黑龙江省": "黑龙江",
        "陕西": "陕西",
        "山西省": "山西",
        "national": "全国",
        "": "unknown",
        "GZ-TH-001": "other",
    }
    assert {text: canonical_region(text) for text in cases} == cases


def test_sentiment_alerts_and_notifications(metrics: Metrics) -> None:
    metrics.sentiment("weibo", negative=True)
    metrics.sentiment("weibo", negative=False)
    metrics.evaluation("keyword_spike")
    metrics.alert("keyword_spike", "critical", "firing")
    metrics.alert("keyword_spike", "urgent!!", "exploded")
    metrics.notification("wecom-ops", "failed")
    metrics.notification("wecom-ops", "exploded")
    assert value(metrics, "voc_feedback_sentiment_total", channel="weibo", sentiment="negative") == 1
    assert value(metrics, "voc_rule_evaluations_total", rule="keyword_spike") == 1
    assert value(metrics, "voc_alerts_total", rule="keyword_spike", severity="critical", status="firing") == 1
    assert value(metrics, "voc_alerts_total", rule="keyword_spike", severity=OTHER, status=OTHER) == 1
    metrics.alert("keyword_spike", "warning", "firing", echo=True)
    metrics.alert("keyword_spike", "warning", "resolved", echo=True)
    assert value(metrics, "voc_alert_echoes_total", rule="keyword_spike") == 1
    assert value(metrics, "voc_notifications_total", receiver="wecom-ops", outcome="failed") == 1
    assert value(metrics, "voc_notifications_total", receiver="wecom-ops", outcome=OTHER) == 1


def test_histograms_record_seconds(metrics: Metrics) -> None:
    metrics.enrich_seconds(0.003)
    metrics.latency("event_time", 42.0)
    metrics.latency("ingest", 0.7)
    assert value(metrics, "voc_enrich_seconds_count") == 1
    assert value(metrics, "voc_enrich_seconds_bucket", le="0.005") == 1
    assert value(metrics, "voc_enrich_seconds_bucket", le="0.001") == 0
    assert value(metrics, "voc_alert_latency_seconds_sum", kind="event_time") == 42.0
    assert value(metrics, "voc_alert_latency_seconds_bucket", kind="ingest", le="1.0") == 1


def test_state_gauges(metrics: Metrics) -> None:
    metrics.set_retry_queue_depth(7)
    metrics.set_consumer_lag("voc.feedback.raw", 2, 1500)
    metrics.set_table_size("dedup", 12345)
    assert value(metrics, "voc_retry_queue_depth") == 7
    assert value(metrics, "voc_consumer_lag_messages", topic="voc.feedback.raw", partition="2") == 1500
    assert value(metrics, "voc_table_entries", table="dedup") == 12345


def test_top_anomalies_expose_ranks_not_ids(metrics: Metrics) -> None:
    ranking = [(f"GZ-{i:03d}", i / 20) for i in range(15)]
    metrics.set_top_anomalies("store", ranking)
    exposition = metrics.render()[0].decode()
    assert "GZ-0" not in exposition
    assert value(metrics, "voc_top_anomaly_score", kind="store", rank="1") == 14 / 20
    assert value(metrics, "voc_top_anomaly_score", kind="store", rank=str(TOP_N)) == 5 / 20
    assert value(metrics, "voc_top_anomaly_score", kind="store", rank=str(TOP_N + 1)) is None
    top = metrics.top_anomalies()
    assert [row["id"] for row in top["store"][:2]] == ["GZ-014", "GZ-013"]
    assert top["merchant"] == []


def test_shorter_ranking_removes_stale_ranks(metrics: Metrics) -> None:
    metrics.set_top_anomalies("merchant", [("M1", 0.9), ("M2", 0.8), ("M3", 0.7)])
    metrics.set_top_anomalies("merchant", [("M9", 0.5)])
    assert value(metrics, "voc_top_anomaly_score", kind="merchant", rank="1") == 0.5
    assert value(metrics, "voc_top_anomaly_score", kind="merchant", rank="2") is None
    with pytest.raises(ValueError):
        metrics.set_top_anomalies("customer", [])


def test_render_is_parseable_and_includes_process_health(metrics: Metrics) -> None:
    metrics.event_in("douyin", "public")
    body, content_type = metrics.render()
    assert content_type.startswith("text/plain")
    families = {family.name: family for family in text_string_to_metric_families(body.decode())}
    assert "voc_events_in" in families
    assert "process_resident_memory_bytes" in families
    assert "python_info" in families


def test_metric_names_lists_exposed_sample_names(metrics: Metrics) -> None:
    names = metrics.metric_names()
    assert {"voc_events_in_total", "voc_alert_latency_seconds_bucket", "voc_retry_queue_depth"} <= names
    assert "voc_events_in" not in names
    assert "process_cpu_seconds_total" in names


def test_no_label_is_named_after_an_unbounded_entity(metrics: Metrics) -> None:
    forbidden = {"store", "store_id", "merchant", "merchant_id", "keyword", "term", "customer", "customer_id"}
    for family in metrics.registry.collect():
        for sample in family.samples:
            assert not forbidden & set(sample.labels), (family.name, sample.labels)
    for collector in (metrics.events_in, metrics.mentions, metrics.alerts, metrics.top_anomaly):
        assert not forbidden & set(collector._labelnames)
