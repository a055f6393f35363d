"""The Faust wiring: topics, tables and agents. Thin on purpose: every decision is in ``voc_stream``.

    voc.feedback.raw --enrich--> voc.feedback.enriched --route--> voc.detect.routed --detect--> voc.detect.alerts
            \\--invalid--> voc.deadletter
    voc.detect.alerts (one partition) --link_echoes--> voc.alerts --notify--> receivers

- enrich: parse and validate, mask, tokenize, score sentiment, match lexicons (keyed by event_id).
- route: drop repeated event_ids (table ``seen-event-ids``), stamp the stream's volume lift
  (``VolumeLifts``, saved in table ``stream-meta``), fan out to detector keys
  (one message per partition of ``voc.detect.routed``, listing that partition's keys).
- detect: one ``KeyState`` per key in table ``detector-state`` (changelog-backed), rules fire here.
- link_echoes: every alert passes one partition, where ``EchoLinker`` links an alert driven by a place
  to the open alert about that place (table ``open-alerts``), then on to ``voc.alerts``.
- notify: route alerts to receivers, remember deliveries (table ``delivered-notifications``);
  alerts are delivered concurrently, in order per incident, and acknowledged once delivered.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import faust
from aiokafka.partitioner import murmur2

from voc_stream.alerts import Alert
from voc_stream.batched_store import BatchedStore
from voc_stream.detectors.volume import VolumeLifts
from voc_stream.echoes import EchoLinker
from voc_stream.enrich import EnrichedEvent
from voc_stream.events import InvalidEvent, parse_event
from voc_stream.metrics import Metrics
from voc_stream.service import Components, Deduper, load_components
from voc_stream import state_codec
from voc_stream.settings import Settings
from voc_stream.web import Readiness

log = logging.getLogger("voc_stream.worker")

TICK_KEY = b"__tick__"
TICK_SECONDS = 5.0
HOUSEKEEPING_SECONDS = 15.0
EXPIRY_SECONDS = 600.0
SHUTDOWN_DRAIN_SECONDS = 5.0  # alert deliveries under way get this long to finish on shutdown
ENRICH_BATCH = 200
DETECT_BATCH = 500


def partition_of(key: str, partitions: int) -> int:
    """The partition the producer's default partitioner gives ``key`` (murmur2, as Kafka's Java client)."""
    return (murmur2(key.encode("utf-8")) & 0x7FFFFFFF) % partitions


def deadletter_headers(exc: InvalidEvent, topic: str, partition: int, offset: int) -> dict[str, bytes]:
    return {
        "voc-reason": exc.reason.encode(),
        "voc-detail": exc.detail[:1000].encode("utf-8"),
        "voc-source": f"{topic}/{partition}/{offset}".encode(),
    }


def build_app(
    settings: Settings | None = None,
    components: Components | None = None,
    metrics: Metrics | None = None,
    readiness: Readiness | None = None,
    dispatcher: Any = None,
) -> faust.App:
    """A Faust app for one worker process; nothing happens until it is started."""
    settings = settings or Settings()
    components = components or load_components(settings)
    metrics = metrics or Metrics(categories=[c.name for c in components.analyzer.lexicon.categories])
    readiness = readiness or Readiness()
    partitions = settings.partitions

    app = faust.App(
        settings.app_id,
        broker=settings.broker,
        store="memory://",
        datadir=str(settings.data_dir),
        topic_partitions=partitions,
        topic_replication_factor=settings.replication,
        key_serializer="raw",
        value_serializer="raw",
        web_enabled=settings.web_port > 0,
        web_port=settings.web_port or 6066,  # Faust checks the port even when the web server is off (0)
        web_bind=settings.web_host,
        web_host="127.0.0.1",
        table_standby_replicas=0,
        broker_session_timeout=settings.session_timeout_seconds,
        broker_heartbeat_interval=settings.heartbeat_seconds,
        broker_rebalance_timeout=settings.rebalance_timeout_seconds,
        broker_commit_every=200,
        broker_commit_interval=1.0,
        stream_wait_empty=False,
        producer_linger_ms=5,
        # Detector state is written to its changelog at every change: zstd writes about a quarter of the bytes (BENCHMARKS.md).
        producer_compression_type=None if settings.producer_compression == "none" else settings.producer_compression,
    )
    app.voc_settings = settings  # type: ignore[attr-defined]
    app.voc_metrics = metrics  # type: ignore[attr-defined]
    app.voc_readiness = readiness  # type: ignore[attr-defined]

    raw_topic = app.topic(settings.topic_raw, partitions=partitions)
    enriched_topic = app.topic(settings.topic_enriched, partitions=partitions)
    routed_topic = app.topic(settings.topic_routed, partitions=partitions)
    detected_topic = app.topic(settings.topic_detected, partitions=1)
    alerts_topic = app.topic(settings.topic_alerts, partitions=partitions)
    deadletter_topic = app.topic(settings.topic_deadletter, partitions=partitions)

    def table(name: str, value_serializer: str, key_serializer: str = "json", by_key: bool = False,
              table_partitions: int = partitions) -> faust.Table:
        # by_key: the changelog partition comes from the key itself (murmur2 of its UTF-8 bytes,
        # as for the routed topic), so the table can be written outside one event's context.
        created = app.Table(name, partitions=table_partitions, key_type=str, use_partitioner=by_key)
        # Faust derives serializers from model types; set ours before the store and changelog exist.
        created.key_serializer = key_serializer
        created.value_serializer = value_serializer
        created.changelog_topic = created._new_changelog_topic()  # noqa: SLF001 - rebuilt with our serializers
        return created

    seen_table = table("seen-event-ids", "json", key_serializer="raw", by_key=True)
    state_table = table("detector-state", state_codec.register(), key_serializer="raw", by_key=True)
    delivered_table = table("delivered-notifications", "json")
    meta_table = table("stream-meta", "json")
    open_alerts_table = table("open-alerts", "json", table_partitions=1)

    state_store = BatchedStore(state_table)
    engine = components.engine(state_store)
    deduper = Deduper(seen_table, settings.dedup_retention_hours * 3600)
    watermark = {"ts": 0.0}  # newest event time this worker has seen, any partition
    # Newest event time per routed partition: a tick may only move a partition's keys to
    # its own clock, or a partition running ahead would resolve incidents on one lagging
    # behind while their events are still arriving (and they would fire again).
    partition_clock: dict[int, float] = {}

    @app.agent(raw_topic)
    async def enrich(stream: faust.StreamT) -> None:
        async for batch in stream.take_events(ENRICH_BATCH, within=0.2):
            valid = []
            for event in batch:
                message = event.message
                try:
                    valid.append(parse_event(event.value))
                except InvalidEvent as exc:
                    metrics.event_invalid(exc.reason)
                    await deadletter_topic.send(
                        key=message.key,
                        value=event.value,
                        headers=deadletter_headers(exc, message.topic, message.partition, message.offset),
                    )
            if not valid:
                continue
            started = time.perf_counter()
            enriched = components.enricher.enrich_many(valid)
            elapsed = (time.perf_counter() - started) / len(valid)
            for item in enriched:
                metrics.enrich_seconds(elapsed)
                metrics.event_in(item.channel, item.visibility)
                metrics.sentiment(item.channel, item.negative)
                for category in item.categories:
                    metrics.mention(category, item.region, item.negative)
                metrics.last_event_timestamp()
                await enriched_topic.send(key=item.event_id.encode("utf-8"), value=item.to_json())

    @app.agent(enriched_topic)
    async def route(stream: faust.StreamT) -> None:
        async for event in stream.events():
            item = EnrichedEvent.from_json(event.value)
            if not deduper.first_time(item.event_id, item.ts):
                metrics.event_duplicate()
                continue
            start_key = f"stream-start/{event.message.partition}"
            stream_start = meta_table.get(start_key)
            if stream_start is None:
                stream_start = meta_table[start_key] = item.ts
            item.stream_start = stream_start
            item.volume_lift = volumes.observe(event.message.partition, item.ts)
            # One message per target partition with all its keys, not one per key:
            # each key still lives on exactly one partition, in order.
            by_partition: dict[int, list[str]] = {}
            for key in engine.route(item):
                by_partition.setdefault(partition_of(key, partitions), []).append(key)
            event_json = item.to_dict()
            for partition, keys in by_partition.items():
                body = json.dumps({"keys": keys, "event": event_json}, ensure_ascii=False).encode("utf-8")
                await routed_topic.send(key=None, value=body, partition=partition)

    # How busy the stream is against its usual: one tracker per enriched partition (each sees an
    # even share of the events), kept in the meta table so a restart goes on reading it.
    volumes = VolumeLifts(meta_table, components.volume_lift)

    @app.on_partitions_revoked.connect
    async def _forget_volumes(sender: Any, *args: Any, **kwargs: Any) -> None:
        """A partition may move to another worker and back: read its tracker from the table again."""
        volumes.forget()

    open_subjects = OpenIncidents()

    @app.agent(routed_topic)
    async def detect(stream: faust.StreamT) -> None:
        async for batch in stream.take_events(DETECT_BATCH, within=0.05):
            for event in batch:
                for alert in _detect_one(event):
                    await detected_topic.send(key=alert.alert_id.encode(), value=alert.to_json().encode("utf-8"))
            state_store.flush()  # one changelog write per key touched in the batch

    echoes = EchoLinker(open_alerts_table)

    @app.agent(detected_topic)
    async def link_echoes(stream: faust.StreamT) -> None:
        async for event in stream.events():
            alert = echoes.link(Alert.model_validate_json(event.value))
            metrics.alert(alert.rule, alert.severity, alert.status, echo=alert.related_to is not None)
            open_subjects.update(alert)
            await alerts_topic.send(key=alert.alert_id.encode(), value=alert.to_json().encode("utf-8"))

    def _detect_one(event: Any) -> list[Alert]:
        partition = event.message.partition
        if event.key == TICK_KEY:
            now = partition_clock.get(partition)
            if now is None:
                return []
            keys = [k for k in _open_keys() if partition_of(k, partitions) == partition]
            return engine.tick(now, keys)
        payload = json.loads(event.value)
        item = EnrichedEvent.from_dict(payload["event"])
        watermark["ts"] = max(watermark["ts"], item.ts)
        partition_clock[partition] = max(partition_clock.get(partition, 0.0), item.ts)
        alerts: list[Alert] = []
        for key in payload["keys"]:
            alerts.extend(engine.observe(key, item))
            metrics.evaluation(key.split("|", 1)[0])
        for _ in alerts:
            metrics.latency("event_time", max(0.0, time.time() - item.ts))
            if item.ingest_ts:
                metrics.latency("ingest", max(0.0, time.time() - item.ingest_ts))
        return alerts

    indexed_for: dict[str, frozenset[int] | None] = {"partitions": None}

    def _open_keys() -> set[str]:
        """Keys with an open incident. The engine tracks them as events and ticks change them; state
        recovered from the changelog never passed through it, so after every change of assignment
        the index is rebuilt from the table once (ticks are handled only after recovery)."""
        assigned = frozenset(tp.partition for tp in app.consumer.assignment() if tp.topic == settings.topic_routed)
        if assigned != indexed_for["partitions"]:
            engine.open_keys = {k for k, v in state_store.items() if v is not None and v.has_open_incident}
            indexed_for["partitions"] = assigned
        return engine.open_keys

    @app.timer(TICK_SECONDS)
    async def tick() -> None:
        """Let quiet incidents resolve even when their keys see no new events."""
        if not watermark["ts"]:
            return
        body = json.dumps({"now": watermark["ts"]}).encode()
        for tp in app.consumer.assignment():
            if tp.topic == settings.topic_routed:
                await routed_topic.send(key=TICK_KEY, value=body, partition=tp.partition)

    @app.timer(HOUSEKEEPING_SECONDS)
    async def housekeeping() -> None:
        metrics.set_table_size("detector-state", len(state_table))
        metrics.set_table_size("seen-event-ids", len(seen_table))
        metrics.set_table_size("delivered-notifications", len(delivered_table))
        for kind in ("store", "merchant"):
            metrics.set_top_anomalies(kind, open_subjects.ranking(kind))
        if dispatcher is not None:
            metrics.set_retry_queue_depth(dispatcher.pending)
        _report_lag(app, metrics)

    @app.timer(EXPIRY_SECONDS)
    async def expire_old_state() -> None:
        """Forget event ids past their retention and keys silent for long, so state does not grow forever."""
        if watermark["ts"]:
            deduper.expire(watermark["ts"])
        forget_after = components.rules_config.forget_after_days * 86400
        forgotten = 0
        keys_of: dict[int, list[str]] = {}
        for key in state_store:  # one pass over the keys, each judged by its own partition's clock
            keys_of.setdefault(partition_of(key, partitions), []).append(key)
        for partition, clock in list(partition_clock.items()):
            forgotten += engine.forget(clock, forget_after, keys_of.get(partition, ()))
        state_store.flush()
        if forgotten:
            log.info("forgot %d detector keys silent for over %g days", forgotten, components.rules_config.forget_after_days)

    if settings.notify:
        dispatcher = _add_notifier(app, alerts_topic, delivered_table, metrics, components, settings, dispatcher)

    @app.timer(1.0)
    async def update_readiness() -> None:
        """Ready once the tables are restored from their changelogs and no rebalance is under way."""
        recovery = app.tables.recovery
        readiness.mark_tables_recovered(recovery.completed.is_set() and not recovery.in_recovery and not app.rebalancing)
        readiness.mark_consumer_running(app.consumer is not None and bool(app.consumer.assignment()))

    _add_pages(app, metrics, readiness, engine)
    return app


class OpenIncidents:
    """Stores and merchants with an open incident, strongest first (for /top; kept by the worker that links echoes)."""

    def __init__(self, size: int = 10) -> None:
        self.size = size
        self.scores: dict[str, dict[str, tuple[float, float]]] = {"store": {}, "merchant": {}}

    def update(self, alert: Alert) -> None:
        for kind, field in (("store", "store_id"), ("merchant", "merchant_id")):
            subject = alert.subject.get(field)
            if subject is None:
                continue
            if alert.status == "resolved":
                self.scores[kind].pop(subject, None)
            else:
                ratio = alert.observed / alert.expected if alert.expected else alert.observed
                self.scores[kind][subject] = (alert.score, ratio)

    def ranking(self, kind: str) -> list[tuple[str, float]]:
        ranked = sorted(self.scores[kind].items(), key=lambda item: item[1], reverse=True)[: self.size]
        return [(subject, score) for subject, (score, _) in ranked]


def _add_notifier(app, alerts_topic, delivered_table, metrics, components, settings, dispatcher) -> Any:
    from voc_stream.notify import build_dispatcher, load_routing
    from voc_stream.notify.pipeline import DeliveryPipeline

    if dispatcher is None:
        routing = load_routing(settings.config_dir / "routing.yaml")
        dispatcher = build_dispatcher(routing, delivered=delivered_table, on_result=metrics.notification)
    else:
        dispatcher.delivered = delivered_table

    pipeline = DeliveryPipeline(dispatcher.dispatch)

    @app.agent(alerts_topic)
    async def notify(stream: faust.StreamT) -> None:
        # Acknowledged only once delivered (see DeliveryPipeline): a crash mid-delivery redelivers.
        manual = stream.noack()
        async for event in manual.events():
            try:
                alert = Alert.model_validate_json(event.value)
            except ValueError as exc:
                log.error("unreadable alert on %s: %s", event.message.topic, exc)
                await manual.ack(event)
                continue
            await pipeline.submit(alert, lambda event=event: manual.ack(event))

    @app.on_before_shutdown.connect
    async def _close(sender: Any, **kwargs: Any) -> None:
        try:
            await asyncio.wait_for(pipeline.drain(), timeout=SHUTDOWN_DRAIN_SECONDS)
        except asyncio.TimeoutError:
            log.warning("%d alert deliveries unfinished at shutdown; they will be redelivered", pipeline.in_flight)
            await pipeline.cancel()
        await dispatcher.close()

    return dispatcher


def _report_lag(app: faust.App, metrics: Metrics) -> None:
    consumer = app.consumer
    for tp in consumer.assignment():
        try:
            highwater = consumer.highwater(tp)
            position = consumer._read_offset.get(tp)  # noqa: SLF001 - Faust keeps no public read position
        except Exception:  # lag is best effort; never let a metric stop the worker
            continue
        if highwater is not None and position is not None:
            metrics.set_consumer_lag(tp.topic, tp.partition, max(0, highwater - position - 1))


def _add_pages(app: faust.App, metrics: Metrics, readiness: Readiness, engine: Any) -> None:
    @app.page("/metrics")
    async def metrics_page(web: Any, request: Any) -> Any:
        body, content_type = metrics.render()
        return web.bytes(body, content_type=content_type.split(";")[0])

    @app.page("/healthz")
    async def healthz(web: Any, request: Any) -> Any:
        return web.json({"status": "ok"})

    @app.page("/readyz")
    async def readyz(web: Any, request: Any) -> Any:
        reasons = readiness.reasons()
        return web.json({"ready": not reasons, "reasons": reasons}, status=200 if not reasons else 503)

    @app.page("/top")
    async def top(web: Any, request: Any) -> Any:
        return web.json(metrics.top_anomalies())


async def _sleep_forever() -> None:  # pragma: no cover - used by the CLI only
    while True:
        await asyncio.sleep(3600)
