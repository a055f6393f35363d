"""The rules' configuration (``config/rules.yaml``): every threshold, with its default, here."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from voc_stream.config import load_model

log = logging.getLogger(__name__)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleSettings(_Strict):
    """Thresholds shared by every rule; each rule may override them."""

    enabled: bool = True
    windows_minutes: list[int] = Field(default_factory=lambda: [10, 30, 60, 180], min_length=1)
    surprise: float = Field(6.0, gt=0, description="-log10 p needed to fire, before correcting for the windows tried")
    critical_surprise: float = Field(12.0, gt=0, description="-log10 p at which an alert is critical")
    min_count: int = Field(4, ge=1, description="fewest hits in a window that can fire")
    min_ratio: float = Field(2.5, ge=1.0, description="observed / expected needed to fire")
    critical_ratio: float = Field(5.0, ge=1.0)
    prior_share: float = Field(0.005, gt=0, lt=1, description="share of events that are hits, before history")
    prior_weight: float = Field(400.0, gt=0, description="how many events of history the prior is worth")
    half_life_hours: float = Field(72.0, gt=0, description="how fast the baseline forgets")
    rhythm_weight: float = Field(
        200.0, ge=0, description="events of history an hour-of-day share needs to outweigh the all-day share; 0: no rhythm"
    )
    rhythm_hits: float = Field(
        10.0, ge=0, description="hits of history an hour-of-day share needs to outweigh the all-day share"
    )
    warmup_hours: float = Field(24.0, ge=0, description="stream age before the rule may fire (it learns meanwhile)")
    min_history_events: float = Field(
        100.0, ge=0, description="events a key must have learned before it may fire (its baseline is its own by then)"
    )
    resolve_after_minutes: float = Field(60.0, gt=0, description="quiet time before an incident resolves")
    min_distinct_customers: int = Field(1, ge=1, description="distinct complainants needed to fire")
    min_distinct_sources: int = Field(1, ge=1, description="aggregates (city, national): distinct stores/regions needed")
    max_source_share: float = Field(1.0, gt=0, le=1, description="aggregates: largest share one store/region may have")
    severity: str | None = Field(None, description="fixed severity instead of one from the evidence")
    scope_surprise: dict[str, float] = Field(
        default_factory=dict,
        description="surprise for one scope of keys (see RULE_SCOPES) in place of `surprise`: few keys, fewer tests",
    )

    @model_validator(mode="after")
    def _critical_above_fire(self) -> "RuleSettings":
        if self.critical_surprise < self.surprise:
            raise ValueError("critical_surprise must be >= surprise")
        return self


class NegativeBurstSettings(RuleSettings):
    """Negative posts per hour of the day, guarded by their share of the key's feedback.

    The count of negative posts against what this hour usually brings finds a
    store flooded with angry posts early; the share guard keeps a day when
    everything is busier (a promotion, a local campaign) quiet, because then the
    negative share does not move.
    """

    prior_per_day: float = Field(10.0, gt=0, description="negative posts a day assumed for a key never seen")
    prior_days: float = Field(1.0, gt=0, description="how many days of history that prior is worth")
    share_guard_surprise: float = Field(4.0, ge=0, description="-log10 p the negative share must also reach")
    store_share_guard_surprise: float = Field(
        3.0, ge=0, description="the share guard at a store's own key: one store's share is steadier than a city's mix"
    )
    share_guard_ratio: float = Field(1.2, ge=1.0, description="negative share over its baseline, at least")
    min_history_days: float = Field(2.0, ge=0, description="days of a key's own rhythm needed before it can fire")
    flood_ratio: float = Field(
        5.0, ge=1.0, description="negatives at this multiple of the hour's usual need only the weaker share guard"
    )
    flood_share_surprise: float = Field(3.0, ge=0, description="-log10 p the share must reach for such a flood")
    follow_volume_lift: bool = Field(
        True, description="expect more negatives when the whole stream is busier than usual for the hour"
    )
    volume_lift_floor: float = Field(
        0.8, gt=0, le=1.0,
        description="and fewer when it is quieter, down to this factor of the hour's usual (1: never fewer)",
    )


class EmergingTermSettings(RuleSettings):
    """Terms have no volume to compare with: a rate per hour and a warm-up instead."""

    windows_minutes: list[int] = Field(default_factory=lambda: [15, 30, 60], min_length=1)
    prior_per_day: float = Field(1.0, gt=0, description="mentions a day assumed for a term never seen")
    prior_days: float = Field(1.0, gt=0, description="how many days of history the prior is worth")
    warmup_hours: float = Field(24.0, ge=0, description="stream age before any term counts as new")
    min_history_events: float = Field(0.0, ge=0)
    rhythm_weight: float = Field(0.0, ge=0, description="terms have no hourly shares")
    min_term_chars: int = Field(2, ge=1)
    max_term_chars: int = Field(8, ge=2)
    max_terms_per_event: int = Field(
        32, ge=1, description="candidates per post; a longer post keeps its rarest (by jieba's dictionary counts)"
    )
    max_sentiment: float = Field(
        0.6,
        ge=0,
        le=1,
        description="look for new terms in feedback reading at most this positive, and in any negative feedback "
        "(1 or 2 stars): a new defect's words are unknown to the sentiment model, so its reports often read neutral",
    )
    max_history_mentions: float = Field(
        2.0, ge=0, description="decayed mentions before the current window above which a term is not new"
    )
    phrase_share: float = Field(
        0.8, gt=0, le=1, description="a single word whose mentions mostly sit in one longer phrase defers to it"
    )
    forget_below_mentions: float = Field(
        0.5,
        ge=0,
        description="a quiet term whose decayed mentions have fallen below this is forgotten at the daily sweep, "
        "before forget_after_days: it can no longer tell a new term from an old one (0 keeps every term until then)",
    )

    @model_validator(mode="before")
    @classmethod
    def _read_negative_only(cls, data: Any) -> Any:
        """Older files say ``negative_only``: true searched negative feedback only (max_sentiment 0), false all (1)."""
        if isinstance(data, dict) and "negative_only" in data:
            data = dict(data)
            negative_only = data.pop("negative_only")
            data["max_sentiment"] = 0.0 if negative_only else 1.0
            log.warning("emerging_term.negative_only is replaced by max_sentiment; read as max_sentiment: %s",
                        data["max_sentiment"])
        return data


class EscalationSettings(RuleSettings):
    """One customer's trail, not a rate: no windows or baselines, only how long a complaint waits for a fix."""

    warmup_hours: float = Field(0.0, ge=0, description="a trail is the customer's own: nothing to learn first")
    min_history_events: float = Field(0.0, ge=0)
    lookback_days: float = Field(
        14.0, gt=0, description="a private complaint this old or older no longer explains a public one"
    )
    min_private_complaints: int = Field(1, ge=1, description="private complaints before a public one that fire")
    critical_private_complaints: int = Field(
        3, ge=1, description="this many private complaints before going public make the alert critical"
    )
    fixed_rating: int = Field(
        4, ge=1, le=5, description="a private rating this high (a survey after a fix) clears the customer's complaints"
    )
    resolve_after_minutes: float = Field(
        4320.0, gt=0, description="quiet time with no further public complaint before the alert resolves (3 days)"
    )


