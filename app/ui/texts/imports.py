"""Texts of the official imports (issue 5): upload results and refusals. key -> (Dutch, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "imports.refused": (
        "Bestand {file} is niet ingelezen ({place}): {problem}. Er is niets opgeslagen.",
        "File {file} was not imported ({place}): {problem}. Nothing was stored.",
    ),
    "imports.election_missing": (
        "Verkiezing {election} is nog niet ingericht. Vraag een beheerder van alle gemeenten om die in te richten.",
        "Election {election} has not been set up. Ask an administrator of all municipalities to set it up.",
    ),
    "imports.bad_municipality": (
        "{value} is geen gemeentecode (verwacht GM gevolgd door vier cijfers).",
        "{value} is not a municipality code (expected GM followed by four digits).",
    ),
    "imports.too_large": (
        "Het bestand is groter dan {limit} bytes.",
        "The file is larger than {limit} bytes.",
    ),
    "imports.candidate_name_required": (
        "Een kandidaat heeft een achternaam nodig.",
        "A candidate needs a last name.",
    ),
    "imports.status.imported": ("ingelezen", "imported"),
    "imports.status.new_version": ("ingelezen als nieuwe versie", "imported as a new version"),
    "imports.status.unchanged": ("al eerder ingelezen, niets gewijzigd", "imported before, nothing changed"),
    "imports.summary": (
        "{file}: {format}, verkiezing {election}, gemeente {municipality}, versie {version}: {stations} stembureaus, "
        "{lists} lijsten, {candidates} kandidaten, {valid_votes} geldige stemmen ({status}).",
        "{file}: {format}, election {election}, municipality {municipality}, version {version}: {stations} stations, "
        "{lists} lists, {candidates} candidates, {valid_votes} valid votes ({status}).",
    ),
}
