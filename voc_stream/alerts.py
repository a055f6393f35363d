"""The alert of CONTRACTS.md §2: what every rule emits and every notifier delivers."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["critical", "warning", "info"]
Status = Literal["firing", "resolved"]

SEVERITIES: tuple[str, ...] = ("critical", "warning", "info")
SUBJECT_KEYS = ("category", "term", "store_id", "merchant_id", "region", "city", "product", "customer_id")
RUNBOOK_DIR = "deploy/runbooks"


def runbook_url(rule: str, base: str = RUNBOOK_DIR) -> str:
    """Where the on-call runbook for ``rule`` lives (a path or URL prefix + file)."""
    return f"{base.rstrip('/')}/{rule}.md"


def make_alert_id(rule: str, subject: dict[str, str], incident_start: float) -> str:
    """Stable id for one incident of one rule and subject: firing, updates and resolved share it."""
    subject_text = json.dumps(subject, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha1(f"{rule}|{subject_text}|{int(incident_start)}".encode()).hexdigest()
    prefix = "".join(part[0] for part in rule.split("_"))
    return f"{prefix}-{digest[:16]}"


class Alert(BaseModel):
    """One message about one incident; ``alert_id`` groups firing, updates and resolution."""

    model_config = ConfigDict(extra="allow")

    alert_id: str
    rule: str
    status: Status
    severity: Severity
    subject: dict[str, str]
    fired_at: datetime
    window_start: datetime
    window_end: datetime
    observed: float
    expected: float
    score: float = Field(ge=0.0, le=1.0)
    summary: str
    samples: list[str] = Field(default_factory=list, max_length=5)
    top_terms: list[str] = Field(default_factory=list)
    channels: dict[str, int] = Field(default_factory=dict)
    runbook_url: str
    driven_by: list[dict[str, Any]] = Field(
        default_factory=list, description="places finer than the subject without whose hits it would not fire"
    )
    related_to: str | None = Field(None, description="alert_id of the open alert whose place drives this one")

    def driving_places(self) -> list[tuple[str, str, int]]:
        """(place key, place, hits) of each ``driven_by`` entry, e.g. ``("city", "成都", 29)``."""
        return [
            (key, value, int(part.get("hits", 0)))
            for part in self.driven_by
            for key, value in part.items()
            if key != "hits"
        ]

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @property
    def dedup_key(self) -> str:
        """Identifies one message: the same incident may fire, update and resolve."""
        return f"{self.alert_id}:{self.status}:{self.fired_at.isoformat()}"

    @property
    def subject_text(self) -> str:
        """Readable subject, e.g. ``广东 刹车异响`` or ``store GZ-TH-001``."""
        parts = []
        for key in ("region", "city", "store_id", "merchant_id", "product", "customer_id", "category", "term"):
            if key in self.subject:
                value = self.subject[key]
                parts.append(value if key in ("region", "city", "category", "term") else f"{key}={value}")
        return " ".join(parts)


def alert_from_json(raw: bytes | str) -> Alert:
    return Alert.model_validate_json(raw)
