"""How often the background names each risk category, as the service's lexicon reads it.

Real reviews complain about late deliveries, poor quality and leaks all the time, and
a refund complaint often names rude service too, so the keyword_spike rule counts far
more 物流延误 than the generated 物流延误 complaints alone: about 2.2 times as many on
the benchmark stream. An incident planned at "x4.7" of those complaints was barely
x2.7 of what the rule counts. The planner takes each category's baseline from this
reading instead, so a multiplier is of what the stream really holds. The lexicon is
the yardstick because it is what the rule reads; where it misreads a review, that
misreading is part of the baseline the rule must beat.
"""

from __future__ import annotations

from collections import Counter

from voc_stream.simulate.events_factory import everyday_mood
from voc_stream.simulate.texts import TextMaker
from voc_stream.simulate.world import VERTICALS

SAMPLES = 4_000  # texts per line of business: a 3% share is known to about +-8%


def background_category_shares(texts: TextMaker, match, samples: int = SAMPLES) -> dict[str, dict[str, float]]:
    """Per line of business, the share of its background texts in which ``match(text)`` finds each category.

    The background as the generator draws it: a complaint in one of the line's categories
    (``risk_share`` of the texts), else everyday feedback. ``texts`` should have a random
    generator of its own, so drawing this sample leaves the stream as it was.
    """
    shares: dict[str, dict[str, float]] = {}
    rand = texts.rand
    for vertical in VERTICALS:
        names, weights = list(vertical.categories), list(vertical.categories.values())
        found: Counter[str] = Counter()
        for _ in range(samples):
            product = rand.choice(vertical.products)
            if rand.random() < vertical.risk_share:
                text = texts.risk(rand.choices(names, weights)[0], product, vertical.name)
            else:
                text, _ = texts.everyday(vertical.name, everyday_mood(rand, vertical), product)
            found.update(set(match(text)))
        shares[vertical.name] = {category: count / samples for category, count in found.items()}
    return shares
