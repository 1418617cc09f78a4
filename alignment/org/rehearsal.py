"""Simulated answers for a rehearsal round: plausible, reproducible, and never a real result.

IT and marketing lean differently on each statement (a seeded random tilt per statement and side), so the
room view's strips and gap table have something to show; a few answers come from the digital and other sides.
"""

from __future__ import annotations

import random

from alignment.core.questionnaire import DONT_KNOW, SCALE, Questionnaire

SIDE_WEIGHTS = {"it": 0.42, "marketing": 0.42, "digital": 0.1, "other": 0.06}


def simulated_responses(q: Questionnaire, n: int, seed: int | None = None) -> list[tuple[str, dict[str, int]]]:
    """`n` simulated complete responses as (side, {item: value}), drawn with `seed` (random if None)."""
    rng = random.Random(seed)
    tilt_rng = random.Random(20141)  # the same leanings in every rehearsal: one story to rehearse with
    tilt = {(side, item): tilt_rng.uniform(-1.4, 1.4) for side in q.side_ids for item in q.item_ids}
    sides = [s for s in q.side_ids if s in SIDE_WEIGHTS]
    out = []
    for _ in range(n):
        side = rng.choices(sides, weights=[SIDE_WEIGHTS[s] for s in sides])[0]
        values = {}
        for item in q.item_ids:
            if rng.random() < 0.06:
                values[item] = DONT_KNOW
                continue
            centre = 3 + tilt[(side, item)]
            values[item] = min(max(round(rng.gauss(centre, 1.0)), SCALE[0]), SCALE[-1])
        out.append((side, values))
    return out