#: Where a share limit may apply: the scope's name and the event field that names the place.
LIMIT_SCOPES: dict[str, str] = {
    "merchant": "merchant_id", "store": "store_id", "city": "city", "region": "region", "product": "product",
}
#: A limit's category that means "negative feedback" rather than a lexicon category.
NEGATIVE = "negative"


class LimitLine(_Strict):
    """A line the business draws: this category's share of a place's feedback must stay below ``max_share``."""

    category: str = Field(description="a lexicon category, or `negative` for negative feedback of any kind")
    scope: str = Field("merchant", description="whose feedback: merchant, store, city, region or product")
    max_share: float = Field(gt=0, lt=1, description="the line: share of the place's feedback in the window")
    window_days: float = Field(7.0, gt=0, le=30, description="trailing event time the share is read over")
    min_events: int = Field(100, ge=1, description="feedback in the window before the share means anything")

    @model_validator(mode="after")
    def _known_scope(self) -> "LimitLine":
        if self.scope not in LIMIT_SCOPES:
            raise ValueError(f"scope {self.scope!r} is not one of {list(LIMIT_SCOPES)}")
        return self


class ShareLimitSettings(RuleSettings):
    """Fixed lines, not baselines: a place steadily over the line is learned as normal by every anomaly rule."""

    warmup_hours: float = Field(0.0, ge=0, description="a line needs no history; min_events guards thin windows")
    min_history_events: float = Field(0.0, ge=0)
    surprise: float = Field(
        3.0, gt=0, description="-log10 p that the share is at or below the line, needed to fire: clearly over, not noise"
    )
    min_count: int = Field(5, ge=1, description="fewest hits in the window that can fire")
    critical_ratio: float = Field(2.0, ge=1.0, description="share at this multiple of the line: critical")
    limits: list[LimitLine] = Field(
        default_factory=lambda: [LimitLine(category="诱导好评", scope="merchant", max_share=0.02)],
        description="the lines; an empty list turns the rule into a no-op",
    )


