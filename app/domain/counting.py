"""The preliminary count of a polling station: the boxes of the official proces-verbaal.

Field names follow the Kiesraad's counting software Abacus (kiesraad/abacus), so that a field name in
an error message means the same box everywhere:

==========================  ====  ===============================================================
field                       box   proces-verbaal
==========================  ====  ===============================================================
poll_card_count             A     stempassen
proxy_certificate_count     B     volmachtbewijzen
voter_card_count            C     kiezerspassen (``None``: the box is not on the form, as at GR)
total_admitted_voters_count D     totaal toegelaten kiezers (A + B + C)
political_group_votes       E.n   stemmen per lijst (and, under DSO, per kandidaat)
votes_candidates_count      E     totaal stemmen op kandidaten (E.1 + ... + E.n)
blank_votes_count           F     blanco stemmen
invalid_votes_count         G     ongeldige stemmen
total_votes_cast_count      H     totaal uitgebrachte stemmen (E + F + G)
more_ballots_count          I     méér getelde stemmen (H - D)
fewer_ballots_count         J     minder getelde stemmen (D - H)
==========================  ====  ===============================================================

The D/H comparison follows the current model (N 10-2 / Na 31-2, Abacus 2026): three tick boxes
"D en H zijn gelijk" / "H is groter dan D" / "H is kleiner dan D", then I or J, then the question
"Zijn er tijdens de stemming dingen opgeschreven die het verschil tussen D en H volledig verklaren?"
(ja / nee). Tick boxes are kept as booleans, because paper leads: a form with two boxes ticked is
recorded as such and rejected by the rules (F.304, F.310), never silently repaired.

Municipal elections (GR) have no kiezerspassen (a voter can only vote in their own municipality, so
the form has no box C). At GR ``voter_card_count`` must be absent (``None``) or 0; anything else is
input that does not fit (:class:`InvalidInput` on ``voter_card_count``), see :func:`check_voter_cards`.

Everything is an ``int``; there is no float anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import InvalidInput

MAX_COUNT = 999_999_999
"""Upper bound for any box: bigger numbers are typing errors (and would not fit the database)."""

MUNICIPAL = "GR"

_DIGITS = re.compile(r"[0-9]+")
_TRUE = frozenset({"1", "true", "ja", "yes", "j", "y", "x", "on"})
_FALSE = frozenset({"", "0", "false", "nee", "no", "n", "off"})


class CountingMethod(StrEnum):
    """CSO: the station counts per list only. DSO: the station also counts per candidate."""

    CSO = "CSO"
    DSO = "DSO"


@dataclass(frozen=True)
class CandidateVotes:
    """Votes for one candidate (DSO only). ``number`` is the candidate's position on the list."""

    number: int
    votes: int


@dataclass(frozen=True)
class PoliticalGroupVotes:
    """One list: E.<number>.

    ``total`` is E.x in the summary of votes per list. Under DSO the form also holds the votes per
    candidate and, at the foot of that column, the list total as the station added it up
    (``candidates_total``; ``None`` when the box was left empty). Under CSO both stay empty.
    """

    number: int
    total: int
    candidate_votes: tuple[CandidateVotes, ...] = ()
    candidates_total: int | None = None

    @property
    def candidate_votes_sum(self) -> int:
        return sum(candidate.votes for candidate in self.candidate_votes)


@dataclass(frozen=True)
class CountForm:
    """The boxes of the proces-verbaal of one polling station, exactly as reported (never corrected)."""

    poll_card_count: int
    proxy_certificate_count: int
    voter_card_count: int | None
    total_admitted_voters_count: int
    political_group_votes: tuple[PoliticalGroupVotes, ...]
    votes_candidates_count: int
    blank_votes_count: int
    invalid_votes_count: int
    total_votes_cast_count: int
    admitted_voters_equal_votes_cast: bool = False
    votes_cast_greater_than_admitted_voters: bool = False
    votes_cast_smaller_than_admitted_voters: bool = False
    more_ballots_count: int = 0
    fewer_ballots_count: int = 0
    difference_completely_accounted_for_yes: bool = False
    difference_completely_accounted_for_no: bool = False

    @property
    def political_group_total_votes_sum(self) -> int:
        """E.1 + ... + E.n."""
        return sum(group.total for group in self.political_group_votes)

    def group(self, number: int) -> PoliticalGroupVotes | None:
        return next((g for g in self.political_group_votes if g.number == number), None)


