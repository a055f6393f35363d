"""River's online anomaly models behind our ``Detector`` interface.

River's signatures shift between releases (dict features, ``score_one(x)`` with no
target, pipelines that learn only when told); this module is the one place that
knows about them. It exists as a yardstick next to the default detector and as a
way to try river's models on real series, not because it scores better.
"""

from __future__ import annotations

from river import anomaly, preprocessing

from voc_stream.detectors.base import Detector


class HalfSpaceTreesDetector(Detector):
    """River's HalfSpaceTrees on the value, min-max scaled online; scores clipped to [0, 1]."""

    def __init__(self, n_trees: int = 10, height: int = 8, window_size: int = 250, seed: int = 42) -> None:
        self.n_trees = n_trees
        self.height = height
        self.window_size = window_size
        self.seed = seed
        self._model = preprocessing.MinMaxScaler() | anomaly.HalfSpaceTrees(
            n_trees=n_trees, height=height, window_size=window_size, seed=seed
        )

    def score_one(self, x: float, t: float) -> float:
        score = float(self._model.score_one({"value": float(x)}))
        return min(max(score, 0.0), 1.0)

    def learn_one(self, x: float, t: float) -> None:
        self._model.learn_one({"value": float(x)})
