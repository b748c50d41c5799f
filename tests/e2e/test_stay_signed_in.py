"""In a real browser: a chair who stays signed in on the device is still signed in after reloading the
page (a phone reloads tabs); after signing out a reload shows the sign-in page; without the choice a
reload signs out, as Streamlit does. The cookie is HttpOnly (page scripts cannot read it)."""

import pytest
from playwright.sync_api import expect

from etl.demo import demo_code

pytestmark = pytest.mark.e2e

CODE_BOX = "Toegangscode van het stembureau"


def _sign_in_chair(page, url: str, *, keep: bool) -> None:
    page.goto(url)
    page.get_by_role("textbox", name=CODE_BOX).fill(demo_code("GM0392", 1))
    if not keep:
        page.get_by_text("Aangemeld blijven op dit apparaat").first.click()  # on by default for chairs
    page.get_by_role("button", name="Aanmelden").filter(visible=True).click()
    expect(page.get_by_role("heading", name="Stembureau 1:", exact=False)).to_be_visible()


def _device_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == "stemdag_device"), None)


def test_a_reload_keeps_the_chair_signed_in_until_they_sign_out(live_app, page):
    _sign_in_chair(page, live_app, keep=True)
    for _ in range(50):  # the page's cookie request goes out after the sign-in
        if _device_cookie(page):
            break
        page.wait_for_timeout(100)
    cookie = _device_cookie(page)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("stemdag_device") == -1
    page.reload()
    expect(page.get_by_role("heading", name="Stembureau 1:", exact=False)).to_be_visible()
    page.get_by_role("link", name="Afmelden").click()
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()
    expect(page.get_by_role("textbox", name=CODE_BOX)).to_be_visible()


def test_without_staying_signed_in_a_reload_signs_out(live_app, page):
    _sign_in_chair(page, live_app, keep=False)
    page.wait_for_timeout(1000)
    assert _device_cookie(page) is None
    page.reload()
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()


def test_the_cookie_route_refuses_requests_without_the_header_or_with_a_bad_ticket(live_app):
    import json
    import urllib.error
    import urllib.request

    def post(headers: dict[str, str], body: bytes) -> int:
        request = urllib.request.Request(
            f"{live_app}/_stemdag/device", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as err:
            assert "set-cookie" not in {k.lower() for k in err.headers}
            return err.code

    ticket = json.dumps({"ticket": "x" * 43 + ".9999999999.00"}).encode()
    assert post({"Content-Type": "application/json"}, ticket) == 403  # another site cannot add the header
    assert post({"X-Stemdag": "device", "Content-Type": "application/json"}, ticket) == 400  # forged
    assert post({"X-Stemdag": "device"}, b"not json") == 400
    assert post({"X-Stemdag": "device"}, json.dumps({"ticket": 12345}).encode()) == 400  # not a 500
    assert post({"X-Stemdag": "device"}, b" " * 4096) == 413  # the open route reads at most 1 KB


def test_signing_out_in_the_tab_that_signed_in_ends_the_device_session(live_app, page):
    # The websocket of this tab was opened before the cookie existed, so its request does not carry it:
    # signing out must still end the device session (it used to sign the chair in again on reload).
    _sign_in_chair(page, live_app, keep=True)
    for _ in range(50):
        if _device_cookie(page):
            break
        page.wait_for_timeout(100)
    assert _device_cookie(page) is not None
    page.get_by_role("link", name="Afmelden").click()
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()
    for _ in range(50):  # the cookie is deleted by the page's request after signing out
        if _device_cookie(page) is None:
            break
        page.wait_for_timeout(100)
    page.reload()
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()
    expect(page.get_by_role("textbox", name=CODE_BOX)).to_be_visible()
