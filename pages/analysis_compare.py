"""Analyst: compare two elections per municipality and per polling station."""

import streamlit as st

from app.analysis import compare
from app.ui import analysis as ui
from app.ui.session import tr, tr_plain

st.title(tr("analysis.compare.heading"))
st.write(tr("analysis.compare.intro"))
ws, code, name = ui.workspace_and_municipality("cmp_municipality")
elections = ws.elections(code)
ids = [e for e, _n, _s in elections]
labels = {e: f"{e} · {n or ''}" + (" ◆" if s else "") for e, n, s in elections}
default_a, default_b = ws.default_pair(code)
col_a, col_b = st.columns(2)
a = col_a.selectbox(
    tr("analysis.election_a"),
    ids,
    index=ids.index(default_a) if default_a in ids else 0,
    format_func=labels.get,
    key="cmp_a",
)
b = col_b.selectbox(
    tr("analysis.election_b"),
    ids,
    index=ids.index(default_b) if default_b in ids else 0,
    format_func=labels.get,
    key="cmp_b",
)
if a == b:
    st.warning(tr("analysis.same_election"))
    st.stop()

tab_m, tab_s, tab_l = st.tabs(
    [tr("analysis.tab.municipality"), tr("analysis.tab.stations"), tr("analysis.tab.links")]
)

with tab_m:
    st.header(tr("analysis.turnout.heading"))
    turnout = compare.municipality_turnout(ws, a, b)
    mine = turnout[turnout.municipality_code == code]
    if mine.empty or mine.turnout_change.isna().all():
        st.info(tr("analysis.turnout.none"))
    else:
        row = mine.iloc[0]
        c1, c2, c3 = st.columns(3)
        c1.metric(tr("analysis.turnout.metric", election=a), ui.number_text(row.turnout_a, 2))
        c2.metric(tr("analysis.turnout.metric", election=b), ui.number_text(row.turnout_b, 2))
        c3.metric(tr("analysis.turnout.metric_change"), ui.number_text(row.turnout_change, 2, signed=True))
    if turnout.turnout_change.notna().any():
        ui.municipality_choropleth(turnout, "turnout_change", tr("analysis.turnout.map"))
    ui.table(turnout, f"opkomst_{a}_{b}", "dl_turnout", a=a, b=b)

    st.header(tr("analysis.shares.heading"))
    shares = compare.municipality_party_shares(ws, a, b, [code])
    if shares.empty:
        st.info(tr("analysis.no_data"))
    else:
        ui.shares_chart(shares.head(15), f"{name}: {a} / {b}", a, b)
        st.subheader(tr("analysis.movers.heading"))
        movers = compare.biggest_movers(shares, 10)
        ui.swing_chart(movers, "party", f"{name}: {a} → {b}")
        ui.table(shares, f"partijen_{code}_{a}_{b}", "dl_shares", a=a, b=b)

with tab_s:
    stations = compare.station_comparison(ws, a, b, [code])
    if stations.empty:
        st.info(tr("analysis.no_data"))
    else:
        station_shares = compare.station_party_shares(ws, a, b, [code])
        parties = (
            station_shares.groupby("party_key")["votes_b"].sum().sort_values(ascending=False).index.tolist()
        )
        party_labels = dict(zip(station_shares.party_key, station_shares.party, strict=False))
        c1, c2 = st.columns(2)
        party = c1.selectbox(
            tr("analysis.party"), parties, format_func=lambda k: party_labels.get(k, k), key="cmp_party"
        )
        measures = {
            m: tr(f"analysis.measure.{m}") for m in ("swing", "share_b", "admitted_b", "admitted_change")
        }
        measure = c2.selectbox(
            tr("analysis.measure"),
            list(measures),
            format_func=measures.get,
            key="cmp_measure",
        )
        chosen = station_shares[station_shares.party_key == party][
            ["number_a", "number_b", "share_b", "swing"]
        ]
        view = stations.merge(chosen, on=["number_a", "number_b"], how="left")
        st.header(tr("analysis.stations.heading"))
        ui.station_map(
            view,
            measure,
            f"{tr('analysis.stations.map')} · {measures[measure]}",
            signed=measure in ("swing", "admitted_change"),
        )
        ui.swing_chart(
            compare.biggest_movers(chosen.assign(station=[f"{int(n)}" for n in chosen.number_b]), 15),
            "station",
            f"{party_labels.get(party, party)}: {tr('analysis.movers.heading')}",
        )
        chosen_name = party_labels.get(party, party)
        ui.table(
            view,
            f"stembureaus_{code}_{a}_{b}",
            "dl_stations",
            a=a,
            b=b,
            labels={
                "share_b": tr_plain("analysis.col.party_share", party=chosen_name, election=b),
                "swing": tr_plain("analysis.col.party_swing", party=chosen_name, a=a, b=b),
            },
        )
        st.header(tr("analysis.largest.heading"))
        largest = stations[
            [
                "number_a",
                "name_a",
                "largest_a",
                "largest_share_a",
                "number_b",
                "name_b",
                "largest_b",
                "largest_share_b",
            ]
        ]
        ui.table(largest, f"grootste_partij_{code}_{a}_{b}", "dl_largest", a=a, b=b)
        ui.table(station_shares, f"stembureau_partijen_{code}_{a}_{b}", "dl_station_shares", a=a, b=b)

with tab_l:
    st.header(tr("analysis.links.heading"))
    st.caption(tr("analysis.links.explain"))
    links = compare.station_links(ws, a, b, [code])
    if links.empty:
        st.info(tr("analysis.no_data"))
    else:
        st.write(tr("analysis.links.summary"))
        st.dataframe(
            ui.display(links.groupby("method").size().rename("n").reset_index()),
            hide_index=True,
            placeholder="–",
        )
        ui.table(links, f"koppeling_{code}_{a}_{b}", "dl_links", a=a, b=b)
