"""Office: count review. Each station's latest count with its warnings and the chair's explanations;
accept it, or return it to the chair with a reason (the chair's services, issue 3; audited)."""

import uuid

import streamlit as st

from app.services import counts, office
from app.ui import office as ui
from app.ui import session
from app.ui.session import tr, tr_plain

actor = session.current_actor()
st.title(tr("office.counts.title"))
picked = ui.pick_election(actor)
STATUSES = ("submitted", "returned", "accepted")


def _form_id(name: str) -> str:
    key = f"office_sub_{name}"
    if key not in st.session_state:
        st.session_state[key] = str(uuid.uuid4())
    return st.session_state[key]


def _done(name: str, message: str) -> None:
    st.session_state.pop(f"office_sub_{name}", None)
    ui.forget()
    st.session_state["office_counts_notice"] = message
    st.rerun()


if picked is not None:
    election_id, municipality_code = picked
    notice = st.session_state.pop("office_counts_notice", None)
    if notice:
        st.success(tr(notice))
    shown = st.multiselect(
        tr("office.counts.filter"),
        STATUSES,
        default=["submitted"],
        format_func=lambda s: tr(f"office.counts.status.{s}"),
        placeholder=tr("office.choose_many"),
        key="office_counts_status",
    )
    ok, reviews = session.call(
        office.counts_for_review, actor, election_id, municipality_code, statuses=shown
    )
    if ok and not reviews:
        st.info(tr("office.counts.none"))
    for r in reviews or []:
        header = tr(
            "office.counts.header",
            number=r.station_number,
            name=r.station_name,
            version=r.version,
            status=tr(f"office.counts.status.{r.status}"),
        )
        with st.expander(header, expanded=r.status == "submitted"):
            ui.inert(
                tr_plain(
                    "office.counts.figures",
                    d=r.admitted,
                    h=r.votes_cast,
                    f=r.blank,
                    g=r.invalid,
                    i=r.more,
                    j=r.fewer,
                )
            )
            if r.difference_explained is not None:
                ui.inert(
                    tr_plain(
                        "office.counts.explained",
                        answer=tr("office.counts.yes" if r.difference_explained else "office.counts.no"),
                    )
                )
            st.markdown(f"**{tr('office.counts.warnings')}**")
            if not r.warnings:
                st.caption(tr("office.counts.no_warnings"))
            for code in r.warnings:
                ui.inert(
                    tr_plain(
                        "office.counts.warning_line",
                        code=code,
                        explanation=r.explanations.get(code) or tr("office.counts.no_explanation"),
                    )
                )
            if r.returned_reason:
                ui.inert(tr_plain("office.counts.returned_reason", reason=r.returned_reason))
            if r.status != "submitted":
                continue
            key = f"cv{r.count_version_id}"
            if st.button(tr("office.counts.accept"), key=f"{key}_accept", type="primary"):
                ok_a, _ = session.call(
                    counts.accept_count,
                    actor,
                    r.count_version_id,
                    client_submission_id=_form_id(f"{key}_accept"),
                )
                if ok_a:
                    _done(f"{key}_accept", "office.counts.accepted")
            with st.form(f"{key}_return_form"):
                reason = st.text_area(tr("office.counts.reason"), key=f"{key}_reason", max_chars=2000)
                if st.form_submit_button(tr("office.counts.return")):
                    ok_r, _ = session.call(
                        counts.return_count,
                        actor,
                        r.count_version_id,
                        reason,
                        client_submission_id=_form_id(f"{key}_return"),
                    )
                    if ok_r:
                        _done(f"{key}_return", "office.counts.returned")
