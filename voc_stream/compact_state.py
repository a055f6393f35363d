"""Pickle a state dataclass as its field values alone, not as a dict of field names and values.

Every detector key is pickled on its own for the state changelog, so pickle's
default for a slots class (a dict naming every field) repeats the same names in
every message: about a third of a quiet key's bytes. Values in field order carry the
same information. State written in the older form still loads.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


def compact_state(cls: T) -> T:
    """Class decorator (outside ``@dataclass(slots=True)``): pickled state is a list of field values."""
    specs = tuple(fields(cls))

    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, spec.name) for spec in specs]

    def __setstate__(self: Any, state: Any) -> None:
        if isinstance(state, tuple):  # the older form: (None, {field name: value})
            named = state[1] or {}
            values = [named.get(spec.name, MISSING) for spec in specs]
        else:
            values = list(state) + [MISSING] * (len(specs) - len(state))
        for spec, value in zip(specs, values):
            if value is MISSING:  # a field newer than the state: its default
                value = spec.default if spec.default_factory is MISSING else spec.default_factory()
            object.__setattr__(self, spec.name, value)

    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__
    return cls
