"""``voc-stream backtest``: the worker's rules and detectors over a file, in event-time order, no broker."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voc_stream.alerts import Alert
from voc_stream.echoes import EchoLinker
from voc_stream.events import FeedbackEvent, InvalidEvent, event_from_dict, parse_event
from voc_stream.service import Components, Deduper, load_components

BATCH = 512


@dataclass
class BacktestReport:
    """What a run saw: counts for the progress line and the summary."""

    events: int = 0
    invalid: int = 0
    duplicates: int = 0
    alerts: list[Alert] = field(default_factory=list)
    invalid_reasons: dict[str, int] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)  # detector state at the end: key -> state


def _to_event(item: Any) -> FeedbackEvent:
    if isinstance(item, FeedbackEvent):
        return item
    if isinstance(item, (bytes, str)):
        return parse_event(item)
    return event_from_dict(item)


def run_backtest(
    events: Iterable[Any],
    config_dir: Path | None = None,
    *,
    components: Components | None = None,
    report: BacktestReport | None = None,
    on_invalid: Callable[[Any, InvalidEvent], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Alert]:
    """Alerts the worker would raise on ``events`` (dicts, JSON lines or FeedbackEvents), in order."""
    components = components or load_components(config_dir=config_dir)
    report = report if report is not None else BacktestReport()
    valid: list[FeedbackEvent] = []
    for item in events:
        try:
            valid.append(_to_event(item))
        except InvalidEvent as exc:
            report.invalid += 1
            report.invalid_reasons[exc.reason] = report.invalid_reasons.get(exc.reason, 0) + 1
            if on_invalid:
                on_invalid(item, exc)
    valid.sort(key=lambda e: e.epoch)  # stable: ties keep file order

    engine = components.engine(report.state)
    echoes = EchoLinker()
    volume = components.volume_lift()
    deduper = Deduper({}, components.settings.dedup_retention_hours * 3600)
    bucket = components.context.bucket_seconds
    stream_start = valid[0].epoch if valid else 0.0
    last_tick = -1
    forget_after = components.rules_config.forget_after_days * 86400
    last_day = -1
    for offset in range(0, len(valid), BATCH):
        batch = valid[offset : offset + BATCH]
        for enriched in components.enricher.enrich_many(batch, ingest_ts=0.0):
            report.events += 1
            if not deduper.first_time(enriched.event_id, enriched.ts):
                report.duplicates += 1
                continue
            enriched.stream_start = stream_start
            enriched.volume_lift = volume.observe(enriched.ts)  # as the worker's route stage
            tick_at = int(enriched.ts // bucket)
            if tick_at != last_tick:
                report.alerts.extend(map(echoes.link, engine.tick(enriched.ts)))
                last_tick = tick_at
            if int(enriched.ts // 86400) != last_day:  # once a day of event time, as the worker's sweep
                engine.forget(enriched.ts, forget_after)
                last_day = int(enriched.ts // 86400)
            report.alerts.extend(map(echoes.link, engine.process(enriched)))
        if progress:
            progress(report.events)
    return report.alerts


def read_jsonl(path: Path) -> Iterable[str]:
    """Lines of a JSONL file; blank lines skipped."""
    with open(path, "rb") as handle:
        for raw in handle:
            if raw.strip():
                yield raw.rstrip(b"\r\n")


def write_alerts(alerts: Iterable[Alert], path: Path) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for alert in alerts:
            out.write(json.dumps(alert.to_dict(), ensure_ascii=False) + "\n")
            count += 1
    return count
