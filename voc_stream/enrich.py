"""From a validated event to an enriched one: masked text, tokens, sentiment, risk categories.

The original text is dropped here: downstream of enrichment only the masked text
exists, so no topic, table, log or alert can leak a phone or card number.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from voc_stream.events import FeedbackEvent
from voc_stream.text.inquiry import channel_sentiment


@dataclass(slots=True)
class EnrichedEvent:
    """What detection needs of one event; also the JSON on ``voc.feedback.enriched``."""

    event_id: str
    ts: float  # event time, epoch seconds
    ts_iso: str
    channel: str
    visibility: str
    text_masked: str
    tokens: list[str]
    sentiment: float
    negative: bool
    categories: list[str]
    store_id: str | None = None
    merchant_id: str | None = None
    region: str | None = None
    city: str | None = None
    product: str | None = None
    customer_key: str | None = None  # who complained: customer_id, else public author
    rating: int | None = None
    ingest_ts: float = 0.0  # wall clock when the worker read it, for ingest-to-alert latency
    stream_start: float = 0.0  # event time the pipeline started at, for rules with a warm-up
    volume_lift: float = 1.0  # the whole stream's volume now over its usual for the hour (VolumeLift)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "EnrichedEvent":
        return cls(**data)

    @classmethod
    def from_json(cls, raw: bytes | str) -> "EnrichedEvent":
        return cls.from_dict(json.loads(raw))


def is_negative(sentiment: float, rating: int | None, threshold: float) -> bool:
    """Negative if the text reads negative, or the customer gave one or two stars."""
    return sentiment < threshold or (rating is not None and rating <= 2)


class Enricher:
    """Wraps the text analyzer; one instance per worker (jieba and the model load once)."""

    def __init__(self, analyzer: Any, negative_threshold: float = 0.4) -> None:
        self.analyzer = analyzer
        self.negative_threshold = negative_threshold

    def enrich(self, event: FeedbackEvent, ingest_ts: float | None = None) -> EnrichedEvent:
        return self.enrich_many([event], ingest_ts)[0]

    def enrich_many(self, events: Sequence[FeedbackEvent], ingest_ts: float | None = None) -> list[EnrichedEvent]:
        now = time.time() if ingest_ts is None else ingest_ts
        analyses = self.analyzer.analyze_many([event.text for event in events])
        return [self._build(event, analysis, now) for event, analysis in zip(events, analyses)]

    def _build(self, event: FeedbackEvent, analysis: Any, ingest_ts: float) -> EnrichedEvent:
        private = event.visibility == "private"
        sentiment = channel_sentiment(analysis.sentiment, analysis.text_masked, analysis.categories, private)
        return EnrichedEvent(
            event_id=event.event_id,
            ts=event.epoch,
            ts_iso=event.ts.isoformat(),
            channel=event.channel.value,
            visibility=event.visibility,
            text_masked=analysis.text_masked,
            tokens=list(analysis.tokens),
            sentiment=round(float(sentiment), 4),
            negative=is_negative(sentiment, event.rating, self.negative_threshold),
            categories=list(analysis.categories),
            store_id=event.store_id,
            merchant_id=event.merchant_id,
            region=event.region,
            city=event.city,
            product=event.product,
            customer_key=event.customer_id or event.author,
            rating=event.rating,
            ingest_ts=ingest_ts,
        )
