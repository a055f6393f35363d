"""``voc-stream demo``: broker, worker and a generated stream on one machine; alerts shown as they fire.

The worker runs as a real ``voc-stream worker`` process against the embedded
broker, exactly as in production; this process only produces the generated
stream, reads ``voc.alerts`` and prints what arrives.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from aiokafka import AIOKafkaConsumer

from voc_stream.alerts import Alert
from voc_stream.broker import EmbeddedBroker, ensure_topics, free_port
from voc_stream.produce import produce
from voc_stream.settings import Settings
from voc_stream.worker_process import WorkerProcess


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def demo_worker(broker: EmbeddedBroker, workdir: Path, partitions: int) -> WorkerProcess:
    """A worker for the demo's broker, with its state and log in the demo's folder."""
    env = {
        **os.environ,
        "VOC_BROKER": broker.url,
        "VOC_PARTITIONS": str(partitions),
        "VOC_WEB_HOST": "127.0.0.1",
        "VOC_DATA_DIR": str(workdir / "worker-data"),
        "VOC_APP_ID": f"voc-demo-{os.getpid()}",
    }
    port = free_port()
    env["VOC_WEB_PORT"] = str(port)
    return WorkerProcess(env, workdir / "worker.log", port)


def worker_progress(worker: WorkerProcess) -> tuple[int, int]:
    """(events read, rule evaluations done) from the worker's own /metrics."""
    events = worker.metric_total("voc_events_in_total", "voc_events_invalid_total")
    return int(events), int(worker.metric_total("voc_rule_evaluations_total"))


def _render(alert: Alert) -> str:
    from voc_stream.notify.console import ConsoleNotifier

    return ConsoleNotifier("demo", stream=sys.stdout).render(alert)


async def _show_alerts(servers: str, topic: str, seen: list[Alert], stop: asyncio.Event) -> None:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=servers, auto_offset_reset="earliest", group_id=None)
    await consumer.start()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=300)
            for records in batch.values():
                for record in records:
                    alert = Alert.model_validate_json(record.value)
                    seen.append(alert)
                    print(_render(alert), flush=True)
                    print(flush=True)
    finally:
        await consumer.stop()


async def _run(stream, broker: EmbeddedBroker, worker: WorkerProcess, settings: Settings, rate: float, keep_running: bool) -> list[Alert]:
    seen: list[Alert] = []
    stop = asyncio.Event()
    watcher = asyncio.create_task(_show_alerts(broker.servers, settings.topic_alerts, seen, stop))
    total = len(stream.events)
    state = {"sent": 0}

    def progress(sent: int) -> None:
        state["sent"] = sent

    sender = asyncio.create_task(
        produce(broker.servers, settings.topic_raw, stream.events, rate=rate, progress=progress, progress_every=200)
    )
    last_line = 0.0
    idle_since = None
    activity_at_idle = None
    while True:
        await asyncio.sleep(0.5)
        counted, evaluations = await asyncio.to_thread(worker_progress, worker)
        now = time.monotonic()
        if now - last_line > 3:
            sent = state["sent"]
            ts = stream.events[min(sent, total) - 1]["ts"][5:16].replace("T", " ") if sent else "-"
            _say(
                f"· sent {sent:,}/{total:,} events (simulated time {ts}) · worker read {counted:,}, "
                f"made {evaluations:,} rule evaluations · alerts {len(seen)}"
            )
            last_line = now
        if sender.done() and counted >= total:
            # Done once the detectors have been idle for a while (the fan-out trails the reading).
            activity = (evaluations, len(seen))
            if activity != activity_at_idle:
                idle_since, activity_at_idle = now, activity
            elif now - idle_since > 8 and not keep_running:
                break
    sender.result()
    stop.set()
    await watcher
    return seen


def run_demo(rate: float = 800.0, seed: int = 7, partitions: int = 1, keep_running: bool = False) -> int:
    from voc_stream.simulate import ScenarioSpec, generate

    spec = ScenarioSpec.demo()
    stream = generate(spec, seed=seed)
    _say(
        f"voc-stream demo: {len(stream.events):,} generated feedback events over {spec.days:g} simulated days, "
        f"{len(stream.incidents)} incidents hidden in the last hours:"
    )
    for incident in stream.incidents:
        subject = " ".join(f"{k}={v}" for k, v in incident.subject.items())
        _say(f"  - {incident.rule:<15} {subject}  from {incident.start:%m-%d %H:%M}  ({incident.description})")
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="voc-demo-") as tmp:
        workdir = Path(tmp)
        broker = EmbeddedBroker(log_path=workdir / "broker.log").start()
        stack.callback(broker.stop)
        settings = Settings(broker=broker.url, partitions=partitions)
        _say(f"broker: Tansu at {broker.url} (memory storage)")
        ensure_topics(broker.servers, settings.topic_partitions)
        worker = demo_worker(broker, workdir, partitions)
        stack.callback(worker.stop)
        _say("worker: starting (loading jieba, the sentiment model and the lexicons; joining the consumer group)…")
        worker.start()
        _say(f"worker: ready; metrics at http://127.0.0.1:{worker.web_port}/metrics · log {worker.log_path}")
        _say(f"sending the stream at up to {rate:g} events/s; alerts appear below as they fire (Ctrl-C stops)\n")
        try:
            seen = asyncio.run(_run(stream, broker, worker, settings, rate, keep_running))
        except KeyboardInterrupt:
            _say("\nstopping…")
            return 130
        _summary(stream, seen)
    return 0


def _summary(stream, seen: list[Alert]) -> None:
    """Which hidden incidents were caught, how fast, and what else fired."""
    from voc_stream.simulate.scoring import score

    result = score(seen, stream.incidents, days=stream.spec.days, decoys=stream.decoys)
    # Every hidden incident, the escalation too (``overall`` counts only the rate rules' incidents).
    _say(f"\ndone: {len(seen)} alert messages. Hidden incidents caught: {len(result.detected_by)}/{len(stream.incidents)}")
    for index, incident in enumerate(stream.incidents):
        subject = " ".join(f"{k}={v}" for k, v in incident.subject.items())
        if index in result.detected_by:
            alert, minutes = result.detected_by[index]
            _say(f"  ✔ {incident.rule:<15} {subject}: alert {alert.alert_id} {minutes:.0f} min after it began")
        else:
            _say(f"  ✘ {incident.rule:<15} {subject}: not caught")
    if result.false_alerts:
        _say(f"  other alerts (no hidden incident behind them): {len(result.false_alerts)}")
