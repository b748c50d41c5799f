"""Access letters: the PDF renders with the station and its code; its QR code holds a one-time link
that signs the chair in once; a second use, a revoked link and a use outside the window are refused."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from PIL import Image
from sqlalchemy import select

from app.domain.access import Role
from app.domain.errors import AuthenticationFailed, NotAllowed
from app.exports.letters import letters_pdf
from app.services import auth, codes, letters, links
from app.storage.admin_models import SignInLink
from app.storage.models import AuditLog, PollingStation
from etl.demo import DEMO_PASSWORD

BASE = "https://stemdag.example.nl"


def _admin(db, who="admin.haarlem"):
    return auth.sign_in_staff(db, who, DEMO_PASSWORD)


def _pdf_texts(pdf: bytes) -> str:
    """Every string shown with Tj in the PDF's (Flate-compressed) content streams."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        for s in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", data):
            out.append(re.sub(rb"\\(.)", rb"\1", s).decode("latin-1"))
    return "\n".join(out)


def _pdf_images(pdf: bytes) -> list[Image.Image]:
    """The CCITT G4 images of the PDF (how fpdf2 embeds a 1-bit PNG), decoded by wrapping each in a
    minimal TIFF for Pillow (libtiff)."""
    images = []
    for m in re.finditer(rb"<<((?:(?!>>\nstream).)*?/Subtype /Image.*?)>>\nstream\n", pdf, re.S):
        head = m.group(1)
        width = int(re.search(rb"/Width (\d+)", head).group(1))
        height = int(re.search(rb"/Height (\d+)", head).group(1))
        length = int(re.search(rb"/Length (\d+)", head).group(1))
        assert b"/CCITTFaxDecode" in head and b"/K -1" in head
        data = pdf[m.end() : m.end() + length]
        black_is_1 = b"/BlackIs1 true" in head
        tags = [
            (256, 4, 1, width),
            (257, 4, 1, height),
            (258, 3, 1, 1),
            (259, 3, 1, 4),  # CCITT group 4
            (262, 3, 1, 1 if black_is_1 else 0),  # as Pillow reads fpdf2 output
            (273, 4, 1, 8),
            (277, 3, 1, 1),
            (278, 4, 1, height),
            (279, 4, 1, len(data)),
        ]
        ifd_at = 8 + len(data) + (len(data) % 2)
        tiff = b"II*\x00" + struct.pack("<I", ifd_at) + data + b"\x00" * (len(data) % 2)
        tiff += struct.pack("<H", len(tags))
        for tag, typ, count, value in tags:
            packed = struct.pack("<H", value) + b"\x00\x00" if typ == 3 else struct.pack("<I", value)
            tiff += struct.pack("<HHI", tag, typ, count) + packed
        tiff += struct.pack("<I", 0)
        images.append(Image.open(io.BytesIO(tiff)).convert("L"))
    return images


def _modules(img: Image.Image, size: int) -> list[list[bool]]:
    """Sample a QR image (quiet zone included) into ``size`` × ``size`` dark/light modules."""
    step = img.width / size
    return [
        [img.getpixel((int((x + 0.5) * step), int((y + 0.5) * step))) < 128 for x in range(size)]
        for y in range(size)
    ]


def _station(db, municipality, number):
    return db.scalar(
        select(PollingStation).where(
            PollingStation.municipality_code == municipality, PollingStation.number == number
        )
    )


def test_letter_pdf_renders_station_code_and_a_qr_code_of_the_link(demo_db):
    admin = _admin(demo_db)
    issued = letters.issue_letters(demo_db, admin, "GR2026", "GM0392", BASE, station_numbers=[1, 2])
    assert [x.station_number for x in issued] == [1, 2]
    pdf = letters_pdf(issued)
    assert pdf.startswith(b"%PDF-")
    text = _pdf_texts(pdf)
    squeezed = re.sub(r"\s", "", text)
    for letter in issued:
        assert re.sub(r"\s", "", letter.station_name) in squeezed
        assert letter.code in text and f"Stembureau {letter.station_number}" in text
        assert letter.url.startswith(BASE + "/?token=")
    # The QR image in the PDF is, module for module, the QR code of that letter's link. (No QR
    # decoder can be installed offline here; segno's encoding of the expected URL is the reference.)
    images = _pdf_images(pdf)
    assert len(images) == 2
    for letter, img in zip(issued, images, strict=True):
        expected = segno.make(letter.url, error="m", micro=False)
        size = expected.symbol_size(border=4)[0]
        want = [[bool(v) for v in row] for row in expected.matrix_iter(border=4)]
        assert _modules(img, size) == want
    # and the code printed on the letter signs in
    assert auth.sign_in_chair(demo_db, issued[0].code).station_number == 1


def test_the_one_time_link_signs_the_chair_in_once(demo_db):
    admin = _admin(demo_db)
    (letter,) = letters.issue_letters(demo_db, admin, "GR2026", "GM0392", BASE, station_numbers=[3])
    token = parse_qs(urlsplit(letter.url).query)["token"][0]
    chair = links.redeem_link(demo_db, token)
    assert chair.role is Role.CHAIR and chair.station_number == 3 and chair.municipality_code == "GM0392"
    with pytest.raises(AuthenticationFailed) as again:
        links.redeem_link(demo_db, token)
    assert again.value.message_key == "links.used"
    stored = demo_db.scalar(select(SignInLink).where(SignInLink.token_hash == links.token_hash(token)))
    assert stored.used_at is not None and token not in (stored.token_hash,)
    actions = demo_db.scalars(
        select(AuditLog.action).where(AuditLog.entity == "sign_in_link").order_by(AuditLog.id)
    ).all()
    assert actions == ["sign_in_link_issued", "sign_in", "sign_in_failed"]


def test_links_outside_the_window_revoked_or_unknown_are_refused(demo_db):
    admin = _admin(demo_db)
    station = _station(demo_db, "GM0392", 4)
    token = links.issue_link(demo_db, admin, station.id)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=5)
    with pytest.raises(AuthenticationFailed) as window:
        links.redeem_link(demo_db, token, now=later)
    assert window.value.message_key == "links.window"
    codes.revoke_codes(demo_db, admin, station.id)  # revoking the code revokes the link too
    with pytest.raises(AuthenticationFailed) as revoked:
        links.redeem_link(demo_db, token)
    assert revoked.value.message_key == "links.revoked"
    newer = links.issue_link(demo_db, admin, station.id)
    older = links.issue_link(demo_db, admin, station.id)  # a new letter revokes the previous link
    with pytest.raises(AuthenticationFailed):
        links.redeem_link(demo_db, newer)
    assert links.redeem_link(demo_db, older).polling_station_id == station.id
    for bad in ("", "x" * 43, "../../etc/passwd"):
        with pytest.raises(AuthenticationFailed) as unknown:
            links.redeem_link(demo_db, bad)
        assert unknown.value.message_key == "links.unknown"


def test_letters_and_links_of_another_municipality_are_refused(demo_db):
    admin_nijmegen = _admin(demo_db, "admin.nijmegen")
    office = _admin(demo_db, "office.haarlem")
    station = _station(demo_db, "GM0392", 1)
    with pytest.raises(NotAllowed):
        letters.issue_letters(demo_db, admin_nijmegen, "GR2026", "GM0392", BASE)
    with pytest.raises(NotAllowed):
        links.issue_link(demo_db, admin_nijmegen, station.id)
    with pytest.raises(NotAllowed):
        links.issue_link(demo_db, office, station.id)
    refused = demo_db.scalars(select(AuditLog).where(AuditLog.action == "access_refused")).all()
    assert len(refused) == 3
