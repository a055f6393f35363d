"""Pieces of the worker that must hold exactly: state encoding and key-to-partition mapping."""

from __future__ import annotations

import os
import pickle

import pytest
from aiokafka.partitioner import DefaultPartitioner

from topologies.worker import partition_of
from voc_stream import state_codec
from voc_stream.rules.monitor import KeyMonitor
from voc_stream.rules.settings import RuleSettings


def test_state_round_trips_through_the_changelog_codec():
    monitor = KeyMonitor(RuleSettings(), 300.0)
    state = monitor.new_state()
    state.volume.add(1_772_300_000.0)
    restored = state_codec.loads(state_codec.dumps(state))
    assert restored == state


class Evil:
    def __reduce__(self):
        return (os.system, ("echo should-never-run",))


def test_the_codec_refuses_classes_outside_the_project():
    with pytest.raises(pickle.UnpicklingError):
        state_codec.loads(pickle.dumps(Evil()))


@pytest.mark.parametrize("partitions", [1, 2, 3, 8])
def test_partition_of_matches_the_producer_partitioner(partitions):
    partitioner = DefaultPartitioner()
    everything = list(range(partitions))
    for key in ["keyword_spike|广东", "negative_burst|store|GZ-TH-001", "emerging_term|征信修复费", "x"]:
        assert partition_of(key, partitions) == partitioner(key.encode(), everything, everything)


def test_open_incidents_rank_stores_and_forget_resolved_ones():
    from datetime import datetime, timedelta, timezone

    from topologies.worker import OpenIncidents
    from voc_stream.alerts import Alert

    at = datetime(2026, 3, 1, tzinfo=timezone(timedelta(hours=8)))

    def alert(store: str, observed: float, status: str = "firing") -> Alert:
        return Alert(
            alert_id=f"nb-{store}", rule="negative_burst", status=status, severity="warning",
            subject={"store_id": store}, fired_at=at, window_start=at, window_end=at,
            observed=observed, expected=2.0, score=0.999, summary="", runbook_url="deploy/runbooks/negative_burst.md",
        )

    top = OpenIncidents(size=2)
    for store, observed in [("A", 10), ("B", 30), ("C", 20)]:
        top.update(alert(store, observed))
    assert [s for s, _ in top.ranking("store")] == ["B", "C"]
    top.update(alert("B", 30, status="resolved"))
    assert [s for s, _ in top.ranking("store")] == ["C", "A"]
    assert top.ranking("merchant") == []


@pytest.mark.parametrize(("setting", "producer"), [("zstd", "zstd"), ("lz4", "lz4"), ("none", None)])
def test_the_worker_compresses_what_it_writes_as_configured(setting, producer, tmp_path):
    from topologies.worker import build_app
    from voc_stream.settings import Settings

    settings = Settings(producer_compression=setting, web_port=0, data_dir=tmp_path)
    assert build_app(settings).conf.producer_compression_type == producer