def political_group_field(number: int, leaf: str = "total") -> str:
    """Field name of a box of list ``number``: ``political_group_votes.3.total`` is E.3.

    ``leaf`` is ``total`` (E.x), ``candidates_total`` (the list total under the candidates, DSO) or
    ``candidate_votes.<candidate number>`` (DSO).
    """
    return f"political_group_votes.{number}.{leaf}"


def is_municipal(election_kind: str) -> bool:
    return election_kind.strip().upper() == MUNICIPAL


def check_voter_cards(form: CountForm, election_kind: str) -> None:
    """At a municipal election (GR) there is no box C: ``voter_card_count`` must be absent or 0."""
    if is_municipal(election_kind) and form.voter_card_count:
        raise InvalidInput(
            "a municipal election (GR) has no voter cards (kiezerspassen): box C must be empty",
            field="voter_card_count",
            key="error.voter_cards_at_municipal_election",
        )


# --- building a form from plain data (a page, a CSV row, JSON) -------------------------------------


def parse_count(value: object, field: str, *, empty: int | None = 0) -> int | None:
    """An integer box: an ``int`` or a string of ASCII digits (surrounding spaces allowed).

    ``None`` and ``""`` are an empty box and give ``empty``. Floats (even ``3.0``), booleans, signs,
    decimals, exponents and negatives raise :class:`InvalidInput` naming ``field``.
    """
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return empty
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput(
            f"{field}: not a whole number: {value!r}",
            field=field,
            key="error.count_not_integer",
            value=repr(value),
        )
    if isinstance(value, str):
        text = value.strip()
        if not _DIGITS.fullmatch(text):
            key = "error.count_negative" if text.startswith("-") and _DIGITS.fullmatch(text[1:]) else None
            raise InvalidInput(
                f"{field}: not a whole number of 0 or more: {value!r}",
                field=field,
                key=key or "error.count_not_integer",
                value=value,
            )
        value = int(text)
    if value < 0:
        raise InvalidInput(
            f"{field}: may not be negative: {value}", field=field, key="error.count_negative", value=value
        )
    if value > MAX_COUNT:
        raise InvalidInput(
            f"{field}: implausibly large: {value}", field=field, key="error.count_too_large", value=value
        )
    return value


