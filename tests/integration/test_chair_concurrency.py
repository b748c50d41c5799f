"""The chair's report path under concurrency (issue 9's fast path): reports of one station are
serialised by the station's row in ``station_state``; the turnout rule sees every report committed
before the lock was granted; a retry racing its original stores once."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import InvalidInput
from app.services import auth, chair
from app.storage import rls, station_state
from app.storage.chair_models import TurnoutReport
from app.storage.models import AuditLog, PollingStation
from etl.demo import demo_code
from tests.chair_day import today_at

OWN = "GM0392"
EVENING = today_at(21, 5)  # every turnout moment has come (the rule depends on the time of day)


def _cid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def station(demo_db):
    actor = auth.sign_in_chair(demo_db, demo_code(OWN, 1))
    sid = actor.polling_station_id
    items = [i["key"] for i in chair.station_overview(demo_db, actor, sid).checklist_items]
    chair.submit_opening(demo_db, actor, sid, items, client_submission_id=_cid())
    demo_db.commit()
    return demo_db, actor, sid


def _scoped(db: Session, actor) -> Session:
    session = sessionmaker(bind=db.get_bind(), expire_on_commit=False)()
    rls.scope_session(session, rls.scope_for(actor.municipality_code))
    return session


def _moments(db, actor, sid) -> list[str]:
    return list(chair.station_overview(db, actor, sid).turnout_moments)


def test_turnout_sees_a_report_committed_while_it_waited_for_the_lock(station):
    db, actor, sid = station
    first, later = _moments(db, actor, sid)[:2]
    other = _scoped(db, actor)
    holder = Session(bind=db.get_bind())
    try:
        # Another report of this station holds the lock and stores 500 at the first moment ...
        st = holder.get(PollingStation, sid)
        assert st is not None
        state = station_state.lock(holder, st)
        holder.add(
            TurnoutReport(
                election_id=st.election_id,
                municipality_code=st.municipality_code,
                polling_station_id=sid,
                reported_at=dt.datetime.now(dt.UTC),
                actor_id=actor.audit_id,
                actor_name=actor.name,
                client_submission_id=uuid.uuid4(),
                moment=first,
                total_admitted_voters_count=500,
            )
        )
        state.last_turnout_moment, state.last_turnout_admitted_voters = first, 500
        station_state.finish(state, dt.datetime.now(dt.UTC))
        holder.flush()
        outcome: list[object] = []

        def report_lower_later() -> None:
            try:
                outcome.append(
                    chair.submit_turnout(
                        other, actor, sid, later, 300, client_submission_id=_cid(), now=EVENING
                    )
                )
            except Exception as err:  # the assertion is below
                outcome.append(err)

        t = threading.Thread(target=report_lower_later)
        t.start()
        time.sleep(0.5)  # ... while this report waits for the station's lock
        assert not outcome, "the report did not wait for the station's lock"
        holder.commit()
        t.join(10)
    finally:
        holder.close()
        other.close()
    assert len(outcome) == 1
    err = outcome[0]
    assert isinstance(err, InvalidInput) and err.message_key == "chair.error.turnout_decreased", err


def test_a_retry_racing_its_original_stores_once(station):
    db, actor, sid = station
    moment = _moments(db, actor, sid)[0]
    key = _cid()
    results: list[object] = []

    def submit() -> None:
        session = _scoped(db, actor)
        try:
            results.append(
                chair.submit_turnout(session, actor, sid, moment, 120, client_submission_id=key, now=EVENING)
            )
        except Exception as err:
            results.append(err)
        finally:
            session.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert all(isinstance(r, chair.ReportResult) for r in results), [
        r for r in results if not isinstance(r, chair.ReportResult)
    ]
    assert len({r.id for r in results}) == 1  # type: ignore[union-attr]
    assert sum(not r.duplicate for r in results) == 1  # type: ignore[union-attr]
    rows = db.scalar(
        select(func.count()).select_from(TurnoutReport).where(TurnoutReport.polling_station_id == sid)
    )
    audits = db.scalar(
        select(func.count())
        .select_from(AuditLog)
        .where(AuditLog.action == "turnout_reported", AuditLog.polling_station_id == sid)
    )
    assert (rows, audits) == (1, 1)


def test_a_scoped_report_runs_as_the_application_role(station):
    db, actor, sid = station
    session = _scoped(db, actor)
    try:
        user, scope = session.execute(
            text("SELECT current_user, current_setting('stemdag.municipality', true)")
        ).one()
        assert (user, scope) == (rls.APP_ROLE, OWN)
        session.commit()
        moment = _moments(db, actor, sid)[0]
        chair.submit_turnout(session, actor, sid, moment, 10, client_submission_id=_cid(), now=EVENING)
    finally:
        session.close()
