"""escalation: a customer who complained privately, got no fix, and now complains in public.

Not a rate: one customer's trail. Private complaints (hotline, chat, ticket...) are
remembered per customer for ``lookback_days``; a later public complaint by the same
customer fires. The two are linked by ``customer_id``: a CRM that can attribute a
public post to a customer puts the id on it (a post known only by its handle links
to private feedback given under that handle). A private rating of ``fixed_rating``
or more (the survey after a fix) clears the trail: the customer was helped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from voc_stream.alerts import Alert, make_alert_id
from voc_stream.compact_state import compact_state
from voc_stream.enrich import EnrichedEvent
from voc_stream.rules.base import Rule, iso
from voc_stream.rules.evidence import Evidence
from voc_stream.rules.monitor import Breach, Incident
from voc_stream.rules.settings import EscalationSettings

#: Private complaints kept per customer: the newest, enough for an alert's samples.
COMPLAINTS_KEPT = 5


@compact_state
@dataclass(slots=True)
class CustomerTrail:
    """One customer's unanswered private complaints, and the public ones of an open alert."""

    complaints: list[Evidence] = field(default_factory=list)  # oldest first
    complaints_total: int = 0  # within the lookback, including those no longer kept
    public: list[Evidence] = field(default_factory=list)
    incident: Incident | None = None
    last_ts: float = 0.0

    @property
    def has_open_incident(self) -> bool:
        return self.incident is not None

    @property
    def is_empty(self) -> bool:
        return not self.complaints and self.incident is None

    def drop_evidence(self) -> bool:
        """Never: the complaints are the trail, read whenever the customer next posts."""
        return False


def is_complaint(event: EnrichedEvent) -> bool:
    """Reads negative (or 1-2 stars), or names a risk category."""
    return event.negative or bool(event.categories)


class Escalation(Rule):
    name = "escalation"
    settings: EscalationSettings

    def keys(self, event: EnrichedEvent) -> list[str]:
        """Complaints, and private ratings that say fixed; praise and plain questions change no trail."""
        if not event.customer_key or not (is_complaint(event) or self._says_fixed(event)):
            return []
        return [f"{self.name}|{event.customer_key}"]

    def _says_fixed(self, event: EnrichedEvent) -> bool:
        return event.visibility == "private" and event.rating is not None and event.rating >= self.settings.fixed_rating

    def hits(self, key: str, event: EnrichedEvent) -> list[str]:
        return ["complaint"] if is_complaint(event) else []

    def subject(self, key: str, series: str = "") -> dict[str, str]:
        return {"customer_id": key.split("|", 1)[1]}

    def scope(self, key: str) -> str:
        return "customer"

    def new_state(self, key: str) -> CustomerTrail:
        return CustomerTrail()

    def worth_keeping(self, state: CustomerTrail) -> bool:
        """A customer with no complaint waiting and no open alert costs no state (most public authors)."""
        return not state.is_empty

    def observe(self, state: CustomerTrail, key: str, event: EnrichedEvent) -> list[Alert]:
        now = event.ts
        state.last_ts = max(state.last_ts, now)
        self._forget_old(state, now)
        alerts: list[Alert] = []
        if event.visibility == "private":
            if is_complaint(event):
                state.complaints.append(self._evidence(key, event))
                state.complaints_total += 1
                del state.complaints[:-COMPLAINTS_KEPT]
            elif self._says_fixed(event) and state.incident is None:
                state.complaints.clear()
                state.complaints_total = 0
        elif is_complaint(event):
            alerts.extend(self._public_complaint(state, key, event))
        alerts.extend(self.tick(state, key, state.last_ts))
        return alerts

    def tick(self, state: CustomerTrail, key: str, now: float) -> list[Alert]:
        """Resolve once the customer has posted no public complaint for ``resolve_after_minutes``."""
        incident = state.incident
        if incident is None or now < incident.last_breach + self.settings.resolve_after_minutes * 60.0:
            return []
        at = incident.last_breach + self.settings.resolve_after_minutes * 60.0
        alert = self._alert_for(state, incident, "resolved", at)
        # The escalation was the alert: a new one needs a new private complaint first.
        state.incident = None
        state.public.clear()
        state.complaints.clear()
        state.complaints_total = 0
        return [alert]

    def _forget_old(self, state: CustomerTrail, now: float) -> None:
        if state.incident is not None:
            return  # an open alert keeps the complaints that explain it
        oldest = now - self.settings.lookback_days * 86400.0
        kept = [item for item in state.complaints if item.ts > oldest]
        if len(kept) < len(state.complaints):
            state.complaints_total = len(kept)  # those no longer kept were older still
            state.complaints = kept

    def _public_complaint(self, state: CustomerTrail, key: str, event: EnrichedEvent) -> list[Alert]:
        incident = state.incident
        if incident is not None:
            state.public.append(self._evidence(key, event))
            del state.public[:-COMPLAINTS_KEPT]
            incident.last_breach = max(incident.last_breach, event.ts)
            incident.observed += 1
            return []
        earlier = sum(1 for item in state.complaints if item.ts <= event.ts)
        if earlier < self.settings.min_private_complaints or not self.may_fire(event):
            return []
        state.public = [self._evidence(key, event)]
        count = self._private_count(state, event.ts)
        subject = self.subject(key)
        state.incident = Incident(
            alert_id=make_alert_id(self.name, subject, event.ts),
            subject=subject,
            started=event.ts,
            last_breach=event.ts,
            severity=self._severity(count),
            peak_surprise=float(count),
            observed=1,
            expected=0.0,
        )
        return [self._alert_for(state, state.incident, "firing", event.ts)]

    def _private_count(self, state: CustomerTrail, before: float) -> int:
        """Private complaints up to ``before``, counting those older than the kept few."""
        unkept = state.complaints_total - len(state.complaints)
        return unkept + sum(1 for item in state.complaints if item.ts <= before)

    def _severity(self, private_complaints: int) -> str:
        if self.settings.severity:
            return self.settings.severity
        return "critical" if private_complaints >= self.settings.critical_private_complaints else "warning"

    def _alert_for(self, state: CustomerTrail, incident: Incident, status: str, at: float) -> Alert:
        """observed: public complaints so far; expected: none; score 1 - 10^-n for n private complaints."""
        private = [item for item in state.complaints if item.ts <= incident.started]
        first = private[0].ts if private else incident.started
        count = int(incident.peak_surprise)
        breach = Breach(float(count), int(incident.observed), 0.0, max(1, round((at - first) / 60)), 0.0)
        alert = self._alert(incident, status, at, breach, private + state.public)
        alert.window_start = iso(first)
        alert.private_complaints = count  # an extra field: the evidence a person reads first
        alert.summary = self._summary(incident, private, state.public, count) + (
            " (resolved)" if status == "resolved" else ""
        )
        return alert

    def _summary(self, incident: Incident, private: list[Evidence], public: list[Evidence], count: int) -> str:
        customer = incident.subject["customer_id"]
        channels = "/".join(dict.fromkeys(item.channel for item in private))
        since = iso(private[0].ts).strftime("%m-%d %H:%M") if private else "?"
        went = "/".join(dict.fromkeys(item.channel for item in public))
        return (
            f"客户 {customer}: {count} private complaint{'s' if count != 1 else ''} ({channels}) since {since}, "
            f"unresolved, then {int(incident.observed)} public ({went})"
        )
