"""Sending feedback events to the raw topic: ``voc-stream produce`` and the demo's generated stream."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterable

from aiokafka import AIOKafkaProducer


def event_key(line: bytes) -> bytes | None:
    """Key by ``event_id`` when the line is an event, so a repeated id lands on the same partition."""
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("event_id"), str):
        return data["event_id"].encode("utf-8")
    return None


def encode(event: dict | bytes | str) -> bytes:
    if isinstance(event, bytes):
        return event
    if isinstance(event, str):
        return event.encode("utf-8")
    return json.dumps(event, ensure_ascii=False).encode("utf-8")


async def _paced(items: Iterable[bytes], rate: float | None) -> AsyncIterator[bytes]:
    started = time.monotonic()
    for count, item in enumerate(items):
        if rate:
            ahead = count / rate - (time.monotonic() - started)
            if ahead > 0:
                await asyncio.sleep(ahead)
        yield item


async def produce(
    servers: str,
    topic: str,
    items: Iterable[dict | bytes | str],
    *,
    rate: float | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 1000,
) -> int:
    """Send each item as one message (bytes as given), at most ``rate`` a second; returns how many."""
    producer = AIOKafkaProducer(bootstrap_servers=servers, linger_ms=5, acks="all", enable_idempotence=False)
    await producer.start()
    sent = 0
    try:
        pending = []
        async for value in _paced((encode(item) for item in items), rate):
            pending.append(await producer.send(topic, value=value, key=event_key(value)))
            sent += 1
            if sent % progress_every == 0:
                await asyncio.gather(*pending)
                pending.clear()
                if progress:
                    progress(sent)
        await asyncio.gather(*pending)
        await producer.flush()
        if progress:
            progress(sent)
    finally:
        await producer.stop()
    return sent
