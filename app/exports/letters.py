"""Access letters for chairs as one PDF: one A4 page per station with the station's name, number and
address, its access code in large type, and a QR code holding a one-time sign-in link. Pure rendering:
the codes and links are issued by ``app.services.letters``."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import segno
from fpdf import FPDF


@dataclass(frozen=True)
class Letter:
    municipality_name: str
    election_name: str
    election_date: dt.date
    station_number: int
    station_name: str
    address: str | None
    postcode: str | None
    locality: str | None
    code: str
    url: str
    valid_from: dt.datetime
    valid_until: dt.datetime


TEXTS = {
    "nl": {
        "title": "Toegang tot Stemdag",
        "station": "Stembureau {n}",
        "intro": (
            "Met deze brief meldt de voorzitter van het stembureau zich aan bij Stemdag om op de "
            "verkiezingsdag de opening, de opkomst, bijzonderheden en de telling door te geven."
        ),
        "code": "Toegangscode",
        "qr": ("Of scan de QR-code: die meldt u één keer aan zonder code. Daarna werkt alleen de code nog."),
        "valid": "Geldig van {a} tot {b}.",
        "secret": "Bewaar deze brief veilig en geef de code aan niemand anders dan de plaatsvervanger.",
    },
    "en": {
        "title": "Access to Stemdag",
        "station": "Polling station {n}",
        "intro": (
            "With this letter the chair of the polling station signs in to Stemdag to report the "
            "opening, turnout, incidents and the count on election day."
        ),
        "code": "Access code",
        "qr": "Or scan the QR code: it signs you in once without the code. After that only the code works.",
        "valid": "Valid from {a} until {b}.",
        "secret": "Keep this letter safe and give the code to nobody but the deputy chair.",
    },
}


def qr_for(url: str) -> segno.QRCode:
    """The QR code printed on a letter (error correction M: survives a crease or a smudge)."""
    return segno.make(url, error="m", micro=False)


def _png(url: str) -> io.BytesIO:
    buf = io.BytesIO()
    qr_for(url).save(buf, kind="png", scale=8, border=4)
    buf.seek(0)
    return buf


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=20)
        # The PDF core fonts: present in every reader, no font file to ship, text searchable. They
        # cover Latin-1, which holds every Dutch letter (ë, é, ï, ...); other symbols become "?".
        self.family = "Helvetica"

    @staticmethod
    def text_safe(s: str) -> str:
        return (
            s.replace("·", "-")
            .replace("–", "-")
            .replace("’", "'")
            .encode("latin-1", "replace")
            .decode("latin-1")
        )


def _fmt(moment: dt.datetime) -> str:
    return moment.strftime("%d-%m-%Y %H:%M")


def letters_pdf(letters: list[Letter], lang: str = "nl") -> bytes:
    """One PDF with a page per letter."""
    txt = TEXTS["nl" if lang == "nl" else "en"]
    pdf = _Pdf()
    pdf.set_title(txt["title"])
    pdf.set_creator("Stemdag")
    w = pdf.epw
    for letter in letters:
        pdf.add_page()
        s = pdf.text_safe
        pdf.set_font(pdf.family, "B", 11)
        pdf.cell(
            w, 6, s(f"{letter.municipality_name} · {letter.election_name}"), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font(pdf.family, "", 10)
        pdf.cell(w, 6, letter.election_date.strftime("%d-%m-%Y"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font(pdf.family, "B", 20)
        pdf.cell(w, 10, s(txt["title"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(pdf.family, "B", 14)
        pdf.cell(w, 8, s(txt["station"].format(n=letter.station_number)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(pdf.family, "", 12)
        pdf.multi_cell(w, 6, s(letter.station_name), new_x="LMARGIN", new_y="NEXT")
        place = " ".join(p for p in (letter.postcode, letter.locality) if p)
        for line in (letter.address, place):
            if line:
                pdf.multi_cell(w, 6, s(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font(pdf.family, "", 11)
        pdf.multi_cell(w, 5.5, s(txt["intro"]), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font(pdf.family, "B", 12)
        pdf.cell(w, 7, s(txt["code"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Courier", "B", 26)
        pdf.cell(w, 14, letter.code, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(pdf.family, "", 11)
        pdf.multi_cell(w, 5.5, s(txt["qr"]), new_x="LMARGIN", new_y="NEXT")
        pdf.image(_png(letter.url), x=pdf.l_margin, y=pdf.get_y() + 2, w=55, h=55)
        pdf.set_y(pdf.get_y() + 60)
        pdf.set_font(pdf.family, "", 10)
        pdf.multi_cell(
            w,
            5,
            s(txt["valid"].format(a=_fmt(letter.valid_from), b=_fmt(letter.valid_until))),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.multi_cell(w, 5, s(txt["secret"]), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
