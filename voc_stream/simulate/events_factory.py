"""One contract event (CONTRACTS.md §1) from a time, a place and an intent.

Private channels carry a ``customer_id``, public ones an ``author`` handle;
channels that show stars carry a ``rating`` that agrees with the mood.
"""

from __future__ import annotations

import bisect
import itertools
import random
from datetime import datetime

from voc_stream.events import CHINA_TZ, PUBLIC_CHANNELS, Channel
from voc_stream.simulate.texts import TextMaker
from voc_stream.simulate.world import VERTICAL_BY_NAME, Store, Vertical, World

PUBLIC = frozenset(channel.value for channel in PUBLIC_CHANNELS)
RATED = frozenset({"dianping", "ecommerce", "app_review", "survey"})
ID_PREFIX = {
    "weibo": "wb", "douyin": "dy", "xiaohongshu": "xhs", "dianping": "dp", "ecommerce": "ec", "forum": "bbs",
    "app_review": "ar", "news": "nw", "hotline": "hl", "chat": "ct", "email": "em", "ticket": "tk",
    "app_feedback": "af", "survey": "sv",
}
assert set(ID_PREFIX) == {channel.value for channel in Channel}
HANDLE_HEADS = ("小熊", "车主老王", "吃货", "阿杰", "橘子", "喵喵", "打工人", "北漂", "深夜", "追风", "小鹿", "大白",
                "程序猿", "宝妈", "奶茶控", "夜猫子", "老李", "Lucky", "momo", "阿飞")
HANDLE_TAILS = ("爱吃鱼", "不吃香菜", "的日常", "在路上", "酱", "说车", "今天也要加油", "_", "同学", "本尊", "2024", "呀")


def everyday_mood(rand: random.Random, vertical: Vertical) -> str:
    """Negative, neutral (a plain question) or positive, in the line of business's proportions."""
    roll = rand.random()
    return "negative" if roll < vertical.negative_share else "neutral" if roll < vertical.negative_share + 0.2 else "positive"


def handle(number: int) -> str:
    """A public handle like ``@小熊爱吃鱼`` or ``@宝妈说车37``; distinct numbers give distinct handles."""
    head = HANDLE_HEADS[number % len(HANDLE_HEADS)]
    tail = HANDLE_TAILS[(number // len(HANDLE_HEADS)) % len(HANDLE_TAILS)]
    rest = number // (len(HANDLE_HEADS) * len(HANDLE_TAILS))
    return f"@{head}{tail}{rest if rest else ''}"


class EventFactory:
    def __init__(self, world: World, texts: TextMaker, rand: random.Random) -> None:
        self.world = world
        self.texts = texts
        self.rand = rand
        self._channels = {}
        self._service_channels = {}
        for name, vertical in VERTICAL_BY_NAME.items():
            names = list(vertical.channels)
            self._channels[name] = (names, list(itertools.accumulate(vertical.channels[c] for c in names)))
            private = [c for c in names if c not in PUBLIC]
            self._service_channels[name] = (private, list(itertools.accumulate(vertical.channels[c] for c in private)))
        self._categories = {}
        for name, vertical in VERTICAL_BY_NAME.items():
            names = list(vertical.categories)
            self._categories[name] = (names, list(itertools.accumulate(vertical.categories[c] for c in names)))

    def _pick(self, table: tuple[list[str], list[float]]) -> str:
        names, cumulative = table
        return names[bisect.bisect_right(cumulative, self.rand.random() * cumulative[-1])]

    def category(self, vertical: str) -> str:
        return self._pick(self._categories[vertical])

    def make(self, epoch: float, vertical: str, intent: str, *, store: Store | None = None, region: str | None = None,
             city: str | None = None, merchant: str | None = None, category: str | None = None,
             place: str = "", term: tuple[str, str] | None = None, person: int | None = None,
             public_bias: float = 0.0) -> tuple[float, dict]:
        """``intent``: ``risk``, ``everyday``, ``angry`` or ``emerging``; ``person`` forces one customer / handle."""
        rand = self.rand
        spec = VERTICAL_BY_NAME[vertical]
        product = rand.choice(spec.products)
        mood = "negative"
        if intent == "risk":
            text = self.texts.risk(category or self.category(vertical), product, vertical)
        elif intent == "angry":
            text = self.texts.angry(place)
        elif intent == "emerging":
            text = self.texts.emerging(term[0], term[1], product)
        else:
            mood = everyday_mood(rand, spec)
            text, product = self.texts.everyday(vertical, mood, product)
        # A plain question goes to the business (hotline, chat, ticket...), not to a public review: in
        # the shared review corpora under 3% of public texts are questions, and most are rhetorical.
        channel = self._pick(self._service_channels[vertical] if mood == "neutral" else self._channels[vertical])
        if public_bias and channel not in PUBLIC and rand.random() < public_bias:
            channel = rand.choice(("weibo", "douyin", "dianping" if store else "xiaohongshu"))
        who = person if person is not None else rand.randrange(self.world.customers)
        event = {
            "event_id": "",
            "ts": datetime.fromtimestamp(epoch, CHINA_TZ).isoformat(timespec="seconds"),
            "channel": channel,
            "text": text,
        }
        if store is not None:
            event["store_id"] = store.store_id
            region, city, merchant = store.region, store.city, merchant or store.merchant_id
        if merchant:
            event["merchant_id"] = merchant
        if region:
            event["region"] = region
        if city:
            event["city"] = city
        if product:
            event["product"] = product
        if channel in PUBLIC:
            event["author"] = handle(who)
        else:
            event["customer_id"] = f"c-{10_000 + who}"
        if channel in RATED:
            event["rating"] = {"negative": rand.choice((1, 1, 2)), "neutral": rand.choice((2, 3, 3, 4)),
                               "positive": rand.choice((4, 5, 5))}[mood]
        return epoch, event
