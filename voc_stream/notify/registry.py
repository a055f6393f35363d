"""The table from a receiver's ``type:`` in routing.yaml to the class that sends to it."""

from __future__ import annotations

from voc_stream.notify.base import Notifier
from voc_stream.notify.console import ConsoleNotifier
from voc_stream.notify.dingtalk import DingTalkNotifier
from voc_stream.notify.feishu import FeishuNotifier
from voc_stream.notify.slack import SlackNotifier
from voc_stream.notify.smtp import EmailNotifier
from voc_stream.notify.webhook import WebhookNotifier
from voc_stream.notify.wecom import WeComNotifier

NOTIFIER_CLASSES: tuple[type[Notifier], ...] = (
    ConsoleNotifier,
    WebhookNotifier,
    SlackNotifier,
    WeComNotifier,
    FeishuNotifier,
    DingTalkNotifier,
    EmailNotifier,
)

NOTIFIER_TYPES: dict[str, type[Notifier]] = {cls.type: cls for cls in NOTIFIER_CLASSES}
