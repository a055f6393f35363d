"""negative_burst: one store, or one city, suddenly draws far more negative feedback than usual."""

from __future__ import annotations

from voc_stream.enrich import EnrichedEvent
from voc_stream.rules.base import Rule, RuleContext
from voc_stream.rules.monitor import Breach, KeyState, Series
from voc_stream.rules.settings import NegativeBurstSettings

NEGATIVE = "negative"


class NegativeBurst(Rule):
    """Negative posts at a store (or a city) against that hour's usual count, if their share rose too.

    The usual count is scaled by the event's ``volume_lift``: on a day when the
    whole stream is 2.5x busier, so is every store, and that is not an incident.
    """

    name = "negative_burst"
    settings: NegativeBurstSettings

    def __init__(self, settings: NegativeBurstSettings, context: RuleContext) -> None:
        super().__init__(settings, context)
        self.prior_rate, self.prior_weight = self.monitor.rate_prior(settings.prior_per_day, settings.prior_days)
        self.min_history = settings.min_history_days * self.monitor.buckets_per_day

    def new_series(self, state: KeyState, key: str, name: str) -> Series:
        return self.monitor.new_series(state, prior_rate=self.prior_rate, prior_weight=self.prior_weight, hourly=True)

    def breach(
        self,
        state: KeyState,
        series: Series,
        key: str,
        windows: list[int] | None = None,
        event: EnrichedEvent | None = None,
    ) -> Breach:
        # A busier stream (a promotion day, a weekend) brings every store more of everything, complaints too.
        # A quieter one (a Monday after a busy weekend) brings fewer, within volume_lift_floor.
        lift = 1.0
        if event is not None and self.settings.follow_volume_lift:
            lift = max(self.settings.volume_lift_floor, event.volume_lift)
        rate = self.monitor.strongest_hourly_breach(series, windows, scale=lift)
        assert series.hourly is not None
        if series.hourly.seen < self.min_history:
            # Too little of this key's own day seen yet to know what this hour usually brings.
            return Breach(0.0, rate.observed, rate.expected, rate.window_minutes, rate.ratio)
        if not self.monitor.is_breach(rate):
            return rate
        share = self.monitor.share_breach(state, series, rate.window_minutes)
        s = self.settings
        # A busier day lifts negatives and everything else alike: the share must rise too.
        # A flood far beyond any promotion's lift (flood_ratio) needs less of that proof.
        # A store's usual share is its own; a city's moves with the mix of its stores' volumes, so it needs more.
        guard = s.store_share_guard_surprise if self.scope(key) == "store" else s.share_guard_surprise
        if rate.ratio >= s.flood_ratio:
            guard = min(guard, s.flood_share_surprise)
        if share.surprise < guard or share.ratio < s.share_guard_ratio:
            return Breach(0.0, rate.observed, rate.expected, rate.window_minutes, rate.ratio)
        return rate

    def keys(self, event: EnrichedEvent) -> list[str]:
        keys = []
        if event.store_id:
            keys.append(f"{self.name}|store|{event.store_id}")
        if event.city:
            keys.append(f"{self.name}|city|{event.city}")
        return keys

    def hits(self, key: str, event: EnrichedEvent) -> list[str]:
        return [NEGATIVE] if event.negative else []

    def subject(self, key: str, series: str) -> dict[str, str]:
        _, kind, value = key.split("|", 2)
        return {"store_id": value} if kind == "store" else {"city": value}

    def scope(self, key: str) -> str:
        return key.split("|", 2)[1]

    def is_aggregate(self, key: str) -> bool:
        return self.scope(key) == "city"

    def source(self, key: str, event: EnrichedEvent) -> str | None:
        return event.store_id if self.is_aggregate(key) else None

    def describe(self, subject, observed, expected, minutes) -> str:
        who = subject.get("store_id") or subject.get("city", "")
        return f"{who} 负面反馈: {observed:g} negative in {minutes} min, {expected:.1f} expected"
