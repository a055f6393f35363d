"""Per-key state: sliding counts, baselines, recent evidence and the open incident.

One ``KeyState`` lives in one table row (a Faust table in the worker, a dict in
backtest), so everything a rule needs to decide about a key is in that row and
the same events in the same order always give the same alerts.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from voc_stream.compact_state import compact_state
from voc_stream.detectors.counts import (
    HOURS,
    HourlyRate,
    RateBaseline,
    ShareBaseline,
    SlidingCounts,
    beta_binomial_surprise,
    blend_hour_slots,
    hour_of_day,
    negative_binomial_surprise,
)
from voc_stream.rules.evidence import Evidence
from voc_stream.rules.settings import RuleSettings

EVIDENCE_KEPT = 40


@compact_state
@dataclass(slots=True)
class Incident:
    """An open alert for one series of one key; its id survives updates and resolution."""

    alert_id: str
    subject: dict[str, str]
    started: float
    last_breach: float
    severity: str
    peak_surprise: float
    observed: float
    expected: float


@dataclass(slots=True)
class Breach:
    """The strongest window at one evaluation."""

    surprise: float
    observed: int
    expected: float
    window_minutes: int
    ratio: float


@compact_state
@dataclass(slots=True)
class Series:
    """Hits of one thing counted at a key (a category, negative posts, a term)."""

    hits: SlidingCounts
    hit_total: float = 0.0  # decayed hits learned, for share baselines
    hour_hits: list[float] | None = None  # per hour of the day, for shares that follow the daily mix
    rate: RateBaseline | None = None  # for volume-free series
    hourly: HourlyRate | None = None  # for series whose rate follows the time of day
    evidence: deque = field(default_factory=lambda: deque(maxlen=EVIDENCE_KEPT))
    incident: Incident | None = None
    incident_from: float = 0.0  # buckets from here (the first breached window) ...
    incident_until: float = 0.0  # ... to here (its resolution) are learned as expected, not as seen
    last_ts: float = 0.0


@compact_state
@dataclass(slots=True)
class KeyState:
    """Everything about one key; volume is shared by its series."""

    volume: SlidingCounts
    baseline: ShareBaseline  # volume side: decayed events learned (hits are per series)
    series: dict[str, Series] = field(default_factory=dict)
    last_ts: float = 0.0
    hour_volume: list[float] | None = None  # decayed events per hour of the day, for hourly shares

    @property
    def has_open_incident(self) -> bool:
        return any(s.incident is not None for s in self.series.values())

    def drop_evidence(self) -> bool:
        """Forget every kept sample; returns whether there were any.

        Samples are read only for windows ending at a new event or a resolution, so
        those of a key quiet for long are never read again, yet they are most of a
        quiet key's state (a candidate term's one post, text and tokens).
        """
        dropped = False
        for series in self.series.values():
            if series.evidence:
                series.evidence.clear()
                dropped = True
        return dropped


def bucket_count(settings: RuleSettings) -> int:
    return max(settings.windows_minutes)


class KeyMonitor:
    """Advances a KeyState in event time and scores its series; shared by all rules."""

    def __init__(self, settings: RuleSettings, bucket_seconds: float) -> None:
        self.settings = settings
        self.bucket_seconds = bucket_seconds
        self.buckets_per_day = 86400.0 / bucket_seconds
        self.windows = sorted({max(1, round(m * 60 / bucket_seconds)) for m in settings.windows_minutes})
        self.ring_size = max(self.windows) + 1
        # Windows short enough that a breach in them means the incident is still going on.
        quiet = settings.resolve_after_minutes * 60 / bucket_seconds
        self.recent_windows = [w for w in self.windows if w <= quiet] or self.windows[:1]
        self.decay = 0.5 ** (bucket_seconds / (settings.half_life_hours * 3600.0))
        self.slot_decay = self.decay**HOURS  # an hour-of-day slot learns one bucket in 24
        # One p-value per window is tried: correct for it (Bonferroni).
        self.threshold = self.threshold_for(settings.surprise)

    def rate_prior(self, per_day: float, days: float) -> tuple[float, float]:
        """A prior of ``per_day`` hits a day worth ``days`` days, as (rate per bucket, weight in buckets)."""
        return per_day / self.buckets_per_day, days * self.buckets_per_day

    def new_state(self, hourly_shares: bool = True) -> KeyState:
        return KeyState(
            volume=SlidingCounts(self.bucket_seconds, self.ring_size),
            baseline=ShareBaseline(self.settings.prior_share, self.settings.prior_weight, self.decay),
            hour_volume=[0.0] * HOURS if hourly_shares and self.settings.rhythm_weight > 0 else None,
        )

    def new_series(self, state: KeyState, with_rate: bool = False, prior_rate: float = 0.0, prior_weight: float = 1.0,
                   hourly: bool = False) -> Series:
        hits = SlidingCounts(self.bucket_seconds, self.ring_size)
        if state.volume.head >= 0:
            hits.head = state.volume.head
        rate = RateBaseline(prior_rate, prior_weight, self.decay) if with_rate else None
        rhythm = HourlyRate(prior_rate, prior_weight, self.decay) if hourly else None
        series = Series(hits=hits, rate=rate, hourly=rhythm)
        if state.hour_volume is not None and not with_rate:
            series.hour_hits = [0.0] * HOURS
        return series

    # -- time ---------------------------------------------------------------------------

    def advance(self, state: KeyState, epoch: float) -> None:
        """Move every ring to ``epoch``; learn each bucket exactly once, as it leaves the ring.

        Learning a bucket only once it is older than the longest window keeps the
        windows being tested out of the baseline they are tested against, so the
        first minutes of a burst are never learned as normal before it fires.
        """
        volume = state.volume
        new_head = volume.bucket_of(epoch)
        if volume.head < 0 or new_head <= volume.head:
            if volume.head < 0:
                volume.advance(epoch)
                for series in state.series.values():
                    series.hits.advance(epoch)
            return
        size = volume.size
        first_out = volume.head - size + 1  # oldest bucket in the ring
        last_out = new_head - size  # newest bucket that leaves it
        last_real = min(last_out, volume.head)
        quiet = 0  # buckets without events, learned together: most of a rare key's buckets
        for index in range(first_out, last_real + 1):
            events = volume.counts[index % size]
            if not events:
                quiet += 1
                continue
            if quiet:
                self._fade(state, index - quiet, quiet)
                quiet = 0
            bucket_start = index * self.bucket_seconds
            hour = hour_of_day(bucket_start)
            for series in state.series.values():
                self._learn(state, series, series.hits.counts[index % size], events, bucket_start, hour)
            state.baseline.learn(0, events)
            if state.hour_volume is not None:
                state.hour_volume[hour] = state.hour_volume[hour] * self.slot_decay + events
        # Buckets that were never in the ring with anything in them also only fade.
        quiet += max(0, last_out - max(last_real, first_out - 1))
        if quiet:
            self._fade(state, last_out - quiet + 1, quiet)
        volume.advance(epoch)
        for series in state.series.values():
            series.hits.advance(epoch)

    def _fade(self, state: KeyState, first_bucket: int, buckets: int) -> None:
        """``buckets`` buckets without events from absolute bucket ``first_bucket`` on: history only fades."""
        gap = self.decay**buckets
        for series in state.series.values():
            series.hit_total *= gap
            if series.rate is not None:
                series.rate.learn_zeros(buckets)
            if series.hourly is not None:
                series.hourly.learn_zeros(first_bucket, buckets, self.bucket_seconds)
        state.baseline.learn_empty(buckets)

    def _learn(self, state: KeyState, series: Series, count: int, volume: int, bucket_start: float, hour: int) -> None:
        in_incident = bucket_start >= series.incident_from and (
            series.incident is not None or bucket_start < series.incident_until
        )
        hits = float(count)
        if in_incident:
            # Do not learn an incident as normal: learn at most a little above what was expected
            # (min_ratio times it), so a baseline that was simply too low can still catch up.
            if series.rate is not None:
                expected = series.rate.rate
            elif series.hourly is not None:
                expected = series.hourly.rate(hour)
            else:
                expected = self.share(state, series) * volume
            hits = min(hits, expected * self.settings.min_ratio)
        series.hit_total = series.hit_total * self.decay + hits
        if series.hour_hits is not None and volume:
            series.hour_hits[hour] = series.hour_hits[hour] * self.slot_decay + hits
        if series.rate is not None:
            series.rate.learn(hits)
        if series.hourly is not None:
            series.hourly.learn(hour, hits)

    def share(self, state: KeyState, series: Series) -> float:
        """All-day share of the key's events that are hits, shrunk towards the prior while history is thin."""
        s = self.settings
        # The key's whole history counts: before a series' first hit, its events simply had none.
        return (series.hit_total + s.prior_share * s.prior_weight) / (state.baseline.volume + s.prior_weight)

    def expected_with_evidence(
        self, state: KeyState, series: Series, buckets_list: list[int]
    ) -> list[tuple[float, float]]:
        """(hits expected, events' worth of history behind that share) for each window: the beta's concentration.

        Hits expected are the window's events times the share usual at each bucket's time
        of day (``between_hours``). An hour-of-day share is learned from that hour's events
        only (plus the shrinkage towards the all-day share), so on a young key it is far less
        sure than the key's all-day volume says: one day in, the 9 o'clock share rests on one
        9 o'clock. The window's evidence is the variance-weighted blend of the slots it reads,
        never more than the all-day evidence.
        """
        overall = self.share(state, series)
        known = self.share_evidence(state)
        if series.hour_hits is None or state.hour_volume is None:
            return [(overall * state.volume.window(b), known) for b in buckets_list]
        # A slot's share is only as sure as the hits behind it: a rare category needs more events to trust it.
        weight = max(self.settings.rhythm_weight, self.settings.rhythm_hits / max(overall, 1e-9))
        ring, head, size = state.volume.counts, state.volume.head, state.volume.size
        events = [ring[(head - i) % size] for i in range(min(max(buckets_list, default=0), size))]
        blended = blend_hour_slots(head, events, buckets_list, self.bucket_seconds,
                                   series.hour_hits, state.hour_volume, weight, overall, extra=1.0)
        out = []
        for buckets in buckets_list:
            events_total, total, variance = blended[buckets]
            # Var(expected) ~ sum over slots of (events)^2 * share / (slot evidence + 1); a single beta of
            # concentration c over all the window's events has n^2 * mean share / (c + 1).
            evidence = min(known, events_total * total / variance - 1.0) if variance > 0 and total > 0 else known
            out.append((total, evidence))
        return out

    # -- scoring ------------------------------------------------------------------------

    def strongest_share_breach(self, state: KeyState, series: Series, windows: list[int] | None = None) -> Breach:
        """Hits among the key's events, against the key's baseline share; the most surprising window."""
        best = Breach(0.0, 0, 0.0, 0, 0.0)
        chosen = windows or self.windows
        for buckets, (expected, known) in zip(chosen, self.expected_with_evidence(state, series, chosen)):
            observed = series.hits.window(buckets)
            volume = state.volume.window(buckets)
            share = expected / volume if volume else 0.0
            worth = self._worth_scoring(observed, expected)
            surprise = beta_binomial_surprise(observed, volume, share, known) if worth else 0.0
            best = self._stronger(best, surprise, observed, expected, buckets)
        return best

    def share_breach(self, state: KeyState, series: Series, minutes: int) -> Breach:
        """The share test over one window (``minutes`` long), whatever its surprise."""
        buckets = max(1, round(minutes * 60 / self.bucket_seconds))
        observed = series.hits.window(buckets)
        volume = state.volume.window(buckets)
        expected, known = self.expected_with_evidence(state, series, [buckets])[0]
        share = expected / volume if volume else 0.0
        surprise = beta_binomial_surprise(observed, volume, share, known)
        return Breach(surprise, observed, expected, minutes, hit_ratio(observed, expected))

    def share_evidence(self, state: KeyState) -> float:
        """Events' worth of history behind the key's all-day share (the prior's included): the beta concentration."""
        return state.baseline.volume + self.settings.prior_weight

    def strongest_rate_breach(self, series: Series, windows: list[int] | None = None) -> Breach:
        """Hits per bucket against the series' own decayed rate; the most surprising window."""
        assert series.rate is not None
        rate, known = series.rate.rate, series.rate.evidence
        best = Breach(0.0, 0, 0.0, 0, 0.0)
        unseen = 1.0 - self._elapsed(series)
        for buckets in windows or self.windows:
            observed = series.hits.window(buckets)
            expected = rate * (buckets - unseen)
            worth = self._worth_scoring(observed, expected)
            surprise = negative_binomial_surprise(observed, expected, known) if worth else 0.0
            best = self._stronger(best, surprise, observed, expected, buckets)
        return best

    def strongest_hourly_breach(self, series: Series, windows: list[int] | None = None, scale: float = 1.0) -> Breach:
        """Hits against what this hour of the day usually brings, times ``scale``; the most surprising window.

        Poisson, widened by how little history stands behind the hour's figure (negative binomial).
        """
        assert series.hourly is not None
        best = Breach(0.0, 0, 0.0, 0, 0.0)
        head = series.hits.head
        counted = [(buckets, series.hits.window(buckets)) for buckets in windows or self.windows]
        counted = [(buckets, observed) for buckets, observed in counted if observed >= self.settings.min_count]
        if not counted:
            return best
        unseen = (1.0 - self._elapsed(series)) * series.hourly.bucket_rate(head, self.bucket_seconds)
        usual = series.hourly.expected_with_shape(head, [buckets for buckets, _ in counted], self.bucket_seconds)
        for (buckets, observed), (usual_hits, known) in zip(counted, usual):
            expected = scale * (usual_hits - unseen)
            worth = self._worth_scoring(observed, expected)
            surprise = negative_binomial_surprise(observed, expected, known) if worth else 0.0
            best = self._stronger(best, surprise, observed, expected, buckets)
        return best

    def _stronger(self, best: Breach, surprise: float, observed: int, expected: float, buckets: int) -> Breach:
        """The window kept so far, or this one if it is more surprising (the first window tried is always kept)."""
        if surprise > best.surprise or best.window_minutes == 0:
            return Breach(surprise, observed, expected, self._minutes(buckets), hit_ratio(observed, expected))
        return best

    def _elapsed(self, series: Series) -> float:
        """How much of the newest bucket has passed (by the latest hit): a partial bucket expects less."""
        start = series.hits.head * self.bucket_seconds
        return min(1.0, max(0.0, (series.last_ts - start) / self.bucket_seconds))

    def _worth_scoring(self, observed: int, expected: float) -> bool:
        """Tails are only worth computing where the count and ratio gates could pass anyway."""
        s = self.settings
        return observed >= s.min_count and observed >= s.min_ratio * expected

    def threshold_for(self, surprise: float) -> float:
        return surprise + _log10(len(self.windows))

    def is_breach(self, breach: Breach, threshold: float | None = None) -> bool:
        s = self.settings
        return (
            breach.surprise >= (self.threshold if threshold is None else threshold)
            and breach.observed >= s.min_count
            and breach.ratio >= s.min_ratio
        )

    def severity(self, breach: Breach) -> str:
        s = self.settings
        if s.severity:
            return s.severity
        if breach.surprise >= s.critical_surprise + _log10(len(self.windows)) and breach.ratio >= s.critical_ratio:
            return "critical"
        return "warning"

    def window_evidence(self, series: Series, now: float, minutes: int) -> list[Evidence]:
        start = now - minutes * 60
        return [e for e in series.evidence if e.ts > start - self.bucket_seconds]

    def _minutes(self, buckets: int) -> int:
        return round(buckets * self.bucket_seconds / 60)


def hit_ratio(observed: float, expected: float) -> float:
    return observed / expected if expected > 0 else float("inf")


def _log10(n: int) -> float:
    import math

    return math.log10(n) if n > 1 else 0.0
