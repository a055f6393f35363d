"""The feedback event of CONTRACTS.md §1, and the one place raw bytes become events.

Every message is parsed here; anything that breaks the contract raises
``InvalidEvent`` with a short machine-readable ``reason`` (a bounded set, safe as a
metric label) and a human-readable ``detail``, so callers can dead-letter it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CHINA_TZ = timezone(timedelta(hours=8), "CST")


class Channel(str, Enum):
    """Where the customer spoke: public posts or private service channels."""

    weibo = "weibo"
    douyin = "douyin"
    xiaohongshu = "xiaohongshu"
    dianping = "dianping"
    ecommerce = "ecommerce"
    forum = "forum"
    app_review = "app_review"
    news = "news"
    hotline = "hotline"
    chat = "chat"
    email = "email"
    ticket = "ticket"
    app_feedback = "app_feedback"
    survey = "survey"

    @property
    def is_public(self) -> bool:
        return self in PUBLIC_CHANNELS

    @property
    def visibility(self) -> str:
        return "public" if self.is_public else "private"


PUBLIC_CHANNELS = frozenset(
    {
        Channel.weibo,
        Channel.douyin,
        Channel.xiaohongshu,
        Channel.dianping,
        Channel.ecommerce,
        Channel.forum,
        Channel.app_review,
        Channel.news,
    }
)

#: Reasons an event is rejected; bounded, so they can label metrics.
INVALID_REASONS = (
    "bad_utf8",
    "bad_json",
    "not_an_object",
    "missing_field",
    "bad_field",
    "empty_text",
    "unknown_channel",
    "bad_timestamp",
)


class InvalidEvent(ValueError):
    """An input message that breaks the event contract."""

    def __init__(self, reason: str, detail: str) -> None:
        assert reason in INVALID_REASONS, reason
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def parse_timestamp(value: Any) -> datetime:
    """ISO-8601 with an offset, or epoch seconds; always returns an aware datetime."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a timestamp")
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(float(value), tz=timezone.utc).astimezone(CHINA_TZ)
    if isinstance(value, str):
        text = value.strip()
        try:
            return parse_timestamp(float(text))
        except ValueError:
            pass
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            raise ValueError(f"timestamp {value!r} has no UTC offset")
        return parsed
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("timestamp has no UTC offset")
        return value
    raise ValueError(f"timestamp must be ISO-8601 text or epoch seconds, not {type(value).__name__}")


class FeedbackEvent(BaseModel):
    """One piece of customer feedback, as other teams' producers send it."""

    model_config = ConfigDict(extra="allow", frozen=True, use_enum_values=False)

    event_id: str = Field(min_length=1, max_length=128)
    ts: datetime
    channel: Channel
    text: str
    store_id: str | None = None
    merchant_id: str | None = None
    region: str | None = None
    city: str | None = None
    product: str | None = None
    customer_id: str | None = None
    author: str | None = None
    rating: int | None = Field(default=None, ge=1, le=5)

    @field_validator("ts", mode="before")
    @classmethod
    def _parse_ts(cls, value: Any) -> datetime:
        return parse_timestamp(value)

    @field_validator("text")
    @classmethod
    def _non_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty after trimming")
        return value

    @field_validator("store_id", "merchant_id", "region", "city", "product", "customer_id", "author")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        return value or None

    @property
    def epoch(self) -> float:
        return self.ts.timestamp()

    @property
    def visibility(self) -> str:
        return self.channel.visibility


def _reason_for(error: dict[str, Any]) -> str:
    field = error["loc"][0] if error.get("loc") else ""
    if error["type"] == "missing":
        return "missing_field"
    if field == "channel":
        return "unknown_channel"
    if field == "ts":
        return "bad_timestamp"
    if field == "text" and "empty" in error.get("msg", ""):
        return "empty_text"
    return "bad_field"


def event_from_dict(data: Any) -> FeedbackEvent:
    """Validate an already-decoded object as a feedback event."""
    if not isinstance(data, dict):
        raise InvalidEvent("not_an_object", f"expected a JSON object, got {type(data).__name__}")
    try:
        return FeedbackEvent.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first.get("loc", ())) or "event"
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())) or 'event'}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidEvent(_reason_for(first), detail or field) from None


def parse_event(raw: bytes | str) -> FeedbackEvent:
    """Bytes off the wire (or a JSONL line) to a validated event, or ``InvalidEvent``."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidEvent("bad_utf8", f"not valid UTF-8 at byte {exc.start}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidEvent("bad_json", f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    return event_from_dict(data)


def event_to_dict(event: FeedbackEvent) -> dict[str, Any]:
    """The event as contract JSON (timestamps in ISO-8601, unknown fields kept)."""
    return event.model_dump(mode="json", exclude_none=True)


def text_of_line(line: str) -> tuple[str | None, dict[str, Any] | None]:
    """A line of a feedback file, as ``voc-stream analyze`` reads it: plain text, or an event as JSON.

    ``(line, None)`` for plain text (a line that is not a JSON object included);
    ``(text, event)`` for a JSON object, ``text`` being None when it has no string ``text``.
    """
    if line.lstrip().startswith("{"):
        try:
            data = json.loads(line)
        except ValueError:
            return line, None
        if isinstance(data, dict):
            text = data.get("text")
            return (text if isinstance(text, str) else None), data
    return line, None
