"""Merchants over a line the business draws: 诱导好评 complaints creeping up to 3-4x the line; and a look-alike below it.

The anomaly rules learn a merchant's own share, so a slow creep to a steady 7%
looks normal to them; share_limit (config/rules.yaml) holds every merchant to a
fixed 2% of its feedback over the trailing week. An over-the-line merchant gets
extra 诱导好评 complaints whose rate ramps linearly over ``RAMP_DAYS`` and then
stays; the incident starts when its expected share over the trailing week (its
usual complaints plus these, as the service reads them) first passes the line.
The look-alike gets the same complaints, steady from the start, halfway from its
usual share to the line (its usual share, about 1.3%, is already past half the line).

Like the escalation stories, these are drawn with random generators of their
own and merged into the days with ids of their own, so a seed's other events
stay exactly as they were. Their customers, one per complaint, are numbered from
twice the background's: above the background's and the stories' (numbered on
from the background's, a few a day).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np

from voc_stream.events import event_from_dict
from voc_stream.simulate.corpus import Corpus
from voc_stream.simulate.events_factory import EventFactory
from voc_stream.simulate.rates import Rates
from voc_stream.simulate.spec import Decoy, Incident, ScenarioSpec
from voc_stream.simulate.texts import TextMaker
from voc_stream.simulate.world import VERTICAL_BY_NAME, World

#: The random streams' second key (5 is the escalation stories').
LINE_STREAM = 6
CATEGORY = "诱导好评"
VERTICAL = "retail"  # merchants of their own (not store chains), and 诱导好评 is one of their complaints
#: share_limit's shipped line for 诱导好评 per merchant (config/rules.yaml): 2% of the trailing week's feedback.
LINE = 0.02
WINDOW_MINUTES = 7 * 1440
#: Expected feedback a week a chosen merchant has at least: the rule's 100 events, three times over.
VOLUME_FLOOR = 300.0
RAMP_DAYS = 3.0
TARGET_SHARE = (0.06, 0.08)  # 3-4x the line
READ_SAMPLES = 1_000  # complaint texts read to learn how many the service counts as 诱导好评


@dataclass
class Crossings:
    events: list[tuple[float, dict]]  # time order; ids are given when the day is drawn
    incidents: list[Incident]
    decoys: list[Decoy]


class LineDrawer:
    def __init__(self, spec: ScenarioSpec, world: World, rates: Rates, seed: int, taken: set[str],
                 lift_region: str | None, lexicon: Path | None) -> None:
        self.spec, self.world = spec, world
        self.rng = np.random.default_rng([seed, LINE_STREAM])
        texts = TextMaker(random.Random(f"{seed}-lines"), Corpus(), spec.pii_share, 0.0, 0.0)
        self.factory = EventFactory(world, texts, texts.rand)
        self.next_number = 2 * spec.customers
        self.usual, self.read = self._reading(seed, lexicon)
        self.volume = {m: self._volume(rates, m, lift_region) for m in world.merchants[VERTICAL] if m not in taken}
        self.events: list[tuple[float, dict]] = []

    def draw(self) -> Crossings:
        spec = self.spec
        if spec.over_line_merchants and spec.days - spec.warmup_days < RAMP_DAYS:
            raise ValueError(f"a {RAMP_DAYS:g}-day creep over the line needs {RAMP_DAYS:g} days after the warm-up")
        incidents = [self._over_line() for _ in range(spec.over_line_merchants)]
        decoys = [self._below_line() for _ in range(spec.below_line_merchants)]
        self.events.sort(key=lambda pair: pair[0])
        return Crossings(self.events, incidents, decoys)

    # -- the merchants -----------------------------------------------------------------------------

    def _over_line(self) -> Incident:
        spec, rng = self.spec, self.rng
        merchant, volume = self._merchant()
        onset = int(rng.uniform(spec.warmup_days * 1440, spec.minutes - RAMP_DAYS * 1440))
        share = float(rng.uniform(*TARGET_SHARE))
        ramp = np.clip((np.arange(spec.minutes) - onset) / (RAMP_DAYS * 1440), 0.0, 1.0)
        extra = ramp * self._extra_per_event(share) * volume
        crossed = self._crossing(volume, extra, onset)
        drawn = self._complaints(merchant, extra)
        start, began = (spec.start + timedelta(minutes=m) for m in (crossed, onset))
        usual = self.usual * float(volume[crossed:].mean()) * 60
        text = (f"merchant {merchant}: {CATEGORY} complaints creep from {self.usual:.1%} of its feedback to "
                f"{share:.1%} over {RAMP_DAYS:g} days from {began:%m-%d %H:%M}; over the {LINE:.0%} line "
                f"(trailing week) from {start:%m-%d %H:%M}")
        return Incident("share_limit", {"merchant_id": merchant, "category": CATEGORY}, start, spec.end,
                        round(share / LINE, 2), text, "over_line", events=drawn, baseline_per_hour=round(usual, 3),
                        onset=began)

    def _below_line(self) -> Decoy:
        spec = self.spec
        merchant, volume = self._merchant()
        share = (self.usual + LINE) / 2
        self._complaints(merchant, self._extra_per_event(share) * volume)
        start = spec.start + timedelta(days=spec.warmup_days)
        return Decoy("below_line", {"merchant_id": merchant, "category": CATEGORY}, start, spec.end,
                     round(share / LINE, 2),
                     f"merchant {merchant}: extra {CATEGORY} complaints from the start, steady at {share:.1%} of its "
                     f"feedback (usually {self.usual:.1%}) against a {LINE:.0%} line: more than usual, but under it")

    # -- pieces ------------------------------------------------------------------------------------

    def _reading(self, seed: int, lexicon: Path | None) -> tuple[float, float]:
        """The merchant's usual 诱导好评 share, and the share of the added complaints counted as 诱导好评: as the
        service reads these texts when the lexicon knows the category, else as drawn. The usual share is the
        background's complaints of the category read alike (its everyday feedback, real reviews included, hardly
        ever reads so): the planner's ``Reading`` sees some 50 such events and is off by a third on some seeds."""
        vertical = VERTICAL_BY_NAME[VERTICAL]
        drawn = vertical.risk_share * vertical.categories[CATEGORY] / sum(vertical.categories.values())
        if lexicon is None:
            return drawn, 1.0
        from voc_stream.simulate.reading import service_enricher

        texts = TextMaker(random.Random(f"{seed}-lines-reading"), Corpus(), self.spec.pii_share, 0.0, 0.0)
        sample = [{"event_id": f"line-{i}", "ts": self.spec.start.isoformat(), "channel": "chat",
                   "text": texts.risk(CATEGORY, texts.rand.choice(vertical.products), VERTICAL)}
                  for i in range(READ_SAMPLES)]
        enriched = service_enricher(lexicon).enrich_many([event_from_dict(e) for e in sample], 0.0)
        read = sum(CATEGORY in e.categories for e in enriched) / READ_SAMPLES
        if read < 2 * TARGET_SHARE[1]:
            return drawn, 1.0  # a lexicon that hardly knows the category: no share of it to speak of
        return drawn * read, read

    def _volume(self, rates: Rates, merchant: str, lift_region: str | None) -> np.ndarray:
        """The merchant's expected feedback per minute, the regional lift included."""
        volume = rates.per_vertical[VERTICAL] * self.world.merchant_share(VERTICAL, merchant)
        if self.spec.region_lift is not None and lift_region:
            offset, hours, factor = self.spec.region_lift
            volume = volume.copy()
            volume[int(offset * 60):int((offset + hours) * 60)] *= 1 + self.world.region_share(lift_region) * (factor - 1)
        return volume

    def _merchant(self) -> tuple[str, np.ndarray]:
        """A merchant not used before with ``VOLUME_FLOOR`` feedback a week (the largest left, if none has), drawn
        as a piece of feedback would draw it: big ones more often, as a share a point over the line is clear in
        a few days of theirs and takes a small one weeks."""
        if not self.volume:
            raise ValueError(f"no {VERTICAL} merchant left to put over or under the line")
        weekly = {m: float(v.mean()) * WINDOW_MINUTES for m, v in self.volume.items()}
        big = [m for m in self.world.merchants[VERTICAL] if weekly.get(m, 0.0) >= VOLUME_FLOOR]
        if big:
            p = np.array([weekly[m] for m in big])
            merchant = big[int(self.rng.choice(len(big), p=p / p.sum()))]
        else:
            merchant = max(weekly, key=weekly.__getitem__)
        return merchant, self.volume.pop(merchant)

    def _extra_per_event(self, share: float) -> float:
        """Complaints to add per usual event so that (usual hits + read added) / (usual + added) is ``share``."""
        return max(0.0, (share - self.usual) / (self.read - share))

    def _crossing(self, volume: np.ndarray, extra: np.ndarray, onset: int) -> int:
        """The first minute after which the expected share over the trailing week is over the line."""
        hits = np.concatenate(([0.0], np.cumsum(self.usual * volume + self.read * extra)))
        events = np.concatenate(([0.0], np.cumsum(volume + extra)))
        ends = np.arange(1, len(volume) + 1)
        begins = np.maximum(0, ends - WINDOW_MINUTES)
        over = (hits[ends] - hits[begins]) > LINE * (events[ends] - events[begins])
        over[:onset] = False
        if not over.any():
            raise ValueError("the creep never takes the merchant over the line before the stream ends")
        return int(np.argmax(over)) + 1

    def _complaints(self, merchant: str, intensity: np.ndarray) -> int:
        """诱导好评 complaints about ``merchant`` at ``intensity`` per minute, each from a customer of its own,
        on the line of business's channels, public and private, from customers living anywhere."""
        rng, world = self.rng, self.world
        counts = rng.poisson(np.maximum(intensity, 0.0))
        minutes = np.repeat(np.arange(len(intensity)), counts)
        epochs = np.sort(self.spec.start.timestamp() + minutes * 60.0 + rng.random(len(minutes)) * 60.0)
        for epoch in epochs:
            region = world.regions[rng.choice(len(world.regions), p=world.region_p)]
            city = region.cities[rng.choice(len(region.cities), p=world.city_p[region.name])]
            self.events.append(self.factory.make(float(epoch), VERTICAL, "risk", region=region.name, city=city.name,
                                                 merchant=merchant, category=CATEGORY, person=self.next_number))
            self.next_number += 1
        return len(epochs)


def cross_lines(spec: ScenarioSpec, world: World, rates: Rates, seed: int, *, taken: set[str] = frozenset(),
                lift_region: str | None = None, lexicon: Path | None = None) -> Crossings:
    """The spec's over-the-line merchants (labelled incidents) and below-the-line look-alikes (decoys), with their
    events; ``taken``: merchants other incidents are about."""
    if not (spec.over_line_merchants or spec.below_line_merchants):
        return Crossings([], [], [])
    return LineDrawer(spec, world, rates, seed, set(taken), lift_region, lexicon).draw()
