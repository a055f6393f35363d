"""The operator endpoints, served by a real aiohttp server on a loopback port."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from urllib.error import HTTPError

import pytest
from prometheus_client import CollectorRegistry

from voc_stream.metrics import Metrics
from voc_stream.web import Readiness, start_http


def fetch(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


async def get(url: str) -> tuple[int, str, str]:
    return await asyncio.to_thread(fetch, url)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=30))


def test_readiness_reasons() -> None:
    readiness = Readiness()
    assert len(readiness.reasons()) == 2 and not readiness.ready
    readiness.mark_tables_recovered()
    readiness.mark_consumer_running()
    assert readiness.ready
    readiness.mark_stopping()
    assert readiness.reasons() == ["worker is stopping"]


def test_endpoints_over_http() -> None:
    metrics = Metrics(registry=CollectorRegistry())
    readiness = Readiness()

    async def scenario() -> None:
        server = await start_http("127.0.0.1", 0, metrics, readiness)
        try:
            assert server.port > 0
            status, _, body = await get(f"{server.url}/healthz")
            assert status == 200

            status, content_type, body = await get(f"{server.url}/readyz")
            assert status == 503 and content_type.startswith("application/json")
            assert any("recovering" in reason for reason in json.loads(body)["reasons"])
            readiness.mark_tables_recovered()
            readiness.mark_consumer_running()
            status, _, body = await get(f"{server.url}/readyz")
            assert (status, json.loads(body)["status"]) == (200, "ready")

            metrics.event_in("weibo", "public")
            status, content_type, body = await get(f"{server.url}/metrics")
            assert status == 200 and content_type.startswith("text/plain")
            assert 'voc_events_in_total{channel="weibo",visibility="public"} 1.0' in body

            metrics.set_top_anomalies("store", [("广州天河店", 0.97), ("GZ-TH-002", 0.5)])
            status, _, body = await get(f"{server.url}/top")
            assert status == 200
            top = json.loads(body)
            assert top["store"][0] == {"rank": 1, "id": "广州天河店", "score": 0.97}
            assert "广州天河店" in body  # served as UTF-8, not \\u escapes

            status, _, _ = await get(f"{server.url}/nope")
            assert status == 404
        finally:
            await server.close()

    run(scenario())


def test_custom_top_source() -> None:
    metrics = Metrics(registry=CollectorRegistry())

    async def scenario() -> None:
        server = await start_http("127.0.0.1", 0, metrics, Readiness(), top=lambda: {"store": [], "note": "x"})
        try:
            status, _, body = await get(f"{server.url}/top")
            assert (status, json.loads(body)) == (200, {"store": [], "note": "x"})
        finally:
            await server.close()

    run(scenario())


def test_closed_server_stops_listening() -> None:
    metrics = Metrics(registry=CollectorRegistry())

    async def scenario() -> str:
        server = await start_http("127.0.0.1", 0, metrics, Readiness())
        await server.close()
        return server.url

    url = run(scenario())
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/healthz", timeout=2)
