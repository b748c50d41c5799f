"""Row-level security: municipality isolation enforced by PostgreSQL itself (docs/security.md).

Every tenant table (a table with a ``municipality_code`` column) has a policy that lets the
application role ``stemdag_app`` see and write only rows of the municipality named in the transaction
setting ``stemdag.municipality`` (``*`` for a global admin or the system). A scoped session
(:func:`scope_session`, used by ``session_scope(actor)`` and ``app.ui.session.call``) switches to that
role with ``SET LOCAL ROLE`` at the start of every transaction, so that even a query that forgets its
``WHERE municipality_code = ...`` cannot cross municipalities. Without a setting nothing is visible.

Migrations after 0006 that add a tenant table call :func:`enable_tenant_isolation_sql` for it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

APP_ROLE = "stemdag_app"
SETTING = "stemdag.municipality"
ALL = "*"
_INFO_KEY = "stemdag_rls_scope"

POLICY_USING = (
    f"(municipality_code = current_setting('{SETTING}', true)"
    f" OR current_setting('{SETTING}', true) = '{ALL}')"
)


def enable_tenant_isolation_sql(table: str) -> list[str]:
    """The statements that put one tenant table under row-level security."""
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"',
        f'CREATE POLICY tenant_isolation ON "{table}" TO {APP_ROLE}'
        f" USING {POLICY_USING} WITH CHECK {POLICY_USING}",
        # The role that owns and migrates the tables keeps full access (maintenance, migrations); with
        # FORCE it would otherwise see nothing. The application never works as that role when scoped.
        f'DROP POLICY IF EXISTS owner_maintenance ON "{table}"',
        f'CREATE POLICY owner_maintenance ON "{table}" TO CURRENT_USER USING (true) WITH CHECK (true)',
    ]


def disable_tenant_isolation_sql(table: str) -> list[str]:
    return [
        f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"',
        f'DROP POLICY IF EXISTS owner_maintenance ON "{table}"',
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY',
    ]


def scope_for(municipality_code: str | None, *, global_access: bool = False) -> str:
    """The setting value for an actor: their municipality, or ``*`` for global access."""
    if global_access:
        return ALL
    return municipality_code or ""  # "" matches no row: fail closed


def scope_session(db: Session, scope: str | None) -> None:
    """Bind ``db`` to a tenant scope (``None`` removes it). Applies at once to an open transaction and
    at the start of every later one."""
    if scope is None:
        db.info.pop(_INFO_KEY, None)
        if db.in_transaction():
            conn = db.connection()
            conn.exec_driver_sql("RESET ROLE")
            conn.execute(text("SELECT set_config(:k, '', true)"), {"k": SETTING})
        return
    db.info[_INFO_KEY] = scope
    if db.in_transaction():
        _apply(db.connection(), scope)


def session_scope_of(db: Session) -> str | None:
    return db.info.get(_INFO_KEY)


APPLY_SQL = f"SELECT set_config('role', '{APP_ROLE}', true), set_config('{SETTING}', %(v)s, true)"


def _apply(conn: Any, scope: str) -> None:
    # One round trip: set_config('role', ..., true) is SET LOCAL ROLE (reset at the end of the
    # transaction, like the municipality setting).
    conn.exec_driver_sql(APPLY_SQL, {"v": scope})


_deferred: ContextVar[list[str] | None] = ContextVar("stemdag_rls_deferred", default=None)


@contextlib.contextmanager
def deferred_scope() -> Iterator[list[str]]:
    """Within this block a transaction that a scoped session begins does not send its setting: the
    scope is appended to the list yielded, and the caller must send it (``APPLY_SQL``) before
    any other statement of that transaction, or roll the transaction back (``fastpath.begin_run``)."""
    pending: list[str] = []
    token = _deferred.set(pending)
    try:
        yield pending
    finally:
        _deferred.reset(token)


@event.listens_for(Session, "after_begin")
def _after_begin(session: Session, _transaction: Any, connection: Any) -> None:
    scope = session.info.get(_INFO_KEY)
    if scope is not None:
        pending = _deferred.get()
        if pending is not None:
            pending.append(scope)
        else:
            _apply(connection, scope)
