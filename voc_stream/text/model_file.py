"""Reading a model file: the one shipped in the package, or one a user names.

A model that does not load must stop the worker at start with the file named, so every
failure becomes a ``ConfigError`` saying which model and which script writes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TypeVar

from voc_stream.config import ConfigError

Model = TypeVar("Model")


def load_model_file(path: Path | None, shipped: str, kind: str, script: str, parse: Callable[[dict], Model]) -> Model:
    """``parse`` of the JSON at ``path``, or of ``voc_stream/data/<shipped>`` when ``path`` is None."""
    if path is None:
        return parse(json.loads(resources.files("voc_stream").joinpath("data", shipped).read_text(encoding="utf-8")))
    try:
        return parse(json.loads(Path(path).read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ConfigError(path, [("(file)", f"{kind} not found")]) from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc).splitlines()[0]
        raise ConfigError(path, [("(file)", f"not a {kind} written by {script}: {detail}")]) from None
