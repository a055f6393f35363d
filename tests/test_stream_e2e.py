"""The whole path on a real broker: raw events in, dead letters and alerts out, a webhook called."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.streams import (
    INVALID_MESSAGES,
    INVALID_REASONS,
    START,
    WARM_HOURS,
    alerts_in,
    city_burst,
    consume_until,
    escalation_trail,
    fraud_burst,
    history,
)
from voc_stream.alerts import Alert
from voc_stream.backtest import run_backtest
from voc_stream.produce import produce

pytestmark = pytest.mark.broker


class AlertReceiver:
    """A generic JSON webhook on loopback that accepts only contract-valid alerts."""

    def __init__(self) -> None:
        self.alerts: list[Alert] = []
        self.rejected: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    receiver.alerts.append(Alert.model_validate_json(body))
                    self.send_response(200)
                except ValueError as exc:
                    receiver.rejected.append(str(exc))
                    self.send_response(400)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self) -> "AlertReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _has_fraud_alert(merchant: str):
    def done(messages) -> bool:
        return any(a["rule"] == "fraud_pattern" and a["subject"].get("merchant_id") == merchant for a in alerts_in(messages))

    return done


def test_fraud_burst_alerts_and_invalid_messages_are_dead_lettered(broker, worker_factory):
    events = history(hours=WARM_HOURS, per_hour=40, merchant="M-RING") + fraud_burst(
        "M-RING", count=6, at=START + timedelta(hours=WARM_HOURS)
    )
    with AlertReceiver() as receiver:
        worker = worker_factory(env={"VOC_ALERT_WEBHOOK_URL": receiver.url}).start()
        payload = [json.dumps(e, ensure_ascii=False).encode() for e in events[:600]]
        payload += INVALID_MESSAGES + [json.dumps(e, ensure_ascii=False).encode() for e in events[600:]]
        asyncio.run(produce(broker.servers, worker.topic("raw"), payload))

        alerts = alerts_in(asyncio.run(consume_until(broker.servers, worker.topic("alerts"), _has_fraud_alert("M-RING"), 120)))
        dead = asyncio.run(
            consume_until(broker.servers, worker.topic("deadletter"), lambda m: len(m) >= len(INVALID_MESSAGES), 60)
        )
        fraud = [a for a in alerts if a["rule"] == "fraud_pattern" and a["subject"].get("merchant_id") == "M-RING"]
        assert fraud, f"no fraud_pattern alert for M-RING; alerts: {alerts}\n{worker.log()}"
        alert = fraud[0]
        assert alert["status"] == "firing"
        assert alert["observed"] >= 3 and alert["expected"] < alert["observed"]
        assert alert["samples"] and all("1391234" not in s for s in alert["samples"]), "phone numbers must be masked"
        assert alert["runbook_url"].endswith("fraud_pattern.md")

        # The dead-letter topic keeps the original bytes and says why.
        assert sorted(m.value for m in dead) == sorted(INVALID_MESSAGES)
        reasons = {dict(m.headers)["voc-reason"].decode() for m in dead}
        assert reasons == set(INVALID_REASONS)

        # The webhook receiver got the same incident, contract-valid.
        deadline = asyncio.run(_wait_for(lambda: any(a.alert_id == alert["alert_id"] for a in receiver.alerts), 30))
        assert deadline, f"webhook never received {alert['alert_id']}; rejected: {receiver.rejected}"
        assert not receiver.rejected
        # Delivered alerts are acknowledged: the notifier's committed offset reaches the end of the topic.
        committed = asyncio.run(_wait_for(lambda: _alerts_fully_committed(broker, worker), 30))
        assert committed, f"the notifier never committed every delivered alert\n{worker.log()}"
        # The worker is still running after the bad input.
        assert worker.process.poll() is None
        metrics = worker.metrics()
        assert 'voc_events_invalid_total{reason="bad_json"} 1.0' in metrics


def _alerts_fully_committed(broker, worker) -> bool:
    """Committed offsets of the worker's consumer group have reached the end offsets of its alert topic."""
    from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

    admin = KafkaAdminClient(bootstrap_servers=broker.servers)
    reader = KafkaConsumer(bootstrap_servers=broker.servers)
    try:
        partitions = [TopicPartition(worker.topic("alerts"), p) for p in reader.partitions_for_topic(worker.topic("alerts"))]
        ends = reader.end_offsets(partitions)
        committed = admin.list_group_offsets({worker.app_id: partitions}).get(worker.app_id, {})
        # At or past the end (Faust may commit one past the last offset); never behind it.
        return all(ends[tp] == 0 or (tp in committed and committed[tp].offset >= ends[tp]) for tp in partitions)
    finally:
        reader.close()
        admin.close()


async def _wait_for(predicate, timeout: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.2)
    return predicate()


def resolved_in(alerts: list[dict], alert_id: str) -> bool:
    return any(a["alert_id"] == alert_id and a["status"] == "resolved" for a in alerts)


def _fraud_threshold() -> int:
    from voc_stream.rules import RulesConfig, load_rules
    from voc_stream.settings import default_config_dir

    path = default_config_dir() / "rules.yaml"
    rule = (load_rules(path) if path.exists() else RulesConfig()).fraud_pattern
    return max(rule.min_count, rule.min_distinct_customers)


