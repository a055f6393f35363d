"""Fixtures shared by the suite: the real embedded broker, worker processes, the shared datasets."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from voc_stream.broker import EmbeddedBroker, free_port

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


class WorkerProcess:
    """``voc-stream worker`` in a subprocess, as an operator runs it."""

    def __init__(self, broker: EmbeddedBroker, workdir: Path, *, app_id: str | None = None, partitions: int = 2,
                 env: dict[str, str] | None = None, topic_prefix: str | None = None) -> None:
        self.app_id = app_id or f"voc-test-{uuid.uuid4().hex[:8]}"
        self.prefix = topic_prefix or self.app_id
        self.web_port = free_port()
        self.workdir = workdir
        self.env = {
            **os.environ,
            "VOC_BROKER": broker.url,
            "VOC_APP_ID": self.app_id,
            "VOC_PARTITIONS": str(partitions),
            "VOC_WEB_PORT": str(self.web_port),
            "VOC_WEB_HOST": "127.0.0.1",
            "VOC_TOPIC_RAW": f"{self.prefix}.raw",
            "VOC_TOPIC_ENRICHED": f"{self.prefix}.enriched",
            "VOC_TOPIC_ROUTED": f"{self.prefix}.routed",
            "VOC_TOPIC_ALERTS": f"{self.prefix}.alerts",
            "VOC_TOPIC_DEADLETTER": f"{self.prefix}.deadletter",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.runs = 0

    def topic(self, name: str) -> str:
        return self.env[f"VOC_TOPIC_{name.upper()}"]

    def start(self, timeout: float = 90.0) -> "WorkerProcess":
        self.runs += 1
        env = {**self.env, "VOC_DATA_DIR": str(self.workdir / f"data-{self.runs}")}
        self.log_path = self.workdir / f"worker-{self.runs}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "voc_stream.cli", "worker", "--loglevel", "warn"],
            env=env,
            cwd=self.workdir,
            stdout=open(self.log_path, "wb"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.web_port}/readyz"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited ({self.process.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"worker not ready after {timeout}s:\n{self.log()}")

    def metrics(self) -> str:
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/metrics", timeout=5) as response:
            return response.read().decode()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture
def worker_factory(broker: EmbeddedBroker, tmp_path: Path):
    """Builds worker processes against the session broker; all are stopped afterwards."""
    made: list[WorkerProcess] = []

    def make(**kwargs) -> WorkerProcess:
        worker = WorkerProcess(broker, tmp_path, **kwargs)
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.stop()