def parse_tick(value: object, field: str) -> bool:
    """A tick box: a ``bool``, 0/1, or ja/nee, yes/no, true/false, x/"" (case-insensitive)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise InvalidInput(
        f"{field}: not a tick box value: {value!r}", field=field, key="error.tick_box", value=repr(value)
    )


def _required(data: Mapping[str, object], field: str) -> int:
    if field not in data:
        raise InvalidInput(f"{field}: missing", field=field, key="error.count_missing")
    result = parse_count(data[field], field)
    assert result is not None
    return result


def _optional(data: Mapping[str, object], field: str) -> int:
    result = parse_count(data.get(field), field)
    assert result is not None
    return result


def _candidate_votes(raw: object, number: int) -> tuple[CandidateVotes, ...]:
    field = political_group_field(number, "candidate_votes")
    if raw is None:
        return ()
    if isinstance(raw, Mapping):
        pairs = [(parse_count(k, field, empty=None), v) for k, v in raw.items()]
    elif isinstance(raw, Sequence) and not isinstance(raw, str | bytes):
        pairs = [(position, v) for position, v in enumerate(raw, start=1)]
    else:
        raise InvalidInput(
            f"{field}: expected a list or a mapping of candidate votes",
            field=field,
            key="error.candidate_votes_shape",
        )
    result: list[CandidateVotes] = []
    seen: set[int] = set()
    for candidate, votes in pairs:
        if not candidate or candidate in seen:
            raise InvalidInput(
                f"{field}: bad or repeated candidate number {candidate!r}",
                field=field,
                key="error.candidate_number",
                value=repr(candidate),
            )
        seen.add(candidate)
        leaf = f"candidate_votes.{candidate}"
        count = parse_count(votes, political_group_field(number, leaf))
        assert count is not None
        result.append(CandidateVotes(number=candidate, votes=count))
    return tuple(sorted(result, key=lambda c: c.number))


def _political_groups(raw: object) -> tuple[PoliticalGroupVotes, ...]:
    field = "political_group_votes"
    if raw is None:
        raise InvalidInput(f"{field}: missing", field=field, key="error.count_missing")
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        raise InvalidInput(f"{field}: expected a list of lists", field=field, key="error.political_groups")
    groups: list[PoliticalGroupVotes] = []
    seen: set[int] = set()
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise InvalidInput(
                f"{field}: item {position} is not a mapping", field=field, key="error.political_groups"
            )
        number = parse_count(item.get("number"), f"{field}.{position}.number", empty=None)
        if not number or number in seen:
            raise InvalidInput(
                f"{field}: bad or repeated list number {item.get('number')!r}",
                field=f"{field}.{position}.number",
                key="error.list_number",
                value=repr(item.get("number")),
            )
        seen.add(number)
        total = parse_count(item.get("total"), political_group_field(number))
        assert total is not None
        groups.append(
            PoliticalGroupVotes(
                number=number,
                total=total,
                candidate_votes=_candidate_votes(item.get("candidate_votes"), number),
                candidates_total=parse_count(
                    item.get("candidates_total"),
                    political_group_field(number, "candidates_total"),
                    empty=None,
                ),
            )
        )
    return tuple(sorted(groups, key=lambda g: g.number))


def count_form_from_mapping(data: Mapping[str, object], *, election_kind: str | None = None) -> CountForm:
    """Build a :class:`CountForm` from plain data, rejecting anything that is not a count.

    ``data`` uses the field names of :class:`CountForm`. Required: A, B, D, E, F, G, H and
    ``political_group_votes``, a list of ``{"number", "total", "candidate_votes", "candidates_total"}``
    where ``candidate_votes`` is a list (candidate 1, 2, ...) or a mapping candidate number -> votes.
    A key that is present but empty (``None`` or ``""``) is an empty box: 0, as in Abacus ("leeg of 0");
    ``voter_card_count`` empty or absent is ``None`` (no box C). I, J and the tick boxes are optional.
    Raises :class:`InvalidInput` with ``field`` set to the offending box. With ``election_kind`` given,
    voter cards at a municipal election are rejected too (:func:`check_voter_cards`).
    """
    form = CountForm(
        poll_card_count=_required(data, "poll_card_count"),
        proxy_certificate_count=_required(data, "proxy_certificate_count"),
        voter_card_count=parse_count(data.get("voter_card_count"), "voter_card_count", empty=None),
        total_admitted_voters_count=_required(data, "total_admitted_voters_count"),
        political_group_votes=_political_groups(data.get("political_group_votes")),
        votes_candidates_count=_required(data, "votes_candidates_count"),
        blank_votes_count=_required(data, "blank_votes_count"),
        invalid_votes_count=_required(data, "invalid_votes_count"),
        total_votes_cast_count=_required(data, "total_votes_cast_count"),
        admitted_voters_equal_votes_cast=parse_tick(
            data.get("admitted_voters_equal_votes_cast"), "admitted_voters_equal_votes_cast"
        ),
        votes_cast_greater_than_admitted_voters=parse_tick(
            data.get("votes_cast_greater_than_admitted_voters"), "votes_cast_greater_than_admitted_voters"
        ),
        votes_cast_smaller_than_admitted_voters=parse_tick(
            data.get("votes_cast_smaller_than_admitted_voters"), "votes_cast_smaller_than_admitted_voters"
        ),
        more_ballots_count=_optional(data, "more_ballots_count"),
        fewer_ballots_count=_optional(data, "fewer_ballots_count"),
        difference_completely_accounted_for_yes=parse_tick(
            data.get("difference_completely_accounted_for_yes"), "difference_completely_accounted_for_yes"
        ),
        difference_completely_accounted_for_no=parse_tick(
            data.get("difference_completely_accounted_for_no"), "difference_completely_accounted_for_no"
        ),
    )
    if election_kind is not None:
        check_voter_cards(form, election_kind)
    return form
