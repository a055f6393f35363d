"""Runtime settings from ``VOC_*`` environment variables (CONTRACTS.md §3).

Frozen and typed: every default lives here, nowhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent


def default_config_dir() -> Path:
    """The project's ``config/``: beside the package in a checkout, else bundled with it."""
    for candidate in (PACKAGE_DIR.parent / "config", PACKAGE_DIR / "data" / "config"):
        if (candidate / "lexicons.yaml").is_file():
            return candidate
    return Path("config")


class Settings(BaseSettings):
    """All knobs of the worker; set any of them as ``VOC_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="VOC_", frozen=True, extra="ignore")

    broker: str = Field("kafka://127.0.0.1:9092", description="Kafka bootstrap URL(s), `kafka://host:port`")
    config_dir: Path = Field(default_factory=default_config_dir, description="folder of the YAML configuration")
    sentiment_model: Path | None = Field(
        None, description="sentiment model JSON, e.g. one adapted to your feedback by scripts/train_sentiment.py --adapt; "
        "default: the model shipped with the package"
    )
    category_model: str | None = Field(
        None, description="category model JSON written by scripts/train_categories.py, or `off` for the lexicon alone; "
        "default: the model shipped with the package"
    )
    app_id: str = Field("voc-stream", description="Faust application id (consumer group and changelog prefix)")
    topic_raw: str = "voc.feedback.raw"
    topic_enriched: str = "voc.feedback.enriched"
    topic_alerts: str = "voc.alerts"
    topic_deadletter: str = "voc.deadletter"
    topic_routed: str = Field("voc.detect.routed", description="internal: enriched events keyed by detector key")
    topic_detected: str = Field(
        "voc.detect.alerts", description="internal: alerts as the rules raise them, before echoes are linked (one partition)"
    )
    producer_compression: Literal["zstd", "lz4", "gzip", "none"] = Field(
        "zstd", description="how the worker compresses what it writes to Kafka (changelogs, internal topics, alerts); "
        "`none` for brokers or downstream consumers without zstd (Kafka before 2.1)"
    )
    partitions: int = Field(4, ge=1, description="partitions of the topics the worker creates")
    replication: int = Field(1, ge=1)
    data_dir: Path = Field(Path("voc-stream-data"), description="worker-local state folder")
    web_port: int = Field(6066, ge=0, le=65535, description="HTTP port for /metrics, /healthz, /readyz")
    web_host: str = "0.0.0.0"
    notify: bool = Field(True, description="run the notifier agents in this worker")
    session_timeout_seconds: float = Field(10.0, gt=0, description="consumer group session timeout: how soon a dead worker's partitions move")
    heartbeat_seconds: float = Field(2.0, gt=0, description="consumer group heartbeat interval")
    rebalance_timeout_seconds: float = Field(8.0, gt=0, description="how long a rebalance waits for members to rejoin")
    dedup_retention_hours: float = Field(72.0, gt=0, description="how long an event_id is remembered")
    smtp_password: SecretStr | None = Field(None, description="SMTP password for the email notifier")
    log_level: str = "info"

    @property
    def topic_partitions(self) -> dict[str, int]:
        """Every topic the worker reads or writes, with its partitions: one for the echo linker, which sees every alert."""
        names = (self.topic_raw, self.topic_enriched, self.topic_routed, self.topic_alerts, self.topic_deadletter)
        return {**{name: self.partitions for name in names}, self.topic_detected: 1}

    @property
    def broker_servers(self) -> str:
        """``host:port[,host:port]`` for the plain Kafka clients."""
        return ",".join(url.split("://", 1)[-1].rstrip("/") for url in self.broker.split(";"))
