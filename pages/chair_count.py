"""Chair: closing, then the preliminary count (proces-verbaal boxes), checked with the Kiesraad's rules
(each finding once, at its box, with its figures), explained warnings, a confirm step, submit. A count
sent shows its figures while the office reviews it; a returned count, or a correction the chair asks for,
is entered as a new version starting from the figures sent."""

import streamlit as st

from app.domain import reports
from app.domain import validation as v
from app.domain.counting import political_group_field
from app.services import chair, counts
from app.ui import chair as ui
from app.ui import session
from app.ui.session import tr, tr_plain

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
state = st.session_state
just_sent = state.pop("count_sent", None)  # the version this session just sent

# the radio options and the tick boxes of the form they stand for (a version prefills them)
COMPARE, EXPLAINED = ui.COMPARE_TICKS, ui.EXPLAINED_TICKS


def _has_values(form: dict) -> bool:
    groups = form.get("political_group_votes") or []
    return any(form.get(name) is not None for name in counts.FORM_FIELDS if name.endswith("_count")) or any(
        g.get("total") is not None
        or g.get("candidates_total") is not None
        or any(x is not None for x in g.get("candidate_votes") or [])
        for g in groups
    )


def _history(versions, reason_shown=None) -> None:
    """Earlier versions: status, the office's reason, their figures (folded)."""
    if not versions:
        return
    st.header(tr("chair.count.history"))
    for version in versions:
        st.write(
            tr(
                "chair.count.version_line",
                version=version.version,
                status=tr(f"chair.count_status.{version.status}"),
            )
        )
        if version.returned_reason and version is not reason_shown:
            ui.inert(version.returned_reason)
        with st.expander(tr("chair.count.figures.show", version=version.version)):
            ui.count_figures(version, setup)


def _start_correction(version: int) -> None:
    state["cnt_correcting"] = version


# A version sent and not returned: its figures, while the office reviews it (or once it accepted it). A new
# version only on the chair's explicit request (the service accepts a correction of a version sent, never
# of an accepted one).
correcting = (
    latest is not None and latest.status == "submitted" and state.get("cnt_correcting") == latest.version
)
if latest is not None and latest.status in ("submitted", "accepted") and not correcting:
    if latest.status == "accepted":
        st.success(tr("chair.count.accepted", version=latest.version))
    else:
        (st.success if just_sent == latest.version else st.info)(
            tr("chair.count.sent", version=latest.version)
        )
    sent_at = f"{latest.reported_at.astimezone(ui.TZ):%H:%M}"
    st.subheader(tr("chair.count.figures.heading", version=latest.version, time=sent_at))
    ui.count_figures(latest, setup)
    if latest.status == "submitted":
        st.button(
            tr("chair.count.correct"),
            key="cnt_correct",
            on_click=_start_correction,
            args=(latest.version,),
            width="stretch",
        )
        st.caption(tr("chair.count.correct_help", next=latest.version + 1))
        if setup.draft is not None and _has_values(setup.draft.form):
            st.caption(
                tr("chair.count.correct_resume", time=f"{setup.draft.updated_at.astimezone(ui.TZ):%H:%M}")
            )
    _history(setup.versions[1:])
    st.stop()

dso = setup.counting_method == "DSO" and any(li.candidates for li in setup.lists)


def _seed(form: dict, explanations: dict) -> None:
    """Start the form's widgets from ``form`` (a draft or a version); the widgets themselves start empty,
    so that every box can be cleared (a number input with a starting value cannot be emptied)."""
    for name in counts.FORM_FIELDS:
        value = form.get(name)
        if name.endswith("_count") and value is not None and not isinstance(value, bool):
            state.setdefault(f"cnt_{name}", value)
    for g in form.get("political_group_votes") or []:
        number = g.get("number")
        if g.get("total") is not None:
            state.setdefault(f"cnt_E_{number}", g["total"])
        if dso:
            for i, votes in enumerate(g.get("candidate_votes") or [], start=1):
                if votes is not None:
                    state.setdefault(f"cnt_cand_{number}_{i}", votes)
            if g.get("candidates_total") is not None:
                state.setdefault(f"cnt_ctot_{number}", g["candidates_total"])
    compare = next((option for option, tick in COMPARE.items() if form.get(tick)), None)
    if compare is not None:
        state.setdefault("cnt_compare", compare)
    explained = [option for option, tick in EXPLAINED.items() if form.get(tick)]
    if len(explained) == 1:
        state.setdefault("cnt_explained", explained[0])
    for code, text in (explanations or {}).items():
        state.setdefault(f"cnt_expl_{code}", text)


# What the form starts from, once per version to enter: the draft typed earlier (on this or another device,
# before a reload), else the version returned or being corrected as it was sent (with its explanations).
start = f"cnt_start_{(latest.version + 1) if latest else 1}_{latest.status if latest else 'none'}"
if start not in state:
    state[start] = True
    draft = setup.draft if setup.draft is not None and _has_values(setup.draft.form) else None
    if draft is not None:
        _seed(draft.form, draft.explanations)
        state["cnt_draft_kept"] = (draft.form, draft.explanations)
        state["cnt_draft_at"] = draft.updated_at
        state["cnt_source"] = "draft"
    elif latest is not None:
        _seed(latest.form, latest.explanations)
        state["cnt_source"] = "version"
        state["cnt_seeded"] = True  # nothing typed yet: no draft until something changes

if latest is None:
    st.caption(tr("chair.count.new_version", version=1))
