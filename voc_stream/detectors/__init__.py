"""Online anomaly detectors for rate series: one small interface, a default, a file scorer."""

from voc_stream.detectors.base import Detector
from voc_stream.detectors.rate import ContextualRateDetector
from voc_stream.detectors.series_file import SeriesFormatError, parse_timestamp, score_series_file

__all__ = [
    "ContextualRateDetector",
    "Detector",
    "SeriesFormatError",
    "default_series_detector",
    "parse_timestamp",
    "score_series_file",
]


def default_series_detector() -> Detector:
    """A fresh detector with the parameters used for ``score-series`` and the NAB benchmark."""
    return ContextualRateDetector()
