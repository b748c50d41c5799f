"""Analyst: the party harmonisation of their own municipality (which list names are one party)."""

import streamlit as st

from app.services import analysis, home
from app.ui import analysis as ui
from app.ui import session
from app.ui.session import tr

actor = session.current_actor()
st.title(tr("analysis.harmonise.heading"))
st.write(tr("analysis.harmonise.intro"))
ok, scope = session.call(analysis.analysis_scope, actor)
if not ok or scope is None:
    st.stop()
code = actor.municipality_code if actor and actor.municipality_code else None
ws = ui.workspace(scope)
if code is None and ws is not None:
    options = [c for c, _n in ws.municipalities()]
    code = (
        st.selectbox(tr("analysis.municipality"), options, key="harmonise_municipality") if options else None
    )
if code is None:
    st.stop()
ok, name = session.call(home.municipality_name, code)

st.header(tr("analysis.harmonise.current", municipality=name or code))
ok, mappings = session.call(analysis.list_party_mappings, actor, code)
if ok and mappings:
    st.dataframe(
        [
            {
                tr("analysis.harmonise.name"): m.party_name,
                tr("analysis.harmonise.key"): m.party_key,
                tr("analysis.harmonise.by"): m.updated_by or "",
            }
            for m in mappings
        ],
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
elif ok:
    st.info(tr("analysis.harmonise.none"))

with st.form("harmonise"):
    party_name = st.text_input(tr("analysis.harmonise.name"), max_chars=300, key="harmonise_name")
    party_key = st.text_input(tr("analysis.harmonise.key"), max_chars=120, key="harmonise_key")
    c1, c2 = st.columns(2)
    save = c1.form_submit_button(tr("analysis.harmonise.save"), type="primary")
    remove = c2.form_submit_button(tr("analysis.harmonise.remove"))
if save:
    ok, saved = session.call(analysis.set_party_mapping, actor, code, party_name, party_key)
    if ok and saved is not None:
        ui.forget_workspaces()
        st.success(tr("analysis.harmonise.saved", name=saved.party_name, party=saved.party_key))
if remove:
    ok, removed = session.call(analysis.remove_party_mapping, actor, code, party_name)
    if ok:
        ui.forget_workspaces()
        st.success(tr("analysis.harmonise.removed", name=party_name))

ws = ui.workspace(scope)  # again: a saved rule rebuilds it
if ws is not None:
    st.header(tr("analysis.harmonise.defaults"))
    names = ws.party_names(code)
    ui.table(names, f"partijnamen_{code}", "dl_party_names")
