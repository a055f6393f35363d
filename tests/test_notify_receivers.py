"""Each notifier against a loopback server that checks payloads like the real service."""

from __future__ import annotations

import asyncio
import io
import json

import pytest
from receivers import FakeDingTalk, FakeFeishu, FakeSlack, FakeWebhook, FakeWeCom, Reply, make_alert

from voc_stream.notify import DeliveryError
from voc_stream.notify.console import ConsoleNotifier
from voc_stream.notify.dingtalk import DingTalkNotifier
from voc_stream.notify.feishu import FeishuNotifier
from voc_stream.notify.slack import SlackNotifier
from voc_stream.notify.webhook import WebhookNotifier
from voc_stream.notify.wecom import WeComNotifier

TIMEOUT = 2.0


async def send_once(notifier, alert=None) -> None:
    try:
        await notifier.send(alert or make_alert())
    finally:
        await notifier.close()


def test_webhook_posts_the_alert_contract_with_bearer_token():
    async def scenario():
        async with FakeWebhook(token="s3cret") as server:
            alert = make_alert()
            notifier = WebhookNotifier("hook", server.url, timeout=TIMEOUT, headers={"Authorization": "Bearer s3cret"})
            await send_once(notifier, alert)
            return server.accepted

    accepted = asyncio.run(scenario())
    assert accepted == [make_alert()]


def test_webhook_rejection_is_not_retryable_but_503_is():
    async def scenario():
        async with FakeWebhook(token="right") as server:
            wrong = WebhookNotifier("hook", server.url, timeout=TIMEOUT, headers={"Authorization": "Bearer wrong"})
            with pytest.raises(DeliveryError) as refused:
                await send_once(wrong)
            server.fail_next(Reply(status=503, text="busy", headers={"Retry-After": "7"}))
            right = WebhookNotifier("hook", server.url, timeout=TIMEOUT, headers={"Authorization": "Bearer right"})
            with pytest.raises(DeliveryError) as busy:
                await send_once(right)
            return refused.value, busy.value

    refused, busy = asyncio.run(scenario())
    assert not refused.retryable and "401" in str(refused)
    assert busy.retryable and busy.retry_after == 7.0


def test_webhook_timeout_is_retryable():
    async def scenario():
        async with FakeWebhook() as server:
            server.fail_next(Reply(status=200, delay=1.0))
            with pytest.raises(DeliveryError) as slow:
                await send_once(WebhookNotifier("hook", server.url, timeout=0.2))
            return slow.value

    error = asyncio.run(scenario())
    assert error.retryable and "Timeout" in str(error)


def test_unreachable_receiver_is_retryable():
    async def scenario():
        async with FakeWebhook() as server:
            url = server.url
        with pytest.raises(DeliveryError) as refused:  # server is gone: connection refused
            await send_once(WebhookNotifier("hook", url, timeout=TIMEOUT))
        return refused.value

    assert asyncio.run(scenario()).retryable


def test_slack_accepts_blocks_with_chinese_title_and_escaped_samples():
    alert = make_alert(samples=["<script>&朋友们 别买</script>", "刹车异响"])

    async def scenario():
        async with FakeSlack() as server:
            await send_once(SlackNotifier("slack", server.url, timeout=TIMEOUT), alert)
            return server.accepted

    [body] = asyncio.run(scenario())
    assert body["text"].startswith("【严重】广东 刹车异响 激增")
    assert body["blocks"][0]["text"]["text"] == "【严重】广东 刹车异响 激增"
    samples = json.dumps(body["blocks"], ensure_ascii=False)
    assert "&lt;script&gt;&amp;朋友们 别买&lt;/script&gt;" in samples and "<script>" not in samples


def test_slack_keeps_within_block_limits_for_huge_alerts():
    alert = make_alert(
        subject={"category": "刹车异响" * 40, "region": "广东"}, summary="很长的摘要" * 1000, samples=["样" * 5000] * 5
    )

    async def scenario():
        async with FakeSlack() as server:
            await send_once(SlackNotifier("slack", server.url, timeout=TIMEOUT), alert)
            return server.accepted

    assert len(asyncio.run(scenario())) == 1  # the fake refuses (invalid_blocks) anything over the limits


@pytest.mark.parametrize(
    ("reply", "retryable"),
    [
        (Reply(status=400, text="invalid_payload"), False),
        (Reply(status=404, text="channel_not_found"), False),
        (Reply(status=429, text="rate_limited", headers={"Retry-After": "1"}), True),
        (Reply(status=500, text="rollup_error"), True),
    ],
)
def test_slack_errors(reply, retryable):
    async def scenario():
        async with FakeSlack() as server:
            server.fail_next(reply)
            with pytest.raises(DeliveryError) as failed:
                await send_once(SlackNotifier("slack", server.url, timeout=TIMEOUT))
            return failed.value

    error = asyncio.run(scenario())
    assert error.retryable is retryable and reply.text in str(error)


def test_wecom_markdown_accepted_and_fits_4096_bytes():
    alert = make_alert(samples=["刹车异响" * 300] * 5, summary="摘要" * 800)

    async def scenario():
        async with FakeWeCom() as server:
            await send_once(WeComNotifier("wecom", server.url, timeout=TIMEOUT), alert)
            return server.accepted

    [body] = asyncio.run(scenario())
    content = body["markdown"]["content"]
    assert body["msgtype"] == "markdown"
    assert len(content.encode("utf-8")) <= 4096
    assert content.startswith("### 【严重】广东 刹车异响 激增")
    assert content.endswith("已截断)")


