"""Texts of administration: accounts, municipalities, election set-up, access letters, one-time links,
the audit log, the public page, identity-provider sign-in. key -> (Dutch, English)."""

from app.domain.stations import HOURS_RULES

#: The columns of a mobiel station's stops on the station form; a message about a stop names its column.
_STOP_COLUMNS = {
    "location": ("Locatie (adres of naam)", "Location (address or name)"),
    "opens_at": ("Van", "From"),
    "closes_at": ("Tot", "Until"),
    "latitude": ("Breedtegraad", "Latitude"),
    "longitude": ("Lengtegraad", "Longitude"),
}


def _stop(column: str, nl: str, en: str) -> tuple[str, str]:
    """A message about one stop (``{row}``: its row on the form, from 1) and one of its columns."""
    return (
        f"Halte {{row}}, '{_STOP_COLUMNS[column][0]}': {nl}",
        f"Stop {{row}}, '{_STOP_COLUMNS[column][1]}': {en}",
    )


TEXTS: dict[str, tuple[str, str]] = {
    # one-time links
    "links.unknown": (
        "Deze aanmeldlink is niet geldig. Meld u aan met de toegangscode uit uw brief.",
        "This sign-in link is not valid. Sign in with the access code from your letter.",
    ),
    "links.used": (
        "Deze aanmeldlink is al gebruikt en werkt maar één keer. Meld u aan met de toegangscode uit uw brief.",
        "This sign-in link has already been used and works only once. Sign in with the access code from your letter.",
    ),
    "links.revoked": (
        "Deze aanmeldlink is ingetrokken. Neem contact op met de verkiezingsorganisatie.",
        "This sign-in link has been revoked. Contact the election office.",
    ),
    "links.window": (
        "Deze aanmeldlink werkt alleen rond de verkiezingsdag.",
        "This sign-in link works only around election day.",
    ),
    "links.signed_in": (
        "U bent aangemeld met de link uit uw brief. Die link werkt nu niet meer; gebruik voortaan de toegangscode.",
        "You are signed in with the link from your letter. That link no longer works; from now on use the access code.",
    ),
    # administration
    "admin.bad_base_url": (
        "Vul bij 'Adres van Stemdag' het volledige adres in: https:// (of http://) en de servernaam, zonder spaties, ? of #, bijvoorbeeld https://stemdag.gemeente.nl.",
        "Under 'Address of Stemdag' enter the full address: https:// (or http://) and the server name, without spaces, ? or #, for example https://stemdag.municipality.nl.",
    ),
    "admin.unknown_stations": (
        "Deze stembureaus bestaan niet bij deze verkiezing: {numbers}.",
        "These polling stations do not exist at this election: {numbers}.",
    ),
    "admin.name_needed": ("Vul een naam in.", "Enter a name."),
    "admin.not_yourself": (
        "U kunt uw eigen account niet uitschakelen.",
        "You cannot deactivate your own account.",
    ),
    "admin.subject_taken": (
        "Deze identiteit is al aan een ander account gekoppeld.",
        "This identity is already linked to another account.",
    ),
    "admin.bad_checklist": (
        "Checklist, regel {line}: schrijf sleutel | Nederlandse tekst | Engelse tekst.",
        "Checklist, line {line}: write key | Dutch text | English text.",
    ),
    "admin.duplicate_checklist_key": (
        "Checklist, regel {line}: de sleutel '{item}' staat ook op regel {first}. Geef elk punt een eigen sleutel.",
        "Checklist, line {line}: the key '{item}' is also on line {first}. Give each item its own key.",
    ),
    "admin.practice_not_shared": (
        "Een oefenverkiezing hoort bij één gemeente; voeg geen andere gemeente toe.",
        "A practice election belongs to one municipality; do not add another municipality.",
    ),
    "admin.municipality_not_in_election": (
        "Deze gemeente doet nog niet mee aan deze verkiezing. Voeg haar eerst toe onder 'Gemeente bij verkiezing'.",
        "This municipality does not take part in this election yet. Add it first under 'Municipality in election'.",
    ),
    "admin.bad_station_type": (
        "Kies regulier, bijzonder of mobiel.",
        "Choose regulier, bijzonder or mobiel.",
    ),
    "admin.saved": ("Opgeslagen.", "Saved."),
    "admin.choose": ("Maak een keuze", "Choose an option"),
    # navigation
    "nav.admin.accounts": ("Gemeenten en accounts", "Municipalities and accounts"),
    "nav.admin.election": ("Verkiezing inrichten", "Election set-up"),
    "nav.admin.access": ("Toegangsbrieven", "Access letters"),
    "nav.admin.audit": ("Auditlog", "Audit log"),
    "nav.public": ("Uitslagen en opkomst", "Results and turnout"),
    # accounts page
    "admin.accounts.heading": ("Gemeenten en accounts", "Municipalities and accounts"),
    "admin.municipalities": ("Gemeenten", "Municipalities"),
    "admin.code": ("Gemeentecode (GM....)", "Municipality code (GM....)"),
    "admin.name": ("Naam", "Name"),
    "admin.public_page": ("Publieke pagina", "Public page"),
    "admin.municipality_choice": ("Gemeente om te wijzigen", "Municipality to change"),
    "admin.new_municipality": ("(nieuwe gemeente)", "(new municipality)"),
    "admin.public_page_help": (
        "Toon opkomst en voorlopige uitslag (alleen totalen voor de gemeente) op een openbare pagina zonder aanmelden.",
        "Show turnout and the preliminary result (municipal totals only) on a public page without sign-in.",
    ),
    "admin.save_municipality": ("Gemeente opslaan", "Save municipality"),
    "admin.users": ("Medewerkers", "Staff"),
    "admin.add_user": ("Medewerker toevoegen", "Add staff member"),
    "admin.username": ("Gebruikersnaam", "Username"),
    "admin.display_name": ("Weergavenaam", "Display name"),
    "admin.role": ("Rol", "Role"),
    "admin.municipality": ("Gemeente", "Municipality"),
    "admin.all_municipalities": ("(alle gemeenten)", "(all municipalities)"),
    "admin.password": ("Wachtwoord (minstens 10 tekens)", "Password (at least 10 characters)"),
    "admin.active": ("Actief", "Active"),
    "admin.change_user": ("Account wijzigen", "Change account"),
    "admin.user": ("Account", "Account"),
    "admin.choose_user": ("Kies een account", "Choose an account"),
    "admin.oidc_subject_help": (
        "Leeg laten: de huidige koppeling blijft zoals ze is.",
        "Leave empty: the current link stays as it is.",
    ),
    "admin.deactivate": ("Uitschakelen", "Deactivate"),
    "admin.activate": ("Inschakelen", "Activate"),
    "admin.new_password": ("Nieuw wachtwoord", "New password"),
    "admin.reset_password": ("Wachtwoord instellen", "Set password"),
    "admin.oidc_subject": (
        "Identiteit bij de identity provider (sub of e-mailadres)",
        "Identity at the identity provider (sub or e-mail address)",
    ),
    "admin.link_oidc": ("Identiteit koppelen", "Link identity"),
    # election page
    "admin.election.heading": ("Verkiezing inrichten", "Election set-up"),
    "admin.election.intro": (
        "Meerdere verkiezingen op één dag (bijvoorbeeld PS en WS) zijn aparte verkiezingen met dezelfde datum, elk met eigen tellingen en voorraad.",
        "Several elections on one day (e.g. PS and WS) are separate elections with the same date, each with its own counts and stock.",
    ),
    "admin.election": ("Verkiezing", "Election"),
    "admin.new_election": ("(nieuwe verkiezing)", "(new election)"),
    "admin.election_id": ("Code (bijv. GR2026, PS2027)", "Code (e.g. GR2026, PS2027)"),
    "admin.kind": ("Soort", "Kind"),
    "admin.date": ("Datum", "Date"),
    "admin.council_size": ("Aantal zetels (0 = per gemeente)", "Number of seats (0 = per municipality)"),
    "admin.moments": ("Opkomstmomenten (gescheiden door komma's)", "Turnout moments (comma separated)"),
    "admin.checklist": (
        "Checklist opening, één per regel: sleutel | Nederlands | Engels",
        "Opening checklist, one per line: key | Dutch | English",
    ),
    "admin.low_stock": ("Drempel lage voorraad stembiljetten", "Low ballot-paper stock threshold"),
    "admin.save_election": ("Verkiezing opslaan", "Save election"),
    "admin.em.heading": ("Gemeente bij verkiezing", "Municipality in election"),
    "admin.counting_method": ("Telmethode", "Counting method"),
    "admin.electorate": ("Kiesgerechtigden (0 = niet ingevuld)", "Electorate (0 = not filled in)"),
    "admin.em_council_size": (
        "Aantal zetels in de gemeenteraad (0 = niet ingevuld)",
        "Number of council seats (0 = not filled in)",
    ),
    "admin.em.not_in_election": (
        "Deze gemeente doet nog niet mee aan deze verkiezing. Opslaan voegt haar toe.",
        "This municipality does not take part in this election yet. Saving adds it.",
    ),
    "admin.save_em": ("Gemeente bij verkiezing opslaan", "Save municipality in election"),
    "admin.lists.heading": ("Lijsten", "Lists"),
    "admin.list_number": ("Lijstnummer", "List number"),
    "admin.save_list": ("Lijst opslaan", "Save list"),
    "admin.stations.heading": ("Stembureaus", "Polling stations"),
    "admin.station_number": ("Nummer", "Number"),
    "admin.station_type": ("Type", "Type"),
    "admin.address": ("Adres", "Address"),
    "admin.postcode": ("Postcode", "Postcode"),
    "admin.locality": ("Plaats", "Locality"),
    "admin.station_pick": ("Stembureau kiezen om te wijzigen", "Pick a polling station to change"),
    "admin.new_station": ("Nieuw stembureau", "New polling station"),
    "admin.list_pick": ("Lijst kiezen om te wijzigen", "Pick a list to change"),
    "admin.new_list": ("Nieuwe lijst", "New list"),
    "admin.opens_at": ("Open vanaf", "Opens at"),
    "admin.closes_at": ("Open tot", "Closes at"),
    "admin.save_station": ("Stembureau opslaan", "Save polling station"),
    # a station's opening hours (Kieswet J 1, J 4a): the rules' own texts, app/domain/stations.py
    **{code: (rule.text_nl, rule.text_en) for code, rule in HOURS_RULES.items()},
    "setup.bad_time": ("Vul een tijd in (UU:MM).", "Enter a time (HH:MM)."),
    # a mobiel station's stops (its location/time rows) on the station form
    "admin.stops.hours_follow": (
        "De openingstijden volgen uit de haltes: van de eerste tot het einde van de laatste.",
        "The opening hours follow from the stops: from the first to the end of the last.",
    ),
    "admin.stops.heading": (
        "Haltes (mobiel stembureau, of een stembureau dat tussendoor sluit)",
        "Stops (a mobile polling station, or one that closes for a while)",
    ),
    "admin.stops.help": (
        "Eén regel per halte: waar het stembureau staat en van wanneer tot wanneer. Het stembureau is open van de eerste tot het einde van de laatste halte; de tijden 'Open vanaf' en 'Open tot' hierboven gelden alleen zonder haltes. Een lege regel telt niet mee. Alle regels weghalen: het stembureau heeft weer één locatie en de tijden hierboven gelden.",
        "One row per stop: where the station is, and from when until when. The station is open from the first stop to the end of the last; the times 'Opens at' and 'Closes at' above apply only without stops. An empty row does not count. Remove every row: the station has one location again and the times above apply.",
    ),
    **{f"admin.stops.{column}": label for column, label in _STOP_COLUMNS.items()},
    "admin.stop.location.needed": _stop(
        "location",
        "vul het adres of de naam van de plek in.",
        "enter the address or the name of the place.",
    ),
    "admin.stop.location.text": _stop(
        "location",
        "ten hoogste {limit} tekens, op één regel, zonder stuurtekens.",
        "at most {limit} characters, on one line, without control characters.",
    ),
    "admin.stop.opens_at.time": _stop("opens_at", "vul een tijd in (UU:MM).", "enter a time (HH:MM)."),
    "admin.stop.closes_at.time": _stop("closes_at", "vul een tijd in (UU:MM).", "enter a time (HH:MM)."),
    "admin.stop.latitude.range": _stop(
        "latitude",
        "vul een getal in van -{limit} tot {limit}, of laat het leeg.",
        "enter a number from -{limit} to {limit}, or leave it empty.",
    ),
    "admin.stop.longitude.range": _stop(
        "longitude",
        "vul een getal in van -{limit} tot {limit}, of laat het leeg.",
        "enter a number from -{limit} to {limit}, or leave it empty.",
    ),
    # the hours rules, at the stop and column they concern
    **{
        f"admin.stop.{column}.{code}": _stop(column, rule.text_nl, rule.text_en)
        for code, rule in HOURS_RULES.items()
        for column in ("opens_at", "closes_at")
    },
    "setup.locations_one_day": (
        "De locaties van een stembureau liggen op één dag; hier op {days}. Een stembureau dat meerdere dagen open is, heeft per dag een eigen nummer.",
        "The locations of a polling station are on one day; here on {days}. A station open on several days has a number per day.",
    ),
    "admin.import.heading": (
        "Uit bestanden (EML 110a, 110b, 230b; stembureaulijst)",
        "From files (EML 110a, 110b, 230b; station list)",
    ),
    "admin.import.file": ("Bestand", "File"),
    "admin.import.submit": ("Importeren", "Import"),
    # access letters page
    "admin.access.heading": ("Toegangsbrieven en codes", "Access letters and codes"),
    "admin.access.intro": (
        "Maak per stembureau een brief met een nieuwe toegangscode en een QR-code die één keer aanmeldt. Eerdere codes en links van die stembureaus werken daarna niet meer.",
        "Make a letter per polling station with a new access code and a QR code that signs in once. Earlier codes and links of those stations stop working.",
    ),
    "admin.access.base_url": ("Adres van Stemdag (voor de QR-code)", "Address of Stemdag (for the QR code)"),
    "admin.access.base_url_placeholder": ("https://stemdag.gemeente.nl", "https://stemdag.municipality.nl"),
    "admin.access.stations": ("Stembureaus (leeg = alle)", "Polling stations (empty = all)"),
    "admin.access.all_stations": ("Alle stembureaus", "All polling stations"),
    "admin.access.no_stations": (
        "Deze gemeente heeft bij deze verkiezing nog geen stembureaus.",
        "This municipality has no polling stations at this election yet.",
    ),
    "admin.access.confirm_one": (
        "Ik begrijp het: de huidige code en aanmeldlink van 1 stembureau werken daarna niet meer.",
        "I understand: the current code and sign-in link of 1 polling station stop working.",
    ),
    "admin.access.confirm_many": (
        "Ik begrijp het: de huidige codes en aanmeldlinks van {n} stembureaus werken daarna niet meer.",
        "I understand: the current codes and sign-in links of {n} polling stations stop working.",
    ),
    "admin.access.confirm_needed": (
        "Er zijn geen brieven gemaakt. Vink eerst aan dat de huidige codes daarna niet meer werken.",
        "No letters were made. First tick that the current codes stop working.",
    ),
    "admin.access.kept": (
        "Brieven voor {n} stembureau(s), gemaakt om {time}. Ze staan hier tot u nieuwe brieven maakt of zich afmeldt; de codes worden verder nergens bewaard.",
        "Letters for {n} polling station(s), made at {time}. They stay here until you make new letters or sign out; the codes are not kept anywhere else.",
    ),
    "admin.access.make": ("Brieven maken", "Make letters"),
    "admin.access.download": ("Brieven downloaden (PDF)", "Download letters (PDF)"),
    "admin.access.made": (
        "{n} brieven gemaakt. Download ze nu: de codes worden nergens bewaard.",
        "{n} letters made. Download them now: the codes are not kept anywhere.",
    ),
    "admin.access.made_one": (
        "1 brief gemaakt. Download hem nu: de code wordt nergens bewaard.",
        "1 letter made. Download it now: the code is not kept anywhere.",
    ),
    "admin.access.concerns": ("Het gaat om: {stations}.", "This concerns: {stations}."),
    "admin.access.concerns_all": (
        "Het gaat om alle {n} stembureaus van deze gemeente bij deze verkiezing.",
        "This concerns all {n} polling stations of this municipality at this election.",
    ),
    "admin.access.revoke": ("Toegang intrekken", "Revoke access"),
    "admin.access.revoke_station": ("Stembureau", "Polling station"),
    "admin.access.choose_station": ("Kies een stembureau", "Choose a polling station"),
    "admin.access.revoke_confirm": (
        "Ik begrijp het: de huidige code en aanmeldlink van dit stembureau werken daarna niet meer, en wie ermee is aangemeld wordt afgemeld.",
        "I understand: the current code and sign-in link of this polling station stop working, and whoever is signed in with them is signed out.",
    ),
    "admin.access.revoke_none": (
        "Er is niets ingetrokken. Kies eerst het stembureau.",
        "Nothing was revoked. First choose the polling station.",
    ),
    "admin.access.revoke_confirm_needed": (
        "Er is niets ingetrokken. Vink eerst aan dat de huidige code daarna niet meer werkt.",
        "Nothing was revoked. First tick that the current code stops working.",
    ),
    "admin.access.revoked": ("{n} code(s) ingetrokken.", "{n} code(s) revoked."),
    # audit page
    "audit.heading": ("Auditlog", "Audit log"),
    "audit.user": ("Gebruiker (id of deel van de naam)", "User (id or part of the name)"),
    "audit.action": ("Soort", "Kind"),
    "audit.any": ("(alle)", "(all)"),
    "audit.since": ("Vanaf datum", "From date"),
    "audit.until": ("Tot en met datum", "Up to and including date"),
    "audit.rows": ("{n} regels (nieuwste eerst)", "{n} rows (newest first)"),
    "audit.rows_capped": (
        "De nieuwste {n} regels; er zijn er meer. Kies een kortere periode, een stembureau, een gebruiker of"
        " een soort om oudere te zien.",
        "The newest {n} rows; there are more. Choose a shorter period, a station, a user or a kind to see"
        " older ones.",
    ),
    "audit.export": ("Exporteren als CSV", "Export as CSV"),
    "audit.download": ("CSV downloaden", "Download CSV"),
    "audit.bad_period": ("De einddatum ligt voor de begindatum.", "The end date is before the start date."),
    # public page
    "public.heading": ("Opkomst en voorlopige uitslag", "Turnout and preliminary result"),
    "public.choose": ("Gemeente", "Municipality"),
    "public.none": (
        "Er zijn nog geen gemeenten die opkomst en uitslag hier publiceren.",
        "No municipality publishes turnout and results here yet.",
    ),
    "public.not_published": (
        "Deze gemeente publiceert hier geen uitslagen.",
        "This municipality does not publish results here.",
    ),
    "public.no_election": ("Er is nog geen verkiezing om te tonen.", "There is no election to show yet."),
    "public.turnout": ("Opkomst", "Turnout"),
    "public.moment": ("Moment", "Moment"),
    "public.admitted": ("Toegelaten kiezers", "Admitted voters"),
    "public.percent": ("Opkomst (%)", "Turnout (%)"),
    "public.no_turnout": ("Nog geen opkomstcijfers.", "No turnout figures yet."),
    "public.results": ("Voorlopige uitslag per lijst", "Preliminary result per list"),
    "public.counted": (
        "{counted} van {total} stembureaus geteld: van elk stembureau de laatste telling, zoals ingediend door het stembureau ({submitted}) of al gecontroleerd door de gemeente ({accepted}). Voorlopig: de officiële uitslag stelt het centraal stembureau vast.",
        "{counted} of {total} polling stations counted: each station's latest count, as submitted by the station ({submitted}) or already checked by the municipality ({accepted}). Provisional: the official result is determined by the central electoral committee.",
    ),
    "public.stations_reported": ("Stembureaus gemeld", "Stations reported"),
    "public.list": ("Lijst", "List"),
    "public.votes": ("Stemmen", "Votes"),
    # identity provider
    "oidc.button": (
        "Aanmelden via de gemeente (single sign-on)",
        "Sign in via the municipality (single sign-on)",
    ),
    "oidc.unknown": (
        "U bent bij de identity provider aangemeld, maar er is geen actief Stemdag-account aan die identiteit gekoppeld. Vraag de beheerder om koppeling.",
        "You are signed in at the identity provider, but no active Stemdag account is linked to that identity. Ask the administrator to link it.",
    ),
}
