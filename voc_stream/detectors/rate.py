"""The default detector for one real-valued rate series.

Three views of each point, each turned into a calibrated tail score so that one
alarm threshold means the same thing on every series:

* **context**: the value is quantised into a few levels over the range seen so
  far; the detector counts which level follows each recent sequence of levels
  (orders 1..``orders``) and reports how many of those sequences have never been
  followed by the current level. Novel shapes, not only big values, stand out.
* **level**: distance from a slow exponentially weighted mean, in standard deviations.
* **step**: the jump from the previous point, relative to the usual jump.

Each raw view feeds an anomaly likelihood (as in Numenta's HTM detector): the mean
of the last ``short`` raw values against the long-run mean and spread of that raw
value, as a Gaussian upper tail ``p``, reported as ``-log10(p) / 10``. The
ensemble score is the largest of the three. After a score reaches ``alarm_level``
the next ``quiet_points`` scores are scaled by ``quiet_factor``: one incident
should raise one alarm, not hundreds.

Everything runs in one loop of plain floats with local variables, because this
detector sits on the hot path of every key.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from voc_stream.detectors.base import Detector

_SQRT2 = math.sqrt(2.0)


def _tail_score(z: float) -> float:
    """-log10 of the Gaussian upper tail at ``z``, divided by 10, capped at 1."""
    if z <= 0.0:
        return 0.0
    p = 0.5 * math.erfc(z / _SQRT2)
    if p <= 1e-10:
        return 1.0
    return -math.log10(p) / 10.0


class ContextualRateDetector(Detector):
    """Ensemble of context novelty, level and step likelihoods; see the module docstring."""

    _views = (1, 1, 1, 1, 0)

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
        self._state: dict | None = None

    def _fresh_state(self) -> dict:
        lik = lambda: [[0.0] * self.short, 0, 0.0, 0.0, 1.0, 0]  # noqa: E731
        return {
            "n": 0, "lo": 0.0, "hi": 0.0, "hist": (), "counts": {},
            "mean": 0.0, "var": 0.0, "prev": 0.0, "step": 0.0, "quiet": 0,
            "fast_step": 0.0, "slots": {},
            "liks": [lik() for _ in range(5)],
        }

    def score_one(self, x: float, t: float) -> float:
        return self._run((x,), (t,), learn=False)[0]

    def learn_one(self, x: float, t: float) -> None:
        self._run((x,), (t,), learn=True)

    def score_learn_many(self, xs: Iterable[float], ts: Iterable[float]) -> list[float]:
        return self._run(xs, ts, learn=True)

    def _run(self, xs: Iterable[float], ts: Iterable[float], learn: bool) -> list[float]:
        if self._state is None:
            self._state = self._fresh_state()
        st = self._state
        n_levels, orders, short = self.levels, self.orders, self.short
        alpha, long_alpha, warmup = self.alpha, self.long_alpha, self.warmup
        alarm, quiet_points, quiet_factor = self.alarm_level, self.quiet_points, self.quiet_factor
        season_alpha, slot_seconds = self.season_alpha, self.slot_seconds
        n, lo, hi, hist, counts = st["n"], st["lo"], st["hi"], st["hist"], st["counts"]
        mean, var, prev, step, quiet = st["mean"], st["var"], st["prev"], st["step"], st["quiet"]
        fast_step, slots = st["fast_step"], st["slots"]
        liks = st["liks"]
        views = self._views
        sqrt, tail, log = math.sqrt, _tail_score, math.log
        out = []
        append = out.append
        for x, t in zip(xs, ts):
            x = float(x)
            if n == 0:
                lo = hi = mean = prev = x
            # ---- raw views
            span = hi - lo
            if x > hi:
                sym = n_levels
            elif x < lo:
                sym = -1
            elif span <= 0.0:
                sym = 0
            else:
                sym = int((x - lo) / span * n_levels)
                if sym >= n_levels:
                    sym = n_levels - 1
            novel = 0
            depth = len(hist)
            for k in range(1, depth + 1):
                if (hist[-k:], sym) not in counts:
                    novel += 1
            jump = abs(x - prev)
            slot_key = int(t // slot_seconds) % self.season_slots
            slot = slots.get(slot_key)
            if slot is None:
                season_raw = 0.0
            else:
                season_raw = min(abs(x - slot[0]) / (sqrt(slot[1]) + 1e-9 + 0.1 * sqrt(var)), 100.0)
            new_fast = fast_step + 0.1 * (jump - fast_step)
            raws = (
                novel / orders,
                min(abs(x - mean) / (sqrt(var) + 1e-9), 100.0),
                min(jump / (step + 1e-9), 100.0),
                season_raw,
                min(abs(log((new_fast + 1e-9) / (step + 1e-9))), 100.0),
            )
            # ---- calibrated score
            score = 0.0
            if n >= warmup:
                for raw, lik, use in zip(raws, liks, views):
                    if not use:
                        continue
                    buf, i, total, lmean, lvar, _ = lik
                    z = ((total + raw - buf[i]) / short - lmean) / (sqrt(lvar) + 1e-6)
                    s = tail(z)
                    if s > score:
                        score = s
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
            if n >= warmup:
                for raw, lik in zip(raws, liks):
                    buf, i, total, lmean, lvar, seen = lik
                    total += raw - buf[i]
                    buf[i] = raw
                    lik[1] = (i + 1) % short
                    lik[2] = total
                    a = long_alpha if seen * long_alpha >= 1.0 else 1.0 / (seen + 1)
                    d = total / short - lmean
                    lik[3] = lmean + a * d
                    lik[4] = (1.0 - a) * (lvar + a * d * d)
                    lik[5] = seen + 1
            for k in range(1, depth + 1):
                counts[(hist[-k:], sym)] = True
            if sym == n_levels:
                hi = x
                sym = n_levels - 1
            elif sym < 0:
                lo = x
                sym = 0
            hist = (hist + (sym,))[-orders:]
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
            fast_step = new_fast
            prev = x
            n += 1
        if learn:
            st.update(
                n=n, lo=lo, hi=hi, hist=hist, mean=mean, var=var, prev=prev, step=step, quiet=quiet,
                fast_step=fast_step,
            )
        return out
