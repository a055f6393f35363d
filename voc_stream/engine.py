"""The detection engine: route an enriched event to state keys, update each key, collect alerts.

The worker and ``backtest`` both drive this class; only the ``store`` differs
(a Faust table partitioned by key vs a dict), so both give the same alerts.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Iterable

from voc_stream.alerts import Alert
from voc_stream.enrich import EnrichedEvent
from voc_stream.rules import Rule

#: A key quiet this long loses its samples: far longer than any window that reads them,
#: so an event arriving up to this late still finds the samples beside it.
SAMPLES_KEPT_SECONDS = 86400.0


class DetectionEngine:
    """Holds the rules; state lives in ``store`` (key -> KeyState), written back after every change."""

    def __init__(self, rules: list[Rule], store: MutableMapping[str, Any]) -> None:
        self.rules = {rule.name: rule for rule in rules}
        self.store = store
        self.open_keys: set[str] = {k for k, v in store.items() if getattr(v, "has_open_incident", False)}
        self.evaluations: dict[str, int] = {name: 0 for name in self.rules}

    def route(self, event: EnrichedEvent) -> list[str]:
        """Every state key the event counts towards, across all rules."""
        return [key for rule in self.rules.values() for key in rule.keys(event)]

    def rule_of(self, key: str) -> Rule:
        rule = self.find_rule(key)
        if rule is None:
            raise KeyError(key)
        return rule

    def find_rule(self, key: str) -> Rule | None:
        """The rule a key belongs to; None for a rule since disabled, whose keys wait until forgotten."""
        return self.rules.get(key.split("|", 1)[0])

    def observe(self, key: str, event: EnrichedEvent) -> list[Alert]:
        rule = self.rule_of(key)
        state = self.store.get(key)
        stored = state is not None
        if not stored:
            state = rule.new_state(key)
        alerts = rule.observe(state, key, event)
        self._write_back(rule, key, state, stored)
        self.evaluations[rule.name] += 1
        self._track(key, state)
        return alerts

    def process(self, event: EnrichedEvent) -> list[Alert]:
        """Route and observe in one go (single process: backtest, tests)."""
        alerts: list[Alert] = []
        for key in self.route(event):
            alerts.extend(self.observe(key, event))
        return alerts

    def tick(self, now: float, keys: Iterable[str] | None = None) -> list[Alert]:
        """Resolve quiet incidents by event time ``now`` (keys with open incidents by default)."""
        alerts: list[Alert] = []
        for key in list(self.open_keys if keys is None else keys):
            state = self.store.get(key)
            if state is None:
                self.open_keys.discard(key)
                continue
            rule = self.find_rule(key)
            if rule is None:  # a rule since disabled: its keys wait, untouched, until forgotten
                self.open_keys.discard(key)
                continue
            resolved = rule.tick(state, key, now)
            if resolved:
                self._write_back(rule, key, state, stored=True)
                alerts.extend(resolved)
            self._track(key, state)
        return alerts

    def forget(self, now: float, older_than: float, keys: Iterable[str] | None = None) -> int:
        """Drop keys with no event since ``now - older_than`` and no open incident; returns how many.

        Most keys are candidate terms seen once or twice: without this the state
        grows for as long as the service runs. A forgotten key starts again from
        the prior, which for a term is what "absent before" means anyway. Keys
        quiet for ``SAMPLES_KEPT_SECONDS`` keep their counts but lose their samples,
        or go at once where their rule says they have nothing left to tell (``forgettable``).
        """
        cutoff = now - older_than
        quiet_since = now - SAMPLES_KEPT_SECONDS
        stale = []
        for key in list(self.store) if keys is None else list(keys):
            state = self.store.get(key)
            if state is None or state.last_ts >= quiet_since or state.has_open_incident:
                continue
            rule = self.find_rule(key)
            if state.last_ts < cutoff or (rule is not None and rule.forgettable(state, now)):
                stale.append(key)
            elif state.drop_evidence():
                self.store[key] = state  # write back: tables only see assignments
        for key in stale:
            del self.store[key]
            self.open_keys.discard(key)
        return len(stale)

    def _write_back(self, rule: Rule, key: str, state: Any, stored: bool) -> None:
        """Tables only see assignments; a state the rule has no use for is not kept at all."""
        if rule.worth_keeping(state):
            self.store[key] = state
        elif stored:
            del self.store[key]

    def _track(self, key: str, state: Any) -> None:
        if state.has_open_incident:
            self.open_keys.add(key)
        else:
            self.open_keys.discard(key)