def test_restarted_worker_keeps_its_counts(broker, worker_factory):
    """Fraud complaints before a restart and after it: only together do they reach the threshold."""
    merchant = "M-RESTART"
    need = _fraud_threshold()
    half = need - 1  # each side alone stays below the threshold
    burst = fraud_burst(merchant, count=2 * half, at=START + timedelta(hours=WARM_HOURS), every_minutes=1.0, prefix="r")
    before = history(hours=WARM_HOURS, per_hour=40, seed=3, merchant=merchant) + burst[:half]
    after = burst[half:]
    worker = worker_factory(partitions=2).start()
    asyncio.run(produce(broker.servers, worker.topic("raw"), before))
    # Wait until everything before the restart was counted.
    assert asyncio.run(_wait_for(lambda: worker.metric_total("voc_events_in_total") >= len(before), 120)), worker.log()
    alerts = alerts_in(asyncio.run(consume_until(broker.servers, worker.topic("alerts"), lambda m: False, 3)))
    assert not [a for a in alerts if a["subject"].get("merchant_id") == merchant], "fired before the threshold"

    worker.stop()
    worker.start()
    asyncio.run(produce(broker.servers, worker.topic("raw"), after))
    alerts = alerts_in(asyncio.run(consume_until(broker.servers, worker.topic("alerts"), _has_fraud_alert(merchant), 120)))
    fraud = [a for a in alerts if a["subject"].get("merchant_id") == merchant]
    assert fraud, f"the restarted worker lost its counts; alerts: {alerts}\n{worker.log()}"
    # More complaints than were sent after the restart: the ones before it were remembered.
    assert fraud[0]["observed"] > len(after)

    # Restarted again with the incident open: a new process knows it only from the changelog, and
    # must still resolve it once the clock moves on with no complaints about that merchant.
    alert_id = fraud[0]["alert_id"]
    worker.stop()
    worker.start()
    quiet = history(hours=2.5, per_hour=40, seed=4, start=START + timedelta(hours=WARM_HOURS + 1), prefix="q")
    asyncio.run(produce(broker.servers, worker.topic("raw"), quiet))
    alerts = alerts_in(
        asyncio.run(consume_until(broker.servers, worker.topic("alerts"), lambda m: resolved_in(alerts_in(m), alert_id), 120))
    )
    assert resolved_in(alerts, alert_id), f"the open incident never resolved after the restart\n{worker.log()}"


def test_backtest_gives_the_same_alerts_as_the_stream(broker, worker_factory, tmp_path):
    events = (
        history(hours=WARM_HOURS, per_hour=40, seed=5, merchant="M-SAME")
        + fraud_burst("M-SAME", count=7, at=START + timedelta(hours=WARM_HOURS), prefix="s")
        + history(hours=2, per_hour=40, seed=6, start=START + timedelta(hours=WARM_HOURS, minutes=30), prefix="t")
        + escalation_trail("c-ESC", START + timedelta(hours=3), START + timedelta(hours=WARM_HOURS + 1))
    )
    events.sort(key=lambda e: e["ts"])
    expected = [a.to_dict() for a in run_backtest(events)]
    firing = [a for a in expected if a["status"] == "firing"]
    assert any(a["subject"].get("merchant_id") == "M-SAME" for a in firing)
    assert any(a["subject"] == {"customer_id": "c-ESC"} for a in firing)

    worker = worker_factory(partitions=1).start()
    asyncio.run(produce(broker.servers, worker.topic("raw"), events))
    got = alerts_in(
        asyncio.run(
            consume_until(
                broker.servers,
                worker.topic("alerts"),
                lambda m: len([a for a in alerts_in(m) if a["status"] == "firing"]) >= len(firing),
                120,
            )
        )
    )
    streamed_firing = [a for a in got if a["status"] == "firing"]
    assert streamed_firing == firing
    # Resolutions depend on when the worker's clock ticks, but never on anything else.
    for alert in got:
        if alert["status"] == "resolved":
            assert alert in expected


def test_an_echo_is_linked_as_in_backtest_and_pages_nobody(broker, worker_factory):
    """广州's angry posts lift 广东's 服务态度差 first, then 广州's negatives: one incident, one page."""
    hours = 60  # negative_burst learns two days of its rhythm before it may fire
    events = history(hours=hours, per_hour=40, seed=5) + city_burst("广州", "广东", 40, START + timedelta(hours=hours - 3))
    events.sort(key=lambda e: e["ts"])
    expected = [a.to_dict() for a in run_backtest(events) if a.rule != "emerging_term"]
    firing = [a for a in expected if a["status"] == "firing"]
    echoes = {a["alert_id"] for a in firing if a["related_to"]}
    assert echoes and any(not a["related_to"] for a in firing)

    with AlertReceiver() as receiver:
        worker = worker_factory(partitions=1, env={"VOC_ALERT_WEBHOOK_URL": receiver.url}).start()
        asyncio.run(produce(broker.servers, worker.topic("raw"), events))
        got = alerts_in(asyncio.run(consume_until(
            broker.servers, worker.topic("alerts"),
            lambda m: len([a for a in alerts_in(m) if a["status"] == "firing" and a["rule"] != "emerging_term"])
            >= len(firing), 120)))
        streamed = [a for a in got if a["status"] == "firing" and a["rule"] != "emerging_term"]
        assert streamed == firing
        paged = {a["alert_id"] for a in firing if not a["related_to"]}
        assert asyncio.run(_wait_for(lambda: paged <= {a.alert_id for a in receiver.alerts}, 30))
        assert asyncio.run(_wait_for(lambda: _alerts_fully_committed(broker, worker), 30)), worker.log()
        assert not echoes & {a.alert_id for a in receiver.alerts}, "an echo reached the webhook"
