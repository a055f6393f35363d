"""The simulated business: lines of business, stores, merchants, where customers live.

Stores (car dealers, restaurant branches) sit in one city; online shops and
payment payees are merchants whose customers live anywhere. Volume weights are
skewed (a few flagship stores and big merchants carry much of the traffic), and
``share_*`` methods give each subject's expected share of the stream so that
incidents can be sized against their subject's own baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from voc_stream.simulate.geography import Region, top_regions
from voc_stream.simulate.risk_phrases import FRAUD_CATEGORIES


@dataclass(frozen=True)
class Vertical:
    name: str
    share: float
    risk_share: float
    negative_share: float
    categories: dict[str, float]
    channels: dict[str, float]
    products: tuple[str, ...]
    has_store: bool
    has_merchant: bool
    store_kind: str = ""


VERTICALS: tuple[Vertical, ...] = (
    Vertical(
        "auto", 0.2, 0.15, 0.2,
        {"刹车异响": .16, "续航虚标": .12, "电池故障": .12, "车机卡顿": .14, "漏水": .06, "异味": .08,
         "质量问题": .14, "服务态度差": .12, "拒绝退款": .03, "虚假宣传": .03},
        {"weibo": .12, "douyin": .12, "xiaohongshu": .06, "dianping": .08, "forum": .12, "news": .02, "app_review": .03,
         "hotline": .18, "chat": .1, "email": .03, "ticket": .06, "app_feedback": .04, "survey": .04},
        ("远航S6", "极光EV3", "星驰X5", "锐行L7", "Model-X", "启程M3"), True, False, "4S店",
    ),
    Vertical(
        "dining", 0.35, 0.12, 0.25,
        {"食品安全": .25, "异味": .1, "物流延误": .25, "服务态度差": .2, "诱导好评": .1, "拒绝退款": .07, "质量问题": .03},
        {"dianping": .25, "weibo": .05, "douyin": .06, "xiaohongshu": .08, "app_review": .08, "chat": .2, "hotline": .06,
         "app_feedback": .1, "survey": .07, "ticket": .05},
        ("黄焖鸡米饭", "麻辣香锅", "奶茶", "炸鸡套餐", "牛肉面", "轻食沙拉", "烧烤", "饺子"), True, True, "门店",
    ),
    Vertical(
        "retail", 0.3, 0.12, 0.25,
        {"质量问题": .22, "物流延误": .2, "虚假宣传": .08, "拒绝退款": .12, "诱导好评": .12, "刷单": .1,
         "服务态度差": .08, "漏水": .03, "电池故障": .03, "异味": .02},
        {"ecommerce": .35, "weibo": .05, "douyin": .05, "xiaohongshu": .07, "forum": .03, "chat": .22, "hotline": .05,
         "email": .03, "ticket": .08, "app_feedback": .04, "survey": .03},
        ("手机", "平板", "笔记本电脑", "水果", "洗发水", "热水器", "牛奶", "服装", "图书"), False, True,
    ),
    Vertical(
        "payments", 0.15, 0.18, 0.2,
        {"转账失败": .22, "扣款异常": .25, "冒充客服": .15, "诈骗": .15, "服务态度差": .13, "拒绝退款": .1},
        {"weibo": .08, "forum": .05, "app_review": .1, "news": .02, "douyin": .03, "hotline": .25, "chat": .2,
         "app_feedback": .12, "ticket": .1, "email": .05},
        ("扫码支付", "转账", "ETC", "信用卡还款", "免密支付", "会员自动续费"), False, True,
    ),
)
VERTICAL_BY_NAME = {vertical.name: vertical for vertical in VERTICALS}


@dataclass(frozen=True)
class Store:
    store_id: str
    vertical: str
    region: str
    city: str
    merchant_id: str | None
    weight: float  # share of its vertical's events in its region


@dataclass
class World:
    """Everything the stream talks about, built once per seed."""

    regions: tuple[Region, ...]
    region_p: np.ndarray
    city_p: dict[str, np.ndarray]
    stores: list[Store]
    merchants: dict[str, list[str]]  # vertical -> merchant ids (merchant verticals)
    merchant_p: dict[str, np.ndarray]
    customers: int
    tiny_store_id: str | None = None
    _store_index: dict[str, Store] = field(default_factory=dict)

    def store(self, store_id: str) -> Store:
        if not self._store_index:
            self._store_index = {store.store_id: store for store in self.stores}
        return self._store_index[store_id]

    def region_share(self, region: str) -> float:
        return float(self.region_p[[r.name for r in self.regions].index(region)])

    def stores_of(self, vertical: str) -> list[Store]:
        return [store for store in self.stores if store.vertical == vertical]

    def store_share(self, store: Store) -> float:
        """Expected share of the store's vertical volume that is about this store."""
        return self.region_share(store.region) * store.weight

    def city_share(self, region: str, city: str, vertical: str) -> float:
        """Share of a vertical's volume from one city (stores there, or customers living there)."""
        if VERTICAL_BY_NAME[vertical].has_store:
            return sum(self.store_share(s) for s in self.stores_of(vertical) if s.city == city)
        names = [c.name for c in next(r for r in self.regions if r.name == region).cities]
        return self.region_share(region) * float(self.city_p[region][names.index(city)])

    def merchant_share(self, vertical: str, merchant_id: str) -> float:
        return float(self.merchant_p[vertical][self.merchants[vertical].index(merchant_id)])


