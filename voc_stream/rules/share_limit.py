"""share_limit: a place's share of feedback in a category is clearly over a line the business draws.

The anomaly rules compare a key with its own past, so a merchant that has always
drawn 5% 诱导好评 complaints, or crept there over a week, is normal to them. A
line does not learn: over the trailing ``window_days`` of event time, the rule
counts the place's feedback and the hits, and fires once the binomial tail says
the share is above ``max_share`` with ``surprise`` to spare (at least ``min_count``
hits in at least ``min_events`` events), so a small merchant's three unlucky
complaints are not a breach. It resolves when the share is back at or under the line.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from voc_stream.alerts import Alert, make_alert_id
from voc_stream.compact_state import compact_state
from voc_stream.detectors.counts import SlidingCounts, binomial_surprise
from voc_stream.enrich import EnrichedEvent
from voc_stream.rules.base import SEVERITY_RANK, Rule, RuleContext
from voc_stream.rules.evidence import Evidence
from voc_stream.rules.monitor import Breach, Incident
from voc_stream.rules.settings import LIMIT_SCOPES, NEGATIVE, LimitLine, ShareLimitSettings

HOUR = 3600.0
#: Samples kept per category: the newest, for the alert.
SAMPLES_KEPT = 10


@compact_state
@dataclass(slots=True)
class PlaceCounts:
    """A place's feedback and hits per limited category, hour by hour over the longest window."""

    volume: SlidingCounts
    hits: dict[str, SlidingCounts] = field(default_factory=dict)
    samples: dict[str, deque] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    last_ts: float = 0.0

    @property
    def has_open_incident(self) -> bool:
        return bool(self.incidents)

    def drop_evidence(self) -> bool:
        """Kept: a few samples per category, read when the share next crosses the line, maybe days later."""
        return False


def window_hours(limit: LimitLine) -> int:
    return max(1, round(limit.window_days * 24))


