"""The Chinese wording of alerts, UTF-8-safe truncation, and payloads checked with httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json

import httpx
from hypothesis import given
from hypothesis import strategies as st
from receivers import make_alert

from voc_stream.notify import AlertView, truncate_utf8
from voc_stream.notify.dingtalk import dingtalk_payload
from voc_stream.notify.wecom import WeComNotifier


def test_titles_name_severity_subject_and_rule():
    assert AlertView(make_alert()).title == "【严重】广东 刹车异响 激增"
    assert AlertView(make_alert(severity="warning", rule="negative_burst")).title == "【警告】广东 刹车异响 负面集中爆发"
    fraud = make_alert(severity="info", rule="fraud_pattern", subject={"merchant_id": "M10086"})
    assert AlertView(fraud).title == "【提示】merchant_id=M10086 疑似欺诈"


def test_resolved_alert_says_so():
    view = AlertView(make_alert(status="resolved"))
    assert view.title == "【已恢复】广东 刹车异响 激增"
    assert "状态: 已恢复" in view.text()
    assert "**状态**: 已恢复" in view.markdown()


def test_text_carries_the_evidence():
    text = AlertView(make_alert()).text()
    assert "观测 37,基线 4.2,为基线的 8.8 倍" in text
    assert "异常分: 0.999" in text
    assert "窗口: 03-01 08:11 ~ 08:21 (UTC+8)" in text
    assert "渠道: 微博 20、热线 17" in text
    assert "  2. 4S店说是正常现象,刹车一踩就响" in text
    assert "处置手册: deploy/runbooks/keyword_spike.md" in text


def test_zero_baseline_has_no_ratio():
    assert AlertView(make_alert(expected=0)).evidence == "观测 37,基线 0"


def test_samples_are_limited_and_clipped():
    alert = make_alert()
    alert.samples = [f"样例{n}" + "长" * 500 for n in range(8)]  # beyond the contract's 5
    samples = AlertView(alert).samples
    assert len(samples) == 5 and all(len(sample) <= 200 for sample in samples)


def test_customer_text_cannot_inject_markdown():
    markdown = AlertView(make_alert(samples=["[点我领补偿](http://evil.example) **紧急** <@all> # 标题"])).markdown()
    sample_line = [line for line in markdown.splitlines() if "点我领补偿" in line][0]
    assert "[" not in sample_line and "**" not in sample_line and "<" not in sample_line
    assert sample_line.startswith("> 1. ")


MARKER = "\n…(内容过长,已截断)"


@given(st.text(max_size=400), st.integers(min_value=len(MARKER.encode()), max_value=600))
def test_truncate_utf8_never_splits_a_character_or_exceeds_the_limit(text, limit):
    cut = truncate_utf8(text, limit)
    assert len(cut.encode("utf-8")) <= limit
    if len(text.encode("utf-8")) <= limit:
        assert cut == text
    else:
        assert cut.endswith(MARKER) and text.startswith(cut.removesuffix(MARKER))
        assert len(cut.encode("utf-8")) > limit - 4  # only a partial character's bytes are given up


def test_dingtalk_payload_shape():
    payload = dingtalk_payload(make_alert())
    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["title"] == "【严重】广东 刹车异响 激增"
    assert payload["markdown"]["text"].startswith("### 【严重】")
    assert "\n\n**证据**: 观测 37" in payload["markdown"]["text"]  # DingTalk folds single newlines


def test_wecom_request_with_mock_transport():
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})

    async def send() -> None:
        client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        notifier = WeComNotifier("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", timeout=1, client=client)
        await notifier.send(make_alert())
        await client.aclose()

    asyncio.run(send())
    [request] = seen
    assert request.url.params["key"] == "K"
    assert request.headers["content-type"] == "application/json"
    body = json.loads(request.content)
    assert set(body) == {"msgtype", "markdown"} and "广东 刹车异响" in body["markdown"]["content"]


def test_an_echo_names_the_place_behind_it_and_the_alert_it_echoes():
    echo = make_alert(driven_by=[{"city": "成都", "hits": 29}], related_to="nb-0123456789abcdef")
    text = AlertView(echo).text()
    assert "主要来源: 成都 29 条" in text
    assert "关联告警: nb-0123456789abcdef (同一事件的连带告警,以该告警为准)" in text
    plain = AlertView(make_alert()).text()
    assert "主要来源" not in plain and "关联告警" not in plain
