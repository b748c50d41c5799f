"""Party harmonisation: analysts edit their own municipality only; every change is audited; the
analysis reads PostgreSQL through ADBC on a read-only session."""

import pytest
from sqlalchemy import select

from app.analysis import sources
from app.domain.access import Actor, Role
from app.domain.errors import InvalidInput, NotAllowed
from app.services import analysis
from app.storage.db import to_libpq_uri
from app.storage.models import AuditLog

WMW = Actor(role=Role.ANALYST, name="Analist WMW", user_id=1, municipality_code="GM0668")


def test_set_and_remove_a_rule_is_audited(demo_db, demo_db_url):
    saved = analysis.set_party_mapping(demo_db, WMW, "GM0668", "F.D. Wamel", "Lokaal")
    assert saved.party_name_normalised == "fd wamel" and saved.party_key == "Lokaal"
    overrides = sources.database_overrides(to_libpq_uri(demo_db_url), ["GM0668"])
    assert overrides == {("GM0668", "fd wamel"): "Lokaal"}
    assert analysis.remove_party_mapping(demo_db, WMW, "GM0668", "F.D.  WAMEL")
    actions = demo_db.scalars(select(AuditLog.action).where(AuditLog.entity == "party_harmonisation")).all()
    assert actions == ["party_mapping_set", "party_mapping_removed"]


def test_an_analyst_cannot_edit_another_municipality(demo_db):
    with pytest.raises(NotAllowed):
        analysis.set_party_mapping(demo_db, WMW, "GM0392", "PvdA", "X")
    with pytest.raises(InvalidInput):
        analysis.set_party_mapping(demo_db, WMW, "GM0668", "PvdA", "   ")


def test_database_source_is_read_only_and_scoped(demo_db_url):
    import adbc_driver_postgresql.dbapi as adbc

    uri = to_libpq_uri(demo_db_url)
    tables = sources.database_tables(uri, ["GM0668"])
    assert set(tables["station"].column("municipality_code").to_pylist()) == {"GM0668"}
    with (
        adbc.connect(sources.read_only_uri(uri)) as conn,
        conn.cursor() as cur,
        pytest.raises(Exception, match="read-only"),
    ):
        sources._bind_scope(cur, None)  # each transaction of the analysis is read-only (not the session:
        cur.execute("CREATE TABLE should_fail (a int)")  # PgBouncer refuses that as a startup option)
    # behind PgBouncer the app's URL carries Stemdag's own flag; the analysis connects without it
    flagged = uri + ("&" if "?" in uri else "?") + "pgbouncer=1"
    assert sources.database_tables(flagged, ["GM0668"])["station"].num_rows == tables["station"].num_rows
