"""What to simulate (``ScenarioSpec``) and what was injected (``Incident``, ``Decoy``).

An incident is the ground truth a detector should find: which rule, about what
subject, when, and how strong against that subject's own baseline. A decoy is
something that looks unusual but is not an incident and must not alert.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from voc_stream.events import CHINA_TZ

#: Rules that fire when a subject's rate beats its own baseline: the targets (recall, time to detect) are theirs.
RATE_RULES = ("keyword_spike", "negative_burst", "fraud_pattern", "emerging_term")
#: escalation fires on one customer's public post after private complaints, share_limit on a share over a
#: fixed line however slowly it got there: no rate against a baseline, so both are scored apart.
RULES = (*RATE_RULES, "escalation", "share_limit")

#: Incident scope -> the rule that should catch it.
SCOPE_RULES: dict[str, str] = {
    "region": "keyword_spike",
    "national_category": "keyword_spike",
    "store": "negative_burst",
    "city": "negative_burst",
    "merchant": "fraud_pattern",
    "national_fraud": "fraud_pattern",
    "term": "emerging_term",
    "escalation": "escalation",
    "over_line": "share_limit",
}


def _with_iso_times(record: Any) -> dict[str, Any]:
    """A dataclass with ``start`` and ``end`` as JSON-ready fields (ISO 8601 times)."""
    data = asdict(record)
    data["start"] = record.start.isoformat()
    data["end"] = record.end.isoformat()
    if getattr(record, "onset", None) is not None:
        data["onset"] = record.onset.isoformat()
    return data


@dataclass(frozen=True)
class Incident:
    """One injected incident. ``multiplier`` is the subject's rate during the incident over its baseline.

    Emerging terms have no history; for them ``multiplier`` is relative to the
    spec's ``emerging_floor_per_hour``, the count a never-seen phrase needs to
    stand out from rare-word noise.
    """

    rule: str
    subject: dict[str, str]
    start: datetime
    end: datetime
    multiplier: float
    description: str
    scope: str = ""
    events: int = 0
    #: the subject's usual hits per hour over the incident's hours (for a new term, the floor above).
    baseline_per_hour: float = 0.0
    #: when what makes the incident began, if before ``start``: a share creeps up for days before it is over a line.
    onset: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return _with_iso_times(self)


@dataclass(frozen=True)
class Decoy:
    """Something unusual that is not an incident: no alert should fire for it."""

    kind: str
    subject: dict[str, str]
    start: datetime
    end: datetime
    factor: float
    description: str

    def to_dict(self) -> dict[str, Any]:
        return _with_iso_times(self)


@dataclass(frozen=True)
class ScenarioSpec:
    """Size, timing, incidents and decoys of one simulated stream. Build with ``demo()`` or ``benchmark()``."""

    start: datetime
    days: float
    warmup_days: float
    events_per_day: int
    regions: int = 31
    stores: int = 400
    merchants: int = 300
    customers: int = 100_000
    #: scope -> how many incidents of it (see ``SCOPE_RULES``).
    incident_counts: dict[str, int] = field(default_factory=dict)
    #: explicit incident start offsets in hours from ``start``; None: three slots a day after warm-up.
    incident_slots: tuple[float, ...] | None = None
    incident_hours: tuple[float, float] = (1.5, 3.5)
    multiplier_range: tuple[float, float] = (3.0, 10.0)
    #: extra events per hour an incident should add at least, when its subject's baseline allows.
    min_extra_per_hour: float = 15.0
    emerging_rate_per_hour: tuple[float, float] = (18.0, 36.0)
    emerging_floor_per_hour: float = 4.0
    promotion_day: int | None = None
    promotion_factor: float = 2.5
    #: (offset hours from start, duration hours, factor) of a regional volume lift.
    region_lift: tuple[float, float, float] | None = None
    #: escalations (private complaints, no fix, then a public one) going public on each day after warm-up.
    escalations_per_day: int = 0
    #: explicit offsets in hours from ``start`` of escalations' public posts; None: ``escalations_per_day``.
    escalation_slots: tuple[float, ...] | None = None
    #: look-alikes of escalations, of each kind (praise, fixed first, public first), per day after warm-up.
    escalation_decoys_per_day: int = 0
    #: merchants whose 诱导好评 share creeps over share_limit's line after warm-up, and look-alikes kept under it.
    over_line_merchants: int = 0
    below_line_merchants: int = 0
    tiny_store: bool = True
    pii_share: float = 0.04
    negated_share: float = 0.02
    real_text_share: float = 0.6
    #: lexicon whose words emerging terms must avoid; None: the project's ``config/lexicons.yaml`` if present.
    lexicon_path: Path | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)

    @property
    def minutes(self) -> int:
        return int(round(self.days * 1440))

    def with_(self, **changes: Any) -> ScenarioSpec:
        return replace(self, **changes)

    @classmethod
    def demo(cls) -> ScenarioSpec:
        """~2.5 days, ~20 stores in 8 regions: two clean days, then one incident of each rule in the last hours
        (the escalation's private complaints fall in the clean days, its public post among the others).

        Two days, because the rules learn each key's hour-of-day rhythm before they may fire.
        """
        return cls(
            start=datetime(2026, 3, 8, tzinfo=CHINA_TZ),
            days=2.5,
            warmup_days=2.0,
            events_per_day=8_000,
            regions=8,
            stores=20,
            merchants=15,
            customers=5_000,
            incident_counts={"region": 1, "store": 1, "merchant": 1, "term": 1},
            incident_slots=(56.0, 56.25, 56.5, 56.75),
            incident_hours=(2.5, 3.0),
            multiplier_range=(5.0, 10.0),
            min_extra_per_hour=15.0,
            emerging_rate_per_hour=(15.0, 20.0),
            region_lift=(58.0, 2.0, 2.0),
            escalation_slots=(57.2,),
        )

    @classmethod
    def benchmark(cls, days: int = 10, events_per_day: int = 50_000) -> ScenarioSpec:
        """Ten days from 4 November with 双十一 on day 7, all 31 regions, 18 incidents after 3 clean days.

        Shorter runs keep the three clean days and fit fewer incidents (three slots a day). Every day
        after them also has two escalations and one look-alike of each kind: they need no slot. Two
        merchants creep over share_limit's line (when three days after the clean ones allow it) and one
        stays under it.
        """
        promotion_day = 7 if days > 7 else None
        slots = 3 * (days - 3 - (1 if promotion_day is not None else 0))
        counts = _fit_counts({
            "region": 4, "national_category": 1, "store": 4, "city": 1,
            "merchant": 3, "national_fraud": 1, "term": 4,
        }, max(slots, 0))
        return cls(
            start=datetime(2026, 11, 4, tzinfo=CHINA_TZ),
            days=float(days),
            warmup_days=3.0,
            events_per_day=events_per_day,
            incident_counts=counts,
            promotion_day=promotion_day,
            region_lift=(4 * 24 + 19.0, 4.0, 2.0),
            escalations_per_day=2,
            escalation_decoys_per_day=1,
            over_line_merchants=2 if days >= 6 else 0,
            below_line_merchants=1 if days > 3 else 0,
        )


def _fit_counts(counts: dict[str, int], slots: int) -> dict[str, int]:
    """Trim the largest counts first until the incidents fit the slots."""
    fitted = dict(counts)
    while sum(fitted.values()) > slots and any(fitted.values()):
        largest = max(fitted, key=lambda scope: fitted[scope])
        fitted[largest] -= 1
    return {scope: count for scope, count in fitted.items() if count}
