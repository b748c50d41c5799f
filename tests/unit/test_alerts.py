"""The office's alert rules (app/domain/alerts.py): one test per rule, named after its code."""

import datetime as dt
from zoneinfo import ZoneInfo

from app.domain import reports
from app.domain.alerts import (
    Level,
    MapState,
    Rule,
    StationSnapshot,
    alerts_for,
    all_alerts,
    asks_for_help,
    low_stock,
    map_state,
    not_open_at_opening_time,
    open_incidents,
    silent,
    too_few_members,
)
from app.ui.texts import CATALOGUE

TZ = ZoneInfo("Europe/Amsterdam")
DAY = dt.date(2026, 3, 18)


def at(h: int, m: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 18, h, m, tzinfo=TZ)


def snap(**kw) -> StationSnapshot:
    return StationSnapshot(
        station_id=kw.pop("station_id", 1), number=kw.pop("number", 1), name="S", election_date=DAY, **kw
    )


def test_a_not_open_before_and_after_opening_time():
    assert not_open_at_opening_time(snap(), at(7, 29)) == []
    [alert] = not_open_at_opening_time(snap(), at(7, 45))
    assert alert.rule is Rule.NOT_OPEN and alert.level is Level.CRITICAL and alert.params["late"] == 15
    assert alert.since == at(7, 30)
    assert not_open_at_opening_time(snap(opened_at=at(7, 20)), at(7, 45)) == []


def test_a_not_open_respects_a_bijzonder_stations_own_hours():
    s = snap(opens_at=dt.time(12, 0))
    assert not_open_at_opening_time(s, at(9, 0)) == []
    assert len(not_open_at_opening_time(s, at(12, 0))) == 1


def test_a_low_stock_at_or_below_threshold():
    assert low_stock(snap(opened_at=at(7), ballots_remaining=51), 50, at(12)) == []
    [alert] = low_stock(snap(opened_at=at(7), ballots_remaining=50, last_report_at=at(11)), 50, at(12))
    assert alert.rule is Rule.LOW_STOCK and alert.params == {"remaining": 50, "threshold": 50}
    [alert] = low_stock(snap(opened_at=at(7), ballots_remaining=49, last_report_at=at(11)), 50, at(12))
    assert alert.rule is Rule.LOW_STOCK and alert.params == {"remaining": 49, "threshold": 50}
    assert alert.since == at(11)
    assert low_stock(snap(opened_at=at(7)), 50, at(12)) == []  # nothing reported: no alert
    assert low_stock(snap(opened_at=at(7), closed_at=at(21), ballots_remaining=3), 50, at(22)) == []


def test_a_members_fewer_than_three():
    assert too_few_members(snap(opened_at=at(7), members_present=3), at(8)) == []
    [alert] = too_few_members(snap(opened_at=at(7), members_present=2), at(8))
    assert alert.rule is Rule.MEMBERS and alert.level is Level.CRITICAL and alert.params["present"] == 2
    assert too_few_members(snap(opened_at=at(7)), at(8)) == []


MOMENTS = ("10:00", "13:45", "17:45", "21:00")


def test_a_silent_when_a_turnout_moment_passed_without_its_report():
    s = snap(
        opened_at=at(7, 25), last_report_at=at(10, 2), turnout_moments=MOMENTS, last_turnout_moment="10:00"
    )
    assert silent(s, at(13, 0), 30) == []  # quiet between two moments is normal
    assert silent(s, at(14, 14), 30) == []  # 13:45 is due, not yet 30 min ago
    [alert] = silent(s, at(14, 15), 30)
    assert alert.rule is Rule.SILENT and alert.level is Level.WARNING
    assert alert.params == {"moment": "13:45", "minutes": 30, "limit": 30} and alert.since == at(13, 45)
    done = snap(opened_at=at(7, 25), turnout_moments=MOMENTS, last_turnout_moment="13:45")
    assert silent(done, at(15, 0), 30) == []
    [latest] = silent(snap(opened_at=at(7, 25), turnout_moments=MOMENTS), at(18, 30), 30)
    assert latest.params["moment"] == "17:45" and latest.params["minutes"] == 45  # the latest missed one
    assert silent(snap(opened_at=at(7, 25), turnout_moments=MOMENTS), at(9, 0), 30) == []  # none due yet
    assert silent(snap(turnout_moments=MOMENTS), at(11, 0), 30) == []  # not open: A.NOT_OPEN covers it
    assert silent(snap(opened_at=at(7), closed_at=at(21), turnout_moments=MOMENTS), at(23), 30) == []


def test_a_silent_reads_moments_as_entered():
    s = snap(opened_at=at(7), turnout_moments=("9.30", "noon"), last_turnout_moment=None)
    [alert] = silent(s, at(10, 0), 30)
    assert alert.params["moment"] == "09:30"  # normalised; a moment that is no time is never due
    assert (
        silent(snap(opened_at=at(7), turnout_moments=("9.30",), last_turnout_moment="09:30"), at(12), 30)
        == []
    )


