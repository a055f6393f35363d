"""fraud_pattern: fraud-category complaints from many distinct customers about one merchant, a region, or the nation."""

from __future__ import annotations

from voc_stream.enrich import EnrichedEvent
from voc_stream.rules.base import Rule


class FraudPattern(Rule):
    """Per (fraud category, merchant), per (fraud category, region) and per fraud category nationally."""

    name = "fraud_pattern"

    def keys(self, event: EnrichedEvent) -> list[str]:
        keys = [f"{self.name}|national|{self.context.config.national_name}"]
        if event.merchant_id:
            keys.append(f"{self.name}|merchant|{event.merchant_id}")
        if event.region:
            keys.append(f"{self.name}|region|{event.region}")
        return keys

    def hits(self, key: str, event: EnrichedEvent) -> list[str]:
        return [c for c in event.categories if c in self.context.fraud_categories]

    def subject(self, key: str, series: str) -> dict[str, str]:
        _, kind, value = key.split("|", 2)
        if kind == "merchant":
            return {"merchant_id": value, "category": series}
        if kind == "region":
            return {"category": series, "region": value}
        return {"category": series}

    def is_aggregate(self, key: str) -> bool:
        return key.split("|", 2)[1] != "merchant"

    def source(self, key: str, event: EnrichedEvent) -> str | None:
        kind = key.split("|", 2)[1]
        if kind == "national":
            return event.region
        return event.merchant_id or event.store_id
