"""POSTing JSON with a timeout, and turning HTTP answers into ``DeliveryError``.

Chat robots (WeCom, Feishu, DingTalk) answer HTTP 200 even when they refuse a
message and put the verdict in a JSON code, so the status check here is only the
first half; each notifier checks its own code with ``check_code``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import Any

import httpx

from voc_stream.notify.base import DeliveryError, Notifier

#: Statuses worth retrying: the receiver is overloaded, limiting us, or briefly down.
RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
USER_AGENT = "voc-stream-notifier"


def retry_after_seconds(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds, when given as a number (as Slack and most gateways do)."""
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def redact_url(url: str) -> str:
    """Scheme, host and path only: webhook keys live in the query or the path tail."""
    parsed = httpx.URL(url)
    path = parsed.path
    tail = path.rsplit("/", 1)
    shown = f"{tail[0]}/…" if len(tail) == 2 and len(tail[1]) > 12 else path
    return f"{parsed.scheme}://{parsed.host}{f':{parsed.port}' if parsed.port else ''}{shown}"


class HttpNotifier(Notifier):
    """A notifier that POSTs JSON to one URL; owns its client unless one is passed in."""

    def __init__(self, name: str, url: str, *, timeout: float, client: httpx.AsyncClient | None = None) -> None:
        super().__init__(name)
        self.url = url
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout, headers={"User-Agent": USER_AGENT})
        self._timeout = timeout

    async def post_json(
        self, payload: Any, *, params: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """POST and return a 2xx response; anything else raises ``DeliveryError``."""
        # httpx's ``params=`` would replace the URL's own query (the robots' access token): merge instead.
        url = httpx.URL(self.url).copy_merge_params(params) if params else self.url
        try:
            response = await self._client.post(url, json=payload, headers=headers, timeout=self._timeout)
        except httpx.TimeoutException as exc:
            message = f"{type(exc).__name__} after {self._timeout}s to {redact_url(self.url)}"
            raise DeliveryError(message, retryable=True) from exc
        except httpx.TransportError as exc:
            raise DeliveryError(f"{type(exc).__name__} to {redact_url(self.url)}: {exc}", retryable=True) from exc
        if response.is_success:
            return response
        body = response.text[:200].strip()
        raise DeliveryError(
            f"HTTP {response.status_code} from {redact_url(self.url)}: {body}",
            retryable=response.status_code in RETRYABLE_STATUSES,
            retry_after=retry_after_seconds(response),
        )

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()



class SignedHttpNotifier(HttpNotifier):
    """A chat robot that signs each request with a shared secret, if one is configured (``clock`` for tests)."""

    def __init__(
        self,
        name: str,
        url: str,
        *,
        timeout: float,
        secret: str | None = None,
        clock: Callable[[], float] = time.time,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, url, timeout=timeout, **kwargs)
        self._secret = secret
        self._clock = clock

def json_body(response: httpx.Response) -> dict[str, Any]:
    """The JSON object a robot answered.

    A 200 we cannot read is not retried: the message may well have arrived, and a
    repeat is worse than one loud failure in the log.
    """
    try:
        body = response.json()
    except ValueError:
        raise DeliveryError(f"expected a JSON answer, got {response.text[:200]!r}", retryable=False) from None
    if not isinstance(body, dict):
        raise DeliveryError(f"expected a JSON object, got {str(body)[:200]}", retryable=False)
    return body


def check_code(service: str, code: object, message: object, retryable_codes: Collection[int]) -> None:
    """Raise unless the robot's code is 0; rate limits and busy codes are retryable."""
    if code == 0:
        return
    if not isinstance(code, int):
        raise DeliveryError(f"{service} answered without a result code: {message!r}", retryable=False)
    raise DeliveryError(f"{service} error {code}: {message}", retryable=code in retryable_codes)