def test_wecom_errcode_with_http_200_is_a_failure():
    async def scenario():
        async with FakeWeCom(key="right-key") as server:
            wrong_url = server.url.replace("right-key", "wrong-key")
            with pytest.raises(DeliveryError) as invalid:
                await send_once(WeComNotifier("wecom", wrong_url, timeout=TIMEOUT))
            server.fail_next(Reply(json={"errcode": 45009, "errmsg": "api freq out of limit"}))
            with pytest.raises(DeliveryError) as limited:
                await send_once(WeComNotifier("wecom", server.url, timeout=TIMEOUT))
            return invalid.value, limited.value, server.accepted

    invalid, limited, accepted = asyncio.run(scenario())
    assert "93000" in str(invalid) and not invalid.retryable
    assert "45009" in str(limited) and limited.retryable
    assert accepted == []


def test_feishu_signed_text_message_passes_signature_check():
    async def scenario():
        async with FakeFeishu(secret="feishu-secret") as server:
            await send_once(FeishuNotifier("feishu", server.url, timeout=TIMEOUT, secret="feishu-secret"))
            return server.accepted

    [body] = asyncio.run(scenario())
    assert body["msg_type"] == "text"
    assert body["content"]["text"].startswith("【严重】广东 刹车异响 激增")
    assert "观测 37,基线 4.2" in body["content"]["text"]


def test_feishu_wrong_secret_is_refused_with_code_19021():
    async def scenario():
        async with FakeFeishu(secret="feishu-secret") as server:
            with pytest.raises(DeliveryError) as refused:
                await send_once(FeishuNotifier("feishu", server.url, timeout=TIMEOUT, secret="other"))
            return refused.value, server.accepted

    error, accepted = asyncio.run(scenario())
    assert "19021" in str(error) and not error.retryable and accepted == []


def test_feishu_card_for_resolved_alert():
    async def scenario():
        async with FakeFeishu() as server:
            notifier = FeishuNotifier("feishu", server.url, timeout=TIMEOUT, form="card")
            await send_once(notifier, make_alert(status="resolved"))
            return server.accepted

    [body] = asyncio.run(scenario())
    assert body["msg_type"] == "interactive"
    assert body["card"]["header"]["title"]["content"].startswith("【已恢复】")
    assert body["card"]["header"]["template"] == "green"
    assert "已恢复" in body["card"]["elements"][0]["content"]


def test_dingtalk_signed_markdown_passes_signature_check():
    async def scenario():
        async with FakeDingTalk(secret="SECabc+/=中") as server:
            await send_once(DingTalkNotifier("ding", server.url, timeout=TIMEOUT, secret="SECabc+/=中"))
            return server.accepted, server.queries

    [body], [query] = asyncio.run(scenario())
    assert body["markdown"]["title"] == "【严重】广东 刹车异响 激增"
    assert "4S店" in body["markdown"]["text"]
    assert query["access_token"] == "f0e1d2c3b4a5" and query["timestamp"].isdigit()


def test_dingtalk_bad_signature_and_rate_limit():
    async def scenario():
        async with FakeDingTalk(secret="right") as server:
            with pytest.raises(DeliveryError) as unsigned:
                await send_once(DingTalkNotifier("ding", server.url, timeout=TIMEOUT, secret="wrong"))
            server.fail_next(Reply(json={"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}))
            with pytest.raises(DeliveryError) as limited:
                await send_once(DingTalkNotifier("ding", server.url, timeout=TIMEOUT, secret="right"))
            return unsigned.value, limited.value

    unsigned, limited = asyncio.run(scenario())
    assert "310000" in str(unsigned) and not unsigned.retryable
    assert "130101" in str(limited) and limited.retryable


def test_console_prints_the_alert_and_colours_only_when_asked():
    plain, coloured = io.StringIO(), io.StringIO()
    alert = make_alert()
    asyncio.run(ConsoleNotifier("console", plain).send(alert))
    asyncio.run(ConsoleNotifier("console", coloured, colour=True).send(alert))
    text = plain.getvalue()
    assert "【严重】广东 刹车异响 激增" in text
    assert "观测 37,基线 4.2" in text and "deploy/runbooks/keyword_spike.md" in text
    assert "刹车异响很严重" in text and "\033[" not in text  # StringIO is no TTY
    assert "\033[1;31m【严重】" in coloured.getvalue()


def test_errors_never_show_webhook_keys():
    async def scenario():
        async with FakeWeCom(key="topsecretkey") as wecom, FakeFeishu() as feishu:
            wecom.fail_next(Reply(status=500, text="oops"))
            feishu.fail_next(Reply(status=502, text="bad gateway"))
            errors = []
            for notifier in (
                WeComNotifier("wecom", wecom.url, timeout=TIMEOUT),
                FeishuNotifier("feishu", feishu.url, timeout=TIMEOUT),
            ):
                with pytest.raises(DeliveryError) as failed:
                    await send_once(notifier)
                errors.append(str(failed.value))
            return errors, FakeFeishu.path.rsplit("/", 1)[1]

    (wecom_error, feishu_error), feishu_token = asyncio.run(scenario())
    assert "HTTP 500" in wecom_error and "topsecretkey" not in wecom_error
    assert "HTTP 502" in feishu_error and feishu_token not in feishu_error
