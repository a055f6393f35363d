"""Concurrent delivery: a receiver that is down must not hold up other alerts; one incident stays in order."""

from __future__ import annotations

import asyncio

import pytest
from receivers import FakeSlack, FakeWebhook, Reply, make_alert

from voc_stream.notify import RoutingConfig, build_dispatcher
from voc_stream.notify.pipeline import DeliveryPipeline

SLOW_RETRIES = {"timeout_seconds": 2, "max_attempts": 4, "initial_backoff_seconds": 0.2, "max_backoff_seconds": 0.2,
                "jitter": 0.0}


def two_receivers(slack_url: str, webhook_url: str) -> RoutingConfig:
    """Fraud alerts also go to Slack; everything goes to the webhook."""
    return RoutingConfig.model_validate({
        "receivers": [
            {"name": "slack", "type": "slack", "url": slack_url},
            {"name": "hook", "type": "webhook", "url": webhook_url},
        ],
        "routes": [{"rule": "fraud_pattern", "receivers": ["slack", "hook"]}],
        "default": ["hook"],
        "delivery": SLOW_RETRIES,
    })


def test_a_receiver_that_is_down_does_not_hold_up_the_alerts_behind_it():
    async def scenario():
        async with FakeSlack() as slack, FakeWebhook() as hook:
            slack.fail_next(*[Reply(status=503, text="down")] * 4)  # the first alert: every attempt fails
            dispatcher = build_dispatcher(two_receivers(slack.url, hook.url), delivered={}, env={})
            pipeline = DeliveryPipeline(dispatcher.dispatch)
            done: list[str] = []
            first = make_alert(alert_id="fr-1111111111111111", rule="fraud_pattern", subject={"merchant_id": "M1"})
            second = make_alert(alert_id="kw-2222222222222222")
            await pipeline.submit(first, lambda: done.append(first.alert_id))
            await pipeline.submit(second, lambda: done.append(second.alert_id))
            await pipeline.drain()
            await dispatcher.close()
            return done, [a.alert_id for a in hook.accepted], [a for a in slack.accepted]

    done, hook_got, slack_got = asyncio.run(scenario())
    # The second alert was delivered while the first was still retrying Slack (~0.6 s of backoff).
    assert done == ["kw-2222222222222222", "fr-1111111111111111"]
    assert sorted(hook_got) == ["fr-1111111111111111", "kw-2222222222222222"]
    assert slack_got == []  # every one of the 4 attempts failed


def test_updates_of_one_incident_reach_each_receiver_in_order():
    async def scenario():
        async with FakeSlack() as slack, FakeWebhook() as hook:
            slack.fail_next(Reply(status=503, text="down", delay=0.3))  # the firing message's first try fails slowly
            dispatcher = build_dispatcher(two_receivers(slack.url, hook.url), delivered={}, env={})
            pipeline = DeliveryPipeline(dispatcher.dispatch)
            fraud = {"alert_id": "fr-1111111111111111", "rule": "fraud_pattern", "subject": {"merchant_id": "M1"}}
            firing = make_alert(status="firing", **fraud)
            resolved = make_alert(status="resolved", **fraud)
            await pipeline.submit(firing)
            await pipeline.submit(resolved)
            await pipeline.drain()
            await dispatcher.close()
            return [a.status for a in hook.accepted], slack.accepted

    hook_order, slack_bodies = asyncio.run(scenario())
    assert hook_order == ["firing", "resolved"]
    assert len(slack_bodies) == 2 and "已恢复" in str(slack_bodies[1]) and "已恢复" not in str(slack_bodies[0])


def test_done_is_reported_only_after_delivery_was_recorded():
    async def scenario():
        async with FakeWebhook() as hook:
            delivered: dict[str, float] = {}
            routing = RoutingConfig.model_validate(
                {"receivers": [{"name": "hook", "type": "webhook", "url": hook.url}], "default": ["hook"]}
            )
            dispatcher = build_dispatcher(routing, delivered=delivered, env={})
            pipeline = DeliveryPipeline(dispatcher.dispatch)
            recorded_at_done: list[bool] = []
            alerts = [make_alert(alert_id=f"kw-{n:016d}") for n in range(5)]
            for alert in alerts:
                key = f"hook|{alert.dedup_key}"
                await pipeline.submit(alert, lambda key=key: recorded_at_done.append(key in delivered))
            await pipeline.drain()
            await dispatcher.close()
            return recorded_at_done, len(hook.accepted)

    recorded_at_done, accepted = asyncio.run(scenario())
    assert recorded_at_done == [True] * 5 and accepted == 5


def test_at_most_max_in_flight_deliveries_run_at_once():
    async def scenario():
        running, peak = 0, 0
        release = asyncio.Event()

        async def dispatch(alert):
            nonlocal running, peak
            running += 1
            peak = max(peak, running)
            await release.wait()
            running -= 1

        pipeline = DeliveryPipeline(dispatch, max_in_flight=3)
        submitted = 0

        async def feed():
            nonlocal submitted
            for n in range(10):
                await pipeline.submit(make_alert(alert_id=f"kw-{n:016d}"))
                submitted += 1

        feeder = asyncio.create_task(feed())
        await asyncio.sleep(0.05)
        blocked_at = submitted  # submit waits for a free slot
        release.set()
        await feeder
        await pipeline.drain()
        return peak, blocked_at, pipeline.in_flight

    peak, blocked_at, left = asyncio.run(scenario())
    assert peak == 3 and blocked_at == 3 and left == 0


def test_cancel_leaves_undelivered_alerts_unacknowledged():
    async def scenario():
        acked: list[str] = []
        never = asyncio.Event()

        async def dispatch(alert):
            await never.wait()

        pipeline = DeliveryPipeline(dispatch)
        await pipeline.submit(make_alert(), lambda: acked.append("acked"))
        await asyncio.sleep(0)
        await pipeline.cancel()
        return acked, pipeline.in_flight

    assert asyncio.run(scenario()) == ([], 0)


def test_max_in_flight_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        DeliveryPipeline(lambda alert: None, max_in_flight=0)
