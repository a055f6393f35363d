"""Alert delivery: routing.yaml decides who hears about an alert; notifiers say it in their dialect.

``build_dispatcher(load_routing(path), delivered=table)`` is all the worker needs;
``docs/notifiers.md`` explains the configuration and how to add a notifier.
"""

from voc_stream.notify.base import (
    DeliveryError,
    MissingSecret,
    Notifier,
    ReceiverConfig,
    SignedUrlReceiverConfig,
    UrlReceiverConfig,
)
from voc_stream.notify.dispatcher import OUTCOMES, Dispatcher, backoff_delay, build_dispatcher, build_notifiers
from voc_stream.notify.messages import AlertView, truncate_utf8
from voc_stream.notify.registry import NOTIFIER_TYPES
from voc_stream.notify.routing import Delivery, Route, RoutingConfig, load_routing

__all__ = [
    "OUTCOMES",
    "NOTIFIER_TYPES",
    "AlertView",
    "Delivery",
    "DeliveryError",
    "Dispatcher",
    "MissingSecret",
    "Notifier",
    "ReceiverConfig",
    "Route",
    "RoutingConfig",
    "SignedUrlReceiverConfig",
    "UrlReceiverConfig",
    "backoff_delay",
    "build_dispatcher",
    "build_notifiers",
    "load_routing",
    "truncate_utf8",
]
