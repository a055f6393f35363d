"""The feedback event contract: what is accepted, what is rejected, and why."""

from __future__ import annotations

import json

import pytest

from voc_stream.events import INVALID_REASONS, Channel, InvalidEvent, event_to_dict, parse_event

GOOD = {
    "event_id": "wb-20260301-000123",
    "ts": "2026-03-01T08:15:30+08:00",
    "channel": "weibo",
    "text": "刹车异响很严重,4S店说是正常现象",
    "store_id": "GZ-TH-001",
    "region": "广东",
    "rating": 1,
}


def encode(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def test_contract_example_parses_with_unknown_fields_kept():
    event = parse_event(encode({**GOOD, "campaign": "spring"}))
    assert event.channel is Channel.weibo and event.visibility == "public"
    assert event.ts.utcoffset().total_seconds() == 8 * 3600
    assert event_to_dict(event)["campaign"] == "spring"


def test_epoch_seconds_are_accepted():
    event = parse_event(encode({**GOOD, "ts": 1772324130}))
    assert event.epoch == 1772324130


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "bad_utf8"),
        (b"{not json", "bad_json"),
        (b'"a string"', "not_an_object"),
        (encode({k: v for k, v in GOOD.items() if k != "text"}), "missing_field"),
        (encode({**GOOD, "text": " \n "}), "empty_text"),
        (encode({**GOOD, "channel": "fax"}), "unknown_channel"),
        (encode({**GOOD, "ts": "yesterday"}), "bad_timestamp"),
        (encode({**GOOD, "ts": "2026-03-01T08:15:30"}), "bad_timestamp"),
        (encode({**GOOD, "rating": 9}), "bad_field"),
        (encode({**GOOD, "event_id": "x" * 129}), "bad_field"),
    ],
)
def test_invalid_events_say_why(raw, reason):
    with pytest.raises(InvalidEvent) as caught:
        parse_event(raw)
    assert caught.value.reason == reason
    assert caught.value.reason in INVALID_REASONS
    assert caught.value.detail


def test_private_channels_are_private():
    assert Channel.hotline.visibility == "private"
    assert Channel.app_review.visibility == "public"
