"""Deliver each alert to its receivers: once each, retried with backoff, never crashing the caller.

Kafka delivers at least once, so the same alert message may arrive twice. The
``delivered`` mapping (a Faust table in the worker, a dict in tests) remembers
``f"{receiver}|{alert.dedup_key}"`` after a successful send, and only then, so a
redelivered message is not sent again while a failed one still can be.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import Literal

from voc_stream.alerts import Alert
from voc_stream.config import ConfigError
from voc_stream.notify.base import DeliveryError, MissingSecret, Notifier
from voc_stream.notify.registry import NOTIFIER_TYPES
from voc_stream.notify.routing import Delivery, RoutingConfig

log = logging.getLogger(__name__)

Outcome = Literal["sent", "failed", "retried", "duplicate", "skipped"]
OUTCOMES: tuple[str, ...] = ("sent", "failed", "retried", "duplicate", "skipped")
ResultCallback = Callable[[str, str], None]


def backoff_delay(attempt: int, policy: Delivery, rng: random.Random, retry_after: float | None = None) -> float:
    """Wait before try ``attempt + 1``: exponential, capped, jittered; ``Retry-After`` wins if longer."""
    base = min(policy.max_backoff_seconds, policy.initial_backoff_seconds * 2 ** (attempt - 1))
    delay = base * rng.uniform(1 - policy.jitter, 1 + policy.jitter)
    if retry_after is not None:
        delay = max(delay, min(retry_after, policy.max_backoff_seconds))
    return delay


class Dispatcher:
    """Routes alerts to notifiers; ``dispatch`` returns the final outcome per receiver."""

    def __init__(
        self,
        routing: RoutingConfig,
        notifiers: Mapping[str, Notifier],
        *,
        delivered: MutableMapping[str, float],
        on_result: ResultCallback | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.routing = routing
        self.notifiers = dict(notifiers)
        self.delivered = delivered
        self.on_result = on_result
        self.policy = routing.delivery
        self._rng = rng or random.Random()
        self._send_resolved = {receiver.name: receiver.send_resolved for receiver in routing.receivers}
        self._in_flight: dict[str, tuple[asyncio.Lock, int]] = {}

    @property
    def pending(self) -> int:
        """Deliveries under way, retries included: the retry-queue depth operators watch."""
        return len(self._in_flight)

    async def dispatch(self, alert: Alert) -> dict[str, Outcome]:
        """Send ``alert`` to every receiver its route names, concurrently; never raises for a failed send."""
        names = self.routing.receivers_for(alert)
        outcomes = await asyncio.gather(*(self._deliver_once(name, alert) for name in names))
        return dict(zip(names, outcomes, strict=True))

    async def _deliver_once(self, name: str, alert: Alert) -> Outcome:
        notifier = self.notifiers.get(name)
        if notifier is None or (alert.status == "resolved" and not self._send_resolved.get(name, True)):
            return self._report(name, "skipped")
        key = f"{name}|{alert.dedup_key}"
        # One send per key at a time: a redelivery arriving mid-send waits, then sees it delivered.
        lock, users = self._in_flight.get(key, (asyncio.Lock(), 0))
        self._in_flight[key] = (lock, users + 1)
        try:
            async with lock:
                if key in self.delivered:
                    return self._report(name, "duplicate")
                outcome = await self._send_with_retries(notifier, alert)
                if outcome == "sent":
                    self.delivered[key] = time.time()
                return outcome
        finally:
            lock, users = self._in_flight[key]
            if users == 1:
                del self._in_flight[key]
            else:
                self._in_flight[key] = (lock, users - 1)

    async def _send_with_retries(self, notifier: Notifier, alert: Alert) -> Outcome:
        attempts = self.policy.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                await notifier.send(alert)
            except DeliveryError as exc:
                if not exc.retryable or attempt == attempts:
                    log.error(
                        "alert %s to receiver %s failed after %d attempt(s)%s: %s",
                        alert.alert_id, notifier.name, attempt, "" if exc.retryable else " (not retryable)", exc,
                    )
                    return self._report(notifier.name, "failed")
                delay = backoff_delay(attempt, self.policy, self._rng, exc.retry_after)
                log.warning(
                    "alert %s to receiver %s: attempt %d/%d failed, retrying in %.2fs: %s",
                    alert.alert_id, notifier.name, attempt, attempts, delay, exc,
                )
                self._report(notifier.name, "retried")
                await asyncio.sleep(delay)
            except Exception:  # a bug in one notifier must not stop the worker
                log.exception("alert %s to receiver %s: unexpected error", alert.alert_id, notifier.name)
                return self._report(notifier.name, "failed")
            else:
                if attempt > 1:
                    log.info("alert %s to receiver %s sent on attempt %d", alert.alert_id, notifier.name, attempt)
                return self._report(notifier.name, "sent")
        raise AssertionError("unreachable: the last attempt returns")

    def _report(self, name: str, outcome: Outcome) -> Outcome:
        if self.on_result is not None:
            try:
                self.on_result(name, outcome)
            except Exception:
                log.exception("on_result callback failed for %s/%s", name, outcome)
        return outcome

    async def close(self) -> None:
        """Close every notifier's connections; safe to call twice."""
        notifiers, self.notifiers = self.notifiers, {}
        for notifier in notifiers.values():
            try:
                await notifier.close()
            except Exception:
                log.exception("closing receiver %s failed", notifier.name)


def build_notifiers(routing: RoutingConfig, env: Mapping[str, str]) -> dict[str, Notifier]:
    """One notifier per receiver; unset variables fail here, at start-up, unless the receiver is optional."""
    notifiers: dict[str, Notifier] = {}
    problems: list[tuple[str, str]] = []
    skipped: list[str] = []
    for index, config in enumerate(routing.receivers):
        timeout = config.timeout_seconds or routing.delivery.timeout_seconds
        try:
            notifiers[config.name] = NOTIFIER_TYPES[config.type].from_config(config, env, timeout)
        except MissingSecret as exc:
            if config.optional:
                skipped.append(f"{config.name} ({exc.variable})")
                continue
            problems.append(
                (f"receivers.{index}.{exc.field}", f"{exc}; set it, or mark receiver {config.name!r} optional: true")
            )
    if skipped:
        log.warning("optional receivers skipped, their environment variables are unset: %s", ", ".join(skipped))
    if problems:
        raise ConfigError(routing.source, problems)
    return notifiers


def build_dispatcher(
    routing: RoutingConfig,
    delivered: MutableMapping[str, float] | None = None,
    on_result: ResultCallback | None = None,
    env: Mapping[str, str] | None = None,
    *,
    rng: random.Random | None = None,
) -> Dispatcher:
    """The dispatcher the worker runs: receivers built from ``routing`` with secrets from ``env``."""
    problems = routing.reference_problems()
    if problems:
        raise ConfigError(routing.source, problems)
    notifiers = build_notifiers(routing, os.environ if env is None else env)
    return Dispatcher(
        routing, notifiers, delivered={} if delivered is None else delivered, on_result=on_result, rng=rng
    )
