"""Texts of the chair's pages and services (issue 3). Keys start with ``chair.`` or ``count.``."""

TEXTS: dict[str, tuple[str, str]] = {
    # navigation
    "chair.nav.opening": ("Opening en leden", "Opening and members"),
    "chair.nav.day": ("Tijdens de dag", "During the day"),
    "chair.nav.turnout": ("Opkomst", "Turnout"),
    "chair.nav.incidents": ("Incidenten", "Incidents"),
    "chair.nav.count": ("Sluiting en telling", "Closing and count"),
    # errors and warnings of the services
    "chair.error.members": (
        "Aantal aanwezige leden moet 1 tot en met 7 zijn (inclusief de voorzitter).",
        "Members present must be 1 to 7 (including the chair).",
    ),
    "chair.error.moment": (
        "{value} is geen opkomstmoment van deze verkiezing.",
        "{value} is not a turnout moment of this election.",
    ),
    "chair.error.turnout_split": (
        "Stempassen, volmachtbewijzen en kiezerspassen ({parts}) tellen niet op tot het totaal ({total}).",
        "Poll cards, proxy certificates and voter cards ({parts}) do not add up to the total ({total}).",
    ),
    "chair.error.turnout_split_gr": (
        "Stempassen en volmachtbewijzen ({parts}) tellen niet op tot het totaal ({total}).",
        "Poll cards and proxy certificates ({parts}) do not add up to the total ({total}).",
    ),
    "chair.error.turnout_decreased": (
        "De opkomst mag niet dalen: om {moment} meldde u al {previous}, nu {value}. Is het eerdere getal fout? Meld dan een correctie met een reden.",
        "Turnout may not go down: at {moment} you already reported {previous}, now {value}. Was the earlier number wrong? Then report a correction with a reason.",
    ),
    "chair.error.turnout_above_later": (
        "Dit getal ({value}) is hoger dan wat u om het latere moment {moment} meldde ({previous}). Meld een correctie met een reden.",
        "This number ({value}) is higher than what you reported at the later moment {moment} ({previous}). Report a correction with a reason.",
    ),
    "chair.error.turnout_again": (
        "Voor {moment} is al {previous} gemeld. Wilt u dat verbeteren? Meld een correctie met een reden.",
        "{previous} was already reported for {moment}. Want to change it? Report a correction with a reason.",
    ),
    "chair.error.reason": ("Een correctie heeft een reden nodig.", "A correction needs a reason."),
    "chair.error.category": ("Kies een categorie.", "Choose a category."),
    "chair.error.severity": ("Kies een ernst.", "Choose a severity."),
    "chair.error.signal": ("Onbekende melding.", "Unknown signal."),
    "chair.error.text_required": ("Vul dit veld in.", "Please fill in this field."),
    "chair.error.text_too_long": ("Maximaal {limit} tekens.", "At most {limit} characters."),
    "chair.error.checklist": (
        "Vink alle punten van de checklist aan voordat u het stembureau opent (nog open: {items_nl}).",
        "Tick every checklist item before opening the station (still open: {items_en}).",
    ),
    "chair.error.future": ("Dit tijdstip ligt in de toekomst.", "This time is in the future."),
    "chair.error.closing_future": (
        "Het tijdstip van sluiting ligt in de toekomst. Vul de tijd in waarop het stembureau sloot.",
        "The time of closing is in the future. Enter the time the station closed.",
    ),
    "chair.error.closing_early": (
        "Het stembureau sluit om {closes}. Sluit u eerder, vink dan aan dat u eerder sluit en geef de reden.",
        "The station closes at {closes}. If you close earlier, tick that you close early and give the reason.",
    ),
    "chair.error.early_reason": (
        "Geef de reden waarom het stembureau eerder dan {closes} sluit.",
        "Give the reason why the station closes before {closes}.",
    ),
    "chair.error.turnout_future": (
        "Het opkomstmoment {moment} is nog niet aangebroken. Meld de opkomst op of na {moment}.",
        "The turnout moment {moment} has not come yet. Report the turnout at or after {moment}.",
    ),
    "chair.error.not_opened": ("Meld eerst dat het stembureau open is.", "First report the station open."),
    "chair.error.window": (
        "Melden kan alleen binnen de toegangsperiode van de verkiezing.",
        "Reports are possible only within the election's access period.",
    ),
    "chair.error.submission": (
        "Formulier verlopen; laad de pagina opnieuw.",
        "Form expired; reload the page.",
    ),
    "chair.error.submission_used": (
        "Formulier verlopen; laad de pagina opnieuw.",
        "Form expired; reload the page.",
    ),
    "chair.warning.too_few_members": (
        "Minder dan 3 leden aanwezig: het stembureau mag zo niet werken. Het stembureau-team van de gemeente is gewaarschuwd.",
        "Fewer than 3 members present: the station may not work like this. The election office has been alerted.",
    ),
    "chair.warning.low_stock": (
        "Weinig stembiljetten over. Het stembureau-team van de gemeente is gewaarschuwd.",
        "Few ballot papers left. The election office has been alerted.",
    ),
    "chair.warning.late": (
        "Gemeld na het opkomstmoment: gemarkeerd als te laat.",
        "Reported after the moment: marked late.",
    ),
    "count.blocked": (
        "De telling kan niet worden verstuurd: los eerst de fouten op ({codes}).",
        "The count cannot be submitted: first fix the errors ({codes}).",
    ),
    "count.unexplained": (
        "Geef bij elke waarschuwing een toelichting ({codes}).",
        "Explain each warning ({codes}).",
    ),
    "count.not_closed": ("Meld eerst de sluiting van het stembureau.", "First report the station closed."),
    "count.no_candidates": (
        "Dit stembureau telt per kandidaat, maar de kandidatenlijsten van deze verkiezing zijn nog niet "
        "geladen. Daarom kan de telling nog niet worden gecontroleerd of verstuurd. Neem contact op met "
        "het verkiezingsbureau van de gemeente.",
        "This station counts per candidate, but the candidate lists of this election have not been "
        "loaded yet, so the count cannot be checked or submitted yet. Contact the municipality's "
        "election office.",
    ),
    "count.draft_invalid": (
        "Wat is ingevuld past niet in het telformulier ({box}); het concept is niet bewaard.",
        "What was entered does not fit the count form ({box}); the draft was not kept.",
    ),
    "count.already_accepted": (
        "De telling is al geaccepteerd door de gemeente.",
        "The count has already been accepted by the office.",
    ),
    "count.not_reviewable": (
        "Alleen de laatste ingediende versie kan worden beoordeeld.",
        "Only the latest submitted version can be reviewed.",
    ),
    # common
    "chair.saved": ("Opgeslagen.", "Saved."),
    "chair.duplicate": ("Was al opgeslagen (niet dubbel opgeslagen).", "Already saved (not stored twice)."),
    "chair.status": ("Status: {status}", "Status: {status}"),
    "chair.status.not_opened": ("Nog niet open", "Not opened"),
    "chair.status.open": ("Open", "Open"),
    "chair.status.problem": ("Open, met een probleem", "Open, with a problem"),
    "chair.status.closed": ("Gesloten", "Closed"),
    "chair.status.counting": ("Gesloten, tellen", "Closed, counting"),
    "chair.status.count_submitted": ("Telling verstuurd", "Count submitted"),
    "chair.status.count_returned": ("Telling teruggestuurd", "Count returned"),
    "chair.status.count_accepted": ("Telling geaccepteerd", "Count accepted"),
    # opening and members
    "chair.opening.title": ("Opening en leden", "Opening and members"),
    "chair.opening.checklist": ("Checklist voor de opening", "Opening checklist"),
    "chair.opening.ballots_received": (
        "Aantal ontvangen stembiljetten (mag leeg)",
        "Ballot papers received (may be empty)",
    ),
    "chair.opening.time": ("Tijd van opening", "Time of opening"),
    "chair.opening.submit": ("Stembureau is open", "Station is open"),
    "chair.opening.done": ("Open sinds {time}.", "Open since {time}."),
    "chair.members.title": ("Aanwezige leden", "Members present"),
    "chair.members.count": (
        "Aantal aanwezig, inclusief voorzitter (3 tot 7)",
        "Number present, including the chair (3 to 7)",
    ),
    "chair.members.names": ("Namen (mag leeg, één per regel)", "Names (optional, one per line)"),
    "chair.members.note": ("Wisseling van leden (mag leeg)", "Shift change (optional)"),
    "chair.members.submit": ("Leden melden", "Report members"),
    "chair.members.current": ("Laatst gemeld: {n} leden.", "Last reported: {n} members."),
    # day
    "chair.day.title": ("Tijdens de dag", "During the day"),
    "chair.stock.title": ("Stembiljetten", "Ballot papers"),
    "chair.stock.left": ("Aantal stembiljetten over", "Ballot papers left"),
    "chair.stock.threshold": (
        "Bij {n} of minder krijgt de gemeente een waarschuwing.",
        "At {n} or fewer the office is alerted.",
    ),
    "chair.stock.submit": ("Voorraad melden", "Report stock"),
    "chair.queue.title": ("Drukte bij de ingang", "Queue at the entrance"),
    "chair.queue.level": ("Rij", "Queue"),
    "chair.queue.none": ("Geen rij", "No queue"),
    "chair.queue.short": ("Korte rij", "Short queue"),
    "chair.queue.long": ("Lange rij", "Long queue"),
    "chair.queue.submit": ("Drukte melden", "Report queue"),
    "chair.help.title": ("Hulp nodig", "Need help"),
    "chair.help.note": ("Waarmee? (mag leeg)", "With what? (optional)"),
    "chair.help.submit": ("Vraag om hulp", "Ask for help"),
    # turnout
    "chair.turnout.title": ("Opkomst", "Turnout"),
    "chair.turnout.intro": (
        "Meld per moment het aantal toegelaten kiezers tot nu toe (opgeteld vanaf de opening).",
        "Report per moment the number of admitted voters so far (cumulative since opening).",
    ),
    "chair.turnout.moment": ("Moment", "Moment"),
    "chair.turnout.poll_cards": ("Stempassen", "Poll cards (stempassen)"),
    "chair.turnout.proxies": ("Volmachtbewijzen", "Proxy certificates (volmachtbewijzen)"),
    "chair.turnout.voter_cards": ("Kiezerspassen", "Voter cards (kiezerspassen)"),
    "chair.turnout.total": ("Totaal toegelaten kiezers", "Total admitted voters"),
    "chair.turnout.is_correction": (
        "Dit is een correctie van een eerder getal",
        "This corrects an earlier number",
    ),
    "chair.turnout.reason": ("Reden van de correctie", "Reason for the correction"),
    "chair.turnout.submit": ("Opkomst melden", "Report turnout"),
    "chair.turnout.reported": ("Gemeld", "Reported"),
    "chair.turnout.not_yet": (
        "Nog niet te melden (het moment is nog niet aangebroken): {moments}.",
        "Not yet to report (the moment has not come): {moments}.",
    ),
    "chair.turnout.none_yet": (
        "Het eerste opkomstmoment is {moment}. Vanaf dat moment kunt u hier de opkomst melden.",
        "The first turnout moment is {moment}. From then on you can report the turnout here.",
    ),
    "chair.turnout.late": ("te laat", "late"),
    "chair.turnout.correction": ("correctie", "correction"),
    # incidents
    "chair.incident.title": ("Incidenten", "Incidents"),
    "chair.incident.new": ("Nieuw incident", "New incident"),
    "chair.incident.category": ("Categorie", "Category"),
    "chair.incident.severity": ("Ernst", "Severity"),
    "chair.incident.text": ("Wat is er aan de hand?", "What is going on?"),
    "chair.incident.submit": ("Incident melden", "Report incident"),
    "chair.incident.none": ("Nog geen incidenten gemeld.", "No incidents reported yet."),
    "chair.incident.replies": ("Reacties van de gemeente", "Replies from the office"),
    "chair.incident.no_replies": ("Nog geen reactie.", "No reply yet."),
    "chair.category.ballot_shortage": ("Tekort aan stembiljetten", "Ballot paper shortage"),
    "chair.category.member_absent": ("Lid afwezig", "Member absent"),
    "chair.category.voter_issue": ("Probleem met kiezer", "Voter issue"),
    "chair.category.accessibility": ("Toegankelijkheid", "Accessibility"),
    "chair.category.technical": ("Techniek / materiaal", "Technical / equipment"),
    "chair.category.disturbance": ("Verstoring / veiligheid", "Disturbance / security"),
    "chair.category.other": ("Anders", "Other"),
    "chair.severity.low": ("Laag", "Low"),
    "chair.severity.medium": ("Middel", "Medium"),
    "chair.severity.high": ("Hoog", "High"),
    "chair.incident_status.open": ("Open", "Open"),
    "chair.incident_status.acknowledged": ("In behandeling", "Acknowledged"),
    "chair.incident_status.resolved": ("Opgelost", "Resolved"),
    "chair.event.reply": ("Reactie", "Reply"),
    "chair.event.acknowledge": ("In behandeling genomen", "Acknowledged"),
    "chair.event.assign": ("Toegewezen aan", "Assigned to"),
    "chair.event.resolve": ("Opgelost", "Resolved"),
    "chair.event.reopen": ("Heropend", "Reopened"),
    # closing and count
    "chair.count.title": ("Sluiting en voorlopige telling", "Closing and preliminary count"),
    "chair.closing.title": ("Sluiting", "Closing"),
    "chair.closing.time": ("Tijd van sluiting", "Time of closing"),
    "chair.closing.submit": ("Stembureau is gesloten", "Station is closed"),
    "chair.closing.closes_at": (
        "Dit stembureau sluit om {closes}.",
        "This station closes at {closes}.",
    ),
    "chair.closing.early": (
        "Ik sluit het stembureau eerder dan {closes}",
        "I am closing the station before {closes}",
    ),
    "chair.closing.early_reason": ("Reden van eerder sluiten", "Reason for closing early"),
    "chair.closing.done": ("Gesloten om {time}.", "Closed at {time}."),
    "chair.count.not_closed": (
        "Meld eerst de sluiting; daarna kunt u de telling invoeren.",
        "First report closing; then enter the count.",
    ),
    "chair.count.returned": (
        "De gemeente heeft versie {version} teruggestuurd: ",
        "The office returned version {version}: ",
    ),
    "chair.count.accepted": (
        "Versie {version} is geaccepteerd door de gemeente. U hoeft niets meer te doen.",
        "Version {version} was accepted by the office. There is nothing left to do.",
    ),
    "chair.count.sent": (
        "Versie {version} is verstuurd naar de gemeente. De gemeente beoordeelt hem; hier ziet u of hij "
        "is geaccepteerd of teruggestuurd.",
        "Version {version} was sent to the office. The office reviews it; here you see whether it is "
        "accepted or returned.",
    ),
    "chair.count.new_version": ("U voert versie {version} in.", "You are entering version {version}."),
    "chair.count.from_version": (
        "U voert versie {version} in. Het formulier begint met de getallen van versie {previous}; "
        "verbeter wat anders is dan op het proces-verbaal.",
        "You are entering version {version}. The form starts from the figures of version {previous}; "
        "correct what differs from the official report.",
    ),
    "chair.count.correcting": (
        "U maakt een correctie op versie {version}, die al is verstuurd. Het formulier begint met de "
        "verstuurde getallen. Wat u verstuurt wordt versie {next}; versie {version} blijft bewaard.",
        "You are correcting version {version}, which was already sent. The form starts from the figures "
        "sent. What you send becomes version {next}; version {version} is kept.",
    ),
    "chair.count.correct": ("Ik wil een correctie insturen", "I want to send a correction"),
    "chair.count.correct_help": (
        "Alleen als het proces-verbaal anders is dan wat u verstuurde. U krijgt het formulier met de "
        "verstuurde getallen; een correctie wordt versie {next}.",
        "Only when the official report differs from what you sent. You get the form with the figures "
        "sent; a correction becomes version {next}.",
    ),
    "chair.count.correct_resume": (
        "U was al begonnen aan een correctie (bewaard om {time}); u gaat verder waar u was.",
        "You had already started a correction (kept at {time}); you continue where you left off.",
    ),
    "chair.count.correct_cancel": (
        "Annuleren: geen correctie insturen",
        "Cancel: do not send a correction",
    ),
    "chair.count.correct_cancel_help": (
        "Wat u in dit formulier veranderde vervalt; versie {version} blijft zoals hij is verstuurd.",
        "What you changed in this form is discarded; version {version} stays as it was sent.",
    ),
    "chair.count.figures.heading": (
        "Versie {version}, verstuurd om {time}",
        "Version {version}, sent at {time}",
    ),
    "chair.count.figures.box": ("Vak", "Box"),
    "chair.count.figures.count": ("Aantal", "Number"),
    "chair.count.figures.alt": (
        "De getallen van versie {version} zoals verstuurd",
        "The figures of version {version} as sent",
    ),
    "chair.count.figures.candidates": ("Stemmen per kandidaat", "Votes per candidate"),
    "chair.count.figures.candidates_line": (
        "**Lijst {n}** (totaal {total}): {votes}",
        "**List {n}** (total {total}): {votes}",
    ),
    "chair.count.figures.candidate": ("kandidaat {c}: {votes}", "candidate {c}: {votes}"),
    "chair.count.figures.others_none": ("overige kandidaten: 0", "other candidates: 0"),
    "chair.count.figures.none": (
        "Geen stemmen op kandidaten: lijst {lists}",
        "No votes for candidates: list {lists}",
    ),
    "chair.count.figures.explanation": ("Toelichting bij {code} {title}", "Explanation for {code} {title}"),
    "chair.count.figures.show": ("Getallen van versie {version}", "Figures of version {version}"),
    "chair.count.admitted": ("Toegelaten kiezers", "Admitted voters"),
    "chair.count.votes": ("Stemmen", "Votes"),
    "chair.count.per_list": ("Stemmen per lijst", "Votes per list"),
    "chair.count.compare": ("Vergelijk D en H", "Compare D and H"),
    "chair.count.A": ("A. Stempassen", "A. Poll cards"),
    "chair.count.B": ("B. Volmachtbewijzen", "B. Proxy certificates"),
    "chair.count.C": ("C. Kiezerspassen", "C. Voter cards"),
    "chair.count.D": ("D. Totaal toegelaten kiezers (A+B+C)", "D. Total admitted voters (A+B+C)"),
    "chair.count.D_gr": ("D. Totaal toegelaten kiezers (A+B)", "D. Total admitted voters (A+B)"),
    "chair.count.E_n": ("E.{n} Lijst {n}: {name}", "E.{n} List {n}: {name}"),
    "chair.count.candidate": ("Kandidaat {c}: {name}", "Candidate {c}: {name}"),
    "chair.count.dso_help": (
        "Dit stembureau telt per kandidaat. Kies een lijst, vul de stemmen per kandidaat en het totaal "
        "van de lijst in, en ga naar de volgende lijst. Wat u invult blijft staan als u van lijst wisselt.",
        "This station counts per candidate. Pick a list, enter the votes per candidate and the list's "
        "total, then go to the next list. What you enter stays when you switch lists.",
    ),
    "chair.count.pick_list": ("Lijst", "List"),
    "chair.count.draft_kept": (
        "Wat u invulde is bewaard om {time}: het blijft staan als de pagina opnieuw laadt.",
        "What you entered was kept at {time}: it stays when the page reloads.",
    ),
    "chair.count.draft_help": (
        "Een concept is geen telling: de gemeente ziet het niet. Pas na Versturen is de telling gemeld.",
        "A draft is not a count: the office does not see it. The count is reported only when you send it.",
    ),
    "chair.count.list_option": ("Lijst {n}: {name}", "List {n}: {name}"),
    "chair.count.list_heading": ("Lijst {n}", "List {n}"),
    "chair.count.running_sum": (
        "Opgeteld: **{typed}** · totaal lijst: **{total}**",
        "Added up: **{typed}** · list total: **{total}**",
    ),
    "chair.count.next_list": ("Volgende lijst ({n})", "Next list ({n})"),
    "chair.count.candidates_total": (
        "Totaal lijst {n} (som van de kandidaten)",
        "Total of list {n} (sum of candidates)",
    ),
    "chair.count.E": (
        "E. Totaal stemmen op kandidaten (E.1 t/m E.n)",
        "E. Total votes for candidates (E.1 to E.n)",
    ),
    "chair.count.F": ("F. Blanco stemmen", "F. Blank votes"),
    "chair.count.G": ("G. Ongeldige stemmen", "G. Invalid votes"),
    "chair.count.H": ("H. Totaal uitgebrachte stemmen (E+F+G)", "H. Total votes cast (E+F+G)"),
    "chair.count.equal": ("D en H zijn gelijk", "D and H are equal"),
    "chair.count.greater": ("H is groter dan D", "H is greater than D"),
    "chair.count.smaller": ("H is kleiner dan D", "H is smaller than D"),
    "chair.count.I": ("I. Aantal méér getelde stemmen (H − D)", "I. More votes counted (H − D)"),
    "chair.count.J": ("J. Aantal minder getelde stemmen (D − H)", "J. Fewer votes counted (D − H)"),
    "chair.count.explained": (
        "Zijn er tijdens de stemming dingen opgeschreven die het verschil tussen D en H volledig verklaren?",
        "Was anything written down during voting that fully explains the difference between D and H?",
    ),
    "chair.count.explained_yes": ("Ja", "Yes"),
    "chair.count.explained_no": ("Nee", "No"),
    "chair.count.explained_clear": (
        "Antwoord wissen (vraag overslaan)",
        "Clear the answer (skip the question)",
    ),
    "chair.count.check": ("Controleren", "Check"),
    "chair.count.errors": (
        "**Fouten ({n})**: de telling kan zo niet worden verstuurd. Verbeter ze bij het vak waar ze staan:",
        "**Errors ({n})**: the count cannot be sent like this. Correct them at the box where they are shown:",
    ),
    "chair.count.warnings": (
        "**Waarschuwingen ({n})**: geef bij elke waarschuwing een toelichting, in het vak eronder:",
        "**Warnings ({n})**: explain each warning, in the box below it:",
    ),
    "chair.count.summary_list": ("(lijst {n})", "(list {n})"),
    "chair.count.summary_unexplained": ("– nog zonder toelichting", "– no explanation yet"),
    # the chair's wording of a finding whose official text names the paper form's numbering
    "chair.count.rule.F.313": (
        "D en H zijn gelijk, dus er is geen onverklaard verschil. De vraag „{question}” moet "
        "overgeslagen worden.",
        "D and H are equal, so there is no unexplained difference. The question “{question}” must be "
        "skipped.",
    ),
    # the figures behind a finding (computed from the form, for display only)
    "chair.count.detail.empty": ("leeg", "empty"),
    "chair.count.detail.F.201": (
        "Opgeteld {boxes}: **{sum}** · ingevuld bij D: **{d}**",
        "Added up {boxes}: **{sum}** · entered at D: **{d}**",
    ),
    "chair.count.detail.lists_e": (
        "Lijsten opgeteld (E.1 t/m E.n): **{sum}** · ingevuld bij E: **{e}**",
        "Lists added up (E.1 to E.n): **{sum}** · entered at E: **{e}**",
    ),
    "chair.count.detail.F.203": (
        "Opgeteld E + F + G: **{sum}** · ingevuld bij H: **{h}**",
        "Added up E + F + G: **{sum}** · entered at H: **{h}**",
    ),
    "chair.count.detail.d_h": ("Ingevuld: D = **{d}**, H = **{h}**", "Entered: D = **{d}**, H = **{h}**"),
    "chair.count.detail.F.305": (
        "D en H zijn gelijk (**{d}**): er is geen verschil, dus I en J blijven leeg (of 0). "
        "Ingevuld: I = **{i}**, J = **{j}**",
        "D and H are equal (**{d}**): there is no difference, so I and J stay empty (or 0). "
        "Entered: I = **{i}**, J = **{j}**",
    ),
    "chair.count.detail.F.306": (
        "H − D = **{diff}** · ingevuld bij I: **{i}**",
        "H − D = **{diff}** · entered at I: **{i}**",
    ),
    "chair.count.detail.F.307": (
        "H (**{h}**) is groter dan D (**{d}**): vul alleen I in, J blijft leeg (of 0). Ingevuld bij J: **{j}**",
        "H (**{h}**) is greater than D (**{d}**): fill in I only, J stays empty (or 0). Entered at J: **{j}**",
    ),
    "chair.count.detail.F.308": (
        "D − H = **{diff}** · ingevuld bij J: **{j}**",
        "D − H = **{diff}** · entered at J: **{j}**",
    ),
    "chair.count.detail.F.309": (
        "H (**{h}**) is kleiner dan D (**{d}**): vul alleen J in, I blijft leeg (of 0). Ingevuld bij I: **{i}**",
        "H (**{h}**) is smaller than D (**{d}**): fill in J only, I stays empty (or 0). Entered at I: **{i}**",
    ),
    "chair.count.detail.F.310": (
        "D = **{d}**, H = **{h}**: kies Ja of Nee.",
        "D = **{d}**, H = **{h}**: choose Yes or No.",
    ),
    "chair.count.detail.F.313": (
        "D en H zijn allebei **{d}**. Wis het antwoord met de knop „{clear}” hieronder.",
        "D and H are both **{d}**. Clear the answer with the button “{clear}” below.",
    ),
    "chair.count.detail.candidates": (
        "Kandidaten van lijst {n} opgeteld: **{sum}** · totaal lijst {n}: **{total}**",
        "Candidates of list {n} added up: **{sum}** · total of list {n}: **{total}**",
    ),
    "chair.count.detail.F.403": (
        "Totaal lijst {n}: **{total}** · ingevuld bij E.{n}: **{e}**",
        "Total of list {n}: **{total}** · entered at E.{n}: **{e}**",
    ),
    "chair.count.detail.W.201": (
        "F = **{f}** van H = **{h}** uitgebrachte stemmen (3% of meer)",
        "F = **{f}** of H = **{h}** votes cast (3% or more)",
    ),
    "chair.count.detail.W.202": (
        "G = **{g}** van H = **{h}** uitgebrachte stemmen (3% of meer)",
        "G = **{g}** of H = **{h}** votes cast (3% or more)",
    ),
    "chair.count.detail.W.203": (
        "D = **{d}**, H = **{h}**: verschil **{diff}**",
        "D = **{d}**, H = **{h}**: difference **{diff}**",
    ),
    "chair.count.explanation": ("Toelichting bij {code}", "Explanation for {code}"),
    "chair.count.ok": ("Geen fouten gevonden.", "No errors found."),
    "chair.count.confirm": (
        "Ik heb de getallen vergeleken met het proces-verbaal en ze kloppen.",
        "I have compared the numbers with the official report and they are correct.",
    ),
    "chair.count.submit": ("Telling versturen", "Submit count"),
    "chair.count.history": ("Eerdere versies", "Earlier versions"),
    "chair.count.version_line": ("Versie {version}: {status}", "Version {version}: {status}"),
    "chair.count_status.submitted": ("verstuurd", "submitted"),
    "chair.count_status.returned": ("teruggestuurd", "returned"),
    "chair.count_status.accepted": ("geaccepteerd", "accepted"),
}
