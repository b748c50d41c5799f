"""Consistency checks on parsed counts, as plain data.

Two kinds of finding:

* **Count rules per reporting unit** (the proces-verbaal arithmetic) come back as ``ParseWarning``
  objects carrying the Kiesraad code where one applies. Paper leads: a station's count that does
  not add up is still imported as reported, and the warning says so.

  ======  =====================================================================
  F.201   A + B + C ≠ D (stempassen + volmachtbewijzen + kiezerspassen ≠ toegelaten kiezers)
  F.202   ΣE.n ≠ E (the votes per list do not add up to the valid votes)
  F.203   E + F + G ≠ H (valid + blank + invalid ≠ votes cast), only when H is given separately
  F.402   a list total ≠ the sum of its candidates' votes (candidate-level files only)
  W.203   \\|D − H\\| ≥ 2 % of H or ≥ 15 (admitted voters and votes cast differ noticeably)
  ======  =====================================================================

* **Structural problems** (the file contradicts itself: its own total is not the sum of its
  reporting units) raise ``ImportProblem``: such a file is refused.

Self-contained and integer-only on purpose; ``app.domain.validation`` holds the full rule set and
may replace these later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from etl.model import LEVEL_STATION, ParsedCount, ParseWarning
from etl.parsers.errors import ImportProblem

_BOXES: tuple[tuple[str, str], ...] = (
    ("poll_card_count", "geldige stempassen (A)"),
    ("proxy_certificate_count", "geldige volmachtbewijzen (B)"),
    ("voter_card_count", "geldige kiezerspassen (C)"),
    ("total_admitted_voters_count", "toegelaten kiezers (D)"),
    ("valid_votes_count", "geldige stembiljetten (E)"),
    ("blank_votes_count", "blanco stembiljetten (F)"),
    ("invalid_votes_count", "ongeldige stembiljetten (G)"),
)


def unit_label(count: ParsedCount) -> str:
    """How a reporting unit is named in messages: ``station 3 (Gemeentehuis)``, ``GM0668``..."""
    if count.level == LEVEL_STATION and count.station_number is not None:
        label = f"station {count.station_number}"
        if count.municipality_code:
            label = f"{count.municipality_code} {label}"
    else:
        label = count.municipality_code or count.unit_id
    return f"{label} ({count.name})" if count.name else label


def check_count(count: ParsedCount, *, h_given: bool = True) -> list[ParseWarning]:
    """The count rules for one reporting unit. ``h_given``: the file states H itself."""
    found: list[ParseWarning] = []
    place = unit_label(count)
    a, b, c = count.poll_card_count, count.proxy_certificate_count, count.voter_card_count
    d = count.total_admitted_voters_count
    if a is not None and b is not None and d is not None and a + b + (c or 0) != d:
        found.append(
            ParseWarning("F.201", f"A + B + C = {a + b + (c or 0)} but toegelaten kiezers D = {d}", place)
        )
    e = count.valid_votes_count
    if e is not None and count.list_votes:
        total = sum(count.list_votes.values())
        if total != e:
            found.append(ParseWarning("F.202", f"the votes per list add up to {total}, not E = {e}", place))
    f, g, h = count.blank_votes_count, count.invalid_votes_count, count.total_votes_cast_count
    if h_given and None not in (e, f, g, h) and e + f + g != h:  # type: ignore[operator]
        found.append(
            ParseWarning("F.203", f"E + F + G = {e + f + g} but votes cast H = {h}", place)  # type: ignore[operator]
        )
    if count.candidate_votes:
        per_list: dict[int, int] = {}
        for (list_number, _candidate), votes in count.candidate_votes.items():
            per_list[list_number] = per_list.get(list_number, 0) + votes
        for list_number, candidate_sum in sorted(per_list.items()):
            list_total = count.list_votes.get(list_number)
            if list_total is not None and list_total != candidate_sum:
                found.append(
                    ParseWarning(
                        "F.402",
                        f"list {list_number}: the candidates add up to {candidate_sum}, "
                        f"not the list total {list_total}",
                        place,
                    )
                )
    if d is not None and h is not None:
        diff = abs(d - h)
        if diff and (diff >= 15 or 100 * diff >= 2 * h):
            found.append(
                ParseWarning(
                    "W.203",
                    f"toegelaten kiezers D = {d} and votes cast H = {h} differ by {diff}",
                    place,
                )
            )
    return found


def check_counts(counts: Iterable[ParsedCount], *, h_given: bool = True) -> list[ParseWarning]:
    """``check_count`` over many reporting units."""
    found: list[ParseWarning] = []
    for count in counts:
        found.extend(check_count(count, h_given=h_given))
    return found


def check_file_totals(
    file: str,
    total: ParsedCount | None,
    counts: Sequence[ParsedCount],
    *,
    place: str = "",
    skip: Iterable[str] = ("electorate",),
) -> None:
    """Refuse a file whose own total differs from the sum of its reporting units.

    Compares the count boxes, the votes per list and per candidate. ``electorate`` is skipped by
    default: per-station electorate figures are placeholders in many files.
    """
    if total is None or not counts:
        return
    skipped = set(skip)
    for attr, label in _BOXES:
        if attr in skipped:
            continue
        expected = getattr(total, attr)
        values = [getattr(c, attr) for c in counts]
        if expected is None or any(v is None for v in values):
            continue
        got = sum(values)
        if got != expected:
            raise ImportProblem(
                file,
                place or "total",
                f"inconsistent totals: {label} is {expected} in the file's total "
                f"but {got} summed over its {len(counts)} reporting units",
            )
    sums: dict[int, int] = {}
    for c in counts:
        for list_number, votes in c.list_votes.items():
            sums[list_number] = sums.get(list_number, 0) + votes
    for list_number, expected in total.list_votes.items():
        got = sums.get(list_number, 0)
        if got != expected:
            raise ImportProblem(
                file,
                place or "total",
                f"inconsistent totals: list {list_number} has {expected} votes in "
                f"the file's total but {got} summed over its reporting units",
            )
    if total.candidate_votes:
        csums: dict[tuple[int, int], int] = {}
        for c in counts:
            for key, votes in c.candidate_votes.items():
                csums[key] = csums.get(key, 0) + votes
        for key, expected in total.candidate_votes.items():
            got = csums.get(key, 0)
            if got != expected:
                raise ImportProblem(
                    file,
                    place or "total",
                    f"inconsistent totals: list {key[0]} candidate {key[1]} has "
                    f"{expected} votes in the file's total but {got} summed over its reporting units",
                )
