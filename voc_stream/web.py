"""HTTP endpoints for operators: ``/metrics``, ``/healthz``, ``/readyz`` and ``/top``.

Plain aiohttp handlers, so the same routes mount on Faust's own web server
(``add_routes(faust_app.web.web_app, ...)`` before it starts) or run standalone
through ``start_http`` in processes that have no Faust web server.

``/healthz`` answers "is the process alive" (liveness: restart it if not);
``/readyz`` answers "should it get traffic and count as a member" (readiness:
only once its state tables are recovered and its consumer runs).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from voc_stream.metrics import Metrics

TopSource = Callable[[], dict]
_dumps = functools.partial(json.dumps, ensure_ascii=False)


class Readiness:
    """What the worker has finished starting; ``/readyz`` is 200 only when all of it has."""

    def __init__(self) -> None:
        self.tables_recovered = False
        self.consumer_running = False
        self.stopping = False

    def mark_tables_recovered(self, done: bool = True) -> None:
        self.tables_recovered = done

    def mark_consumer_running(self, running: bool = True) -> None:
        self.consumer_running = running

    def mark_stopping(self) -> None:
        """Shutting down: stop advertising readiness before partitions are released."""
        self.stopping = True

    def reasons(self) -> list[str]:
        """Why the worker is not ready yet; empty when it is."""
        reasons = []
        if self.stopping:
            reasons.append("worker is stopping")
        if not self.tables_recovered:
            reasons.append("state tables are still recovering from their changelogs")
        if not self.consumer_running:
            reasons.append("consumer is not running")
        return reasons

    @property
    def ready(self) -> bool:
        return not self.reasons()


def make_handlers(metrics: Metrics, readiness: Readiness, top: TopSource | None = None) -> dict[str, Callable]:
    """Route path to handler; ``top`` defaults to the rankings kept by ``metrics``."""
    top_source = top if top is not None else metrics.top_anomalies

    async def metrics_handler(request: web.Request) -> web.Response:
        body, content_type = metrics.render()
        response = web.Response(body=body)
        response.headers["Content-Type"] = content_type
        return response

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(request: web.Request) -> web.Response:
        reasons = readiness.reasons()
        if reasons:
            return web.json_response({"status": "not ready", "reasons": reasons}, status=503)
        return web.json_response({"status": "ready"})

    async def top_handler(request: web.Request) -> web.Response:
        return web.json_response(top_source(), dumps=_dumps)

    return {"/metrics": metrics_handler, "/healthz": healthz, "/readyz": readyz, "/top": top_handler}


def add_routes(
    app: web.Application, metrics: Metrics, readiness: Readiness, top: TopSource | None = None
) -> None:
    """Mount the four GET endpoints on an aiohttp application that has not started yet."""
    for path, handler in make_handlers(metrics, readiness, top).items():
        app.router.add_get(path, handler)


@dataclass
class HttpServer:
    """A running standalone server; ``port`` is the bound port (useful with port 0)."""

    runner: web.AppRunner
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def close(self) -> None:
        await self.runner.cleanup()


async def start_http(
    host: str, port: int, metrics: Metrics, readiness: Readiness, top: TopSource | None = None
) -> HttpServer:
    """Serve the endpoints on ``host:port`` (0 picks a free port) until ``close()``."""
    app = web.Application()
    add_routes(app, metrics, readiness, top)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_port = runner.addresses[0][1] if runner.addresses else port
    return HttpServer(runner=runner, host=host, port=bound_port)
