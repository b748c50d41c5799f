"""Test helper: a chair's reports made through the real services (app/services/chair.py, counts.py),
for tests that check aggregates (public page, analysis) against hand-computed numbers."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from app.domain.access import Actor
from app.services import auth, chair, counts
from etl.demo import demo_code

TZ = chair.TZ


def today_at(hour: int, minute: int = 0) -> dt.datetime:
    """A time of today (Dutch time, the demo election's day): for reports whose rules depend on the time
    of day (a turnout moment must have come, a station closes at its closing time), so that a test does
    not depend on when it runs."""
    return dt.datetime.combine(dt.datetime.now(TZ).date(), dt.time(hour, minute), tzinfo=TZ)


def cid() -> str:
    return str(uuid.uuid4())


def sign_in(db: Session, municipality_code: str, number: int) -> tuple[Actor, int]:
    actor = auth.sign_in_chair(db, demo_code(municipality_code, number))
    assert actor.polling_station_id is not None
    return actor, actor.polling_station_id


def open_station(db: Session, actor: Actor, sid: int) -> None:
    items = [i["key"] for i in chair.station_overview(db, actor, sid).checklist_items]
    chair.submit_opening(db, actor, sid, items, client_submission_id=cid())


def turnout(db: Session, actor: Actor, sid: int, moment: str, total: int, reason: str | None = None) -> None:
    h, m = (int(p) for p in moment.split(":"))
    just_after = today_at(h, m) + dt.timedelta(minutes=1)  # the moment has come; the report is not late
    chair.submit_turnout(
        db, actor, sid, moment, total, correction_reason=reason, client_submission_id=cid(), now=just_after
    )


def close_station(db: Session, actor: Actor, sid: int) -> None:
    chair.submit_closing(db, actor, sid, client_submission_id=cid(), now=today_at(21, 5))


def count_form(db: Session, actor: Actor, sid: int, list_votes: list[int], blank: int = 0) -> dict:
    """A consistent count (A = D = H, no difference): ``list_votes`` for lists 1, 2, ... in number order,
    the remaining lists 0. Under decentral counting (DSO) a list's votes go to its first candidate."""
    setup = counts.count_setup(db, actor, sid)
    groups: list[dict] = []
    for i, info in enumerate(sorted(setup.lists, key=lambda li: li.number)):
        votes = list_votes[i] if i < len(list_votes) else 0
        group: dict = {"number": info.number, "total": votes}
        if setup.counting_method == "DSO" and info.candidates:
            group["candidate_votes"] = [votes] + [0] * (len(info.candidates) - 1)
            group["candidates_total"] = votes
        groups.append(group)
    e = sum(list_votes)
    h = e + blank
    return {
        "poll_card_count": h,
        "proxy_certificate_count": 0,
        "total_admitted_voters_count": h,
        "political_group_votes": groups,
        "votes_candidates_count": e,
        "blank_votes_count": blank,
        "invalid_votes_count": 0,
        "total_votes_cast_count": h,
        "admitted_voters_equal_votes_cast": True,
        "votes_cast_greater_than_admitted_voters": False,
        "votes_cast_smaller_than_admitted_voters": False,
        "more_ballots_count": 0,
        "fewer_ballots_count": 0,
        "difference_completely_accounted_for_yes": False,
    }


def submit_count(db: Session, actor: Actor, sid: int, list_votes: list[int], blank: int = 0) -> int:
    """Submit a count (the station must be closed: :func:`close_station`); returns the version id."""
    form = count_form(db, actor, sid, list_votes, blank)
    check = counts.check_count(db, actor, sid, form)
    explanations = {w.code: "Nageteld, klopt" for w in check.warnings}
    return counts.submit_count(db, actor, sid, form, explanations, client_submission_id=cid()).id
