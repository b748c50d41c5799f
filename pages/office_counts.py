"""Office: count review. A compact list of each station's latest count (status, warnings); one count open
at a time (the first still to review, or the one picked) with its whole proces-verbaal: A, B, (C), D, the
votes per list (under decentral counting the candidates of each list), E to H, D against H with I or J,
the warnings with the chair's explanations, what changed since the previous version and every version.
Accepting asks for a confirmation; returning and reopening an accepted count need a reason (the chair
then submits a new version: paper leads, nothing reported is overwritten, every step is audited)."""

import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from app.services import counts, office
from app.ui import office as ui
from app.ui import session, widgets
from app.ui.session import tr, tr_plain
from app.ui.texts import md_escape

actor = session.current_actor()
st.title(tr("office.counts.title"))
picked = ui.pick_election(actor)
STATUSES = ("submitted", "returned", "accepted")
#: the count version open now; absent: the first still to review; None: all closed
OPEN = "office_cv_open"
#: the status by shape beside its word
STATUS_ICON = {
    "submitted": ":material/pending_actions:",
    "returned": ":material/undo:",
    "accepted": ":material/task_alt:",
}
NONE = "–"


def _form_id(name: str) -> str:
    key = f"office_sub_{name}"
    if key not in st.session_state:
        st.session_state[key] = str(uuid.uuid4())
    return st.session_state[key]


def _done(name: str, message: str) -> None:
    st.session_state.pop(f"office_sub_{name}", None)
    st.session_state.pop(OPEN, None)  # the next count still to review opens
    ui.forget()
    st.session_state["office_counts_notice"] = message
    st.rerun()


def _toggle(count_version_id: int) -> None:
    """One count open at a time: opening one closes the one open before."""
    if st.session_state.get(f"cv_open_{count_version_id}"):
        st.session_state[OPEN] = count_version_id
    elif st.session_state.get(OPEN, count_version_id) == count_version_id:
        st.session_state[OPEN] = None


def _time(value) -> str:
    return value.astimezone(ui.LOCAL_TZ).strftime("%H:%M") if value is not None else NONE


def _value(value: object) -> object:
    return NONE if value is None else value


def _box_label(letter: str) -> str:
    return md_escape(f"{letter}. ") + tr(f"review.box.{letter}")


def _boxes(d: counts.CountReviewDetail, letters: str) -> None:
    rows = [
        {
            tr("review.pv.col.box"): _box_label(letter),
            tr("review.pv.col.count"): _value(d.boxes[letter]),
        }
        for letter in letters
        if letter in d.boxes
    ]
    st.table(rows, hide_index=True)


def _option(box: str, value: object) -> object:
    if box == "compare":
        return tr(f"review.pv.compare.{value}") if value else tr("review.pv.compare.none")
    if box == "explained":
        return tr(f"review.pv.explained.{value}") if value else NONE
    return _value(value)


def _difference_label(d: counts.CountReviewDetail, diff: counts.ReviewDifference) -> str:
    lists = {li.number: li for li in d.lists}
    li = lists.get(diff.list_number or 0)
    name = li.name if li is not None else ""
    if diff.box == "list":
        return tr("review.box.list", n=diff.list_number, name=name)
    if diff.box == "candidates_total":
        return tr("review.box.candidates_total", n=diff.list_number)
    if diff.box == "candidate":
        candidate = next(
            (c for c in (li.candidates if li else ()) if c.number == diff.candidate_number), None
        )
        return tr(
            "review.box.candidate",
            n=diff.list_number,
            c=diff.candidate_number,
            name=candidate.name if candidate else "",
        )
    if diff.box in ("compare", "explained"):
        return tr(f"review.box.{diff.box}")
    return _box_label(diff.box)


def _differences(d: counts.CountReviewDetail) -> None:
    if d.previous_version is None:
        return
    st.markdown(f"**{tr('review.pv.differences', version=d.previous_version)}**")
    if not d.differences:
        st.caption(tr("review.pv.no_differences", version=d.previous_version))
        return
    st.table(
        [
            {
                tr("review.pv.col.what"): _difference_label(d, diff),
                tr("review.pv.col.before", version=d.previous_version): _option(diff.box, diff.before),
                tr("review.pv.col.after", version=d.version): _option(diff.box, diff.after),
            }
            for diff in d.differences
        ],
        hide_index=True,
    )


def _lists(d: counts.CountReviewDetail) -> None:
    st.markdown(f"**{tr('review.pv.per_list')}**")
    st.table(
        [
            {
                tr("review.pv.col.box"): md_escape(f"E.{li.number}"),
                tr("review.pv.col.name"): md_escape(li.name),
                tr("review.pv.col.votes"): li.total,
            }
            for li in d.lists
        ],
        hide_index=True,
    )
    for li in d.lists:
        if not li.candidates:
            continue
        # one compact expander per list: 10+ lists of 25-50 candidates stay out of the way until needed
        with st.expander(
            tr("review.pv.candidates", n=li.number, name=li.name, total=li.total), type="compact"
        ):
            st.table(
                [
                    {
                        tr("review.pv.col.candidate"): md_escape(f"{c.number}. {c.name}"),
                        tr("review.pv.col.votes"): c.votes,
                    }
                    for c in li.candidates
                ],
                hide_index=True,
            )
            st.caption(
                tr(
                    "review.pv.list_check",
                    sum=sum(c.votes for c in li.candidates),
                    total=_value(li.candidates_total),
                )
            )


