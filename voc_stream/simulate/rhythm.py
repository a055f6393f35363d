"""When people give feedback: hour-of-day and day-of-week profiles per line of business.

Food peaks at lunch and dinner, car dealers during opening hours, online shops
late in the evening; nights are quiet everywhere and weekends busier for
shopping and dining. Profiles are relative and normalised to a mean of 1.
"""

from __future__ import annotations

import numpy as np

HOURLY: dict[str, tuple[float, ...]] = {
    "dining": (0.2, 0.1, 0.05, 0.03, 0.03, 0.05, 0.2, 0.5, 0.8, 0.8, 1.2, 2.6,
               2.8, 1.6, 0.9, 0.8, 1.0, 1.8, 2.6, 2.4, 1.6, 1.2, 0.8, 0.4),
    "auto": (0.1, 0.05, 0.03, 0.02, 0.02, 0.05, 0.2, 0.6, 1.2, 1.8, 2.0, 1.9,
             1.4, 1.6, 1.9, 2.0, 1.9, 1.6, 1.3, 1.2, 1.0, 0.8, 0.5, 0.2),
    "retail": (0.6, 0.3, 0.15, 0.08, 0.06, 0.08, 0.2, 0.5, 0.9, 1.1, 1.3, 1.3,
               1.2, 1.2, 1.3, 1.3, 1.3, 1.3, 1.4, 1.7, 2.1, 2.4, 2.0, 1.2),
    "payments": (0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.4, 0.9, 1.4, 1.6, 1.6, 1.5,
                 1.4, 1.4, 1.5, 1.5, 1.5, 1.4, 1.5, 1.5, 1.4, 1.2, 0.9, 0.6),
}

#: Monday .. Sunday.
WEEKLY: dict[str, tuple[float, ...]] = {
    "dining": (0.9, 0.9, 0.95, 0.95, 1.1, 1.25, 1.2),
    "auto": (0.85, 0.9, 0.9, 0.95, 1.0, 1.35, 1.3),
    "retail": (1.0, 1.0, 1.0, 1.0, 1.05, 1.15, 1.15),
    "payments": (1.05, 1.0, 1.0, 1.0, 1.05, 0.95, 0.9),
}


def minute_profile(vertical: str, first_hour: int, first_weekday: int, minutes: int) -> np.ndarray:
    """Relative intensity for each minute, starting at ``first_hour`` on weekday ``first_weekday`` (0 = Monday).

    Hourly values are interpolated linearly so volume does not jump on the hour.
    """
    hourly = np.asarray(HOURLY[vertical], dtype=float)
    hourly = hourly / hourly.mean()
    weekly = np.asarray(WEEKLY[vertical], dtype=float)
    absolute_minute = first_hour * 60 + np.arange(minutes)
    hour_position = (absolute_minute / 60.0 - 0.5) % 24
    low = np.floor(hour_position).astype(int)
    frac = hour_position - low
    value = hourly[low] * (1 - frac) + hourly[(low + 1) % 24] * frac
    day = (first_weekday + absolute_minute // 1440) % 7
    return value * weekly[day]
