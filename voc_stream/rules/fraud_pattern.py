"""fraud_pattern: fraud-category complaints from many distinct customers about one merchant, a region, or the nation."""

from __future__ import annotations

from voc_stream.enrich import EnrichedEvent
from voc_stream.rules.base import Rule


ANY_FRAUD = "fraud"


class FraudPattern(Rule):
    """Per merchant (all fraud categories together), per (fraud category, region), per fraud category nationally.

    A merchant is counted across categories because one scheme draws complaints of
    several kinds at once (好评返现, then 刷单, then 诈骗): split by category, none
    of them alone is strong evidence.
    """

    name = "fraud_pattern"

    def keys(self, event: EnrichedEvent) -> list[str]:
        keys = [f"{self.name}|national|{self.context.config.national_name}"]
        if event.merchant_id:
            keys.append(f"{self.name}|merchant|{event.merchant_id}")
        if event.region:
            keys.append(f"{self.name}|region|{event.region}")
        return keys

    def hits(self, key: str, event: EnrichedEvent) -> list[str]:
        fraud = [c for c in event.categories if c in self.context.fraud_categories]
        if fraud and key.split("|", 2)[1] == "merchant":
            return [ANY_FRAUD]
        return fraud

    def subject(self, key: str, series: str) -> dict[str, str]:
        _, kind, value = key.split("|", 2)
        if kind == "merchant":
            return {"merchant_id": value}
        if kind == "region":
            return {"category": series, "region": value}
        return {"category": series}

    def scope(self, key: str) -> str:
        return key.split("|", 2)[1]

    def is_aggregate(self, key: str) -> bool:
        return self.scope(key) != "merchant"

    def source(self, key: str, event: EnrichedEvent) -> str | None:
        if self.scope(key) == "national":
            return event.region
        return event.merchant_id or event.store_id

    def describe(self, subject: dict[str, str], observed: float, expected: float, minutes: int) -> str:
        if "merchant_id" in subject:
            return f"商户 {subject['merchant_id']} 欺诈类投诉: {observed:g} in {minutes} min, {expected:.1f} expected"
        return super().describe(subject, observed, expected, minutes)
