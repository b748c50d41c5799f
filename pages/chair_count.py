"""Chair: closing, then the preliminary count (proces-verbaal boxes), checked with the Kiesraad's rules
at each field, explained warnings, a confirm step, submit; a returned count is corrected as a new version."""

import streamlit as st

from app.domain import reports
from app.domain import validation as v
from app.domain.counting import political_group_field
from app.services import chair, counts
from app.ui import chair as ui
from app.ui import session
from app.ui.session import tr, tr_plain
from app.ui.texts import md_escape

me = ui.station()
if me is None:
    st.stop()
actor, sid = me
st.title(tr("chair.count.title"))
ok, setup = session.call_or_kept("chair_count", counts.count_setup, actor, sid)  # db down: keep the form
if not ok or setup is None:
    st.stop()

if not setup.closed:
    st.header(tr("chair.closing.title"))
    ok, info = session.call_or_kept("chair_closing", chair.station_overview, actor, sid)
    if not ok or info is None:
        st.stop()
    now = ui.local_now()
    closes = f"{info.closes_at:%H:%M}"
    st.caption(tr("chair.closing.closes_at", closes=closes))
    with st.form("chair_closing_form"):
        closed = st.time_input(
            tr("chair.closing.time"),
            value=ui.closing_default(info.closes_at, now),
            key="closing_time",
            step=60,
        )
        time_box = st.container()
        early = st.checkbox(tr("chair.closing.early", closes=closes), key="closing_early")
        reason = st.text_input(tr("chair.closing.early_reason"), key="closing_early_reason")
        box = st.container()
        if st.form_submit_button(tr("chair.closing.submit"), type="primary", width="stretch"):
            ok, _ = session.call(
                chair.submit_closing,
                actor,
                sid,
                closed_at=reports.on_election_day(closed, now),  # as entered (after midnight: that night)
                early=early,
                early_reason=reason if early else None,
                client_submission_id=ui.submission_id("closing"),
                where=time_box if not early or (reason or "").strip() else box,
            )
            if ok:
                ui.new_submission("closing")
                st.rerun()
    st.info(tr("chair.count.not_closed"))
    st.stop()

latest = setup.latest
if latest is not None:
    if latest.status == "accepted":
        st.success(tr("chair.count.accepted", version=latest.version))
        st.stop()
    if latest.status == "returned":
        st.error(tr("chair.count.returned", version=latest.version))
        ui.inert(latest.returned_reason)
    else:
        st.info(tr("chair.count.submitted_wait", version=latest.version))
if "count_sent" in st.session_state:
    st.success(tr("chair.count.sent", version=st.session_state.pop("count_sent")))
st.caption(tr("chair.count.new_version", version=(latest.version + 1) if latest else 1))

draft_note = st.empty()  # when what is typed was last kept (filled in at the end of the page)
notice = st.empty()  # why the count cannot be checked yet, or what the check refused
if setup.candidates_missing:  # DSO before the candidate lists are loaded: the check refuses, say so now
    notice.warning(tr("count.no_candidates"))

dso = setup.counting_method == "DSO" and any(li.candidates for li in setup.lists)
state = st.session_state
# What the form starts from, fixed for this session until a version is sent: the draft typed earlier
# (on this or another device, before a reload) or else a returned version as submitted.
start = f"cnt_start_{(latest.version + 1) if latest else 1}_{latest.status if latest else 'none'}"
if start not in state:
    if setup.draft is not None:
        state[start] = setup.draft.form
        for code, text in setup.draft.explanations.items():
            state.setdefault(f"cnt_expl_{code}", text)
        state["cnt_draft_kept"] = (setup.draft.form, setup.draft.explanations)
        state["cnt_draft_at"] = setup.draft.updated_at
    else:
        state[start] = latest.form if latest is not None and latest.status == "returned" else {}
prefill = state[start]


# the radio options and the tick boxes of the form they stand for (a returned version starts from them)
COMPARE = {
    "equal": "admitted_voters_equal_votes_cast",
    "greater": "votes_cast_greater_than_admitted_voters",
    "smaller": "votes_cast_smaller_than_admitted_voters",
}
EXPLAINED = {"yes": "difference_completely_accounted_for_yes", "no": "difference_completely_accounted_for_no"}


def _initial(field: str):
    value = prefill.get(field)
    return None if value is None or isinstance(value, bool) else value


