"""routing.yaml: the shipped file loads, mistakes name file and field, secrets come from the environment."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

import voc_stream.notify as notify
from voc_stream.config import ConfigError
from voc_stream.notify import NOTIFIER_TYPES, build_dispatcher, load_routing

SHIPPED = Path(__file__).resolve().parents[1] / "config" / "routing.yaml"

MINIMAL = """
receivers:
  - name: console
    type: console
  - name: oncall-wecom
    type: wecom
    url_env: VOC_TEST_WECOM_URL
default: [console]
routes:
  - severity: critical
    receivers: [console, oncall-wecom]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "routing.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as error:
        load_routing(path)
    assert str(path) in str(error.value)
    return error.value.problems


def test_public_names_are_exported():
    for name in notify.__all__:
        assert hasattr(notify, name), name
    for name in ("RoutingConfig", "load_routing", "build_dispatcher", "Dispatcher", "Notifier", "DeliveryError"):
        assert name in notify.__all__


def test_shipped_config_runs_with_only_the_console_when_no_secrets_are_set(caplog):
    routing = load_routing(SHIPPED)
    assert {receiver.type for receiver in routing.receivers} == set(NOTIFIER_TYPES)  # every type has an example
    with caplog.at_level(logging.WARNING, logger="voc_stream.notify"):
        dispatcher = build_dispatcher(routing, delivered={}, env={})
    assert list(dispatcher.notifiers) == ["console"]
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and "VOC_WECOM_WEBHOOK_URL" in warnings[0].getMessage()
    asyncio.run(dispatcher.close())


def test_shipped_config_activates_receivers_whose_variables_are_set():
    env = {"VOC_WECOM_WEBHOOK_URL": "http://127.0.0.1:9/cgi-bin/webhook/send?key=k", "VOC_SMTP_PASSWORD": "pw"}
    dispatcher = build_dispatcher(load_routing(SHIPPED), delivered={}, env=env)
    assert set(dispatcher.notifiers) == {"console", "oncall-wecom", "risk-email"}
    asyncio.run(dispatcher.close())


def test_missing_environment_variable_fails_at_start_naming_file_field_and_variable(tmp_path):
    path = write(tmp_path, MINIMAL)
    with pytest.raises(ConfigError) as error:
        build_dispatcher(load_routing(path), delivered={}, env={})
    [(field, message)] = error.value.problems
    assert field == "receivers.1.url_env"
    assert "VOC_TEST_WECOM_URL" in message and "optional: true" in message
    assert str(path) in str(error.value)


def test_unknown_key_is_named(tmp_path):
    text = MINIMAL.replace("    url_env: VOC_TEST_WECOM_URL", "    url_env: VOC_TEST_WECOM_URL\n    retries: 3")
    [(field, message)] = problems_of(write(tmp_path, text))
    assert field == "receivers.1.wecom.retries" and "Extra inputs" in message


def test_unknown_type_is_named(tmp_path):
    [(field, message)] = problems_of(write(tmp_path, MINIMAL.replace("type: wecom", "type: wechat")))
    assert field == "receivers.1" and "wecom" in message and "wechat" in message


def test_route_to_undeclared_receiver_is_named(tmp_path):
    text = MINIMAL.replace("receivers: [console, oncall-wecom]", "receivers: [console, oncall-wcom]")
    [(field, message)] = problems_of(write(tmp_path, text))
    assert field == "routes.0.receivers.1" and "oncall-wcom" in message


def test_bad_severity_and_subject_key_are_named(tmp_path):
    text = MINIMAL.replace("  - severity: critical", "  - severity: urgent\n    subject: {province: 广东}")
    fields = {field for field, _ in problems_of(write(tmp_path, text))}
    assert fields == {"routes.0.severity", "routes.0.subject"}


def test_url_must_come_from_exactly_one_place(tmp_path):
    neither = MINIMAL.replace("    url_env: VOC_TEST_WECOM_URL\n", "")
    [(field, message)] = problems_of(write(tmp_path, neither))
    assert field == "receivers.1.wecom" and "url_env" in message
    both = MINIMAL.replace("    url_env: VOC_TEST_WECOM_URL", "    url_env: VOC_TEST_WECOM_URL\n    url: http://x")
    [(field, message)] = problems_of(write(tmp_path, both))
    assert "not both" in message



@pytest.mark.parametrize("kind", ["webhook", "slack", "wecom", "feishu", "dingtalk"])
def test_every_url_receiver_checks_its_url_and_env_names(tmp_path, kind):
    """The URL rules live in one base model; every URL receiver must still enforce them."""
    text = MINIMAL.replace("type: wecom", f"type: {kind}")
    assert load_routing(write(tmp_path, text)).receivers[1].type == kind
    [(_, message)] = problems_of(write(tmp_path, text.replace("    url_env: VOC_TEST_WECOM_URL\n", "")))
    assert "url_env" in message
    [(_, message)] = problems_of(write(tmp_path, text.replace("url_env: VOC_TEST_WECOM_URL", "url_env: not-a-name")))
    assert "environment variable name" in message


@pytest.mark.parametrize("kind", ["feishu", "dingtalk"])
def test_signing_secret_is_optional_but_from_one_place_only(tmp_path, kind):
    text = MINIMAL.replace("type: wecom", f"type: {kind}")
    signed = text.replace("url_env: VOC_TEST_WECOM_URL", "url_env: VOC_TEST_WECOM_URL\n    secret_env: VOC_TEST_SECRET")
    assert load_routing(write(tmp_path, signed)).receivers[1].secret_env == "VOC_TEST_SECRET"
    both = signed.replace("secret_env: VOC_TEST_SECRET", "secret_env: VOC_TEST_SECRET\n    secret: SECabc")
    [(_, message)] = problems_of(write(tmp_path, both))
    assert "secret or secret_env, not both" in message


@pytest.mark.parametrize("kind", ["webhook", "slack", "wecom"])
def test_unsigned_receivers_reject_a_secret(tmp_path, kind):
    text = MINIMAL.replace("type: wecom", f"type: {kind}")
    problems = problems_of(write(tmp_path, text.replace("url_env: VOC_TEST_WECOM_URL", "url_env: X\n    secret_env: Y")))
    assert any("secret_env" in field for field, _ in problems)

def test_duplicate_receiver_names_are_named(tmp_path):
    text = MINIMAL.replace("name: oncall-wecom", "name: console")
    problems = problems_of(write(tmp_path, text))
    assert ("receivers.1.name", "duplicate receiver name 'console'") in problems


def test_email_has_no_inline_password(tmp_path):
    email_receiver = """  - name: mail
    type: email
    host: smtp.example.com
    sender: a@example.com
    to: [b@example.com]
    password: hunter2
"""
    text = MINIMAL.replace("default: [console]", email_receiver + "default: [console]")
    [(field, message)] = problems_of(write(tmp_path, text))
    assert field == "receivers.2.email.password" and "Extra inputs" in message
