"""Scoring alerts against injected incidents: recall, false alerts per day, time to detect.

An alert detects an incident when the rule is the same, the alert's subject
agrees with every key of the incident's subject (extra keys are allowed, so a
fraud alert about ``{merchant_id, category}`` detects a merchant incident), and
it fired within ``[start, end + grace]``. Terms agree when one contains the
other (at least two characters), because a segmenter may report "征信修复" for
"征信修复费". Only the first firing message of each ``alert_id`` counts; a firing
alert that detects no incident is a false alert, unless it is *attributed*: a new
phrase's posts hold other new words too ("预售尾款翻倍,找客服也没用"), and an
emerging_term alert on "客服没用" whose samples mostly quote the incident's term is
about that incident under another name. Likewise a fraud_pattern alert about a
merchant whose 诱导好评 share is creeping over share_limit's line, fired while the
complaints that take it there come in. Attributed alerts are neither false nor
detections, and are counted apart. So are *echoes*: alerts linked to another open
alert (``related_to``, see voc_stream/echoes.py), which the shipped routing shows on
the console and pages nobody for; an echo that matches an incident does not detect it.

An escalation fires on the customer's public post itself, so its minutes to
detect are about nil; share_limit fires on a share over a fixed line, hours or
days after it crossed, as evidence accrues. Neither is a rate beating a baseline:
the overall recall and times, which answer the targets, are the rate rules'
(``RATE_RULES``) alone, and escalation and share_limit have rows of their own.
False alerts are every rule's: each one pages someone.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from voc_stream.alerts import Alert
from voc_stream.detectors.counts import poisson_surprise
from voc_stream.simulate.spec import RATE_RULES, RULES, Decoy, Incident

DEFAULT_GRACE = timedelta(minutes=30)


def first_firings(alerts: Iterable[Alert | dict[str, Any]]) -> list[Alert]:
    """The earliest firing message of each ``alert_id``, in time order."""
    first: dict[str, Alert] = {}
    for item in alerts:
        alert = item if isinstance(item, Alert) else Alert.model_validate(item)
        if alert.status != "firing":
            continue
        seen = first.get(alert.alert_id)
        if seen is None or alert.fired_at < seen.fired_at:
            first[alert.alert_id] = alert
    return sorted(first.values(), key=lambda a: a.fired_at)


def subject_agrees(incident_subject: dict[str, str], alert_subject: dict[str, str]) -> bool:
    for key, value in incident_subject.items():
        seen = alert_subject.get(key)
        if seen is None:
            return False
        if key == "term":
            if len(seen) < 2 or not (seen in value or value in seen):
                return False
        elif seen != value:
            return False
    return True


def detects(alert: Alert, incident: Incident, grace: timedelta = DEFAULT_GRACE) -> bool:
    return (
        alert.rule == incident.rule
        and incident.start <= alert.fired_at <= incident.end + grace
        and subject_agrees(incident.subject, alert.subject)
    )


def same_place(subject: dict[str, str], alert_subject: dict[str, str]) -> bool:
    """The alert is about the subject's place (every key but ``category`` agrees) and, if both name a
    category, the same one: fraud_pattern's ``{merchant_id}`` is about ``{merchant_id, category}``'s merchant."""
    place = {key: value for key, value in subject.items() if key != "category"}
    if not place or not subject_agrees(place, alert_subject):
        return False
    return "category" not in subject or alert_subject.get("category", subject["category"]) == subject["category"]


def attributed(alert: Alert, incident: Incident, grace: timedelta = DEFAULT_GRACE) -> bool:
    """A term alert of the incident's rule, in its time, whose samples mostly quote the incident's term; or,
    for a share creeping over a line, any alert about its place from the creep's onset on."""
    if incident.onset is not None:
        return incident.onset <= alert.fired_at <= incident.end + grace and same_place(incident.subject, alert.subject)
    term = incident.subject.get("term")
    if term is None or alert.rule != incident.rule or set(alert.subject) != set(incident.subject):
        return False
    if not (incident.start <= alert.fired_at <= incident.end + grace) or not alert.samples:
        return False
    return 2 * sum(term in sample for sample in alert.samples) > len(alert.samples)


