"""Who is signed in, the language, and calling services from a page without ever showing a traceback."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import psycopg
import streamlit as st
from sqlalchemy.exc import DBAPIError

from app.config import settings
from app.domain.access import Actor
from app.domain.errors import StemdagError
from app.storage.db import session_scope
from app.storage.db import unreachable as db_unreachable
from app.ui.texts import DEFAULT_LANGUAGE, Md, error_md, t, t_md

log = logging.getLogger(__name__)
T = TypeVar("T")

_ACTOR = "stemdag_actor"
_SIGNED_IN_AT = "stemdag_signed_in_at"
_LANG = "stemdag_lang"
_DB_DOWN = "stemdag_db_down"


def lang() -> str:
    """The interface language: the one chosen in this session, else the browser's (English when its
    first language is English, so a reload does not switch an English-speaking user back), else Dutch."""
    chosen = st.session_state.get(_LANG)
    if chosen is None:
        chosen = browser_language(_browser_locale())
        st.session_state[_LANG] = chosen
    return chosen


def browser_language(locale: str | None) -> str:
    """``en`` for an English browser locale (``en``, ``en-GB``), else the default (Dutch)."""
    return "en" if (locale or "").strip().lower().split("-")[0] == "en" else DEFAULT_LANGUAGE


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except Exception:  # no browser context (bare mode, a test without one)
        return None


def set_lang(value: str) -> None:
    st.session_state[_LANG] = value


def tr(key: str, **params: object) -> Md:
    """The text ``key`` in the current language for a Markdown sink (st.markdown, st.write, titles,
    captions, messages, metric, tab, expander and widget labels, help texts): every value filled in
    is escaped, so a name from an import or an admin shows exactly as typed (``t_md``)."""
    return t_md(key, lang(), **params)


def tr_plain(key: str, **params: object) -> str:
    """The text ``key`` with its values as they are, for sinks that show plain text: st.text
    (``inert``), table cells and column names, selectbox and multiselect options, file names, chart and
    map data (escaped there for Plotly or deck.gl by their own helpers)."""
    return t(key, lang(), **params)


def after_rerun(page: str) -> None:
    """At the top of a page that calls :func:`rerun_saying`: show the message of the change just made
    and set the widget values it asked for (emptied fields, the item just saved selected)."""
    if flash := st.session_state.pop(f"{page}_flash", None):
        key, params = flash
        st.success(tr(key, **params))
    st.session_state.update(st.session_state.pop(f"{page}_next", {}))


def rerun_saying(
    page: str, key: str = "admin.saved", params: dict[str, object] | None = None, **next_state: object
) -> NoReturn:
    """After a change: run the page again, so that every table on it shows the change (a table drawn
    above a form is read before the form's submission is handled), with the message ``key`` and the
    widget values ``next_state`` (set before the widgets are drawn, as Streamlit requires)."""
    st.session_state[f"{page}_flash"] = (key, params or {})
    st.session_state[f"{page}_next"] = next_state
    st.rerun()


def current_actor() -> Actor | None:
    actor = st.session_state.get(_ACTOR)
    if actor is None:
        return None
    started = st.session_state.get(_SIGNED_IN_AT)
    limit = dt.timedelta(minutes=settings().session_minutes)
    if started is None or dt.datetime.now(dt.UTC) - started > limit:
        sign_out()
        st.session_state["stemdag_notice"] = "app.session_expired"
        return None
    return actor


def sign_in(actor: Actor) -> None:
    st.session_state[_ACTOR] = actor
    st.session_state[_SIGNED_IN_AT] = dt.datetime.now(dt.UTC)


def sign_out() -> None:
    keep = {_LANG: st.session_state.get(_LANG, DEFAULT_LANGUAGE)}
    st.session_state.clear()
    st.session_state.update(keep)


def call(service: Callable[..., T], *args: Any, where: Any = None, **kwargs: Any) -> tuple[bool, T | None]:
    """Run ``service(db, *args, **kwargs)`` in one session (scoped to the actor's municipality in the
    database when the first argument is the actor). A StemdagError becomes a clear message at
    ``where`` (a container; default the page), a database outage a banner; never a traceback.
    Returns (ok, result)."""
    target = where if where is not None else st
    actor = args[0] if args and isinstance(args[0], Actor) else None
    st.session_state[_DB_DOWN] = False
    try:
        with session_scope(actor) as db:  # row-level security: the actor's municipality only
            return True, service(db, *args, **kwargs)
    except StemdagError as err:
        if err.message_key == "auth.session_ended":  # a revoked code or changed account: sign out now
            sign_out()
            st.session_state["stemdag_notice"] = "auth.session_ended"
            st.rerun()
        target.error(error_md(err, lang()))
    except (DBAPIError, psycopg.Error) as err:  # psycopg's own: statements on a raw cursor (bulk loads)
        name = getattr(service, "__name__", service)
        if not _unreachable(err):  # a bug or a constraint, not an outage: logged, a plain message
            log.error("database error in %s: %s", name, err)
            target.error(tr("error.value_refused" if _refused_value(err) else "error.generic"))
            return False, None
        log.warning("database unavailable: %s", err)
        st.session_state[_DB_DOWN] = True
        target.error(tr("app.db_down"), icon=":material/cloud_off:")
    except Exception:  # a bug: logged with its traceback for the operators, a plain message for the user
        log.exception("unexpected error in %s", getattr(service, "__name__", service))
        target.error(tr("error.generic"))
    return False, None


_unreachable = db_unreachable


def _refused_value(err: DBAPIError | psycopg.Error) -> bool:
    """Whether PostgreSQL (or psycopg, before sending) refused a value itself: too long for its column,
    a number out of range, a NUL character. Trying again cannot help, so the page says so (the services
    check what they can first and name the field; this is the net under them)."""
    orig = err.orig if isinstance(err, DBAPIError) else err
    return isinstance(orig, psycopg.DataError)


def db_down() -> bool:
    """Whether the last ``call`` failed because the database could not be reached (a page then keeps
    showing its form with what was typed, from what it read before, so the chair can submit again)."""
    return bool(st.session_state.get(_DB_DOWN, False))


def call_or_kept(key: str, service: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[bool, T | None]:
    """``call`` for what a form page reads before showing its form. The result is kept in the session;
    while the database is down the kept result is returned (ok), so the form and what was typed in it
    stay on the screen under the banner. Any other failure returns (False, None) as ``call`` does."""
    ok, result = call(service, *args, **kwargs)
    kept = f"stemdag_kept_{key}"
    if ok:
        st.session_state[kept] = result
        return ok, result
    if db_down() and kept in st.session_state:
        return True, st.session_state[kept]
    return False, None
