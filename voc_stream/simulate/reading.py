"""How the service reads the background: its risk categories, negatives and fraud mentions.

Real reviews complain about late deliveries, poor quality and leaks all the time, and
a refund complaint often names rude service too, so the keyword_spike rule counts far
more 物流延误 than the generated 物流延误 complaints alone: about 2.2 times as many on
the benchmark stream. An incident planned at "x4.7" of those complaints was barely
x2.7 of what the rule counts. Likewise the sentiment model reads some everyday
feedback as negative, so a store's usual negatives are more than its complaints. The
planner takes every baseline from this reading instead, so a multiplier is of what
the rules really count. The service's own enrichment is the yardstick because it is
what the rules read; where it misreads a review, that misreading is part of the
baseline a rule must beat.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from voc_stream.enrich import Enricher
from voc_stream.events import event_from_dict
from voc_stream.service import load_components
from voc_stream.simulate.events_factory import EventFactory
from voc_stream.simulate.world import VERTICALS
from voc_stream.text.analyzer import TextAnalyzer
from voc_stream.text.lexicon import load_lexicon

SAMPLES = 4_000  # events per line of business: a 3% share is known to about +-8%


@dataclass(frozen=True)
class Reading:
    """Per line of business, the share of its background events the service reads each way."""

    categories: dict[str, dict[str, float]]  # vertical -> category -> share of events naming it
    negative: dict[str, float]  # vertical -> share of events read as negative
    fraud: dict[str, float]  # vertical -> share of events naming any fraud category


def read_background(factory: EventFactory, enricher: Enricher, samples: int = SAMPLES) -> Reading:
    """Draw ``samples`` background events per line of business with ``factory``; enrich them as the worker does.

    The background as the generator draws it: a complaint (``risk_share`` of the events),
    else everyday feedback. ``factory`` should have a random generator of its own, so
    drawing this sample leaves the stream as it was.
    """
    fraud = frozenset(enricher.analyzer.lexicon.fraud_categories)
    categories, negative, fraud_share = {}, {}, {}
    rand = factory.rand
    for vertical in VERTICALS:
        drawn = [factory.make(0.0, vertical.name, "risk" if rand.random() < vertical.risk_share else "everyday")[1]
                 for _ in range(samples)]
        for index, event in enumerate(drawn):
            event["event_id"] = f"reading-{index}"
        enriched = enricher.enrich_many([event_from_dict(event) for event in drawn], 0.0)
        found: Counter[str] = Counter(c for e in enriched for c in set(e.categories))
        categories[vertical.name] = {category: count / samples for category, count in found.items()}
        negative[vertical.name] = sum(e.negative for e in enriched) / samples
        fraud_share[vertical.name] = sum(bool(fraud.intersection(e.categories)) for e in enriched) / samples
    return Reading(categories, negative, fraud_share)


@lru_cache(maxsize=4)
def service_enricher(lexicon_path: Path) -> Enricher:
    """The service's enrichment as ``load_components`` builds it (dictionary, models, negative threshold), with ``lexicon_path``."""
    components = load_components()
    shipped = components.analyzer
    analyzer = TextAnalyzer(load_lexicon(lexicon_path), shipped.segmenter, shipped.sentiment, shipped.category_model)
    return Enricher(analyzer, components.rules_config.negative_threshold)

