"""The one interface every rate detector speaks.

Modelled on river: ``__init__`` only stores its arguments, ``score_one`` looks
without touching, ``learn_one`` updates. Storing arguments verbatim is what lets
``clone()`` build a fresh, unfitted twin (one detector per key is then trivial).
"""

from __future__ import annotations

import abc
import inspect
from collections.abc import Iterable


class Detector(abc.ABC):
    """Scores a point against what it has learned, then learns it (score before learn)."""

    @abc.abstractmethod
    def score_one(self, x: float, t: float) -> float:
        """Anomaly score of ``x`` at epoch seconds ``t``, in [0, 1]; changes no state."""

    @abc.abstractmethod
    def learn_one(self, x: float, t: float) -> None:
        """Update the model with ``x`` at epoch seconds ``t``."""

    def score_learn_many(self, xs: Iterable[float], ts: Iterable[float]) -> list[float]:
        """Score each point, then learn it, in order; subclasses may do this faster."""
        scores = []
        for x, t in zip(xs, ts, strict=True):
            scores.append(self.score_one(x, t))
            self.learn_one(x, t)
        return scores

    def _get_params(self) -> dict[str, object]:
        names = [
            name
            for name, param in inspect.signature(type(self).__init__).parameters.items()
            if name != "self" and param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD)
        ]
        return {name: getattr(self, name) for name in names}

    def clone(self) -> Detector:
        """A fresh, unfitted copy built from the same constructor arguments."""
        return type(self)(**self._get_params())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._get_params().items())
        return f"{type(self).__name__}({args})"
