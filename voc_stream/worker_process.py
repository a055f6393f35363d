"""``voc-stream worker`` as a child process, watched over its own HTTP endpoints.

The demo runs one; the tests run many (and restart them). Both need the same
things: start it, wait for ``/readyz``, read its counters, see why it died, stop it.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path


class WorkerProcess:
    """One worker process with the given environment, logging to ``log_path``."""

    def __init__(self, env: Mapping[str, str], log_path: Path, web_port: int) -> None:
        self.env = dict(env)
        self.log_path = log_path
        self.web_port = web_port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> "WorkerProcess":
        """Start it and wait until ``/readyz`` answers 200; a worker that dies says why."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "voc_stream.cli", "worker", "--loglevel", "warn"],
            env=self.env,
            stdout=open(self.log_path, "wb"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a terminal's Ctrl-C reaches the parent, which stops it cleanly
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited with code {self.process.returncode}:\n{self.log_tail()}")
            if self.get("/readyz") is not None:
                return self
            time.sleep(0.3)
        raise TimeoutError(f"the worker was not ready after {timeout:.0f}s:\n{self.log_tail()}")

    def get(self, path: str) -> str | None:
        """The body of a 200 answer from the worker's HTTP endpoint, else None."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}{path}", timeout=5) as response:
                return response.read().decode() if response.status == 200 else None
        except OSError:
            return None

    def metrics(self) -> str:
        return self.get("/metrics") or ""

    def metric_total(self, *names: str) -> float:
        """Sum of every sample of the named metrics (all label sets) on ``/metrics``."""
        prefixes = tuple(f"{name}{{" for name in names) + tuple(f"{name} " for name in names)
        return sum(float(line.rsplit(" ", 1)[1]) for line in self.metrics().splitlines() if line.startswith(prefixes))

    def log_tail(self, lines: int = 15) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").strip().splitlines()[-lines:])

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM, so Faust commits and leaves the group; SIGKILL if it does not go."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
