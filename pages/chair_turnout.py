"""Chair: turnout at the election's moments (admitted voters so far), corrections with a reason."""

import streamlit as st

from app.services import chair
from app.ui import chair as ui
from app.ui import session
from app.ui.session import tr

me = ui.station()
if me is None:
    st.stop()
actor, sid = me
PAGE = "chair_turnout"
st.title(tr("chair.turnout.title"))
ui.after_saved(PAGE)
ok, info = session.call_or_kept("chair_turnout", chair.station_overview, actor, sid)  # db down: keep the form
if not ok or info is None:
    st.stop()
st.caption(tr("chair.turnout.intro"))

now = ui.local_now()
moments = ui.turnout_moments_open(info.turnout_moments, now)  # a moment to come cannot be reported yet
later = [m for m in info.turnout_moments if m not in moments]
if later and moments:
    st.caption(tr("chair.turnout.not_yet", moments=", ".join(later)))
if not moments:
    st.info(tr("chair.turnout.none_yet", moment=info.turnout_moments[0] if info.turnout_moments else "–"))
else:
    default = ui.default_turnout_moment(info, now)
    if st.session_state.get("turnout_moment") not in moments:
        st.session_state.pop("turnout_moment", None)  # e.g. a moment just reported: the next one
    with st.form("chair_turnout_form"):
        moment = st.selectbox(
            tr("chair.turnout.moment"),
            moments,
            index=moments.index(default) if default in moments else 0,
            key="turnout_moment",
        )
        a = st.number_input(tr("chair.turnout.poll_cards"), min_value=0, step=1, value=None, key="turnout_a")
        b = st.number_input(tr("chair.turnout.proxies"), min_value=0, step=1, value=None, key="turnout_b")
        c = None
        if not info.is_municipal:
            c = st.number_input(
                tr("chair.turnout.voter_cards"), min_value=0, step=1, value=None, key="turnout_c"
            )
        total = st.number_input(
            tr("chair.turnout.total"), min_value=0, step=1, value=None, key="turnout_total"
        )
        total_box = st.container()
        correcting = st.checkbox(tr("chair.turnout.is_correction"), key="turnout_is_correction")
        reason = st.text_input(tr("chair.turnout.reason"), key="turnout_reason")
        if st.form_submit_button(tr("chair.turnout.submit"), type="primary", width="stretch"):
            parts = [None if v is None else int(v) for v in (a, b, c)]
            if total is None and any(p is not None for p in parts):
                total = sum(p or 0 for p in parts)
            ok, result = session.call(
                chair.submit_turnout,
                actor,
                sid,
                moment,
                None if total is None else int(total),
                poll_card_count=parts[0],
                proxy_certificate_count=parts[1],
                voter_card_count=parts[2],
                correction_reason=reason if correcting else None,
                client_submission_id=ui.submission_id("turnout"),
                where=total_box,
            )
            if ok:
                ui.new_submission("turnout")
                del st.session_state["turnout_moment"]  # the next moment to report is preselected
                ui.saved(
                    PAGE,
                    result,
                    turnout_a=None,
                    turnout_b=None,
                    turnout_c=None,
                    turnout_total=None,
                    turnout_is_correction=False,
                    turnout_reason="",
                )

if info.turnout:
    st.header(tr("chair.turnout.reported"))
    for t in info.turnout:
        marks = [tr("chair.turnout.late")] if t.is_late else []
        if t.is_correction:
            marks.append(tr("chair.turnout.correction"))
        st.write(
            f"**{t.moment}**: {t.total_admitted_voters_count}" + (f" ({', '.join(marks)})" if marks else "")
        )
