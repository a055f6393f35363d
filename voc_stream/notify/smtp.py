"""E-mail over SMTP (stdlib ``smtplib`` in a worker thread): plain text + HTML, Chinese subject.

The password is only ever read from an environment variable; the YAML names the
variable. SMTP replies decide retries: 4xx and dropped connections are tried
again, 5xx (bad address, refused auth) are not.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal

from pydantic import Field

from voc_stream.alerts import Alert
from voc_stream.notify.base import DeliveryError, Notifier, ReceiverConfig
from voc_stream.notify.messages import AlertView

log = logging.getLogger(__name__)


class EmailReceiver(ReceiverConfig):
    type: Literal["email"]
    host: str = Field(description="SMTP server host")
    port: int = Field(25, ge=1, le=65535, description="25 plain, 587 with starttls, 465 with ssl")
    security: Literal["none", "starttls", "ssl"] = "none"
    username: str | None = None
    password_env: str | None = Field(None, description="environment variable holding the SMTP password")
    sender: str = Field(description="From address, e.g. 'VOC 预警 <voc-alerts@example.com>'")
    to: list[str] = Field(min_length=1, description="recipient addresses")


def build_email(alert: Alert, sender: str, recipients: Sequence[str]) -> EmailMessage:
    """A multipart/alternative message; the Chinese subject is RFC 2047-encoded by the email policy."""
    view = AlertView(alert)
    message = EmailMessage()
    message["Subject"] = view.title
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="voc-stream")
    message["X-VOC-Alert-Id"] = alert.alert_id
    message.set_content(view.text(), charset="utf-8")
    message.add_alternative(view.html(), subtype="html", charset="utf-8")
    return message


class EmailNotifier(Notifier):
    """One message per alert, one SMTP connection per message: alerts are rare, connections cheap."""

    type = "email"
    config_model = EmailReceiver

    def __init__(
        self,
        name: str,
        *,
        host: str,
        port: int,
        sender: str,
        to: Sequence[str],
        timeout: float,
        security: str = "none",
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        super().__init__(name)
        self.host, self.port, self.sender, self.to = host, port, sender, list(to)
        self.timeout, self.security = timeout, security
        self.username, self._password = username, password

    @classmethod
    def from_config(cls, config: EmailReceiver, env: Mapping[str, str], timeout: float) -> EmailNotifier:
        password = config.resolve("password", env) if config.password_env else None
        return cls(
            config.name,
            host=config.host,
            port=config.port,
            sender=config.sender,
            to=config.to,
            timeout=timeout,
            security=config.security,
            username=config.username,
            password=password,
        )

    async def send(self, alert: Alert) -> None:
        message = build_email(alert, self.sender, self.to)
        await asyncio.to_thread(self._deliver, message)

    def _deliver(self, message: EmailMessage) -> None:
        try:
            refused = self._send_blocking(message)
        except smtplib.SMTPRecipientsRefused as exc:
            # Temporary refusals (4xx, e.g. greylisting) for all of them are worth another try.
            temporary = all(400 <= code < 500 for code, _ in exc.recipients.values())
            replies = "; ".join(f"{rcpt}: {code}" for rcpt, (code, _) in sorted(exc.recipients.items()))
            raise DeliveryError(f"every recipient refused ({replies})", retryable=temporary) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"SMTP server lacks a needed extension: {exc}", retryable=False) from exc
        except smtplib.SMTPResponseException as exc:
            reply = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
            raise DeliveryError(f"SMTP {exc.smtp_code} {reply}", retryable=400 <= exc.smtp_code < 500) from exc
        except UnicodeEncodeError as exc:  # smtplib sends AUTH credentials as ASCII only
            raise DeliveryError(f"SMTP username and password must be ASCII: {exc.reason}", retryable=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP {self.host}:{self.port}: {type(exc).__name__}: {exc}", retryable=True) from exc
        if refused:
            # Others got it; a retry would repeat it to them, so log and count it as sent.
            log.warning("receiver %s: some recipients refused: %s", self.name, sorted(refused))

    def _send_blocking(self, message: EmailMessage) -> dict:
        context = ssl.create_default_context()
        if self.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.security == "starttls":
                client.starttls(context=context)
            if self.username and self._password:
                client.login(self.username, self._password)
            return client.send_message(message, from_addr=None, to_addrs=self.to)