def fraud_share(vertical: Vertical) -> float:
    return sum(weight for category, weight in vertical.categories.items() if category in FRAUD_CATEGORIES)


def negative_share(vertical: Vertical) -> float:
    return vertical.risk_share + (1 - vertical.risk_share) * vertical.negative_share


def build_world(rng: np.random.Generator, regions: int, stores: int, merchants: int, customers: int,
                tiny_store: bool) -> World:
    """Regions, stores (at least one per region and store vertical) and merchants, with skewed volumes."""
    chosen = top_regions(regions)
    region_p = np.array([r.population_m for r in chosen])
    region_p = region_p / region_p.sum()
    city_p = {}
    for region in chosen:
        weights = np.array([1.0 / (i + 1) for i in range(len(region.cities))])
        city_p[region.name] = weights / weights.sum()

    store_verticals = [v for v in VERTICALS if v.has_store]
    merchant_verticals = [v for v in VERTICALS if v.has_merchant]
    merchant_ids = _merchant_ids(rng, merchants)
    merchant_lists: dict[str, list[str]] = {}
    merchant_p: dict[str, np.ndarray] = {}
    cursor = 0
    for vertical, portion in zip(merchant_verticals, _split(merchants, [0.15, 0.6, 0.25])):
        ids = merchant_ids[cursor:cursor + portion]
        cursor += portion
        merchant_lists[vertical.name] = ids
        weights = 1.0 / np.arange(1, len(ids) + 1) ** 0.8
        rng.shuffle(weights)
        merchant_p[vertical.name] = weights / weights.sum()

    store_list: list[Store] = []
    used: set[str] = set()
    for vertical, portion in zip(store_verticals, _split(stores, [0.35, 0.65])):
        counts = np.maximum(1, np.round(region_p * max(portion, len(chosen))).astype(int))
        for region, count in zip(chosen, counts):
            raw = rng.lognormal(0.0, 0.9, size=count)
            raw = raw / raw.sum()
            for weight in raw:
                city_index = rng.choice(len(region.cities), p=city_p[region.name])
                city = region.cities[city_index]
                store_id = _store_id(rng, city.code, city.districts, used)
                chain = None
                if vertical.has_merchant:
                    chain = merchant_lists[vertical.name][rng.choice(len(merchant_lists[vertical.name]),
                                                                     p=merchant_p[vertical.name])]
                store_list.append(Store(store_id, vertical.name, region.name, city.name, chain, float(weight)))

    world = World(chosen, region_p, city_p, store_list, merchant_lists, merchant_p, customers)
    if tiny_store:
        region = chosen[-1]
        tiny_id = _store_id(rng, region.cities[0].code, region.cities[0].districts, used)
        chain = merchant_lists["dining"][0]
        world.stores.append(Store(tiny_id, "dining", region.name, region.cities[0].name, chain, 0.0))
        world.tiny_store_id = tiny_id
    return world


def _split(total: int, fractions: list[float]) -> list[int]:
    parts = [max(1, int(round(total * f))) for f in fractions]
    parts[-1] = max(1, total - sum(parts[:-1]))
    return parts


def _merchant_ids(rng: np.random.Generator, count: int) -> list[str]:
    numbers = rng.choice(np.arange(10_000, 99_999), size=count, replace=False)
    ids = [f"M{n}" for n in numbers]
    if "M10086" not in ids and ids:
        ids[0] = "M10086"
    return ids


def _store_id(rng: np.random.Generator, city_code: str, districts: tuple[str, ...], used: set[str]) -> str:
    district = districts[int(rng.integers(len(districts)))]
    number = 1
    while f"{city_code}-{district}-{number:03d}" in used:
        number += 1
    store_id = f"{city_code}-{district}-{number:03d}"
    used.add(store_id)
    return store_id
