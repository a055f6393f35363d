"""The e-mail notifier against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from receivers import make_alert

from voc_stream.notify import DeliveryError, RoutingConfig, build_dispatcher
from voc_stream.notify.smtp import EmailNotifier


class Mailbox:
    """aiosmtpd handler: keeps every message; can refuse recipients with a given reply."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.rcpt_reply: str | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd hook name
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Accounts:
    """aiosmtpd authenticator accepting one user and password."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (self.user, self.password)
        return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Mailbox]]:
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=Accounts("voc-alerts", "p@ss-w0rd"),
        auth_require_tls=False,
        auth_required=False,
    )
    controller.start()
    try:
        yield controller, mailbox
    finally:
        controller.stop()


def notifier_for(controller: Controller, **overrides) -> EmailNotifier:
    options = {
        "host": "127.0.0.1",
        "port": controller.port,
        "sender": "VOC 风险预警 <voc-alerts@example.com>",
        "to": ["risk@example.com", "oncall@example.com"],
        "timeout": 5,
    }
    return EmailNotifier("mail", **{**options, **overrides})


def test_email_has_encoded_chinese_subject_recipients_and_both_bodies(smtp_server):
    controller, mailbox = smtp_server
    alert = make_alert()
    asyncio.run(notifier_for(controller).send(alert))

    [(recipients, message)] = mailbox.messages
    assert recipients == ["risk@example.com", "oncall@example.com"]
    assert message["Subject"] == "【严重】广东 刹车异响 激增"
    assert "=?utf-8?" in message.as_string().split("Subject:", 1)[1].splitlines()[0]  # RFC 2047 on the wire
    assert message["X-VOC-Alert-Id"] == alert.alert_id
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for text in (plain, html):
        assert alert.summary in text
        assert "刹车异响很严重,客服电话 138****1234 一直打不通" in text
        assert "deploy/runbooks/keyword_spike.md" in text


def test_email_logs_in_with_password_from_environment(smtp_server):
    controller, mailbox = smtp_server
    config = RoutingConfig.model_validate(
        {
            "receivers": [
                {
                    "name": "mail",
                    "type": "email",
                    "host": "127.0.0.1",
                    "port": controller.port,
                    "username": "voc-alerts",
                    "password_env": "VOC_TEST_SMTP_PASSWORD",
                    "sender": "voc-alerts@example.com",
                    "to": ["risk@example.com"],
                }
            ],
            "default": ["mail"],
            "delivery": {"timeout_seconds": 5, "max_attempts": 2, "initial_backoff_seconds": 0.01},
        }
    )

    async def send(password: str) -> dict[str, str]:
        dispatcher = build_dispatcher(config, delivered={}, env={"VOC_TEST_SMTP_PASSWORD": password})
        try:
            return await dispatcher.dispatch(make_alert())
        finally:
            await dispatcher.close()

    assert asyncio.run(send("wrong")) == {"mail": "failed"}  # 535 authentication failed: not retried
    assert mailbox.messages == []
    assert asyncio.run(send("p@ss-w0rd")) == {"mail": "sent"}
    assert len(mailbox.messages) == 1


@pytest.mark.parametrize(("reply", "retryable"), [("550 5.1.1 no such user", False), ("451 4.3.0 try later", True)])
def test_refused_recipients(smtp_server, reply, retryable):
    controller, mailbox = smtp_server
    mailbox.rcpt_reply = reply
    with pytest.raises(DeliveryError) as refused:
        asyncio.run(notifier_for(controller, to=["gone@example.com"]).send(make_alert()))
    assert refused.value.retryable is retryable
    assert mailbox.messages == []


def test_starttls_required_but_unsupported_is_not_retried(smtp_server):
    controller, _ = smtp_server
    with pytest.raises(DeliveryError) as failed:
        asyncio.run(notifier_for(controller, security="starttls").send(make_alert()))
    assert not failed.value.retryable and "STARTTLS" in str(failed.value).upper()


def test_unreachable_smtp_server_is_retryable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connection refused
        notifier = EmailNotifier("mail", host="127.0.0.1", port=port, sender="a@example.com", to=["b@example.com"], timeout=2)
        with pytest.raises(DeliveryError) as refused:
            asyncio.run(notifier.send(make_alert()))
    assert refused.value.retryable
