"""Prometheus metrics of the worker: one object, one registry, bounded labels.

The pipeline calls small verbs (``event_in``, ``mention``, ``alert``...) and never
touches prometheus_client directly. Every label value passes through a guard:
channels, reasons, severities and regions come from fixed vocabularies, and
free-form names (categories, rules, receivers) are capped, so a store, merchant,
keyword or customer can never become a time series. Store and merchant rankings
are exposed by rank only; their ids go to the JSON ``/top`` endpoint instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from voc_stream.alerts import SEVERITIES
from voc_stream.events import INVALID_REASONS, Channel
from voc_stream.regions import canonical_region

OTHER = "other"
TOP_N = 10
TOP_KINDS = ("store", "merchant")
LATENCY_KINDS = ("event_time", "ingest")
ALERT_STATUSES = ("firing", "resolved")
#: The dispatcher's outcomes (voc_stream.notify.dispatcher.Outcome); the delivery alert watches ``failed``.
NOTIFICATION_OUTCOMES = ("sent", "failed", "retried", "duplicate", "skipped")

ENRICH_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
ALERT_LATENCY_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600)


class BoundedLabel:
    """Maps label values onto a fixed set, or onto at most ``limit`` distinct values.

    Anything outside becomes ``other``: a misconfigured caller degrades a view
    instead of exploding the number of series.
    """

    def __init__(self, allowed: Iterable[str] | None = None, limit: int = 64) -> None:
        self.allowed = frozenset(allowed) if allowed is not None else None
        self.limit = limit
        self._seen: set[str] = set()

    def __call__(self, value: object) -> str:
        text = str(value.value if isinstance(value, Channel) else value).strip()
        if not text:
            return OTHER
        if self.allowed is not None:
            return text if text in self.allowed else OTHER
        if text in self._seen:
            return text
        if len(self._seen) >= self.limit:
            return OTHER
        self._seen.add(text)
        return text


def _sentiment(negative: bool) -> str:
    return "negative" if negative else "non_negative"


class Metrics:
    """Every metric the worker exports, registered on one (never the global) registry."""

    def __init__(self, registry: CollectorRegistry | None = None, categories: Iterable[str] | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self._channel = BoundedLabel(c.value for c in Channel)
        self._visibility = BoundedLabel(("public", "private"))
        self._reason = BoundedLabel(INVALID_REASONS)
        self._category = BoundedLabel(categories, limit=64)
        self._rule = BoundedLabel(limit=32)
        self._severity = BoundedLabel(SEVERITIES)
        self._status = BoundedLabel(ALERT_STATUSES)
        self._latency_kind = BoundedLabel(LATENCY_KINDS)
        self._receiver = BoundedLabel(limit=32)
        self._outcome = BoundedLabel(NOTIFICATION_OUTCOMES)
        self._topic = BoundedLabel(limit=32)
        self._table = BoundedLabel(limit=32)
        self._top: dict[str, list[tuple[str, float]]] = {kind: [] for kind in TOP_KINDS}
        r = self.registry

        self.events_in = Counter("voc_events_in", "Valid feedback events read", ["channel", "visibility"], registry=r)
        self.events_invalid = Counter(
            "voc_events_invalid", "Events rejected and dead-lettered, by reason", ["reason"], registry=r
        )
        self.events_duplicate = Counter("voc_events_duplicate", "Events skipped as repeated event_id", registry=r)
        self.enrich = Histogram(
            "voc_enrich_seconds", "Text enrichment time per event", buckets=ENRICH_BUCKETS, registry=r
        )
        self.mentions = Counter(
            "voc_mentions", "Risk-category mentions", ["category", "region", "sentiment"], registry=r
        )
        self.feedback_sentiment = Counter(
            "voc_feedback_sentiment", "Feedback by channel and sentiment", ["channel", "sentiment"], registry=r
        )
        self.rule_evaluations = Counter("voc_rule_evaluations", "Rule evaluations", ["rule"], registry=r)
        self.alerts = Counter("voc_alerts", "Alert messages emitted", ["rule", "severity", "status"], registry=r)
        self.alert_echoes = Counter(
            "voc_alert_echoes", "Firing alert messages linked to another open alert (related_to)", ["rule"], registry=r
        )
        self.alert_latency = Histogram(
            "voc_alert_latency_seconds",
            "Delay from the triggering event (event_time) or its ingestion (ingest) to the alert",
            ["kind"],
            buckets=ALERT_LATENCY_BUCKETS,
            registry=r,
        )
        self.notifications = Counter(
            "voc_notifications", "Notification attempts by receiver and outcome", ["receiver", "outcome"], registry=r
        )
        self.retry_queue = Gauge("voc_retry_queue_depth", "Notifications waiting for a retry", registry=r)
        self.consumer_lag = Gauge(
            "voc_consumer_lag_messages", "Messages behind the log end", ["topic", "partition"], registry=r
        )
        self.table_entries = Gauge("voc_table_entries", "Keys held in a state table", ["table"], registry=r)
        self.top_anomaly = Gauge(
            "voc_top_anomaly_score", "Anomaly score at each rank; ids are served by /top", ["kind", "rank"], registry=r
        )
        self.last_event = Gauge(
            "voc_last_event_timestamp_seconds",
            "Unix time of the last valid event (the start time until the first one arrives)",
            registry=r,
        )
        self.last_event.set(time.time())

    # --- input -------------------------------------------------------------
    def event_in(self, channel: str, visibility: str) -> None:
        self.events_in.labels(self._channel(channel), self._visibility(visibility)).inc()
        self.last_event_timestamp()

    def event_invalid(self, reason: str) -> None:
        self.events_invalid.labels(self._reason(reason)).inc()

    def event_duplicate(self) -> None:
        self.events_duplicate.inc()

    def last_event_timestamp(self) -> None:
        """Feeds the dead man's switch; ``event_in`` already calls it."""
        self.last_event.set(time.time())

    # --- enrichment and business view ---------------------------------------
    def enrich_seconds(self, seconds: float) -> None:
        self.enrich.observe(seconds)

    def mention(self, category: str, region: str | None, negative: bool) -> None:
        self.mentions.labels(self._category(category), canonical_region(region), _sentiment(negative)).inc()

    def sentiment(self, channel: str, negative: bool) -> None:
        self.feedback_sentiment.labels(self._channel(channel), _sentiment(negative)).inc()

    # --- rules and alerts ---------------------------------------------------
    def evaluation(self, rule: str) -> None:
        self.rule_evaluations.labels(self._rule(rule)).inc()

    def alert(self, rule: str, severity: str, status: str, echo: bool = False) -> None:
        self.alerts.labels(self._rule(rule), self._severity(severity), self._status(status)).inc()
        if echo and status == "firing":
            self.alert_echoes.labels(self._rule(rule)).inc()

    def latency(self, kind: str, seconds: float) -> None:
        self.alert_latency.labels(self._latency_kind(kind)).observe(max(0.0, seconds))

    def notification(self, receiver: str, outcome: str) -> None:
        self.notifications.labels(self._receiver(receiver), self._outcome(outcome)).inc()

    # --- state --------------------------------------------------------------
    def set_retry_queue_depth(self, n: int) -> None:
        self.retry_queue.set(n)

    def set_consumer_lag(self, topic: str, partition: int, lag: int) -> None:
        self.consumer_lag.labels(self._topic(topic), str(int(partition))).set(max(0, lag))

    def set_table_size(self, table: str, n: int) -> None:
        self.table_entries.labels(self._table(table)).set(n)

    def set_top_anomalies(self, kind: str, ranking: list[tuple[str, float]]) -> None:
        """Keep the best ``TOP_N`` of ``ranking``; scores by rank here, ids only in ``top_anomalies``."""
        if kind not in TOP_KINDS:
            raise ValueError(f"kind must be one of {TOP_KINDS}, not {kind!r}")
        best = sorted(ranking, key=lambda pair: pair[1], reverse=True)[:TOP_N]
        for rank in range(len(best) + 1, len(self._top[kind]) + 1):
            self.top_anomaly.remove(kind, str(rank))
        for rank, (_, score) in enumerate(best, start=1):
            self.top_anomaly.labels(kind, str(rank)).set(score)
        self._top[kind] = [(str(key), float(score)) for key, score in best]

    def top_anomalies(self) -> dict[str, list[dict[str, object]]]:
        """The JSON body of ``GET /top``: ids and scores per kind, best first."""
        return {
            kind: [{"rank": rank, "id": key, "score": score} for rank, (key, score) in enumerate(pairs, start=1)]
            for kind, pairs in self._top.items()
        }

    # --- exposition ---------------------------------------------------------
    def render(self) -> tuple[bytes, str]:
        """Text exposition; declared as format 0.0.4, which every Prometheus 2.x and 3.x scrapes."""
        return generate_latest(self.registry), CONTENT_TYPE_PLAIN_0_0_4

    def metric_names(self) -> set[str]:
        """Every sample name this registry can expose, e.g. ``voc_events_in_total`` or ``..._bucket``."""
        suffixes_by_type = {
            "counter": ("_total", "_created"),
            "histogram": ("_bucket", "_count", "_sum", "_created"),
            "summary": ("_count", "_sum", "_created"),
        }
        names: set[str] = set()
        for family in self.registry.collect():
            suffixes = suffixes_by_type.get(family.type)
            if suffixes:
                names.update(family.name + suffix for suffix in suffixes)
            else:
                names.add(family.name)
            names.update(sample.name for sample in family.samples)
        return names
