"""How many bytes the detector-state changelog takes with each producer compression.

Every key a batch of events touches is written to the changelog once per batch,
whole. This runs the rules over a generated stream exactly as ``backtest`` does,
with the worker's write-behind store flushed after every 512 events (the worker
flushes after every 500 routed messages, so it writes at least as often), and
encodes each write with the state codec. The writes are cut into producer batches
of up to 16 KiB in write order (aiokafka's default ``max_batch_size``) and each
batch is compressed with aiokafka's own codec functions, the ones its producer
calls. Reports bytes per event and the codec's CPU time per message, and the
same for the state left at the end (what a recovering worker reads once the topic
is compacted). Writes the "Changelog compression" section of BENCHMARKS.md.

    python benchmarks/changelog_compression.py [--stream demo|benchmark] [--no-write]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from aiokafka import codec

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import SHARED, publish  # noqa: E402

from voc_stream.backtest import BacktestReport, run_backtest  # noqa: E402
from voc_stream.batched_store import BatchedStore  # noqa: E402
from voc_stream.service import load_components  # noqa: E402
from voc_stream.simulate import ScenarioSpec, generate  # noqa: E402
from voc_stream.state_codec import dumps  # noqa: E402

COMMAND = "python benchmarks/changelog_compression.py"
PRODUCER_BATCH = 16384
CODECS: dict[str, Callable[[bytes], bytes]] = {
    "none": lambda data: data,
    "gzip": codec.gzip_encode,
    "lz4": codec.lz4_encode,
    "zstd": codec.zstd_encode,
}


class CompressedSize:
    """Messages cut into producer batches; each codec's bytes and CPU time over all of them."""

    def __init__(self) -> None:
        self.messages = 0
        self.batch: list[bytes] = []
        self.batch_bytes = 0
        self.bytes = dict.fromkeys(CODECS, 0)
        self.seconds = dict.fromkeys(CODECS, 0.0)
        self.encode_seconds = 0.0  # the state codec's own (pickle), for scale

    def add(self, message: bytes) -> None:
        if self.batch and self.batch_bytes + len(message) > PRODUCER_BATCH:
            self.close_batch()
        self.batch.append(message)
        self.batch_bytes += len(message)
        self.messages += 1

    def close_batch(self) -> None:
        if not self.batch:
            return
        data = b"".join(self.batch)
        for name, encode in CODECS.items():
            started = time.process_time()
            self.bytes[name] += len(encode(data))
            self.seconds[name] += time.process_time() - started
        self.batch, self.batch_bytes = [], 0


class RecordingTable(dict):
    """A table stand-in that encodes every write as the changelog would."""

    def __init__(self, sizes: CompressedSize) -> None:
        super().__init__()
        self.sizes = sizes

    def __setitem__(self, key: str, value) -> None:
        started = time.process_time()
        message = key.encode("utf-8") + dumps(value)
        self.sizes.encode_seconds += time.process_time() - started
        self.sizes.add(message)
        super().__setitem__(key, value)


def measure(stream_name: str) -> tuple[int, CompressedSize, CompressedSize]:
    spec = ScenarioSpec.benchmark() if stream_name == "benchmark" else ScenarioSpec.demo()
    stream = generate(spec, seed=7, shared_dir=SHARED if SHARED.exists() else None)
    writes = CompressedSize()
    store = BatchedStore(RecordingTable(writes))
    report = BacktestReport(state=store)
    run_backtest(stream.events, components=load_components(), report=report, progress=lambda _: store.flush())
    store.flush()
    writes.close_batch()
    final = CompressedSize()
    for key, value in store.backing.items():
        final.add(key.encode("utf-8") + dumps(value))
    final.close_batch()
    return report.events, writes, final


def table(events: int, writes: CompressedSize, final: CompressedSize) -> list[str]:
    lines = ["| compression | written per event | of uncompressed | CPU per message | CPU per event | state at the end |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name in CODECS:
        per_event = writes.bytes[name] / events
        share = writes.bytes[name] / writes.bytes["none"]
        micros = writes.seconds[name] / writes.messages * 1e6
        lines.append(f"| {name} | {per_event / 1024:.1f} KiB | {share:.3f} | {micros:.1f} us | "
                     f"{writes.seconds[name] / events * 1e6:.1f} us | {final.bytes[name] / 1e6:.1f} MB |")
    encode = writes.encode_seconds
    lines += ["", f"For scale: encoding the states themselves (pickle) took {encode / writes.messages * 1e6:.1f} us a "
              f"message, {encode / events * 1e6:.1f} us an event."]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stream", choices=("demo", "benchmark"), default="demo",
                        help="the demo's 2.5 days (default) or the scenario benchmark's 10 days, seed 7")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    started = time.time()
    events, writes, final = measure(args.stream)
    body = [
        f"Command: `{COMMAND} --stream {args.stream}`.", "",
        f"The {args.stream} stream (seed 7, {events:,} events) through the rules as `backtest` runs them; "
        f"{writes.messages:,} changelog writes (every key a batch touched, whole), "
        f"{final.messages:,} keys at the end. Each codec is aiokafka's own, over producer batches of up to 16 KiB.",
        "", *table(events, writes, final), "",
        "The worker compresses with zstd by default (`VOC_PRODUCER_COMPRESSION`); the same codec also "
        "shrinks the enriched and routed topics, which carry each event as JSON. gzip is aiokafka's level 9.",
        f"Run time {time.time() - started:.0f} s.",
    ]
    publish("Changelog compression", "\n".join(body), write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
