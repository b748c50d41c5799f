"""Texts of administration: accounts, municipalities, election set-up, access letters, one-time links,
the audit log, the public page, identity-provider sign-in. key -> (Dutch, English)."""

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
        "Het adres van Stemdag moet met https:// of http:// beginnen.",
        "The address of Stemdag must start with https:// or http://.",
    ),
    "admin.unknown_stations": (
        "Deze stembureaus bestaan niet bij deze verkiezing: {numbers}.",
        "These polling stations do not exist at this election: {numbers}.",
    ),
}