def _form_from_state() -> dict:
    groups = []
    for li in setup.lists:
        group = {"number": li.number, "total": state.get(f"cnt_E_{li.number}")}
        if dso:
            group["candidate_votes"] = [
                state.get(f"cnt_cand_{li.number}_{i}") for i in range(1, len(li.candidates) + 1)
            ]
            group["candidates_total"] = state.get(f"cnt_ctot_{li.number}")
        groups.append(group)
    compare = state.get("cnt_compare")
    explained = state.get("cnt_explained")
    form = {name: state.get(f"cnt_{name}") for name in counts.FORM_FIELDS if name.endswith("_count")}
    if not setup.has_voter_cards:
        form["voter_card_count"] = None
    form.update(
        political_group_votes=groups,
        **{tick: compare == option for option, tick in COMPARE.items()},
        **{tick: explained == option for option, tick in EXPLAINED.items()},
    )
    return form


checked = None
if state.get("cnt_checked"):
    ok, checked = session.call(counts.check_count, actor, sid, _form_from_state(), where=notice)
    if not ok:
        checked = None


def box(field: str, label_key: str, *extra_fields: str) -> None:
    st.number_input(
        tr(label_key), min_value=0, step=1, value=_initial(field), key=f"cnt_{field}", persist_state="session"
    )
    ui.issues_at(checked, field, *extra_fields)


st.header(tr("chair.count.admitted"))
box(v.BOX_A, "chair.count.A")
box(v.BOX_B, "chair.count.B")
if setup.has_voter_cards:
    box(v.BOX_C, "chair.count.C")
box(v.BOX_D, "chair.count.D" if setup.has_voter_cards else "chair.count.D_gr")

st.header(tr("chair.count.per_list"))
picked = None
if dso:
    # Decentral counting: 10+ lists of 25-50 candidates. One list at a time (a picker and a "next list"
    # button), its candidates, the running sum next to its list total; what was typed in the other lists
    # is kept (persist_state). Every other list's sum and findings show at its E.n below.
    lists = {li.number: li for li in setup.lists}
    seed = f"{start}_seeded"
    if prefill and seed not in state:  # a returned version: start from what was submitted
        state[seed] = True
        for g in prefill.get("political_group_votes") or []:
            for i, votes in enumerate(g.get("candidate_votes") or [], start=1):
                state.setdefault(f"cnt_cand_{g['number']}_{i}", votes)
            if g.get("candidates_total") is not None:
                state.setdefault(f"cnt_ctot_{g['number']}", g["candidates_total"])

    def _typed(li) -> int:
        return sum(state.get(f"cnt_cand_{li.number}_{i}") or 0 for i in range(1, len(li.candidates) + 1))

    def _list_option(number: int) -> str:  # fixed per list: the browser sends the chosen label back
        return tr_plain("chair.count.list_option", n=number, name=lists[number].name)  # an option: plain

    def _next_list(number: int) -> None:
        state["cnt_list"] = number

    st.caption(tr("chair.count.dso_help"))
    picked = st.selectbox(
        tr("chair.count.pick_list"),
        list(lists),
        format_func=_list_option,
        key="cnt_list",
        persist_state="session",
    )
    li = lists[picked]
    with st.container(border=True):
        st.markdown(f"**{tr('chair.count.list_heading', n=li.number)}**")
        ui.inert(li.name)
        for i, name in enumerate(li.candidates, start=1):
            st.number_input(
                tr("chair.count.candidate", c=i, name=name),
                min_value=0,
                step=1,
                value=None,
                key=f"cnt_cand_{li.number}_{i}",
                persist_state="session",
            )
        st.number_input(
            tr("chair.count.candidates_total", n=li.number),
            min_value=0,
            step=1,
            value=None,
            key=f"cnt_ctot_{li.number}",
            persist_state="session",
        )
        total = state.get(f"cnt_ctot_{li.number}")
        st.markdown(
            tr("chair.count.running_sum", typed=_typed(li), total="–" if total is None else total),
        )
        ui.issues_at(checked, political_group_field(li.number, "candidates_total"))
        numbers = list(lists)
        if picked != numbers[-1]:
            after = numbers[numbers.index(picked) + 1]
            st.button(
                tr("chair.count.next_list", n=after),
                key="cnt_next_list",
                on_click=_next_list,
                args=(after,),
                width="stretch",
            )

for li in setup.lists:
    field = political_group_field(li.number)
    group = next((g for g in prefill.get("political_group_votes") or [] if g.get("number") == li.number), {})
    st.number_input(
        tr("chair.count.E_n", n=li.number, name=li.name),
        min_value=0,
        step=1,
        value=group.get("total"),
        key=f"cnt_E_{li.number}",
        persist_state="session",
    )
    if dso and li.number != picked:  # the shown list's own sum and findings are at its list total above
        total = state.get(f"cnt_ctot_{li.number}")
        st.caption(tr("chair.count.running_sum", typed=_typed(li), total="–" if total is None else total))
        ui.issues_at(checked, field, political_group_field(li.number, "candidates_total"))
    else:
        ui.issues_at(checked, field)

