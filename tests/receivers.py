"""Loopback stand-ins for the services alerts are delivered to.

Each fake listens on a free 127.0.0.1 port, checks requests the way the real
service documents them (required keys, message types, size limits, signatures),
and answers the way the real service does, including WeCom/Feishu/DingTalk
errors reported in a JSON code with HTTP 200. Tests can queue failures
(``fail_next``) to exercise retries. Signatures are re-derived here from the
vendors' documentation, independently of the code under test.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from voc_stream.alerts import Alert


def make_alert(**overrides: Any) -> Alert:
    """The contract example alert (CONTRACTS.md §2), with any field replaced."""
    data: dict[str, Any] = {
        "alert_id": "kw-9f2c0a1b2c3d4e5f",
        "rule": "keyword_spike",
        "status": "firing",
        "severity": "critical",
        "subject": {"category": "刹车异响", "region": "广东"},
        "fired_at": "2026-03-01T08:21:00+08:00",
        "window_start": "2026-03-01T08:11:00+08:00",
        "window_end": "2026-03-01T08:21:00+08:00",
        "observed": 37,
        "expected": 4.2,
        "score": 0.999,
        "summary": "广东 刹车异响: 37 mentions in 10 min, 4.2 expected",
        "samples": ["刹车异响很严重,客服电话 138****1234 一直打不通", "4S店说是正常现象,刹车一踩就响"],
        "top_terms": ["刹车", "异响", "4S店"],
        "channels": {"weibo": 20, "hotline": 17},
        "runbook_url": "deploy/runbooks/keyword_spike.md",
    }
    data.update(overrides)
    return Alert.model_validate(data)


@dataclass
class Reply:
    """A canned answer: HTTP status, JSON or text body, optional headers and delay."""

    status: int = 200
    json: dict[str, Any] | None = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def response(self) -> web.Response:
        if self.json is not None:
            return web.json_response(self.json, status=self.status, headers=self.headers)
        return web.Response(status=self.status, text=self.text or "", headers=self.headers)


class FakeService:
    """Base: an aiohttp app on a free loopback port recording what it accepted."""

    path = "/"

    def __init__(self) -> None:
        self.accepted: list[Any] = []  # bodies of messages the service took
        self.attempts = 0  # every request, accepted or not
        self.queries: list[dict[str, str]] = []
        self._queued: list[Reply] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def fail_next(self, *replies: Reply) -> None:
        """Answer the next requests with these replies instead of handling them."""
        self._queued.extend(replies)

    async def __aenter__(self) -> FakeService:
        app = web.Application()
        app.router.add_post(self.path.split("?")[0], self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.attempts += 1
        self.queries.append(dict(request.query))
        raw = await request.read()
        if self._queued:
            reply = self._queued.pop(0)
            if reply.delay:
                await asyncio.sleep(reply.delay)
            return reply.response()
        return self.handle(request, raw)

    def handle(self, request: web.Request, raw: bytes) -> web.StreamResponse:
        raise NotImplementedError

    def parse_json(self, raw: bytes) -> Any:
        return json.loads(raw.decode("utf-8"))


class FakeWebhook(FakeService):
    """A generic receiver: takes any alert-contract JSON, optionally requiring a bearer token."""

    path = "/hooks/alerts"

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token = token

    def handle(self, request: web.Request, raw: bytes) -> web.StreamResponse:
        if self.token and request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.Response(status=401, text="unauthorized")
        if request.content_type != "application/json":
            return web.Response(status=415, text="json only")
        try:
            alert = Alert.model_validate_json(raw)
        except ValueError as exc:
            return web.Response(status=422, text=str(exc))
        self.accepted.append(alert)
        return web.Response(status=202)


class FakeSlack(FakeService):
    """Slack incoming webhooks: 200 ``ok``; 400 ``invalid_payload`` / ``no_text`` / ``invalid_blocks``."""

    path = "/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX"
    BLOCK_TYPES = {"header", "section", "context", "divider", "actions", "image", "rich_text"}

    def handle(self, request: web.Request, raw: bytes) -> web.StreamResponse:
        try:
            body = self.parse_json(raw)
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        if not isinstance(body, dict):
            return web.Response(status=400, text="invalid_payload")
        if not body.get("text") and not body.get("blocks"):
            return web.Response(status=400, text="no_text")
        if "blocks" in body and not self.blocks_valid(body["blocks"]):
            return web.Response(status=400, text="invalid_blocks")
        self.accepted.append(body)
        return web.Response(status=200, text="ok")

    def blocks_valid(self, blocks: Any) -> bool:
        if not isinstance(blocks, list) or len(blocks) > 50:
            return False
        for block in blocks:
            kind = block.get("type")
            if kind not in self.BLOCK_TYPES:
                return False
            text = block.get("text")
            if kind == "header" and (text["type"] != "plain_text" or len(text["text"]) > 150):
                return False
            if kind == "section":
                fields = block.get("fields", [])
                if text is None and not fields:
                    return False
                if text is not None and not 1 <= len(text["text"]) <= 3000:
                    return False
                if len(fields) > 10 or any(len(item["text"]) > 2000 for item in fields):
                    return False
            if kind == "context" and not 1 <= len(block.get("elements", [])) <= 10:
                return False
        return True


class FakeWeCom(FakeService):
    """WeCom group robot: every verdict is HTTP 200 with ``errcode``."""

    path = "/cgi-bin/webhook/send"
    MSGTYPES = {"text", "markdown", "image", "news", "file", "voice", "template_card"}

    def __init__(self, key: str = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa") -> None:
        super().__init__()
        self.key = key

    @property
    def url(self) -> str:
        return f"{super().url}?key={self.key}"

    def handle(self, request: web.Request, raw: bytes) -> web.StreamResponse:
        def error(code: int, message: str) -> web.Response:
            return web.json_response({"errcode": code, "errmsg": message})

        if request.query.get("key") != self.key:
            return error(93000, "invalid webhook url, hint: [1700000000_1_abc]")
        try:
            body = self.parse_json(raw)
        except ValueError:
            return error(40016, "invalid button size / invalid json")
        if body.get("msgtype") not in self.MSGTYPES:
            return error(40008, "invalid message type")
        if body["msgtype"] == "markdown":
            content = body.get("markdown", {}).get("content")
            if not content:
                return error(44004, "empty content")
            if len(content.encode("utf-8")) > 4096:
                return error(40058, "markdown.content exceed max length 4096")
        self.accepted.append(body)
        return error(0, "ok")


def feishu_expected_sign(timestamp: str, secret: str) -> str:
    """Feishu docs: HmacSHA256 keyed with "timestamp\\nsecret" over empty data, then Base64."""
    string_to_sign = f"{timestamp}\n{secret}"
    return base64.b64encode(hmac.new(string_to_sign.encode("utf-8"), digestmod=hashlib.sha256).digest()).decode()


class FakeFeishu(FakeService):
    """Feishu custom bot: ``{"code": 0, "msg": "success"}``; 19021 on a bad signature."""

    path = "/open-apis/bot/v2/hook/6f0c3bd1-aaaa-bbbb-cccc-0123456789ab"
    MSG_TYPES = {"text", "post", "image", "share_chat", "interactive"}

    def __init__(self, secret: str | None = None) -> None:
        super().__init__()
        self.secret = secret

    def handle(self, request: web.Request, raw: bytes) -> web.StreamResponse:
        def error(code: int, message: str) -> web.Response:
            return web.json_response({"code": code, "data": {}, "msg": message})

        if len(raw) > 20 * 1024:
            return error(9499, "request body too large")
        try:
            body = self.parse_json(raw)
        except ValueError:
            return error(9499, "Bad Request")
        if self.secret is not None:
            timestamp, sign = body.get("timestamp"), body.get("sign")
            if not isinstance(timestamp, str) or not isinstance(sign, str):
                return error(19021, "sign match fail or timestamp is not within one hour from current time")
            fresh = abs(time.time() - int(timestamp)) < 3600
            if not fresh or not hmac.compare_digest(sign, feishu_expected_sign(timestamp, self.secret)):
                return error(19021, "sign match fail or timestamp is not within one hour from current time")
        if body.get("msg_type") not in self.MSG_TYPES:
            return error(9499, "Bad Request: msg_type")
        if body["msg_type"] == "text" and not body.get("content", {}).get("text"):
            return error(9499, "Bad Request: content.text")
        if body["msg_type"] == "interactive" and not isinstance(body.get("card"), dict):
            return error(9499, "Bad Request: card")
        self.accepted.append(body)
        return web.json_response({"code": 0, "data": {}, "msg": "success"})


def dingtalk_expected_sign(timestamp: str, secret: str) -> str:
    """DingTalk docs: HmacSHA256 keyed with the secret over "timestamp\\nsecret", then Base64."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


