"""Chair, during the day: ballot papers left, the queue, a request for help; each with what was last
reported (the station's latest state), an open request with its texts and "Hulp niet meer nodig". The
status of the request for help refreshes itself (a fragment with ``run_every``), so the office's answer
appears without a reload; the request form is outside it and is never redrawn by a refresh."""

import datetime as dt

import streamlit as st

from app.config import settings
from app.services import chair
from app.ui import chair as ui
from app.ui import session
from app.ui.session import tr, tr_plain

me = ui.station()
if me is None:
    st.stop()
actor, sid = me
PAGE = "chair_day"
QUEUE_LEVELS = ["none", "short", "long"]
st.title(tr("chair.day.title"))
ui.after_saved(PAGE)
ok, info = session.call_or_kept("chair_day", chair.station_overview, actor, sid)  # db down: keep the form
if not ok or info is None:
    st.stop()
st.write(tr("chair.status", status=tr(f"chair.status.{info.status}")))


def at(when) -> str:
    return when.astimezone(ui.TZ).strftime("%H:%M") if when is not None else "–"


st.header(tr("chair.stock.title"))
if info.ballots_left is not None:
    key = "help.chair.stock_last_low" if info.low_stock else "help.chair.stock_last"
    st.markdown(tr(key, time=at(info.stock_reported_at), n=info.ballots_left))
with st.form("chair_stock_form"):
    left = st.number_input(tr("chair.stock.left"), min_value=0, step=1, value=None, key="stock_left")
    st.caption(tr("chair.stock.threshold", n=info.low_stock_threshold))
    box = st.container()
    if st.form_submit_button(tr("chair.stock.submit"), width="stretch"):
        ok, result = session.call(
            chair.report_stock,
            actor,
            sid,
            None if left is None else int(left),
            client_submission_id=ui.submission_id("stock"),
            where=box,
        )
        if ok:
            ui.new_submission("stock")
            ui.saved(PAGE, result, stock_left=None)  # the status shown includes it

st.header(tr("chair.queue.title"))
if info.queue in QUEUE_LEVELS:
    queue = tr_plain(f"chair.queue.{info.queue}").lower()
    st.markdown(tr("help.chair.queue_last", time=at(info.queue_reported_at), queue=queue))
with st.form("chair_queue_form"):
    level = st.radio(
        tr("chair.queue.level"),
        QUEUE_LEVELS,
        index=QUEUE_LEVELS.index(info.queue) if info.queue in QUEUE_LEVELS else 0,
        format_func=lambda v: tr(f"chair.queue.{v}"),
        horizontal=True,
        key="queue_level",
    )
    box = st.container()
    if st.form_submit_button(tr("chair.queue.submit"), width="stretch"):
        ok, result = session.call(
            chair.report_signal, actor, sid, level, client_submission_id=ui.submission_id("queue"), where=box
        )
        if ok:
            ui.new_submission("queue")
            ui.saved(PAGE, result)  # the status shown includes it

st.header(tr("chair.help.title"))


def help_status() -> None:
    """The status of the request for help, read again every few seconds while a request is open (the
    office's answer appears by itself; with none open there is nothing to wait for, and ten thousand
    phones do not ask the database every few seconds for nothing); the request form is outside it, so
    what the chair is typing is never redrawn."""
    ok, now = session.call(chair.station_overview, actor, sid)
    if not ok or now is None:
        return
    st.caption(
        tr(
            "review.chair.updated",
            time=f"{dt.datetime.now(ui.TZ):%H:%M:%S}",
            seconds=settings().refresh_seconds,
        )
    )
    request = now.help
    if request is not None and request.open:
        st.warning(tr("help.chair.open", time=at(now.need_help_at or request.at)), icon=":material/support:")
        texts = [t for t in now.help_texts if t.text]
        if texts:
            st.caption(tr("help.chair.your_text"))
        for one in texts:  # every text of the open request, oldest first
            st.caption(tr("help.chair.text_at", time=at(one.at)))
            ui.inert(one.text)  # as typed
        box = st.container()
        if st.button(tr("help.chair.withdraw"), key="help_withdraw", width="stretch"):
            ok, result = session.call(
                chair.withdraw_help,
                actor,
                sid,
                client_submission_id=ui.submission_id("help_withdraw"),
                where=box,
            )
            if ok:
                ui.new_submission("help_withdraw")
                duplicate = getattr(result, "duplicate", False)
                session.rerun_saying(PAGE, "chair.duplicate" if duplicate else "help.chair.withdrawn")
        st.caption(tr("help.chair.again"))
    elif request is not None and request.by_chair:
        st.caption(tr("help.chair.withdrawn_at", time=at(request.at)))
    elif request is not None:
        st.info(tr("help.chair.handled", time=at(request.at), who=request.actor_name or ""))
        if request.text:
            st.caption(tr("help.chair.handled_note"))
            ui.inert(request.text)  # as typed by the office


waiting = info.help is not None and info.help.open
st.fragment(help_status, run_every=settings().refresh_seconds if waiting else None)()
with st.form("chair_help_form"):
    note = st.text_input(tr("chair.help.note"), key="help_note")
    box = st.container()
    if st.form_submit_button(tr("chair.help.submit"), width="stretch"):
        ok, result = session.call(
            chair.report_signal,
            actor,
            sid,
            "need_help",
            note=note,
            client_submission_id=ui.submission_id("help"),
            where=box,
        )
        if ok:
            ui.new_submission("help")
            ui.saved(PAGE, result, help_note="")  # the status shown includes it
