"""Administration services: accounts, OIDC mapping, audit viewer and export, public aggregates,
session expiry."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from app.domain.errors import AuthenticationFailed, Conflict, InvalidInput, NotAllowed, NotFound
from app.services import admin, audit_view, auth, chair, oidc, public, users
from app.storage.models import AuditLog, PollingStation, StaffUser
from app.ui.texts import error_text
from etl.demo import DEMO_PASSWORD


def _staff(db, who):
    return auth.sign_in_staff(db, who, DEMO_PASSWORD)


def _user_id(db, username):
    return db.scalar(select(StaffUser.id).where(StaffUser.username == username))


def test_admin_deactivates_resets_and_cannot_lock_themself_out(demo_db):
    admin_h = _staff(demo_db, "admin.haarlem")
    office_id = _user_id(demo_db, "office.haarlem")
    admin.set_user_active(demo_db, admin_h, office_id, False)
    with pytest.raises(AuthenticationFailed):
        auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD)
    admin.set_user_active(demo_db, admin_h, office_id, True)
    admin.reset_password(demo_db, admin_h, office_id, "a-new-long-password")
    assert auth.sign_in_staff(demo_db, "office.haarlem", "a-new-long-password").municipality_code == "GM0392"
    with pytest.raises(Conflict):
        admin.set_user_active(demo_db, admin_h, admin_h.user_id, False)
    with pytest.raises(NotAllowed):  # a municipal admin does not touch the global admin
        admin.reset_password(demo_db, admin_h, _user_id(demo_db, "admin"), "whatever-password")
    logged = demo_db.scalars(select(AuditLog.after).where(AuditLog.action == "password_reset")).all()
    assert logged and all("a-new-long-password" not in str(a) for a in logged)


def test_global_admin_adds_municipality_and_a_municipal_admin_cannot(demo_db):
    admin_g = _staff(demo_db, "admin")
    admin_h = _staff(demo_db, "admin.haarlem")
    assert admin.save_municipality(demo_db, admin_g, "GM0363", "Amsterdam").code == "GM0363"
    with pytest.raises(NotAllowed):
        admin.save_municipality(demo_db, admin_h, "GM0344", "Utrecht")
    users.add_user(
        demo_db,
        admin_g,
        username="office.amsterdam",
        password="long-enough-pw",
        role="office",
        municipality_code="GM0363",
    )


def test_oidc_identity_maps_to_a_linked_active_account_only(demo_db):
    admin_h = _staff(demo_db, "admin.haarlem")
    with pytest.raises(AuthenticationFailed):
        oidc.sign_in_oidc(demo_db, "sub-123", "Jan@Haarlem.nl")
    admin.set_oidc_subject(demo_db, admin_h, _user_id(demo_db, "office.haarlem"), "jan@haarlem.nl")
    actor = oidc.sign_in_oidc(
        demo_db, "sub-123", "Jan@Haarlem.nl", issuer=IDP, email_verified=True, trusted_issuers={IDP}
    )
    assert actor.role.value == "office" and actor.municipality_code == "GM0392"
    with pytest.raises(Conflict):
        admin.set_oidc_subject(demo_db, admin_h, _user_id(demo_db, "analyst.haarlem"), "jan@haarlem.nl")
    admin.set_user_active(demo_db, admin_h, _user_id(demo_db, "office.haarlem"), False)
    with pytest.raises(AuthenticationFailed):
        oidc.sign_in_oidc(demo_db, "sub-123", "jan@haarlem.nl")
    vias = demo_db.scalars(select(AuditLog.action).where(AuditLog.entity.in_(["oidc", "staff_user"]))).all()
    assert "sign_in_failed" in vias


IDP = "https://idp.example"


@pytest.mark.parametrize(
    ("issuer", "email_verified"),
    [
        (IDP, None),  # the provider does not say the address is verified
        (IDP, False),
        (IDP, "true"),  # only a JSON true counts
        ("https://other-idp.example", True),  # a foreign provider: anyone can register that address there
        (None, True),
    ],
)
def test_oidc_email_link_needs_a_verified_address_from_the_configured_issuer(demo_db, issuer, email_verified):
    admin_h = _staff(demo_db, "admin.haarlem")
    admin.set_oidc_subject(demo_db, admin_h, _user_id(demo_db, "office.haarlem"), "jan@haarlem.nl")
    with pytest.raises(AuthenticationFailed):
        oidc.sign_in_oidc(
            demo_db,
            "attacker-sub",
            "jan@haarlem.nl",
            issuer=issuer,
            email_verified=email_verified,
            trusted_issuers={IDP},
        )
    failed = demo_db.scalar(
        select(AuditLog).where(AuditLog.action == "sign_in_failed", AuditLog.entity == "oidc")
    )
    assert failed is not None and failed.entity_id == "attacker-sub"
    assert failed.after["email"] == "jan@haarlem.nl" and failed.after["email_trusted"] is False


def test_oidc_subject_is_matched_first_and_needs_no_email(demo_db):
    admin_h = _staff(demo_db, "admin.haarlem")
    admin.set_oidc_subject(demo_db, admin_h, _user_id(demo_db, "office.haarlem"), "sub-jan")
    admin.set_oidc_subject(demo_db, admin_h, _user_id(demo_db, "analyst.haarlem"), "piet@haarlem.nl")
    # the subject wins over a verified e-mail address linked to another account
    actor = oidc.sign_in_oidc(
        demo_db, "sub-jan", "piet@haarlem.nl", issuer=IDP, email_verified=True, trusted_issuers={IDP}
    )
    assert actor.role.value == "office"
    assert oidc.sign_in_oidc(demo_db, "sub-jan", None, issuer=IDP).role.value == "office"


def test_audit_viewer_filters_and_exports_within_the_municipality(demo_db):
    office = _staff(demo_db, "office.haarlem")
    _staff(demo_db, "office.nijmegen")
    station = demo_db.scalar(
        select(PollingStation).where(PollingStation.municipality_code == "GM0392", PollingStation.number == 1)
    )
    rows = audit_view.list_audit(demo_db, office, action="sign_in")
    assert rows and {r.municipality_code for r in rows} == {"GM0392"}
    assert audit_view.list_audit(demo_db, office, user="Office Haarlem")
    added = audit_view.list_audit(demo_db, office, polling_station_id=station.id, action="station_added")
    assert [r.polling_station_id for r in added] == [station.id]
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert audit_view.list_audit(demo_db, office, since=future) == []
    with pytest.raises(NotAllowed):
        audit_view.list_audit(demo_db, office, municipality_code="GM0268")
    with pytest.raises(NotAllowed):
        audit_view.list_audit(demo_db, _staff(demo_db, "analyst.haarlem"))
    data = audit_view.export_audit_csv(demo_db, office, action="sign_in")
    table = list(csv.DictReader(io.StringIO(data)))
    assert table and {r["municipality_code"] for r in table} == {"GM0392"}
    assert list(table[0]) == list(audit_view.COLUMNS)
    assert demo_db.scalar(select(AuditLog.id).where(AuditLog.action == "audit_exported")) is not None


def test_public_results_only_for_opted_in_municipalities_and_only_aggregates(demo_db):
    with pytest.raises(NotFound):
        public.public_results(demo_db, "GM0392")
    admin.set_public_page(demo_db, _staff(demo_db, "admin.haarlem"), "GM0392", True)
    demo_db.rollback()
    view = public.public_results(demo_db, "GM0392")
    assert view.municipality_name == "Haarlem" and view.stations_total > 0
    assert public.public_municipalities(demo_db) == [("GM0392", "Haarlem")]
    fields = set(public.PublicView.__dataclass_fields__) | set(public.PublicTurnout.__dataclass_fields__)
    fields |= set(public.PublicListResult.__dataclass_fields__)
    allowed = ("stations_total", "stations_counted", "stations_accepted", "stations_reported")
    assert not {f for f in fields if "station" in f and f not in allowed}
    assert not {f for f in fields if "incident" in f}
    with pytest.raises(NotFound):
        public.public_results(demo_db, "GM0268")


def test_public_aggregates_equal_hand_computed_figures_from_real_reports(demo_db):
    """Reports made through the chair's services in Haarlem (opted in) and Nijmegen (not): turnout per
    moment is the sum of each station's current report (a correction replaces the report it corrects),
    the result per list the sum over each station's latest count when submitted or accepted."""
    from app.services import counts, office
    from app.storage import rls
    from app.storage.chair_models import CountVersion
    from app.storage.models import ElectionMunicipality
    from tests import chair_day as day

    db = demo_db
    s1, sid1 = day.sign_in(db, "GM0392", 1)
    s2, sid2 = day.sign_in(db, "GM0392", 2)
    s3, sid3 = day.sign_in(db, "GM0392", 3)
    n1, nid1 = day.sign_in(db, "GM0268", 1)
    for actor, sid in ((s1, sid1), (s2, sid2), (s3, sid3), (n1, nid1)):
        day.open_station(db, actor, sid)
    day.turnout(db, s1, sid1, "10:00", 120)
    day.turnout(db, s1, sid1, "10:00", 110, reason="Volmachten dubbel geteld")  # correction: 110 counts
    day.turnout(db, s1, sid1, "13:45", 300)
    day.turnout(db, s2, sid2, "10:00", 80)
    day.turnout(db, n1, nid1, "10:00", 999)  # Nijmegen: never in Haarlem's figures
    chair.raise_incident(
        db, s1, sid1, "technical", "Printer kapot bij Jansen", client_submission_id=day.cid()
    )
    for actor, sid in ((s1, sid1), (s2, sid2), (s3, sid3), (n1, nid1)):
        day.close_station(db, actor, sid)
    office_h = _staff(db, "office.haarlem")
    v1 = day.submit_count(db, s1, sid1, [60, 39], blank=1)
    counts.return_count(db, office_h, v1, "Lijst 2 opnieuw tellen")
    v2 = day.submit_count(db, s1, sid1, [55, 44], blank=1)  # latest of station 1, accepted below
    counts.accept_count(db, office_h, v2)
    day.submit_count(db, s2, sid2, [120, 78], blank=2)  # submitted, not yet checked
    v3 = day.submit_count(db, s3, sid3, [30, 19], blank=1)
    counts.return_count(db, office_h, v3, "Opnieuw tellen")  # latest returned: not counted
    day.submit_count(db, n1, nid1, [500], blank=0)

    admin.set_public_page(db, _staff(db, "admin.haarlem"), "GM0392", True)
    electorate = db.scalar(
        select(ElectionMunicipality.electorate).where(ElectionMunicipality.municipality_code == "GM0392")
    )
    db.rollback()
    view = public.public_results(db, "GM0392")

    by_moment = {t.moment: t for t in view.turnout}
    assert list(by_moment) == ["10:00", "13:45"]  # moments nobody reported yet are not shown as 0 %
    assert (by_moment["10:00"].admitted, by_moment["10:00"].stations_reported) == (110 + 80, 2)
    assert (by_moment["13:45"].admitted, by_moment["13:45"].stations_reported) == (300, 1)
    assert by_moment["10:00"].permille == (190 * 1000 + electorate // 2) // electorate
    assert by_moment["13:45"].permille == (300 * 1000 + electorate // 2) // electorate
    votes = {r.number: r.votes for r in view.results}
    assert votes[1] == 55 + 120 and votes[2] == 44 + 78
    assert sum(votes.values()) == 55 + 44 + 120 + 78
    assert (view.stations_counted, view.stations_accepted) == (2, 1)
    shown = repr(view)
    assert "Jansen" not in shown and "Printer" not in shown and "999" not in shown

    # the session is bound to Haarlem in the database: even an unfiltered query sees nothing else
    assert rls.session_scope_of(db) == "GM0392"
    assert set(db.scalars(select(CountVersion.municipality_code)).all()) == {"GM0392"}
    rls.scope_session(db, None)
    db.rollback()
    # the same figures as the office's dashboard
    result = office.preliminary_result(db, office_h, view.election_id, "GM0392")
    assert {r.number: r.votes for r in result.lists} == votes
    assert result.stations_counted == view.stations_counted
    with pytest.raises(NotFound):  # Nijmegen did not opt in
        public.public_results(db, "GM0268")


def test_session_expires_after_the_configured_minutes(monkeypatch):
    from streamlit.testing.v1 import AppTest

    def script():
        import datetime as dt

        import streamlit as st

        from app.domain.access import Actor, Role
        from app.ui import session

        if "started" not in st.session_state:
            st.session_state["started"] = True
            session.sign_in(Actor(role=Role.OFFICE, name="x", user_id=1, municipality_code="GM0392"))
            st.session_state["stemdag_signed_in_at"] -= dt.timedelta(
                minutes=int(st.session_state.get("age", 0))
            )
        st.write("in" if session.current_actor() else "out")

    from app.config import reset_settings

    monkeypatch.setenv("STEMDAG_SESSION_MINUTES", "30")
    reset_settings()
    fresh = AppTest.from_function(script)
    fresh.run()
    assert fresh.markdown[0].value == "in"
    old = AppTest.from_function(script)
    old.session_state["age"] = 31
    old.run()
    assert old.markdown[0].value == "out"
    assert old.session_state["stemdag_notice"] == "app.session_expired"
    reset_settings()


def test_checklist_refuses_a_key_twice_naming_the_key_and_the_lines():
    """Two items with one key collide on the chair's opening page (one tick box per key): refused."""
    text = "keys | Sleutels ontvangen | Keys received\n\nseals | Zegels | Seals\nkeys | Nog eens | Again\n"
    with pytest.raises(InvalidInput) as err:
        admin.parse_checklist(text)
    assert err.value.field == "checklist_items" and err.value.message_key == "admin.duplicate_checklist_key"
    assert err.value.params == {"line": 4, "item": "keys", "first": 1}
    assert "regel 4" in error_text(err.value, "nl") and "'keys'" in error_text(err.value, "nl")
    assert "line 4" in error_text(err.value, "en") and "line 1" in error_text(err.value, "en")
    assert [i["key"] for i in admin.parse_checklist(text.replace("keys | Nog", "more | Nog"))] == [
        "keys",
        "seals",
        "more",
    ]