class ShareLimit(Rule):
    name = "share_limit"
    settings: ShareLimitSettings

    def __init__(self, settings: ShareLimitSettings, context: RuleContext) -> None:
        super().__init__(settings, context)
        self.limits: dict[str, dict[str, LimitLine]] = {}
        for limit in settings.limits:
            self.limits.setdefault(limit.scope, {})[limit.category] = limit

    def keys(self, event: EnrichedEvent) -> list[str]:
        keys = []
        for scope in self.limits:
            place = getattr(event, LIMIT_SCOPES[scope])
            if place:
                keys.append(f"{self.name}|{scope}|{place}")
        return keys

    def hits(self, key: str, event: EnrichedEvent) -> list[str]:
        return [c for c in self.limits[self.scope(key)] if (event.negative if c == NEGATIVE else c in event.categories)]

    def scope(self, key: str) -> str:
        return key.split("|", 2)[1]

    def subject(self, key: str, series: str) -> dict[str, str]:
        _, scope, place = key.split("|", 2)
        return {LIMIT_SCOPES[scope]: place, "category": series}

    def new_state(self, key: str) -> PlaceCounts:
        hours = max(window_hours(limit) for limit in self.limits[self.scope(key)].values())
        return PlaceCounts(volume=SlidingCounts(HOUR, hours + 1))

    def observe(self, state: PlaceCounts, key: str, event: EnrichedEvent) -> list[Alert]:
        self._advance(state, event.ts)
        state.volume.add(event.ts)
        state.last_ts = max(state.last_ts, event.ts)
        hit = set(self.hits(key, event))
        for category in hit:
            counts = state.hits.get(category)
            if counts is None:
                limit = self.limits[self.scope(key)][category]
                counts = state.hits[category] = SlidingCounts(HOUR, window_hours(limit) + 1)
                counts.advance(event.ts)
            counts.add(event.ts)
            samples = state.samples.setdefault(category, deque(maxlen=SAMPLES_KEPT))
            samples.append(self._evidence(key, event))
        alerts: list[Alert] = []
        for category in list(state.hits):
            if category in hit or category in state.incidents:
                alerts.extend(self._evaluate(state, key, category, state.last_ts))
        return alerts

    def tick(self, state: PlaceCounts, key: str, now: float) -> list[Alert]:
        """Hours pass without feedback too: old hits leave the window and the share may fall under the line."""
        if not state.incidents or now <= state.last_ts:
            return []
        self._advance(state, now)
        alerts: list[Alert] = []
        for category in list(state.incidents):
            alerts.extend(self._evaluate(state, key, category, now))
        return alerts

    def _advance(self, state: PlaceCounts, epoch: float) -> None:
        state.volume.advance(epoch)
        for counts in state.hits.values():
            counts.advance(epoch)

    def _evaluate(self, state: PlaceCounts, key: str, category: str, at: float) -> list[Alert]:
        limit = self.limits.get(self.scope(key), {}).get(category)
        if limit is None:  # a line removed from the configuration: close what it opened
            incident = state.incidents.pop(category, None)
            return [self._alert_for(state, key, category, incident, "resolved", at, None)] if incident else []
        hours = window_hours(limit)
        hits = state.hits[category].window(hours)
        events = max(state.volume.window(hours), hits)
        line = limit.max_share * events
        incident = state.incidents.get(category)
        if incident is not None:
            if hits <= line:
                del state.incidents[category]
                return [self._alert_for(state, key, category, incident, "resolved", at, limit, hits, events)]
            incident.last_breach = at
            severity = self._severity(hits, events, limit)
            if SEVERITY_RANK[severity] > SEVERITY_RANK[incident.severity]:
                incident.severity = severity
                return [self._alert_for(state, key, category, incident, "firing", at, limit, hits, events)]
            return []
        if events < limit.min_events or hits < self.settings.min_count:
            return []
        surprise = binomial_surprise(hits, events, limit.max_share)
        if surprise < self.settings.surprise:
            return []
        subject = self.subject(key, category)
        incident = state.incidents[category] = Incident(
            alert_id=make_alert_id(self.name, subject, at),
            subject=subject,
            started=at,
            last_breach=at,
            severity=self._severity(hits, events, limit),
            peak_surprise=surprise,
            observed=hits,
            expected=line,
        )
        return [self._alert_for(state, key, category, incident, "firing", at, limit, hits, events)]

    def _severity(self, hits: int, events: int, limit: LimitLine) -> str:
        if self.settings.severity:
            return self.settings.severity
        return "critical" if hits >= self.settings.critical_ratio * limit.max_share * events else "warning"

    def _alert_for(self, state: PlaceCounts, key: str, category: str, incident: Incident, status: str, at: float,
                   limit: LimitLine | None, hits: int = 0, events: int = 0) -> Alert:
        """observed: hits in the window; expected: the hits the line allows; share and limit as fields of their own."""
        hours = window_hours(limit) if limit else 1
        line = limit.max_share if limit else 0.0
        surprise = binomial_surprise(hits, events, line) if limit and status == "firing" else 0.0
        breach = Breach(surprise, hits, line * events, hours * 60, hits / (line * events) if line and events else 0.0)
        cutoff = at - hours * HOUR
        items: list[Evidence] = [item for item in state.samples.get(category, ()) if item.ts > cutoff]
        alert = self._alert(incident, status, at, breach, items)
        share = hits / events if events else 0.0
        alert.share = round(share, 4)
        alert.limit = line
        place = " ".join(v for k, v in incident.subject.items() if k != "category")
        days = f"{hours / 24:g} days" if hours % 24 == 0 else f"{hours} h"
        alert.summary = (
            f"{place} {category}: {hits} of {events} feedback in {days} ({share:.1%}), line {line:.1%}"
            + (" (resolved)" if status == "resolved" else "")
        )
        return alert
