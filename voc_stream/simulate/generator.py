"""Drawing the stream: background day by day, plus the planned incidents and decoys.

Counts per minute are Poisson draws from ``Rates``; everything else about an
event is drawn per event by ``EventFactory``. The same seed always gives the
same stream; ``iter_events`` yields it one simulated day at a time, in time
order, for a live demo. Escalations and their look-alikes (``escalations``), and
merchants over share_limit's line and their look-alikes (``over_line``), are
merged into each day last, with ids of their own, so that the rest of a seed's
stream, ids included, is the same with or without them.
"""

from __future__ import annotations

import heapq
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import numpy as np

from voc_stream.simulate.corpus import load_corpus
from voc_stream.simulate.escalations import tell_stories
from voc_stream.simulate.events_factory import ID_PREFIX, EventFactory
from voc_stream.simulate.everyday_phrases import EMERGING_TERMS
from voc_stream.simulate.known_terms import default_lexicon_path, known_terms
from voc_stream.simulate.over_line import cross_lines
from voc_stream.simulate.plan import Injection, Plan, Planner
from voc_stream.simulate.rates import Rates
from voc_stream.simulate.reading import read_background, service_enricher
from voc_stream.simulate.spec import Decoy, Incident, ScenarioSpec
from voc_stream.simulate.texts import TextMaker
from voc_stream.simulate.world import VERTICAL_BY_NAME, VERTICALS, World, build_world

TINY_STORE_EVENTS_PER_DAY = 2.0
ALL_EMERGING = tuple(term for terms in EMERGING_TERMS.values() for term in terms)


@dataclass
class Stream:
    """A generated scenario: the events and the ground truth that goes with them."""

    spec: ScenarioSpec
    seed: int
    events: list[dict]
    incidents: list[Incident]
    decoys: list[Decoy]

    @property
    def simulated_days(self) -> float:
        return self.spec.days


@dataclass
class _Scenario:
    spec: ScenarioSpec
    seed: int
    world: World
    rates: Rates
    plan: Plan
    factory: EventFactory
    injected: dict[int, list[tuple[float, dict]]]  # day -> events
    incidents: list[Incident]
    told: dict[int, list[tuple[float, dict]]]  # day -> escalations' and their look-alikes' events
    crossed: dict[int, list[tuple[float, dict]]]  # day -> over- and below-the-line merchants' added complaints
    decoys: list[Decoy]