def ideal_minutes(incident: Incident, threshold: float, min_count: int) -> float | None:
    """When an ideal test could first fire: the true baseline known, its window opening at the incident's start,
    hits arriving exactly at their mean rate, the same threshold and minimum count as the rule.

    A real detector is sometimes earlier (hits come in clumps) and usually later
    (it must learn the baseline and cannot know when the incident began), so the
    median of these is about the best a test at that false-alarm level can do.
    A new term has no baseline to beat: the minimum count is its limit. An
    escalation, or a share over a line, is not a rate at all: None.
    """
    rate = incident.multiplier * incident.baseline_per_hour
    duration = (incident.end - incident.start).total_seconds() / 60
    if rate <= 0 or incident.rule not in RATE_RULES:
        return None  # an escalation's post or a share's crossing is the incident's start: no rate to beat
    if incident.rule == "emerging_term":
        minutes = 60 * min_count / rate
        return minutes if minutes <= duration else None
    for minute in range(1, int(duration) + 1):
        hours = minute / 60
        observed = math.floor(rate * hours)
        if observed >= min_count and poisson_surprise(observed, incident.baseline_per_hour * hours) >= threshold:
            return float(minute)
    return None


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile (``fraction`` in (0, 1]); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class RuleScore:
    rule: str
    incidents: int = 0
    detected: int = 0
    false_alerts: int = 0
    false_per_day: float = 0.0
    minutes_to_detect: list[float] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.detected / self.incidents if self.incidents else None

    @property
    def median_minutes(self) -> float | None:
        return statistics.median(self.minutes_to_detect) if self.minutes_to_detect else None

    @property
    def p90_minutes(self) -> float | None:
        return percentile(self.minutes_to_detect, 0.9)


@dataclass
class ScenarioScore:
    days: float
    rules: dict[str, RuleScore]
    overall: RuleScore
    detected_by: dict[int, tuple[Alert, float]]  # incident index -> first detecting alert, minutes
    missed: list[Incident]
    false_alerts: list[Alert]
    #: where false alerts fired: warmup, decoy (by kind), during_incident, other.
    false_when: dict[str, int]
    #: alerts about an incident under another name (see ``attributed``): neither false nor detections.
    attributed: list[Alert] = field(default_factory=list)
    #: alerts linked to another open alert (``related_to``): neither false nor detections.
    echoes: list[Alert] = field(default_factory=list)

    def meets(self, recall: float = 0.95, false_per_day: float = 1.0, median_minutes: float = 20.0) -> bool:
        o = self.overall
        return (
            (o.recall or 0.0) >= recall
            and o.false_per_day <= false_per_day
            and o.median_minutes is not None
            and o.median_minutes <= median_minutes
        )


def running_at(incidents: Sequence[Incident], at: datetime, grace: timedelta = DEFAULT_GRACE) -> list[Incident]:
    """The rate incidents under way at ``at``, each counted until ``grace`` after its end.

    An escalation is one customer's post, and a share over a line one merchant's
    days: neither is an hour when counts run high, nor explains another alert
    fired meanwhile, so they are left out.
    """
    return [incident for incident in incidents
            if incident.rule in RATE_RULES and incident.start <= at <= incident.end + grace]


