"""Party names across elections: normalise a raw list name and map it to a harmonised key.

Raw names differ between elections and files ("Partij van de Arbeid (P.v.d.A.)", "PvdA",
"GROENLINKS / Partij van de Arbeid (PvdA)"). ``normalise`` removes case, accents and punctuation;
``DEFAULT_KEYS`` maps common normalised names to one key; anything else keeps its normalised name as
its key, so an unknown local party still compares with itself. Analysts override the defaults per
municipality in the ``party_harmonisation`` table (app/services/analysis.py).

``MERGERS``: parties that merged. When one of two compared elections has the merged list and the other
has its predecessors (but not the merged list), the predecessors are summed under the merged key.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z+]+")


def normalise(name: str) -> str:
    """``"Partij van de Arbeid (P.v.d.A.)"`` → ``"partij van de arbeid pvda"``.

    Lower case, accents removed, dots inside abbreviations dropped (``p.v.d.a.`` → ``pvda``), every
    other run of punctuation or space becomes one space.
    """
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace(".", "")
    return _NON_WORD.sub(" ", text).strip()


GL_PVDA = "GL-PvdA"

# normalised raw name -> harmonised key
DEFAULT_KEYS: dict[str, str] = {
    # PvdA
    "partij van de arbeid pvda": "PvdA",
    "partij van de arbeid": "PvdA",
    "pvda": "PvdA",
    # GROENLINKS
    "groenlinks": "GROENLINKS",
    "groen links": "GROENLINKS",
    "gl": "GROENLINKS",
    # the joint list (TK2023, TK2025, many councils)
    "groenlinks partij van de arbeid pvda": GL_PVDA,
    "groenlinks partij van de arbeid": GL_PVDA,
    "groenlinks pvda": GL_PVDA,
    "gl pvda": GL_PVDA,
    "partij van de arbeid pvda groenlinks": GL_PVDA,
    "partij van de arbeid groenlinks": GL_PVDA,
    "pvda groenlinks": GL_PVDA,
    # others with more than one spelling
    "democraten 66 d66": "D66",
    "d66": "D66",
    "sp socialistische partij": "SP",
    "sp": "SP",
    "socialistische partij": "SP",
    "pvv partij voor de vrijheid": "PVV",
    "pvv": "PVV",
    "partij voor de vrijheid": "PVV",
    "staatkundig gereformeerde partij sgp": "SGP",
    "sgp": "SGP",
    "christenunie": "ChristenUnie",
    "christen unie": "ChristenUnie",
    "christenunie sgp": "ChristenUnie-SGP",
    "sgp christenunie": "ChristenUnie-SGP",
    "cda": "CDA",
    "vvd": "VVD",
    "partij voor de dieren": "PvdD",
    "pvdd": "PvdD",
    "forum voor democratie": "FvD",
    "fvd": "FvD",
    "bbb": "BBB",
    "boerburgerbeweging": "BBB",
    "nieuw sociaal contract": "NSC",
    "nsc": "NSC",
    "nieuw sociaal contract nsc": "NSC",
    "ja21": "JA21",
    "volt": "Volt",
    "denk": "DENK",
    "bij1": "BIJ1",
    "50plus": "50PLUS",
    "lp libertaire partij": "LP",
    "libertarische partij lp": "LP",
    "libertaire partij": "LP",
    "piratenpartij": "Piratenpartij",
}

# merged key -> its predecessors
MERGERS: dict[str, tuple[str, ...]] = {GL_PVDA: ("GROENLINKS", "PvdA")}


def default_key(name: str) -> str:
    """The harmonised key of a raw party name when no analyst has set one."""
    norm = normalise(name)
    return DEFAULT_KEYS.get(norm, norm or "?")
