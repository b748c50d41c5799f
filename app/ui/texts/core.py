"""Texts of the shell: sign-in, navigation, home pages, generic errors. key -> (Dutch, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "app.title": ("Stemdag", "Stemdag"),
    "app.tagline": ("Verkiezingsdag in beeld", "Election day at a glance"),
    "app.language": ("Taal / Language", "Taal / Language"),
    "app.signed_in_as": ("Aangemeld als {name} ({role})", "Signed in as {name} ({role})"),
    "app.sign_out": ("Afmelden", "Sign out"),
    "app.signed_out": ("U bent afgemeld.", "You have signed out."),
    "app.session_expired": (
        "Uw sessie is verlopen. Meld u opnieuw aan.",
        "Your session has expired. Please sign in again.",
    ),
    "app.db_down": (
        "De database is even niet bereikbaar. Wat u heeft ingevuld blijft staan; probeer het zo opnieuw.",
        "The database cannot be reached right now. What you entered is kept; please try again shortly.",
    ),
    "role.admin": ("beheerder", "administrator"),
    "role.office": ("verkiezingsorganisatie", "election office"),
    "role.analyst": ("analist", "analyst"),
    "role.chair": ("voorzitter stembureau", "polling station chair"),
    "nav.sign_in": ("Aanmelden", "Sign in"),
    "nav.home": ("Start", "Home"),
    "nav.section.station": ("Stembureau", "Polling station"),
    "nav.section.office": ("Verkiezingsorganisatie", "Election office"),
    "nav.section.analysis": ("Analyse", "Analysis"),
    "nav.section.admin": ("Beheer", "Administration"),
    "nav.section.account": ("Account", "Account"),
    # sign-in
    "auth.heading": ("Aanmelden bij Stemdag", "Sign in to Stemdag"),
    "auth.tab_chair": ("Voorzitter stembureau", "Polling station chair"),
    "auth.tab_staff": ("Medewerker gemeente", "Municipal staff"),
    "auth.code_label": ("Toegangscode van het stembureau", "Polling station access code"),
    "auth.code_help": (
        "De code van 16 tekens uit uw brief, bijvoorbeeld K7QM-3XTD-9PWA-HR4C. Streepjes en hoofdletters maken niet uit.",
        "The 16-character code from your letter, e.g. K7QM-3XTD-9PWA-HR4C. Dashes and capitals do not matter.",
    ),
    "auth.username": ("Gebruikersnaam", "Username"),
    "auth.password": ("Wachtwoord", "Password"),
    "auth.submit": ("Aanmelden", "Sign in"),
    "auth.empty": ("Vul uw gebruikersnaam en wachtwoord in.", "Enter your username and password."),
    "auth.failed_staff": ("Gebruikersnaam of wachtwoord klopt niet.", "Username or password is incorrect."),
    "auth.failed_code": (
        "Deze toegangscode is niet bekend. Controleer de code in uw brief.",
        "This access code is not known. Check the code in your letter.",
    ),
    "auth.code_revoked": (
        "Deze toegangscode is ingetrokken. Neem contact op met de verkiezingsorganisatie.",
        "This access code has been revoked. Contact the election office.",
    ),
    "auth.code_window": (
        "Deze toegangscode is nu niet geldig (alleen rond de verkiezingsdag).",
        "This access code is not valid now (only around election day).",
    ),
    "auth.code_length": (
        "Een toegangscode heeft {expected} tekens; u typte er {got}.",
        "An access code has {expected} characters; you typed {got}.",
    ),
    "auth.code_symbols": (
        "Deze tekens komen in toegangscodes niet voor: {symbols}. (Er zit geen 0, O, 1, I, L of U in een code.)",
        "These characters never occur in access codes: {symbols}. (Codes contain no 0, O, 1, I, L or U.)",
    ),
    "auth.locked": (
        "Te veel mislukte pogingen. Probeer het over {minutes} minuten opnieuw, of bel de verkiezingsorganisatie.",
        "Too many failed attempts. Try again in {minutes} minutes, or call the election office.",
    ),
    "auth.failed": ("Aanmelden is mislukt.", "Sign-in failed."),
    # homes
    "home.chair.heading": ("Stembureau {number}: {name}", "Polling station {number}: {name}"),
    "home.chair.intro": (
        "Hier meldt u de opening, de bezetting, de voorraad stembiljetten, de opkomst en incidenten, en na 21:00 de telling.",
        "Here you report the opening, members present, ballot stock, turnout and incidents, and after 21:00 the count.",
    ),
    "home.office.heading": ("Verkiezingsorganisatie {municipality}", "Election office {municipality}"),
    "home.office.intro": (
        "Volg alle stembureaus live: kaart, meldingen, opkomst en voorlopige uitslag.",
        "Follow every polling station live: map, alerts, turnout and preliminary result.",
    ),
    "home.analyst.heading": ("Analyse {municipality}", "Analysis {municipality}"),
    "home.analyst.intro": (
        "Vergelijk deze verkiezing met eerdere: per stembureau, wijk en gemeente.",
        "Compare this election with past ones: per polling station, district and municipality.",
    ),
    "home.admin.heading": ("Beheer", "Administration"),
    "home.admin.intro": (
        "Richt verkiezingen in, beheer stembureaus, toegangscodes en accounts.",
        "Set up elections, manage polling stations, access codes and accounts.",
    ),
    "home.stations": ("Stembureaus", "Polling stations"),
    "home.elections": ("Verkiezingen", "Elections"),
    "home.municipalities": ("Gemeenten", "Municipalities"),
    "home.no_election": ("Er is nog geen verkiezing ingericht.", "No election has been set up yet."),
    "home.station_count": ("{n} stembureaus", "{n} polling stations"),
    # generic errors
    "error.generic": ("Er ging iets mis. Probeer het opnieuw.", "Something went wrong. Please try again."),
    "error.invalid_input": ("Deze invoer klopt niet.", "This input is not valid."),
    "error.not_allowed": ("U mag dit niet doen.", "You are not allowed to do this."),
    "error.not_signed_in": ("U bent niet aangemeld.", "You are not signed in."),
    "error.not_found": ("Niet gevonden.", "Not found."),
    "error.conflict": ("Dit botst met wat al is opgeslagen.", "This conflicts with what is already stored."),
    "error.municipality_code": (
        "'{value}' is geen gemeentecode (verwacht: GM0518, G0518 of 0518).",
        "'{value}' is not a municipality code (expected GM0518, G0518 or 0518).",
    ),
    "error.election_id": (
        "'{value}' is geen verkiezingscode (verwacht bijvoorbeeld GR2026 of TK2025).",
        "'{value}' is not an election id (expected e.g. GR2026 or TK2025).",
    ),
    "error.unknown_municipality": ("Gemeente {code} is niet bekend.", "Municipality {code} is not known."),
    "error.non_negative_integer": (
        "Vul een heel getal van 0 of meer in.",
        "Enter a whole number of 0 or more.",
    ),
    "error.positive_integer": ("Vul een heel getal groter dan 0 in.", "Enter a whole number greater than 0."),
    "users.bad_username": (
        "Een gebruikersnaam heeft 3 tot 80 tekens: kleine letters, cijfers, punt, streepje, @.",
        "A username has 3 to 80 characters: lower-case letters, digits, dot, dash, @.",
    ),
    "users.bad_role": ("Rol moet admin, office of analyst zijn.", "Role must be admin, office or analyst."),
    "users.needs_municipality": (
        "Alleen een beheerder kan zonder gemeente bestaan.",
        "Only an administrator can exist without a municipality.",
    ),
    "users.short_password": (
        "Een wachtwoord heeft minstens {n} tekens.",
        "A password has at least {n} characters.",
    ),
    "users.exists": ("Gebruiker {username} bestaat al.", "User {username} already exists."),
    "setup.bad_moment": ("'{value}' is geen tijdstip (UU:MM).", "'{value}' is not a time (HH:MM)."),
    "setup.bad_kind": ("Onbekend soort verkiezing: {value}.", "Unknown kind of election: {value}."),
    "setup.bad_counting_method": ("Telmethode moet DSO of CSO zijn.", "Counting method must be DSO or CSO."),
    "setup.unknown_fields": ("Onbekende velden: {fields}.", "Unknown fields: {fields}."),
}
