"""Per-key state: sliding counts, baselines, recent evidence and the open incident.

One ``KeyState`` lives in one table row (a Faust table in the worker, a dict in
backtest), so everything a rule needs to decide about a key is in that row and
the same events in the same order always give the same alerts.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from voc_stream.detectors.counts import (
    HourlyRate,
    RateBaseline,
    ShareBaseline,
    SlidingCounts,
    binomial_surprise,
    hour_of_day,
    poisson_surprise,
)
from voc_stream.rules.evidence import Evidence
from voc_stream.rules.settings import RuleSettings

EVIDENCE_KEPT = 40


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


@dataclass(slots=True)
class Series:
    """Hits of one thing counted at a key (a category, negative posts, a term)."""

    hits: SlidingCounts
    hit_total: float = 0.0  # decayed hits learned, for share baselines
    rate: RateBaseline | None = None  # for volume-free series
    hourly: HourlyRate | None = None  # for series whose rate follows the time of day
    evidence: deque = field(default_factory=lambda: deque(maxlen=EVIDENCE_KEPT))
    incident: Incident | None = None
    incident_until: float = 0.0  # buckets starting before this are learned as expected, not as seen
    last_ts: float = 0.0


@dataclass(slots=True)
class KeyState:
    """Everything about one key; volume is shared by its series."""

    volume: SlidingCounts
    baseline: ShareBaseline  # volume side: decayed events learned (hits are per series)
    series: dict[str, Series] = field(default_factory=dict)
    last_ts: float = 0.0

    @property
    def has_open_incident(self) -> bool:
        return any(s.incident is not None for s in self.series.values())


def bucket_count(settings: RuleSettings) -> int:
    return max(settings.windows_minutes)


class KeyMonitor:
    """Advances a KeyState in event time and scores its series; shared by all rules."""

    def __init__(self, settings: RuleSettings, bucket_seconds: float) -> None:
        self.settings = settings
        self.bucket_seconds = bucket_seconds
        self.windows = sorted({max(1, round(m * 60 / bucket_seconds)) for m in settings.windows_minutes})
        self.ring_size = max(self.windows) + 1
        # Windows short enough that a breach in them means the incident is still going on.
        quiet = settings.resolve_after_minutes * 60 / bucket_seconds
        self.recent_windows = [w for w in self.windows if w <= quiet] or self.windows[:1]
        self.decay = 0.5 ** (bucket_seconds / (settings.half_life_hours * 3600.0))
        # One p-value per window is tried: correct for it (Bonferroni).
        self.threshold = settings.surprise + _log10(len(self.windows))

    def new_state(self) -> KeyState:
        return KeyState(
            volume=SlidingCounts(self.bucket_seconds, self.ring_size),
            baseline=ShareBaseline(self.settings.prior_share, self.settings.prior_weight, self.decay),
        )

    def new_series(self, state: KeyState, with_rate: bool = False, prior_rate: float = 0.0, prior_weight: float = 1.0,
                   hourly: bool = False) -> Series:
        hits = SlidingCounts(self.bucket_seconds, self.ring_size)
        if state.volume.head >= 0:
            hits.head = state.volume.head
        rate = RateBaseline(prior_rate, prior_weight, self.decay) if with_rate else None
        rhythm = HourlyRate(prior_rate, prior_weight, self.decay) if hourly else None
        return Series(hits=hits, rate=rate, hourly=rhythm)

    # -- time ---------------------------------------------------------------------------

    def advance(self, state: KeyState, epoch: float) -> None:
        """Move every ring to ``epoch``, learning each closed bucket exactly once."""
        first_closed = state.volume.head
        volume, steps = state.volume.advance(epoch)
        if steps == 0:
            return
        bucket_start = first_closed * self.bucket_seconds
        for series in state.series.values():
            hits, _ = series.hits.advance(epoch)
            self._learn(state, series, hits, volume, bucket_start)
            series.hit_total *= self.decay ** (steps - 1)
            if series.rate is not None:
                series.rate.learn_zeros(steps - 1)
            if series.hourly is not None:
                series.hourly.learn_zeros(first_closed + 1, steps - 1, self.bucket_seconds)
        state.baseline.learn(0, volume)
        state.baseline.learn_empty(steps - 1)

    def _learn(self, state: KeyState, series: Series, hits: int, volume: int, bucket_start: float) -> None:
        in_incident = series.incident is not None or bucket_start < series.incident_until
        hour = hour_of_day(bucket_start)
        if in_incident:
            # Do not learn an ongoing incident as normal: learn what was expected instead.
            if series.rate is not None:
                hits = min(hits, round(series.rate.rate))
            elif series.hourly is not None:
                hits = min(hits, round(series.hourly.rate(hour)))
            else:
                hits = min(hits, round(self.share(state, series) * volume))
        series.hit_total = series.hit_total * self.decay + hits
        if series.rate is not None:
            series.rate.learn(hits)
        if series.hourly is not None:
            series.hourly.learn(hour, hits)

    def share(self, state: KeyState, series: Series) -> float:
        s = self.settings
        return (series.hit_total + s.prior_share * s.prior_weight) / (state.baseline.volume + s.prior_weight)

    # -- scoring ------------------------------------------------------------------------

    def strongest_share_breach(self, state: KeyState, series: Series, windows: list[int] | None = None) -> Breach:
        """Hits among the key's events, against the key's baseline share; the most surprising window."""
        share = self.share(state, series)
        best = Breach(0.0, 0, 0.0, 0, 0.0)
        for buckets in windows or self.windows:
            observed = series.hits.window(buckets)
            volume = state.volume.window(buckets)
            expected = share * volume
            surprise = binomial_surprise(observed, volume, share) if self._worth_scoring(observed, expected) else 0.0
            if surprise > best.surprise or best.window_minutes == 0:
                ratio = observed / expected if expected > 0 else float("inf")
                best = Breach(surprise, observed, expected, self._minutes(buckets), ratio)
        return best

    def share_breach(self, state: KeyState, series: Series, minutes: int) -> Breach:
        """The share test over one window (``minutes`` long), whatever its surprise."""
        buckets = max(1, round(minutes * 60 / self.bucket_seconds))
        share = self.share(state, series)
        observed = series.hits.window(buckets)
        volume = state.volume.window(buckets)
        expected = share * volume
        ratio = observed / expected if expected > 0 else float("inf")
        return Breach(binomial_surprise(observed, volume, share), observed, expected, minutes, ratio)

    def strongest_rate_breach(self, series: Series, windows: list[int] | None = None) -> Breach:
        """Hits per bucket against the series' own decayed rate; the most surprising window."""
        assert series.rate is not None
        rate = series.rate.rate
        best = Breach(0.0, 0, 0.0, 0, 0.0)
        for buckets in windows or self.windows:
            observed = series.hits.window(buckets)
            expected = rate * buckets
            surprise = poisson_surprise(observed, expected) if self._worth_scoring(observed, expected) else 0.0
            if surprise > best.surprise or best.window_minutes == 0:
                ratio = observed / expected if expected > 0 else float("inf")
                best = Breach(surprise, observed, expected, self._minutes(buckets), ratio)
        return best

    def strongest_hourly_breach(self, series: Series, windows: list[int] | None = None) -> Breach:
        """Hits against what this hour of the day usually brings (Poisson); the most surprising window."""
        assert series.hourly is not None
        best = Breach(0.0, 0, 0.0, 0, 0.0)
        head = series.hits.head
        for buckets in windows or self.windows:
            observed = series.hits.window(buckets)
            if observed < self.settings.min_count:
                continue
            expected = series.hourly.expected(head, buckets, self.bucket_seconds)
            surprise = poisson_surprise(observed, expected) if self._worth_scoring(observed, expected) else 0.0
            if surprise > best.surprise or best.window_minutes == 0:
                ratio = observed / expected if expected > 0 else float("inf")
                best = Breach(surprise, observed, expected, self._minutes(buckets), ratio)
        return best

    def _worth_scoring(self, observed: int, expected: float) -> bool:
        """Tails are only worth computing where the count and ratio gates could pass anyway."""
        s = self.settings
        return observed >= s.min_count and observed >= s.min_ratio * expected

    def is_breach(self, breach: Breach) -> bool:
        s = self.settings
        return breach.surprise >= self.threshold and breach.observed >= s.min_count and breach.ratio >= s.min_ratio

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


def _log10(n: int) -> float:
    import math

    return math.log10(n) if n > 1 else 0.0