def test_a_silent_without_turnout_moments_after_n_minutes_of_no_report():
    s = snap(opened_at=at(7, 25), last_report_at=at(10, 0))
    assert silent(s, at(11, 29), 90) == []
    [alert] = silent(s, at(11, 30), 90)
    assert alert.rule is Rule.SILENT and alert.params["minutes"] == 90 and alert.since == at(10)
    assert "moment" not in alert.params
    assert silent(snap(), at(11, 30), 90) == []  # not open: A.NOT_OPEN covers it
    assert silent(snap(opened_at=at(7), closed_at=at(21)), at(23), 90) == []
    assert len(silent(snap(opened_at=at(7)), at(9), 90)) == 1  # opened, never reported since


def test_a_incident_one_alert_per_severity_with_its_level():
    s = snap(opened_at=at(7), open_incidents={"high": 2, "low": 1, "medium": 0})
    alerts = open_incidents(s, at(9))
    assert [(a.params["severity"], a.params["count"], a.level) for a in alerts] == [
        ("high", 2, Level.CRITICAL),
        ("low", 1, Level.INFO),
    ]
    assert open_incidents(snap(), at(9)) == []


def test_a_help_need_help_is_a_critical_alert_with_its_text():
    s = snap(opened_at=at(7), need_help=True, need_help_at=at(14, 54), help_text="Extra potloden nodig")
    [alert] = asks_for_help(s, at(15))
    assert alert.rule is Rule.HELP and alert.rule.value == "A.HELP" and alert.level is Level.CRITICAL
    assert alert.params == {"text": "Extra potloden nodig"} and alert.since == at(14, 54)
    assert alert in alerts_for(s, at(15), low_stock_threshold=50, silent_minutes=90)
    assert asks_for_help(snap(opened_at=at(7)), at(15)) == []  # no request, or withdrawn or handled
    [bare] = asks_for_help(snap(opened_at=at(7), need_help=True, need_help_at=at(9)), at(15))
    assert bare.params == {"text": None}  # asked without typing anything


def test_a_help_is_raised_whatever_the_time_of_day():
    """Before opening (a locked building) and while counting: a request for help is always answered."""
    before = snap(need_help=True, need_help_at=at(7, 5))
    assert [a.rule for a in alerts_for(before, at(7, 10), low_stock_threshold=50, silent_minutes=30)] == [
        Rule.HELP
    ]
    counting = snap(opened_at=at(7), closed_at=at(21), need_help=True, need_help_at=at(22))
    assert [a.rule for a in asks_for_help(counting, at(22, 30))] == [Rule.HELP]


def test_a_help_texts_exist_in_both_languages():
    for key in ("office.alert.A.HELP", "office.alert.A.HELP.no_text"):
        nl, en = CATALOGUE[key]
        assert nl and en
    assert "{text}" in CATALOGUE["office.alert.A.HELP"][0]


def test_all_alerts_newest_first():
    stations = [
        snap(station_id=1, number=1),  # not open since 07:30
        snap(station_id=2, number=2, opened_at=at(7), last_report_at=at(9), members_present=2),
    ]
    alerts = all_alerts(stations, at(12), low_stock_threshold=50, silent_minutes=90)
    assert [a.rule for a in alerts] == [Rule.MEMBERS, Rule.SILENT, Rule.NOT_OPEN]


def _map(s: StationSnapshot, now: dt.datetime) -> MapState:
    return map_state(s, now, low_stock_threshold=50)


def test_map_state_follows_the_day():
    assert _map(snap(), at(7)) is MapState.NOT_OPENED
    assert _map(snap(opened_at=at(7)), at(9)) is MapState.OPEN
    assert _map(snap(opened_at=at(7), open_incidents={"low": 1}), at(9)) is MapState.PROBLEM
    assert _map(snap(opened_at=at(7), ballots_remaining=10), at(9)) is MapState.PROBLEM
    assert _map(snap(opened_at=at(7), ballots_remaining=300), at(9)) is MapState.OPEN
    assert _map(snap(opened_at=at(7), closed_at=at(20, 55)), at(20, 58)) is MapState.CLOSED
    assert _map(snap(opened_at=at(7), closed_at=at(21)), at(21, 5)) is MapState.COUNTING
    assert _map(snap(count_status="submitted"), at(23)) is MapState.COUNT_SUBMITTED
    assert _map(snap(count_status="returned"), at(23)) is MapState.COUNTING
    assert _map(snap(count_status="accepted"), at(23)) is MapState.COUNT_ACCEPTED


