"""The Rule abstraction: which keys an event touches, what counts as a hit, and the alert lifecycle.

A concrete rule only says *where* to count (``keys``), *what* counts (``hits``),
*who* the alert is about (``subject``) and any extra evidence it insists on; the
counting, scoring, firing, updating and resolving are the same for all and live here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Iterable

from voc_stream.alerts import Alert, make_alert_id, runbook_url
from voc_stream.detectors.counts import poisson_surprise
from voc_stream.enrich import EnrichedEvent
from voc_stream.events import CHINA_TZ
from voc_stream.rules import evidence as ev_tools
from voc_stream.rules.evidence import PLACE_KEYS, Evidence
from voc_stream.rules.monitor import Breach, Incident, KeyMonitor, KeyState, Series, hit_ratio
from voc_stream.rules.settings import RuleSettings, RulesConfig

#: Kept of a post for its sample: this many characters and tokens, from the start or from ``excerpt_start``.
SAMPLE_CHARS = 280
SAMPLE_TOKENS = 40
#: A part (region, store, place) holding this share of a window's hits may be the whole story.
DOMINANT_PART = 1 / 3
#: A place named as driving an alert holds more than this share of its window's hits.
DRIVING_PLACE = 1 / 2
SEVERITY_RANK = {"info": 0, "warning": 1, "critical": 2}


def longer_than_sample(event: EnrichedEvent) -> bool:
    """Whether a sample from the post's start would cut it short (its samples may then start elsewhere)."""
    return len(event.text_masked) > SAMPLE_CHARS or len(event.tokens) > SAMPLE_TOKENS


@dataclass(frozen=True)
class RuleContext:
    """What rules need to know beyond their own thresholds."""

    config: RulesConfig
    fraud_categories: frozenset[str] = frozenset()
    lexicon_terms: frozenset[str] = field(default_factory=frozenset)

    @property
    def bucket_seconds(self) -> float:
        return self.config.bucket_minutes * 60.0


def iso(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=CHINA_TZ)


def finer_places(subject: dict[str, str]) -> tuple[str, ...]:
    """The place keys below the subject's own: all of them for a nationwide subject, none below a store."""
    pinned = [index for index, key in enumerate(PLACE_KEYS) if key in subject]
    if not pinned:
        return PLACE_KEYS
    deepest = max(pinned)
    return () if PLACE_KEYS[deepest] in ("store_id", "merchant_id") else PLACE_KEYS[deepest + 1 :]


def scaled_to_window(count: int, breach: Breach, items: list[Evidence]) -> int:
    """A count among the kept evidence, scaled to the window: only the newest hits keep theirs."""
    if 0 < len(items) < breach.observed:
        return round(count * breach.observed / len(items))
    return count


