"""The command line as a user meets it: each command on real files, errors that say what is wrong."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.streams import START, WARM_HOURS, fraud_burst, history
from voc_stream.settings import default_config_dir

CONFIG = default_config_dir()


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voc_stream.cli", *args], input=stdin, capture_output=True, text=True, timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_help_lists_every_contract_command():
    result = run("--help")
    assert result.returncode == 0
    for command in ("demo", "broker", "worker", "produce", "backtest", "score-series", "analyze", "check-config"):
        assert command in result.stdout


def test_analyze_masks_tokenizes_scores_and_matches():
    text = "刹车异响很严重,4S店说是正常现象,客服电话 13812341234 一直打不通\n"
    event = json.dumps({"event_id": "e1", "ts": 0, "channel": "weibo", "text": "这家店太棒了,非常满意"}, ensure_ascii=False)
    result = run("analyze", stdin=text + event + "\n")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert "13812341234" not in first["text_masked"] and "138****1234" in first["text_masked"]
    assert "刹车异响" in first["categories"]
    assert first["tokens"] and 0.0 <= first["sentiment"] <= 1.0
    assert second["event_id"] == "e1" and second["sentiment"] > first["sentiment"]


def test_analyze_reads_a_plain_inquiry_by_its_channel_as_the_worker_does():
    lines = [json.dumps({"event_id": e, "ts": 0, "channel": c, "text": "请问能开发票吗"}, ensure_ascii=False)
             for e, c in (("h", "hotline"), ("d", "dianping"))]
    result = run("analyze", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    hotline, review = (json.loads(line) for line in result.stdout.splitlines())
    assert hotline["sentiment"] == 0.5 and review["sentiment"] < 0.4


def test_analyze_uses_the_sentiment_model_named_by_voc_sentiment_model(tmp_path: Path):
    """An adapted model replaces the shipped one without code; the shipped one would read 太差了 negative."""
    from voc_stream.text import SentimentModel

    SentimentModel({"差": 6.0}, 0.0).save(tmp_path / "adapted.json")
    result = run("analyze", stdin="太差了\n", env={"VOC_SENTIMENT_MODEL": str(tmp_path / "adapted.json")})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sentiment"] > 0.9
    shipped = run("analyze", stdin="太差了\n")
    assert json.loads(shipped.stdout)["sentiment"] < 0.5


def test_a_bad_sentiment_model_is_named_by_check_config_analyze_and_worker(tmp_path: Path):
    (tmp_path / "model.json").write_text('{"bias": 0}', encoding="utf-8")
    env = {"VOC_SENTIMENT_MODEL": str(tmp_path / "model.json"), "VOC_BROKER": "kafka://127.0.0.1:1"}
    checked = run("check-config", str(CONFIG), env=env)
    assert checked.returncode == 1
    assert f"{tmp_path / 'model.json'}: (file): not a sentiment model" in checked.stdout
    assert "missing field 'weights' (VOC_SENTIMENT_MODEL)" in checked.stdout
    for command in (["analyze"], ["worker"]):  # the worker says so before it looks for a broker
        result = run(*command, stdin="好\n", env=env)
        assert result.returncode == 1 and "not a sentiment model" in result.stderr
        assert "Traceback" not in result.stderr
    missing = run("analyze", stdin="好\n", env={"VOC_SENTIMENT_MODEL": str(tmp_path / "nope.json")})
    assert missing.returncode == 1 and "sentiment model not found" in missing.stderr


def test_backtest_writes_contract_alerts_and_counts_invalid_lines(tmp_path: Path):
    events = history(hours=WARM_HOURS, per_hour=40, merchant="M-CLI") + fraud_burst(
        "M-CLI", count=6, at=START + timedelta(hours=WARM_HOURS)
    )
    path = tmp_path / "events.jsonl"
    lines = [json.dumps(e, ensure_ascii=False) for e in events] + ["not json", '{"event_id": "x", "text": "电话13812345678"}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, rejects = tmp_path / "alerts.jsonl", tmp_path / "rejects.jsonl"
    result = run("backtest", str(path), "--out", str(out), "--deadletter", str(rejects))
    assert result.returncode == 0, result.stderr
    alerts = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert any(a["rule"] == "fraud_pattern" and a["subject"].get("merchant_id") == "M-CLI" for a in alerts)
    reasons = sorted(json.loads(line)["reason"] for line in rejects.read_text(encoding="utf-8").splitlines())
    assert reasons == ["bad_json", "missing_field"]
    assert "13812345678" not in rejects.read_text(encoding="utf-8")  # rejected lines are masked too
    assert "2 invalid" in result.stderr


def test_backtest_of_a_missing_file_is_a_clear_error(tmp_path: Path):
    result = run("backtest", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "a.jsonl"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_check_config_accepts_the_shipped_configuration():
    result = run("check-config", str(CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok" in result.stdout


def test_check_config_names_file_and_field_of_each_error(tmp_path: Path):
    broken = tmp_path / "config"
    shutil.copytree(CONFIG, broken)
    (broken / "rules.yaml").write_text("keyword_spike:\n  surprize: 3\nbucket_minutes: -1\n", encoding="utf-8")
    result = run("check-config", str(broken))
    assert result.returncode == 1
    assert f"{broken / 'rules.yaml'}: keyword_spike.surprize:" in result.stdout
    assert f"{broken / 'rules.yaml'}: bucket_minutes:" in result.stdout


def test_check_config_names_a_share_limit_on_a_category_no_lexicon_has(tmp_path: Path):
    broken = tmp_path / "config"
    shutil.copytree(CONFIG, broken)
    (broken / "rules.yaml").write_text(
        "share_limit:\n  limits:\n    - {category: 好评反现, scope: merchant, max_share: 0.02}\n", encoding="utf-8"
    )
    result = run("check-config", str(broken))
    assert result.returncode == 1
    assert "share_limit.limits.0.category: '好评反现' is no category of lexicons.yaml" in result.stdout


def test_score_series_scores_each_row(tmp_path: Path):
    source = tmp_path / "in.csv"
    rows = ["timestamp,value"] + [f"2026-03-01 00:{m:02d}:00,{10 + (m % 3)}" for m in range(50)] + ["2026-03-01 00:50:00,400"]
    source.write_text("\n".join(rows) + "\n")
    result = run("score-series", str(source), str(tmp_path / "out.csv"))
    assert result.returncode == 0, result.stderr
    out = (tmp_path / "out.csv").read_text().splitlines()
    assert out[0] == "timestamp,value,anomaly_score" and len(out) == len(rows)
    scores = [float(line.rsplit(",", 1)[1]) for line in out[1:]]
    assert scores[-1] == max(scores) and scores[-1] > 0.5


@pytest.mark.broker
def test_broker_command_serves_and_stops_its_broker_on_sigterm():
    import signal
    import socket

    from voc_stream.broker import free_port

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "voc_stream.cli", "broker", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert "broker ready at kafka://127.0.0.1:" in process.stdout.readline()
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert "broker stopped" in process.stdout.read()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        if process.poll() is None:
            process.kill()
