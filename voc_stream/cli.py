"""``voc-stream``: one entry point for every command of CONTRACTS.md §3."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from voc_stream import __version__
from voc_stream.config import ConfigError


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _settings():
    from voc_stream.settings import Settings

    return Settings()


# -- broker / worker / produce ---------------------------------------------------------------


def cmd_broker(args: argparse.Namespace) -> int:
    from voc_stream.broker import EmbeddedBroker, ensure_topics

    # Block the stop signals first: sigwait only receives blocked signals, and an
    # unblocked SIGTERM would end this process before it could stop the broker.
    # (The broker starts first: a child would inherit the blocked mask and ignore SIGTERM.)
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    broker = EmbeddedBroker(port=args.port).start()
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    try:
        ensure_topics(broker.servers, _settings().topic_partitions)
        print(f"broker ready at {broker.url}  (export VOC_BROKER={broker.url}); Ctrl-C stops it", flush=True)
        signal.sigwait(stop_signals)
    finally:
        broker.stop()
    print("broker stopped", flush=True)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import faust
    from kafka.errors import KafkaError

    from topologies.worker import build_app
    from voc_stream.broker import ensure_topics

    settings = _settings()
    app = build_app(settings)  # reads the configuration and the model first: their errors need no broker
    try:
        ensure_topics(settings.broker_servers, settings.topic_partitions)
    except (KafkaError, OSError) as exc:
        _err(f"voc-stream worker: cannot reach the broker at {settings.broker} (VOC_BROKER): {exc}")
        return 1
    worker = faust.Worker(app, loglevel=args.loglevel or settings.log_level, quiet=True)
    worker.execute_from_commandline()
    return 0


def cmd_produce(args: argparse.Namespace) -> int:
    import asyncio

    from voc_stream.backtest import read_jsonl
    from voc_stream.produce import produce

    settings = _settings()
    path = Path(args.file)
    if not path.is_file():
        _err(f"voc-stream produce: no such file: {path}")
        return 2
    sent = asyncio.run(
        produce(
            settings.broker_servers,
            args.topic or settings.topic_raw,
            read_jsonl(path),
            rate=args.rate,
            progress=lambda n: _err(f"sent {n} events"),
        )
    )
    _err(f"done: {sent} events to {args.topic or settings.topic_raw} at {settings.broker}")
    return 0


# -- backtest / score-series / analyze / check-config ----------------------------------------


def cmd_backtest(args: argparse.Namespace) -> int:
    from collections import Counter

    from voc_stream.backtest import BacktestReport, read_jsonl, run_backtest, write_alerts
    from voc_stream.text import mask_personal_data

    path = Path(args.events)
    if not path.is_file():
        _err(f"voc-stream backtest: no such file: {path}")
        return 2
    report = BacktestReport()
    rejects = open(args.deadletter, "w", encoding="utf-8") if args.deadletter else None

    def on_invalid(item, exc) -> None:
        if rejects:
            line = item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
            # A rejected line is still customer text: no personal number leaves in it.
            line = mask_personal_data(line)
            rejects.write(json.dumps({"reason": exc.reason, "detail": exc.detail, "raw": line}, ensure_ascii=False) + "\n")

    started = time.monotonic()
    alerts = run_backtest(
        read_jsonl(path),
        config_dir=Path(args.config) if args.config else None,
        report=report,
        on_invalid=on_invalid,
        progress=lambda n: _err(f"  {n} events, {len(report.alerts)} alerts") if n % 20480 == 0 else None,
    )
    if rejects:
        rejects.close()
    write_alerts(alerts, Path(args.out))
    by_rule = Counter(f"{a.rule}/{a.status}" for a in alerts)
    _err(
        f"{report.events} events ({report.invalid} invalid, {report.duplicates} repeated ids) -> "
        f"{len(alerts)} alert messages in {time.monotonic() - started:.1f}s; written to {args.out}"
    )
    for key, count in sorted(by_rule.items()):
        _err(f"  {key}: {count}")
    if report.invalid:
        reasons = ", ".join(f"{k}={v}" for k, v in sorted(report.invalid_reasons.items()))
        _err(f"  invalid events by reason: {reasons}" + ("" if args.deadletter else " (--deadletter FILE keeps them)"))
    return 0


def cmd_score_series(args: argparse.Namespace) -> int:
    from voc_stream.detectors import score_series_file

    source = Path(args.input)
    if not source.is_file():
        _err(f"voc-stream score-series: no such file: {source}")
        return 2
    try:
        rows = score_series_file(source, Path(args.output))
    except ValueError as exc:
        _err(f"voc-stream score-series: {exc}")
        return 1
    _err(f"scored {rows} rows -> {args.output}")
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from voc_stream.events import Channel, text_of_line
    from voc_stream.settings import Settings
    from voc_stream.text import TextAnalyzer
    from voc_stream.text.inquiry import channel_sentiment

    private_channels = {c.value for c in Channel if not c.is_public}
    settings = Settings()
    config_dir = Path(args.config) if args.config else settings.config_dir
    analyzer = TextAnalyzer.from_config(config_dir, settings.sentiment_model, settings.category_model)
    source = open(args.file, encoding="utf-8", errors="replace") if args.file and args.file != "-" else sys.stdin
    out = sys.stdout
    batch: list[tuple[dict, str, bool]] = []

    def flush() -> None:
        for (extra, _, private), analysis in zip(batch, analyzer.analyze_many([t for _, t, _ in batch])):
            result = analysis.to_dict()
            # As the worker does: a plain inquiry in a private channel reads neutral.
            result["sentiment"] = channel_sentiment(analysis.sentiment, analysis.text_masked, analysis.categories, private)
            out.write(json.dumps({**extra, **result}, ensure_ascii=False) + "\n")
        batch.clear()

    for line in source:
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        text, event = text_of_line(line)
        if text is None:  # an object without a text: analysed as the line it is
            text, event = line, None
        extra = {"event_id": event["event_id"]} if event and "event_id" in event else {}
        private = event is not None and event.get("channel") in private_channels
        batch.append((extra, text, private))
        if len(batch) >= 256:
            flush()
    flush()
    out.flush()
    return 0


def check_config(config_dir: Path) -> list[str]:
    """Every problem in the configuration folder, as ``file: field: message`` lines."""
    from voc_stream.rules import load_rules
    from voc_stream.text import load_lexicon, load_userdict

    problems: list[str] = []
    checks = [
        ("lexicons.yaml", load_lexicon, True),
        ("userdict.txt", load_userdict, False),
        ("rules.yaml", load_rules, False),
        ("routing.yaml", _check_routing, False),
    ]
    loaded = {}
    for name, loader, required in checks:
        path = config_dir / name
        if not path.exists():
            if required:
                problems.append(f"{path}: (file): file not found")
            continue
        try:
            loaded[name] = loader(path)
        except ConfigError as exc:
            problems.extend(str(exc).splitlines())
    if "lexicons.yaml" in loaded and "rules.yaml" in loaded:
        problems += _unknown_limit_categories(config_dir / "rules.yaml", loaded["rules.yaml"], loaded["lexicons.yaml"])
    return problems


def _unknown_limit_categories(path: Path, rules, lexicon) -> list[str]:
    """A line on a category the lexicon never names would never be crossed: say so instead."""
    from voc_stream.rules.settings import NEGATIVE

    known = {category.name for category in lexicon.categories} | {NEGATIVE}
    return [
        f"{path}: share_limit.limits.{index}.category: {limit.category!r} is no category of lexicons.yaml "
        f"(nor {NEGATIVE!r})"
        for index, limit in enumerate(rules.share_limit.limits)
        if limit.category not in known
    ]


def _check_routing(path: Path) -> None:
    from voc_stream.notify import load_routing

    routing = load_routing(path)
    issues = routing.reference_problems()
    if issues:
        raise ConfigError(path, issues)


def _model_problems(load: Callable[[], object], variable: str) -> list[str]:
    """A model named by ``variable`` must load, or the worker will not start."""
    try:
        load()
    except ConfigError as exc:
        return [f"{line} ({variable})" for line in str(exc).splitlines()]
    return []


def cmd_check_config(args: argparse.Namespace) -> int:
    from voc_stream.settings import Settings

    settings = Settings()
    config_dir = Path(args.dir) if args.dir else settings.config_dir
    if not config_dir.is_dir():
        _err(f"{config_dir}: not a directory")
        return 2
    problems = check_config(config_dir)
    if settings.sentiment_model is not None:
        from voc_stream.text import SentimentModel

        problems.extend(_model_problems(lambda: SentimentModel.load(settings.sentiment_model), "VOC_SENTIMENT_MODEL"))
    if settings.category_model is not None:
        from voc_stream.text.analyzer import load_category_model

        problems.extend(_model_problems(lambda: load_category_model(settings.category_model), "VOC_CATEGORY_MODEL"))
    for line in problems:
        print(line)
    if problems:
        _err(f"{len(problems)} problem(s) in {config_dir}")
        return 1
    print(f"{config_dir}: ok")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from voc_stream.demo import run_demo

    try:
        return run_demo(rate=args.rate, seed=args.seed, partitions=args.partitions, keep_running=args.keep_running)
    except (RuntimeError, TimeoutError) as exc:
        _err(f"voc-stream demo: {exc}")
        return 1


# -- parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voc-stream",
        description="Risk early warning over Chinese customer feedback: Kafka in, evidence-backed alerts out.",
    )
    parser.add_argument("--version", action="version", version=f"voc-stream {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="the whole service on one machine with a generated stream; alerts shown as they fire")
    p.add_argument("--rate", type=float, default=800.0, help="events per second to send (default 800)")
    p.add_argument("--seed", type=int, default=7, help="seed of the generated stream")
    p.add_argument("--partitions", type=int, default=1, help="partitions per topic (default 1: the demo compresses days into minutes, and one partition keeps event-time order exact)")
    p.add_argument("--keep-running", action="store_true", help="keep the broker and worker up after the stream ends")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("broker", help="an embedded Kafka-protocol broker on 127.0.0.1")
    p.add_argument("--port", type=int, default=9092)
    p.set_defaults(func=cmd_broker)

    p = sub.add_parser("worker", help="the stream processors, against the broker in VOC_BROKER")
    p.add_argument("--loglevel", choices=["crit", "error", "warn", "info", "debug"], default=None)
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("produce", help="send events from a JSONL file to the raw topic")
    p.add_argument("file", metavar="FILE.jsonl")
    p.add_argument("--rate", type=float, default=None, help="events per second (default: as fast as possible)")
    p.add_argument("--topic", default=None, help="topic (default: VOC_TOPIC_RAW, voc.feedback.raw)")
    p.set_defaults(func=cmd_produce)

    p = sub.add_parser("backtest", help="the worker's rules and detectors over a file, no broker")
    p.add_argument("events", metavar="EVENTS.jsonl")
    p.add_argument("--out", required=True, metavar="ALERTS.jsonl")
    p.add_argument("--deadletter", default=None, metavar="FILE.jsonl", help="write invalid events here with reasons")
    p.add_argument("--config", default=None, metavar="DIR", help="configuration folder (default VOC_CONFIG_DIR)")
    p.set_defaults(func=cmd_backtest)

    p = sub.add_parser("score-series", help="the default rate detector over a timestamp,value CSV")
    p.add_argument("input", metavar="IN.csv")
    p.add_argument("output", metavar="OUT.csv")
    p.set_defaults(func=cmd_score_series)

    p = sub.add_parser("analyze", help="masked text, tokens, sentiment and categories for text lines or event JSONL")
    p.add_argument("file", nargs="?", default=None, metavar="FILE", help="input (default: standard input)")
    p.add_argument("--config", default=None, metavar="DIR")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("check-config", help="validate the configuration; non-zero exit with file and field of each error")
    p.add_argument("dir", nargs="?", default=None, metavar="DIR")
    p.set_defaults(func=cmd_check_config)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    logging.basicConfig(level=os.environ.get("VOC_LOG_LEVEL", "WARNING").upper(), format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except ConfigError as exc:
        _err(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
