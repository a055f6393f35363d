"""keyword_spike: a risk category's share of a region's feedback (or the nation's) jumps."""

from __future__ import annotations

from voc_stream.enrich import EnrichedEvent
from voc_stream.rules.base import Rule


class KeywordSpike(Rule):
    """Per (category, region) and per category nationally; fraud categories belong to fraud_pattern."""

    name = "keyword_spike"

    def keys(self, event: EnrichedEvent) -> list[str]:
        keys = [f"{self.name}|{self.context.config.national_name}"]
        if event.region:
            keys.append(f"{self.name}|{event.region}")
        return keys

    def hits(self, key: str, event: EnrichedEvent) -> list[str]:
        return [c for c in event.categories if c not in self.context.fraud_categories]

    def subject(self, key: str, series: str) -> dict[str, str]:
        region = key.split("|", 1)[1]
        if region == self.context.config.national_name:
            return {"category": series}
        return {"category": series, "region": region}

    def scope(self, key: str) -> str:
        return "national" if self.is_aggregate(key) else "region"

    def is_aggregate(self, key: str) -> bool:
        return key.split("|", 1)[1] == self.context.config.national_name

    def has_parts(self, key: str) -> bool:
        return True

    def source(self, key: str, event: EnrichedEvent) -> str | None:
        """Nationally the region; in a region the store or merchant (a flood at one store is the store's)."""
        if self.is_aggregate(key):
            return event.region
        return event.store_id or event.merchant_id
