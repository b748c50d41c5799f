"""Rules of the chair's reports during the day (app/domain/reports.py)."""

import datetime as dt

import pytest

from app.domain import reports
from app.domain.errors import InvalidInput


@pytest.mark.parametrize("present", [1, 2, 3, 7])
def test_members_present_1_to_7_is_a_count(present):
    assert reports.check_members_present(present) is (present < 3)


@pytest.mark.parametrize("present", [0, 8, -1, True, "3", 3.0])
def test_members_present_outside_1_to_7_is_refused(present):
    with pytest.raises(InvalidInput) as err:
        reports.check_members_present(present)
    assert err.value.field == "present_count"


def test_turnout_may_not_decrease():
    with pytest.raises(InvalidInput) as err:
        reports.check_turnout_sequence("13:45", 99, {"10:00": 100}, is_correction=False, reason=None)
    assert err.value.message_key == "chair.error.turnout_decreased"
    assert err.value.field == "total_admitted_voters_count"
    assert err.value.params["previous"] == 100


def test_turnout_equal_to_the_earlier_moment_is_fine():
    reports.check_turnout_sequence("13:45", 100, {"10:00": 100}, is_correction=False, reason=None)


def test_late_turnout_report_may_not_exceed_a_later_moment():
    with pytest.raises(InvalidInput) as err:
        reports.check_turnout_sequence("10:00", 201, {"13:45": 200}, is_correction=False, reason=None)
    assert err.value.message_key == "chair.error.turnout_above_later"


def test_same_moment_again_is_a_correction():
    with pytest.raises(InvalidInput) as err:
        reports.check_turnout_sequence("10:00", 90, {"10:00": 100}, is_correction=False, reason=None)
    assert err.value.message_key == "chair.error.turnout_again"
    reports.check_turnout_sequence("10:00", 90, {"10:00": 100}, is_correction=True, reason="typo")


def test_correction_needs_a_reason():
    with pytest.raises(InvalidInput) as err:
        reports.check_turnout_sequence("10:00", 90, {"10:00": 100}, is_correction=True, reason="  ")
    assert err.value.field == "correction_reason"


def test_turnout_split_must_add_up_and_has_no_voter_cards_at_gr():
    reports.check_turnout_split(10, 7, 3, None, municipal=True)
    reports.check_turnout_split(10, None, None, None, municipal=True)
    with pytest.raises(InvalidInput) as gr:
        reports.check_turnout_split(10, 7, 2, None, municipal=True)
    assert gr.value.message_key == "chair.error.turnout_split_gr"  # its text names no kiezerspassen
    with pytest.raises(InvalidInput) as tk:
        reports.check_turnout_split(10, 7, 2, 0, municipal=False)
    assert tk.value.message_key == "chair.error.turnout_split"
    with pytest.raises(InvalidInput) as err:
        reports.check_turnout_split(10, 7, 2, 1, municipal=True)
    assert err.value.field == "voter_card_count"
    reports.check_turnout_split(10, 7, 2, 1, municipal=False)


def test_late_report_after_thirty_minutes():
    day = dt.datetime(2026, 3, 18, 10, 30)
    assert not reports.is_late("10:00", day)
    assert reports.is_late("10:00", day + dt.timedelta(minutes=1))


def test_opened_late_after_the_opening_time():
    assert not reports.opened_late(dt.datetime(2026, 3, 18, 7, 30), dt.time(7, 30))
    assert reports.opened_late(dt.datetime(2026, 3, 18, 7, 31), dt.time(7, 30))


def test_low_stock_at_or_below_threshold():
    assert reports.is_low_stock(50, 50) and not reports.is_low_stock(51, 50)


def test_moment_must_be_one_of_the_elections():
    assert reports.normalise_moment("9.45", ["09:45"]) == "09:45"
    with pytest.raises(InvalidInput):
        reports.normalise_moment("11:00", ["10:00"])


def test_categories_severities_signals():
    assert reports.normalise_category("ballots") == "ballot_shortage"
    assert reports.normalise_category("Technical") == "technical"
    with pytest.raises(InvalidInput):
        reports.normalise_category("<script>")
    with pytest.raises(InvalidInput):
        reports.normalise_severity("urgent")
    assert reports.normalise_signal("busy") == ("queue", "short")
    assert reports.normalise_signal("need_help") == ("need_help", None)


