"""Generic JSON webhook: the alert contract (CONTRACTS.md §2) as the request body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from voc_stream.alerts import Alert
from voc_stream.notify.base import UrlReceiverConfig
from voc_stream.notify.http import HttpNotifier


class WebhookReceiver(UrlReceiverConfig):
    type: Literal["webhook"]
    bearer_token_env: str | None = Field(None, description="environment variable holding a bearer token")
    headers: dict[str, str] = Field(default_factory=dict, description="extra, non-secret request headers")


class WebhookNotifier(HttpNotifier):
    """POSTs ``alert.to_dict()``; any 2xx is success, 408/429/5xx are retried."""

    type = "webhook"
    config_model = WebhookReceiver

    def __init__(
        self, name: str, url: str, *, timeout: float, headers: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(name, url, timeout=timeout, **kwargs)
        self.headers = dict(headers or {})

    @classmethod
    def from_config(cls, config: WebhookReceiver, env: Mapping[str, str], timeout: float) -> WebhookNotifier:
        headers = dict(config.headers)
        if config.bearer_token_env is not None:
            headers["Authorization"] = f"Bearer {config.resolve('bearer_token', env)}"
        return cls(config.name, config.resolve("url", env), timeout=timeout, headers=headers)

    async def send(self, alert: Alert) -> None:
        await self.post_json(alert.to_dict(), headers=self.headers)
