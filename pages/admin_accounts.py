"""Administration: municipalities (tenants, public page opt-in) and staff accounts."""

import streamlit as st

from app.services import admin, users
from app.ui import session
from app.ui.session import tr

actor = session.current_actor()
st.title(tr("admin.accounts.heading"))
# After a save the page reruns (so the tables show the change); what to show and reset comes through here.
session.after_rerun("admin_accounts")


def saved(**next_state: object) -> None:
    session.rerun_saying("admin_accounts", **next_state)


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
        placeholder="–",
    )
by_code = {m.code: m for m in municipalities}
muni_options = ([""] if actor and actor.is_global_admin else []) + list(by_code)  # "": a new one
if (just_saved := st.session_state.pop("admin_accounts_saved_muni", None)) in by_code:
    st.session_state["muni_choice"] = just_saved  # the municipality just saved is the one shown
muni_choice = st.selectbox(
    tr("admin.municipality_choice"),
    muni_options,
    format_func=lambda c: f"{by_code[c].name} ({c})" if c in by_code else tr("admin.new_municipality"),
    index=1 if "" in muni_options and len(muni_options) > 1 else 0,
    placeholder=tr("admin.choose"),
    key="muni_choice",
)
current_muni = by_code.get(muni_choice) if muni_choice else None
mk = current_muni.code if current_muni else "new"  # keyed per municipality: another choice shows its values
if muni_options:
    with st.form("municipality_form"):
        code = st.text_input(
            tr("admin.code"),
            value=current_muni.code if current_muni else "",
            max_chars=6,
            disabled=current_muni is not None,
            key=f"muni_code_{mk}",
        )
        name = st.text_input(
            tr("admin.name"),
            value=current_muni.name if current_muni else "",
            max_chars=120,
            key=f"muni_name_{mk}",
        )
        public_before = current_muni.public_page_enabled if current_muni else False
        public = st.checkbox(
            tr("admin.public_page"),
            value=public_before,
            help=tr("admin.public_page_help"),
            key=f"muni_public_{mk}",
        )
        if st.form_submit_button(tr("admin.save_municipality")):
            ok, saved_muni = session.call(
                admin.save_municipality, actor, current_muni.code if current_muni else code, name
            )
            if ok and saved_muni is not None and public != public_before:  # only what was changed
                ok, _ = session.call(admin.set_public_page, actor, saved_muni.code, public)
            if ok and saved_muni is not None:
                saved(admin_accounts_saved_muni=saved_muni.code, muni_code_new="", muni_name_new="")

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
    placeholder="–",
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
        placeholder=tr("admin.choose"),
        key="new_role",
    )
    # a municipality first (office and analyst accounts need one); "all municipalities" (admins only) last
    options = codes + ([None] if actor and actor.is_global_admin else [])
    municipality = st.selectbox(
        tr("admin.municipality"),
        options,
        format_func=lambda c: (
            names.get(c, tr("admin.all_municipalities")) if c else tr("admin.all_municipalities")
        ),
        placeholder=tr("admin.choose"),
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
        if ok:  # an empty form for the next one (a second click would say the account exists)
            saved(new_username="", new_display="", new_password="")

if staff:
    st.subheader(tr("admin.change_user"))
    by_id = {u.id: u for u in staff}
    # Outside the form: choosing an account reruns the page, so the form shows that account's state.
    user_id = st.selectbox(
        tr("admin.user"),
        list(by_id),
        format_func=lambda i: f"{by_id[i].username} ({tr('role.' + by_id[i].role)})",
        placeholder=tr("admin.choose_user"),
        key="change_user",
    )
    chosen = by_id.get(user_id) if user_id is not None else None
    if chosen is not None:
        with st.form("change_user_form"):
            active = st.checkbox(tr("admin.active"), value=chosen.is_active, key=f"change_active_{chosen.id}")
            new_password = st.text_input(
                tr("admin.new_password"), type="password", max_chars=200, key=f"change_pw_{chosen.id}"
            )
            subject = st.text_input(
                tr("admin.oidc_subject"),
                max_chars=200,
                help=tr("admin.oidc_subject_help"),
                key=f"change_subject_{chosen.id}",
            )
            if st.form_submit_button(tr("admin.change_user")):
                ok = True
                if active != chosen.is_active:  # only what was changed
                    ok, _ = session.call(admin.set_user_active, actor, chosen.id, active)
                if ok and new_password:
                    ok, _ = session.call(admin.reset_password, actor, chosen.id, new_password)
                if ok and subject:
                    ok, _ = session.call(admin.set_oidc_subject, actor, chosen.id, subject)
                if ok:
                    saved(**{f"change_pw_{chosen.id}": "", f"change_subject_{chosen.id}": ""})
