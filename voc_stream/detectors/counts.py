"""Count-aware baselines for sparse per-key rates.

A key (a region, a store, a merchant, a term) sees a handful of events an hour, so
z-scores on counts of 0-3 are meaningless. Instead every rule asks one question:
given how often this key *usually* produces a hit per event (its baseline share),
how surprising are ``x`` hits among the last ``n`` events? The answer is an exact
binomial tail, reported as *surprise* = -log10(p); the rules use its beta-binomial
twin (and the negative binomial for rates), which also allow for how little history
the usual share or rate rests on.

Comparing against the key's own volume rather than the clock makes the baseline
immune to daily and weekly rhythm and to promotion days that lift everything
alike; where volume itself is the signal (a term out of nowhere), rules compare
against a decayed rate per bucket instead (``RateBaseline``), or per bucket of
each hour of the day where the daily rhythm matters (``HourlyRate``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from voc_stream.compact_state import compact_state

_LN10 = math.log(10.0)
MAX_SURPRISE = 50.0


def _log_binom_pmf(k: int, n: int, p: float) -> float:
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def _surprise_from_terms(top: float, next_ratio) -> float:
    """-log10 of a tail sum whose first log term is ``top`` and whose terms follow ``next_ratio(k)``."""
    log_terms = [top]
    term, k = top, 0
    while len(log_terms) <= 400:
        ratio = next_ratio(k)
        if ratio <= 0.0:
            break
        term += math.log(ratio)
        k += 1
        log_terms.append(term)
        if term < top - 40:
            break
    peak = max(log_terms)
    log_tail = peak + math.log(sum(math.exp(t - peak) for t in log_terms))
    return min(MAX_SURPRISE, max(0.0, -log_tail / _LN10))


def _above_the_mean(x: int, n: int, share: float) -> tuple[int, float] | None:
    """(x, share) made safe for a tail of x hits in n events, or None where the tail is the whole distribution."""
    if x <= 0 or n <= 0:
        return None
    x = min(x, n)
    share = min(max(share, 1e-9), 1 - 1e-9)
    return None if x <= n * share else (x, share)


def binomial_surprise(x: int, n: int, p: float) -> float:
    """-log10 P(X >= x) for X ~ Binomial(n, p); 0 when x is at or below the mean."""
    safe = _above_the_mean(x, n, p)
    if safe is None:
        return 0.0
    x, p = safe
    odds = p / (1 - p)
    return _surprise_from_terms(_log_binom_pmf(x, n, p), lambda k: (n - x - k) / (x + k + 1) * odds)


def poisson_surprise(x: int, mean: float) -> float:
    """-log10 P(X >= x) for X ~ Poisson(mean)."""
    if x <= 0 or x <= mean:
        return 0.0
    mean = max(mean, 1e-9)
    top = -mean + x * math.log(mean) - math.lgamma(x + 1)
    return _surprise_from_terms(top, lambda k: mean / (x + k + 1))


def negative_binomial_surprise(x: int, mean: float, shape: float) -> float:
    """-log10 P(X >= x) when the Poisson mean is itself only known to ``shape`` hits' worth of history.

    A mean learned from 6 hits could well be 1.5 times too low; a Poisson test that
    takes it as exact cries wolf on every key still learning. The gamma-Poisson
    (negative binomial) tail widens with that doubt and is the Poisson tail again
    once history is long (``shape`` large).
    """
    if x <= 0 or x <= mean:
        return 0.0
    if shape >= 1e6:
        return poisson_surprise(x, mean)
    mean = max(mean, 1e-9)
    shape = max(shape, 1e-6)
    q = mean / (shape + mean)  # chance of one more hit, per step of the gamma-Poisson
    top = (
        math.lgamma(x + shape) - math.lgamma(shape) - math.lgamma(x + 1)
        + shape * math.log1p(-q) + x * math.log(q)
    )
    return _surprise_from_terms(top, lambda k: (x + k + shape) / (x + k + 1) * q)


def beta_binomial_surprise(x: int, n: int, share: float, concentration: float) -> float:
    """-log10 P(X >= x) for ``x`` hits in ``n`` events when the share is only known to ``concentration`` events.

    The binomial test's doubt-aware twin: the share is Beta(share * c, (1 - share) * c),
    so a share learned from a few hundred events with one hit among them leaves room
    for 3 hits in 10; with long history it is the binomial tail again.
    """
    safe = _above_the_mean(x, n, share)
    if safe is None:
        return 0.0
    x, share = safe
    if concentration >= 1e7:
        return binomial_surprise(x, n, share)
    a = share * concentration
    b = (1.0 - share) * concentration
    top = (
        math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1)
        + math.lgamma(x + a) + math.lgamma(n - x + b) - math.lgamma(n + a + b)
        - math.lgamma(a) - math.lgamma(b) + math.lgamma(a + b)
    )

    def next_ratio(k: int) -> float:
        left = n - x - k  # events not yet hits at this term: none left ends the tail
        return left / (x + k + 1) * (x + k + a) / (left - 1 + b) if left > 0 else 0.0

    return _surprise_from_terms(top, next_ratio)


def surprise_to_score(surprise: float) -> float:
    """Map surprise (-log10 p) to an anomaly score in [0, 1]: 1 - p."""
    return 1.0 - 10.0 ** (-surprise)


@compact_state
@dataclass(slots=True)
class SlidingCounts:
    """Counts in a ring of equal sub-buckets of event time; windows are sums of the newest ones.

    ``advance`` returns the buckets that fell out of the ring, so the owner can
    learn them into its baseline exactly once.
    """

    bucket_seconds: float
    size: int
    head: int = -1  # absolute index of the newest bucket
    counts: list[int] = field(default_factory=list)
    total: int = 0  # sum of the whole ring, kept up to date: a cheap "could anything fire here?"

    def __post_init__(self) -> None:
        if not self.counts:
            self.counts = [0] * self.size

    def bucket_of(self, epoch: float) -> int:
        return int(epoch // self.bucket_seconds)

    def advance(self, epoch: float) -> tuple[int, int]:
        """Move the head to the bucket of ``epoch``.

        Returns ``(count, steps)``: the count of the bucket that was the head and how
        many buckets closed. Only the old head can hold counts; the rest were empty.
        """
        index = self.bucket_of(epoch)
        if self.head < 0:
            self.head = index
            return 0, 0
        steps = index - self.head
        if steps <= 0:
            return 0, 0
        closed = self.counts[self.head % self.size]
        counts = self.counts
        if steps >= self.size:
            counts[:] = [0] * self.size
            self.total = 0
        else:
            for step in range(1, steps + 1):
                slot = (self.head + step) % self.size
                self.total -= counts[slot]
                counts[slot] = 0
        self.head = index
        return closed, steps

    def add(self, epoch: float, amount: int = 1) -> None:
        """Count into the bucket of ``epoch``; late events land in their bucket if still in the ring."""
        index = self.bucket_of(epoch)
        if self.head < 0 or index > self.head:
            self.advance(epoch)
        if self.head - index >= self.size:
            return
        self.counts[min(index, self.head) % self.size] += amount
        self.total += amount

    def window(self, buckets: int) -> int:
        """Sum of the newest ``buckets`` buckets (the current, partial one included)."""
        if self.head < 0:
            return 0
        if buckets >= self.size:
            return self.total
        start = (self.head - buckets + 1) % self.size
        end = self.head % self.size + 1
        if start < end:
            return sum(self.counts[start:end])
        return sum(self.counts[start:]) + sum(self.counts[:end])


@compact_state
@dataclass(slots=True)
class ShareBaseline:
    """Decayed share of events that are hits, shrunk towards a prior while history is thin."""

    prior_share: float
    prior_weight: float
    decay: float  # per sub-bucket, e.g. 0.5 ** (bucket / half_life)
    hits: float = 0.0
    volume: float = 0.0
    seen: float = 0.0  # undecayed volume ever learned, for warm-up checks

    def learn(self, hits: int, volume: int) -> None:
        self.hits = self.hits * self.decay + hits
        self.volume = self.volume * self.decay + volume
        self.seen += volume

    def learn_empty(self, buckets: int) -> None:
        """Buckets with no events: history only fades."""
        factor = self.decay**buckets
        self.hits *= factor
        self.volume *= factor

    @property
    def share(self) -> float:
        return (self.hits + self.prior_share * self.prior_weight) / (self.volume + self.prior_weight)


@compact_state
@dataclass(slots=True)
class RateBaseline:
    """Decayed hits per sub-bucket, for signals where volume itself is the news."""

    prior_rate: float
    prior_weight: float  # in buckets
    decay: float
    hits: float = 0.0
    buckets: float = 0.0
    seen_buckets: float = 0.0

    def learn(self, hits: int) -> None:
        self.hits = self.hits * self.decay + hits
        self.buckets = self.buckets * self.decay + 1
        self.seen_buckets += 1

    def learn_zeros(self, buckets: int) -> None:
        """``buckets`` buckets with no hits, in closed form."""
        factor = self.decay**buckets
        self.hits *= factor
        self.buckets = self.buckets * factor + (1 - factor) / (1 - self.decay)
        self.seen_buckets += buckets

    @property
    def rate(self) -> float:
        return (self.hits + self.prior_rate * self.prior_weight) / (self.buckets + self.prior_weight)

    @property
    def evidence(self) -> float:
        """Hits' worth of history behind ``rate`` (the prior's included): the gamma shape of the estimate."""
        return self.hits + self.prior_rate * self.prior_weight


HOURS = 24
_CHINA_OFFSET = 8 * 3600.0


def hour_of_day(epoch: float) -> int:
    """Hour of the day in China time (UTC+8, no daylight saving): the rhythm customers live by."""
    return int(((epoch + _CHINA_OFFSET) % 86400.0) // 3600.0)


def between_hours(epoch: float) -> tuple[int, int, float]:
    """The two hour slots around ``epoch`` (China time) and how far it is from the first to the second.

    A slot's figure stands for the middle of its hour, so 21:15 is three quarters of the way
    from the 8 pm slot (20:30) to the 9 pm one (21:30), and 21:00 halfway: a rhythm read this
    way has no step on the hour.
    """
    position = ((epoch + _CHINA_OFFSET) % 86400.0) / 3600.0 - 0.5
    low = math.floor(position)
    return low % HOURS, (low + 1) % HOURS, position - low


def blend_hour_slots(
    last_bucket: int,
    weights: Sequence[float],
    windows: Sequence[int],
    bucket_seconds: float,
    numerators: Sequence[float],
    denominators: Sequence[float],
    shrink: float,
    overall: float,
    extra: float = 0.0,
) -> dict[int, tuple[float, float, float]]:
    """A window's usual figure read between the hour slots, for each window length (in buckets).

    Bucket ``i`` back from ``last_bucket`` carries ``weights[i]`` (its events for a share, 1 for
    a rate) and reads the two hour slots around it (``between_hours``). A slot's figure is its
    own history shrunk towards the all-day figure, ``(numerators[s] + shrink * overall) /
    (denominators[s] + shrink)``. Per window: (weight, weighted figure summed, the variance of
    that sum: slot weight² × figure / (denominator + shrink + extra) over the slots read).
    Both the share tests and the hourly rate read their windows this way.
    """
    slot_value: dict[int, float] = {}
    slot_weight: dict[int, float] = {}
    ends = set(windows)
    out: dict[int, tuple[float, float, float]] = {}
    weight_sum = total = 0.0

    def summed() -> tuple[float, float, float]:
        variance = sum(a * a * slot_value[s] / (denominators[s] + shrink + extra) for s, a in slot_weight.items())
        return weight_sum, total, variance

    for i, w in enumerate(weights):
        if w:
            first, second, fraction = between_hours((last_bucket - i + 0.5) * bucket_seconds)
            if first not in slot_value:
                slot_value[first] = (numerators[first] + shrink * overall) / (denominators[first] + shrink)
                slot_weight[first] = 0.0
            if second not in slot_value:
                slot_value[second] = (numerators[second] + shrink * overall) / (denominators[second] + shrink)
                slot_weight[second] = 0.0
            slot_weight[first] += w * (1.0 - fraction)
            slot_weight[second] += w * fraction
            weight_sum += w
            total += w * (slot_value[first] * (1.0 - fraction) + slot_value[second] * fraction)
        if i + 1 in ends:
            out[i + 1] = summed()
    beyond = [end for end in ends if end > len(weights)]  # windows longer than the weights given
    if beyond:
        last = summed()
        out.update((end, last) for end in beyond)
    return out


@compact_state
@dataclass(slots=True)
class HourlyRate:
    """Decayed hits per bucket for each hour of the day, shrunk towards the all-day rate.

    24 pairs of floats per key: enough to expect fewer complaints at 4 am than at
    8 pm without keeping any history of buckets. A slot with little history leans
    on the key's all-day rate (``shrink`` buckets' worth), and that on ``prior_rate``.
    """

    prior_rate: float
    prior_weight: float  # buckets of history the prior is worth
    decay: float  # per bucket learned
    shrink: float = 6.0
    hits: list[float] = field(default_factory=lambda: [0.0] * HOURS)
    weight: list[float] = field(default_factory=lambda: [0.0] * HOURS)
    total_hits: float = 0.0
    total_weight: float = 0.0
    seen: float = 0.0  # buckets ever learned, undecayed, for warm-up checks

    @property
    def slot_decay(self) -> float:
        # A slot learns one bucket in 24: forget per slot bucket as much as the whole day does per hour.
        return self.decay**HOURS

    def learn(self, hour: int, hits: float) -> None:
        d = self.decay
        sd = self.slot_decay
        self.seen += 1
        self.hits[hour] = self.hits[hour] * sd + hits
        self.weight[hour] = self.weight[hour] * sd + 1.0
        self.total_hits = self.total_hits * d + hits
        self.total_weight = self.total_weight * d + 1.0

    def learn_zeros(self, first_bucket: int, buckets: int, bucket_seconds: float) -> None:
        """``buckets`` empty buckets from absolute bucket ``first_bucket`` on, slot by slot in closed form."""
        if buckets <= 0:
            return
        per_hour = [0] * HOURS
        per_day = int(round(86400.0 / bucket_seconds))
        days, rest = divmod(buckets, per_day)
        if days:
            per_hour = [days * per_day // HOURS] * HOURS
        for i in range(rest):
            per_hour[hour_of_day((first_bucket + i) * bucket_seconds)] += 1
        d, sd = self.decay, self.slot_decay
        for hour, n in enumerate(per_hour):
            if n:
                factor = sd**n
                self.hits[hour] *= factor
                self.weight[hour] = self.weight[hour] * factor + (1 - factor) / (1 - sd)
        factor = d**buckets
        self.total_hits *= factor
        self.total_weight = self.total_weight * factor + (1 - factor) / (1 - d)
        self.seen += buckets

    @property
    def overall(self) -> float:
        return (self.total_hits + self.prior_rate * self.prior_weight) / (self.total_weight + self.prior_weight)

    def rate(self, hour: int) -> float:
        return (self.hits[hour] + self.shrink * self.overall) / (self.weight[hour] + self.shrink)

    def expected(self, last_bucket: int, buckets: int, bucket_seconds: float) -> float:
        """Hits expected over the ``buckets`` buckets ending with absolute bucket ``last_bucket``.

        Each slot's rate stands for the middle of its hour and a bucket reads the line between
        the two slots around it: a rate that falls from 7 an hour at 8 pm to 1.5 at 10 pm is not
        yet at 1.5 by 9:05, as a step at 9:00 would claim.
        """
        return self.expected_with_shape(last_bucket, [buckets], bucket_seconds)[0][0]

    def expected_with_shape(
        self, last_bucket: int, windows: list[int], bucket_seconds: float
    ) -> list[tuple[float, float]]:
        """(hits expected, hits' worth of history behind that figure) for each window length.

        A slot's rate is a gamma estimate worth its own decayed hits plus the shrinkage's;
        a window's figure blends a few slots, and its shape is mean² / variance of that blend
        (``negative_binomial_surprise`` takes it as its doubt).
        """
        longest = max(windows, default=0)
        blended = blend_hour_slots(last_bucket, [1.0] * longest, windows, bucket_seconds,
                                   self.hits, self.weight, self.shrink, self.overall)
        out = []
        for buckets in windows:
            _, total, variance = blended.get(buckets, (0.0, 0.0, 0.0))
            out.append((total, total * total / variance if variance > 0 else math.inf))
        return out

    def bucket_rate(self, bucket: int, bucket_seconds: float) -> float:
        """Hits expected in one bucket (``expected`` for a single bucket)."""
        return self.expected(bucket, 1, bucket_seconds)
