"""The README documents what the code does: every setting and every command."""

from __future__ import annotations

import re
from pathlib import Path

from voc_stream.cli import build_parser
from voc_stream.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for name in Settings.model_fields:
        assert f"VOC_{name.upper()}" in README, f"VOC_{name.upper()} missing from the README"


def test_every_command_is_documented():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for command in sub.choices:
        assert f"voc-stream {command}" in README, command


def test_quick_start_test_command_is_what_ci_runs():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"^    (python3 -m venv .*python -m pytest)$", README, re.M).group(1)
    assert command in ci
