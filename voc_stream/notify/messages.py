"""Alert text for humans, in Chinese: one wording, rendered as plain text, Markdown or HTML.

Every notifier builds its body from ``AlertView`` so the console, WeCom and email
say the same thing. Samples are customer words (masked upstream): they are escaped
for each format and never trusted as markup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from voc_stream.alerts import Alert

CHINA_TZ = timezone(timedelta(hours=8))
MAX_SAMPLES = 5
SAMPLE_CHARS = 200

SEVERITY_LABELS = {"critical": "严重", "warning": "警告", "info": "提示"}
STATUS_LABELS = {"firing": "告警中", "resolved": "已恢复"}
RULE_LABELS = {
    "keyword_spike": "激增",
    "negative_burst": "负面集中爆发",
    "fraud_pattern": "疑似欺诈",
    "emerging_term": "新话题涌现",
    "escalation": "私域投诉未解决转公开",
    "share_limit": "占比超过红线",
}
CHANNEL_LABELS = {
    "weibo": "微博",
    "douyin": "抖音",
    "xiaohongshu": "小红书",
    "dianping": "大众点评",
    "ecommerce": "电商",
    "forum": "论坛",
    "app_review": "应用商店",
    "news": "新闻",
    "hotline": "热线",
    "chat": "在线客服",
    "email": "邮件",
    "ticket": "工单",
    "app_feedback": "App反馈",
    "survey": "问卷",
}


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _clock(moment: datetime) -> str:
    local = moment.astimezone(CHINA_TZ) if moment.tzinfo else moment
    return local.strftime("%m-%d %H:%M")


def _clip(text: str, limit: int = SAMPLE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def truncate_utf8(text: str, max_bytes: int, marker: str = "\n…(内容过长,已截断)") -> str:
    """Cut ``text`` to at most ``max_bytes`` of UTF-8 without splitting a character."""
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    room = max_bytes - len(marker.encode("utf-8"))
    if room <= 0:
        return marker.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
    head = text.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return head + marker


@dataclass(frozen=True)
class AlertView:
    """The wording of one alert, shared by every format."""

    alert: Alert

    @property
    def resolved(self) -> bool:
        return self.alert.status == "resolved"

    @property
    def severity(self) -> str:
        return SEVERITY_LABELS.get(self.alert.severity, self.alert.severity)

    @property
    def status(self) -> str:
        return STATUS_LABELS.get(self.alert.status, self.alert.status)

    @property
    def title(self) -> str:
        """``【严重】广东 刹车异响 激增``; resolved incidents lead with ``【已恢复】``."""
        what = RULE_LABELS.get(self.alert.rule, self.alert.rule)
        subject = self.alert.subject_text or "全部"
        tag = "已恢复" if self.resolved else self.severity
        return f"【{tag}】{subject} {what}"

    @property
    def evidence(self) -> str:
        observed, expected = self.alert.observed, self.alert.expected
        private = getattr(self.alert, "private_complaints", None)  # escalation: one customer's trail
        if private is not None:
            return f"私域投诉 {private} 次未解决,之后公开投诉 {_number(observed)} 次"
        share, limit = getattr(self.alert, "share", None), getattr(self.alert, "limit", None)
        if share is not None and limit:  # share_limit: a fixed line, not a baseline
            return f"占比 {share:.1%},红线 {limit:.1%}(观测 {_number(observed)},红线内至多 {_number(expected)})"
        ratio = f",为基线的 {observed / expected:.1f} 倍" if expected > 0 else ""
        return f"观测 {_number(observed)},基线 {_number(expected)}{ratio}"

    @property
    def window(self) -> str:
        start, end = _clock(self.alert.window_start), _clock(self.alert.window_end)
        if start[:5] == end[:5]:
            end = end[6:]
        return f"{start} ~ {end} (UTC+8)"

    @property
    def channels(self) -> str:
        ranked = sorted(self.alert.channels.items(), key=lambda item: (-item[1], item[0]))
        return "、".join(f"{CHANNEL_LABELS.get(name, name)} {count}" for name, count in ranked)

    @property
    def driven_by(self) -> str:
        """``成都 29 条``: the places without whose hits the alert would not have fired."""
        return "、".join(f"{value} {hits} 条" for _, value, hits in self.alert.driving_places())

    @property
    def related(self) -> str:
        if not self.alert.related_to:
            return ""
        return f"{self.alert.related_to} (同一事件的连带告警,以该告警为准)"

    @property
    def samples(self) -> list[str]:
        return [_clip(sample) for sample in self.alert.samples[:MAX_SAMPLES]]

    def facts(self) -> list[tuple[str, str]]:
        """Label/value pairs in reading order; empty values are left out."""
        alert = self.alert
        rows = [
            ("状态", self.status),
            ("级别", self.severity),
            ("规则", alert.rule),
            ("对象", alert.subject_text or "全部"),
            ("证据", self.evidence),
            ("异常分", f"{alert.score:.3f}"),
            ("窗口", self.window),
            ("渠道", self.channels),
            ("主要来源", self.driven_by),
            ("关联告警", self.related),
            ("关键词", "、".join(alert.top_terms[:8])),
            ("摘要", alert.summary),
        ]
        return [(label, value) for label, value in rows if value]

    def text(self) -> str:
        """Plain text: console, Feishu text message, the e-mail text part."""
        lines = [self.title, ""]
        lines += [f"{label}: {value}" for label, value in self.facts()]
        if self.samples:
            lines += ["", "样例:"] + [f"  {n}. {sample}" for n, sample in enumerate(self.samples, 1)]
        lines += ["", f"处置手册: {self.alert.runbook_url}", f"告警ID: {self.alert.alert_id}"]
        return "\n".join(lines)

    def markdown(self, *, heading: str | None = "### ", line_break: str = "\n") -> str:
        """Markdown for WeCom, DingTalk and Feishu cards; samples are quoted, markup escaped.

        ``heading=None`` leaves the title out, for cards that show it in their header;
        DingTalk folds single newlines, so it asks for ``line_break="\n\n"``.
        """
        lines = [] if heading is None else [f"{heading}{self.title}"]
        lines += [f"**{label}**: {escape_markdown(value)}" for label, value in self.facts()]
        if self.samples:
            lines.append("**样例**:")
            lines += [f"> {n}. {escape_markdown(sample)}" for n, sample in enumerate(self.samples, 1)]
        lines.append(f"[处置手册]({self.alert.runbook_url})  告警ID: {self.alert.alert_id}")
        return line_break.join(lines)

    def html(self) -> str:
        """The e-mail HTML part."""
        esc = html.escape
        colour = "#2e7d32" if self.resolved else {"critical": "#c62828", "warning": "#ef6c00"}.get(
            self.alert.severity, "#1565c0"
        )
        rows = "".join(
            f"<tr><th align='left'>{esc(label)}</th><td>{esc(value)}</td></tr>" for label, value in self.facts()
        )
        samples = "".join(f"<li>{esc(sample)}</li>" for sample in self.samples)
        runbook = esc(self.alert.runbook_url, quote=True)
        return (
            f"<html><body><h2 style='color:{colour}'>{esc(self.title)}</h2>"
            f"<table>{rows}</table>"
            + (f"<h3>样例</h3><ol>{samples}</ol>" if samples else "")
            + f"<p><a href='{runbook}'>处置手册</a> · 告警ID {esc(self.alert.alert_id)}</p></body></html>"
        )


def escape_markdown(text: str) -> str:
    """Neutralise characters that would make customer text links, emphasis or quotes.

    Chat-robot Markdown dialects do not all honour backslash escapes, so the
    characters are swapped for their full-width forms, which read the same in Chinese.
    """
    return text.translate(_FULL_WIDTH)


_FULL_WIDTH = str.maketrans({"*": "＊", "`": "｀", "[": "［", "]": "］", "<": "＜", ">": "＞", "#": "＃"})