def _prepare(spec: ScenarioSpec, seed: int, shared_dir: Path | None) -> _Scenario:
    world = build_world(np.random.default_rng([seed, 0]), spec.regions, spec.stores, spec.merchants,
                        spec.customers, spec.tiny_store)
    lexicon = spec.lexicon_path if spec.lexicon_path is not None else default_lexicon_path()
    corpus = load_corpus(shared_dir, banned=ALL_EMERGING)

    def text_maker(name: str) -> TextMaker:
        return TextMaker(random.Random(f"{seed}-{name}"), corpus, spec.pii_share, spec.negated_share,
                         spec.real_text_share)

    reading = None
    if lexicon:
        reading_texts = text_maker("reading")
        reading = read_background(EventFactory(world, reading_texts, reading_texts.rand), service_enricher(lexicon))
    rates = Rates(spec, world, reading)
    plan = Planner(spec, world, rates, np.random.default_rng([seed, 1]), known_terms(lexicon)).plan()
    texts = text_maker("texts")
    factory = EventFactory(world, texts, texts.rand)
    rng = np.random.default_rng([seed, 3])
    injected: dict[int, list[tuple[float, dict]]] = defaultdict(list)
    incidents = []
    start_epoch = spec.start.timestamp()
    for injection in plan.injections:
        drawn = _draw_injection(injection, rng, factory, world, start_epoch)
        for epoch, event in drawn:
            injected[int((epoch - start_epoch) // 86_400)].append((epoch, event))
        incidents.append(replace(injection.incident, events=len(drawn)))
    if plan.tiny_store_minute is not None:
        store = world.store(world.tiny_store_id)
        epoch = start_epoch + plan.tiny_store_minute * 60 + 17.0
        injected[plan.tiny_store_minute // 1440].append(factory.make(epoch, "dining", "angry", store=store))
    stories = tell_stories(spec, world, seed)
    told: dict[int, list[tuple[float, dict]]] = defaultdict(list)
    for epoch, event in stories.events:
        told[int((epoch - start_epoch) // 86_400)].append((epoch, event))
    taken = {i.details["merchant_id"] for i in plan.injections if "merchant_id" in i.details}
    lines = cross_lines(spec, world, rates, seed, taken=taken, lift_region=plan.lift_region, lexicon=lexicon)
    crossed: dict[int, list[tuple[float, dict]]] = defaultdict(list)
    for epoch, event in lines.events:
        crossed[int((epoch - start_epoch) // 86_400)].append((epoch, event))
    return _Scenario(spec, seed, world, rates, plan, factory, injected,
                     incidents + stories.incidents + lines.incidents, told, crossed,
                     plan.decoys + stories.decoys + lines.decoys)


def _times(rng: np.random.Generator, intensity: np.ndarray, first_minute: int, start_epoch: float) -> np.ndarray:
    counts = rng.poisson(np.maximum(intensity, 0.0))
    minutes = np.repeat(np.arange(first_minute, first_minute + len(intensity)), counts)
    return np.sort(start_epoch + minutes * 60.0 + rng.random(len(minutes)) * 60.0)


def _store_choice(world: World, vertical: str, region: str | None = None):
    stores = [s for s in world.stores_of(vertical) if s.weight > 0 and (region is None or s.region == region)]
    p = np.array([world.store_share(s) for s in stores])
    return stores, p / p.sum()


def _place_choice(world: World, region: str | None = None):
    places, p = [], []
    for index, r in enumerate(world.regions):
        if region is not None and r.name != region:
            continue
        for city, share in zip(r.cities, world.city_p[r.name]):
            places.append((r.name, city.name))
            p.append(world.region_p[index] * share)
    p = np.array(p)
    return places, p / p.sum()


def _draw_background(scenario: _Scenario, vertical: str, intensity: np.ndarray, first_minute: int,
                     rng: np.random.Generator, region: str | None = None) -> list[tuple[float, dict]]:
    world, factory = scenario.world, scenario.factory
    spec = VERTICAL_BY_NAME[vertical]
    epochs = _times(rng, intensity, first_minute, scenario.spec.start.timestamp())
    n = len(epochs)
    risky = rng.random(n) < spec.risk_share
    out = []
    if spec.has_store:
        stores, p = _store_choice(world, vertical, region)
        for epoch, index, risk in zip(epochs, rng.choice(len(stores), size=n, p=p), risky):
            out.append(factory.make(float(epoch), vertical, "risk" if risk else "everyday", store=stores[index]))
    else:
        places, p = _place_choice(world, region)
        merchants = world.merchants[vertical]
        chosen = rng.choice(len(merchants), size=n, p=world.merchant_p[vertical])
        for epoch, place, merchant, risk in zip(epochs, rng.choice(len(places), size=n, p=p), chosen, risky):
            region_name, city = places[place]
            out.append(factory.make(float(epoch), vertical, "risk" if risk else "everyday", region=region_name,
                                    city=city, merchant=merchants[merchant]))
    return out


def _draw_injection(injection: Injection, rng: np.random.Generator, factory: EventFactory, world: World,
                    start_epoch: float) -> list[tuple[float, dict]]:
    epochs = _times(rng, injection.intensity, injection.first_minute, start_epoch)
    details, scope, out = injection.details, injection.scope, []
    people = rng.choice(world.customers, size=min(len(epochs), world.customers), replace=False)
    for i, epoch in enumerate(epochs):
        epoch = float(epoch)
        if scope in ("region", "national_category", "national_fraud"):
            category = details["category"]
            options = [v for v in VERTICALS if category in v.categories]
            weights = np.array([v.share * v.risk_share * v.categories[category] for v in options])
            vertical = options[rng.choice(len(options), p=weights / weights.sum())].name
            region = details.get("region")
            if VERTICAL_BY_NAME[vertical].has_store:
                stores, p = _store_choice(world, vertical, region)
                out.append(factory.make(epoch, vertical, "risk", store=stores[rng.choice(len(stores), p=p)],
                                        category=category))
            else:
                places, p = _place_choice(world, region)
                region_name, city = places[rng.choice(len(places), p=p)]
                merchant = None
                if scope != "national_fraud":
                    merchant = world.merchants[vertical][rng.choice(len(world.merchants[vertical]), p=world.merchant_p[vertical])]
                out.append(factory.make(epoch, vertical, "risk", region=region_name, city=city, merchant=merchant,
                                        category=category))
        elif scope == "store":
            store = world.store(details["store_id"])
            angry = rng.random() < 0.8
            out.append(factory.make(epoch, store.vertical, "angry" if angry else "risk", store=store,
                                    category="服务态度差", public_bias=0.5))
        elif scope == "city":
            vertical = "retail" if rng.random() < 0.65 else "payments"
            merchant = world.merchants[vertical][rng.choice(len(world.merchants[vertical]), p=world.merchant_p[vertical])]
            out.append(factory.make(epoch, vertical, "angry", region=details["region"], city=details["city"],
                                    merchant=merchant, place=details["city"], public_bias=0.4))
        elif scope == "merchant":
            mix = details["mix"]
            category = list(mix)[rng.choice(len(mix), p=np.array(list(mix.values())))]
            places, p = _place_choice(world)
            region_name, city = places[rng.choice(len(places), p=p)]
            out.append(factory.make(epoch, "retail", "risk", region=region_name, city=city,
                                    merchant=details["merchant_id"], category=category,
                                    person=int(people[i % len(people)])))
        elif scope == "term":
            kind = details["kind"]
            if kind == "auto":
                stores, p = _store_choice(world, "auto")
                out.append(factory.make(epoch, "auto", "emerging", store=stores[rng.choice(len(stores), p=p)],
                                        term=(kind, details["term"])))
            else:
                places, p = _place_choice(world)
                region_name, city = places[rng.choice(len(places), p=p)]
                out.append(factory.make(epoch, kind, "emerging", region=region_name, city=city,
                                        term=(kind, details["term"])))
    return out


def _day_events(scenario: _Scenario, day: int) -> list[dict]:
    spec, rates, plan = scenario.spec, scenario.rates, scenario.plan
    first, last = day * 1440, min((day + 1) * 1440, spec.minutes)
    rng = np.random.default_rng([scenario.seed, 2, day])
    drawn: list[tuple[float, dict]] = []
    for vertical in VERTICALS:
        drawn += _draw_background(scenario, vertical.name, rates.per_vertical[vertical.name][first:last], first, rng)
    if spec.region_lift is not None and plan.lift_region:
        offset, hours, factor = spec.region_lift
        lift_first, lift_last = max(first, int(offset * 60)), min(last, int((offset + hours) * 60))
        if lift_first < lift_last:
            share = scenario.world.region_share(plan.lift_region) * (factor - 1)
            for vertical in VERTICALS:
                intensity = rates.per_vertical[vertical.name][lift_first:lift_last] * share
                drawn += _draw_background(scenario, vertical.name, intensity, lift_first, rng, plan.lift_region)
    if scenario.world.tiny_store_id:
        store = scenario.world.store(scenario.world.tiny_store_id)
        per_event = TINY_STORE_EVENTS_PER_DAY / (spec.events_per_day * VERTICAL_BY_NAME["dining"].share)
        epochs = _times(rng, rates.per_vertical["dining"][first:last] * per_event, first, spec.start.timestamp())
        drawn += [scenario.factory.make(float(e), "dining", "everyday", store=store) for e in epochs]
    drawn += scenario.injected.get(day, [])
    drawn.sort(key=lambda pair: pair[0])
    date = (spec.start + timedelta(days=day)).strftime("%Y%m%d")
    for index, (_, event) in enumerate(drawn):
        event["event_id"] = f"{ID_PREFIX[event['channel']]}-{date}-{index:06d}"
    told = scenario.told.get(day, [])
    for index, (_, event) in enumerate(told):
        event["event_id"] = f"{ID_PREFIX[event['channel']]}-{date}-s{index:05d}"
    crossed = scenario.crossed.get(day, [])
    for index, (_, event) in enumerate(crossed):
        event["event_id"] = f"{ID_PREFIX[event['channel']]}-{date}-m{index:05d}"
    return [event for _, event in heapq.merge(drawn, told, crossed, key=lambda pair: pair[0])]


def iter_events(spec: ScenarioSpec, seed: int = 7, shared_dir: Path | None = None) -> Iterator[dict]:
    """The stream's events in time order, drawn one simulated day at a time."""
    scenario = _prepare(spec, seed, shared_dir)
    for day in range(int(np.ceil(spec.minutes / 1440))):
        yield from _day_events(scenario, day)


def generate(spec: ScenarioSpec, seed: int = 7, shared_dir: Path | None = None) -> Stream:
    """The whole stream with its incidents and decoys; deterministic for a given seed (and lexicon)."""
    scenario = _prepare(spec, seed, shared_dir)
    events: list[dict] = []
    for day in range(int(np.ceil(spec.minutes / 1440))):
        events += _day_events(scenario, day)
    return Stream(spec, seed, events, scenario.incidents, scenario.decoys)
