"""One test per Kiesraad rule code, named after it (test_f201_..., test_w203_...), edges included."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

import pytest

import app.domain.validation as validation_module
from app.domain.counting import CandidateVotes, CountForm, PoliticalGroupVotes
from app.domain.errors import InvalidInput
from app.domain.validation import RULES, Issue, Severity, ValidationResult, validate_count


def dso_group(number: int, votes: list[int], *, total: int | None = None, list_total: int | None = None):
    candidates = tuple(CandidateVotes(i, v) for i, v in enumerate(votes, start=1))
    return PoliticalGroupVotes(
        number=number,
        total=sum(votes) if total is None else total,
        candidate_votes=candidates,
        candidates_total=sum(votes) if list_total is None else list_total,
    )


def form(**changes: object) -> CountForm:
    """A consistent DSO form without any finding: D = H = 100, F = G = 2 (below 3%)."""
    base = CountForm(
        poll_card_count=98,
        proxy_certificate_count=2,
        voter_card_count=None,
        total_admitted_voters_count=100,
        political_group_votes=(dso_group(1, [40, 20]), dso_group(2, [30, 6])),
        votes_candidates_count=96,
        blank_votes_count=2,
        invalid_votes_count=2,
        total_votes_cast_count=100,
        admitted_voters_equal_votes_cast=True,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def cso_form(**changes: object) -> CountForm:
    groups = (PoliticalGroupVotes(1, 60), PoliticalGroupVotes(2, 36))
    return form(political_group_votes=groups, **changes)


def check(f: CountForm, method: str = "DSO", kind: str = "TK") -> ValidationResult:
    return validate_count(f, counting_method=method, election_kind=kind)


def issue(result: ValidationResult, code: str) -> Issue:
    found = [i for i in (*result.errors, *result.warnings) if i.code == code]
    assert len(found) == 1, f"expected one {code}, got {result.codes}"
    return found[0]


def with_d_h(d: int, h: int, **changes: object) -> CountForm:
    """D and H set, with A and E moved along so that only the D/H rules can fire."""
    blank, invalid = 0, 0
    e = h
    groups = (dso_group(1, [e]),)
    return form(
        poll_card_count=d - 2 if d >= 2 else 0,
        proxy_certificate_count=2 if d >= 2 else d,
        total_admitted_voters_count=d,
        political_group_votes=groups,
        votes_candidates_count=e,
        blank_votes_count=blank,
        invalid_votes_count=invalid,
        total_votes_cast_count=h,
        **changes,
    )


def differences_ok(d: int, h: int) -> dict[str, object]:
    """The correct difference boxes for D and H."""
    return {
        "admitted_voters_equal_votes_cast": d == h,
        "votes_cast_greater_than_admitted_voters": h > d,
        "votes_cast_smaller_than_admitted_voters": h < d,
        "more_ballots_count": max(h - d, 0),
        "fewer_ballots_count": max(d - h, 0),
        "difference_completely_accounted_for_yes": d != h,
    }


# --- the base cases -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["GR", "TK", "EP"])
def test_consistent_form_has_no_findings(kind: str) -> None:
    assert check(form(), "DSO", kind) == ValidationResult()
    assert check(cso_form(), "CSO", kind) == ValidationResult()


@pytest.mark.parametrize(("d", "h"), [(100, 101), (101, 100), (0, 0), (1000, 1014), (1014, 1000)])
def test_correct_difference_boxes_have_no_errors(d: int, h: int) -> None:
    result = check(with_d_h(d, h, **differences_ok(d, h)))
    assert result.errors == ()


# --- F.2xx ----------------------------------------------------------------------------------------------


def test_f201_a_b_c_not_adding_up_to_d() -> None:
    result = check(form(poll_card_count=97))
    f201 = issue(result, "F.201")
    assert f201.fields == (
        "poll_card_count",
        "proxy_certificate_count",
        "voter_card_count",
        "total_admitted_voters_count",
    )
    assert f201.text_nl == "A, B en C tellen niet op tot D"
    assert result.blocks_submission
    # one too many is as wrong as one too few
    assert "F.201" in check(form(poll_card_count=99)).codes


def test_f201_voter_cards_count_at_other_elections() -> None:
    assert "F.201" not in check(form(poll_card_count=95, voter_card_count=3), kind="TK").codes
    assert "F.201" in check(form(voter_card_count=3), kind="TK").codes


def test_f201_municipal_election_has_no_box_c() -> None:
    f201 = issue(check(form(proxy_certificate_count=3), kind="GR"), "F.201")
    assert f201.fields == ("poll_card_count", "proxy_certificate_count", "total_admitted_voters_count")
    assert f201.text_nl == "A en B tellen niet op tot D"
    assert f201.text_en == "A and B do not add up to D"


def test_f202_lists_not_adding_up_to_e() -> None:
    groups = (dso_group(1, [40, 21]), dso_group(2, [30, 6]))  # 97 on lists, E says 96
    f202 = issue(check(form(political_group_votes=groups)), "F.202")
    assert f202.fields == (
        "political_group_votes.1.total",
        "political_group_votes.2.total",
        "votes_candidates_count",
    )
    assert "F.202" in check(form(votes_candidates_count=97)).codes
    assert "F.202" in check(form(votes_candidates_count=95)).codes


def test_f203_e_f_g_not_adding_up_to_h() -> None:
    f203 = issue(check(form(invalid_votes_count=3)), "F.203")
    assert f203.fields == (
        "votes_candidates_count",
        "blank_votes_count",
        "invalid_votes_count",
        "total_votes_cast_count",
    )
    assert "F.203" in check(form(blank_votes_count=1)).codes
    assert "F.203" not in check(form(blank_votes_count=3, invalid_votes_count=1)).codes


def test_f204_e_empty_while_lists_have_votes() -> None:
    result = check(form(votes_candidates_count=0))
    f204 = issue(result, "F.204")
    assert f204.fields[0] == "votes_candidates_count"
    assert "F.202" not in result.codes and "F.203" not in result.codes  # F.204 replaces them


def test_f204_not_when_lists_are_empty_too() -> None:
    groups = (dso_group(1, [0, 0]), dso_group(2, [0]))
    result = check(form(political_group_votes=groups, votes_candidates_count=0))
    assert "F.204" not in result.codes
    assert "F.203" in result.codes  # 0 + 2 + 2 is not 100


# --- F.3xx ----------------------------------------------------------------------------------------------


def test_f301_equal_ticked_but_d_and_h_differ() -> None:
    f = with_d_h(
        100,
        101,
        **{
            **differences_ok(100, 101),
            "admitted_voters_equal_votes_cast": True,
            "votes_cast_greater_than_admitted_voters": False,
        },
    )
    f301 = issue(check(f), "F.301")
    assert f301.fields == ("compare_votes_cast_admitted_voters.admitted_voters_equal_votes_cast",)
    assert "F.301" not in check(with_d_h(100, 100, **differences_ok(100, 100))).codes


def test_f302_greater_ticked_but_h_not_greater() -> None:
    ticks = {"admitted_voters_equal_votes_cast": False, "votes_cast_greater_than_admitted_voters": True}
    assert "F.302" in check(with_d_h(100, 100, **ticks)).codes  # equal: not greater
    assert "F.302" in check(with_d_h(101, 100, **ticks)).codes
    assert "F.302" not in check(with_d_h(100, 101, **ticks)).codes


def test_f303_smaller_ticked_but_h_not_smaller() -> None:
    ticks = {"admitted_voters_equal_votes_cast": False, "votes_cast_smaller_than_admitted_voters": True}
    assert "F.303" in check(with_d_h(100, 100, **ticks)).codes  # equal: not smaller
    assert "F.303" in check(with_d_h(100, 101, **ticks)).codes
    assert "F.303" not in check(with_d_h(101, 100, **ticks)).codes


@pytest.mark.parametrize(
    ("equal", "greater", "smaller", "fires"),
    [
        (False, False, False, True),
        (True, True, False, True),
        (True, True, True, True),
        (False, True, True, True),
        (True, False, False, False),
    ],
)
def test_f304_compare_d_h_needs_exactly_one_tick(
    equal: bool, greater: bool, smaller: bool, fires: bool
) -> None:
    f = form(
        admitted_voters_equal_votes_cast=equal,
        votes_cast_greater_than_admitted_voters=greater,
        votes_cast_smaller_than_admitted_voters=smaller,
    )
    assert ("F.304" in check(f).codes) is fires
    if fires:
        assert issue(check(f), "F.304").fields == ("compare_votes_cast_admitted_voters",)


def test_f305_i_or_j_filled_while_d_equals_h() -> None:
    assert issue(check(form(more_ballots_count=1)), "F.305").fields == ("more_ballots_count",)
    assert issue(check(form(fewer_ballots_count=2)), "F.305").fields == ("fewer_ballots_count",)
    both = issue(check(form(more_ballots_count=1, fewer_ballots_count=1)), "F.305")
    assert both.fields == ("more_ballots_count", "fewer_ballots_count")
    assert "F.305" not in check(form()).codes


def test_f306_i_is_not_h_minus_d() -> None:
    ok = differences_ok(100, 103)
    assert "F.306" not in check(with_d_h(100, 103, **ok)).codes
    for wrong in (0, 2, 4):
        f306 = issue(check(with_d_h(100, 103, **{**ok, "more_ballots_count": wrong})), "F.306")
        assert f306.fields == ("more_ballots_count",)


def test_f307_j_filled_while_h_greater_than_d() -> None:
    ok = differences_ok(100, 103)
    f307 = issue(check(with_d_h(100, 103, **{**ok, "fewer_ballots_count": 3})), "F.307")
    assert f307.fields == ("more_ballots_count", "fewer_ballots_count")
    assert "F.307" not in check(with_d_h(100, 103, **ok)).codes


def test_f308_j_is_not_d_minus_h() -> None:
    ok = differences_ok(103, 100)
    assert "F.308" not in check(with_d_h(103, 100, **ok)).codes
    for wrong in (0, 2, 4):
        f308 = issue(check(with_d_h(103, 100, **{**ok, "fewer_ballots_count": wrong})), "F.308")
        assert f308.fields == ("fewer_ballots_count",)


def test_f309_i_filled_while_h_smaller_than_d() -> None:
    ok = differences_ok(103, 100)
    f309 = issue(check(with_d_h(103, 100, **{**ok, "more_ballots_count": 3})), "F.309")
    assert f309.fields == ("more_ballots_count", "fewer_ballots_count")
    assert "F.309" not in check(with_d_h(103, 100, **ok)).codes


@pytest.mark.parametrize(
    ("yes", "no", "fires"),
    [(False, False, True), (True, True, True), (True, False, False), (False, True, False)],
)
def test_f310_explained_question_needs_exactly_one_answer(yes: bool, no: bool, fires: bool) -> None:
    answers = {"difference_completely_accounted_for_yes": yes, "difference_completely_accounted_for_no": no}
    f = with_d_h(100, 99, **{**differences_ok(100, 99), **answers})
    assert ("F.310" in check(f).codes) is fires
    # when D equals H the question is skipped: no answer is fine
    assert "F.310" not in check(with_d_h(100, 100, **{**differences_ok(100, 100), **answers})).codes


@pytest.mark.parametrize(("yes", "no"), [(True, False), (False, True), (True, True)])
def test_f313_explained_answered_while_d_equals_h(yes: bool, no: bool) -> None:
    answers = {"difference_completely_accounted_for_yes": yes, "difference_completely_accounted_for_no": no}
    f313 = issue(check(with_d_h(100, 100, **{**differences_ok(100, 100), **answers})), "F.313")
    assert f313.fields == ("difference_completely_accounted_for",)  # shown at the question itself
    assert f313.severity is Severity.ERROR
    assert f313.text_nl == (
        "D en H zijn gelijk, dus er is geen onverklaard verschil. Vraag 2.3.2 moet overgeslagen worden."
    )
    assert f313.text_en.startswith("D and H are equal")
    # the form is otherwise correct: F.313 alone blocks it
    assert check(with_d_h(100, 100, **{**differences_ok(100, 100), **answers})).codes == ("F.313",)


def test_f313_not_when_the_question_is_skipped_or_d_and_h_differ() -> None:
    assert check(with_d_h(100, 100, **differences_ok(100, 100))).errors == ()  # unanswered: skipped
    assert check(with_d_h(0, 0, **differences_ok(0, 0))).errors == ()
    for d, h in ((100, 99), (99, 100)):  # a difference: the question must be answered (F.310), not skipped
        answered = with_d_h(d, h, **differences_ok(d, h))
        assert answered.difference_completely_accounted_for_yes and check(answered).errors == ()


def test_f313_does_not_apply_under_cso() -> None:
    answered = {
        "difference_completely_accounted_for_yes": True,
        "difference_completely_accounted_for_no": True,
    }
    assert "F.313" in check(form(**answered)).codes  # DSO
    assert RULES["F.313"].dso_only
    assert check(cso_form(**answered), "CSO").errors == ()


# --- F.4xx (DSO only) ------------------------------------------------------------------------------------


def test_f401_list_total_empty_while_candidates_have_votes() -> None:
    groups = (dso_group(1, [40, 20]), dataclasses.replace(dso_group(2, [30, 6]), candidates_total=None))
    result = check(form(political_group_votes=groups))
    f401 = issue(result, "F.401")
    assert f401.fields == ("political_group_votes.2.candidates_total",)
    assert f401.political_group_number == 2
    assert "F.402" not in result.codes and "F.403" not in result.codes  # F.401 replaces them


def test_f401_list_total_zero_while_e_x_has_votes() -> None:
    groups = (dso_group(1, [40, 20]), dso_group(2, [0, 0], total=36, list_total=0))
    assert issue(check(form(political_group_votes=groups)), "F.401").political_group_number == 2


def test_f401_not_for_an_empty_list() -> None:
    groups = (dso_group(1, [60, 36]), dso_group(2, [0, 0]))
    assert check(form(political_group_votes=groups)).errors == ()


def test_f402_candidates_do_not_add_up_to_list_total() -> None:
    groups = (dso_group(1, [40, 20]), dso_group(2, [30, 5], total=36, list_total=36))
    result = check(form(political_group_votes=groups))
    f402 = issue(result, "F.402")
    assert f402.fields == (
        "political_group_votes.2.candidates_total",
        "political_group_votes.2.candidate_votes.1",
        "political_group_votes.2.candidate_votes.2",
    )
    assert "F.403" not in result.codes
    groups = (dso_group(1, [40, 20]), dso_group(2, [30, 7], total=36, list_total=36))
    assert "F.402" in check(form(political_group_votes=groups)).codes


def test_f403_list_total_differs_from_e_x() -> None:
    groups = (dso_group(1, [40, 20]), dso_group(2, [30, 6], total=35))
    f403 = issue(
        check(form(political_group_votes=groups, votes_candidates_count=95, blank_votes_count=3)), "F.403"
    )
    assert f403.fields == ("political_group_votes.2.candidates_total", "political_group_votes.2.total")
    assert f403.text_nl == "Controleer het totaal van de lijst en E.2"
    assert f403.text_en == "Check the list total and E.2"
    assert f403.political_group_number == 2


def test_f403_text_refers_to_the_station_form() -> None:
    """The chair fills in the station's own form: the municipal committee's sections (rubriek 3.2 of the
    first session, 2.2 of a next one) are not on it, so the text names only the boxes the chair has
    (the list total and E.n), and it is shown at both of them."""
    groups = (dso_group(1, [40, 20]), dso_group(2, [30, 6], total=35))
    f403 = issue(
        check(form(political_group_votes=groups, votes_candidates_count=95, blank_votes_count=3)), "F.403"
    )
    for text in (f403.text_nl, f403.text_en, RULES["F.403"].text_nl, RULES["F.403"].text_en):
        lowered = text.lower()
        assert not any(word in lowered for word in ("rubriek", "zitting", "section", "session")), text
        assert "3.2" not in text and "2.2" not in text, text
    assert "E.2" in f403.text_nl and "E.2" in f403.text_en
    assert f403.code == "F.403"  # the code staff recognise is kept
    # F.401 and F.402 name no section of any form either
    for code in ("F.401", "F.402"):
        assert not any(w in RULES[code].text_nl.lower() for w in ("rubriek", "zitting")), code


def test_f401_f402_f403_do_not_apply_under_cso() -> None:
    result = check(cso_form(), "CSO")
    assert result.errors == ()
    assert all(not RULES[code].dso_only for code in check(cso_form(blank_votes_count=9), "CSO").codes)


# --- W.2xx ----------------------------------------------------------------------------------------------


def with_blank_invalid(h: int, blank: int, invalid: int) -> CountForm:
    """A consistent form with D = H, and F and G as given."""
    e = h - blank - invalid
    return dataclasses.replace(
        with_d_h(h, h, **differences_ok(h, h)),
        political_group_votes=(dso_group(1, [e]),),
        votes_candidates_count=e,
        blank_votes_count=blank,
        invalid_votes_count=invalid,
    )


@pytest.mark.parametrize(
    ("h", "blank", "warns"),
    [
        (100, 3, True),  # exactly 3%
        (100, 2, False),  # one below
        (101, 3, False),  # 3 is 2.97% of 101
        (101, 4, True),
        (1000, 29, False),
        (1000, 30, True),
        (0, 0, False),  # nothing cast: W.204, not W.201
        (10, 1, True),  # 10%
    ],
)
def test_w201_blank_votes_at_least_3_percent_of_h(h: int, blank: int, warns: bool) -> None:
    result = check(with_blank_invalid(h, blank, 0))
    assert result.errors == ()
    assert ("W.201" in result.codes) is warns
    if warns:
        w201 = issue(result, "W.201")
        assert w201.fields == ("blank_votes_count",) and w201.severity is Severity.WARNING
        assert not result.blocks_submission


@pytest.mark.parametrize(
    ("h", "invalid", "warns"),
    [
        (100, 3, True),
        (100, 2, False),
        (101, 3, False),
        (101, 4, True),
        (0, 0, False),
    ],
)
def test_w202_invalid_votes_at_least_3_percent_of_h(h: int, invalid: int, warns: bool) -> None:
    result = check(with_blank_invalid(h, 0, invalid))
    assert result.errors == ()
    assert ("W.202" in result.codes) is warns
    if warns:
        assert issue(result, "W.202").fields == ("invalid_votes_count",)


@pytest.mark.parametrize(
    ("d", "h", "warns"),
    [
        (101, 100, False),  # 1%
        (102, 100, True),  # exactly 2% of H
        (103, 100, True),
        (100, 102, False),  # 2% is taken of H (as in Abacus): 2 is under 2% of 102
        (1014, 1000, False),  # 14 and 1.4%
        (1015, 1000, True),  # exactly 15
        (1016, 1000, True),
        (1000, 1014, False),
        (1000, 1015, True),  # 15 the other way round
        (5, 0, True),  # H = 0 and a difference
        (0, 0, False),  # no difference at all
        (100, 100, False),
    ],
)
def test_w203_difference_d_h_2_percent_of_h_or_15(d: int, h: int, warns: bool) -> None:
    result = check(with_d_h(d, h, **differences_ok(d, h)))
    assert result.errors == ()
    assert ("W.203" in result.codes) is warns
    if warns:
        assert issue(result, "W.203").fields == ("total_admitted_voters_count", "total_votes_cast_count")


def test_w204_h_is_zero() -> None:
    result = check(with_d_h(0, 0, **differences_ok(0, 0)))
    assert issue(result, "W.204").fields == ("total_votes_cast_count",)
    assert result.errors == ()
    assert "W.204" not in check(with_d_h(1, 1, **differences_ok(1, 1))).codes


# --- the result and the entry point ----------------------------------------------------------------------


def test_result_helpers() -> None:
    result = check(with_blank_invalid(100, 3, 3))
    assert result.codes == ("W.201", "W.202")
    assert [i.code for i in result.for_field("blank_votes_count")] == ["W.201"]
    missing = result.unexplained_warnings({"W.201": "storm van protest", "W.202": "   "})
    assert [w.code for w in missing] == ["W.202"]
    assert result.unexplained_warnings({"W.201": "a", "W.202": "b"}) == ()


def test_errors_come_in_code_order_and_every_issue_has_both_texts() -> None:
    result = check(form(poll_card_count=1, invalid_votes_count=50, more_ballots_count=3))
    assert [i.code for i in result.errors] == sorted(i.code for i in result.errors)
    for found in (*result.errors, *result.warnings):
        assert found.text_nl and found.text_en and found.fields


def test_unknown_counting_method_or_election_kind_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_count(form(), counting_method="XSO", election_kind="TK")
    assert caught.value.field == "counting_method"
    with pytest.raises(InvalidInput) as caught:
        validate_count(form(), counting_method="DSO", election_kind="GR2026")
    assert caught.value.field == "election_kind"
    assert validate_count(form(), counting_method="dso", election_kind="TK") == ValidationResult()


def test_voter_cards_at_municipal_election_are_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        check(form(poll_card_count=95, voter_card_count=3), kind="GR")
    assert caught.value.field == "voter_card_count"
    assert check(form(voter_card_count=0), kind="GR") == ValidationResult()


def test_candidate_votes_under_cso_are_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        check(form(), "CSO")
    assert caught.value.field == "political_group_votes.1.candidate_votes"


def test_lists_must_be_the_elections() -> None:
    assert (
        validate_count(form(), counting_method="DSO", election_kind="TK", lists={1: 2, 2: 2})
        == ValidationResult()
    )
    with pytest.raises(InvalidInput) as caught:
        validate_count(form(), counting_method="DSO", election_kind="TK", lists={1: 2, 2: 2, 3: 5})
    assert caught.value.field == "political_group_votes"
    with pytest.raises(InvalidInput) as caught:
        validate_count(form(), counting_method="DSO", election_kind="TK", lists={1: 2, 2: 3})
    assert caught.value.field == "political_group_votes.2.candidate_votes"
    validate_count(cso_form(), counting_method="CSO", election_kind="TK", lists={1: 2, 2: 3})


def test_every_rule_has_code_texts_and_fields() -> None:
    for code, rule in RULES.items():
        assert code == rule.code and code[0] in "FW" and code[1] == "."
        assert rule.text_nl and rule.text_en and rule.fields and rule.condition_nl
        assert rule.severity is (Severity.ERROR if code.startswith("F") else Severity.WARNING)
        assert inspect.getdoc(rule.check).startswith(rule.text_nl.split(" ")[0])  # type: ignore[union-attr]


def test_rules_use_integer_arithmetic_only() -> None:
    tree = ast.parse(Path(inspect.getfile(validation_module)).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        assert not isinstance(node, ast.Div), f"true division at line {node.lineno}"
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), "float literal"
        assert not (isinstance(node, ast.Name) and node.id == "float"), "float()"
