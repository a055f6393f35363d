"""The default detector for one real-valued rate series.

Four views of each point, each turned into a calibrated tail score so that one
alarm threshold means the same thing on every series:

* **context**: the value is quantised into ``levels`` bands over the range seen so
  far; the detector remembers which band has followed each recent run of bands
  (orders 1..``orders``) and reports the share of those runs never before followed
  by the current band. Novel shapes, not only big values, stand out.
* **level**: distance from a slow exponentially weighted mean, in standard deviations.
* **step**: the jump from the previous point, relative to the usual jump.
* **season**: distance from the usual value at this time of day (``season_slots``
  slots of ``slot_seconds``), so a missing daily peak or a flat afternoon shows.

Each raw view feeds an anomaly likelihood (as in Numenta's HTM detector): the mean
of its last ``short`` raw values against the long-run mean and spread of that mean
(exponentially weighted, ``long_alpha``), as a Gaussian upper tail ``p``; the score
is ``-log10(p) / 10`` for the most surprised view, capped at 1 (p = 1e-10), so a
score of 0.5 means "one in 100,000" on any series. After a score reaches
``alarm_level``, the next ``quiet_points`` scores are scaled by ``quiet_factor``:
one incident should raise one alarm, not hundreds.

Scores depend only on the points already seen (the score of a point is computed
before the point is learned), so a prefix of a series always gets the same scores.

Everything runs in one loop over plain floats held in local variables, because
this detector sits on the hot path of every key; views are written out rather
than looped over for the same reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from voc_stream.detectors.base import Detector

_SQRT2 = math.sqrt(2.0)
_VIEWS = 4
_RAW_CAP = 100.0


def _tail_score(z: float) -> float:
    """-log10 of the Gaussian upper tail at ``z``, divided by 10, capped at 1."""
    if z <= 0.0:
        return 0.0
    p = 0.5 * math.erfc(z / _SQRT2)
    if p <= 1e-10:
        return 1.0
    return -math.log10(p) / 10.0


class ContextualRateDetector(Detector):
    """Ensemble of context, level, step and time-of-day likelihoods; see the module docstring."""

    def __init__(
        self,
        levels: int = 8,
        orders: int = 4,
        alpha: float = 0.003,
        short: int = 10,
        long_alpha: float = 0.001,
        warmup: int = 50,
        alarm_level: float = 0.5,
        quiet_points: int = 100,
        quiet_factor: float = 0.5,
        season_alpha: float = 0.05,
        slot_seconds: float = 1800.0,
        season_slots: int = 48,
    ) -> None:
        self.levels = levels
        self.orders = orders
        self.alpha = alpha
        self.short = short
        self.long_alpha = long_alpha
        self.warmup = warmup
        self.alarm_level = alarm_level
        self.quiet_points = quiet_points
        self.quiet_factor = quiet_factor
        self.season_alpha = season_alpha
        self.slot_seconds = slot_seconds
        self.season_slots = season_slots
        self._scalars: list | None = None
        self._seen_contexts: set[int] = set()
        self._slots: dict[int, list[float]] = {}
        self._ring: list[tuple[float, float, float, float]] = [(0.0, 0.0, 0.0, 0.0)] * short

    def score_one(self, x: float, t: float) -> float:
        return self._run((x,), (t,), learn=False)[0]

    def learn_one(self, x: float, t: float) -> None:
        self._run((x,), (t,), learn=True)

    def score_learn_many(self, xs: Sequence[float], ts: Sequence[float]) -> list[float]:
        return self._run(xs, ts, learn=True)

    def _run(self, xs: Iterable[float], ts: Iterable[float], learn: bool) -> list[float]:
        if self._scalars is None:
            # n, lo, hi, code, depth, mean, var, prev, step, quiet, then per view: avg, mean, var
            self._scalars = [0, 0.0, 0.0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0] + [0.0, 0.0, 1.0] * _VIEWS
        (n, lo, hi, code, depth, mean, var, prev, step, quiet,
         c_avg, c_mean, c_var, l_avg, l_mean, l_var,
         j_avg, j_mean, j_var, s_avg, s_mean, s_var) = self._scalars
        n_levels, orders = self.levels, self.orders
        base = n_levels + 2
        modulus = base ** orders
        powers = [base**k for k in range(1, orders + 1)]
        inv_orders = 1.0 / orders
        alpha, long_alpha, warmup = self.alpha, self.long_alpha, self.warmup
        short = self.short
        inv_short = 1.0 / short
        ring = self._ring
        ring_at = n % short
        alarm, quiet_points, quiet_factor = self.alarm_level, self.quiet_points, self.quiet_factor
        season_alpha, slot_seconds, season_slots = self.season_alpha, self.slot_seconds, self.season_slots
        seen_contexts, slots = self._seen_contexts, self._slots
        add_context = seen_contexts.add
        sqrt, tail = math.sqrt, _tail_score
        out: list[float] = []
        append = out.append
        try:
            for x, t in zip(xs, ts):
                x = float(x)
                if not -1e300 < x < 1e300:
                    raise ValueError(f"value must be a finite number, got {x!r}")
                if n == 0:
                    lo = hi = mean = prev = x
                # ---- context view: share of recent band runs never followed by this band
                span = hi - lo
                if x > hi:
                    sym = n_levels
                elif x < lo:
                    sym = n_levels + 1
                elif span > 0.0:
                    sym = int((x - lo) / span * n_levels)
                    if sym >= n_levels:
                        sym = n_levels - 1
                else:
                    sym = 0
                novel = 0
                for k in range(depth):
                    key = (((code % powers[k]) * base + sym) << 3) | k
                    if key not in seen_contexts:
                        novel += 1
                        if learn:
                            add_context(key)
                c_raw = novel * inv_orders
                # ---- level, step and season views
                l_raw = abs(x - mean) / (sqrt(var) + 1e-9)
                jump = abs(x - prev)
                j_raw = jump / (step + 1e-9)
                slot_key = int(t // slot_seconds) % season_slots
                slot = slots.get(slot_key)
                if slot is None:
                    s_raw = 0.0
                else:
                    s_raw = abs(x - slot[0]) / (sqrt(slot[1]) + 0.1 * sqrt(var) + 1e-9)
                if l_raw > _RAW_CAP:
                    l_raw = _RAW_CAP
                if j_raw > _RAW_CAP:
                    j_raw = _RAW_CAP
                if s_raw > _RAW_CAP:
                    s_raw = _RAW_CAP
                # ---- likelihoods: short average against its own long-run spread
                old_c, old_l, old_j, old_s = ring[ring_at]
                c_avg2 = c_avg + (c_raw - old_c) * inv_short
                l_avg2 = l_avg + (l_raw - old_l) * inv_short
                j_avg2 = j_avg + (j_raw - old_j) * inv_short
                s_avg2 = s_avg + (s_raw - old_s) * inv_short
                if n >= warmup:
                    z = (c_avg2 - c_mean) / (sqrt(c_var) + 1e-6)
                    zz = (l_avg2 - l_mean) / (sqrt(l_var) + 1e-6)
                    if zz > z:
                        z = zz
                    zz = (j_avg2 - j_mean) / (sqrt(j_var) + 1e-6)
                    if zz > z:
                        z = zz
                    zz = (s_avg2 - s_mean) / (sqrt(s_var) + 1e-6)
                    if zz > z:
                        z = zz
                    score = tail(z)
                else:
                    score = 0.0
                if quiet > 0:
                    score *= quiet_factor
                append(score)
                if not learn:
                    continue
                # ---- learn
                if quiet > 0:
                    quiet -= 1
                elif score >= alarm:
                    quiet = quiet_points
                c_avg, l_avg, j_avg, s_avg = c_avg2, l_avg2, j_avg2, s_avg2
                ring[ring_at] = (c_raw, l_raw, j_raw, s_raw)
                ring_at += 1
                if ring_at == short:
                    ring_at = 0
                if n >= warmup:
                    seen = n - warmup
                    a = long_alpha if seen * long_alpha >= 1.0 else 1.0 / (seen + 1)
                    b = 1.0 - a
                    d = c_avg - c_mean
                    c_mean += a * d
                    c_var = b * (c_var + a * d * d)
                    d = l_avg - l_mean
                    l_mean += a * d
                    l_var = b * (l_var + a * d * d)
                    d = j_avg - j_mean
                    j_mean += a * d
                    j_var = b * (j_var + a * d * d)
                    d = s_avg - s_mean
                    s_mean += a * d
                    s_var = b * (s_var + a * d * d)
                if sym == n_levels:
                    hi = x
                    sym = n_levels - 1
                elif sym > n_levels:
                    lo = x
                    sym = 0
                code = (code * base + sym) % modulus
                if depth < orders:
                    depth += 1
                if slot is None:
                    slots[slot_key] = [x, 0.0]
                else:
                    d = x - slot[0]
                    slot[0] += season_alpha * d
                    slot[1] = (1.0 - season_alpha) * (slot[1] + season_alpha * d * d)
                a = alpha if (n + 2) * alpha >= 1.0 else 1.0 / (n + 2)
                d = x - mean
                mean += a * d
                var = (1.0 - a) * (var + a * d * d)
                step += a * (jump - step)
                prev = x
                n += 1
        finally:
            # Also on a bad value mid-batch: the points before it were fully learned.
            if learn:
                self._scalars = [
                    n, lo, hi, code, depth, mean, var, prev, step, quiet,
                    c_avg, c_mean, c_var, l_avg, l_mean, l_var,
                    j_avg, j_mean, j_var, s_avg, s_mean, s_var,
                ]
        return out
