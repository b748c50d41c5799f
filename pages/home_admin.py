"""Home of admin staff: the elections of their municipality."""

import streamlit as st

from app.services import home
from app.ui import session, widgets
from app.ui.session import tr

actor = session.current_actor()
ok, name = session.call(home.municipality_name, actor.municipality_code if actor else None)
st.title(tr("home.admin.heading"))
st.write(tr("home.admin.intro"))
ok, elections = session.call(home.staff_home, actor)
if ok:
    widgets.election_summary(elections or [])
