"""Texts of the election-day simulator and practice elections (oefenverkiezing). key -> (Dutch, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "practice.exists": (
        "Deze gemeente heeft al een oefenverkiezing ({election}). Wis die eerst.",
        "This municipality already has a practice election ({election}). Wipe it first.",
    ),
    "practice.none": (
        "Deze gemeente heeft geen oefenverkiezing.",
        "This municipality has no practice election.",
    ),
    "practice.no_source": (
        "Er is geen verkiezing van deze gemeente om als oefenverkiezing over te nemen.",
        "There is no election of this municipality to copy into a practice election.",
    ),
    "practice.mixed": (
        "Een oefenverkiezing en een echte verkiezing worden nooit gemengd.",
        "A practice election and a real election never mix.",
    ),
    "practice.not_practice": (
        "Dit is geen oefenverkiezing; alleen een oefenverkiezing kan worden gewist.",
        "This is not a practice election; only a practice election can be wiped.",
    ),
    "practice.shared": (
        "Deze oefenverkiezing hoort ook bij een andere gemeente en wordt niet gewist.",
        "This practice election also belongs to another municipality and is not wiped.",
    ),
    "simulator.real_election": (
        "De simulator schrijft niet in een echte verkiezing (alleen in een oefen- of demoverkiezing).",
        "The simulator does not write into a real election (only into a practice or demo election).",
    ),
    "simulator.no_stations": (
        "De verkiezing heeft geen stembureaus in deze gemeente.",
        "The election has no polling stations in this municipality.",
    ),
    "simulator.outside_window": (
        "De gesimuleerde dag ({begins} tot {ends}) valt buiten de toegangsperiode van de verkiezing.",
        "The simulated day ({begins} to {ends}) is outside the election's access window.",
    ),
    "simulator.bad_results": (
        "De uitslag waaruit de dag wordt nagespeeld klopt niet: {problem}",
        "The results the day is replayed from do not add up: {problem}",
    ),
}