def test_map_state_a_help_request_is_a_problem_until_closing():
    assert _map(snap(opened_at=at(7), need_help=True), at(9)) is MapState.PROBLEM
    assert _map(snap(need_help=True), at(7, 10)) is MapState.PROBLEM  # before opening too
    assert _map(snap(opened_at=at(7), need_help=False), at(9)) is MapState.OPEN  # withdrawn or handled
    # after closing the count's progress is shown (the A.HELP alert still stands)
    assert _map(snap(opened_at=at(7), closed_at=at(21), need_help=True), at(21, 5)) is MapState.COUNTING


def test_chair_status_and_map_state_agree_one_problem_predicate():
    """reports.has_problem decides "problem" for the chair's status and for the map alike: a help
    request (also before opening), or open with too few members, low stock or an open incident of any
    severity. Resolving and restocking leave the station "open" on both sides only once the help
    request is withdrawn or handled."""
    cases = [
        {},
        {"opened": True},
        {"opened": True, "need_help": True},
        {"need_help": True},
        {"opened": True, "members": 2},
        {"opened": True, "left": 10},
        {"opened": True, "left": 10, "need_help": True},
        {"opened": True, "incidents": {"high": 1}},
        {"opened": True, "incidents": {"medium": 1}},
        {"opened": True, "incidents": {"low": 2}},
        {"members": 2},  # reported before opening: not yet a problem of the station
    ]
    for case in cases:
        opened = case.get("opened", False)
        incidents = case.get("incidents", {})
        left = case.get("left")
        s = snap(
            opened_at=at(7, 30) if opened else None,
            members_present=case.get("members"),
            ballots_remaining=left,
            open_incidents=incidents,
            need_help=case.get("need_help", False),
        )
        status = reports.station_status(
            opened=opened,
            closed=False,
            members_present=case.get("members"),
            low_stock=left is not None and reports.is_low_stock(left, 50),
            need_help=case.get("need_help", False),
            open_high_incidents=incidents.get("high", 0),
            open_other_incidents=incidents.get("medium", 0) + incidents.get("low", 0),
            count_status=None,
        )
        state = _map(s, at(12))
        assert status == state.value, case  # not_opened, open or problem on both sides


def test_map_state_bijzonder_closed_early_is_closed_until_2100():
    """Counting starts at 21:00, when every station has closed (DESIGN.md), not at a *bijzonder*
    station's own closing time: one that closes at 16:00 is "closed" until 21:00, then "counting"."""
    s = snap(opens_at=dt.time(9, 0), closes_at=dt.time(16, 0), opened_at=at(9), closed_at=at(16, 1))
    for now in (at(16, 1), at(17), at(20, 59)):
        assert _map(s, now) is MapState.CLOSED, now
    for now in (at(21), at(21, 1), at(23, 30), at(23, 59) + dt.timedelta(minutes=31)):  # on past midnight
        assert _map(s, now) is MapState.COUNTING, now
    # a station that closed early with a reason (before its 21:00): the same
    early = snap(opened_at=at(7, 30), closed_at=at(19))
    assert _map(early, at(20)) is MapState.CLOSED and _map(early, at(21)) is MapState.COUNTING


def test_low_stock_at_threshold_same_in_status_alert_and_map():
    """One predicate (reports.is_low_stock: at or below the threshold, as the chair is told "at {n} or
    fewer the office is alerted") for the station's status, the A.LOW_STOCK alert and the map."""
    nl, en = CATALOGUE["chair.stock.threshold"]
    assert "{n} of minder" in nl and "{n} or fewer" in en  # what the threshold means to users
    threshold = 50
    for left, low in ((49, True), (50, True), (51, False)):
        s = snap(opened_at=at(7, 30), ballots_remaining=left, last_report_at=at(12))
        assert reports.is_low_stock(left, threshold) is low
        status = reports.station_status(
            opened=True,
            closed=False,
            members_present=4,
            low_stock=reports.is_low_stock(left, threshold),
            need_help=False,
            open_high_incidents=0,
            count_status=None,
        )
        assert (status == "problem") is low, left
        alerts = alerts_for(s, at(12, 5), low_stock_threshold=threshold, silent_minutes=90)
        assert (Rule.LOW_STOCK in {a.rule for a in alerts}) is low, left
        state = map_state(s, at(12, 5), low_stock_threshold=threshold)
        assert state is (MapState.PROBLEM if low else MapState.OPEN), left


def test_turnout_permille_and_interpolation():
    from app.domain.turnout import Point, at_time, minute_of, permille

    assert permille(528, 1000) == 528
    assert permille(1, 3) == 333 and permille(2, 3) == 667
    assert permille(10, None) is None and permille(10, 0) is None
    assert minute_of("13:45") == 825 and minute_of("final") is None
    pts = [Point(600, 100), Point(825, 300)]
    assert at_time(pts, 450) == 0  # opening time
    assert at_time(pts, 525) == 50  # halfway from 07:30 to 10:00
    assert at_time(pts, 825) == 300
    assert at_time(pts, 900) is None
    assert at_time([], 600) is None
