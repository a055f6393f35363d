"""DingTalk (钉钉) custom robot: Markdown message, optional signature in the URL, verdict in ``errcode``."""

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

MAX_TEXT_BYTES = 15_000  # well inside DingTalk's message size limit
#: -1 system busy; 130101 more than 20 messages a minute from this robot.
RETRYABLE_ERRCODES = frozenset({-1, 130101})


class DingTalkReceiver(SignedUrlReceiverConfig):
    """``url``: …/robot/send?access_token=…; ``secret``: the robot's 加签 secret (SEC…), if signing is on."""

    type: Literal["dingtalk"]


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """base64(HMAC-SHA256(key=secret, message=f"{timestamp}\\n{secret}")); URL-encoding is left to the query."""
    message = f"{timestamp_ms}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def dingtalk_payload(alert: Alert) -> dict[str, Any]:
    view = AlertView(alert)
    text = truncate_utf8(view.markdown(line_break="\n\n"), MAX_TEXT_BYTES)
    return {"msgtype": "markdown", "markdown": {"title": view.title, "text": text}}


class DingTalkNotifier(SignedHttpNotifier):
    """Signed requests carry ``timestamp`` (ms) and ``sign`` as query parameters."""

    type = "dingtalk"
    config_model = DingTalkReceiver

    @classmethod
    def from_config(cls, config: DingTalkReceiver, env: Mapping[str, str], timeout: float) -> DingTalkNotifier:
        url = config.resolve("url", env)
        return cls(config.name, url, timeout=timeout, secret=config.resolve("secret", env, required=False))

    async def send(self, alert: Alert) -> None:
        params = None
        if self._secret:
            timestamp_ms = int(self._clock() * 1000)
            params = {"timestamp": str(timestamp_ms), "sign": dingtalk_sign(timestamp_ms, self._secret)}
        body = json_body(await self.post_json(dingtalk_payload(alert), params=params))
        check_code("DingTalk", body.get("errcode"), body.get("errmsg"), RETRYABLE_ERRCODES)
