"""Municipality and station isolation, for every service and in the database itself.

1. Table-driven: every public function in ``app/services`` whose first two parameters are
   ``(db, actor)`` is found by inspection (so services added later are covered without editing this
   file) and called by every role of Haarlem (chair of station 1, office, analyst, municipal admin)
   against Nijmegen's data, and by the chair against station 2 of their own municipality. Each call
   must be refused with NotAllowed and leave an ``access_refused`` row in the audit log.
2. Row-level security: in a session scoped as the app scopes it, deliberately unscoped queries see
   and change only the actor's municipality.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

import app.services
from app.domain.access import Actor, Role
from app.domain.errors import NotAllowed, StemdagError
from app.services.setup import ElectionSpec
from app.storage import rls
from app.storage.models import AuditLog, Base, PollingStation

NOT_SERVICES = {"audit", "authz", "auth", "security", "public"}  # helpers; sign-in; anonymous page
OWN, OTHER = "GM0392", "GM0268"  # Haarlem, Nijmegen (demo)


def discover() -> list:
    found = []
    for info in pkgutil.iter_modules(app.services.__path__):
        if info.name in NOT_SERVICES:
            continue
        module = importlib.import_module(f"app.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:2] == ["db", "actor"]:
                found.append(pytest.param(fn, id=f"{info.name}.{name}"))
    return found


SERVICES = discover()
TABLE_OF = {"user_id": "staff_user"}  # parameter -> table, where the name does not say it


def _station_id(db, municipality, number):
    return db.scalar(
        select(PollingStation.id).where(
            PollingStation.municipality_code == municipality, PollingStation.number == number
        )
    )


def _row_id(db, table_name: str, municipality: str, station_id: int | None):
    """Id of a row of ``table_name`` that belongs to the target (for parameters like incident_id)."""
    table = Base.metadata.tables.get(table_name)
    if table is None or "id" not in table.c:
        return None
    query = select(table.c.id)
    if "municipality_code" in table.c:
        query = query.where(table.c.municipality_code == municipality)
    if station_id is not None and "polling_station_id" in table.c:
        query = query.where(table.c.polling_station_id == station_id)
    return db.scalar(query.limit(1))


def _arguments(db, fn, target_municipality: str, target_station: int | None):
    """Arguments aimed at the target. Returns None when a parameter cannot be aimed (reported as skip)."""
    args = {}
    for name, p in list(inspect.signature(fn).parameters.items())[2:]:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if name == "municipality_code":
            args[name] = target_municipality
        elif name == "polling_station_id":
            args[name] = target_station or _station_id(db, target_municipality, 1)
        elif name == "election_id":
            args[name] = "GR2026"
        elif name.endswith("_id") and name != "client_submission_id":
            table = TABLE_OF.get(name, name.removesuffix("_id"))
            row = _row_id(db, table, target_municipality, target_station)
            if row is None:
                if p.default is not p.empty:
                    continue
                return None
            args[name] = row
        elif p.default is not p.empty:
            continue
        elif name == "client_submission_id":
            args[name] = str(uuid.uuid4())
        elif name in ("base_url",):
            args[name] = "https://stemdag.example"
        elif name in ("number",):
            args[name] = 1
        elif name == "code":
            args[name] = target_municipality
        elif name == "role":
            args[name] = "office"
        elif name == "spec":
            args[name] = ElectionSpec(id="GR2026", kind="GR", name="x", election_date=dt.date.today())
        elif name in ("name", "username", "password", "new_password", "subject", "filename"):
            args[name] = "isolation-test-value"
        elif name == "enabled" or name == "active":
            args[name] = False
        elif str(p.annotation).startswith("int"):
            args[name] = 1
        elif str(p.annotation).startswith("str"):
            args[name] = "isolation-test-value"
        else:
            return None
    return args


def _actors(db):
    from app.services import auth
    from etl.demo import DEMO_PASSWORD, demo_code

    staff = {r: auth.sign_in_staff(db, f"{r}.haarlem", DEMO_PASSWORD) for r in ("office", "analyst", "admin")}
    chair = auth.sign_in_chair(db, demo_code(OWN, 1))
    return chair, staff


def _refused(db) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access_refused"))


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_refuses_other_municipalities_and_stations_and_logs_it(demo_db, service):
    chair, staff = _actors(demo_db)
    other_station = _station_id(demo_db, OWN, 2)
    cases: list[tuple[Actor, str, int | None]] = [
        (actor, OTHER, None) for actor in (chair, *staff.values())
    ] + [(chair, OWN, other_station)]
    checked = 0
    for actor, municipality, station in cases:
        args = _arguments(demo_db, service, municipality, station)
        if args is None:
            continue
        aimed = any(k in args for k in ("municipality_code", "polling_station_id", "code")) or any(
            k.endswith("_id") and k != "client_submission_id" and k != "election_id" for k in args
        )
        if not aimed:
            continue  # no target parameter: the service reads the actor's own data (tested below)
        if (
            actor.role is Role.CHAIR
            and municipality == OWN
            and "polling_station_id" not in args
            and not any(k.endswith("_id") and k not in ("election_id", "client_submission_id") for k in args)
        ):
            continue  # a municipality-wide target is not "another station"
        before = _refused(demo_db)
        with pytest.raises(NotAllowed):
            service(demo_db, actor, **args)
        assert _refused(demo_db) == before + 1, f"{actor.role} refusal not logged"
        checked += 1
    if checked == 0:
        pytest.skip(
            f"{service.__module__}.{service.__name__}: no parameter aims at another municipality or station"
        )


def test_services_without_a_target_return_only_the_actors_municipality(demo_db):
    from app.services import admin, audit_view, home, users

    _chair, staff = _actors(demo_db)
    admin_h = staff["admin"]
    assert {m.code for m in admin.list_municipalities(demo_db, admin_h)} == {OWN}
    assert {u.municipality_code for u in users.list_users(demo_db, admin_h)} == {OWN}
    assert {s.municipality_code for s in home.staff_home(demo_db, staff["office"])} == {OWN}
    assert {r.municipality_code for r in audit_view.list_audit(demo_db, staff["office"])} == {OWN}


def test_discovery_finds_the_services():
    ids = {p.id for p in SERVICES}
    assert {"stations.get_station", "codes.issue_code", "links.issue_link", "admin.set_public_page"} <= ids


# --- row-level security ------------------------------------------------------------------------------
def _scoped(db, municipality: str | None):
    db.rollback()
    rls.scope_session(db, municipality)
    return db


def test_rls_an_unscoped_query_sees_only_the_scoped_municipality(demo_db):
    db = _scoped(demo_db, OWN)
    assert set(db.scalars(text("SELECT DISTINCT municipality_code FROM polling_station"))) == {OWN}
    assert set(db.scalars(select(PollingStation.municipality_code).distinct())) == {OWN}
    assert db.scalar(text("SELECT count(*) FROM station_access_code WHERE municipality_code = 'GM0268'")) == 0
    assert db.scalar(text("SELECT current_user")) == rls.APP_ROLE
    # every tenant table is under the policy
    tables = db.scalars(
        text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND EXISTS (SELECT 1 FROM pg_attribute a "
            "WHERE a.attrelid = c.oid AND a.attname = 'municipality_code' AND NOT a.attisdropped) "
            "AND NOT (c.relrowsecurity AND c.relforcerowsecurity)"
        )
    ).all()
    assert tables == []


def test_rls_an_unscoped_write_cannot_touch_another_municipality(demo_db):
    db = _scoped(demo_db, OWN)
    changed = db.execute(text("UPDATE polling_station SET name = 'x' WHERE municipality_code = 'GM0268'"))
    assert changed.rowcount == 0
    deleted = db.execute(text("DELETE FROM station_access_code WHERE municipality_code = 'GM0268'"))
    assert deleted.rowcount == 0
    with pytest.raises(DBAPIError, match="row-level security"):
        db.execute(
            text(
                "INSERT INTO political_group (election_id, municipality_code, number, name) "
                "VALUES ('GR2026', 'GM0268', 99, 'Injected')"
            )
        )
    db.rollback()
    unscoped = _scoped(demo_db, None)
    assert unscoped.scalar(text("SELECT count(*) FROM polling_station WHERE name = 'x'")) == 0


def test_rls_without_a_municipality_sees_nothing_and_global_sees_all(demo_db):
    db = _scoped(demo_db, "")
    assert db.scalar(text("SELECT count(*) FROM polling_station")) == 0
    db = _scoped(demo_db, rls.ALL)
    assert db.scalar(text("SELECT count(DISTINCT municipality_code) FROM polling_station")) == 3
    _scoped(demo_db, None)


def test_rls_a_service_called_through_the_app_cannot_see_another_municipality(demo_db_url, app_env):
    """What ``session.call`` does: a session scoped to the actor. Cross-tenant rows are invisible, so
    the service refuses (NotFound/NotAllowed) even before its own check."""
    from app.services import auth, stations
    from app.storage.db import session_scope
    from etl.demo import DEMO_PASSWORD

    app_env(demo_db_url)
    with session_scope() as db:
        office = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        nijmegen = _station_id(db, OTHER, 1)
    with session_scope(office) as db:
        with pytest.raises(StemdagError):
            stations.get_station(db, office, nijmegen)
        assert stations.list_stations(db, office, "GR2026", OWN)
