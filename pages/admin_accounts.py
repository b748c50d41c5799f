"""Administration: municipalities (tenants, public page opt-in) and staff accounts."""

import streamlit as st

from app.services import admin, users
from app.ui import session
from app.ui.session import tr

actor = session.current_actor()
st.title(tr("admin.accounts.heading"))

st.header(tr("admin.municipalities"))
ok, municipalities = session.call(admin.list_municipalities, actor)
municipalities = municipalities or []
if municipalities:
    st.dataframe(
        [
            {
                tr("admin.code"): m.code,
                tr("admin.name"): m.name,
                tr("admin.public_page"): m.public_page_enabled,
            }
            for m in municipalities
        ],
        hide_index=True,
        width="stretch",
    )
with st.form("municipality_form"):
    code = st.text_input(tr("admin.code"), max_chars=6, key="muni_code")
    name = st.text_input(tr("admin.name"), max_chars=120, key="muni_name")
    public = st.checkbox(tr("admin.public_page"), help=tr("admin.public_page_help"), key="muni_public")
    if st.form_submit_button(tr("admin.save_municipality")):
        ok, saved = session.call(admin.save_municipality, actor, code, name)
        if ok and saved is not None:
            ok, _ = session.call(admin.set_public_page, actor, saved.code, public)
            if ok:
                st.success(tr("admin.saved"))

st.header(tr("admin.users"))
ok, staff = session.call(users.list_users, actor)
staff = staff or []
st.dataframe(
    [
        {
            tr("admin.username"): u.username,
            tr("admin.display_name"): u.display_name,
            tr("admin.role"): tr(f"role.{u.role}"),
            tr("admin.municipality"): u.municipality_code or tr("admin.all_municipalities"),
            tr("admin.active"): u.is_active,
        }
        for u in staff
    ],
    hide_index=True,
    width="stretch",
)
codes = [m.code for m in municipalities]
names = {m.code: f"{m.name} ({m.code})" for m in municipalities}
with st.form("add_user_form"):
    st.subheader(tr("admin.add_user"))
    username = st.text_input(tr("admin.username"), max_chars=80, key="new_username")
    display = st.text_input(tr("admin.display_name"), max_chars=120, key="new_display")
    role = st.selectbox(
        tr("admin.role"),
        ["office", "analyst", "admin"],
        format_func=lambda r: tr(f"role.{r}"),
        key="new_role",
    )
    options = ([None] if actor and actor.is_global_admin else []) + codes
    municipality = st.selectbox(
        tr("admin.municipality"),
        options,
        format_func=lambda c: (
            names.get(c, tr("admin.all_municipalities")) if c else tr("admin.all_municipalities")
        ),
        key="new_municipality",
    )
    password = st.text_input(tr("admin.password"), type="password", max_chars=200, key="new_password")
    if st.form_submit_button(tr("admin.add_user")):
        ok, _ = session.call(
            users.add_user,
            actor,
            username=username,
            password=password,
            role=role,
            municipality_code=municipality,
            display_name=display or None,
        )
        if ok:
            st.success(tr("admin.saved"))

if staff:
    with st.form("change_user_form"):
        st.subheader(tr("admin.change_user"))
        by_id = {u.id: u for u in staff}
        user_id = st.selectbox(
            tr("admin.user"),
            list(by_id),
            format_func=lambda i: f"{by_id[i].username} ({tr('role.' + by_id[i].role)})",
            key="change_user",
        )
        active = st.checkbox(tr("admin.active"), value=True, key="change_active")
        new_password = st.text_input(
            tr("admin.new_password"), type="password", max_chars=200, key="change_pw"
        )
        subject = st.text_input(tr("admin.oidc_subject"), max_chars=200, key="change_subject")
        if st.form_submit_button(tr("admin.change_user")):
            ok, _ = session.call(admin.set_user_active, actor, user_id, active)
            if ok and new_password:
                ok, _ = session.call(admin.reset_password, actor, user_id, new_password)
            if ok and subject:
                ok, _ = session.call(admin.set_oidc_subject, actor, user_id, subject)
            if ok:
                st.success(tr("admin.saved"))