def _warnings(d: counts.CountReviewDetail) -> None:
    st.markdown(f"**{tr('review.pv.warnings')}**")
    if not d.warnings:
        st.caption(tr("office.counts.no_warnings"))
    for w in d.warnings:
        text, other = (w.text_nl, w.text_en) if session.lang() == "nl" else (w.text_en, w.text_nl)
        st.warning(md_escape(f"{w.code} {text}"))
        if other:
            st.caption(md_escape(other))
        st.caption(tr("review.pv.explanation"))
        ui.inert(w.explanation or tr_plain("office.counts.no_explanation"))  # as typed by the chair


def _versions(d: counts.CountReviewDetail) -> None:
    st.markdown(f"**{tr('review.pv.versions')}**")
    for v in d.versions:
        st.write(
            tr(
                "review.pv.version_line",
                version=v.version,
                status=tr(f"office.counts.status.{v.status}"),
                time=_time(v.reported_at),
                who=v.reported_by or "",
            )
        )
        if v.reviewed_at is not None:
            st.caption(tr("review.pv.reviewed_line", time=_time(v.reviewed_at), who=v.reviewed_by or ""))
        if v.returned_reason:
            st.caption(tr("review.pv.reason"))
            ui.inert(v.returned_reason)  # as typed by the office


def _proces_verbaal(d: counts.CountReviewDetail) -> None:
    st.subheader(tr("review.pv.heading", version=d.version))
    st.caption(
        tr(
            "review.pv.meta",
            time=_time(d.reported_at),
            who=d.reported_by or "",
            method=tr(f"review.pv.method.{d.counting_method}"),
        )
    )
    if not d.is_latest:
        st.warning(tr("review.pv.not_latest"))
    _differences(d)
    st.markdown(f"**{tr('review.pv.admitted')}**")
    _boxes(d, "ABCD")
    _lists(d)
    st.markdown(f"**{tr('review.pv.votes')}**")
    _boxes(d, "EFGH")
    st.markdown(f"**{tr('review.pv.difference')}**")
    st.write(tr("review.pv.compare_line", answer=_option("compare", d.compare)))
    _boxes(d, "IJ")
    st.write(tr("review.pv.explained_line", answer=_option("explained", d.explained)))
    _warnings(d)
    _versions(d)


def _reason_form(
    d: counts.CountReviewDetail, name: str, service: Callable[..., Any], keys: tuple[str, str, str]
) -> None:
    """A form that sends the version back to the chair with a reason (return it, or reopen an accepted
    one); ``keys``: the texts of its reason box, its button and the message when it is done."""
    label, submit, done = keys
    with st.form(f"{name}_form"):
        reason = st.text_area(tr(label), key=f"{name}_reason", max_chars=2000)
        place = st.container()
        if st.form_submit_button(tr(submit)):
            ok, _ = session.call(
                service, actor, d.count_version_id, reason, client_submission_id=_form_id(name), where=place
            )
            if ok:
                _done(name, done)


def _actions(d: counts.CountReviewDetail) -> None:
    key = f"cv{d.count_version_id}"
    if d.reviewable:
        st.markdown(f"**{tr('review.accept.heading')}**")
        confirmed = st.checkbox(tr("review.accept.confirm", version=d.version), key=f"{key}_confirm")
        box = st.container()
        if st.button(tr("office.counts.accept"), key=f"{key}_accept", type="primary"):
            if not confirmed:
                box.error(tr("review.accept.needed"))
            else:
                ok_a, _ = session.call(
                    counts.accept_count,
                    actor,
                    d.count_version_id,
                    client_submission_id=_form_id(f"{key}_accept"),
                    where=box,
                )
                if ok_a:
                    _done(f"{key}_accept", "office.counts.accepted")
        st.markdown(f"**{tr('review.return.heading')}**")
        _reason_form(
            d,
            f"{key}_return",
            counts.return_count,
            ("office.counts.reason", "office.counts.return", "office.counts.returned"),
        )
    elif d.is_latest and d.status == "returned":
        st.info(tr("review.pv.waiting", version=d.version + 1))
    elif d.reopenable:
        st.markdown(f"**{tr('review.reopen.heading')}**")
        st.caption(tr("review.reopen.help", version=d.version))
        _reason_form(
            d,
            f"{key}_reopen",
            counts.reopen_count,
            ("review.reopen.reason", "review.reopen.submit", "review.reopen.done"),
        )


def _label(r: office.CountReview) -> str:
    warnings = (
        tr("review.counts.row_warnings", codes=", ".join(r.warnings))
        if r.warnings
        else tr("review.counts.row_no_warnings")
    )
    return tr(
        "review.counts.row",
        number=r.station_number,
        name=r.station_name,
        version=r.version,
        status=tr(f"office.counts.status.{r.status}"),
        warnings=warnings,
    )


if picked is not None:
    election_id, municipality_code = picked
    notice = st.session_state.pop("office_counts_notice", None)
    if notice:
        st.success(tr(notice))
    st.caption(tr("review.counts.intro"))
    shown = widgets.choose_many(
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
    first = next((r.count_version_id for r in reviews or [] if r.status == "submitted"), None)
    open_id = st.session_state.get(OPEN, first)
    for r in reviews or []:
        is_open = open_id == r.count_version_id
        box = st.expander(
            _label(r),
            expanded=is_open,
            key=f"cv_open_{r.count_version_id}",
            icon=STATUS_ICON.get(r.status),
            on_change=_toggle,
            args=(r.count_version_id,),
        )
        if not is_open:
            continue
        with box:  # only the open count is read and drawn in full
            ok_d, detail = session.call(counts.count_review, actor, r.count_version_id)
            if ok_d and detail is not None:
                _proces_verbaal(detail)
                _actions(detail)
