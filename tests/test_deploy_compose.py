"""docker-compose.yml: the services it promises, and every file it mounts exists."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def test_services(compose: dict) -> None:
    assert {"kafka", "worker", "prometheus", "grafana", "alertmanager"} <= set(compose["services"])


def test_kafka_runs_in_kraft_mode(compose: dict) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "KAFKA_ZOOKEEPER_CONNECT" not in env
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{env['KAFKA_NODE_ID']}@kafka:")


def test_worker_is_built_here_and_points_at_kafka(compose: dict) -> None:
    worker = compose["services"]["worker"]
    dockerfile = (DEPLOY / worker["build"]["context"] / worker["build"]["dockerfile"]).resolve()
    assert dockerfile == ROOT / "Dockerfile" and dockerfile.is_file()
    env = worker["environment"]
    assert env["VOC_BROKER"] == "kafka://kafka:9092"
    assert f"{env['VOC_WEB_PORT']}:{env['VOC_WEB_PORT']}" in worker["ports"]
    assert "/readyz" in " ".join(worker["healthcheck"]["test"])


def test_prometheus_scrapes_the_worker_port(compose: dict) -> None:
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text(encoding="utf-8"))
    job = next(job for job in config["scrape_configs"] if job["job_name"] == "voc-stream")
    port = compose["services"]["worker"]["environment"]["VOC_WEB_PORT"]
    assert job["static_configs"][0]["targets"] == [f"worker:{port}"]
    assert job["metrics_path"] == "/metrics"


def test_every_bind_mount_exists(compose: dict) -> None:
    named = set(compose.get("volumes", {}))
    checked = 0
    for name, service in compose["services"].items():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if source in named:
                continue
            assert (DEPLOY / source).exists(), f"{name}: {source} does not exist"
            checked += 1
    assert checked >= 5


def test_prometheus_rule_mount_matches_rule_files(compose: dict) -> None:
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text(encoding="utf-8"))
    mounts = dict(mount.split(":")[:2] for mount in compose["services"]["prometheus"]["volumes"])
    assert mounts["./prometheus/rules"] == "/etc/prometheus/rules"
    assert mounts["./prometheus/prometheus.yml"] == "/etc/prometheus/prometheus.yml"
    assert config["rule_files"] == ["rules/*.yml"]


def test_alertmanager_config_is_valid() -> None:
    amtool = shutil.which("amtool")
    if amtool is None:
        pytest.skip("amtool is not installed (apt-get install -y prometheus-alertmanager)")
    path = DEPLOY / "alertmanager" / "alertmanager.yml"
    result = subprocess.run([amtool, "check-config", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_the_worker_as_a_non_root_user() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    froms = [line for line in instructions if line.startswith("FROM ")]
    assert froms and all(line.split()[1] == "python:3.11-slim" for line in froms)
    assert any("pip install ." in line for line in instructions)
    assert "COPY config /app/config" in instructions
    assert "VOC_CONFIG_DIR=/app/config" in " ".join(lines)
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert instructions[-2:] == ['ENTRYPOINT ["voc-stream"]', 'CMD ["worker"]']


def test_dockerignore_keeps_what_the_build_copies() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()}
    copied = {"pyproject.toml", "voc_stream", "topologies", "config"}
    assert not copied & ignored
    assert "!README.md" in ignored and ".venv" in ignored
    for name in copied:
        assert (ROOT / name).exists(), name
