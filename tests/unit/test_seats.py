"""Seat projection (Kieswet chapter P): official Tweede Kamer results, hand-checked councils, the command."""

from __future__ import annotations

import csv
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from app.domain.seats import (
    TWEEDE_KAMER_RESIDUAL_THRESHOLD,
    ResidualMethod,
    SeatAllocation,
    SeatChange,
    allocate_seats,
)
from etl.commands import seats as seats_command

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "seats"

# Raw party names in the source data → the usual short names of the official results.
SHORT = {
    "VVD": "VVD",
    "PVV (Partij voor de Vrijheid)": "PVV",
    "CDA": "CDA",
    "Democraten 66 (D66)": "D66",
    "D66": "D66",
    "GROENLINKS": "GL",
    "SP (Socialistische Partij)": "SP",
    "Partij van de Arbeid (P.v.d.A.)": "PvdA",
    "ChristenUnie": "CU",
    "Partij voor de Dieren": "PvdD",
    "50PLUS": "50PLUS",
    "Staatkundig Gereformeerde Partij (SGP)": "SGP",
    "DENK": "DENK",
    "Forum voor Democratie": "FvD",
    "Volt": "Volt",
    "JA21": "JA21",
    "BBB": "BBB",
    "BIJ1": "BIJ1",
    "Nieuw Sociaal Contract": "NSC",
    "Nieuw Sociaal Contract (NSC)": "NSC",
    "GROENLINKS / Partij van de Arbeid (PvdA)": "GL-PvdA",
}

# Official seat distributions as declared by the Kiesraad (centraal stembureau); lists with 0 seats omitted.
OFFICIAL = {
    "TK2017": {
        "VVD": 33, "PVV": 20, "CDA": 19, "D66": 19, "GL": 14, "SP": 14, "PvdA": 9,
        "CU": 5, "PvdD": 5, "50PLUS": 4, "SGP": 3, "DENK": 3, "FvD": 2,
    },
    "TK2021": {
        "VVD": 34, "D66": 24, "PVV": 17, "CDA": 15, "SP": 9, "PvdA": 9, "GL": 8, "FvD": 8,
        "PvdD": 6, "CU": 5, "Volt": 3, "JA21": 3, "SGP": 3, "DENK": 3, "50PLUS": 1, "BBB": 1, "BIJ1": 1,
    },
    "TK2023": {
        "PVV": 37, "GL-PvdA": 25, "VVD": 24, "NSC": 20, "D66": 9, "BBB": 7, "CDA": 5, "SP": 5,
        "DENK": 3, "PvdD": 3, "FvD": 3, "SGP": 3, "CU": 3, "Volt": 2, "JA21": 1,
    },
    "TK2025": {
        "D66": 26, "PVV": 26, "VVD": 22, "GL-PvdA": 20, "CDA": 18, "JA21": 9, "FvD": 7, "BBB": 4,
        "DENK": 3, "SGP": 3, "PvdD": 3, "CU": 3, "SP": 3, "50PLUS": 2, "Volt": 1,
    },
}  # fmt: skip