st.header(tr("chair.count.votes"))
box(v.BOX_E, "chair.count.E")
box(v.BOX_F, "chair.count.F")
box(v.BOX_G, "chair.count.G")
box(v.BOX_H, "chair.count.H")

st.header(tr("chair.count.compare"))
st.radio(
    tr("chair.count.compare"),
    list(COMPARE),
    index=next((i for i, f in enumerate(COMPARE.values()) if prefill.get(f)), None),
    format_func=lambda o: tr(f"chair.count.{o}"),
    key="cnt_compare",
    persist_state="session",
    label_visibility="collapsed",
)
ui.issues_at(checked, v.COMPARE_D_H, v.EQUAL, v.GREATER, v.SMALLER)
box(v.BOX_I, "chair.count.I")
box(v.BOX_J, "chair.count.J")


def _clear_explained() -> None:
    state["cnt_explained"] = None


st.radio(
    tr("chair.count.explained"),
    list(EXPLAINED),
    index=None
    if "cnt_explained" in state  # cleared (below) or chosen: the session's value, not the start's
    else next((i for i, f in enumerate(EXPLAINED.values()) if prefill.get(f)), None),
    format_func=lambda o: tr(f"chair.count.explained_{o}"),
    horizontal=True,
    key="cnt_explained",
    persist_state="session",
)
ui.issues_at(checked, v.ACCOUNTED_FOR)
# A choice in a radio cannot be undone by clicking it, and when D = H the question is skipped (F.313):
# an answer given can be cleared.
if state.get("cnt_explained") is not None:
    st.button(tr("chair.count.explained_clear"), key="cnt_explained_clear", on_click=_clear_explained)

if st.button(tr("chair.count.check"), width="stretch", key="cnt_check"):
    state["cnt_checked"] = True
    st.rerun()

if checked is not None:
    if checked.errors:
        st.error(tr("chair.count.errors", n=len(checked.errors)))
    else:
        st.success(tr("chair.count.ok"))
        explanations = {}
        if checked.warnings:
            st.warning(tr("chair.count.warnings", n=len(checked.warnings)))
            for w in checked.warnings:
                st.markdown(f"**{w.code}**")
                ui.issues_at(v.ValidationResult(warnings=(w,)), *w.fields)
                explanations[w.code] = st.text_area(
                    tr("chair.count.explanation", code=w.code), key=f"cnt_expl_{w.code}"
                )
        confirmed = st.checkbox(tr("chair.count.confirm"), key="cnt_confirm")
        place = st.container()
        if st.button(
            tr("chair.count.submit"),
            type="primary",
            disabled=not confirmed,
            width="stretch",
            key="cnt_submit",
        ):
            ok, result = session.call(
                counts.submit_count,
                actor,
                sid,
                _form_from_state(),
                explanations,
                client_submission_id=ui.submission_id("count"),
                where=place,
            )
            if ok and result is not None:
                ui.new_submission("count")
                for key in [k for k in state if str(k).startswith("cnt_")]:
                    del state[key]
                state["count_sent"] = result.version
                st.rerun()


def _explanations_from_state() -> dict[str, str]:
    return {str(k)[len("cnt_expl_") :]: v for k, v in state.items() if str(k).startswith("cnt_expl_") and v}


def _has_values(form: dict) -> bool:
    groups = form.get("political_group_votes") or []
    return any(form.get(name) is not None for name in counts.FORM_FIELDS if name.endswith("_count")) or any(
        g.get("total") is not None
        or g.get("candidates_total") is not None
        or any(x is not None for x in g.get("candidate_votes") or [])
        for g in groups
    )


# Keep what is typed (a draft in the database): a reload, another device or a restarted server starts
# from it. Written only when something changed since it was last kept.
typed = (_form_from_state(), _explanations_from_state())
kept = True
if typed != state.get("cnt_draft_kept") and (_has_values(typed[0]) or "cnt_draft_kept" in state):
    kept, draft = session.call(counts.save_count_draft, actor, sid, typed[0], typed[1], where=draft_note)
    if kept and draft is not None:
        state["cnt_draft_kept"] = typed
        state["cnt_draft_at"] = draft.updated_at
if kept and "cnt_draft_at" in state:
    draft_note.caption(
        tr("chair.count.draft_kept", time=f"{state['cnt_draft_at'].astimezone(ui.TZ):%H:%M:%S}"),
        help=tr("chair.count.draft_help"),
    )

if setup.versions:
    st.header(tr("chair.count.history"))
    for version in setup.versions:
        st.write(
            tr(
                "chair.count.version_line",
                version=version.version,
                status=tr(f"chair.count_status.{version.status}"),
            )
        )
        if version.returned_reason:
            ui.inert(version.returned_reason)
        for code, text in version.explanations.items():
            st.caption(md_escape(code))
            ui.inert(text)