#: The kinds of key each rule keeps; ``scope_surprise`` may set a threshold per kind.
RULE_SCOPES: dict[str, tuple[str, ...]] = {
    "keyword_spike": ("national", "region"),
    "negative_burst": ("store", "city"),
    "fraud_pattern": ("national", "region", "merchant"),
    "emerging_term": ("term",),
    "escalation": ("customer",),
    "share_limit": tuple(LIMIT_SCOPES),
}


class RulesConfig(_Strict):
    """``rules.yaml``: bucket size, the negative threshold, and one block per rule."""

    bucket_minutes: float = Field(5.0, gt=0, le=60)
    negative_threshold: float = Field(0.4, gt=0, lt=1, description="sentiment below this is negative")
    national_name: str = "全国"
    runbook_base: str = "deploy/runbooks"
    forget_after_days: float = Field(
        14.0, gt=0, description="a key with no events for this long is forgotten and starts again from the prior"
    )
    keyword_spike: RuleSettings = RuleSettings(max_source_share=0.4)
    negative_burst: NegativeBurstSettings = NegativeBurstSettings(
        prior_share=0.3, prior_weight=30, min_count=6, min_ratio=2.0, min_history_events=0,
        scope_surprise={"store": 6.5},
    )
    # A light prior: a merchant's own fraud share soon outweighs it. Worth 400 events, it held a merchant
    # at 3% to half that after three days, and chance clumps of four or five complaints fired.
    fraud_pattern: RuleSettings = RuleSettings(min_count=3, min_distinct_customers=3, prior_share=0.002,
                                               prior_weight=100)
    emerging_term: EmergingTermSettings = EmergingTermSettings(min_count=5, min_distinct_customers=4, min_ratio=5.0)
    escalation: EscalationSettings = EscalationSettings()
    share_limit: ShareLimitSettings = ShareLimitSettings()

    @model_validator(mode="before")
    @classmethod
    def _merge_rule_defaults(cls, data: Any) -> Any:
        """A rule's block in the file overrides that rule's defaults field by field, not wholesale."""
        if not isinstance(data, dict):
            return data
        merged = dict(data)
        for name, field in cls.model_fields.items():
            block = merged.get(name)
            if isinstance(block, dict) and isinstance(field.default, RuleSettings):
                merged[name] = {**field.default.model_dump(), **block}
        return merged

    @model_validator(mode="after")
    def _lookback_within_memory(self) -> "RulesConfig":
        """A customer's trail is forgotten with every other quiet key: it cannot look back further."""
        if self.escalation.lookback_days > self.forget_after_days:
            raise ValueError(
                f"escalation.lookback_days ({self.escalation.lookback_days:g}) must be <= forget_after_days "
                f"({self.forget_after_days:g}): a customer quiet that long is forgotten"
            )
        return self

    @model_validator(mode="after")
    def _known_scopes(self) -> "RulesConfig":
        for name, scopes in RULE_SCOPES.items():
            settings: RuleSettings = getattr(self, name)
            unknown = sorted(set(settings.scope_surprise) - set(scopes))
            if unknown:
                raise ValueError(f"{name}.scope_surprise: unknown scope(s) {unknown}; this rule has {list(scopes)}")
            low = {scope: v for scope, v in settings.scope_surprise.items() if v <= 0 or v > settings.critical_surprise}
            if low:
                raise ValueError(f"{name}.scope_surprise: {low} must be > 0 and <= critical_surprise")
        return self


def load_rules(path: Path) -> RulesConfig:
    return load_model(path, RulesConfig)
