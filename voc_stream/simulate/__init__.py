"""A generated stream of Chinese customer feedback with labelled incidents and decoys.

Used by ``voc-stream demo`` (small, quick) and by the scenario benchmark
(multi-day, nationwide) to measure what the detectors find, how fast, and how
often they cry wolf.
"""

from voc_stream.simulate.generator import Stream, generate, iter_events
from voc_stream.simulate.spec import RATE_RULES, RULES, Decoy, Incident, ScenarioSpec

__all__ = ["RATE_RULES", "RULES", "Decoy", "Incident", "ScenarioSpec", "Stream", "generate", "iter_events"]
