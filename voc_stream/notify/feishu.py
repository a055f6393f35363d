"""Feishu (飞书) custom bot: text or card message, optional signature, verdict in ``code``."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any, Literal

from voc_stream.alerts import Alert
from voc_stream.notify.base import SignedUrlReceiverConfig
from voc_stream.notify.http import SignedHttpNotifier, check_code, json_body
from voc_stream.notify.messages import AlertView, truncate_utf8

MAX_TEXT_BYTES = 18_000  # Feishu: the whole request body at most 20 KB
#: 11232 frequency limited; 9499 is a malformed request and is not retried.
RETRYABLE_CODES = frozenset({11232})
CARD_TEMPLATES = {"critical": "red", "warning": "orange", "info": "blue", "resolved": "green"}


class FeishuReceiver(SignedUrlReceiverConfig):
    """``url``: …/open-apis/bot/v2/hook/…; ``secret``: the bot's 签名校验 secret, if signing is on."""

    type: Literal["feishu"]
    format: Literal["text", "card"] = "text"


def feishu_sign(timestamp: int, secret: str) -> str:
    """base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", message=b"")), as Feishu documents it."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def feishu_payload(alert: Alert, form: str = "text") -> dict[str, Any]:
    view = AlertView(alert)
    if form == "card":
        template = CARD_TEMPLATES["resolved" if view.resolved else alert.severity]
        body = truncate_utf8(view.markdown(heading=None), MAX_TEXT_BYTES)
        return {
            "msg_type": "interactive",
            "card": {
                "header": {"title": {"tag": "plain_text", "content": view.title}, "template": template},
                "elements": [{"tag": "markdown", "content": body}],
            },
        }
    return {"msg_type": "text", "content": {"text": truncate_utf8(view.text(), MAX_TEXT_BYTES)}}


class FeishuNotifier(SignedHttpNotifier):
    """Answers ``{"code": 0}`` on success; 19021 (bad signature) and others come with HTTP 200."""

    type = "feishu"
    config_model = FeishuReceiver

    def __init__(self, name: str, url: str, *, timeout: float, form: str = "text", **kwargs: Any) -> None:
        super().__init__(name, url, timeout=timeout, **kwargs)
        self.form = form

    @classmethod
    def from_config(cls, config: FeishuReceiver, env: Mapping[str, str], timeout: float) -> FeishuNotifier:
        url = config.resolve("url", env)
        secret = config.resolve("secret", env, required=False)
        return cls(config.name, url, timeout=timeout, secret=secret, form=config.format)

    async def send(self, alert: Alert) -> None:
        payload = feishu_payload(alert, self.form)
        if self._secret:
            timestamp = int(self._clock())
            payload = {"timestamp": str(timestamp), "sign": feishu_sign(timestamp, self._secret), **payload}
        body = json_body(await self.post_json(payload))
        code = body.get("code", body.get("StatusCode"))
        check_code("Feishu", code, body.get("msg", body.get("StatusMessage")), RETRYABLE_CODES)
