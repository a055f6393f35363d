"""Slack incoming webhook: ``{"text", "blocks"}``; Slack answers 200 ``ok`` or 4xx with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from voc_stream.alerts import Alert
from voc_stream.notify.base import DeliveryError, UrlReceiverConfig
from voc_stream.notify.http import HttpNotifier
from voc_stream.notify.messages import AlertView

HEADER_CHARS = 150  # Slack: header block text, plain_text, at most 150 characters
SECTION_CHARS = 3000  # Slack: section block text at most 3000 characters
FIELD_CHARS = 2000  # Slack: each section field at most 2000 characters
MAX_FIELDS = 10  # Slack: at most 10 fields per section


class SlackReceiver(UrlReceiverConfig):
    """``url``: the incoming webhook's https://hooks.slack.com/services/… address."""

    type: Literal["slack"]


def slack_escape(text: str) -> str:
    """Slack mrkdwn control characters (&, <, >), as Slack documents it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_payload(alert: Alert) -> dict[str, Any]:
    """Header, facts as fields, quoted samples, and a context line with the runbook."""
    view = AlertView(alert)
    fields = [
        {"type": "mrkdwn", "text": _cut(f"*{label}*\n{slack_escape(value)}", FIELD_CHARS)}
        for label, value in view.facts()
    ][:MAX_FIELDS]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(view.title, HEADER_CHARS), "emoji": True}},
        {"type": "section", "fields": fields},
    ]
    if view.samples:
        quoted = "\n".join(f"> {n}. {slack_escape(sample)}" for n, sample in enumerate(view.samples, 1))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _cut(f"*样例*\n{quoted}", SECTION_CHARS)}})
    runbook = alert.runbook_url
    link = f"<{runbook}|处置手册>" if runbook.startswith(("http://", "https://")) else f"处置手册: `{slack_escape(runbook)}`"
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"{link} · 告警ID {alert.alert_id}"}]})
    return {"text": _cut(f"{view.title} {view.evidence}", SECTION_CHARS), "blocks": blocks}


class SlackNotifier(HttpNotifier):
    """4xx answers such as ``invalid_payload`` are not retried; 429 and 5xx are."""

    type = "slack"
    config_model = SlackReceiver

    @classmethod
    def from_config(cls, config: SlackReceiver, env: Mapping[str, str], timeout: float) -> SlackNotifier:
        return cls(config.name, config.resolve("url", env), timeout=timeout)

    async def send(self, alert: Alert) -> None:
        response = await self.post_json(slack_payload(alert))
        if response.text.strip() != "ok":
            raise DeliveryError(f"Slack answered {response.text[:200]!r} instead of ok", retryable=False)