class Rule(ABC):
    """One alerting rule; state lives outside, in one KeyState per key."""

    name: ClassVar[str]
    #: Fewest hits a part must hold before it may explain a window (``holds_without_top_source``).
    min_part_hits: ClassVar[int] = 2

    def __init__(self, settings: RuleSettings, context: RuleContext) -> None:
        self.settings = settings
        self.context = context
        self.monitor = KeyMonitor(settings, context.bucket_seconds)
        # The last event, whether it is longer than a sample, and its samples by (source, excerpt start):
        # the keys an event reaches share them.
        self._samples_of: tuple[EnrichedEvent, bool, dict[tuple[str | None, tuple[int, int]], Evidence]] | None = None
        self.thresholds = {
            scope: self.monitor.threshold_for(surprise) for scope, surprise in settings.scope_surprise.items()
        }

    # -- what a rule defines ------------------------------------------------------------

    @abstractmethod
    def keys(self, event: EnrichedEvent) -> list[str]:
        """State keys (prefixed with the rule name) this event counts towards."""

    @abstractmethod
    def hits(self, key: str, event: EnrichedEvent) -> list[str]:
        """Names of the series at ``key`` this event is a hit for (may be empty)."""

    @abstractmethod
    def subject(self, key: str, series: str) -> dict[str, str]:
        """The alert's subject for a series at a key."""

    def scope(self, key: str) -> str:
        """Which kind of key this is (one of ``RULE_SCOPES[name]``), for ``scope_surprise``."""
        return "all"

    def threshold(self, key: str) -> float:
        """Surprise (corrected for the windows tried) a breach at this key needs."""
        if not self.thresholds:
            return self.monitor.threshold
        return self.thresholds.get(self.scope(key), self.monitor.threshold)

    def source(self, key: str, event: EnrichedEvent) -> str | None:
        """For aggregate keys: which part (store, region) a hit came from."""
        return None

    def is_aggregate(self, key: str) -> bool:
        return False

    def excerpt_start(self, key: str, event: EnrichedEvent) -> tuple[int, int]:
        """(character, token) where the key's sample of a post longer than a sample starts: its beginning, unless a
        rule knows better."""
        return 0, 0

    def has_parts(self, key: str) -> bool:
        """Whether hits at this key come from distinct parts (``source``) one of which could explain a burst."""
        return self.is_aggregate(key)

    def may_fire(self, event: EnrichedEvent) -> bool:
        """False while the stream is young and the rule still learns what is usual (it counts, but stays quiet)."""
        return not event.stream_start or event.ts - event.stream_start >= self.settings.warmup_hours * 3600

    def breach(
        self,
        state: KeyState,
        series: Series,
        key: str,
        windows: list[int] | None = None,
        event: EnrichedEvent | None = None,
    ) -> Breach:
        """The most surprising window (of ``windows``, in buckets; all by default) at ``key`` as of ``event``."""
        return self.monitor.strongest_share_breach(state, series, windows)

    def evidence_ok(self, key: str, items: list[Evidence]) -> bool:
        """Extra conditions on who complained, beyond the counts."""
        s = self.settings
        if ev_tools.distinct_customers(items) < s.min_distinct_customers:
            return False
        if self.is_aggregate(key):
            sources, top_share = ev_tools.source_spread(items)
            if sources < s.min_distinct_sources or top_share > s.max_source_share:
                return False
        return True

    def holds_without_top_source(self, breach: Breach, items: list[Evidence]) -> bool:
        """Without its busiest part's hits, the window still holds min_count hits at min_ratio times expected.

        A flood at one store lifts its city's negatives and its region's 服务态度差;
        a region's incident lifts the nation's count of its category. Those are the
        part's incident, for the part's own key to report. Only a part holding
        ``DOMINANT_PART`` of the hits or more is taken out: its usual hits stay in
        the expectation (a key cannot know them), a caution that would fail a
        spread-out incident whose biggest store merely holds its usual share.
        """
        top = ev_tools.top_source_count(items)
        if top < self.min_part_hits or top < DOMINANT_PART * len(items):
            return True
        top = scaled_to_window(top, breach, items)
        rest = breach.observed - top
        s = self.settings
        return rest >= s.min_count and rest >= s.min_ratio * breach.expected

    def driven_by(self, subject: dict[str, str], breach: Breach, items: list[Evidence], threshold: float) -> list[dict]:
        """Places finer than the subject (a city in a region, a store in a city) without whose hits the window would not breach.

        The alert names them, so the on-call reads "29 of 30 from 成都", and so the
        echo linker can tie the alert to an open one about that place: another key's
        incident lifting this one. The place's usual hits stay in the expectation and
        the tail is Poisson, lighter than the rules' own, so a place is named only when
        it holds most of the hits, at least ``min_count`` of them, and the rest of the
        window is plainly ordinary.
        """
        parts = []
        for place_key in finer_places(subject):
            value, count = ev_tools.top_place(items, place_key)
            if value is None or count <= DRIVING_PLACE * len(items):
                continue
            hits = min(int(breach.observed), scaled_to_window(count, breach, items))
            if hits < self.settings.min_count:
                continue  # a handful of hits at a small alert's gate: not enough to speak of a place
            rest = int(breach.observed) - hits
            surprise = poisson_surprise(rest, breach.expected) if rest > breach.expected else 0.0
            without = Breach(surprise, rest, breach.expected, breach.window_minutes, hit_ratio(rest, breach.expected))
            if not self.monitor.is_breach(without, threshold):
                parts.append({place_key: value, "hits": hits})
        return parts

    def describe(self, subject: dict[str, str], breach_observed: float, expected: float, minutes: int) -> str:
        what = " ".join(v for k, v in subject.items() if k != "category") or self.context.config.national_name
        cat = subject.get("category", "")
        return f"{what} {cat}".strip() + f": {breach_observed:g} in {minutes} min, {expected:.1f} expected"

    def worth_keeping(self, state: KeyState) -> bool:
        """Whether a key's state must be stored after an event; every key of a rate rule counts the events it saw."""
        return True

    def forgettable(self, state: KeyState, now: float) -> bool:
        """Whether a quiet key (no open incident) may be dropped before ``forget_after_days``."""
        return False

    def new_series(self, state: KeyState, key: str, name: str) -> Series:
        return self.monitor.new_series(state)

    # -- the shared lifecycle -----------------------------------------------------------

    def new_state(self, key: str) -> KeyState:
        return self.monitor.new_state()

    def observe(self, state: KeyState, key: str, event: EnrichedEvent) -> list[Alert]:
        """Count one event at one key; return any alerts it triggers or resolves."""
        self.monitor.advance(state, event.ts)
        state.volume.add(event.ts)
        state.last_ts = max(state.last_ts, event.ts)
        now = state.last_ts
        alerts: list[Alert] = []
        for name in self.hits(key, event):
            series = state.series.get(name)
            if series is None:
                series = state.series[name] = self.new_series(state, key, name)
            series.hits.add(event.ts)
            series.last_ts = max(series.last_ts, event.ts)
            series.evidence.append(self._evidence(key, event))
            if self.may_fire(event):
                alerts.extend(self._evaluate(state, key, name, series, event))
        alerts.extend(self.tick(state, key, now))
        return alerts

    def tick(self, state: KeyState, key: str, now: float) -> list[Alert]:
        """Resolve incidents that have been quiet long enough by event time ``now``."""
        alerts = []
        quiet = self.settings.resolve_after_minutes * 60.0
        for name, series in state.series.items():
            incident = series.incident
            if incident is not None and now >= incident.last_breach + quiet:
                resolved_at = incident.last_breach + quiet
                alerts.append(self._resolve(state, key, series, incident, resolved_at))
                series.incident = None
                series.incident_until = resolved_at
        return alerts

    def _evidence(self, key: str, event: EnrichedEvent) -> Evidence:
        """The event's sample; keys of this rule that the same event reaches share one (a post names many terms)."""
        source = self.source(key, event)
        cache = self._samples_of
        if cache is None or cache[0] is not event:
            cache = self._samples_of = (event, longer_than_sample(event), {})
        _, long_post, shared = cache
        start = self.excerpt_start(key, event) if long_post else (0, 0)
        item = shared.get((source, start))
        if item is not None:
            return item
        char, token = start
        text = event.text_masked[char:char + SAMPLE_CHARS]
        item = Evidence(
            ts=event.ts,
            event_id=event.event_id,
            text="…" + text if char else text,
            channel=event.channel,
            customer=event.customer_key,
            source=source,
            tokens=tuple(event.tokens[token:token + SAMPLE_TOKENS]),
            place=(event.region, event.city, event.store_id, event.merchant_id),
        )
        shared[(source, start)] = item
        return item

    def _evaluate(self, state: KeyState, key: str, name: str, series: Series, event: EnrichedEvent) -> list[Alert]:
        at = event.ts
        if series.incident is None and series.hits.total < self.settings.min_count:
            return []  # too few hits in the whole ring for any window to fire: skip the tails
        if state.baseline.seen < self.settings.min_history_events:
            return []  # too little of this key's own history to tell unusual from usual
        if series.incident is None and at < series.incident_until + max(self.settings.windows_minutes) * 60:
            # The resolved incident is still inside the long windows: only fresh evidence starts a new one.
            breach = self.breach(state, series, key, self.monitor.recent_windows, event)
        else:
            breach = self.breach(state, series, key, event=event)
        threshold = self.threshold(key)
        if not self.monitor.is_breach(breach, threshold):
            return []
        items = self.monitor.window_evidence(series, at, breach.window_minutes)
        if not self.evidence_ok(key, items):
            return []
        if series.incident is None and self.has_parts(key) and not self.holds_without_top_source(breach, items):
            return []
        severity = self.monitor.severity(breach)
        incident = series.incident
        if incident is None:
            subject = self.subject(key, name)
            incident = series.incident = Incident(
                alert_id=make_alert_id(self.name, subject, at),
                subject=subject,
                started=at,
                last_breach=at,
                severity=severity,
                peak_surprise=breach.surprise,
                observed=breach.observed,
                expected=breach.expected,
            )
            series.incident_from = at - breach.window_minutes * 60
            return [self._alert(incident, "firing", at, breach, items, self.driven_by(subject, breach, items, threshold))]
        if breach.window_minutes <= self.settings.resolve_after_minutes or self.monitor.is_breach(
            self.breach(state, series, key, self.monitor.recent_windows, event), threshold
        ):
            # Only recent evidence keeps an incident open; a long window still holding the burst does not.
            incident.last_breach = at
        incident.peak_surprise = max(incident.peak_surprise, breach.surprise)
        if SEVERITY_RANK[severity] > SEVERITY_RANK[incident.severity]:
            incident.severity = severity
            driven_by = self.driven_by(incident.subject, breach, items, threshold)
            return [self._alert(incident, "firing", at, breach, items, driven_by)]
        return []

    def _resolve(self, state: KeyState, key: str, series: Series, incident: Incident, at: float) -> Alert:
        minutes = max(self.settings.windows_minutes)
        buckets = self.monitor.ring_size - 1
        head_at = series.hits.bucket_of(at)
        lag = max(0, head_at - series.hits.head)
        observed = sum(series.hits.counts[(series.hits.head - i) % series.hits.size] for i in range(max(0, buckets - lag)))
        expected = incident.expected
        breach = Breach(0.0, observed, expected, minutes, 0.0)
        return self._alert(incident, "resolved", at, breach, self.monitor.window_evidence(series, at, minutes))

    def _alert(
        self, incident: Incident, status: str, at: float, breach: Breach, items: list[Evidence],
        driven_by: Iterable[dict] = (),
    ) -> Alert:
        score = 1.0 - 10.0 ** (-breach.surprise) if status == "firing" else 0.0
        return Alert(
            alert_id=incident.alert_id,
            rule=self.name,
            status=status,
            severity=incident.severity,
            subject=dict(incident.subject),
            fired_at=iso(at),
            window_start=iso(at - breach.window_minutes * 60),
            window_end=iso(at),
            observed=breach.observed,
            expected=round(breach.expected, 3),
            score=round(min(1.0, max(0.0, score)), 6),
            summary=self.describe(incident.subject, breach.observed, breach.expected, breach.window_minutes)
            + (" (resolved)" if status == "resolved" else ""),
            samples=ev_tools.pick_samples(items),
            top_terms=ev_tools.top_terms(items),
            channels=ev_tools.channel_mix(items),
            runbook_url=runbook_url(self.name, self.context.config.runbook_base),
            driven_by=list(driven_by),
            surprise=round(breach.surprise, 3),
            window_minutes=breach.window_minutes,
        )