def _national_totals() -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(dict)
    with (FIXTURES / "tk_national_party_totals.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            totals[row["election"]][row["party"]] = int(row["votes"])
    return totals


TOTALS = _national_totals()


def _short_seats(seats_by_list: dict[str, int]) -> dict[str, int]:
    return {SHORT.get(name, name): n for name, n in seats_by_list.items() if n}


# --- official Tweede Kamer results (150 seats) ------------------------------------------------------


@pytest.mark.parametrize("election", sorted(OFFICIAL))
def test_reproduces_official_tweede_kamer_result(election: str) -> None:
    votes = TOTALS[election]
    result = allocate_seats(votes, 150, residual_threshold=TWEEDE_KAMER_RESIDUAL_THRESHOLD)

    assert result.method is ResidualMethod.LARGEST_AVERAGES
    assert result.quota == Fraction(sum(votes.values()), 150)
    assert sum(result.seats_by_list().values()) == 150
    assert result.ties_by_lot == ()
    assert _short_seats(result.seats_by_list()) == OFFICIAL[election]
    # art. P 7 second paragraph: nobody below the quota got a seat
    for entry in result.lists:
        if entry.votes < result.quota:
            assert entry.total_seats == 0


def test_tk2025_includes_postal_votes_from_abroad() -> None:
    # GM9010 (briefstemmen uit het buitenland) is part of the national total the fixture was built from.
    assert sum(TOTALS["TK2025"].values()) == 10_568_232


def _split_combination(group_votes: dict[str, int], group_seats: int) -> dict[str, int]:
    """Old art. P 12 (lijstencombinatie, abolished in 2017): group quota, full seats, largest remainders."""
    group_quota = Fraction(sum(group_votes.values()), group_seats)
    seats = {name: int(v // group_quota) for name, v in group_votes.items()}
    remainders = sorted(group_votes, key=lambda n: group_votes[n] - seats[n] * group_quota, reverse=True)
    for name in remainders[: group_seats - sum(seats.values())]:
        seats[name] += 1
    return seats


def test_tk2017_list_combinations_do_not_change_the_result() -> None:
    """TK2017 was the last election with lijstencombinaties (PvdA+GL and CU+SGP), abolished in 2017.

    The current law has none, so ``allocate_seats`` does not model them. Here the old procedure is applied
    by hand: each combination counts as one list in the national allocation, then its seats are split over
    its lists by the group quota and largest remainders. The outcome is the same as without combinations
    (and as the official result), so the 2017 reproduction above is valid.
    """
    votes = dict(TOTALS["TK2017"])
    combos = {
        "PvdA+GL": ["Partij van de Arbeid (P.v.d.A.)", "GROENLINKS"],
        "CU+SGP": ["ChristenUnie", "Staatkundig Gereformeerde Partij (SGP)"],
    }
    combined = {n: v for n, v in votes.items() if not any(n in members for members in combos.values())}
    for combo, members in combos.items():
        combined[combo] = sum(votes[m] for m in members)
    national = allocate_seats(combined, 150, residual_threshold=TWEEDE_KAMER_RESIDUAL_THRESHOLD)
    seats = {n: s for n, s in national.seats_by_list().items() if n not in combos}
    for combo, members in combos.items():
        seats.update(_split_combination({m: votes[m] for m in members}, national.for_list(combo).total_seats))
    assert _short_seats(seats) == OFFICIAL["TK2017"]


def test_without_the_tweede_kamer_threshold_small_lists_could_take_residual_seats() -> None:
    # Council rules (no threshold from 19 seats) on the TK2021 votes still give 150 seats in total,
    # and no list gets fewer seats than its full seats.
    result = allocate_seats(TOTALS["TK2021"], 150)
    assert result.residual_threshold == 0
    assert sum(result.seats_by_list().values()) == 150
    assert all(entry.total_seats >= entry.full_seats for entry in result.lists)


# --- hand-checked council cases -------------------------------------------------------------------


def test_under_19_seats_largest_remainders_and_the_75_percent_threshold() -> None:
    # 15 seats, 15 000 votes: quota 1000. Full seats A 7, B 4, C 1, D 0: 3 residual seats.
    # Remainders A 910, B 700, C 650, D 740. D has 740 < 750 (75% of the quota): no remainder seat,
    # although its remainder beats B's and C's.
    result = allocate_seats({"A": 7910, "B": 4700, "C": 1650, "D": 740}, 15)
    assert result.method is ResidualMethod.LARGEST_REMAINDERS
    assert result.quota == 1000
    assert result.residual_threshold == Fraction(3, 4)
    assert [e.full_seats for e in result.lists] == [7, 4, 1, 0]
    assert [e.remainder for e in result.lists] == [910, 700, 650, 740]
    assert [e.meets_threshold for e in result.lists] == [True, True, True, False]
    assert result.seats_by_list() == {"A": 8, "B": 5, "C": 2, "D": 0}
    assert [(s.change, s.list_name) for s in result.steps] == [
        (SeatChange.LARGEST_REMAINDER, "A"),
        (SeatChange.LARGEST_REMAINDER, "B"),
        (SeatChange.LARGEST_REMAINDER, "C"),
    ]
    assert result.ties_by_lot == ()
    assert result.provisional


def test_list_at_exactly_75_percent_of_the_quota_takes_part() -> None:
    # Quota 1000: D with 750 is exactly at the threshold and wins the remainder seat over C (650).
    result = allocate_seats({"A": 7900, "B": 4700, "C": 1650, "D": 750}, 15)
    assert result.for_list("D").meets_threshold
    assert result.seats_by_list() == {"A": 8, "B": 5, "C": 1, "D": 1}


def test_under_19_seats_one_remainder_seat_per_list_then_averages() -> None:
    # 1200 votes, 15 seats: quota 80, threshold 60. Only A (808: 10 full seats, remainder 8) reaches it.
    # Seat 1: A by remainder (one remainder seat per list, and nobody else qualifies). Then largest
    # averages with at most one seat per list (art. P 8): A 808/12 = 67 1/3 beats B 59, so A; then A has had
    # its seat of this round (although 808/13 = 62 2/13 is still higher), so B 59, C 58, D 57.
    # B to H are below the threshold but may take part in this round.
    result = allocate_seats({"A": 808, "B": 59, "C": 58, "D": 57, "E": 56, "F": 55, "G": 54, "H": 53}, 15)
    assert [(s.change, s.list_name) for s in result.steps] == [
        (SeatChange.LARGEST_REMAINDER, "A"),
        (SeatChange.UNIQUE_HIGHEST_AVERAGE, "A"),
        (SeatChange.UNIQUE_HIGHEST_AVERAGE, "B"),
        (SeatChange.UNIQUE_HIGHEST_AVERAGE, "C"),
        (SeatChange.UNIQUE_HIGHEST_AVERAGE, "D"),
    ]
    assert result.steps[1].value == Fraction(808, 12)
    assert result.seats_by_list() == {"A": 12, "B": 1, "C": 1, "D": 1, "E": 0, "F": 0, "G": 0, "H": 0}


def test_tie_decided_by_lot_is_reported_with_a_reproducible_stand_in() -> None:
    # 5 seats, 1000 votes: quota 200. A, B, C: 1 full seat and remainder 100 each; D 100 is below 150.
    # Two residual seats, three lists with equal remainders: the lot decides (art. P 8).
    votes = {"A": 300, "B": 300, "C": 300, "D": 100}
    result = allocate_seats(votes, 5)
    assert result.decided_by_lot
    (tie,) = result.ties_by_lot
    assert tie.article == "P 8"
    assert tie.change is SeatChange.LARGEST_REMAINDER
    assert tie.tied == ("A", "B", "C")
    assert tie.seats_available == 2
    assert tie.value == 100
    assert tie.chosen == ("A", "B")  # stand-in: input order
    assert result.seats_by_list() == {"A": 2, "B": 2, "C": 1, "D": 0}
    assert any("lot" in note for note in result.notes)
    # Same input, same output.
    assert allocate_seats(votes, 5) == result
    # The real outcome of the lot, when known, is passed as lot_order; the tie is still reported.
    drawn = allocate_seats(votes, 5, lot_order=["C", "A", "B", "D"])
    assert drawn.seats_by_list() == {"A": 2, "B": 1, "C": 2, "D": 0}
    assert drawn.ties_by_lot[0].chosen == ("C", "A")


def test_tie_by_lot_with_largest_averages() -> None:
    # 19 seats, two equal lists: 9 full seats each, one residual seat, equal averages 1000/10.
    result = allocate_seats({"X": 1000, "Y": 1000}, 19)
    assert result.method is ResidualMethod.LARGEST_AVERAGES
    (tie,) = result.ties_by_lot
    assert tie.article == "P 7"
    assert tie.tied == ("X", "Y")
    assert tie.value == 100
    assert result.seats_by_list() == {"X": 10, "Y": 9}


def test_no_lot_when_every_tied_list_gets_a_seat() -> None:
    # 7 seats, 700 votes: quota 100. A, B, C: 1 full seat, remainder 80 each; D: 1 full seat, remainder 60.
    # Three residual seats for the three tied lists: they all get one, nothing is left to the lot.
    result = allocate_seats({"A": 180, "B": 180, "C": 180, "D": 160}, 7)
    assert result.ties_by_lot == ()
    assert not result.decided_by_lot
    assert result.seats_by_list() == {"A": 2, "B": 2, "C": 2, "D": 1}


def test_absolute_majority_gets_the_extra_seat() -> None:
    # 15 seats, 10 000 votes: quota 666 2/3. A has 5010 votes (> half) but 7 full seats, remainder 10.
    # B 1700 and C 1690 take the two residual seats by remainder: A would have 7 of 15, not more than half.
    # Art. P 9: A gets one extra seat, taken from C, the list that got the last residual seat.
    votes = {"A": 5010, "B": 1700, "C": 1690, "D": 1600}
    without = allocate_seats(votes, 15, apply_majority_rule=False)
    assert without.seats_by_list() == {"A": 7, "B": 3, "C": 3, "D": 2}

    result = allocate_seats(votes, 15)
    assert result.seats_by_list() == {"A": 8, "B": 3, "C": 2, "D": 2}
    assert result.for_list("A").majority_bonus
    assert result.for_list("A").full_seats == 7
    last = result.steps[-1]
    assert last.change is SeatChange.ABSOLUTE_MAJORITY
    assert (last.list_name, last.taken_from) == ("A", "C")


def test_majority_rule_does_nothing_when_the_majority_already_has_more_than_half() -> None:
    result = allocate_seats({"A": 600, "B": 300, "C": 100}, 10)
    assert result.seats_by_list() == {"A": 6, "B": 3, "C": 1}
    assert not any(s.change is SeatChange.ABSOLUTE_MAJORITY for s in result.steps)


def test_19_or_more_seats_largest_averages() -> None:
    # 19 seats, 10 500 votes: quota 552 12/19. Full seats A 11, B 5, C 1, D 0: 2 residual seats.
    # Averages with one more seat: A 6100/12 = 508 1/3, B 2900/6 = 483 1/3, C 980/2 = 490, D 520/1 = 520.
    # Seat 1 → D (520; a council list below the quota may take a residual seat), seat 2 → A (508 1/3).
    votes = {"A": 6100, "B": 2900, "C": 980, "D": 520}
    result = allocate_seats(votes, 19)
    assert result.method is ResidualMethod.LARGEST_AVERAGES
    assert result.quota == Fraction(10500, 19)
    assert [e.full_seats for e in result.lists] == [11, 5, 1, 0]
    assert [(s.list_name, s.value) for s in result.steps] == [("D", 520), ("A", Fraction(6100, 12))]
    assert result.seats_by_list() == {"A": 12, "B": 5, "C": 1, "D": 1}

    # With the Tweede Kamer threshold (the full quota, art. P 7 second paragraph) D takes no part:
    # seat 1 → A (508 1/3), seat 2 → C (490 beats A 6100/13 = 469 3/13 and B 483 1/3).
    tk = allocate_seats(votes, 19, residual_threshold=TWEEDE_KAMER_RESIDUAL_THRESHOLD)
    assert [(s.list_name, s.value) for s in tk.steps] == [("A", Fraction(6100, 12)), ("C", 490)]
    assert tk.seats_by_list() == {"A": 12, "B": 5, "C": 2, "D": 0}


def test_list_exhaustion_moves_seats_to_other_lists() -> None:
    # 15 seats, quota 1000. Full seats A 6, B 5, C 1, D 0; remainders A 910, B 700, C 650, D 740 (< 750).
    votes = {"A": 6910, "B": 5700, "C": 1650, "D": 740}
    assert allocate_seats(votes, 15).seats_by_list() == {"A": 7, "B": 6, "C": 2, "D": 0}

    # A has only 6 candidates (art. P 10): its remainder seat goes elsewhere. B and C get theirs; the
    # third seat goes by largest averages: B 5700/7 = 814 2/7 beats D 740 and C 1650/3 = 550.
    result = allocate_seats(votes, 15, candidates={"A": 6, "B": 20, "C": 20, "D": 20})
    assert result.seats_by_list() == {"A": 6, "B": 7, "C": 2, "D": 0}
    assert result.unfilled_seats == 0

    # A has 4 candidates. P 7/P 8 do not look at candidates: A first gets its remainder seat (7 seats);
    # P 10 then takes three away (the residual seat and two full seats) and assigns them by continuing
    # the largest averages with at most one seat per list: B 5700/7 = 814 2/7, D 740, C 1650/3 = 550.
    short = allocate_seats(votes, 15, candidates={"A": 4, "B": 20, "C": 20, "D": 20})
    assert short.for_list("A").full_seats == 4
    assert short.for_list("A").seats_lost_to_exhaustion == 3
    assert short.seats_by_list() == {"A": 4, "B": 7, "C": 3, "D": 1}
    assert [s.taken_from for s in short.steps if s.change is SeatChange.LIST_EXHAUSTED] == ["A", "A", "A"]
    assert [(s.change, s.list_name) for s in short.steps if s.change is not SeatChange.LIST_EXHAUSTED] == [
        (SeatChange.LARGEST_REMAINDER, "A"),
        (SeatChange.LARGEST_REMAINDER, "B"),
        (SeatChange.LARGEST_REMAINDER, "C"),
        (SeatChange.UNIQUE_HIGHEST_AVERAGE, "B"),
        (SeatChange.UNIQUE_HIGHEST_AVERAGE, "D"),
        (SeatChange.UNIQUE_HIGHEST_AVERAGE, "C"),
    ]

    # Nobody left to take the seats: they stay unfilled and the result says so.
    alone = allocate_seats({"A": 100}, 5, candidates={"A": 2})
    assert alone.seats_by_list() == {"A": 2}
    assert alone.unfilled_seats == 3
    assert any("unfilled" in note for note in alone.notes)


def test_seats_p10_no_lot_when_freed_seats_cover_the_tie() -> None:
    # 6 seats, quota 10: full seats 0, 0, 5; lists 1 and 2 (5 votes) are below 75% of the quota.
    # P 8 gives the one residual seat to list 3 without looking at its 2 candidates; P 10 then takes four
    # seats from list 3 and assigns them: 1 and 2 tie at 5 votes per seat, but there are four seats for
    # the two of them, so no lot is needed and the outcome is 2, 2, 2 whatever a lot would say.
    # (Abacus: test_with_list_exhaustion_triggering_2nd_round_highest_average_assignment_with_same_averages.)
    # Leaving list 3 out of the first assignment made it a tie of two lists for one seat: a false lot.
    votes, candidates = {"1": 5, "2": 5, "3": 50}, {"1": 2, "2": 2, "3": 2}
    result = allocate_seats(votes, 6, candidates=candidates)
    assert result.ties_by_lot == () and not result.decided_by_lot
    assert not any(s.by_lot for s in result.steps)
    assert result.notes == ()
    assert result.seats_by_list() == {"1": 2, "2": 2, "3": 2}
    assert _trace(result) == ["+3", "-3", "-3", "-3", "-3", "+1", "+2", "+1", "+2"]
    assert result.for_list("3").seats_lost_to_exhaustion == 4
    # Any outcome of a lot between 1 and 2 gives the same seats: there is nothing to draw.
    other = allocate_seats(votes, 6, candidates=candidates, lot_order=["2", "1", "3"])
    assert other.ties_by_lot == () and other.seats_by_list() == result.seats_by_list()


def test_seats_p10_a_real_tie_in_the_continued_procedure_is_still_a_lot() -> None:
    # 6 seats, quota 10: full seats 0, 0, 0, 4. List 3 takes both residual seats (remainder 5, then the
    # largest average 45/6 = 7 1/2), 6 seats for 4 candidates: P 10 frees two seats. Lists 1, 2 and 4 tie
    # at 5 votes per seat for those two seats: three lists for two seats, which the lot decides.
    votes = {"1": 5, "2": 5, "4": 5, "3": 45}
    result = allocate_seats(votes, 6, candidates={"1": 2, "2": 2, "4": 2, "3": 4})
    (tie,) = result.ties_by_lot
    assert tie.article == "P 8" and tie.change is SeatChange.UNIQUE_HIGHEST_AVERAGE
    assert tie.tied == ("1", "2", "4") and tie.seats_available == 2 and tie.chosen == ("1", "2")
    assert result.seats_by_list() == {"1": 1, "2": 1, "4": 0, "3": 4}
    assert _trace(result) == ["+3", "+3", "-3", "-3", "+1", "+2"]


def _trace(result: SeatAllocation) -> list[str]:
    """The steps as Abacus's tests list them: "+n" seat assigned to list n, "-n" seat of list n removed
    (P 10), "n>m" seat moved from list n to list m (P 9)."""
    out = []
    for s in result.steps:
        if s.change is SeatChange.LIST_EXHAUSTED:
            out.append(f"-{s.taken_from}")
        elif s.change is SeatChange.ABSOLUTE_MAJORITY:
            out.append(f"{s.taken_from}>{s.list_name}")
        else:
            out.append(f"+{s.list_name}")
    return out


def _abacus_lists(*candidate_votes: list[int]) -> tuple[dict[str, int], dict[str, int]]:
    """Abacus's fixture ``election_summary_fixture_with_given_candidate_votes``: one vote list per
    candidate; the list's votes are their sum and its candidates their number. Lists are named 1, 2, ..."""
    votes = {str(i): sum(c) for i, c in enumerate(candidate_votes, start=1)}
    candidates = {str(i): len(c) for i, c in enumerate(candidate_votes, start=1)}
    return votes, candidates


# Every list-exhaustion (art. P 10) test of Abacus, the Kiesraad's counting software
# (kiesraad/abacus, backend/src/apportionment/seat_assignment.rs, mod list_exhaustion, commit 097ef7d):
# (its test name, seats, candidate votes per list, the steps it asserts, the seats it asserts, seats
# left unfilled). Where every list has run out of candidates Abacus stops with AllListsExhausted after
# the steps listed; Stemdag takes the same steps and leaves the seat unfilled.
ABACUS_LIST_EXHAUSTION = [
    (
        "lt19_with_list_exhaustion_during_full_seats_assignment",
        15,
        ([500] * 4, [400] * 4, [400] * 3, [400] * 2, [200] * 2),
        ["-1", "+5"],
        [4, 4, 3, 2, 2],
        0,
    ),
    (
        "lt19_with_list_exhaustion_during_residual_seats_assignment_with_largest_remainders_method",
        17,
        (
            [754, 85, 84, 40, 31, 15, 2, 38, 3, 4, 8, 8, 4, 17, 5, 3, 15],
            [274, 48, 11, 76, 10, 66],
            [470, 47, 53, 131, 31, 62, 10, 4, 1, 10, 13],
            [382, 109, 55, 12, 29, 29, 9, 2, 6, 13, 12],
            [323, 46, 106, 16, 6, 31, 20, 34, 6, 13],
            [253, 221, 93, 9, 18, 7, 12, 36],
            [169, 123, 26, 209, 3, 11, 11, 3, 22, 6, 7, 1, 15],
            [189, 17, 7, 40, 4, 7, 3, 9, 2, 23, 9, 9, 4, 3],
            [439, 64, 78, 22, 71, 21, 37, 9, 20, 7, 38, 378],
            [716],
            [221, 53, 15, 7, 27, 57],
        ),
        ["+3", "+11", "+9", "+10", "+1", "+4", "-10", "+6"],
        [3, 1, 2, 2, 1, 2, 1, 0, 3, 1, 1],
        0,
    ),
    (
        "lt19_with_list_exhaustion_during_residual_seats_assignment_with_unique_highest_averages_method",
        10,
        ([0], [3], [5], [6], [7], [10, 10, 10, 10, 10, 10, 10, 9]),
        ["+6", "+6", "+5", "-6", "+4"],
        [0, 0, 0, 1, 1, 8],
        0,
    ),
    (
        "lt19_with_list_exhaustion_triggering_2nd_round_highest_average_assignment_with_same_averages",
        6,
        ([3, 2], [3, 2], [25, 25]),
        ["+3", "-3", "-3", "-3", "-3", "+1", "+2", "+1", "+2"],
        [2, 2, 2],
        0,
    ),
    (
        "lt19_with_list_exhaustion_triggering_2nd_round_highest_average_assignment_with_different_averages",
        6,
        ([3, 3], [2, 2], [25, 25]),
        ["+3", "-3", "-3", "-3", "-3", "+1", "+2", "+1", "+2"],
        [2, 2, 2],
        0,
    ),
    (
        "lt19_with_absolute_majority_of_votes_but_not_seats_and_list_exhaustion",
        15,
        ([2571, 0, 0, 0, 0, 0, 0], [977, 0, 0, 0], [567, 0], [536, 0], [453, 0]),
        ["+2", "+3", "+4", "4>1", "-1", "+4"],
        [7, 3, 2, 2, 1],
        0,
    ),
    (
        "lt19_with_absolute_majority_of_votes_but_not_seats_and_list_exhaustion_triggering_unique_highest_"
        "averages_assignment",
        8,
        ([32, 0, 0, 0, 0], [41, 0, 0], [7]),
        ["+1", "1>2", "-2", "-2", "+1", "+3"],
        [4, 3, 1],
        0,
    ),
    (
        "lt19_with_absolute_majority_of_votes_but_not_seats_and_list_exhaustion_triggering_multiple_unique_"
        "highest_averages_assignment",
        8,
        ([537, 0], [10], [426, 0, 0, 0, 0, 0]),
        ["+3", "3>1", "-1", "-1", "-1", "+3", "+3", "+2"],
        [2, 1, 5],
        0,
    ),
    (
        "lt19_with_all_lists_exhausted_error",
        15,
        ([500] * 4, [400] * 4, [400] * 3, [400] * 2, [400]),
        ["-1"],
        [4, 4, 3, 2, 1],
        1,
    ),
    (
        "lt19_with_2_exhausted_lists_and_all_lists_exhausted_error",
        15,
        ([500] * 4, [500] * 4, [400] * 3, [400, 0], [400]),
        ["-1", "-2", "+4"],
        [4, 4, 3, 2, 1],
        1,
    ),
    (
        "gte19_with_list_exhaustion_during_full_seats_assignment",
        20,
        ([500] * 4, [400] * 5, [400] * 4, [400] * 4, [400, 400, 0]),
        ["-1", "+5"],
        [4, 5, 4, 4, 3],
        0,
    ),
    (
        "gte19_with_list_exhaustion_during_residual_seats_assignment",
        19,
        (
            [400, 400, 400, 399, 0],
            [400, 400, 400, 398, 0],
            [400, 400, 400, 398, 0],
            [400, 400, 400, 398, 0],
            [502, 502],
        ),
        ["+5", "-5", "+1"],
        [5, 4, 4, 4, 2],
        0,
    ),
    (
        "gte19_with_absolute_majority_of_votes_but_not_seats_and_list_exhaustion",
        24,
        ([7501] + [0] * 11, [1249, 0], [1249, 0], [1249, 0], [1249, 0], [1249, 0], [1248, 0], [7]),
        ["+2", "+3", "+4", "+5", "+6", "+7", "7>1", "-1", "+7"],
        [12, 2, 2, 2, 2, 2, 2, 0],
        0,
    ),
    (
        "gte19_with_all_lists_exhausted_error",
        20,
        ([500] * 4, [400] * 5, [400] * 4, [400] * 4, [400] * 2),
        ["-1"],
        [4, 5, 4, 4, 2],
        1,
    ),
    (
        "gte19_with_2_exhausted_lists_and_all_lists_exhausted_error",
        20,
        ([500] * 4, [500] * 4, [400] * 4, [400] * 4, [400, 400, 0]),
        ["-1", "-2", "+5"],
        [4, 4, 4, 4, 3],
        1,
    ),
]


@pytest.mark.parametrize(
    ("seats", "candidate_votes", "steps", "expected", "unfilled"),
    [pytest.param(*case[1:], id=case[0]) for case in ABACUS_LIST_EXHAUSTION],
)
def test_replays_the_abacus_list_exhaustion_cases(
    seats: int, candidate_votes: tuple[list[int], ...], steps: list[str], expected: list[int], unfilled: int
) -> None:
    votes, candidates = _abacus_lists(*candidate_votes)
    result = allocate_seats(votes, seats, candidates=candidates)
    assert _trace(result) == steps
    assert list(result.seats_by_list().values()) == expected
    assert result.unfilled_seats == unfilled
    assert result.ties_by_lot == ()  # Abacus needed no lot in any of them
    assert all(x.total_seats <= candidates[x.list_name] for x in result.lists)


def test_quota_is_exact_and_no_float_is_used() -> None:
    result = allocate_seats({"A": 1, "B": 1, "C": 1}, 7)
    assert isinstance(result.quota, Fraction)
    assert result.quota == Fraction(3, 7)
    assert all(isinstance(e.remainder, Fraction) for e in result.lists)


@pytest.mark.parametrize(
    ("votes", "seats", "message"),
    [
        ({"A": 10}, 0, "seats"),
        ({}, 5, "no lists"),
        ({"A": -1, "B": 5}, 5, "negative"),
        ({"A": 1.5, "B": 5}, 5, "whole number"),
        ({"A": 0, "B": 0}, 5, "no votes"),
    ],
)
def test_bad_arguments_raise_value_error(votes: dict, seats: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        allocate_seats(votes, seats)


# --- the command ------------------------------------------------------------------------------------


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root so that ``seats`` stays a subcommand."""

    seats_command.register(app)
    return app


runner = CliRunner()


def _write(tmp_path: Path, text: str, *, bom: bool = False) -> Path:
    path = tmp_path / "votes.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.mark.parametrize("bom", [False, True])
def test_command_prints_seats_in_input_order(cli: typer.Typer, tmp_path: Path, bom: bool) -> None:
    path = _write(tmp_path, "list_name,votes\nC,1650\nA,7910\nB,4700\nD,740\n", bom=bom)
    result = runner.invoke(cli, ["seats", "--seats", "15", "--votes", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "list_name,votes,seats",
        "C,1650,2",
        "A,7910,8",
        "B,4700,5",
        "D,740,0",
    ]


def test_command_quotes_names_with_commas_and_warns_about_lots(cli: typer.Typer, tmp_path: Path) -> None:
    path = _write(tmp_path, 'list_name,votes\n"Lijst, één",300\nB,300\nC,300\nD,100\n')
    result = runner.invoke(cli, ["seats", "--seats", "5", "--votes", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == '"Lijst, één",300,2'
    assert "lot" in result.stderr


@pytest.mark.parametrize(
    ("content", "seats", "expected"),
    [
        (None, "3", "file not found"),
        ("name,votes\nA,10\n", "3", ":1: missing column 'list_name'"),
        ("list_name,stemmen\nA,10\n", "3", ":1: missing column 'votes'"),
        ("list_name,votes\nA,10\nB,tien\n", "3", ":3: field votes: 'tien' is not a whole number"),
        ("list_name,votes\nA,10\nB,2.5\n", "3", ":3: field votes: '2.5' is not a whole number"),
        ("list_name,votes\nA,10\nB,-4\n", "3", ":3: field votes: -4 is negative"),
        ("list_name,votes\nA,10\n,4\n", "3", ":3: field list_name is empty"),
        ("list_name,votes\nA,10\nA,4\n", "3", ":3: field list_name: 'A' appears more than once"),
        ("", "3", ":1: the file is empty"),
        ("list_name,votes\nA,10\n", "0", "--seats: '0' is not a valid number of seats"),
        ("list_name,votes\nA,10\n", "-2", "--seats: '-2' is not a valid number of seats"),
        ("list_name,votes\nA,10\n", "veel", "--seats: 'veel' is not a valid number of seats"),
    ],
)
def test_command_bad_input_one_line_and_exit_2(
    cli: typer.Typer, tmp_path: Path, content: str | None, seats: str, expected: str
) -> None:
    path = tmp_path / "missing.csv" if content is None else _write(tmp_path, content)
    result = runner.invoke(cli, ["seats", "--seats", seats, "--votes", str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    if not expected.startswith("--seats"):
        assert str(path) in lines[0]
    assert "Traceback" not in result.output


def test_command_is_registered_in_the_stemdag_cli() -> None:
    from etl import cli as stemdag_cli

    stemdag_cli._register()
    names = {
        c.name or (c.callback.__name__ if c.callback else "") for c in stemdag_cli.app.registered_commands
    }
    assert "seats" in names
