"""Deliver alerts concurrently, in order per incident, acknowledging each only once it is delivered.

One alert at a time would let a receiver that is down (each delivery retried with
backoff for up to a minute) hold up every alert behind it, for every receiver.
Here each alert is handed to the dispatcher as its own task, so the alerts behind
it go out at once; only the updates of the *same* incident (same ``alert_id``:
firing, then updates, then resolved) wait for each other, so no receiver sees an
incident resolved before it saw it firing.

The caller acknowledges an alert's Kafka message in ``on_done``, after delivery.
Kafka commits only up to the oldest unacknowledged offset, so a worker that dies
mid-delivery gets the undelivered alerts again, and the dispatcher's ``delivered``
record keeps the ones already sent from being sent twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from voc_stream.alerts import Alert

log = logging.getLogger(__name__)

DEFAULT_MAX_IN_FLIGHT = 64


class DeliveryPipeline:
    """At most ``max_in_flight`` alerts being delivered; ``submit`` waits for a free slot."""

    def __init__(self, dispatch: Callable[[Alert], Awaitable[Any]], *, max_in_flight: int = DEFAULT_MAX_IN_FLIGHT) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self._dispatch = dispatch
        self._slots = asyncio.Semaphore(max_in_flight)
        self._latest: dict[str, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    async def submit(self, alert: Alert, on_done: Callable[[], Awaitable[Any] | None] | None = None) -> None:
        """Start delivering ``alert`` behind any earlier message of the same incident; returns once started."""
        await self._slots.acquire()
        previous = self._latest.get(alert.alert_id)
        task = asyncio.create_task(self._deliver(alert, previous, on_done), name=f"deliver {alert.alert_id}")
        self._latest[alert.alert_id] = task
        self._tasks.add(task)
        task.add_done_callback(lambda finished: self._finished(alert.alert_id, finished))

    async def drain(self) -> None:
        """Wait for every delivery started so far."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def cancel(self) -> None:
        """Stop all deliveries (shutdown); their messages stay unacknowledged and come back after a restart."""
        tasks = set(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)

    async def _deliver(
        self, alert: Alert, previous: asyncio.Task[None] | None, on_done: Callable[[], Awaitable[Any] | None] | None
    ) -> None:
        if previous is not None and not previous.done():
            await asyncio.wait({previous})
        try:
            await self._dispatch(alert)
        except asyncio.CancelledError:
            raise
        except Exception:  # the dispatcher never raises for a failed send; this is a bug, keep the worker alive
            log.exception("delivering alert %s failed unexpectedly", alert.alert_id)
        if on_done is not None:
            result = on_done()
            if asyncio.iscoroutine(result):
                await result

    def _finished(self, alert_id: str, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._latest.get(alert_id) is task:
            del self._latest[alert_id]
        self._slots.release()
        if not task.cancelled() and task.exception() is not None:
            log.error("delivery task for %s ended with %r", alert_id, task.exception())
