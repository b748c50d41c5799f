"""Chair, during the day: ballot papers left, the queue, a request for help."""

import streamlit as st

from app.services import chair
from app.ui import chair as ui
from app.ui import session
from app.ui.session import tr

me = ui.station()
if me is None:
    st.stop()
actor, sid = me
PAGE = "chair_day"
st.title(tr("chair.day.title"))
ui.after_saved(PAGE)
ok, info = session.call_or_kept("chair_day", chair.station_overview, actor, sid)  # db down: keep the form
if not ok or info is None:
    st.stop()
st.write(tr("chair.status", status=tr(f"chair.status.{info.status}")))

st.header(tr("chair.stock.title"))
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
with st.form("chair_queue_form"):
    level = st.radio(
        tr("chair.queue.level"),
        ["none", "short", "long"],
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
