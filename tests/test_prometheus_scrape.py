"""End to end: a real Prometheus scrapes a real worker that reads events from the broker.

The scrape config and the alert rules are the ones in deploy/prometheus/, with
the target pointed at the test worker and a 1 s scrape interval.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from voc_stream.broker import free_port, wait_for_port
from voc_stream.metrics import Metrics
from voc_stream.web import Readiness, start_http

ROOT = Path(__file__).resolve().parents[1]
DEPLOYED_CONFIG = ROOT / "deploy" / "prometheus" / "prometheus.yml"
CHANNELS = ("weibo", "hotline", "dianping")
COMPLAINT = "刹车异响很严重,4S店说是正常现象"
PRAISE = "客服态度很好,问题很快解决了"


def prometheus_config(target: str) -> dict:
    """The deployed config, scraping ``target`` every second, without Alertmanager."""
    config = yaml.safe_load(DEPLOYED_CONFIG.read_text(encoding="utf-8"))
    config["global"].update(scrape_interval="1s", evaluation_interval="1s")
    config.pop("alerting", None)
    config["rule_files"] = [str(DEPLOYED_CONFIG.parent / pattern) for pattern in config["rule_files"]]
    jobs = [job for job in config["scrape_configs"] if job["job_name"] == "voc-stream"]
    jobs[0]["static_configs"] = [{"targets": [target]}]
    config["scrape_configs"] = jobs
    return config


@pytest.fixture
def prometheus_factory(tmp_path: Path):
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("prometheus is not installed (apt-get install -y prometheus)")
    started: list[subprocess.Popen[bytes]] = []

    def start(target: str) -> str:
        config_path = tmp_path / "prometheus.yml"
        config_path.write_text(yaml.safe_dump(prometheus_config(target)), encoding="utf-8")
        port = free_port()
        log = open(tmp_path / "prometheus.log", "wb")
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={config_path}",
                f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        started.append(process)
        wait_for_port("127.0.0.1", port, timeout=30)
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(base, process)
        return base

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Prometheus listens before it serves queries: /-/ready answers 503 until the TSDB is open."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "prometheus exited"
        try:
            with urllib.request.urlopen(f"{base}/-/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"prometheus at {base} not ready after {timeout}s")


def api(base: str, path: str, **params: str) -> dict:
    url = f"{base}/api/v1/{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.loads(response.read())
    assert body["status"] == "success", body
    return body["data"]


def query(base: str, expr: str) -> dict[str, float]:
    """Instant query; result as {label set as JSON: value}."""
    data = api(base, "query", query=expr)
    return {labels(**row["metric"]): float(row["value"][1]) for row in data["result"]}


def labels(**pairs: str) -> str:
    """A label set as a comparable key."""
    return json.dumps(pairs, ensure_ascii=False, sort_keys=True)


def wait_for(base: str, expr: str, expected: dict[str, float], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    seen: dict[str, float] = {}
    while time.monotonic() < deadline:
        seen = query(base, expr)
        if seen == expected:
            return
        time.sleep(0.5)
    raise AssertionError(f"{expr}: expected {expected}, last seen {seen}")


def events(count: int) -> list[bytes]:
    run = time.strftime("%H%M%S")
    return [
        json.dumps(
            {
                "event_id": f"scrape-{run}-{index}",
                "ts": time.time(),
                "channel": CHANNELS[index % len(CHANNELS)],
                "text": COMPLAINT if index % 2 else PRAISE,
                "region": "广东",
                "store_id": f"GZ-{index:03d}",
            },
            ensure_ascii=False,
        ).encode()
        for index in range(count)
    ]


async def produce(servers: str, topic: str, messages: list[bytes]) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=servers)
    await producer.start()
    try:
        for message in messages:
            await producer.send_and_wait(topic, message)
    finally:
        await producer.stop()


@pytest.fixture
def standalone_endpoint():
    """``start_http`` on its own event loop thread, as a process without Faust runs it."""
    import threading

    metrics = Metrics()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = asyncio.run_coroutine_threadsafe(start_http("127.0.0.1", 0, metrics, Readiness()), loop).result(10)
    yield metrics, server
    asyncio.run_coroutine_threadsafe(server.close(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


def dashboard_queries() -> list[str]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("dashboards", Path(__file__).with_name("test_deploy_dashboards.py"))
    boards = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(boards)
    return [
        boards.grafana_to_promql(expr)
        for path in boards.DASHBOARDS
        for expr in boards.prometheus_queries(json.loads(path.read_text(encoding="utf-8")))
    ]


def test_prometheus_scrapes_the_standalone_endpoint_and_runs_every_dashboard_query(
    standalone_endpoint, prometheus_factory
) -> None:
    metrics, server = standalone_endpoint
    for channel in ("weibo", "weibo", "hotline"):
        metrics.event_in(channel, "public" if channel == "weibo" else "private")
    metrics.mention("刹车异响", "广东省", negative=True)
    metrics.set_top_anomalies("store", [("GZ-TH-001", 0.93)])
    prometheus = prometheus_factory(f"127.0.0.1:{server.port}")

    wait_for(prometheus, "sum(voc_events_in_total)", {"{}": 3.0})
    mentions = query(prometheus, "sum by (category, region) (voc_mentions_total)")
    assert mentions == {labels(category="刹车异响", region="广东"): 1.0}
    assert query(prometheus, 'voc_top_anomaly_score{rank="1"}') != {}

    answered = 0
    for expr in dashboard_queries():
        data = api(prometheus, "query", query=expr)  # raises unless Prometheus accepts and evaluates it
        answered += bool(data["result"])
    assert answered >= 5


@pytest.mark.broker
def test_prometheus_counts_the_events_the_worker_read(broker, worker_factory, prometheus_factory) -> None:
    worker = worker_factory().start()
    prometheus = prometheus_factory(f"127.0.0.1:{worker.web_port}")
    target = labels(__name__="up", instance=f"127.0.0.1:{worker.web_port}", job="voc-stream")
    wait_for(prometheus, 'up{job="voc-stream"}', {target: 1.0})

    valid = events(12)
    invalid = [b"{not json", json.dumps({"event_id": "x", "ts": time.time(), "channel": "fax", "text": "hi"}).encode()]
    asyncio.run(produce(broker.servers, worker.topic("raw"), valid + invalid))

    wait_for(prometheus, "sum(voc_events_in_total)", {"{}": 12.0})
    by_channel = query(prometheus, "sum by (channel) (voc_events_in_total)")
    assert {json.loads(key)["channel"]: value for key, value in by_channel.items()} == {
        "weibo": 4.0,
        "hotline": 4.0,
        "dianping": 4.0,
    }
    wait_for(prometheus, "sum(voc_events_invalid_total)", {"{}": 2.0})
    reasons = query(prometheus, "sum by (reason) (voc_events_invalid_total)")
    assert {json.loads(key)["reason"] for key, value in reasons.items() if value > 0} == {"bad_json", "unknown_channel"}

    # No store id ever reaches Prometheus as a label value.
    series = api(prometheus, "series", **{"match[]": '{job="voc-stream"}'})
    assert not any(value.startswith("GZ-") for labels in series for value in labels.values())

    # The deployed alert rules load in a real Prometheus, and none fires on a healthy worker.
    groups = api(prometheus, "rules")["groups"]
    loaded = {rule["name"] for group in groups for rule in group["rules"]}
    assert {"VocNoInput", "VocWorkerDown", "VocConsumerLagGrowing"} <= loaded
    firing = [alert for alert in api(prometheus, "alerts")["alerts"] if alert["state"] == "firing"]
    assert firing == []