def test_text_is_kept_as_typed_but_not_empty_or_too_long():
    hostile = "<script>alert(1)</script> **x** '; DROP TABLE incident; --"
    assert reports.clean_text(f"  {hostile} ", "text", required=True) == hostile
    with pytest.raises(InvalidInput):
        reports.clean_text("  ", "text", required=True)
    with pytest.raises(InvalidInput):
        reports.clean_text("x" * 2001, "text", required=True)


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({}, "not_opened"),
        ({"opened": True}, "open"),
        ({"opened": True, "members_present": 2}, "problem"),
        ({"opened": True, "low_stock": True}, "problem"),
        ({"opened": True, "need_help": True}, "problem"),
        ({"opened": True, "open_high_incidents": 1}, "problem"),
        ({"opened": True, "closed": True}, "counting"),
        ({"opened": True, "closed": True, "count_status": "returned"}, "count_returned"),
    ],
)
def test_station_status(kwargs, status):
    base = dict(
        opened=False,
        closed=False,
        members_present=None,
        low_stock=False,
        need_help=False,
        open_high_incidents=0,
        count_status=None,
    )
    assert reports.station_status(**{**base, **kwargs}) == status


TZ = dt.timezone(dt.timedelta(hours=1))


def _at(hh: int, mm: int) -> dt.datetime:
    return dt.datetime(2026, 3, 18, hh, mm, tzinfo=TZ)


@pytest.mark.parametrize(("moment", "now"), [("10:00", (10, 0)), ("10:00", (9, 55)), ("10:00", (23, 0))])
def test_turnout_moment_that_has_come_or_is_within_five_minutes_is_accepted(moment, now):
    reports.check_turnout_moment_has_come(moment, _at(*now))


@pytest.mark.parametrize(("moment", "now"), [("13:45", (11, 34)), ("21:00", (11, 34)), ("10:00", (9, 54))])
def test_turnout_moment_more_than_five_minutes_ahead_is_refused(moment, now):
    with pytest.raises(InvalidInput) as err:
        reports.check_turnout_moment_has_come(moment, _at(*now))
    assert (err.value.field, err.value.message_key) == ("moment", "chair.error.turnout_future")
    assert err.value.params["moment"] == moment


@pytest.mark.parametrize("closed", [(21, 0), (21, 3), (21, 0, 30)])
def test_closing_at_or_after_the_closing_time_needs_no_reason(closed):
    closed_at = dt.datetime(2026, 3, 18, *closed, tzinfo=TZ)
    assert reports.check_closing_time(closed_at, _at(21, 5), dt.time(21), early=False, reason=None) is None


def test_closing_more_than_five_minutes_ahead_is_refused():
    with pytest.raises(InvalidInput) as err:
        reports.check_closing_time(_at(21, 0), _at(11, 34), dt.time(21), early=True, reason="x")
    assert (err.value.field, err.value.message_key) == ("closed_at", "chair.error.closing_future")
    reports.check_closing_time(_at(21, 5), _at(21, 0), dt.time(21), early=False, reason=None)


def test_closing_before_the_closing_time_is_refused_unless_confirmed_with_a_reason():
    with pytest.raises(InvalidInput) as err:
        reports.check_closing_time(_at(11, 34), _at(11, 34), dt.time(21), early=False, reason="brand")
    assert (err.value.field, err.value.message_key) == ("closed_at", "chair.error.closing_early")
    assert err.value.params["closes"] == "21:00"
    with pytest.raises(InvalidInput) as err:
        reports.check_closing_time(_at(11, 34), _at(11, 34), dt.time(21), early=True, reason="  ")
    assert (err.value.field, err.value.message_key) == ("early_reason", "chair.error.early_reason")
    reason = reports.check_closing_time(_at(11, 34), _at(11, 40), dt.time(21), early=True, reason=" brand ")
    assert reason == "brand"


def test_closing_time_of_a_bijzonder_station_is_its_own():
    assert reports.check_closing_time(_at(16, 0), _at(16, 2), dt.time(16), early=False, reason=None) is None
    with pytest.raises(InvalidInput):
        reports.check_closing_time(_at(15, 30), _at(16, 2), dt.time(16), early=False, reason=None)


def _night(hh: int, mm: int) -> dt.datetime:
    return dt.datetime(2026, 3, 19, hh, mm, tzinfo=TZ)  # the night after the election day (18 March)


def test_the_election_night_runs_past_midnight_until_six():
    assert reports.election_day(_night(0, 30)) == dt.date(2026, 3, 18)
    assert reports.election_day(_night(5, 59)) == dt.date(2026, 3, 18)
    assert reports.election_day(_night(6, 0)) == dt.date(2026, 3, 19)
    assert reports.on_election_day(dt.time(21), _night(0, 30)) == _at(21, 0)
    assert reports.on_election_day(dt.time(0, 20), _night(0, 30)) == _night(0, 20)


def test_turnout_of_21_00_reported_after_midnight_has_come_and_is_late():
    reports.check_turnout_moment_has_come("21:00", _night(0, 30))
    assert reports.is_late("21:00", _night(0, 30))
    assert not reports.is_late("21:00", _at(21, 20))


def test_closing_reported_after_midnight_is_on_time_not_early():
    assert (
        reports.check_closing_time(_night(0, 20), _night(0, 30), dt.time(21), early=False, reason=None)
        is None
    )
    assert (
        reports.check_closing_time(_at(21, 10), _night(0, 30), dt.time(21), early=False, reason=None) is None
    )