class FakeDingTalk(FakeService):
    """DingTalk custom robot: ``{"errcode": 0}``; 310000 on a bad signature, with HTTP 200."""

    path = "/robot/send"

    def __init__(self, token: str = "f0e1d2c3b4a5", secret: str | None = None) -> None:
        super().__init__()
        self.token = token
        self.secret = secret

    @property
    def url(self) -> str:
        return f"{super().url}?access_token={self.token}"

    def handle(self, request: web.Request, raw: bytes) -> web.StreamResponse:
        def error(code: int, message: str) -> web.Response:
            return web.json_response({"errcode": code, "errmsg": message})

        if request.query.get("access_token") != self.token:
            return error(300001, "token is not exist")
        if self.secret is not None:
            # aiohttp has already URL-decoded the query, as DingTalk's server does.
            timestamp, sign = request.query.get("timestamp", ""), request.query.get("sign", "")
            fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3600 * 1000
            if not fresh or not hmac.compare_digest(sign, dingtalk_expected_sign(timestamp, self.secret)):
                return error(310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")
        try:
            body = self.parse_json(raw)
        except ValueError:
            return error(43004, "invalid json")
        if body.get("msgtype") != "markdown" and body.get("msgtype") not in {"text", "link", "actionCard", "feedCard"}:
            return error(40035, "缺少参数 msgtype")
        if body["msgtype"] == "markdown":
            markdown = body.get("markdown", {})
            if not markdown.get("title") or not markdown.get("text"):
                return error(40035, "缺少参数 markdown")
        self.accepted.append(body)
        return error(0, "ok")
