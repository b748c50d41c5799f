"""Sign in: a chair with the station's access code, staff with username and password or, when
``[auth]`` is configured, through the municipality's identity provider (OIDC, ``app/ui/oidc.py``).
"Stay signed in on this device" (``app/ui/device.py``) is ticked by default for chairs and not for
staff (shared computers)."""

import streamlit as st

from app.config import settings
from app.services import auth
from app.ui import device, oidc, session
from app.ui.session import tr

st.title(tr("auth.heading"))
st.caption(tr("app.tagline"))

chair_tab, staff_tab = st.tabs([tr("auth.tab_chair"), tr("auth.tab_staff")])

with chair_tab, st.form("chair_sign_in"):
    code = st.text_input(tr("auth.code_label"), help=tr("auth.code_help"), max_chars=40, key="chair_code")
    keep_chair = st.checkbox(
        tr("auth.keep"),
        value=True,
        help=tr("auth.keep_help", hours=settings().session_minutes // 60),
        key="chair_keep",
    )
    if st.form_submit_button(tr("auth.submit"), type="primary", width="stretch"):
        ok, actor = session.call(auth.sign_in_chair, code)
        if ok and actor is not None:
            session.sign_in(actor)
            if keep_chair:
                device.remember(actor)
            st.rerun()

with staff_tab, st.form("staff_sign_in"):
    username = st.text_input(tr("auth.username"), max_chars=80, key="staff_username", autocomplete="username")
    password = st.text_input(
        tr("auth.password"),
        type="password",
        max_chars=200,
        key="staff_password",
        autocomplete="current-password",
    )
    keep_staff = st.checkbox(
        tr("auth.keep"),
        value=False,
        help=tr("auth.keep_help", hours=settings().session_minutes // 60),
        key="staff_keep",
    )
    if st.form_submit_button(tr("auth.submit"), type="primary", width="stretch"):
        # failures are counted per account and browser address, so others cannot lock the account out
        ok, actor = session.call(auth.sign_in_staff, username, password, client_address=st.context.ip_address)
        if ok and actor is not None:
            session.sign_in(actor)
            if keep_staff:
                device.remember(actor)
            st.rerun()

with staff_tab:
    oidc.login_button()  # only when an identity provider is configured
