"""The count form and building it from plain data (a page, a CSV row)."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain.counting import (
    MAX_COUNT,
    CandidateVotes,
    CountForm,
    PoliticalGroupVotes,
    check_voter_cards,
    count_form_from_mapping,
    parse_count,
    parse_tick,
    political_group_field,
)
from app.domain.errors import InvalidInput


def raw(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "poll_card_count": "98",
        "proxy_certificate_count": "2",
        "total_admitted_voters_count": "100",
        "political_group_votes": [
            {"number": "1", "total": "60", "candidate_votes": ["40", "20"], "candidates_total": "60"},
            {"number": 2, "total": 36, "candidate_votes": {"2": 6, "1": 30}, "candidates_total": 36},
        ],
        "votes_candidates_count": "96",
        "blank_votes_count": "3",
        "invalid_votes_count": "1",
        "total_votes_cast_count": "100",
        "admitted_voters_equal_votes_cast": "ja",
        "difference_completely_accounted_for_yes": "",
    }
    data.update(overrides)
    return data


def test_builds_form_from_strings_and_ints() -> None:
    form = count_form_from_mapping(raw())
    assert form.poll_card_count == 98
    assert form.voter_card_count is None
    assert form.total_votes_cast_count == 100
    assert form.admitted_voters_equal_votes_cast is True
    assert form.votes_cast_greater_than_admitted_voters is False
    assert form.more_ballots_count == 0 and form.fewer_ballots_count == 0
    assert form.political_group_total_votes_sum == 96
    first, second = form.political_group_votes
    assert first.candidate_votes == (CandidateVotes(1, 40), CandidateVotes(2, 20))
    assert second.candidate_votes == (CandidateVotes(1, 30), CandidateVotes(2, 6))  # sorted by number
    assert second.candidate_votes_sum == 36
    assert form.group(2) is second and form.group(3) is None


def test_form_is_frozen() -> None:
    form = count_form_from_mapping(raw())
    with pytest.raises(dataclasses.FrozenInstanceError):
        form.poll_card_count = 1  # type: ignore[misc]


def test_lists_are_sorted_by_number() -> None:
    groups = [{"number": 3, "total": 1}, {"number": 1, "total": 2}]
    form = count_form_from_mapping(raw(political_group_votes=groups))
    assert [g.number for g in form.political_group_votes] == [1, 3]


def test_empty_box_is_zero_and_empty_c_is_absent() -> None:
    form = count_form_from_mapping(raw(blank_votes_count="", voter_card_count=" ", more_ballots_count=None))
    assert form.blank_votes_count == 0
    assert form.voter_card_count is None
    assert form.more_ballots_count == 0


def test_surrounding_spaces_are_allowed() -> None:
    assert count_form_from_mapping(raw(poll_card_count=" 98 ")).poll_card_count == 98


@pytest.mark.parametrize("bad", ["-1", -1, "3.5", 3.5, 3.0, "1e3", "12a", "+4", "٣", True, [1], "1 000"])
def test_rejects_non_integers_and_negatives_naming_the_field(bad: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        count_form_from_mapping(raw(blank_votes_count=bad))
    assert caught.value.field == "blank_votes_count"


def test_negative_has_its_own_message_key() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_count("-4", "invalid_votes_count")
    assert caught.value.message_key == "error.count_negative"
    assert caught.value.field == "invalid_votes_count"


def test_rejects_implausibly_large() -> None:
    assert parse_count(MAX_COUNT, "x") == MAX_COUNT
    with pytest.raises(InvalidInput):
        parse_count(MAX_COUNT + 1, "x")


def test_missing_required_box_is_named() -> None:
    data = raw()
    del data["total_votes_cast_count"]
    with pytest.raises(InvalidInput) as caught:
        count_form_from_mapping(data)
    assert caught.value.field == "total_votes_cast_count"


def test_missing_lists_are_rejected() -> None:
    data = raw()
    del data["political_group_votes"]
    with pytest.raises(InvalidInput) as caught:
        count_form_from_mapping(data)
    assert caught.value.field == "political_group_votes"


def test_bad_list_total_names_the_list() -> None:
    groups = [{"number": 1, "total": "10"}, {"number": 4, "total": "ten"}]
    with pytest.raises(InvalidInput) as caught:
        count_form_from_mapping(raw(political_group_votes=groups))
    assert caught.value.field == political_group_field(4) == "political_group_votes.4.total"


def test_bad_candidate_votes_name_the_candidate() -> None:
    groups = [{"number": 2, "total": 5, "candidate_votes": ["5", "-1"]}]
    with pytest.raises(InvalidInput) as caught:
        count_form_from_mapping(raw(political_group_votes=groups))
    assert caught.value.field == "political_group_votes.2.candidate_votes.2"


@pytest.mark.parametrize("numbers", [[1, 1], [0], ["x"], [None]])
def test_rejects_bad_or_repeated_list_numbers(numbers: list[object]) -> None:
    groups = [{"number": n, "total": 1} for n in numbers]
    with pytest.raises(InvalidInput) as caught:
        count_form_from_mapping(raw(political_group_votes=groups))
    assert caught.value.field is not None and caught.value.field.startswith("political_group_votes")


def test_rejects_repeated_candidate_numbers() -> None:
    groups = [{"number": 1, "total": 2, "candidate_votes": {"1": 1, " 1": 1}}]
    with pytest.raises(InvalidInput):
        count_form_from_mapping(raw(political_group_votes=groups))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        ("Ja", True),
        ("x", True),
        (1, True),
        (False, False),
        ("nee", False),
        ("", False),
        (None, False),
    ],
)
def test_tick_box_values(value: object, expected: bool) -> None:
    assert parse_tick(value, "f") is expected


@pytest.mark.parametrize("bad", ["misschien", 2, 0.0])
def test_tick_box_rejects_other_values(bad: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        count_form_from_mapping(raw(difference_completely_accounted_for_no=bad))
    assert caught.value.field == "difference_completely_accounted_for_no"


def test_voter_cards_rejected_at_municipal_election() -> None:
    with pytest.raises(InvalidInput) as caught:
        count_form_from_mapping(raw(voter_card_count="3"), election_kind="GR")
    assert caught.value.field == "voter_card_count"


def test_voter_cards_zero_or_absent_accepted_at_municipal_election() -> None:
    assert count_form_from_mapping(raw(voter_card_count="0"), election_kind="GR").voter_card_count == 0
    assert count_form_from_mapping(raw(), election_kind="GR").voter_card_count is None


def test_voter_cards_accepted_at_other_elections() -> None:
    form = count_form_from_mapping(raw(voter_card_count="3"), election_kind="TK")
    assert form.voter_card_count == 3
    check_voter_cards(form, "EP")  # does not raise
    with pytest.raises(InvalidInput):
        check_voter_cards(form, "GR")


def test_candidate_votes_sum() -> None:
    group = PoliticalGroupVotes(1, 7, (CandidateVotes(1, 3), CandidateVotes(2, 4)), 7)
    assert group.candidate_votes_sum == 7
    assert PoliticalGroupVotes(2, 0).candidate_votes_sum == 0


def test_form_defaults_for_difference_boxes() -> None:
    form = CountForm(1, 0, None, 1, (PoliticalGroupVotes(1, 1),), 1, 0, 0, 1)
    assert form.more_ballots_count == 0 and form.fewer_ballots_count == 0
    assert not form.difference_completely_accounted_for_yes
    assert not form.difference_completely_accounted_for_no
