"""What every notifier shares: the abstract sender, its error, and its config base.

A notifier turns one ``Alert`` into one message on one receiver. It does not
retry, deduplicate or route: the dispatcher does that once for all of them, so a
new notifier only has to say how to send and whether a failure is worth retrying.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from voc_stream.alerts import Alert

#: Receiver names label metrics, so they are short identifiers chosen in config.
RECEIVER_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class DeliveryError(Exception):
    """A send failed; ``retryable`` says whether trying again later may succeed."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class MissingSecret(LookupError):
    """A receiver names an environment variable that is not set."""

    def __init__(self, field: str, variable: str) -> None:
        super().__init__(f"environment variable {variable} is not set")
        self.field = field
        self.variable = variable


class ReceiverConfig(BaseModel):
    """Fields every receiver has; each notifier extends it with a ``type`` literal."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=RECEIVER_NAME_PATTERN, description="unique name, used in routes and metrics")
    optional: bool = Field(False, description="skip (with one warning) when its environment variables are unset")
    send_resolved: bool = Field(True, description="also send the 已恢复 message when an incident resolves")
    timeout_seconds: float | None = Field(None, gt=0, description="overrides delivery.timeout_seconds")

    def resolve(self, field: str, env: Mapping[str, str], *, required: bool = True) -> str | None:
        """The value of ``field`` given inline, or read from the variable named by ``<field>_env``."""
        inline = getattr(self, field, None)
        if inline is not None:
            return inline.get_secret_value() if isinstance(inline, SecretStr) else str(inline)
        variable = getattr(self, f"{field}_env", None)
        if variable is None:
            if required:
                raise MissingSecret(field, f"(none: set {field} or {field}_env)")
            return None
        value = env.get(variable)
        if not value:
            raise MissingSecret(f"{field}_env", variable)
        return value


class UrlReceiverConfig(ReceiverConfig):
    """A receiver reached at a secret URL (webhook keys live in the URL): inline for tests, or from the environment."""

    url: SecretStr | None = Field(None, description="inline URL, for local tests")
    url_env: str | None = Field(None, description="environment variable holding the URL")

    @model_validator(mode="after")
    def _one_url(self) -> UrlReceiverConfig:
        check_one_of(self, "url")
        return self


class SignedUrlReceiverConfig(UrlReceiverConfig):
    """A chat robot that may also sign each request with a shared secret (Feishu 签名校验, DingTalk 加签)."""

    secret: SecretStr | None = Field(None, description="inline signing secret, for local tests")
    secret_env: str | None = Field(None, description="environment variable holding the signing secret")

    @model_validator(mode="after")
    def _at_most_one_secret(self) -> SignedUrlReceiverConfig:
        check_one_of(self, "secret", required=False)
        return self


def check_one_of(config: BaseModel, field: str, *, required: bool = True) -> None:
    """Exactly one of ``field`` (inline, for local tests) and ``field_env`` (production)."""
    inline = getattr(config, field) is not None
    from_env = getattr(config, f"{field}_env") is not None
    if inline and from_env:
        raise ValueError(f"give either {field} or {field}_env, not both")
    if required and not (inline or from_env):
        raise ValueError(f"{field}_env (name of the environment variable holding it) or {field} is required")
    variable = getattr(config, f"{field}_env")
    if variable is not None and not ENV_NAME.match(variable):
        raise ValueError(f"{field}_env must be an environment variable name, got {variable!r}")


class Notifier(ABC):
    """Sends alerts to one receiver. Subclasses set ``type`` and ``config_model``."""

    type: ClassVar[str]
    config_model: ClassVar[type[ReceiverConfig]]

    def __init__(self, name: str) -> None:
        self.name = name

    @classmethod
    @abstractmethod
    def from_config(cls, config: ReceiverConfig, env: Mapping[str, str], timeout: float) -> Notifier:
        """Build from validated config; raises ``MissingSecret`` for an unset variable."""

    @abstractmethod
    async def send(self, alert: Alert) -> None:
        """Deliver one alert, or raise ``DeliveryError``."""

    async def close(self) -> None:  # noqa: B027 - most notifiers hold nothing
        """Release connections; called once when the dispatcher closes."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"
