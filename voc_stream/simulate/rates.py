"""Expected events per minute, overall and for each kind of alert subject.

The generator draws the background from ``vertical(v)``; the planner sizes each
incident from the matching subject baseline, so "5x" means five times what that
subject normally sees at that hour of that day.
"""

from __future__ import annotations

import numpy as np

from voc_stream.simulate.reading import Reading
from voc_stream.simulate.rhythm import minute_profile
from voc_stream.simulate.spec import ScenarioSpec
from voc_stream.simulate.world import VERTICAL_BY_NAME, VERTICALS, Store, Vertical, World, fraud_share, negative_share


class Rates:
    def __init__(self, spec: ScenarioSpec, world: World, reading: Reading | None = None) -> None:
        self.spec = spec
        self.world = world
        # How the service reads each line of business's background (``reading``); without it,
        # the shares the generator draws: complaints by category, complaints plus negative feedback.
        self.reading = reading
        start = spec.start
        self.per_vertical: dict[str, np.ndarray] = {}
        promo = np.ones(spec.minutes)
        if spec.promotion_day is not None:
            promo[spec.promotion_day * 1440:(spec.promotion_day + 1) * 1440] = spec.promotion_factor
        for vertical in VERTICALS:
            profile = minute_profile(vertical.name, start.hour, start.weekday(), spec.minutes)
            self.per_vertical[vertical.name] = spec.events_per_day / 1440 * vertical.share * profile * promo

    @staticmethod
    def _category_weight(vertical, category: str) -> float:
        return vertical.categories.get(category, 0.0) / sum(vertical.categories.values())

    def category(self, category: str, region: str | None = None) -> np.ndarray:
        """Mentions of ``category`` (in one region, or nationwide) per minute, as keyword_spike counts them."""
        share = self.world.region_share(region) if region else 1.0
        total = np.zeros(self.spec.minutes)
        for vertical in VERTICALS:
            if self.reading is not None:
                per_event = self.reading.categories.get(vertical.name, {}).get(category, 0.0)
            else:
                per_event = vertical.risk_share * self._category_weight(vertical, category)
            total += self.per_vertical[vertical.name] * per_event
        return total * share

    def _negative(self, vertical: Vertical) -> float:
        return self.reading.negative[vertical.name] if self.reading is not None else negative_share(vertical)

    def store_negative(self, store: Store) -> np.ndarray:
        vertical = VERTICAL_BY_NAME[store.vertical]
        return self.per_vertical[vertical.name] * self.world.store_share(store) * self._negative(vertical)

    def city_negative(self, region: str, city: str) -> np.ndarray:
        total = np.zeros(self.spec.minutes)
        for vertical in VERTICALS:
            share = self.world.city_share(region, city, vertical.name)
            total += self.per_vertical[vertical.name] * share * self._negative(vertical)
        return total

    def merchant_fraud(self, vertical_name: str, merchant_id: str) -> np.ndarray:
        vertical = VERTICAL_BY_NAME[vertical_name]
        share = self.world.merchant_share(vertical_name, merchant_id)
        if self.reading is not None:
            per_event = self.reading.fraud[vertical_name]
        else:
            per_event = vertical.risk_share * fraud_share(vertical) / sum(vertical.categories.values())
        return self.per_vertical[vertical_name] * share * per_event
