"""Municipality and station isolation, for every service and in the database itself.

1. Table-driven: every public function in ``app/services`` whose first two parameters are
   ``(db, actor)`` is found by inspection (so services added later are covered without editing this
   file) and called by every role of Haarlem (chair of station 1, office, analyst, municipal admin)
   against Nijmegen's data, and by the chair against station 2 of their own municipality. Entities a
   service takes by id or object (a count version, an incident, a list, ...) are first made at the target
   through the real services (TARGETS). Each call must be refused (NotAllowed, logged as
   ``access_refused``; or NotFound) and change nothing. A parameter this test cannot aim fails the test;
   the only skips are NOT_USE_CASES and NO_TARGET, each with its reason.
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
from app.domain import simulation as sim
from app.domain.access import Actor
from app.domain.errors import NotAllowed, NotFound, StemdagError
from app.services import chair, simulator
from app.services.setup import ElectionSpec
from app.storage import rls
from app.storage.models import AuditLog, Base, Election, ElectionMunicipality, PoliticalGroup, PollingStation
from tests import chair_day as day

NOT_SERVICES = {"audit", "authz", "auth", "security", "public"}  # helpers; sign-in; anonymous page
OWN, OTHER = "GM0392", "GM0268"  # Haarlem, Nijmegen (demo)

# Public ``(db, actor, ...)`` functions that are building blocks of the use cases of their area, not use
# cases themselves (no page or command calls them); each with why it needs no call of its own here.
NOT_USE_CASES = {
    "chair.locked_context": "helper of the chair's and counts' reports (their checks and the station's lock "
    "in one query); covered through submit_opening, submit_closing, report_*, submit_turnout, submit_count",
    "chair.write_report": "helper: stores a report for a Locked, which only locked_context makes "
    "(after its checks)",
}
# Use cases without a parameter that could aim elsewhere: they answer for the actor's own municipality
# (or station) only, which test_services_without_a_target_return_only_the_actors_own checks.
NO_TARGET = {
    "admin.list_elections",
    "admin.list_municipalities",
    "analysis.analysis_scope",
    "audit_view.audit_actions",
    "devices.remember",
    "home.chair_home",
    "home.staff_home",
    "users.list_users",
}
# Keyword arguments for a service's ``**values`` / ``**filters`` (aimed like a parameter of that name).
KEYWORDS = {
    "audit_view.export_audit_csv": ("municipality_code",),
    "imports.upsert_candidate": ("last_name",),
}


def _name(fn) -> str:
    return f"{fn.__module__.removeprefix('app.services.')}.{fn.__name__}"


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
    """Id of a row of ``table_name`` that belongs to the target (for parameters like user_id)."""
    table = Base.metadata.tables.get(table_name)
    if table is None or "id" not in table.c:
        return None
    query = select(table.c.id)
    if "municipality_code" in table.c:
        query = query.where(table.c.municipality_code == municipality)
    if station_id is not None and "polling_station_id" in table.c:
        query = query.where(table.c.polling_station_id == station_id)
    return db.scalar(query.limit(1))


# --- the target's entities, made through the real services ------------------------------------------
# Each factory gets the target station (station 1 of Nijmegen, or station 2 of Haarlem) and returns the
# argument; chair_day builds a valid count for either counting method.
def _station_chair(db, station_id: int) -> Actor:
    station = db.get(PollingStation, station_id)
    return day.sign_in(db, station.municipality_code, station.number)[0]


def _count_version(db, station_id: int) -> int:
    """A submitted count version of the target station (opened, closed, counted by its own chair)."""
    chair_of_target = _station_chair(db, station_id)
    day.open_station(db, chair_of_target, station_id)
    day.close_station(db, chair_of_target, station_id)
    return day.submit_count(db, chair_of_target, station_id, [40, 25], blank=2)


def _incident(db, station_id: int) -> int:
    chair_of_target = _station_chair(db, station_id)
    return chair.raise_incident(
        db, chair_of_target, station_id, "voter_issue", "Isolatietest", client_submission_id=day.cid()
    ).id


def _political_group(db, station_id: int) -> PoliticalGroup:
    station = db.get(PollingStation, station_id)
    return db.scalars(
        select(PoliticalGroup)
        .where(
            PoliticalGroup.election_id == station.election_id,
            PoliticalGroup.municipality_code == station.municipality_code,
        )
        .order_by(PoliticalGroup.number)
    ).first()


def _shared_election(db, station_id: int) -> ElectionSpec:
    """A change to the election the target takes part in (shared with the actor's municipality)."""
    return ElectionSpec(id="GR2026", kind="GR", name="isolation-test-value", election_date=dt.date.today())


def _station_results(db, station_id: int) -> list[sim.StationResult]:
    """A past result for the target's existing station (a missing one would be set up by
    setup.upsert_station, which is tested itself)."""
    station = db.get(PollingStation, station_id)
    return [sim.StationResult(station.number, station.name, 100, 0, None, 100, ((1, 60), (2, 38)), 2, 0, 100)]


def _prepared(db, station_id: int) -> simulator.Prepared:
    station = db.get(PollingStation, station_id)
    return simulator.Prepared(
        station.election_id, station.municipality_code, 0, {station.number: station.id}, [], sim.DayConfig()
    )


def _event(db, station_id: int) -> sim.Event:
    number = db.get(PollingStation, station_id).number
    payload = {"category": "voter_issue", "description": "Isolatietest"}
    return sim.Event(10 * 3600, number, sim.INCIDENT, "incident:isolation", payload)


def _count_form(db, station_id: int) -> dict:
    return day.count_form(db, _station_chair(db, station_id), station_id, [40, 25], blank=2)


def _checklist(db, station_id: int) -> list[str]:
    election = db.get(Election, db.get(PollingStation, station_id).election_id)
    return [item["key"] for item in election.checklist_items]


# parameter -> (factory, what it aims at: "station", "entity" (of one station or municipality), or
# "municipality" (municipality-wide, not "another station" for a chair of the same municipality))
TARGETS = {
    "count_version_id": (_count_version, "station"),
    "incident_id": (_incident, "station"),
    "group": (_political_group, "entity"),
    "spec": (_shared_election, "municipality"),
    "results": (_station_results, "municipality"),
    "prepared": (_prepared, "station"),
}
# parameter -> factory of a valid value for the target (not an aim: the call is aimed by another parameter)
INPUTS = {"form": _count_form, "checklist": _checklist, "event": _event}


class Unaimable(Exception):
    """A required parameter this test cannot give a value: add it to TARGETS or INPUTS."""


def _arguments(db, made: dict, fn, municipality: str, station: int) -> tuple[dict, set[str]]:
    """Arguments aimed at the target (``municipality``, ``station`` one of its stations), and what they
    aim at (see TARGETS)."""
    args: dict = {}
    aims: set[str] = set()
    params = [
        (name, p.annotation, p.default is not p.empty)
        for name, p in list(inspect.signature(fn).parameters.items())[2:]
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ] + [(name, "str", False) for name in KEYWORDS.get(_name(fn), ())]
    for name, annotation, optional in params:
        if name in TARGETS or name in INPUTS:
            factory, aim = TARGETS[name] if name in TARGETS else (INPUTS[name], None)
            if (name, station) not in made:
                made[name, station] = factory(db, station)
            args[name] = made[name, station]
            if aim:
                aims.add(aim)
        elif name == "municipality_code":
            args[name] = municipality
            aims.add("municipality")
        elif name in ("polling_station_id", "station_id"):
            args[name] = station
            aims.add("station")
        elif name == "election_id":
            args[name] = "GR2026"
        elif name.endswith("_id") and name not in ("client_submission_id", "client_id"):
            table = TABLE_OF.get(name, name.removesuffix("_id"))
            row = _row_id(db, table, municipality, station)
            if row is None:
                if optional:
                    continue
                raise Unaimable(f"{name}: no {table} row of the target; add a factory to TARGETS")
            args[name] = row
            aims.add("entity")
        elif optional:
            continue
        elif name in ("client_submission_id", "client_id"):
            args[name] = str(uuid.uuid4())
        elif name in ("base_url",):
            args[name] = "https://stemdag.example"
        elif name in ("number",):
            args[name] = 1
        elif name == "code":
            args[name] = municipality
            aims.add("municipality")
        elif name == "role":
            args[name] = "office"
        elif name in ("name", "username", "password", "new_password", "subject", "filename", "last_name"):
            args[name] = "isolation-test-value"
        elif name == "enabled" or name == "active":
            args[name] = False
        elif str(annotation).startswith("int"):
            args[name] = 1
        elif str(annotation).startswith("str"):
            args[name] = "isolation-test-value"
        else:
            raise Unaimable(f"{name}: {annotation}; add a factory to TARGETS or INPUTS")
    return args, aims


def _actors(db):
    from app.services import auth
    from etl.demo import DEMO_PASSWORD, demo_code

    staff = {r: auth.sign_in_staff(db, f"{r}.haarlem", DEMO_PASSWORD) for r in ("office", "analyst", "admin")}
    chair = auth.sign_in_chair(db, demo_code(OWN, 1))
    return chair, staff


def _refused(db) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access_refused"))


def _fingerprint(db) -> dict[str, str]:
    """A digest of every table but the audit log (which records the refusal): a refused call changes none."""
    db.rollback()
    tables = db.scalars(
        text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename NOT IN ('audit_log', 'alembic_version') ORDER BY tablename"
        )
    ).all()
    digest = " UNION ALL ".join(
        f"SELECT '{t}', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM \"{t}\" x"
        for t in tables
    )
    result = dict(db.execute(text(digest)).tuples().all())
    db.rollback()
    return result


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_refuses_other_municipalities_and_stations_and_logs_it(demo_db, service):
    name = _name(service)
    if name in NOT_USE_CASES:
        pytest.skip(f"{name}: not a use case: {NOT_USE_CASES[name]}")
    chair_1, staff = _actors(demo_db)
    cases: list[tuple[Actor, str, int]] = [
        (actor, OTHER, _station_id(demo_db, OTHER, 1)) for actor in (chair_1, *staff.values())
    ] + [(chair_1, OWN, _station_id(demo_db, OWN, 2))]
    made: dict = {}
    checked = 0
    for actor, municipality, station in cases:
        try:
            args, aims = _arguments(demo_db, made, service, municipality, station)
        except Unaimable as err:
            pytest.fail(f"{name}: cannot aim parameter {err}")
        if not aims:
            continue  # no target parameter: the service answers for the actor's own data (tested below)
        if municipality == OWN and aims <= {"municipality"}:
            continue  # a municipality-wide target is not "another station"
        before, data = _refused(demo_db), _fingerprint(demo_db)
        with pytest.raises((NotAllowed, NotFound)) as refusal:
            service(demo_db, actor, **args)
        after = _fingerprint(demo_db)
        assert [t for t in data if data[t] != after.get(t)] == [], f"{actor.role}: refused, but changed"
        if refusal.type is NotAllowed:
            assert _refused(demo_db) == before + 1, f"{actor.role} refusal not logged"
        checked += 1
    if checked == 0:
        if name not in NO_TARGET:
            pytest.fail(f"{name}: no parameter aims at another municipality or station; add it to NO_TARGET")
        pytest.skip(
            f"{name}: no target parameter; own municipality/station only (test_services_without_a_target_…)"
        )


