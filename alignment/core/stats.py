"""Statistics the survey can support: shares and their confidence intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # two-sided 95 % normal quantile


@dataclass(frozen=True)
class Interval:
    """A share's confidence interval, in percent (0-100)."""

    low: float
    high: float


def wilson(successes: int, n: int, z: float = Z95) -> Interval:
    """Wilson score interval for successes out of n (Wilson 1927), in percent."""
    if n <= 0:
        raise ValueError("n must be positive")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(100 * max(0.0, centre - half), 100 * min(1.0, centre + half))


def newcombe(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> Interval:
    """95 % interval for the difference of two independent shares, p1 - p2, in percentage points.

    Newcombe's hybrid score method (Newcombe 1998, method 10), built from the two Wilson intervals;
    it behaves well for small groups and shares near 0 or 100 %.
    """
    p1, p2 = k1 / n1, k2 / n2
    w1, w2 = wilson(k1, n1, z), wilson(k2, n2, z)
    l1, u1, l2, u2 = w1.low / 100, w1.high / 100, w2.low / 100, w2.high / 100
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Interval(100 * low, 100 * high)
