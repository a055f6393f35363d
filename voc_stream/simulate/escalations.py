"""Escalations: a customer complains privately, gets no fix, then complains in public; and their look-alikes.

Each story is one customer's handful of events. They are drawn with random
generators of their own, after and apart from everything else, so a seed's other
events stay exactly as they were: a stream with stories is the stream without
them plus these events. Their customers are numbered above the background's, so
no background event joins a story. A public post carries its ``author`` and the
``customer_id`` the CRM attributed it to: the link the escalation rule follows.
The look-alikes (``DECOY_KINDS``) must not alert: the public post is praise, the
complaint was fixed first (a 5-star survey), or the public complaint came first.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from voc_stream.events import CHINA_TZ
from voc_stream.simulate.corpus import Corpus
from voc_stream.simulate.events_factory import PUBLIC, RATED, handle
from voc_stream.simulate.spec import Decoy, Incident, ScenarioSpec
from voc_stream.simulate.story_phrases import (
    CHANNEL_WORDS, CHASERS, FIXED, PRAISE, PUBLIC_HEADS, PUBLIC_TAILS, UNANSWERED,
)
from voc_stream.simulate.texts import TextMaker
from voc_stream.simulate.world import VERTICAL_BY_NAME, VERTICALS, Store, World

#: The random streams' second key ([seed, 0] is the world, 1 the plan, 2 the days, 3 the incidents).
STORY_STREAM = 5
DECOY_KINDS = ("praise_after_complaint", "fixed_then_public", "public_then_private")
POST_HOURS = (8.0, 23.0)  # when a story's decisive post goes up, in hours of its day
COUNTS = ("两", "三", "四", "好几")  # how many times: "打了两次客服电话"


@dataclass(frozen=True)
class Customer:
    number: int  # above the background's customers
    vertical: str
    store: Store | None
    region: str
    city: str
    merchant: str | None
    product: str
    category: str

    @property
    def customer_id(self) -> str:
        return f"c-{10_000 + self.number}"


@dataclass
class Stories:
    events: list[tuple[float, dict]]  # time order; ids are given when the day is drawn
    incidents: list[Incident]
    decoys: list[Decoy]


class StoryTeller:
    def __init__(self, spec: ScenarioSpec, world: World, seed: int) -> None:
        self.spec, self.world = spec, world
        self.rng = np.random.default_rng([seed, STORY_STREAM])
        self.texts = TextMaker(random.Random(f"{seed}-stories"), Corpus(), spec.pii_share, 0.0, 0.0)
        self.first = spec.start.timestamp()
        self.last = self.first + spec.minutes * 60 - 1
        self.next_number = spec.customers
        self.events: list[tuple[float, dict]] = []

    def tell(self) -> Stories:
        spec = self.spec
        incidents = [self._escalation(hours) for hours in self._post_hours(spec.escalations_per_day, spec.escalation_slots)]
        decoys = [getattr(self, f"_{kind}")(hours) for kind in DECOY_KINDS
                  for hours in self._post_hours(spec.escalation_decoys_per_day, None)]
        self.events.sort(key=lambda pair: pair[0])
        return Stories(self.events, incidents, decoys)

    def _post_hours(self, per_day: int, slots: tuple[float, ...] | None) -> list[float]:
        """Offsets from the start (hours) of each story's decisive post: the slots, or ``per_day`` after warm-up."""
        if slots is not None:
            return list(slots)
        days = range(math.ceil(self.spec.warmup_days), int(self.spec.days))
        return sorted(day * 24 + float(self.rng.uniform(*POST_HOURS)) for day in days for _ in range(per_day))

    # -- the stories -------------------------------------------------------------------------------

    def _escalation(self, hours: float) -> Incident:
        """1-3 private complaints over the 48 h before a public one that says they went nowhere; sometimes a second post."""
        who = self._customer()
        posted = self._at(hours)
        private = self._complaints(who, self._before(posted, int(self.rng.integers(1, 4)), 48.0))
        tried = CHANNEL_WORDS[private[0][1]["channel"]]
        public = [self._post(who, posted, self._unanswered(who, tried, len(private)))]
        if self.rng.random() < 0.5:
            again = posted + int(self.rng.uniform(0.2, 12.0) * 3600)
            if again <= self.last:
                public.append(self._post(who, again, self._unanswered(who, tried, len(private) + 1)))
        channels = "/".join(dict.fromkeys(event["channel"] for _, event in private))
        start = datetime.fromtimestamp(posted, CHINA_TZ)
        text = (f"{who.customer_id}: {len(private)} private complaint{'s' if len(private) > 1 else ''} ({channels}) "
                f"about {who.category} from {_hm(private[0][0])}, no fix, then public on {public[0][1]['channel']}")
        return Incident("escalation", {"customer_id": who.customer_id}, start, start + timedelta(hours=1), 1.0, text,
                        "escalation", events=len(private) + len(public))

    def _praise_after_complaint(self, hours: float) -> Decoy:
        who = self._customer()
        posted = self._at(hours)
        private = self._complaints(who, self._before(posted, int(self.rng.integers(1, 3)), 48.0))
        self._post(who, posted, self._choice(PRAISE), stars=(4, 5, 5))
        return self._decoy("praise_after_complaint", who, private[0][0], posted,
                           "complained privately, then praised them in public: no public complaint")

    def _fixed_then_public(self, hours: float) -> Decoy:
        who = self._customer()
        posted = self._at(hours)
        surveyed = self._before(posted, 1, 24.0)[0]
        private = self._complaints(who, self._before(surveyed, int(self.rng.integers(1, 3)), 24.0))
        self.events.append(self._event(surveyed, who, "survey", self._choice(FIXED), stars=(5,)))
        self._post(who, posted, self.texts.risk(who.category, who.product, who.vertical))
        return self._decoy("fixed_then_public", who, private[0][0], posted,
                           "complained privately, answered the survey after the fix with 5 stars, then complained "
                           "in public: the fix cleared the private complaints")

    def _public_then_private(self, hours: float) -> Decoy:
        who = self._customer()
        posted = self._at(hours)
        self._post(who, posted, self.texts.risk(who.category, who.product, who.vertical))
        room = max(0.6, min(48.0, (self.last - posted) / 3600))
        after = sorted(posted + int(self.rng.uniform(0.5, room) * 3600) for _ in range(int(self.rng.integers(1, 3))))
        private = self._complaints(who, [min(epoch, self.last) for epoch in after])
        return self._decoy("public_then_private", who, posted, private[-1][0],
                           "complained in public first, then privately, and never in public again")

    # -- pieces ------------------------------------------------------------------------------------

    def _customer(self) -> Customer:
        rng, world = self.rng, self.world
        vertical = VERTICALS[rng.choice(len(VERTICALS), p=_normal([v.share for v in VERTICALS]))]
        number, self.next_number = self.next_number, self.next_number + 1
        categories = list(vertical.categories)
        category = categories[rng.choice(len(categories), p=_normal(list(vertical.categories.values())))]
        product = vertical.products[int(rng.integers(len(vertical.products)))]
        if vertical.has_store:
            stores = [s for s in world.stores_of(vertical.name) if s.weight > 0]
            store = stores[rng.choice(len(stores), p=_normal([world.store_share(s) for s in stores]))]
            return Customer(number, vertical.name, store, store.region, store.city, store.merchant_id, product, category)
        region = world.regions[rng.choice(len(world.regions), p=world.region_p)]
        city = region.cities[rng.choice(len(region.cities), p=world.city_p[region.name])]
        merchants = world.merchants[vertical.name]
        merchant = merchants[rng.choice(len(merchants), p=world.merchant_p[vertical.name])]
        return Customer(number, vertical.name, None, region.name, city.name, merchant, product, category)

    def _at(self, hours: float) -> int:
        return min(self.last, int(self.first + hours * 3600))

    def _before(self, epoch: int, count: int, hours: float) -> list[int]:
        """``count`` times between 1 and ``hours`` hours before ``epoch`` (less when the stream began later), oldest
        first; mostly in waking hours, as people call and write."""
        room = max(0.1, min(hours, (epoch - self.first) / 3600 - 0.05))
        times = []
        for _ in range(count):
            for _ in range(4):
                at = epoch - int(self.rng.uniform(min(1.0, room), room) * 3600)
                if datetime.fromtimestamp(at, CHINA_TZ).hour >= 7:
                    break
            times.append(at)
        return sorted(times)

    def _channel(self, vertical: str, public: bool) -> str:
        channels = {c: w for c, w in VERTICAL_BY_NAME[vertical].channels.items() if (c in PUBLIC) == public}
        names = list(channels)
        return names[self.rng.choice(len(names), p=_normal(list(channels.values())))]

    def _complaints(self, who: Customer, epochs: list[int]) -> list[tuple[float, dict]]:
        """Private complaints at ``epochs``: a risk text, after a visit's angry words at a store sometimes,
        the later ones chasing the first. Angry words alone would not do: a few read as no complaint."""
        made = []
        for index, epoch in enumerate(epochs):
            text = self.texts.risk(who.category, who.product, who.vertical)
            if who.store is not None and self.rng.random() < 0.3:
                text = self.texts.angry() + "," + text
            if index:
                text = self._choice(CHASERS).format(n="二三四五"[min(index, 4) - 1]) + text  # 第二次...
            made.append(self._event(epoch, who, self._channel(who.vertical, public=False), text))
        self.events += made
        return made

    def _unanswered(self, who: Customer, tried: str, times: int) -> str:
        """The public complaint: the issue and that the earlier contact did not help, in one of three orders."""
        rng = self.rng
        issue = self.texts.phrase(who.category, who.product)
        count = COUNTS[min(len(COUNTS) - 1, max(0, times - 2 + int(rng.integers(0, 2))))]
        unanswered = self._choice(UNANSWERED).format(n=count, ch=tried)
        order = int(rng.integers(3))
        body = (f"{issue}。{unanswered}", f"{unanswered}:{issue}", f"{issue},{unanswered}")[order]
        return self._choice(PUBLIC_HEADS) + body + self._choice(PUBLIC_TAILS)

    def _post(self, who: Customer, epoch: int, text: str, stars: tuple[int, ...] = (1, 1, 2)) -> tuple[float, dict]:
        post = self._event(epoch, who, self._channel(who.vertical, public=True), text, stars)
        self.events.append(post)
        return post

    def _event(self, epoch: int, who: Customer, channel: str, text: str,
               stars: tuple[int, ...] = (1, 1, 2)) -> tuple[float, dict]:
        """One event of ``who``'s; ``stars``: the ratings to draw from where the channel shows stars."""
        event = {
            "event_id": "",
            "ts": datetime.fromtimestamp(epoch, CHINA_TZ).isoformat(timespec="seconds"),
            "channel": channel,
            "text": text,
        }
        if who.store is not None:
            event["store_id"] = who.store.store_id
        if who.merchant:
            event["merchant_id"] = who.merchant
        event.update(region=who.region, city=who.city, product=who.product)
        if channel in PUBLIC:
            event["author"] = handle(who.number)
        event["customer_id"] = who.customer_id
        if channel in RATED:
            event["rating"] = int(stars[int(self.rng.integers(len(stars)))])
        return float(epoch), event

    def _decoy(self, kind: str, who: Customer, first: float, last: float, what: str) -> Decoy:
        start, end = (datetime.fromtimestamp(epoch, CHINA_TZ) for epoch in (first, last))
        return Decoy(kind, {"customer_id": who.customer_id}, start, end, 1.0, f"{who.customer_id}: {what}")

    def _choice(self, options: tuple[str, ...]) -> str:
        return options[int(self.rng.integers(len(options)))]


def _normal(weights: list[float]) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


def _hm(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, CHINA_TZ).strftime("%m-%d %H:%M")


def tell_stories(spec: ScenarioSpec, world: World, seed: int) -> Stories:
    """The spec's escalations (labelled incidents) and their look-alikes (decoys), with their events."""
    return StoryTeller(spec, world, seed).tell()
