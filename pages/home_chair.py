"""Home of a polling-station chair."""

import streamlit as st

from app.services import home
from app.ui import session
from app.ui.session import tr

actor = session.current_actor()
ok, info = session.call(home.chair_home, actor)
if ok and info is not None:
    st.title(tr("home.chair.heading", number=info.number, name=info.name))
    st.write(f"{info.election_name} · {info.municipality_name} · {info.election_date:%d-%m-%Y}")
    if info.address:
        st.write(info.address)
    st.write(f"{info.opens_at:%H:%M} – {info.closes_at:%H:%M}")
    st.info(tr("home.chair.intro"))