else:
    if latest.status == "returned":
        st.error(tr("chair.count.returned", version=latest.version))
        ui.inert(latest.returned_reason)
    else:  # correcting a version sent, on the chair's request
        st.info(tr("chair.count.correcting", version=latest.version, next=latest.version + 1))
        cancel_box = st.container()
        if st.button(
            tr("chair.count.correct_cancel"),
            key="cnt_correct_cancel",
            help=tr("chair.count.correct_cancel_help", version=latest.version),
        ):
            ok = True
            if "cnt_draft_at" in state or (setup.draft is not None and _has_values(setup.draft.form)):
                ok, _ = session.call(counts.save_count_draft, actor, sid, {}, {}, where=cancel_box)  # discard
            if ok:
                for key in [k for k in state if str(k).startswith("cnt_")]:
                    del state[key]
                st.rerun()
    if latest.status == "returned":  # (a correction says where it starts above)
        key = (
            "chair.count.from_version" if state.get("cnt_source") == "version" else "chair.count.new_version"
        )
        st.caption(tr(key, version=latest.version + 1, previous=latest.version))

draft_note = st.empty()  # when what is typed was last kept (filled in at the end of the page)
notice = st.empty()  # why the count cannot be checked yet, or what the check refused
if setup.candidates_missing:  # DSO before the candidate lists are loaded: the check refuses, say so now
    notice.warning(tr("count.no_candidates"))


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


def _explanations_from_state() -> dict[str, str]:
    return {str(k)[len("cnt_expl_") :]: v for k, v in state.items() if str(k).startswith("cnt_expl_") and v}


checked = None
checked_form = None
if state.get("cnt_checked"):
    checked_form = _form_from_state()
    ok, checked = session.call(counts.check_count, actor, sid, checked_form, where=notice)
    if not ok:
        checked = None
ui.count_summary(checked, _explanations_from_state())  # what the check found, at the top


def _explain(issue: v.Issue) -> None:
    """Under a warning: its explanation (required to send the count)."""
    st.text_area(
        tr("chair.count.explanation", code=issue.code), key=f"cnt_expl_{issue.code}", persist_state="session"
    )


places = ui.IssuePlaces(checked, checked_form, _explain)  # each finding once, at its box


def box(field: str, label_key: str) -> None:
    st.number_input(
        tr(label_key), min_value=0, step=1, value=None, key=f"cnt_{field}", persist_state="session"
    )
    places.at(field)


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
        places.at(political_group_field(li.number, "candidates_total"))
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
    st.number_input(
        tr("chair.count.E_n", n=li.number, name=li.name),
        min_value=0,
        step=1,
        value=None,
        key=f"cnt_E_{li.number}",
        persist_state="session",
    )
    if dso and li.number != picked:  # the shown list's own sum and findings are at its list total above
        total = state.get(f"cnt_ctot_{li.number}")
        st.caption(tr("chair.count.running_sum", typed=_typed(li), total="–" if total is None else total))
        places.at(field, political_group_field(li.number, "candidates_total"))
    else:
        places.at(field)

st.header(tr("chair.count.votes"))
box(v.BOX_E, "chair.count.E")
box(v.BOX_F, "chair.count.F")
box(v.BOX_G, "chair.count.G")
box(v.BOX_H, "chair.count.H")

st.header(tr("chair.count.compare"))
st.radio(
    tr("chair.count.compare"),
    list(COMPARE),
    index=None,
    format_func=lambda o: tr(f"chair.count.{o}"),
    key="cnt_compare",
    persist_state="session",
    label_visibility="collapsed",
)
places.at(v.COMPARE_D_H, v.EQUAL, v.GREATER, v.SMALLER)
box(v.BOX_I, "chair.count.I")
box(v.BOX_J, "chair.count.J")


def _clear_explained() -> None:
    state["cnt_explained"] = None


st.radio(
    tr("chair.count.explained"),
    list(EXPLAINED),
    index=None,
    format_func=lambda o: tr(f"chair.count.explained_{o}"),
    horizontal=True,
    key="cnt_explained",
    persist_state="session",
)
places.at(v.ACCOUNTED_FOR)
# A choice in a radio cannot be undone by clicking it, and when D = H the question is skipped (F.313):
# an answer given can be cleared.
if state.get("cnt_explained") is not None:
    st.button(tr("chair.count.explained_clear"), key="cnt_explained_clear", on_click=_clear_explained)
places.rest()  # a finding at no box on this page (none, normally)

if st.button(tr("chair.count.check"), width="stretch", key="cnt_check"):
    state["cnt_checked"] = True
    st.rerun()

if checked is not None:
    ui.count_summary(checked, _explanations_from_state())  # and again at the send button
    if not checked.errors:
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
                {w.code: state.get(f"cnt_expl_{w.code}") or "" for w in checked.warnings},
                client_submission_id=ui.submission_id("count"),
                where=place,
            )
            if ok and result is not None:
                ui.new_submission("count")
                for key in [k for k in state if str(k).startswith("cnt_")]:
                    del state[key]
                state["count_sent"] = result.version
                st.rerun()


# Keep what is typed (a draft in the database): a reload, another device or a restarted server starts
# from it. Written only when something changed since it was last kept (a form that starts from a version
# is that version until something is typed).
typed = (_form_from_state(), _explanations_from_state())
if state.pop("cnt_seeded", False):
    state["cnt_draft_kept"] = typed
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

_history(setup.versions, reason_shown=latest)
