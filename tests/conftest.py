"""Fixtures shared by the suite: the real embedded broker, worker processes, the shared datasets."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from voc_stream.broker import EmbeddedBroker, free_port
from voc_stream.worker_process import WorkerProcess

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests that need its datasets skip without it."""
    if not (SHARED / "datasets").is_dir():
        pytest.skip(f"needs the shared datasets at {SHARED} (present in CI; absent in a plain clone)")
    return SHARED


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory):
    """A real Kafka-protocol broker (Tansu, memory storage) on a free loopback port."""
    log = tmp_path_factory.mktemp("broker") / "broker.log"
    with EmbeddedBroker(log_path=log) as running:
        yield running


class IsolatedWorker(WorkerProcess):
    """A worker with topics of its own; each start gets a fresh local folder, as a new pod would."""

    def __init__(self, broker: EmbeddedBroker, workdir: Path, *, app_id: str | None = None, partitions: int = 2,
                 env: dict[str, str] | None = None) -> None:
        self.app_id = app_id or f"voc-test-{uuid.uuid4().hex[:8]}"
        port = free_port()
        topics = {f"VOC_TOPIC_{name.upper()}": f"{self.app_id}.{name}" for name in ("raw", "enriched", "routed", "detected", "alerts", "deadletter")}
        super().__init__(
            {
                **os.environ,
                "VOC_BROKER": broker.url,
                "VOC_APP_ID": self.app_id,
                "VOC_PARTITIONS": str(partitions),
                "VOC_WEB_PORT": str(port),
                "VOC_WEB_HOST": "127.0.0.1",
                **topics,
                **(env or {}),
            },
            workdir / "worker.log",
            port,
        )
        self.workdir = workdir
        self.runs = 0

    def topic(self, name: str) -> str:
        return self.env[f"VOC_TOPIC_{name.upper()}"]

    def start(self, timeout: float = 90.0) -> "IsolatedWorker":
        self.runs += 1
        self.env["VOC_DATA_DIR"] = str(self.workdir / f"data-{self.runs}")
        self.log_path = self.workdir / f"worker-{self.runs}.log"
        super().start(timeout)
        return self

    def log(self) -> str:
        return self.log_tail(60)


@pytest.fixture
def worker_factory(broker: EmbeddedBroker, tmp_path: Path):
    """Builds worker processes against the session broker; all are stopped afterwards."""
    made: list[IsolatedWorker] = []

    def make(**kwargs) -> IsolatedWorker:
        worker = IsolatedWorker(broker, tmp_path, **kwargs)
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.stop()
