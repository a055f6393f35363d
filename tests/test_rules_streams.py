"""Small synthetic enriched streams for the rule tests: a steady background plus what a test adds."""

from __future__ import annotations

import random
from datetime import datetime

from voc_stream.engine import DetectionEngine
from voc_stream.enrich import EnrichedEvent
from voc_stream.events import CHINA_TZ
from voc_stream.rules import RuleContext, RulesConfig, build_rules

START = datetime(2026, 3, 2, tzinfo=CHINA_TZ).timestamp()  # a Monday, midnight China time
HOUR = 3600.0
DAY = 86400.0


def event(ts: float, n: int, *, store: str | None = "S1", city: str | None = "宁波", region: str | None = "浙江",
          negative: bool = False, categories: tuple[str, ...] = (), tokens: tuple[str, ...] = ("东西", "不错"),
          customer: str | None = None, merchant: str | None = None) -> EnrichedEvent:
    return EnrichedEvent(
        event_id=f"e{n}",
        ts=ts,
        ts_iso=datetime.fromtimestamp(ts, CHINA_TZ).isoformat(),
        channel="app_review",
        visibility="public",
        text_masked="".join(tokens),
        tokens=list(tokens),
        sentiment=0.1 if negative else 0.8,
        negative=negative,
        categories=list(categories),
        store_id=store,
        merchant_id=merchant,
        region=region,
        city=city,
        customer_key=customer or f"c{n}",
        stream_start=START,
    )


def engine(config: RulesConfig | None = None, rules: tuple[str, ...] | None = None,
           lexicon: frozenset[str] = frozenset()) -> DetectionEngine:
    context = RuleContext(config=config or RulesConfig(), fraud_categories=frozenset({"诈骗"}), lexicon_terms=lexicon)
    chosen = [r for r in build_rules(context) if rules is None or r.name in rules]
    return DetectionEngine(chosen, {})


def background(days: float, per_hour: float, *, negative_share: float = 0.3, category_share: float = 0.0,
               seed: int = 1, start: float = START, lift: float = 1.0, **fields) -> list[EnrichedEvent]:
    """Poisson-ish arrivals with a daily rhythm (quiet nights), ``lift`` times the usual volume."""
    rand = random.Random(seed)
    out: list[EnrichedEvent] = []
    t = start
    n = seed * 10_000_000
    end = start + days * DAY
    while True:
        hour = ((t - START) % DAY) / HOUR
        rate = per_hour * lift * (0.2 if hour < 7 else 1.0)
        t += rand.expovariate(rate / HOUR)
        if t >= end:
            return out
        n += 1
        cats = ("质量问题",) if rand.random() < category_share else ()
        out.append(event(t, n, negative=rand.random() < negative_share, categories=cats, **fields))


def burst(start: float, minutes: float, count: int, seed: int = 9, **fields) -> list[EnrichedEvent]:
    rand = random.Random(seed)
    return [event(start + rand.random() * minutes * 60, seed * 1_000_000 + i, **fields) for i in range(count)]


def run(eng: DetectionEngine, events: list[EnrichedEvent]) -> list:
    alerts = []
    last_bucket = -1
    for e in sorted(events, key=lambda e: e.ts):
        bucket = int(e.ts // 300)
        if bucket != last_bucket:
            alerts.extend(eng.tick(e.ts))
            last_bucket = bucket
        alerts.extend(eng.process(e))
    return alerts


def firing(alerts: list, rule: str | None = None) -> list:
    return [a for a in alerts if a.status == "firing" and (rule is None or a.rule == rule)]
