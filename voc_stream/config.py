"""Loading YAML configuration into strict pydantic models, with errors that name file and field.

Each component owns its model (lexicons, rules, routing); this module only loads
and reports. ``extra="forbid"`` on every model turns a typo into an error instead
of a silently ignored key.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class ConfigError(ValueError):
    """One or more problems in one configuration file."""

    def __init__(self, path: Path | str, problems: list[tuple[str, str]]) -> None:
        self.path = Path(path)
        self.problems = problems
        lines = [f"{self.path}: {field}: {message}" for field, message in problems]
        super().__init__("\n".join(lines))


def read_yaml(path: Path) -> object:
    """Parse a YAML file; a syntax error becomes a ConfigError naming line and column."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise ConfigError(path, [("(file)", "file not found")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else "(file)"
        raise ConfigError(path, [(where, str(getattr(exc, "problem", exc)))]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [("(file)", f"not UTF-8: {exc.reason}")]) from None


def load_model(path: Path, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model``; every problem is reported with its field path."""
    data = read_yaml(path)
    if data is None:
        data = {}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            (".".join(str(part) for part in error["loc"]) or "(top level)", error["msg"])
            for error in exc.errors()
        ]
        raise ConfigError(path, problems) from None
