"""Grafana dashboards and their provisioning: every query names metrics the worker exports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from prometheus_client import CollectorRegistry

from voc_stream.metrics import Metrics

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
PROVISIONING = DEPLOY / "grafana" / "provisioning"

GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__interval": "1m", "$__range": "1h"}
PROMQL_KEYWORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "inf", "nan",
}


def promql_metric_names(expr: str) -> set[str]:
    """Metric names referenced by a PromQL expression (functions, labels and keywords excluded)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\$\{?\w+\}?", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.$])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?", text):
        name, is_call = match.group(1), match.group(2)
        if not is_call and name.lower() not in PROMQL_KEYWORDS:
            names.add(name)
    return names


def test_metric_name_extraction() -> None:
    expr = (
        'histogram_quantile(0.95, sum by (le, kind) (rate(voc_alert_latency_seconds_bucket{kind="ingest"}[5m])))'
        ' / on (job) group_left (instance) up{job="x"} and 1e3 > bool time() - foo offset 5m'
    )
    assert promql_metric_names(expr) == {"voc_alert_latency_seconds_bucket", "up", "foo"}
    assert promql_metric_names('sum(rate(a_total{x=~"$category"}[$__rate_interval])) * 60') == {"a_total"}


def panels(board: dict) -> list[dict]:
    found = []
    for panel in board["panels"]:
        found.append(panel)
        found.extend(panel.get("panels", []))
    return found


def prometheus_queries(board: dict) -> list[str]:
    queries = []
    for panel in panels(board):
        for target in panel.get("targets", []):
            if target.get("datasource", panel.get("datasource", {})).get("type") == "prometheus":
                queries.append(target["expr"])
    for variable in board.get("templating", {}).get("list", []):
        match = re.fullmatch(r"label_values\((\w+),\s*\w+\)", variable.get("definition", ""))
        if match:
            queries.append(match.group(1))
    return queries


def grafana_to_promql(expr: str) -> str:
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    return re.sub(r"\$\{?\w+\}?", ".*", expr)


def test_there_is_an_operations_and_a_business_dashboard() -> None:
    uids = {json.loads(path.read_text(encoding="utf-8"))["uid"] for path in DASHBOARDS}
    assert {"voc-ops", "voc-business"} <= uids
    assert len(uids) == len(DASHBOARDS)


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_every_query_uses_exported_metrics(path: Path) -> None:
    exported = Metrics(registry=CollectorRegistry()).metric_names()
    board = json.loads(path.read_text(encoding="utf-8"))
    queries = prometheus_queries(board)
    assert len(queries) >= 8
    for expr in queries:
        used = promql_metric_names(grafana_to_promql(expr))
        assert used, f"no metric in {expr!r}"
        assert used <= exported, f"{sorted(used - exported)} not exported by Metrics, in {expr!r}"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_panels_fit_the_grid_and_use_provisioned_datasources(path: Path) -> None:
    board = json.loads(path.read_text(encoding="utf-8"))
    datasource_uids = {
        source["uid"]
        for file in (PROVISIONING / "datasources").glob("*.yml")
        for source in yaml.safe_load(file.read_text(encoding="utf-8"))["datasources"]
    }
    ids = [panel["id"] for panel in panels(board)]
    assert len(ids) == len(set(ids))
    for panel in panels(board):
        grid = panel["gridPos"]
        assert 0 <= grid["x"] and grid["x"] + grid["w"] <= 24, panel["title"]
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] in datasource_uids, panel["title"]
            assert panel["targets"], panel["title"]


def test_dashboard_provider_points_at_the_mounted_folder() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    mounts = compose["services"]["grafana"]["volumes"]
    providers = yaml.safe_load((PROVISIONING / "dashboards" / "voc-stream.yml").read_text(encoding="utf-8"))
    path = providers["providers"][0]["options"]["path"]
    assert any(mount.startswith("./grafana/dashboards:") and mount.split(":")[1] == path for mount in mounts)


def test_every_query_is_valid_promql(tmp_path: Path) -> None:
    """promtool parses each dashboard query as a recording rule."""
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (apt-get install -y prometheus)")
    rules = []
    for path in DASHBOARDS:
        board = json.loads(path.read_text(encoding="utf-8"))
        for index, expr in enumerate(prometheus_queries(board)):
            record = f"dashboard:{path.stem.replace('-', '_')}:{index}"
            rules.append({"record": record, "expr": grafana_to_promql(expr)})
    rule_file = tmp_path / "dashboard_queries.yml"
    rule_file.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}), encoding="utf-8")
    result = subprocess.run([promtool, "check", "rules", str(rule_file)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(rules)} rules found" in result.stdout
