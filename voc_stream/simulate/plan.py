"""Choosing when incidents happen, about whom, and how strong; and where the decoys go.

Each incident gets its own slot (morning, afternoon or evening of a day after
the warm-up, never on the promotion day), a subject whose baseline is large
enough for its multiplier to mean something, and a multiplier in the spec's
range. Subjects are not reused, so every incident is a separate thing to find.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from voc_stream.simulate.everyday_phrases import EMERGING_TERMS
from voc_stream.simulate.known_terms import is_novel
from voc_stream.simulate.rates import Rates
from voc_stream.simulate.risk_phrases import FRAUD_CATEGORIES, RISK_CATEGORIES
from voc_stream.simulate.spec import SCOPE_RULES, Decoy, Incident, ScenarioSpec
from voc_stream.simulate.world import World

SLOT_HOURS = (8.5, 13.0, 18.0)
AFTERNOON = 13.0
MERCHANT_FRAUD_MIX = {"诈骗": 0.35, "刷单": 0.3, "诱导好评": 0.35}


@dataclass
class Injection:
    """An incident plus what the generator needs to draw its events."""

    incident: Incident
    scope: str
    first_minute: int
    intensity: np.ndarray  # extra events per minute, from first_minute on
    details: dict = field(default_factory=dict)


@dataclass
class Plan:
    injections: list[Injection]
    decoys: list[Decoy]
    lift_region: str | None = None
    tiny_store_minute: int | None = None


def _slots(spec: ScenarioSpec, rng: np.random.Generator) -> list[float]:
    if spec.incident_slots is not None:
        return list(spec.incident_slots)
    slots = []
    for day in range(math.ceil(spec.warmup_days), int(spec.days)):
        if day == spec.promotion_day:
            continue
        slots.extend(day * 24 + hour + float(rng.uniform(0, 0.5)) for hour in SLOT_HOURS)
    return slots


def _assign(scopes: list[str], slots: list[float], rng: np.random.Generator) -> list[tuple[str, float]]:
    """Store bursts go to afternoon slots first; everything else fills the rest in random order."""
    if len(scopes) > len(slots):
        raise ValueError(f"{len(scopes)} incidents need more than the {len(slots)} slots available")
    free = list(slots)
    pairs: list[tuple[str, float]] = []
    for scope in [s for s in scopes if s == "store"]:
        afternoon = [s for s in free if abs(s % 24 - AFTERNOON) < 1.0] or free
        pick = afternoon[int(rng.integers(len(afternoon)))]
        free.remove(pick)
        pairs.append((scope, pick))
    others = [s for s in scopes if s != "store"]
    order = rng.permutation(len(others))
    for index, slot in zip(order, free):
        pairs.append((others[index], slot))
    return sorted(pairs, key=lambda pair: pair[1])


class Planner:
    def __init__(self, spec: ScenarioSpec, world: World, rates: Rates, rng: np.random.Generator,
                 known: frozenset[str]) -> None:
        self.spec, self.world, self.rates, self.rng, self.known = spec, world, rates, rng, known
        self.used: set[tuple[str, str]] = set()
        self.lift_region: str | None = None

    def plan(self) -> Plan:
        spec, rng = self.spec, self.rng
        decoys: list[Decoy] = []
        if spec.region_lift is not None:
            big = [r.name for r in self.world.regions[:10]]
            self.lift_region = big[int(rng.integers(len(big)))]
            offset, hours, factor = spec.region_lift
            start = spec.start + timedelta(hours=offset)
            decoys.append(Decoy("region_volume_lift", {"region": self.lift_region}, start,
                                start + timedelta(hours=hours), factor,
                                f"{self.lift_region}: all volume x{factor:g} for {hours:g} h (local campaign), complaint share unchanged"))
        if spec.promotion_day is not None:
            start = spec.start + timedelta(days=spec.promotion_day)
            decoys.append(Decoy("promotion_day", {}, start, start + timedelta(days=1), spec.promotion_factor,
                                f"promotion day (双十一): every line of business x{spec.promotion_factor:g}, no incident"))
        scopes = [scope for scope, count in spec.incident_counts.items() for _ in range(count)]
        injections = [self._incident(scope, slot) for scope, slot in _assign(scopes, _slots(spec, rng), rng)]
        tiny_minute = None
        if self.world.tiny_store_id:
            day = int(spec.days) - 1 if spec.days >= 2 else 1
            tiny_minute = min(spec.minutes - 1, int(day * 1440 + rng.uniform(15, 17) * 60))
            when = spec.start + timedelta(minutes=tiny_minute)
            decoys.append(Decoy("tiny_store_complaint", {"store_id": self.world.tiny_store_id}, when,
                                when + timedelta(minutes=1), 1.0,
                                "a store with ~2 events a day gets one extra complaint: not a burst"))
        decoys.append(Decoy("negated_mentions", {}, spec.start, spec.end, spec.negated_share,
                            "positive texts that deny a risk (\"刹车一点都不响\") must not count as complaints"))
        return Plan(injections, decoys, self.lift_region, tiny_minute)

    def _window(self, slot: float) -> tuple[int, int]:
        low, high = self.spec.incident_hours
        first = int(slot * 60)
        last = min(self.spec.minutes, first + int(self.rng.uniform(low, high) * 60))
        return first, last

    def _size(self, candidates: list[tuple[object, np.ndarray]], first: int, last: int):
        """Pick a subject and multiplier so the incident adds at least ``min_extra_per_hour`` when possible."""
        low, high = self.spec.multiplier_range
        multiplier = float(self.rng.uniform(low, high))
        hourly = [(subject, float(rate[first:last].mean() * 60)) for subject, rate in candidates]
        fine = [(s, b) for s, b in hourly if b > 0 and (multiplier - 1) * b >= self.spec.min_extra_per_hour]
        if fine:
            subject, base = fine[int(self.rng.integers(len(fine)))]
        else:
            subject, base = max(hourly, key=lambda pair: pair[1])
            multiplier = min(high, max(multiplier, 1 + self.spec.min_extra_per_hour / max(base, 1e-9)))
        rate = dict(candidates)[subject]
        return subject, multiplier, base, rate

    def _incident(self, scope: str, slot: float) -> Injection:
        first, last = self._window(slot)
        start = self.spec.start + timedelta(minutes=first)
        end = self.spec.start + timedelta(minutes=last)
        rule = SCOPE_RULES[scope]
        world, rates = self.world, self.rates
        details: dict = {}
        if scope == "region":
            regions = [r.name for r in world.regions if ("region", r.name) not in self.used and r.name != self.lift_region]
            # Fraud categories belong to fraud_pattern, which keyword_spike leaves alone (as nationally).
            categories = [c for c in RISK_CATEGORIES if c not in FRAUD_CATEGORIES and ("category", c) not in self.used]
            national = {c: rates.category(c) for c in categories}
            candidates = [((c, r), national[c] * world.region_share(r)) for c in categories for r in regions]
            (category, region), m, base, rate = self._size(candidates, first, last)
            self.used |= {("region", region), ("category", category)}
            subject, details = {"category": category, "region": region}, {"category": category, "region": region}
            text = f"{region} {category}: complaints x{m:.1f} ({base:.1f}/h baseline)"
        elif scope in ("national_category", "national_fraud"):
            pool = FRAUD_CATEGORIES if scope == "national_fraud" else [c for c in RISK_CATEGORIES if c not in FRAUD_CATEGORIES]
            pool = [c for c in pool if ("category", c) not in self.used]
            if scope == "national_fraud" and "冒充客服" in pool:
                pool = ["冒充客服"]
            candidates = [(c, rates.category(c)) for c in pool]
            category, m, base, rate = self._size(candidates, first, last)
            self.used.add(("category", category))
            subject, details = {"category": category}, {"category": category}
            text = f"nationwide {category}: complaints x{m:.1f} ({base:.1f}/h baseline)"
        elif scope == "store":
            stores = [s for s in world.stores if s.weight > 0 and ("store", s.store_id) not in self.used]
            candidates = [(s.store_id, rates.store_negative(s)) for s in stores]
            store_id, m, base, rate = self._size(candidates, first, last)
            self.used.add(("store", store_id))
            subject, details = {"store_id": store_id}, {"store_id": store_id}
            text = f"store {store_id}: angry posts x{m:.1f} ({base:.1f}/h negative baseline)"
        elif scope == "city":
            cities = [(r.name, c.name) for r in world.regions for c in r.cities
                      if ("city", c.name) not in self.used and r.name != self.lift_region]
            candidates = [((r, c), rates.city_negative(r, c)) for r, c in cities]
            (region, city), m, base, rate = self._size(candidates, first, last)
            self.used.add(("city", city))
            subject, details = {"city": city}, {"region": region, "city": city}
            text = f"{city}: angry posts across the city x{m:.1f} ({base:.1f}/h negative baseline)"
        elif scope == "merchant":
            merchants = [m for m in world.merchants["retail"] if ("merchant", m) not in self.used]
            candidates = [(m, rates.merchant_fraud("retail", m)) for m in merchants]
            merchant, m, base, rate = self._size(candidates, first, last)
            self.used.add(("merchant", merchant))
            subject, details = {"merchant_id": merchant}, {"merchant_id": merchant, "mix": MERCHANT_FRAUD_MIX}
            text = f"merchant {merchant}: fraud complaints from distinct customers x{m:.1f} ({base:.1f}/h baseline)"
        elif scope == "term":
            return self._emerging(first, last, start, end)
        else:
            raise ValueError(f"unknown incident scope {scope!r}")
        intensity = (m - 1) * rate[first:last]
        incident = Incident(rule, subject, start, end, round(m, 2), text, scope, baseline_per_hour=round(base, 3))
        return Injection(incident, scope, first, intensity, details)

    def _emerging(self, first: int, last: int, start, end) -> Injection:
        kinds = ("payments", "auto", "retail")
        taken = sum(1 for kind, _ in self.used if kind == "term")
        order = [kinds[(taken + i) % len(kinds)] for i in range(len(kinds))]
        # One float, drawn whatever the candidates, picks a place in the kind's full list; taken or
        # known terms are stepped over. A lexicon that learns a term changes only the pick that
        # landed on it, not every later draw of the plan.
        u = float(self.rng.random())
        for kind in order:
            terms = EMERGING_TERMS[kind]
            begin = int(u * len(terms))
            ring = terms[begin:] + terms[:begin]
            fresh = [t for t in ring if ("term", t) not in self.used and is_novel(t, self.known)]
            if fresh:
                term = fresh[0]
                break
        else:
            raise ValueError("no emerging-term candidate is absent from the lexicon")
        self.used.add(("term", term))
        per_hour = float(self.rng.uniform(*self.spec.emerging_rate_per_hour))
        m = per_hour / self.spec.emerging_floor_per_hour
        intensity = np.full(last - first, per_hour / 60)
        text = f"new phrase \"{term}\" ({kind}): {per_hour:.0f}/h from nothing"
        incident = Incident("emerging_term", {"term": term}, start, end, round(m, 2), text, "term",
                            baseline_per_hour=self.spec.emerging_floor_per_hour)
        return Injection(incident, "term", first, intensity, {"term": term, "kind": kind})
