"""Small hand-made event streams for tests: quiet history, then one incident."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from aiokafka import AIOKafkaConsumer

CST = timezone(timedelta(hours=8))
START = datetime(2026, 3, 1, 0, 0, tzinfo=CST)

NORMAL_TEXTS = [
    "很快,好吃,味道足,量大",
    "送餐很及时,服务态度好",
    "东西不错,下次还来",
    "味道一般般吧",
    "包装很好,物流快",
    "商品质量不错,推荐购买",
    "菜有点咸了",
    "还可以吧,价格略贵",
    "客服回复很快,问题解决了",
    "门店环境干净,店员热情",
]
FRAUD_TEXTS = [
    "有人冒充客服打电话让我屏幕共享,被骗了两千",
    "自称平台客服说我订单异常要退款,让我转账,是骗子",
    "接到冒充客服的电话说要给我理赔,让我下载会议软件共享屏幕",
    "假客服打来说我的会员要扣费,让我转到安全账户",
    "冒充官方客服的人加我微信,骗我转账三千",
]
INVALID_MESSAGES = [
    b"this is not json",
    b"\xff\xfe\x00 broken utf-8",
    json.dumps({"event_id": "bad-1", "ts": "2026-03-01T10:00:00+08:00", "channel": "weibo"}).encode(),
    json.dumps({"event_id": "bad-2", "ts": "2026-03-01T10:00:00+08:00", "channel": "weibo", "text": "   "}).encode(),
    json.dumps({"event_id": "bad-3", "ts": "2026-03-01T10:00:00+08:00", "channel": "fax", "text": "有问题"}).encode(),
    b"[1, 2, 3]",
]
INVALID_REASONS = ["bad_json", "bad_utf8", "missing_field", "empty_text", "unknown_channel", "not_an_object"]


# Rules learn for a day before they may fire (rules.yaml warmup_hours), and a key needs
# history of its own: tests give the merchant under watch a steady share of the stream.
WARM_HOURS = 26


def history(
    hours: float, per_hour: int, seed: int = 1, start: datetime = START, prefix: str = "h", merchant: str | None = None
) -> list[dict[str, Any]]:
    """Quiet everyday feedback over many merchants and regions; ``merchant`` gets every third event."""
    rnd = random.Random(seed)
    events = []
    total = int(hours * per_hour)
    for i in range(total):
        ts = start + timedelta(seconds=i * 3600 / per_hour)
        events.append(
            {
                "event_id": f"{prefix}-{i}",
                "ts": ts.isoformat(),
                "channel": rnd.choice(["weibo", "dianping", "hotline", "ecommerce", "chat"]),
                "text": rnd.choice(NORMAL_TEXTS),
                "merchant_id": merchant if merchant and i % 3 == 0 else f"M{rnd.randint(1, 40):03d}",
                "store_id": f"S{rnd.randint(1, 60):03d}",
                "region": rnd.choice(["广东", "北京", "上海", "浙江"]),
                "city": rnd.choice(["广州", "北京", "上海", "杭州"]),
                "customer_id": f"c{rnd.randint(1, 10**6)}",
            }
        )
    return events


def fraud_burst(merchant: str, count: int, at: datetime, every_minutes: float = 2.0, prefix: str = "f") -> list[dict[str, Any]]:
    """``count`` fraud complaints about one merchant from distinct customers, with phone numbers to mask."""
    return [
        {
            "event_id": f"{prefix}-{i}",
            "ts": (at + timedelta(minutes=i * every_minutes)).isoformat(),
            "channel": "hotline" if i % 2 else "weibo",
            "text": FRAUD_TEXTS[i % len(FRAUD_TEXTS)] + f",对方电话1391234{i:04d}",
            "merchant_id": merchant,
            "region": "广东",
            "city": "广州",
            "customer_id": f"victim-{prefix}-{i}",
        }
        for i in range(count)
    ]


def escalation_trail(customer: str, complained: datetime, posted: datetime, prefix: str = "x") -> list[dict[str, Any]]:
    """One customer's hotline complaint, then a public one after it went nowhere (the CRM attributed the post)."""
    return [
        {"event_id": f"{prefix}-1", "ts": complained.isoformat(), "channel": "hotline",
         "text": "刹车异响很严重,4S店说是正常现象", "customer_id": customer, "region": "广东", "city": "广州"},
        {"event_id": f"{prefix}-2", "ts": posted.isoformat(), "channel": "weibo",
         "text": "刹车异响投诉了三次没人管,只能发出来了,太失望了", "customer_id": customer, "author": "@车主老王",
         "region": "广东", "city": "广州"},
    ]


ANGRY_SERVICE_TEXTS = ["店员服务态度差,爱答不理", "服务态度太差了,问什么都不耐烦", "态度恶劣,再也不来了", "服务员态度很差,还翻白眼"]


def city_burst(city: str, region: str, count: int, at: datetime, every_minutes: float = 1.0,
               prefix: str = "cb") -> list[dict[str, Any]]:
    """``count`` angry posts about service at ten stores of one city: the city's negatives and its region's 服务态度差."""
    return [
        {
            "event_id": f"{prefix}-{i}",
            "ts": (at + timedelta(minutes=i * every_minutes)).isoformat(),
            "channel": "dianping",
            "text": ANGRY_SERVICE_TEXTS[i % len(ANGRY_SERVICE_TEXTS)] + f"{i}号",
            "store_id": f"S{100 + i % 10}",
            "region": region,
            "city": city,
            "customer_id": f"angry-{prefix}-{i}",
        }
        for i in range(count)
    ]


async def consume_until(
    servers: str,
    topic: str,
    done: Callable[[list[Any]], bool],
    timeout: float,
) -> list[Any]:
    """Read ``topic`` from the start until ``done(messages)`` or the timeout; returns the messages."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=servers, auto_offset_reset="earliest", group_id=None)
    await consumer.start()
    messages: list[Any] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline and not done(messages):
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                messages.extend(records)
    finally:
        await consumer.stop()
    return messages


def alerts_in(messages: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(m.value) for m in messages]
