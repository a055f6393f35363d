"""negative_burst: one store, or one city, suddenly draws far more negative feedback than usual."""

from __future__ import annotations

from voc_stream.enrich import EnrichedEvent
from voc_stream.rules.base import Rule

NEGATIVE = "negative"


class NegativeBurst(Rule):
    """Negative share of a store's (or a city's) feedback, against its own baseline."""

    name = "negative_burst"

    def keys(self, event: EnrichedEvent) -> list[str]:
        keys = []
        if event.store_id:
            keys.append(f"{self.name}|store|{event.store_id}")
        if event.city:
            keys.append(f"{self.name}|city|{event.city}")
        return keys

    def hits(self, key: str, event: EnrichedEvent) -> list[str]:
        return [NEGATIVE] if event.negative else []

    def subject(self, key: str, series: str) -> dict[str, str]:
        _, kind, value = key.split("|", 2)
        return {"store_id": value} if kind == "store" else {"city": value}

    def is_aggregate(self, key: str) -> bool:
        return key.split("|", 2)[1] == "city"

    def source(self, key: str, event: EnrichedEvent) -> str | None:
        return event.store_id

    def describe(self, subject, observed, expected, minutes) -> str:
        who = subject.get("store_id") or subject.get("city", "")
        return f"{who} 负面反馈: {observed:g} negative in {minutes} min, {expected:.1f} expected"
