"""Municipal turnout during the day, and the comparison with a past election at the same time of day.

Turnout is a *municipality* figure: voters admitted so far at all stations ÷ the municipal electorate
(any voter may vote at any station of the municipality, so a per-station percentage means nothing).
Integer arithmetic: turnout is kept in tenths of a percent (permille).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

OPENING_MINUTE = 7 * 60 + 30  # polls open at 07:30: turnout 0 then


def permille(admitted: int, electorate: int | None) -> int | None:
    """admitted ÷ electorate in tenths of a percent, rounded half up; None without an electorate."""
    if not electorate or electorate <= 0:
        return None
    return (admitted * 1000 * 2 + electorate) // (electorate * 2)


def minute_of(hhmm: str) -> int | None:
    """``"13:45"`` → 825; anything else (``"final"``) → None."""
    try:
        h, m = hhmm.strip().split(":")
        return int(h) * 60 + int(m)
    except ValueError:
        return None


@dataclass(frozen=True)
class Point:
    minute: int  # minutes after midnight
    permille: int


def at_time(points: Sequence[Point], minute: int) -> int | None:
    """The turnout of a past election at ``minute`` by linear interpolation between its published
    points (0 at opening time). None when ``minute`` is after its last point, or there are no points."""
    if not points:
        return None
    pts = sorted(points, key=lambda p: p.minute)
    if pts[0].minute > OPENING_MINUTE:
        pts = [Point(OPENING_MINUTE, 0), *pts]
    if minute <= pts[0].minute:
        return pts[0].permille if minute == pts[0].minute else 0
    for a, b in pairwise(pts):
        if a.minute <= minute <= b.minute:
            if b.minute == a.minute:
                return b.permille
            span = b.minute - a.minute
            return a.permille + ((b.permille - a.permille) * (minute - a.minute) * 2 + span) // (span * 2)
    return None
