"""Seat projection (zetelverdeling) by chapter P of the Kieswet.

Pure domain code: integers and :class:`fractions.Fraction` only, no floating point anywhere.

The procedure, article by article:

* **P 5** kiesdeler (quota) = total valid votes on lists ÷ number of seats, kept as an exact fraction.
* **P 6** every list gets as many *full seats* as the quota fits wholly in its votes.
* **P 7** (19 or more seats) the residual seats go one by one to the list that would have the largest
  average number of votes per seat after receiving it (grootste gemiddelden, D'Hondt). For the
  Tweede Kamer only lists that reached the quota take part (P 7, second paragraph): pass
  ``residual_threshold=TWEEDE_KAMER_RESIDUAL_THRESHOLD``. For councils and provincial states with
  19 or more seats there is no such threshold under the Kieswet in force when this was written.
* **P 8** (fewer than 19 seats) the residual seats go first to the lists with the largest remainders
  (grootste overschotten); only lists with at least 75% of the quota take part, and a list gets at most
  one seat this way. A list without a remainder counts as having the smallest remainder. Seats still
  left then go by largest averages, at most one more seat per list in that round; if every list got
  one and seats are still left, by plain largest averages. (This follows the current text of P 8 and
  the Kiesraad's own reading of it in its counting software Abacus.)
* **P 9** a list with more than half of all valid votes that got no more than half of the seats gets one
  extra seat, taken from the list that was assigned the last residual seat.
* **P 10** (optional, when candidate counts are given) a list cannot get more seats than it has
  candidates; the excess is assigned to the other lists by continuing the residual-seat procedure.
  Seats nobody can take stay unfilled. The order matters: P 6 to P 9 run first without looking at the
  candidate counts at all; only then are the seats beyond a list's candidates taken away and assigned
  again, now leaving out the lists that have run out of candidates (as Abacus does). A tie in that
  continued procedure is measured against all the seats that P 10 frees, so a tie that every freed seat
  resolves is no lot.

Drawing of lots (loting). Where the law says *het lot beslist*, this function does not pretend to
know the outcome. Every such tie is reported in :attr:`SeatAllocation.ties_by_lot`, and a
deterministic stand-in decides it so the output is reproducible: the tied list that comes first in
``lot_order`` wins (by default ``lot_order`` is the input order, i.e. the order of the lists on the
ballot). When the real lot has been drawn, pass its outcome as ``lot_order`` to reproduce the
official result; the tie is still reported.

A pending amendment (Kamerstuk 36 641, "Wet aanscherping vereisten toewijzing restzetels") would make
the full quota the threshold for residual seats at every election; once it applies, pass
``residual_threshold=Fraction(1)``.

Everything computed here from incomplete counts is a *projection*; :attr:`SeatAllocation.provisional`
says so and the page must show it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

__all__ = [
    "LARGEST_REMAINDER_MAX_SEATS",
    "LARGEST_REMAINDER_THRESHOLD",
    "TWEEDE_KAMER_RESIDUAL_THRESHOLD",
    "ListSeats",
    "ResidualMethod",
    "SeatAllocation",
    "SeatChange",
    "SeatStep",
    "TieByLot",
    "allocate_seats",
    "default_residual_threshold",
]

#: Below this many seats the residual seats go by largest remainders (art. P 8), else largest averages.
LARGEST_REMAINDER_MAX_SEATS = 19
#: Art. P 8: a list needs at least 75% of the quota to take part in the largest remainders.
LARGEST_REMAINDER_THRESHOLD = Fraction(3, 4)
#: Art. P 7, second paragraph: at Tweede Kamer elections only lists that reached the quota get residual seats.
TWEEDE_KAMER_RESIDUAL_THRESHOLD = Fraction(1)


class ResidualMethod(StrEnum):
    """How the residual seats are assigned."""

    LARGEST_AVERAGES = "largest_averages"  # art. P 7
    LARGEST_REMAINDERS = "largest_remainders"  # art. P 8


class SeatChange(StrEnum):
    """What a step of the residual-seat procedure did."""

    LARGEST_REMAINDER = "largest_remainder"  # P 8, first paragraph: one seat per list
    UNIQUE_HIGHEST_AVERAGE = "unique_highest_average"  # P 8: largest averages, at most one seat per list
    HIGHEST_AVERAGE = "highest_average"  # P 7 (and P 8 once every list has had its seat)
    ABSOLUTE_MAJORITY = "absolute_majority"  # P 9: seat moved to the list with the majority of votes
    LIST_EXHAUSTED = "list_exhausted"  # P 10: seat taken from a list without candidates left


@dataclass(frozen=True, slots=True)
class TieByLot:
    """A decision the law leaves to drawing lots, and how the stand-in decided it.

    ``tied`` are the lists with an equal ``value`` (remainder or average) competing for ``seats_available``
    seats (fewer than the tied lists). ``chosen`` got the seat(s) in this projection, by ``lot_order``.
    For ``SeatChange.ABSOLUTE_MAJORITY`` the tie is about which list loses a seat, and ``chosen`` is
    the list that lost it.
    """

    seat_number: int | None
    change: SeatChange
    article: str
    value: Fraction
    tied: tuple[str, ...]
    seats_available: int
    chosen: tuple[str, ...]

    def describe(self) -> str:
        what = "loses a seat" if self.change is SeatChange.ABSOLUTE_MAJORITY else "wins"
        seat = f"residual seat {self.seat_number}: " if self.seat_number is not None else ""
        return (
            f"{seat}tie by lot (art. {self.article}) between {', '.join(self.tied)} "
            f"for {self.seats_available} seat(s); provisionally {', '.join(self.chosen)} {what}"
        )


@dataclass(frozen=True, slots=True)
class SeatStep:
    """One step of the residual-seat procedure, in order.

    For assignments ``list_name`` received a seat and ``value`` is the remainder (P 8) or the average
    votes per seat it would have with that seat (P 7). For ``ABSOLUTE_MAJORITY`` the seat moved from
    ``taken_from`` to ``list_name``; for ``LIST_EXHAUSTED`` the seat was taken from ``taken_from`` and
    ``list_name`` is empty. ``seat_number`` counts the residual seats assigned, 1-based.
    """

    seat_number: int | None
    change: SeatChange
    list_name: str
    value: Fraction | None = None
    taken_from: str | None = None
    by_lot: bool = False


@dataclass(frozen=True, slots=True)
class ListSeats:
    """The projection for one list."""

    list_name: str
    votes: int
    full_seats: int
    residual_seats: int
    #: votes not used by the full seats: ``votes - full_seats * quota`` (an exact fraction, art. P 8)
    remainder: Fraction
    #: the list reached ``residual_threshold`` × quota: below 19 seats it takes part in the largest
    #: remainders (art. P 8; every list may still get a seat in the largest-averages round after it);
    #: from 19 seats it takes part in the residual seats at all (art. P 7)
    meets_threshold: bool
    #: number of candidates on the list when given (art. P 10), else None
    candidates: int | None = None
    #: seats that could not be filled because the list ran out of candidates (art. P 10)
    seats_lost_to_exhaustion: int = 0
    #: the list got the extra seat of the absolute-majority rule (art. P 9)
    majority_bonus: bool = False

    @property
    def total_seats(self) -> int:
        return self.full_seats + self.residual_seats


@dataclass(frozen=True, slots=True)
class SeatAllocation:
    """The result of :func:`allocate_seats`. ``lists`` keeps the input order."""

    seats: int
    total_votes: int
    #: kiesdeler: total votes ÷ seats, exact
    quota: Fraction
    method: ResidualMethod
    #: the fraction of the quota a list needs to take part in the residual seats
    residual_threshold: Fraction
    lists: tuple[ListSeats, ...]
    steps: tuple[SeatStep, ...] = ()
    ties_by_lot: tuple[TieByLot, ...] = ()
    #: seats no list could take (every list ran out of candidates, art. P 10)
    unfilled_seats: int = 0
    #: True: a projection on provisional counts, to be labelled as such wherever shown
    provisional: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def full_seats(self) -> int:
        return sum(x.full_seats for x in self.lists)

    @property
    def residual_seats(self) -> int:
        return sum(x.residual_seats for x in self.lists)

    @property
    def decided_by_lot(self) -> bool:
        """True when at least one seat depends on drawing lots (the stand-in order decided it here)."""
        return bool(self.ties_by_lot)

    def seats_by_list(self) -> dict[str, int]:
        return {x.list_name: x.total_seats for x in self.lists}

    def for_list(self, list_name: str) -> ListSeats:
        for x in self.lists:
            if x.list_name == list_name:
                return x
        raise KeyError(list_name)


def default_residual_threshold(seats: int) -> Fraction:
    """The residual-seat threshold for a council or provincial election of ``seats`` seats (P 7, P 8)."""
    return LARGEST_REMAINDER_THRESHOLD if seats < LARGEST_REMAINDER_MAX_SEATS else Fraction(0)


@dataclass(slots=True)
class _Standing:
    name: str
    votes: int
    rank: int  # position in lot_order: lower wins a tie in this projection
    full: int
    remainder: Fraction
    eligible: bool
    candidates: int | None
    residual: int = 0
    lr_seats: int = 0  # seats by largest remainder (P 8 first paragraph)
    uha_seats: int = 0  # seats by largest averages with at most one per list (P 8)
    exhausted_loss: int = 0
    majority_bonus: bool = False

    @property
    def total(self) -> int:
        return self.full + self.residual

    @property
    def next_average(self) -> Fraction:
        return Fraction(self.votes, self.total + 1)

    def full_list(self) -> bool:
        return self.candidates is not None and self.total >= self.candidates


class _Allocator:
    def __init__(self, standings: list[_Standing], seats: int, method: ResidualMethod) -> None:
        self.standings = standings
        self.seats = seats
        self.method = method
        self.steps: list[SeatStep] = []
        self.ties: list[TieByLot] = []
        self.seat_number = 0

    # -- one residual seat -------------------------------------------------------------------------

    def _pick(
        self,
        pool: Iterable[_Standing],
        value_of: Callable[[_Standing], Fraction],
        change: SeatChange,
        article: str,
        remaining: int,
    ) -> tuple[_Standing, Fraction, bool] | None:
        candidates = list(pool)
        if not candidates:
            return None
        best = max(value_of(s) for s in candidates)
        tied = sorted((s for s in candidates if value_of(s) == best), key=lambda s: s.rank)
        winner = tied[0]
        by_lot = len(tied) > remaining
        if by_lot:
            # Only the first ``remaining`` of the tied lists can get a seat: the law says the lot decides.
            # Report it once, at the first seat of the contested group.
            prior = self.ties[-1] if self.ties else None
            names = tuple(s.name for s in tied)
            if not (
                prior and prior.change is change and prior.value == best and set(names) <= set(prior.tied)
            ):
                self.ties.append(
                    TieByLot(
                        seat_number=self.seat_number + 1,
                        change=change,
                        article=article,
                        value=best,
                        tied=names,
                        seats_available=remaining,
                        chosen=tuple(s.name for s in tied[:remaining]),
                    )
                )
        return winner, best, by_lot

    def _assign_one(self, remaining: int, *, exclude_full: bool) -> bool:
        """Assign the next residual seat; ``remaining`` seats (this one included) are left in this pass.

        ``exclude_full`` leaves out the lists with no candidates left: only in the continued procedure of
        art. P 10, never in the first assignment (P 7/P 8), which does not look at candidate counts.
        """
        live = [s for s in self.standings if s.votes > 0 and not (exclude_full and s.full_list())]
        if self.method is ResidualMethod.LARGEST_AVERAGES:
            got = self._pick(
                (s for s in live if s.eligible),
                _average,
                SeatChange.HIGHEST_AVERAGE,
                "P 7",
                remaining,
            )
            change = SeatChange.HIGHEST_AVERAGE
        else:
            change = SeatChange.LARGEST_REMAINDER
            got = self._pick(
                (s for s in live if s.eligible and s.lr_seats == 0),
                _remainder,
                change,
                "P 8",
                remaining,
            )
            if got is None:
                change = SeatChange.UNIQUE_HIGHEST_AVERAGE
                got = self._pick((s for s in live if s.uha_seats == 0), _average, change, "P 8", remaining)
            if got is None:
                change = SeatChange.HIGHEST_AVERAGE
                got = self._pick(live, _average, change, "P 8", remaining)
        if got is None:
            return False
        winner, value, by_lot = got
        winner.residual += 1
        if change is SeatChange.LARGEST_REMAINDER:
            winner.lr_seats += 1
        elif change is SeatChange.UNIQUE_HIGHEST_AVERAGE:
            winner.uha_seats += 1
        self.seat_number += 1
        self.steps.append(SeatStep(self.seat_number, change, winner.name, value, by_lot=by_lot))
        return True

    def assign(self, count: int, *, exclude_full: bool = False) -> int:
        """Assign ``count`` residual seats; return how many could not be assigned (all lists full)."""
        for i in range(count):
            if not self._assign_one(count - i, exclude_full=exclude_full):
                return count - i
        return 0

    # -- art. P 9 ----------------------------------------------------------------------------------

    def absolute_majority(self, total_votes: int) -> None:
        majority = next((s for s in self.standings if 2 * s.votes > total_votes), None)
        if majority is None or 2 * majority.total > self.seats:
            return
        by_name = {s.name: s for s in self.standings}
        assigned = [
            st
            for st in self.steps
            if st.change
            in (SeatChange.LARGEST_REMAINDER, SeatChange.UNIQUE_HIGHEST_AVERAGE, SeatChange.HIGHEST_AVERAGE)
            and st.list_name != majority.name
        ]
        if not assigned:
            return
        last = assigned[-1]
        # Lists assigned a seat in the same run with the same value were tied for "last": the lot decides
        # which of them loses the seat. Stand-in: the one that comes last in the lot order loses.
        group = [st for st in assigned if st.change is last.change and st.value == last.value]
        tied_names = list(dict.fromkeys(st.list_name for st in group))
        loser = by_name[last.list_name]
        by_lot = False
        if len(tied_names) > 1:
            ranked = sorted((by_name[n] for n in tied_names), key=lambda s: s.rank)
            loser = ranked[-1]
            by_lot = True
            self.ties.append(
                TieByLot(
                    seat_number=None,
                    change=SeatChange.ABSOLUTE_MAJORITY,
                    article="P 9",
                    value=last.value if last.value is not None else Fraction(0),
                    tied=tuple(s.name for s in ranked),
                    seats_available=1,
                    chosen=(loser.name,),
                )
            )
        loser.residual -= 1
        if last.change is SeatChange.LARGEST_REMAINDER:
            loser.lr_seats -= 1
        elif last.change is SeatChange.UNIQUE_HIGHEST_AVERAGE:
            loser.uha_seats -= 1
        majority.residual += 1
        majority.majority_bonus = True
        self.steps.append(
            SeatStep(
                None, SeatChange.ABSOLUTE_MAJORITY, majority.name, None, taken_from=loser.name, by_lot=by_lot
            )
        )

    # -- art. P 10 ---------------------------------------------------------------------------------

    def exhaustion(self) -> int:
        """Take seats beyond the candidate count away and reassign them; return the unfilled seats."""
        freed = 0
        for s in self.standings:
            if s.candidates is None or s.total <= s.candidates:
                continue
            excess = s.total - s.candidates
            for _ in range(excess):
                if s.residual > 0:
                    s.residual -= 1
                else:
                    s.full -= 1
                s.exhausted_loss += 1
                self.steps.append(SeatStep(None, SeatChange.LIST_EXHAUSTED, "", None, taken_from=s.name))
            freed += excess
        return self.assign(freed, exclude_full=True) if freed else 0


def _average(s: _Standing) -> Fraction:
    return s.next_average


def _remainder(s: _Standing) -> Fraction:
    return s.remainder


def allocate_seats(
    votes: Mapping[str, int],
    seats: int,
    *,
    residual_threshold: Fraction | None = None,
    candidates: Mapping[str, int] | None = None,
    lot_order: Sequence[str] | None = None,
    apply_majority_rule: bool = True,
    provisional: bool = True,
) -> SeatAllocation:
    """Distribute ``seats`` over the lists in ``votes`` (list name → valid votes) by Kieswet chapter P.

    ``residual_threshold`` is the fraction of the quota a list needs to take part in the residual
    seats; by default :func:`default_residual_threshold` (75% below 19 seats, none from 19 seats, as
    for municipal councils). Use ``TWEEDE_KAMER_RESIDUAL_THRESHOLD`` for the Tweede Kamer.
    ``candidates`` (list name → number of candidates) switches on list exhaustion (art. P 10).
    ``lot_order`` decides ties the law leaves to drawing lots (default: input order); they are always
    reported in ``ties_by_lot``. ``apply_majority_rule`` switches art. P 9 (on by default).

    Raises ``ValueError`` for no lists, fewer than one seat, negative or non-integer votes, or no votes.
    """
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ValueError(f"seats must be a whole number of at least 1, got {seats!r}")
    if not votes:
        raise ValueError("there are no lists to distribute seats over")
    for name, v in votes.items():
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"votes for {name!r} must be a whole number, got {v!r}")
        if v < 0:
            raise ValueError(f"votes for {name!r} must not be negative, got {v}")
    total = sum(votes.values())
    if total == 0:
        raise ValueError("no votes were cast on any list: there is no quota")
    if residual_threshold is None:
        residual_threshold = default_residual_threshold(seats)
    if residual_threshold < 0:
        raise ValueError("residual_threshold must not be negative")
    if candidates is not None:
        for name, c in candidates.items():
            if isinstance(c, bool) or not isinstance(c, int) or c < 0:
                raise ValueError(f"candidates for {name!r} must be a whole number >= 0, got {c!r}")

    names = list(votes)
    order = list(dict.fromkeys([*(lot_order or ()), *names]))
    rank = {n: i for i, n in enumerate(order)}

    quota = Fraction(total, seats)
    standings: list[_Standing] = []
    for name in names:
        v = votes[name]
        full = int(v // quota)  # floor of an exact Fraction: an int
        standings.append(
            _Standing(
                name=name,
                votes=v,
                rank=rank[name],
                full=full,
                remainder=v - full * quota,
                eligible=v > 0 and v >= residual_threshold * quota,
                candidates=None if candidates is None else candidates.get(name),
            )
        )

    method = (
        ResidualMethod.LARGEST_REMAINDERS
        if seats < LARGEST_REMAINDER_MAX_SEATS
        else ResidualMethod.LARGEST_AVERAGES
    )
    alloc = _Allocator(standings, seats, method)
    # Abacus's order: P 7/P 8 without regard to candidates, then P 9, then P 10 (which alone leaves out
    # the lists that have run out of candidates, and weighs its ties against every seat it frees).
    unfilled = alloc.assign(seats - sum(s.full for s in standings))
    if apply_majority_rule:
        alloc.absolute_majority(total)
    if candidates is not None:
        unfilled += alloc.exhaustion()

    notes: list[str] = [t.describe() for t in alloc.ties]
    if unfilled:
        notes.append(f"{unfilled} seat(s) stay unfilled: every list has run out of candidates (art. P 10)")

    result_lists = tuple(
        ListSeats(
            list_name=s.name,
            votes=s.votes,
            full_seats=s.full,
            residual_seats=s.residual,
            remainder=s.remainder,
            meets_threshold=s.eligible,
            candidates=s.candidates,
            seats_lost_to_exhaustion=s.exhausted_loss,
            majority_bonus=s.majority_bonus,
        )
        for s in standings
    )
    return SeatAllocation(
        seats=seats,
        total_votes=total,
        quota=quota,
        method=method,
        residual_threshold=residual_threshold,
        lists=result_lists,
        steps=tuple(alloc.steps),
        ties_by_lot=tuple(alloc.ties),
        unfilled_seats=unfilled,
        provisional=provisional,
        notes=tuple(notes),
    )
