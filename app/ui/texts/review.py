"""Texts: the incident queue, the count review and the chair's incident form (Dutch, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- the office's incident queue: one compact line per incident, one open at a time
    "review.incidents.row": (
        "{severity} · stembureau {number} {name} · {category} · {status} · {age} · #{id}",
        "{severity} · station {number} {name} · {category} · {status} · {age} · #{id}",
    ),
    "review.incidents.status_assigned": ("{status}: {who}", "{status}: {who}"),
    "review.incidents.state": ("Status nu: {status} · gemeld {age}", "Status now: {status} · raised {age}"),
    "review.incidents.order": (
        "{n} melding(en): de ernstigste eerst, daarna wie het langst wacht. Open een melding om te "
        "reageren; de lijst ververst zichzelf en wat u typt blijft staan.",
        "{n} incident(s): the most severe first, then the longest waiting. Open an incident to act on "
        "it; the list refreshes itself and what you type stays.",
    ),
    "review.age.now": ("zojuist", "just now"),
    "review.age.minutes": ("{m} min geleden", "{m} min ago"),
    "review.age.hours": ("{h} u {m} min geleden", "{h} h {m} min ago"),
    "review.incidents.actions": ("Afhandelen", "Handle"),
    # --- the office's count review: the whole proces-verbaal of the version under review
    "review.counts.row": (
        "Stembureau {number} {name} · versie {version} · {status} · {warnings}",
        "Station {number} {name} · version {version} · {status} · {warnings}",
    ),
    "review.counts.row_no_warnings": ("geen waarschuwingen", "no warnings"),
    "review.counts.row_warnings": ("waarschuwing {codes}", "warning {codes}"),
    "review.counts.intro": (
        "Open een telling om het hele proces-verbaal te zien. Een telling accepteren vraagt om een "
        "bevestiging; een geaccepteerde telling kan worden heropend (terug naar de voorzitter, met een "
        "reden).",
        "Open a count to see the whole proces-verbaal. Accepting a count asks for a confirmation; an "
        "accepted count can be reopened (returned to the chair, with a reason).",
    ),
    "review.pv.heading": ("Proces-verbaal, versie {version}", "Proces-verbaal, version {version}"),
    "review.pv.meta": (
        "Ingediend om {time} door {who} · {method}",
        "Submitted at {time} by {who} · {method}",
    ),
    "review.pv.method.CSO": ("centrale telling (CSO): per lijst", "central counting (CSO): per list"),
    "review.pv.method.DSO": (
        "decentrale telling (DSO): per kandidaat",
        "decentral counting (DSO): per candidate",
    ),
    "review.pv.admitted": ("Toegelaten kiezers", "Admitted voters"),
    "review.pv.per_list": ("Stemmen per lijst", "Votes per list"),
    "review.pv.votes": ("Uitgebrachte stemmen", "Votes cast"),
    "review.pv.difference": ("Verschil tussen D en H", "Difference between D and H"),
    "review.pv.col.box": ("Vak", "Box"),
    "review.pv.col.what": ("Omschrijving", "Description"),
    "review.pv.col.count": ("Aantal", "Number"),
    "review.pv.col.list": ("Lijst", "List"),
    "review.pv.col.name": ("Naam", "Name"),
    "review.pv.col.votes": ("Stemmen", "Votes"),
    "review.pv.col.candidate": ("Kandidaat", "Candidate"),
    "review.pv.col.before": ("Versie {version}", "Version {version}"),
    "review.pv.col.after": ("Versie {version} (nu)", "Version {version} (now)"),
    "review.box.A": ("Stempassen", "Poll cards"),
    "review.box.B": ("Volmachtbewijzen", "Proxy certificates"),
    "review.box.C": ("Kiezerspassen", "Voter cards"),
    "review.box.D": ("Totaal toegelaten kiezers", "Total admitted voters"),
    "review.box.E": (
        "Totaal stemmen op kandidaten (E.1 t/m E.n)",
        "Total votes for candidates (E.1 to E.n)",
    ),
    "review.box.F": ("Blanco stemmen", "Blank votes"),
    "review.box.G": ("Ongeldige stemmen", "Invalid votes"),
    "review.box.H": ("Totaal uitgebrachte stemmen (E+F+G)", "Total votes cast (E+F+G)"),
    "review.box.I": ("Méér getelde stemmen (H − D)", "More votes counted (H − D)"),
    "review.box.J": ("Minder getelde stemmen (D − H)", "Fewer votes counted (D − H)"),
    "review.box.list": ("E.{n} lijst {n} {name}", "E.{n} list {n} {name}"),
    "review.box.candidates_total": (
        "Lijst {n}: totaal van de kandidaten",
        "List {n}: total of the candidates",
    ),
    "review.box.candidate": ("Lijst {n}, kandidaat {c} {name}", "List {n}, candidate {c} {name}"),
    "review.box.compare": ("D en H", "D and H"),
    "review.box.explained": ("Verschil volledig verklaard", "Difference completely accounted for"),
    "review.pv.candidates": (
        "Lijst {n} {name}: kandidaten (totaal {total})",
        "List {n} {name}: candidates (total {total})",
    ),
    "review.pv.list_check": (
        "Som van de kandidaten {sum}, lijsttotaal {total}",
        "Sum of the candidates {sum}, list total {total}",
    ),
    "review.pv.compare.equal": ("D en H zijn gelijk", "D and H are equal"),
    "review.pv.compare.greater": ("H is groter dan D", "H is greater than D"),
    "review.pv.compare.smaller": ("H is kleiner dan D", "H is smaller than D"),
    "review.pv.compare.none": ("niet aangegeven", "not indicated"),
    "review.pv.explained.yes": ("ja", "yes"),
    "review.pv.explained.no": ("nee", "no"),
    "review.pv.compare_line": ("D en H: {answer}", "D and H: {answer}"),
    "review.pv.explained_line": (
        "Verschil volledig verklaard: {answer}",
        "Difference completely accounted for: {answer}",
    ),
    "review.pv.warnings": (
        "Waarschuwingen en toelichting van de voorzitter",
        "Warnings and the chair's explanations",
    ),
    "review.pv.explanation": ("Toelichting van de voorzitter:", "The chair's explanation:"),
    "review.pv.differences": (
        "Gewijzigd ten opzichte van versie {version}",
        "Changed since version {version}",
    ),
    "review.pv.no_differences": (
        "Geen verschillen met versie {version}.",
        "No differences from version {version}.",
    ),
    "review.pv.versions": ("Alle versies", "All versions"),
    "review.pv.version_line": (
        "Versie {version} · {status} · ingediend om {time} door {who}",
        "Version {version} · {status} · submitted at {time} by {who}",
    ),
    "review.pv.reviewed_line": ("Beoordeeld om {time} door {who}", "Reviewed at {time} by {who}"),
    "review.pv.reason": ("Reden:", "Reason:"),
    "review.pv.not_latest": (
        "Er is een nieuwere versie van deze telling; alleen de laatste wordt beoordeeld.",
        "There is a newer version of this count; only the latest is reviewed.",
    ),
    "review.pv.waiting": (
        "Teruggestuurd: de voorzitter corrigeert de telling en dient versie {version} in.",
        "Returned: the chair corrects the count and submits version {version}.",
    ),
    # accept (with a confirmation), return, reopen
    "review.accept.heading": ("Accepteren", "Accept"),
    "review.accept.confirm": (
        "Ik heb het proces-verbaal van versie {version} gecontroleerd en accepteer deze telling.",
        "I have checked the proces-verbaal of version {version} and accept this count.",
    ),
    "review.accept.needed": (
        "Vink eerst aan dat u het proces-verbaal hebt gecontroleerd.",
        "First tick that you have checked the proces-verbaal.",
    ),
    "review.return.heading": ("Terugsturen", "Return"),
    "review.reopen.heading": ("Heropenen", "Reopen"),
    "review.reopen.help": (
        "Klopt de geaccepteerde telling toch niet (bijvoorbeeld: het papieren proces-verbaal wijkt af)? "
        "Heropen haar: de voorzitter krijgt haar terug met uw reden en dient een nieuwe versie in. "
        "Versie {version} blijft bewaard zoals ingediend, en het heropenen staat in het auditlog.",
        "Does the accepted count turn out to be wrong (for example: the paper proces-verbaal differs)? "
        "Reopen it: the chair gets it back with your reason and submits a new version. Version {version} "
        "stays as submitted, and the reopening is in the audit log.",
    ),
    "review.reopen.reason": ("Reden voor heropenen", "Reason for reopening"),
    "review.reopen.submit": (
        "Heropenen en terugsturen naar voorzitter",
        "Reopen and return to the chair",
    ),
    "review.reopen.done": (
        "Telling heropend en teruggestuurd naar de voorzitter.",
        "Count reopened and returned to the chair.",
    ),
    "count.not_reopenable": (
        "Alleen de laatste, geaccepteerde versie kan worden heropend.",
        "Only the latest, accepted version can be reopened.",
    ),
    "auditlog.kind.count_reopened": ("Telling heropend", "Count reopened"),
    # --- the chair's incident page
    "review.chair.category_placeholder": ("Kies een categorie", "Choose a category"),
    "review.chair.sent": (
        "Incident gemeld. De gemeente ziet het nu bij haar meldingen; reacties verschijnen hieronder.",
        "Incident reported. The office now sees it; replies appear below.",
    ),
    "review.chair.mine": ("Uw incidenten", "Your incidents"),
    "review.chair.updated": (
        "Bijgewerkt om {time} · ververst elke {seconds} s",
        "Updated at {time} · refreshes every {seconds} s",
    ),
    "review.chair.event_by": ("door {who}", "by {who}"),
}
