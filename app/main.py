"""Streamlit entrypoint: page config, language, sign-in, and the pages of the signed-in role."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run app/web.py` (which serves this script) from anywhere
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from app.services import links  # noqa: E402
from app.ui import device, navigation, oidc, session  # noqa: E402
from app.ui.session import tr  # noqa: E402
from app.ui.texts import LANGUAGES  # noqa: E402

st.set_page_config(page_title="Stemdag", page_icon=":material/how_to_vote:", layout="wide")


def _sign_out_page() -> None:
    kept = device.kept_token()  # before the session is cleared: a cookie set in this very session
    session.sign_out()
    device.forget(kept)  # the device session ends and its cookie goes
    oidc.sign_out()
    st.session_state["stemdag_notice"] = "app.signed_out"
    st.rerun()


with st.sidebar:
    choice = st.radio(
        tr("app.language"),
        LANGUAGES,
        index=LANGUAGES.index(session.lang()),
        horizontal=True,
        format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
        key="lang_choice",
    )
    if choice != session.lang():
        session.set_lang(choice)
        st.rerun()

# A one-time sign-in link from an access letter (?token=...): redeemed once, then removed from the URL.
_token = st.query_params.get(links.QUERY_PARAM)
if _token:
    del st.query_params[links.QUERY_PARAM]
    _ok, _chair = session.call(links.redeem_link, _token)
    if _ok and _chair is not None:
        session.sign_out()
        session.sign_in(_chair)
        device.remember(_chair)  # the chair's own phone: stays signed in across reloads
        st.session_state["stemdag_notice"] = "links.signed_in"
        st.rerun()

oidc.sign_in_from_provider()  # staff signed in at the municipality's identity provider (st.login)
device.resume()  # a reload on a device that stays signed in (app/services/devices.py)

actor = session.current_actor()
if actor is not None:
    with st.sidebar:
        st.caption(tr("app.signed_in_as", name=actor.name, role=tr(f"role.{actor.role.value}")))

notice = st.session_state.pop("stemdag_notice", None)
if notice:
    st.info(tr(notice))

with st.sidebar:
    device.send_pending()  # a cookie to set or delete, asked for in the run before

navigation_ = st.navigation(navigation.pages_for(actor, _sign_out_page))
try:
    navigation_.run()
except Exception:  # a bug in a page: logged with its traceback, the user gets a message in their language
    logging.getLogger("stemdag.pages").exception("page %s failed", navigation_.title)
    st.error(tr("error.page"))