def test_services_without_a_target_return_only_the_actors_own(demo_db):
    """The services in NO_TARGET, each with another municipality's data present."""
    from app.services import admin, analysis, audit_view, devices, home, users

    chair_1, staff = _actors(demo_db)
    _incident(demo_db, _station_id(demo_db, OTHER, 1))  # an action only Nijmegen's log has
    assert demo_db.scalar(select(func.count()).where(AuditLog.action == "incident_raised")) == 1
    admin_h = staff["admin"]
    checks = {
        "admin.list_elections": lambda: (
            {e.id for e in admin.list_elections(demo_db, admin_h)}
            == set(
                demo_db.scalars(
                    select(ElectionMunicipality.election_id).where(
                        ElectionMunicipality.municipality_code == OWN
                    )
                )
            )
        ),
        "admin.list_municipalities": lambda: (
            {m.code for m in admin.list_municipalities(demo_db, admin_h)} == {OWN}
        ),
        "analysis.analysis_scope": lambda: (
            analysis.analysis_scope(demo_db, staff["analyst"]).municipality_codes == (OWN,)
        ),
        "audit_view.audit_actions": lambda: (
            "incident_raised" not in audit_view.audit_actions(demo_db, staff["office"])
        ),
        "devices.remember": lambda: (  # a device session of the actor's own station or account only
            devices.resume(demo_db, devices.remember(demo_db, chair_1)) == chair_1
            and devices.resume(demo_db, devices.remember(demo_db, staff["office"])) == staff["office"]
        ),
        "home.chair_home": lambda: home.chair_home(demo_db, chair_1).station_id == chair_1.polling_station_id,
        "home.staff_home": lambda: (
            {s.municipality_code for s in home.staff_home(demo_db, staff["office"])} == {OWN}
        ),
        "users.list_users": lambda: (
            {u.municipality_code for u in users.list_users(demo_db, admin_h)} == {OWN}
        ),
    }
    assert set(checks) == NO_TARGET
    assert [name for name, check in checks.items() if not check()] == []
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


ENTITY_ID_SERVICES = [
    p
    for p in SERVICES
    if {k for k in TARGETS if k.endswith("_id")} & set(inspect.signature(p.values[0]).parameters)
]


@pytest.mark.parametrize("service", ENTITY_ID_SERVICES)
def test_rls_a_service_cannot_reach_another_municipalitys_entity_by_id(demo_db, service):
    """As ``session.call`` runs them (a session scoped to Haarlem): Nijmegen's count version or
    incident is invisible (NotFound) or refused; nothing changes."""
    _chair, staff = _actors(demo_db)
    args, _aims = _arguments(demo_db, {}, service, OTHER, _station_id(demo_db, OTHER, 1))
    data = _fingerprint(demo_db)
    for actor in staff.values():
        _scoped(demo_db, OWN)
        with pytest.raises((NotAllowed, NotFound)):
            service(demo_db, actor, **args)
        _scoped(demo_db, None)
        assert _fingerprint(demo_db) == data
