"""routing.yaml: receivers, the routes that pick them, and how hard to try delivering.

Routes are read top to bottom like Alertmanager's: the first route that matches
decides, unless it says ``continue: true``; an alert no route matches goes to
``default``. Matching is on rule, minimum severity, status, subject values and
whether the alert echoes another open one (``related``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from voc_stream.alerts import SEVERITIES, SUBJECT_KEYS, Alert, Severity, Status
from voc_stream.config import ConfigError, load_model
from voc_stream.notify.registry import NOTIFIER_CLASSES

ReceiverEntry = Annotated[
    Union[tuple(cls.config_model for cls in NOTIFIER_CLASSES)],  # noqa: UP007 - built from the registry
    Field(discriminator="type"),
]
#: severity rank: critical is the highest, so "severity: warning" admits warning and critical.
SEVERITY_RANK = {name: len(SEVERITIES) - index for index, name in enumerate(SEVERITIES)}


class Route(BaseModel):
    """Which alerts go to which receivers. Empty criteria match everything."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    rule: list[str] = Field(default_factory=list, description="rule names; any of them")
    severity: Severity | None = Field(None, description="minimum severity")
    status: Status | None = Field(None, description="only firing or only resolved messages")
    subject: dict[str, str] = Field(default_factory=dict, description="subject values that must all be equal")
    related: bool | None = Field(
        None, description="true: only echoes of another open alert (related_to set); false: only alerts of their own"
    )
    receivers: list[str] = Field(min_length=1)
    continue_: bool = Field(False, alias="continue", description="keep looking at later routes after this one")

    @field_validator("rule", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("subject")
    @classmethod
    def _known_keys(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(SUBJECT_KEYS))
        if unknown:
            raise ValueError(f"unknown subject key(s) {unknown}; known: {list(SUBJECT_KEYS)}")
        return value

    def matches(self, alert: Alert) -> bool:
        if self.rule and alert.rule not in self.rule:
            return False
        if self.severity and SEVERITY_RANK[alert.severity] < SEVERITY_RANK[self.severity]:
            return False
        if self.status and alert.status != self.status:
            return False
        if self.related is not None and (alert.related_to is not None) != self.related:
            return False
        return all(alert.subject.get(key) == value for key, value in self.subject.items())


class Delivery(BaseModel):
    """Timeouts and retries shared by every receiver."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timeout_seconds: float = Field(10.0, gt=0, description="per HTTP request or SMTP conversation")
    max_attempts: int = Field(4, ge=1, le=20, description="tries per receiver per alert, the first included")
    initial_backoff_seconds: float = Field(1.0, ge=0)
    max_backoff_seconds: float = Field(30.0, ge=0)
    jitter: float = Field(0.2, ge=0, le=1, description="each wait is scaled by a random factor in 1 ± jitter")


class RoutingConfig(BaseModel):
    """The whole of routing.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    receivers: list[ReceiverEntry] = Field(min_length=1)
    routes: list[Route] = Field(default_factory=list)
    default: list[str] = Field(min_length=1, description="receivers for alerts no route matches")
    delivery: Delivery = Field(default_factory=Delivery)
    _source: Path = PrivateAttr(default=Path("routing.yaml"))

    @property
    def source(self) -> Path:
        """The file this was loaded from, for errors found after loading (unset variables)."""
        return self._source

    def reference_problems(self) -> list[tuple[str, str]]:
        """Duplicate receiver names and routes naming receivers that do not exist."""
        problems: list[tuple[str, str]] = []
        names: set[str] = set()
        for index, receiver in enumerate(self.receivers):
            if receiver.name in names:
                problems.append((f"receivers.{index}.name", f"duplicate receiver name {receiver.name!r}"))
            names.add(receiver.name)
        known = ", ".join(sorted(names))
        for index, route in enumerate(self.routes):
            for position, name in enumerate(route.receivers):
                if name not in names:
                    field = f"routes.{index}.receivers.{position}"
                    problems.append((field, f"unknown receiver {name!r} (known: {known})"))
        for position, name in enumerate(self.default):
            if name not in names:
                problems.append((f"default.{position}", f"unknown receiver {name!r} (known: {known})"))
        return problems

    def receivers_for(self, alert: Alert) -> list[str]:
        """Receiver names for this alert, in config order of first mention, without repeats."""
        chosen: list[str] = []
        matched = False
        for route in self.routes:
            if route.matches(alert):
                matched = True
                chosen += [name for name in route.receivers if name not in chosen]
                if not route.continue_:
                    break
        return chosen if matched else list(dict.fromkeys(self.default))


def load_routing(path: Path | str) -> RoutingConfig:
    """Load and check routing.yaml; every problem is a ``ConfigError`` naming the file and field."""
    path = Path(path)
    routing = load_model(path, RoutingConfig)
    problems = routing.reference_problems()
    if problems:
        raise ConfigError(path, problems)
    routing._source = path
    return routing
