"""Routing, retries with backoff, dedup and outcome reporting, over loopback receivers."""

from __future__ import annotations

import asyncio
import random

from receivers import FakeSlack, FakeWebhook, FakeWeCom, Reply, make_alert

from voc_stream.notify import Delivery, RoutingConfig, backoff_delay, build_dispatcher

FAST = {"timeout_seconds": 2, "max_attempts": 3, "initial_backoff_seconds": 0.01, "max_backoff_seconds": 0.05}


def routing(receivers, routes=(), default=None, **delivery) -> RoutingConfig:
    return RoutingConfig.model_validate(
        {
            "receivers": receivers,
            "routes": list(routes),
            "default": default or [receivers[0]["name"]],
            "delivery": {**FAST, **delivery},
        }
    )


class Results:
    """The on_result callback, recording every report in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, receiver: str, outcome: str) -> None:
        self.calls.append((receiver, outcome))


def test_retryable_failures_are_retried_then_sent_and_marked_delivered():
    async def scenario():
        async with FakeWeCom() as server:
            server.fail_next(
                Reply(status=502, text="bad gateway"), Reply(json={"errcode": 45009, "errmsg": "api freq out of limit"})
            )
            results, delivered = Results(), {}
            config = routing([{"name": "wecom", "type": "wecom", "url": server.url}])
            dispatcher = build_dispatcher(config, delivered=delivered, on_result=results, env={})
            outcome = await dispatcher.dispatch(make_alert())
            await dispatcher.close()
            return outcome, results.calls, delivered, server

    outcome, calls, delivered, server = asyncio.run(scenario())
    assert outcome == {"wecom": "sent"}
    assert calls == [("wecom", "retried"), ("wecom", "retried"), ("wecom", "sent")]
    assert server.attempts == 3 and len(server.accepted) == 1
    assert list(delivered) == [f"wecom|{make_alert().dedup_key}"]


def test_attempts_are_bounded_and_failure_is_not_marked_delivered():
    async def scenario():
        async with FakeSlack() as server:
            server.fail_next(*[Reply(status=503, text="unavailable")] * 5)
            results, delivered = Results(), {}
            config = routing([{"name": "slack", "type": "slack", "url": server.url}])
            dispatcher = build_dispatcher(config, delivered=delivered, on_result=results, env={})
            outcome = await dispatcher.dispatch(make_alert())
            await dispatcher.close()
            return outcome, results.calls, delivered, server.attempts

    outcome, calls, delivered, attempts = asyncio.run(scenario())
    assert outcome == {"slack": "failed"}
    assert attempts == 3 and calls == [("slack", "retried"), ("slack", "retried"), ("slack", "failed")]
    assert delivered == {}


def test_non_retryable_failure_is_tried_once():
    async def scenario():
        async with FakeWeCom(key="real") as server:
            url = server.url.replace("real", "revoked")
            config = routing([{"name": "wecom", "type": "wecom", "url": url}])
            dispatcher = build_dispatcher(config, delivered={}, env={})
            outcome = await dispatcher.dispatch(make_alert())
            await dispatcher.close()
            return outcome, server.attempts

    assert asyncio.run(scenario()) == ({"wecom": "failed"}, 1)


def test_redelivered_alert_is_sent_once_per_receiver_even_concurrently():
    async def scenario():
        async with FakeWebhook() as hook, FakeSlack() as slack:
            hook.fail_next(Reply(status=200, delay=0.2))  # a slow first send, overlapping the redelivery
            results, delivered = Results(), {}
            config = routing(
                [{"name": "hook", "type": "webhook", "url": hook.url}, {"name": "slack", "type": "slack", "url": slack.url}],
                default=["hook", "slack"],
            )
            dispatcher = build_dispatcher(config, delivered=delivered, on_result=results, env={})
            alert = make_alert()
            first, second = await asyncio.gather(dispatcher.dispatch(alert), dispatcher.dispatch(alert))
            third = await dispatcher.dispatch(alert)
            await dispatcher.close()
            return [first, second, third], hook.attempts, slack.attempts, delivered

    outcomes, hook_attempts, slack_attempts, delivered = asyncio.run(scenario())
    assert outcomes[0] == {"hook": "sent", "slack": "sent"}
    assert outcomes[1] == outcomes[2] == {"hook": "duplicate", "slack": "duplicate"}
    assert hook_attempts == 1 and slack_attempts == 1 and len(delivered) == 2


def test_resolved_message_is_a_new_delivery_and_respects_send_resolved():
    async def scenario():
        async with FakeWebhook() as hook, FakeSlack() as slack:
            config = routing(
                [
                    {"name": "hook", "type": "webhook", "url": hook.url},
                    {"name": "slack", "type": "slack", "url": slack.url, "send_resolved": False},
                ],
                default=["hook", "slack"],
            )
            dispatcher = build_dispatcher(config, delivered={}, env={})
            firing = await dispatcher.dispatch(make_alert())
            resolved = await dispatcher.dispatch(make_alert(status="resolved"))
            await dispatcher.close()
            return firing, resolved, [alert.status for alert in hook.accepted], len(slack.accepted)

    firing, resolved, hook_statuses, slack_count = asyncio.run(scenario())
    assert firing == {"hook": "sent", "slack": "sent"}
    assert resolved == {"hook": "sent", "slack": "skipped"}
    assert hook_statuses == ["firing", "resolved"] and slack_count == 1


def test_routes_pick_receivers_by_rule_severity_status_and_subject():
    async def scenario():
        async with FakeWebhook() as fraud, FakeWebhook() as guangdong, FakeWebhook() as rest:
            config = routing(
                [
                    {"name": "rest", "type": "webhook", "url": rest.url},
                    {"name": "fraud", "type": "webhook", "url": fraud.url},
                    {"name": "guangdong", "type": "webhook", "url": guangdong.url},
                ],
                routes=[
                    {"rule": "fraud_pattern", "receivers": ["fraud"], "continue": True},
                    {"severity": "warning", "status": "firing", "subject": {"region": "广东"}, "receivers": ["guangdong"]},
                ],
                default=["rest"],
            )
            dispatcher = build_dispatcher(config, delivered={}, env={})
            sent = {
                "fraud_gd": await dispatcher.dispatch(make_alert(alert_id="a1", rule="fraud_pattern")),
                "info_gd": await dispatcher.dispatch(make_alert(alert_id="a2", severity="info")),
                "crit_bj": await dispatcher.dispatch(make_alert(alert_id="a3", subject={"region": "北京"})),
                "resolved_gd": await dispatcher.dispatch(make_alert(alert_id="a4", status="resolved")),
                "warn_gd": await dispatcher.dispatch(make_alert(alert_id="a5", severity="warning")),
            }
            await dispatcher.close()
            return sent

    sent = asyncio.run(scenario())
    assert sent["fraud_gd"] == {"fraud": "sent", "guangdong": "sent"}  # continue: true, then the region route
    assert sent["info_gd"] == {"rest": "sent"}  # below the minimum severity
    assert sent["crit_bj"] == {"rest": "sent"}  # other region
    assert sent["resolved_gd"] == {"rest": "sent"}  # the region route is for firing only
    assert sent["warn_gd"] == {"guangdong": "sent"}


def test_inactive_optional_receiver_is_reported_skipped():
    async def scenario():
        async with FakeWebhook() as hook:
            config = routing(
                [
                    {"name": "hook", "type": "webhook", "url": hook.url},
                    {"name": "wecom", "type": "wecom", "url_env": "VOC_TEST_WECOM_URL", "optional": True},
                ],
                default=["hook", "wecom"],
            )
            results = Results()
            dispatcher = build_dispatcher(config, delivered={}, on_result=results, env={})
            outcome = await dispatcher.dispatch(make_alert())
            await dispatcher.close()
            return outcome, results.calls

    outcome, calls = asyncio.run(scenario())
    assert outcome == {"hook": "sent", "wecom": "skipped"}
    assert ("wecom", "skipped") in calls


def test_a_crashing_notifier_or_callback_does_not_crash_dispatch():
    async def scenario():
        config = routing([{"name": "console", "type": "console"}])

        def broken_callback(receiver: str, outcome: str) -> None:
            raise RuntimeError("metrics backend down")

        dispatcher = build_dispatcher(config, delivered={}, on_result=broken_callback, env={})

        async def explode(alert):
            raise KeyError("bug in a notifier")

        dispatcher.notifiers["console"].send = explode
        outcome = await dispatcher.dispatch(make_alert())
        await dispatcher.close()
        return outcome

    assert asyncio.run(scenario()) == {"console": "failed"}


def test_backoff_grows_exponentially_within_jitter_and_cap():
    policy = Delivery(initial_backoff_seconds=1, max_backoff_seconds=5, jitter=0.2)
    rng = random.Random(7)
    for attempt, base in [(1, 1), (2, 2), (3, 4), (4, 5), (9, 5)]:
        delays = [backoff_delay(attempt, policy, rng) for _ in range(200)]
        assert min(delays) >= base * 0.8 and max(delays) <= base * 1.2
        assert max(delays) - min(delays) > base * 0.2  # jitter spreads retries out
    assert backoff_delay(1, policy, rng, retry_after=3) >= 3  # the receiver's Retry-After wins
    assert backoff_delay(1, policy, rng, retry_after=60) <= 5 * 1.2  # but never beyond the cap


def test_retry_waits_for_the_backoff():
    async def scenario():
        async with FakeWebhook() as hook:
            hook.fail_next(Reply(status=500), Reply(status=500))
            config = routing(
                [{"name": "hook", "type": "webhook", "url": hook.url}],
                initial_backoff_seconds=0.1,
                max_backoff_seconds=1,
                jitter=0,
            )
            dispatcher = build_dispatcher(config, delivered={}, env={})
            loop = asyncio.get_running_loop()
            started = loop.time()
            outcome = await dispatcher.dispatch(make_alert())
            elapsed = loop.time() - started
            await dispatcher.close()
            return outcome, elapsed

    outcome, elapsed = asyncio.run(scenario())
    assert outcome == {"hook": "sent"}
    assert 0.3 <= elapsed < 1.5  # 0.1 s, then 0.2 s