def _false_bucket(alert: Alert, incidents: Sequence[Incident], decoys: Sequence[Decoy],
                  warmup_end: datetime | None, grace: timedelta) -> str:
    """Where a false alert fired. A decoy about one customer, or one merchant's category, claims only alerts
    about it (and first: its hours are anybody's), the others any alert in their time, as before."""
    at = alert.fired_at
    if warmup_end is not None and at < warmup_end:
        return "warmup"
    for decoy in sorted(decoys, key=lambda d: not _narrow(d)):
        if _narrow(decoy) and not same_place(decoy.subject, alert.subject):
            continue
        if decoy.subject or decoy.kind == "promotion_day":
            if decoy.start <= at <= decoy.end + grace:
                return f"decoy:{decoy.kind}"
    if running_at(incidents, at, grace):
        return "during_incident"
    return "other"


def _narrow(decoy: Decoy) -> bool:
    return "customer_id" in decoy.subject or "merchant_id" in decoy.subject


def score(alerts: Iterable[Alert | dict[str, Any]], incidents: Sequence[Incident], days: float, *,
          decoys: Sequence[Decoy] = (), warmup_end: datetime | None = None,
          grace: timedelta = DEFAULT_GRACE) -> ScenarioScore:
    """Match alerts to incidents and summarise per rule and overall."""
    firings = first_firings(alerts)
    echoes = [alert for alert in firings if alert.related_to]
    firings = [alert for alert in firings if not alert.related_to]
    rules = {rule: RuleScore(rule) for rule in RULES}
    for alert in firings:
        rules.setdefault(alert.rule, RuleScore(alert.rule))
    detected_by: dict[int, tuple[Alert, float]] = {}
    true_ids: set[str] = set()
    for index, incident in enumerate(incidents):
        row = rules.setdefault(incident.rule, RuleScore(incident.rule))
        row.incidents += 1
        hits = [a for a in firings if detects(a, incident, grace)]
        true_ids.update(a.alert_id for a in hits)
        if hits:
            first = min(hits, key=lambda a: a.fired_at)
            minutes = (first.fired_at - incident.start).total_seconds() / 60
            detected_by[index] = (first, minutes)
            row.detected += 1
            row.minutes_to_detect.append(minutes)
    named_otherwise: list[Alert] = []
    false_alerts: list[Alert] = []
    for alert in firings:
        if alert.alert_id not in true_ids:
            about_one = any(attributed(alert, incident, grace) for incident in incidents)
            (named_otherwise if about_one else false_alerts).append(alert)
    false_when: dict[str, int] = {}
    for alert in false_alerts:
        rules[alert.rule].false_alerts += 1
        bucket = _false_bucket(alert, incidents, decoys, warmup_end, grace)
        false_when[bucket] = false_when.get(bucket, 0) + 1
    overall = RuleScore("overall")
    for row in rules.values():
        row.false_per_day = row.false_alerts / days if days else 0.0
        overall.false_alerts += row.false_alerts
        if row.rule in RATE_RULES:
            overall.incidents += row.incidents
            overall.detected += row.detected
            overall.minutes_to_detect += row.minutes_to_detect
    overall.false_per_day = overall.false_alerts / days if days else 0.0
    missed = [incident for i, incident in enumerate(incidents) if i not in detected_by]
    return ScenarioScore(days, rules, overall, detected_by, missed, false_alerts, false_when, named_otherwise, echoes)


def _fmt(value: float | None, pattern: str) -> str:
    return "-" if value is None else format(value, pattern)


def markdown_table(result: ScenarioScore) -> str:
    """Per-rule rows plus overall, as a Markdown table (overall's incidents and times are the rate rules')."""
    lines = [
        "| rule | incidents | detected | recall | false alerts | false / day | median TTD (min) | p90 TTD (min) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in [*result.rules.values(), result.overall]:
        name = f"**{row.rule}**" if row.rule == "overall" else row.rule
        lines.append(
            f"| {name} | {row.incidents} | {row.detected} | {_fmt(row.recall, '.2f')} | {row.false_alerts} "
            f"| {row.false_per_day:.2f} | {_fmt(row.median_minutes, '.1f')} | {_fmt(row.p90_minutes, '.1f')} |"
        )
    return "\n".join(lines)
