"""Kubernetes manifests: probes on the worker's endpoints, config, secrets and lag-based scaling."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml
from prometheus_client import CollectorRegistry

from voc_stream.metrics import Metrics
from voc_stream.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"


def load_documents() -> dict[tuple[str, str], dict]:
    documents = {}
    for path in sorted(K8S.glob("*.yaml")):
        if path.name in {"kustomization.yaml", "prometheus-adapter-values.yaml", "prometheus-scrape.yaml"}:
            continue
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document:
                documents[(document["kind"], document["metadata"]["name"])] = document
    return documents


@pytest.fixture(scope="module")
def docs() -> dict[tuple[str, str], dict]:
    return load_documents()


@pytest.fixture(scope="module")
def worker(docs: dict) -> dict:
    return docs[("Deployment", "voc-stream")]["spec"]["template"]["spec"]["containers"][0]


def env_of(container: dict) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container["env"]}


def test_probes_use_the_worker_endpoints_on_its_web_port(worker: dict) -> None:
    port = int(env_of(worker)["VOC_WEB_PORT"])
    assert port == Settings.model_fields["web_port"].default == 6066
    named = {p["name"]: p["containerPort"] for p in worker["ports"]}
    assert named["http"] == port
    assert worker["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert worker["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert worker["args"] == ["worker"]


def test_config_and_secrets_are_wired(docs: dict, worker: dict) -> None:
    spec = docs[("Deployment", "voc-stream")]["spec"]["template"]["spec"]
    volumes = {volume["name"]: volume for volume in spec["volumes"]}
    mounts = {mount["mountPath"]: mount["name"] for mount in worker["volumeMounts"]}
    config_volume = volumes[mounts[env_of(worker)["VOC_CONFIG_DIR"]]]
    assert ("ConfigMap", config_volume["configMap"]["name"]) in docs
    assert env_of(worker)["VOC_DATA_DIR"] in mounts
    secret_names = {source["secretRef"]["name"] for source in worker["envFrom"]}
    assert {("Secret", name) for name in secret_names} <= set(docs)
    assert spec["securityContext"]["runAsNonRoot"] is True


def test_secret_holds_every_variable_the_routing_config_names(docs: dict) -> None:
    routing = yaml.safe_load((ROOT / "config" / "routing.yaml").read_text(encoding="utf-8"))
    wanted = {
        value
        for receiver in routing["receivers"]
        for key, value in receiver.items()
        if key.endswith("_env")
    }
    secret = docs[("Secret", "voc-stream-secrets")]
    assert wanted and wanted <= set(secret["stringData"])
    assert all(value == "" for value in secret["stringData"].values()), "real secrets never go in git"


def test_configmap_is_rendered_from_the_current_config(docs: dict) -> None:
    spec = importlib.util.spec_from_file_location("render_configmap", K8S / "render_configmap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rendered = yaml.safe_load(module.render(ROOT / "config"))
    expected = {
        path.name: path.read_text(encoding="utf-8")
        for path in (ROOT / "config").iterdir()
        if path.is_file() and not path.name.startswith(".")
    }
    assert {"lexicons.yaml", "routing.yaml"} <= set(expected)
    assert rendered["data"] == expected
    checked_in = docs[("ConfigMap", "voc-stream-config")]["data"]
    assert checked_in == expected, "config/ changed: python deploy/k8s/render_configmap.py > deploy/k8s/configmap.yaml"
    assert len(module.render(ROOT / "config").encode()) < 1_000_000, "a ConfigMap holds at most 1 MiB"


def test_autoscaler_scales_on_exported_lag_up_to_the_partition_count(docs: dict, worker: dict) -> None:
    hpa = docs[("HorizontalPodAutoscaler", "voc-stream")]["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "voc-stream"}
    assert hpa["maxReplicas"] <= int(env_of(worker)["VOC_PARTITIONS"])
    metric = hpa["metrics"][0]["external"]["metric"]
    assert metric["name"] in Metrics(registry=CollectorRegistry()).metric_names()
    assert metric["selector"]["matchLabels"]["topic"] == Settings.model_fields["topic_raw"].default
    adapter = yaml.safe_load((K8S / "prometheus-adapter-values.yaml").read_text(encoding="utf-8"))
    assert adapter["rules"]["external"][0]["name"]["as"] == metric["name"]


def test_service_selects_the_worker_pods(docs: dict) -> None:
    service = docs[("Service", "voc-stream")]["spec"]
    labels = docs[("Deployment", "voc-stream")]["spec"]["template"]["metadata"]["labels"]
    assert service["selector"].items() <= labels.items()
    assert service["ports"][0]["targetPort"] == "http"


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    for resource in kustomization["resources"]:
        assert (K8S / resource).is_file(), resource
    assert {"deployment.yaml", "configmap.yaml", "secret.yaml", "hpa.yaml"} <= set(kustomization["resources"])
