"""What the room view shows of a round as it fills: per side, answers against the headcount expected, and
how many more answers the next step of the shares needs. Pure: the page draws it."""

from __future__ import annotations

from dataclasses import dataclass

from alignment.org.rounds import RoundResults

ROOM_SIDES = ("it", "marketing", "digital", "other")
MAX_EXPECTED = 5000


@dataclass(frozen=True)
class SideProgress:
    side: str
    count: int  # submitted answers (always shown, like the results page's counts)
    expected: int  # invited (invitation access) or typed by the facilitator; 0 when unknown
    shown: int  # answers the shares are computed on: a multiple of the minimum group size
    min_group_size: int

    @property
    def fraction(self) -> float:
        """How full the side's bar is, 0 to 1 (by the minimum group size when nothing is expected)."""
        target = self.expected or self.min_group_size
        return min(self.count / target, 1.0) if target else 0.0

    @property
    def visible(self) -> bool:
        return self.shown >= self.min_group_size

    @property
    def to_next_step(self) -> int:
        """Answers still needed before the side's shares next move (or first appear)."""
        return self.min_group_size - (self.count - self.shown)


def room_progress(
    results: RoundResults, expected: dict[str, int], sides: tuple[str, ...] = ROOM_SIDES
) -> list[SideProgress]:
    """The room view's bars: IT and marketing always, the other sides once they have an answer or are expected."""
    rows = []
    for side in sides:
        count, target = results.count(side), max(0, min(int(expected.get(side, 0) or 0), MAX_EXPECTED))
        if side in ("it", "marketing") or count or target:
            rows.append(SideProgress(side, count, target, results.shown(side), results.min_group_size))
    return rows
