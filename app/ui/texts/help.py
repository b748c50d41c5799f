"""Texts: requests for help and the station timeline (Dutch, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- the office's alert (A.HELP) and its handling
    "office.alert.A.HELP": ("Vraagt om hulp: {text}", "Asks for help: {text}"),
    "office.alert.A.HELP.no_text": ("Vraagt om hulp (geen toelichting)", "Asks for help (no details)"),
    "help.office.title": ("Hulpvragen", "Requests for help"),
    "help.office.count": (
        "▲ Hulpvragen open: {n}. Afhandelen kan op Signalen of op de kaart.",
        "▲ Requests for help open: {n}. Handle them on Alerts or on the map.",
    ),
    "help.office.asked": (
        "▲ Stembureau {number} · {name} vraagt sinds {time} om hulp:",
        "▲ Station {number} · {name} has asked for help since {time}:",
    ),
    "help.office.no_text": ("(geen toelichting)", "(no details given)"),
    "help.office.at": ("Om {time}:", "At {time}:"),
    "help.office.at_no_text": ("Om {time}: (geen toelichting)", "At {time}: (no details given)"),
    "help.office.note": (
        "Bericht aan de voorzitter (mag leeg)",
        "Message to the chair (optional)",
    ),
    "help.office.handle": ("Hulpvraag afgehandeld", "Mark request as handled"),
    "help.office.done": (
        "Hulpvraag van stembureau {number} ({name}) afgehandeld.",
        "Request for help of station {number} ({name}) handled.",
    ),
    "help.error.not_open": (
        "Er staat geen hulpvraag open: de voorzitter heeft hem ingetrokken of hij is al afgehandeld.",
        "No request for help is open: the chair withdrew it or it was handled already.",
    ),
    "help.error.changed": (
        "De voorzitter heeft intussen opnieuw om hulp gevraagd. Lees de nieuwe vraag en handel die af.",
        "The chair has asked for help again meanwhile. Read the new request, then handle it.",
    ),
    # --- the chair's day page
    "help.chair.stock_last": (
        "Laatst gemeld om {time}: nog {n} stembiljetten.",
        "Last reported at {time}: {n} ballot papers left.",
    ),
    "help.chair.stock_last_low": (
        "Laatst gemeld om {time}: nog {n} stembiljetten (weinig: de gemeente is gewaarschuwd).",
        "Last reported at {time}: {n} ballot papers left (low: the office has been alerted).",
    ),
    "help.chair.queue_last": ("Laatst gemeld om {time}: {queue}.", "Last reported at {time}: {queue}."),
    "help.chair.open": (
        "U heeft om {time} om hulp gevraagd. De gemeente ziet uw vraag.",
        "You asked for help at {time}. The office sees your request.",
    ),
    "help.chair.your_text": ("Uw vraag:", "Your request:"),
    "help.chair.text_at": ("Om {time}:", "At {time}:"),
    "help.chair.withdraw": ("Hulp niet meer nodig", "Help no longer needed"),
    "help.chair.withdrawn": ("Hulpvraag ingetrokken.", "Request for help withdrawn."),
    "help.chair.withdrawn_at": (
        "U heeft uw hulpvraag om {time} ingetrokken.",
        "You withdrew your request for help at {time}.",
    ),
    "help.chair.handled": (
        "De gemeente heeft uw hulpvraag om {time} afgehandeld ({who}).",
        "The office handled your request for help at {time} ({who}).",
    ),
    "help.chair.handled_note": ("Bericht van de gemeente:", "Message from the office:"),
    "help.chair.again": (
        "Nog iets nodig? Een nieuwe vraag komt bij de vraag die al openstaat.",
        "Need something else? A new request is added to the one already open.",
    ),
    # --- the audit log
    "auditlog.kind.help_withdrawn": ("Hulpvraag ingetrokken", "Request for help withdrawn"),
    "auditlog.kind.help_handled": ("Hulpvraag afgehandeld", "Request for help handled"),
    # --- the office's station timeline: what happened ...
    "office.timeline.queue": ("Drukte", "Queue"),
    "office.timeline.help": ("Hulpvraag", "Request for help"),
    "office.timeline.help_withdrawn": ("Hulpvraag ingetrokken", "Request for help withdrawn"),
    "office.timeline.help_handled": ("Hulpvraag afgehandeld", "Request for help handled"),
    # ... and its details, as a sentence
    "help.timeline.opened": ("Geopend om {time}", "Opened at {time}"),
    "help.timeline.members": ("{n} leden aanwezig", "{n} members present"),
    "help.timeline.stock": ("Nog {n} stembiljetten", "{n} ballot papers left"),
    "help.timeline.help": ("Waarmee: {text}", "With what: {text}"),
    "help.timeline.help_no_text": ("Geen toelichting", "No details given"),
    "help.timeline.help_withdrawn": (
        "Hulp niet meer nodig (ingetrokken door de voorzitter)",
        "Help no longer needed (withdrawn by the chair)",
    ),
    "help.timeline.help_handled": ("Afgehandeld door de gemeente", "Handled by the office"),
    "help.timeline.help_handled_note": (
        "Afgehandeld door de gemeente: {text}",
        "Handled by the office: {text}",
    ),
    "help.timeline.turnout": ("{n} toegelaten kiezers om {moment}", "{n} admitted voters at {moment}"),
    "help.timeline.incident": (
        "Melding {id}: {category} ({severity}): {text}",
        "Incident {id}: {category} ({severity}): {text}",
    ),
    "help.timeline.incident_step": ("Melding {id}", "Incident {id}"),
    "help.timeline.incident_step_text": ("Melding {id}: {text}", "Incident {id}: {text}"),
    "help.timeline.incident_assigned": (
        "Melding {id}, toegewezen aan {who}",
        "Incident {id}, assigned to {who}",
    ),
    "help.timeline.closing": ("Gesloten om {time}", "Closed at {time}"),
    "help.timeline.count": (
        "Versie {version}: {votes} stemmen uitgebracht",
        "Version {version}: {votes} votes cast",
    ),
    "help.timeline.count_review": ("Versie {version}", "Version {version}"),
    "help.timeline.count_review_reason": ("Versie {version}: {text}", "Version {version}: {text}"),
    "help.timeline.flag.late": ("te laat", "late"),
    "help.timeline.flag.low": ("weinig", "low"),
    "help.timeline.flag.too_few": ("te weinig", "too few"),
    "help.timeline.flag.correction": ("correctie", "correction"),
}
