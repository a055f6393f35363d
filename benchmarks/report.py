"""Writes one section of BENCHMARKS.md (``## <title>``), leaving every other section alone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def write_section(title: str, body: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    heading = f"## {title}"
    text = f"{heading}\n\n{body.strip()}\n"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", flags=re.MULTILINE | re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def publish(title: str, body: str, write: bool) -> None:
    """Print a section and, unless ``write`` is off (``--no-write``), put it in BENCHMARKS.md."""
    print(body)
    if write:
        write_section(title, body)
