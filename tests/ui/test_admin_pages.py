"""AppTest: the one-time link route, and the administration pages."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from app.domain.access import SYSTEM
from app.services import links
from app.storage.db import session_scope
from app.storage.models import PollingStation

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def env(demo_db_url, app_env):
    app_env(demo_db_url)
    return demo_db_url


def _token(municipality="GM0392", number=1):
    with session_scope() as db:
        station = db.scalar(
            select(PollingStation).where(
                PollingStation.municipality_code == municipality, PollingStation.number == number
            )
        )
        return links.issue_link(db, SYSTEM, station.id)


def test_a_one_time_link_signs_the_chair_in_once_and_leaves_the_url(env):
    token = _token()
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.query_params["token"] = token
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("Stembureau 1:")
    assert "token" not in at.query_params
    again = AppTest.from_file(MAIN, default_timeout=30)
    again.query_params["token"] = token
    again.run()
    assert again.title[0].value == "Aanmelden bij Stemdag"
    assert "al gebruikt" in again.error[0].value


def _sign_in_staff(at, username):
    from etl.demo import DEMO_PASSWORD

    at.text_input(key="staff_username").input(username)
    at.text_input(key="staff_password").input(DEMO_PASSWORD)
    at.button[1].click().run()
    return at


@pytest.mark.parametrize("page", ["admin_accounts", "admin_election", "admin_access", "admin_audit"])
def test_admin_pages_render_for_a_municipal_admin(env, page):
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    _sign_in_staff(at, "admin.haarlem")
    at.switch_page(f"../pages/{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    text = " ".join(str(e.value) for e in at.dataframe) if at.dataframe else ""
    assert "GM0268" not in text  # nothing of Nijmegen


def test_audit_page_for_office_shows_own_municipality_only(env):
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    _sign_in_staff(at, "office.haarlem")
    at.switch_page("../pages/admin_audit.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) >= 1 and set(table["Gemeente"]) <= {"GM0392"}


def test_public_page_for_anonymous_users_holds_only_aggregates(env):
    from app.services import admin, chair
    from tests import chair_day as day

    with session_scope() as db:  # two stations report through the chair's services
        s1, sid1 = day.sign_in(db, "GM0392", 1)
        s2, sid2 = day.sign_in(db, "GM0392", 2)
        for actor, sid in ((s1, sid1), (s2, sid2)):
            day.open_station(db, actor, sid)
        day.turnout(db, s1, sid1, "10:00", 150)
        day.turnout(db, s2, sid2, "10:00", 90)
        chair.raise_incident(db, s1, sid1, "technical", "Stroom uitgevallen", client_submission_id=day.cid())
        for actor, sid in ((s1, sid1), (s2, sid2)):
            day.close_station(db, actor, sid)
        day.submit_count(db, s1, sid1, [70, 29], blank=1)
        day.submit_count(db, s2, sid2, [40, 59], blank=1)
    with session_scope() as db:
        admin.set_public_page(db, SYSTEM, "GM0392", True)
        station_names = [
            s
            for (s,) in db.execute(
                select(PollingStation.name).where(PollingStation.municipality_code == "GM0392")
            )
        ]
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    at.switch_page("../pages/public.py").run()
    assert not at.exception
    assert at.title[0].value == "Opkomst en voorlopige uitslag"
    assert at.selectbox(key="public_muni").options == ["Haarlem"]  # only municipalities that opted in
    shown = " ".join(
        [str(x.value) for x in at.markdown]
        + [str(x.value) for x in at.header]
        + [str(x.value) for x in at.subheader]
        + [x.value.to_csv() for x in at.dataframe]
    )
    assert "Haarlem" in shown
    assert not any(name in shown for name in station_names)
    assert "incident" not in shown.lower() and "Stroom" not in shown
    turnout = at.dataframe[0].value
    assert turnout.iloc[0]["Moment"] == "10:00" and turnout.iloc[0]["Toegelaten kiezers"] == 240
    result = at.dataframe[1].value.set_index("Lijst")["Stemmen"]
    assert list(result.iloc[:2]) == [70 + 40, 29 + 59] and result.sum() == 198
    assert "2 van " in at.caption[0].value and "ingediend door het stembureau (2)" in at.caption[0].value


# --- admin forms start from what is stored and change only what was changed ------------------------
def _admin_page(page, username):
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    _sign_in_staff(at, username)
    at.switch_page(f"../pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _submit(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def _stored_em(election_id, municipality):
    from app.storage.models import ElectionMunicipality

    with session_scope() as db:
        row = db.get(ElectionMunicipality, (election_id, municipality))
        return row.electorate, row.council_size, row.counting_method


def test_election_municipality_form_shows_the_stored_values_and_saving_the_method_keeps_them(env):
    from etl.demo import DEMO_ELECTION_ID

    electorate, seats, method = _stored_em(DEMO_ELECTION_ID, "GM0668")
    assert electorate and seats and method == "DSO"
    at = _admin_page("admin_election", "admin.wmw")
    em = f"{DEMO_ELECTION_ID}_GM0668"
    assert at.selectbox(key="election_choice").value == DEMO_ELECTION_ID
    assert at.number_input(key=f"em_electorate_{em}").value == electorate
    assert at.number_input(key=f"em_seats_{em}").value == seats
    assert at.radio(key=f"em_method_{em}").value == "DSO"
    at.radio(key=f"em_method_{em}").set_value("CSO")
    _submit(at, "Gemeente bij verkiezing opslaan")
    assert _stored_em(DEMO_ELECTION_ID, "GM0668") == (electorate, seats, "CSO")
    assert [s.value for s in at.success] == ["Opgeslagen."]
    assert at.radio(key=f"em_method_{em}").value == "CSO"


@pytest.mark.parametrize("page", ["admin_accounts", "admin_election", "admin_access"])
def test_admin_pages_render_for_the_global_admin_with_dutch_placeholders(env, page):
    at = _admin_page(page, "admin")
    assert not at.error, [e.value for e in at.error]
    for box in [*at.selectbox, *at.multiselect]:
        assert box.placeholder != "Choose an option", box.label


def test_election_form_shows_the_chosen_election(env):
    at = _admin_page("admin_election", "admin")
    first, second = [o for o in at.selectbox(key="election_choice").options if "(nieuwe" not in o][:2]
    first_id, second_id = first.split(" · ")[0], second.split(" · ")[0]
    assert at.text_input(key=f"el_id_{first_id}").value == first_id
    at.selectbox(key="election_choice").select_index(2).run()
    assert at.text_input(key=f"el_id_{second_id}").value == second_id
    assert at.text_input(key=f"el_name_{second_id}").value == second.split(" · ")[1].rsplit(" (", 1)[0]


def _user(username):
    from app.storage.models import StaffUser

    with session_scope() as db:
        user = db.scalar(select(StaffUser).where(StaffUser.username == username))
        return user.id, user.is_active, user.password_hash


def test_a_deactivated_account_shows_unticked_and_a_new_password_leaves_it_inactive(env):
    from app.services import admin

    office_id, _, password_hash = _user("office.wmw")
    with session_scope() as db:
        admin.set_user_active(db, SYSTEM, office_id, False)
    at = _admin_page("admin_accounts", "admin.wmw")
    at.selectbox(key="change_user").set_value(office_id).run()
    assert at.checkbox(key=f"change_active_{office_id}").value is False
    at.text_input(key=f"change_pw_{office_id}").input("a-brand-new-password")
    _submit(at, "Account wijzigen")
    _, is_active, new_hash = _user("office.wmw")
    assert is_active is False and new_hash != password_hash
    assert [s.value for s in at.success] == ["Opgeslagen."]
    assert at.text_input(key=f"change_pw_{office_id}").value == ""
    active = dict(zip(at.dataframe[1].value["Gebruikersnaam"], at.dataframe[1].value["Actief"], strict=True))
    assert active["office.wmw"] == False  # noqa: E712 - numpy bool


def test_resaving_a_municipality_keeps_its_public_page_and_the_table_shows_the_new_name(env):
    from app.services import admin
    from app.storage.models import Municipality

    with session_scope() as db:
        admin.set_public_page(db, SYSTEM, "GM0668", True)
    at = _admin_page("admin_accounts", "admin.wmw")
    assert at.checkbox(key="muni_public_GM0668").value is True
    at.text_input(key="muni_name_GM0668").input("West Maas en Waal (gemeente)")
    _submit(at, "Gemeente opslaan")
    with session_scope() as db:
        row = db.get(Municipality, "GM0668")
        assert (row.name, row.public_page_enabled) == ("West Maas en Waal (gemeente)", True)
    assert [s.value for s in at.success] == ["Opgeslagen."]
    assert list(at.dataframe[0].value["Naam"]) == ["West Maas en Waal (gemeente)"]


def test_adding_a_user_shows_it_in_the_table_and_empties_the_form(env):
    at = _admin_page("admin_accounts", "admin.wmw")
    at.text_input(key="new_username").input("teller.wmw")
    at.text_input(key="new_password").input("long-enough-password")
    _submit(at, "Medewerker toevoegen")
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["Opgeslagen."]
    assert "teller.wmw" in list(at.dataframe[1].value["Gebruikersnaam"])
    assert at.text_input(key="new_username").value == ""
    assert at.text_input(key="new_password").value == ""


def _active_codes(municipality):
    from app.storage.models import StationAccessCode

    with session_scope() as db:
        return set(
            db.scalars(
                select(StationAccessCode.id).where(
                    StationAccessCode.municipality_code == municipality,
                    StationAccessCode.revoked_at.is_(None),
                )
            )
        )


def _stations(municipality):
    with session_scope() as db:
        return db.scalars(
            select(PollingStation.id).where(PollingStation.municipality_code == municipality)
        ).all()


def test_letters_need_a_confirmation_naming_the_stations_and_a_full_address(env):
    from etl.demo import DEMO_ELECTION_ID

    before = _active_codes("GM0668")
    at = _admin_page("admin_access", "admin.wmw")
    em = f"{DEMO_ELECTION_ID}_GM0668"
    assert at.multiselect(key=f"acc_stations_{em}").placeholder == "Alle stembureaus"
    n = len(at.multiselect(key=f"acc_stations_{em}").options)
    assert n > 1
    confirm = at.checkbox(key=f"acc_confirm_{em}_{n}")
    assert f"van {n} stembureaus werken daarna niet meer" in confirm.label
    at.text_input(key="acc_base").input("https://stemdag.example.nl")
    _submit(at, "Brieven maken")  # not confirmed
    assert [e.value for e in at.error] == [
        "Er zijn geen brieven gemaakt. Vink eerst aan dat de huidige codes daarna niet meer werken."
    ]
    assert _active_codes("GM0668") == before
    for bad in ("https://", "", "stemdag.example.nl", "ftp://stemdag.example.nl", "https://x.nl/?a=1"):
        at.text_input(key="acc_base").input(bad)
        at.checkbox(key=f"acc_confirm_{em}_{n}").check()
        _submit(at, "Brieven maken")
        assert len(at.error) == 1 and "Adres van Stemdag" in at.error[0].value, bad
        assert _active_codes("GM0668") == before
    assert not at.get("download_button")
    at.text_input(key="acc_base").input("https://stemdag.example.nl/")
    at.checkbox(key=f"acc_confirm_{em}_{n}").check()
    _submit(at, "Brieven maken")
    assert not at.error, [e.value for e in at.error]
    after = _active_codes("GM0668")
    assert len(after) == n and not after & before
    assert at.checkbox(key=f"acc_confirm_{em}_{n}").value is False  # a second batch needs a new tick
    assert len(at.get("download_button")) == 1
    at.run()  # another rerun (e.g. the download click) keeps the letters
    assert len(at.get("download_button")) == 1


def test_revoking_needs_a_chosen_station_and_a_confirmation(env):
    from etl.demo import DEMO_ELECTION_ID

    before = _active_codes("GM0668")
    at = _admin_page("admin_access", "admin.wmw")
    em = f"{DEMO_ELECTION_ID}_GM0668"
    revoke = at.selectbox(key=f"acc_revoke_{em}")
    assert revoke.value is None and revoke.placeholder == "Kies een stembureau"
    first = int(revoke.options[0].split(" · ")[0])
    _submit(at, "Toegang intrekken")
    assert [e.value for e in at.error] == ["Er is niets ingetrokken. Kies eerst het stembureau."]
    at.selectbox(key=f"acc_revoke_{em}").set_value(first)
    _submit(at, "Toegang intrekken")
    assert "Vink eerst aan" in at.error[0].value
    assert _active_codes("GM0668") == before
    at.selectbox(key=f"acc_revoke_{em}").set_value(first)
    at.checkbox(key=f"acc_revoke_confirm_{em}").check()
    _submit(at, "Toegang intrekken")
    assert not at.error, [e.value for e in at.error]
    assert len(_active_codes("GM0668")) == len(before) - 1
    assert at.selectbox(key=f"acc_revoke_{em}").value is None


def test_the_global_admin_adds_a_municipality_with_a_public_page_and_it_is_chosen_next(env):
    from app.storage.models import Municipality

    at = _admin_page("admin_accounts", "admin")
    at.selectbox(key="muni_choice").set_value("").run()
    at.text_input(key="muni_code_new").input("GM0363")
    at.text_input(key="muni_name_new").input("Amsterdam")
    at.checkbox(key="muni_public_new").check()
    _submit(at, "Gemeente opslaan")
    assert not at.error, [e.value for e in at.error]
    with session_scope() as db:
        row = db.get(Municipality, "GM0363")
        assert (row.name, row.public_page_enabled) == ("Amsterdam", True)
    assert at.selectbox(key="muni_choice").value == "GM0363"
    assert at.checkbox(key="muni_public_GM0363").value is True


def _station_row(municipality, number):
    with session_scope() as db:
        row = db.scalar(
            select(PollingStation).where(
                PollingStation.municipality_code == municipality, PollingStation.number == number
            )
        )
        if row is not None:
            db.expunge(row)  # read: its values stay with it after the session
        return row


def test_a_new_station_gets_the_next_number_and_cannot_overwrite_another(env):
    """The station form of West Maas en Waal: "new" starts at the next free number; the number of an
    existing station is refused (it silently replaced station 1's name and erased its address); picking a
    station shows its values and hours, and saving keeps what was not changed."""
    first = _station_row("GM0668", 1)
    at = _admin_page("admin_election", "admin.wmw")
    highest = max(_stations_of("GM0668"))
    assert at.selectbox(key="station_choice").value is None
    assert at.number_input(key="st_number_new").value == highest + 1
    at.number_input(key="st_number_new").set_value(1)
    at.text_input(key="st_name_new").input("Testlocatie nieuw")
    _submit(at, "Stembureau opslaan")
    assert any("Er is al een stembureau 1" in e.value for e in at.error), [e.value for e in at.error]
    kept = _station_row("GM0668", 1)
    assert (kept.name, kept.address, kept.postcode) == (first.name, first.address, first.postcode)

    at.selectbox(key="station_choice").set_value(1).run()
    assert at.text_input(key="st_name_1").value == first.name
    assert _hours(at, "st_opens_1").value == first.opens_at
    at.text_input(key="st_name_1").input("Dorpshuis (nieuwe naam)")
    _submit(at, "Stembureau opslaan")
    renamed = _station_row("GM0668", 1)
    assert (renamed.name, renamed.address, renamed.postcode) == (
        "Dorpshuis (nieuwe naam)",
        first.address,
        first.postcode,
    )
    # still picked under its new name (the picker's label changed: Streamlit lost the choice, and the
    # next save went to "new station" with the fields empty)
    assert at.selectbox(key="station_choice").value == 1
    at.text_input(key="st_locality_1").input("Beneden-Leeuwen")
    _submit(at, "Stembureau opslaan")
    assert not at.error, [e.value for e in at.error]
    assert _station_row("GM0668", 1).locality == "Beneden-Leeuwen"
    assert max(_stations_of("GM0668")) == highest  # no new station


def test_a_bijzonder_station_open_under_eight_hours_is_refused_at_its_hours(env):
    at = _admin_page("admin_election", "admin.wmw")
    number = at.number_input(key="st_number_new").value
    at.text_input(key="st_name_new").input("Zorgcentrum De Linde")
    at.selectbox(key="st_type_new").set_value("bijzonder")
    _hours(at, "st_opens_new").set_value(dt.time(9, 0))
    _hours(at, "st_closes_new").set_value(dt.time(12, 0))
    _submit(at, "Stembureau opslaan")
    assert at.error, "refused"
    assert _station_row("GM0668", number) is None
    _hours(at, "st_closes_new").set_value(dt.time(17, 0))
    _submit(at, "Stembureau opslaan")
    stored = _station_row("GM0668", number)
    assert stored is not None and (stored.station_type, stored.opens_at, stored.closes_at) == (
        "bijzonder",
        dt.time(9, 0),
        dt.time(17, 0),
    )


def _stations_of(municipality):
    with session_scope() as db:
        return list(
            db.scalars(select(PollingStation.number).where(PollingStation.municipality_code == municipality))
        )


def test_the_global_admin_adds_an_office_account_with_the_form_as_it_starts(env):
    """The form starts with a municipality chosen ("all municipalities" is last): an office account can
    be added without changing it (it started at "all municipalities", which an office account cannot
    have)."""
    at = _admin_page("admin_accounts", "admin")
    municipality = at.selectbox(key="new_municipality")
    assert municipality.value is not None and municipality.options[-1] == "(alle gemeenten)"
    at.text_input(key="new_username").input("balie.eerste")
    at.text_input(key="new_password").input("long-enough-password")
    _submit(at, "Medewerker toevoegen")
    assert not at.error, [e.value for e in at.error]
    assert "balie.eerste" in list(at.dataframe[1].value["Gebruikersnaam"])


def test_letters_start_from_this_address_and_name_the_stations_they_concern(env):
    from etl.demo import DEMO_ELECTION_ID

    at = AppTest.from_file(MAIN, default_timeout=30)
    at.context = {"url": "https://stemdag.gemeente.nl/admin_access?x=1"}
    at.run()
    _sign_in_staff(at, "admin.wmw")
    at.switch_page("../pages/admin_access.py").run()
    assert not at.exception, at.exception
    assert at.text_input(key="acc_base").value == "https://stemdag.gemeente.nl"
    em = f"{DEMO_ELECTION_ID}_GM0668"
    stations_box = at.multiselect(key=f"acc_stations_{em}")
    total = len(stations_box.options)
    captions = [c.value for c in at.caption]
    assert f"Het gaat om alle {total} stembureaus van deze gemeente bij deze verkiezing." in captions
    first = stations_box.options[0]  # "1 · Dorpshuis De Hucht"; the value behind it is the number
    stations_box.set_value([int(first.split(" · ")[0])]).run()
    assert f"Het gaat om: {first}." in [c.value for c in at.caption]
    at.checkbox(key=f"acc_confirm_{em}_1").check()
    _submit(at, "Brieven maken")
    assert [s.value for s in at.success] == [
        "1 brief gemaakt. Download hem nu: de code wordt nergens bewaard."
    ]


def _hours(at, prefix: str):
    """The station form's opening or closing time (its key ends in the stored hours, so that the field
    shows them anew after a save)."""
    (found,) = [t for t in at.time_input if t.key.startswith(f"{prefix}_")]
    return found
