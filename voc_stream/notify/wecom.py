"""WeCom (企业微信) group robot: Markdown message, verdict in ``errcode`` even on HTTP 200."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from voc_stream.alerts import Alert
from voc_stream.notify.base import UrlReceiverConfig
from voc_stream.notify.http import HttpNotifier, check_code, json_body
from voc_stream.notify.messages import AlertView, truncate_utf8

MAX_CONTENT_BYTES = 4096  # WeCom: markdown.content at most 4096 bytes of UTF-8
#: -1 system busy; 45009 API call frequency over the limit; 45033 too many concurrent calls.
RETRYABLE_ERRCODES = frozenset({-1, 45009, 45033})


class WeComReceiver(UrlReceiverConfig):
    """``url``: the group robot's …/cgi-bin/webhook/send?key=… address."""

    type: Literal["wecom"]


def wecom_payload(alert: Alert) -> dict:
    content = truncate_utf8(AlertView(alert).markdown(), MAX_CONTENT_BYTES)
    return {"msgtype": "markdown", "markdown": {"content": content}}


class WeComNotifier(HttpNotifier):
    """Errors such as 93000 (invalid webhook URL) come back as HTTP 200 with a non-zero ``errcode``."""

    type = "wecom"
    config_model = WeComReceiver

    @classmethod
    def from_config(cls, config: WeComReceiver, env: Mapping[str, str], timeout: float) -> WeComNotifier:
        return cls(config.name, config.resolve("url", env), timeout=timeout)

    async def send(self, alert: Alert) -> None:
        body = json_body(await self.post_json(wecom_payload(alert)))
        check_code("WeCom", body.get("errcode"), body.get("errmsg"), RETRYABLE_ERRCODES)
