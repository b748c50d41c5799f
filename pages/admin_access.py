"""Administration: access letters (new codes and one-time links as PDF) and revoking a station's access."""

import datetime as dt
from urllib.parse import urlsplit

import streamlit as st

from app.domain.errors import InvalidInput
from app.services import admin, codes, letters, stations
from app.ui import session
from app.ui.session import tr
from app.ui.texts import error_md

actor = session.current_actor()
st.title(tr("admin.access.heading"))
st.caption(tr("admin.access.intro"))
# After letters are made or access revoked the page reruns with the confirmation unticked again.
session.after_rerun("admin_access")

ok, elections = session.call(admin.list_elections, actor)
ok2, municipalities = session.call(admin.list_municipalities, actor)
elections, municipalities = elections or [], municipalities or []
if not elections or not municipalities:
    st.stop()
by_id = {e.id: e for e in elections}
names = {m.code: f"{m.name} ({m.code})" for m in municipalities}
eid = st.selectbox(
    tr("admin.election"),
    list(by_id),
    format_func=lambda i: f"{i} · {by_id[i].name}",
    placeholder=tr("admin.choose"),
    key="acc_el",
)
muni = st.selectbox(
    tr("admin.municipality"),
    list(names),
    format_func=names.get,
    placeholder=tr("admin.choose"),
    key="acc_muni",
)
ok, rows = session.call(stations.list_stations, actor, eid, muni)
rows = rows or []
if ok and not rows:
    st.info(tr("admin.access.no_stations"))
    st.stop()
labels = {s.number: f"{s.number} · {s.name}" for s in rows}


def _this_address() -> str:
    """This app's own address (scheme, host and port), as the browser reached it; empty when unknown."""
    try:
        url = urlsplit(st.context.url or "")
    except Exception:  # no browser context
        return ""
    return f"{url.scheme}://{url.netloc}" if url.scheme in ("http", "https") and url.netloc else ""


em = f"{eid}_{muni}"

# Outside the form, so that the confirmation below names how many stations it concerns.
chosen = st.multiselect(
    tr("admin.access.stations"),
    list(labels),
    format_func=labels.get,
    placeholder=tr("admin.access.all_stations"),
    key=f"acc_stations_{em}",
)
n = len(chosen) or len(rows)
with st.form("letters_form"):
    base_url = st.text_input(
        tr("admin.access.base_url"),
        value=_this_address(),  # the letters link to this Stemdag unless told otherwise
        max_chars=200,
        placeholder=tr("admin.access.base_url_placeholder"),
        key="acc_base",
    )
    base_url_box = st.container()
    confirmed = st.checkbox(
        tr("admin.access.confirm_one") if n == 1 else tr("admin.access.confirm_many", n=n),
        key=f"acc_confirm_{em}_{n}",
    )
    if chosen:
        st.caption(tr("admin.access.concerns", stations=", ".join(labels[c] for c in sorted(chosen))))
    else:
        st.caption(tr("admin.access.concerns_all", n=n))
    box = st.container()
    if st.form_submit_button(tr("admin.access.make"), type="primary"):
        try:
            url = letters.check_base_url(base_url)
        except InvalidInput as err:
            base_url_box.error(error_md(err, session.lang()))
        else:
            if not confirmed:
                box.error(tr("admin.access.confirm_needed"))
            else:
                with st.spinner(tr("admin.access.make")):
                    ok, pdf = session.call(
                        letters.letters_as_pdf,
                        actor,
                        eid,
                        muni,
                        url,
                        station_numbers=chosen or None,
                        lang=session.lang(),
                        where=box,
                    )
                if ok and pdf:
                    # Kept (per election and municipality) until new letters replace it or the user
                    # signs out: the old codes no longer work, so the PDF must not vanish on a rerun.
                    st.session_state[f"acc_pdf_{em}"] = (pdf, n, dt.datetime.now(letters.TZ))
                    session.rerun_saying(
                        "admin_access",
                        "admin.access.made_one" if n == 1 else "admin.access.made",
                        {"n": n},
                        **{f"acc_confirm_{em}_{n}": False},
                    )
if kept := st.session_state.get(f"acc_pdf_{em}"):
    pdf, made_for, made_at = kept
    st.download_button(
        tr("admin.access.download"),
        pdf,
        file_name=f"toegangsbrieven-{muni}-{eid}.pdf",
        mime="application/pdf",
        on_click="ignore",
        key=f"acc_download_{em}",
    )
    st.caption(tr("admin.access.kept", n=made_for, time=f"{made_at:%H:%M}"))

st.header(tr("admin.access.revoke"))
with st.form("revoke_form"):
    ids = {s.number: s.id for s in rows}
    number = st.selectbox(
        tr("admin.access.revoke_station"),
        list(labels),
        format_func=labels.get,
        index=None,
        placeholder=tr("admin.access.choose_station"),
        key=f"acc_revoke_{em}",
    )
    revoke_confirmed = st.checkbox(tr("admin.access.revoke_confirm"), key=f"acc_revoke_confirm_{em}")
    box = st.container()
    if st.form_submit_button(tr("admin.access.revoke")):
        if number is None:
            box.error(tr("admin.access.revoke_none"))
        elif not revoke_confirmed:
            box.error(tr("admin.access.revoke_confirm_needed"))
        else:
            ok, revoked = session.call(codes.revoke_codes, actor, ids[number], where=box)
            if ok:
                session.rerun_saying(
                    "admin_access",
                    "admin.access.revoked",
                    {"n": revoked},
                    **{f"acc_revoke_{em}": None, f"acc_revoke_confirm_{em}": False},
                )
