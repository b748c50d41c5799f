"""Stay signed in on this device across reloads (``app/services/devices.py``): ask for a device session
after a sign-in, resume from the cookie in a new session, forget it when signing out. The cookie itself
is set and deleted by the app's own route (``app/web.py``), called from the page by a tiny script."""

from __future__ import annotations

import json
import logging

import streamlit as st
import streamlit.components.v1 as components
from sqlalchemy.exc import DBAPIError

from app.domain.access import Actor
from app.domain.errors import StemdagError
from app.services import devices
from app.storage.db import session_scope
from app.ui import session

log = logging.getLogger(__name__)
ROUTE = devices.ROUTE
_PENDING = "stemdag_device_cookie"  # ("set", ticket) or ("delete", "") for the next run to send
_TRIED = "stemdag_device_tried"
# The token remembered in this session: its cookie is not in the websocket's request, which was made
# before the cookie existed, and signing out must still end it. (The name of a session key, no secret.)
_TOKEN = "stemdag_device_token"  # noqa: S105


def _cookie() -> str | None:
    token = st.context.cookies.get(devices.COOKIE)
    return token if isinstance(token, str) and token else None  # (no request in a test run)


def remember(actor: Actor) -> None:
    """After a sign-in on a device the user keeps: the browser gets the cookie on the next run."""
    ok, token = session.call(devices.remember, actor)
    if ok and token:
        st.session_state[_PENDING] = ("set", devices.ticket(token))
        st.session_state[_TOKEN] = token


def kept_token() -> str | None:
    """The device token remembered in this session, if any (read it before ``session.sign_out()``)."""
    token = st.session_state.get(_TOKEN)
    return token if isinstance(token, str) and token else None


def forget(kept: str | None = None) -> None:
    """Signing out: the device session ends and the browser's cookie is deleted. Call after
    ``session.sign_out()``, with :func:`kept_token` read before it: a session that remembered the device
    itself does not see the cookie in its request (the cookie came after it)."""
    token = _cookie() or kept
    if token:
        try:
            with session_scope() as db:
                devices.forget(db, token)
        except (StemdagError, DBAPIError) as err:  # the cookie goes anyway; the row expires by itself
            log.warning("device session not revoked: %s", err)
        st.session_state[_PENDING] = ("delete", "")
    st.session_state[_TRIED] = True  # this websocket still carries the old cookie: do not resume it


def resume() -> None:
    """Once per websocket session, without an actor: sign in from the device cookie when it is valid;
    an expired or revoked one is deleted with a notice."""
    if session.current_actor() is not None or st.session_state.get(_TRIED):
        return
    st.session_state[_TRIED] = True
    token = _cookie()
    if not token:
        return
    try:
        with session_scope() as db:
            actor = devices.resume(db, token)
    except StemdagError:
        st.session_state[_PENDING] = ("delete", "")
        st.session_state["stemdag_notice"] = "auth.device_expired"
        return
    except DBAPIError as err:  # the database is down: the sign-in page says so when used
        log.warning("device session not resumed: %s", err)
        return
    session.sign_in(actor)


def send_pending() -> None:
    """The cookie change asked for in an earlier run, sent by a script in an invisible frame (same
    origin: the response's Set-Cookie reaches the browser)."""
    action = st.session_state.pop(_PENDING, None)
    if action is None:
        return
    kind, ticket = action
    options: dict[str, object] = {
        "method": "POST" if kind == "set" else "DELETE",
        "credentials": "same-origin",
        "headers": {"X-Stemdag": "device", "Content-Type": "application/json"},
    }
    if kind == "set":
        options["body"] = json.dumps({"ticket": ticket})
    call = f"fetch({json.dumps(ROUTE)}, {json.dumps(options)})"
    components.html(f"<script>{call};</script>", height=0)
